/**
 * What a user reads when an app uses the `channelArn` of a channel imported by name: the app runs as users
 * run it, as plain JavaScript in its own Node.js process (no ts-node, no source maps), and its stderr is read
 * from the top. An error thrown from inside aws-cdk-lib's resolver would be printed under a line of its
 * minified source (about 20 KB); a validation error is printed under a short line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';

const REPO_ROOT = path.resolve(__dirname, '..');

const APP = `
const { App, CfnOutput, Stack } = require('aws-cdk-lib');
const { SignalingChannel } = require('./cdk-kvs-signaling-channel.js');
const app = new App();
const stack = new Stack(app, 'ViewerStack');
const channel = SignalingChannel.fromSignalingChannelName(stack, 'BackDoor', 'back-door');
new CfnOutput(stack, 'ChannelArn', { value: channel.signalingChannelArn });
app.synth();
`;

/** The library as plain JavaScript (aws-cdk-lib and constructs from the repo), and the app beside it. */
function writeApp(dir: string): void {
  esbuild.buildSync({
    entryPoints: [path.join(REPO_ROOT, 'src', 'index.ts')],
    outfile: path.join(dir, 'cdk-kvs-signaling-channel.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['aws-cdk-lib', 'constructs'],
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
}

test('using the channelArn of a channel imported by name: synth fails, and the error is short, first, with the path and the fix', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-by-name-'));
  try {
    writeApp(dir);
    const run = spawnSync(process.execPath, ['app.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), CDK_OUTDIR: path.join(dir, 'cdk.out') },
      timeout: 60_000,
    });

    expect(run.status).not.toBe(0);
    const stderr = run.stderr;
    const message = '[ViewerStack/BackDoor] signalingChannelArn is used, but a signaling channel imported by name has no ARN';
    // Node prints the throwing line of source, then the error: the message comes within the first few lines.
    const firstLines = stderr.split('\n').slice(0, 8).join('\n');
    expect(firstLines).toContain(message);
    expect(firstLines).toContain('import it with fromSignalingChannelArn or fromSignalingChannelAttributes');
    expect(stderr.indexOf(message)).toBeLessThan(500);
    expect(stderr.length).toBeLessThan(2_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
