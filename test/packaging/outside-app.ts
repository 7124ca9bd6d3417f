/**
 * Proves the npm tarball that `npx projen package` writes, at the path the README's install command gives,
 * is what a user needs: it holds the compiled library, the jsii assembly, the bundled handler and the
 * third-party notices of what the handler bundles (scripts/third-party-notices.ts), and an app outside this
 * repository that installs it (with aws-cdk-lib and constructs from the registry) synthesizes a stack with
 * three channels served by one Lambda function whose asset is the bundled handler.
 *
 * Run by the `package:verify` task after `package:js`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
// The tarball the README tells users to install (the package is not on a registry yet): the build must
// write exactly that file.
const readmeInstall = /npm install \/path\/to\/cdk-kvs-signaling-channel\/(dist\/js\/\S+\.tgz)/.exec(
  fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
if (!readmeInstall) throw new Error('README.md gives no local install command (npm install /path/to/cdk-kvs-signaling-channel/dist/js/...)');
const tarballPath = path.join(root, readmeInstall[1]);
const tarball = path.basename(tarballPath);
if (!fs.existsSync(tarballPath)) {
  const written = fs.existsSync(path.dirname(tarballPath)) ? fs.readdirSync(path.dirname(tarballPath)).join(', ') : 'nothing';
  throw new Error(`README.md says to install ${readmeInstall[1]}, which the build did not write (dist/js holds ${written})`);
}

const entries = execFileSync('tar', ['-tzf', tarballPath], { encoding: 'utf8' }).split('\n');
const NOTICES = 'package/assets/lambda/signaling-channel-handler/THIRD-PARTY-NOTICES.txt';
for (const required of ['package/lib/index.js', 'package/.jsii', 'package/assets/lambda/signaling-channel-handler/index/index.js', NOTICES]) {
  if (!entries.includes(required)) throw new Error(`${tarball} lacks ${required}`);
}
// An allowlist (package.json "files"): anything else in the tarball is a leak from the work tree.
const shipped = /^package\/(package\.json|README\.md|LICENSE|API\.md|\.jsii|lib\/.+\.(js|d\.ts)|assets\/lambda\/signaling-channel-handler\/(index\/index\.js|THIRD-PARTY-NOTICES\.txt))$/;
const leaked = entries.filter(entry => entry !== '' && !shipped.test(entry));
if (leaked.length > 0) throw new Error(`${tarball} should not ship ${leaked.slice(0, 10).join(', ')}`);
// The notices in the tarball are those of this build's bundle (the AWS SDK's Apache-2.0 text among them).
const shippedNotices = execFileSync('tar', ['-xOzf', tarballPath, NOTICES], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
if (shippedNotices !== fs.readFileSync(path.join(root, 'assets/lambda/signaling-channel-handler/THIRD-PARTY-NOTICES.txt'), 'utf8') ||
  !/^ {2}@aws-sdk\/client-kinesis-video@\S+ \(Apache-2\.0\)/m.test(shippedNotices)) {
  throw new Error(`${tarball}: ${NOTICES} is not the notices of this build's handler bundle`);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const app = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-app-'));
fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'outside-app', private: true }));
execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarballPath,
  `aws-cdk-lib@${pkg.devDependencies['aws-cdk-lib']}`, `constructs@${pkg.devDependencies.constructs}`], { cwd: app, stdio: 'inherit' });

fs.writeFileSync(path.join(app, 'app.js'), `
const { App, Stack, Duration } = require('aws-cdk-lib');
const { SignalingChannel } = require('cdk-kvs-signaling-channel');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'OutsideStack');
new SignalingChannel(stack, 'One');
new SignalingChannel(stack, 'Two', { signalingChannelName: 'two', messageTtl: Duration.seconds(10) });
new SignalingChannel(stack, 'Three', { tags: { a: 'b' } });
app.synth();
`);
execFileSync('node', ['app.js'], { cwd: app, stdio: 'inherit' });

const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'OutsideStack.template.json'), 'utf8'));
const resources = Object.values(template.Resources) as Array<{ Type: string }>;
const channels = resources.filter(r => r.Type === 'Custom::KinesisVideoSignalingChannel').length;
const functions = resources.filter(r => r.Type === 'AWS::Lambda::Function');
if (channels !== 3 || functions.length !== 1) {
  throw new Error(`expected 3 channels and 1 function, got ${channels} and ${functions.length}`);
}
// The function's code is the bundled handler, staged from the installed package into cdk.out.
const manifest = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'OutsideStack.assets.json'), 'utf8'));
const stagedHandlers = Object.values(manifest.files as Record<string, { source: { path: string } }>)
  .map(asset => path.join(app, 'cdk.out', asset.source.path, 'index.js'))
  .filter(file => fs.existsSync(file));
if (stagedHandlers.length !== 1) throw new Error(`expected the handler asset in cdk.out, found ${stagedHandlers.length}`);
console.log(`package verified: ${tarball} (${entries.length - 1} files) installs outside the repo and synthesizes ` +
  `${channels} channels served by ${functions.length} Lambda function.`);
fs.rmSync(app, { recursive: true, force: true });
