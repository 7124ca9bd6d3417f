/**
 * The handler asset: what `npx projen bundle` writes and every stack using the library uploads. Its size,
 * raw and gzipped, and which packages the bytes come from.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const ROOT = path.join(__dirname, '..');
export const ASSET_DIR = path.join(ROOT, 'assets', 'lambda', 'signaling-channel-handler', 'index');
export const ASSET_FILE = path.join(ASSET_DIR, 'index.js');

export interface AssetSize {
  readonly files: number;
  readonly rawBytes: number;
  /** gzip at its default level (6), the command-line tool's default. */
  readonly gzipBytes: number;
  /** Bytes of the minified bundle by origin, largest first (from esbuild's metafile). */
  readonly origins: Array<{ origin: string; bytes: number }>;
  /** The bundle rebuilt for the metafile is byte for byte the asset on disk. */
  readonly originsMatchAsset: boolean;
}

export async function measureAssetSize(): Promise<AssetSize> {
  const files = fs.readdirSync(ASSET_DIR).map(name => path.join(ASSET_DIR, name)).filter(file => fs.statSync(file).isFile());
  const contents = files.map(file => fs.readFileSync(file));
  const { origins, output } = await bundleOrigins();
  return {
    files: files.length,
    rawBytes: contents.reduce((total, content) => total + content.length, 0),
    gzipBytes: contents.reduce((total, content) => total + zlib.gzipSync(content).length, 0),
    origins,
    originsMatchAsset: files.length === 1 && Buffer.compare(output, fs.readFileSync(ASSET_FILE)) === 0,
  };
}

/**
 * Bundle the handler again with the very command of the `bundle:lambda/signaling-channel-handler/index`
 * task (read from .projen/tasks.json, so no option is copied here), into a temporary file and with a
 * metafile, and add up its bytes by package.
 */
async function bundleOrigins(): Promise<{ origins: Array<{ origin: string; bytes: number }>; output: Buffer }> {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const [command, ...args]: string[] = tasks['bundle:lambda/signaling-channel-handler/index'].steps[0].execArgs;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-asset-'));
  const outfile = path.join(scratch, 'index.js');
  const metafile = path.join(scratch, 'meta.json');
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', command),
      [...args.map(arg => arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg), `--metafile=${metafile}`, '--log-level=error'],
      { cwd: ROOT });
    const output = fs.readFileSync(outfile);
    const meta = Object.values(JSON.parse(fs.readFileSync(metafile, 'utf8')).outputs as Record<string, { inputs: Record<string, { bytesInOutput: number }> }>)[0];
    const byOrigin = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
      const origin = originOf(input);
      byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
    }
    const inputsBytes = [...byOrigin.values()].reduce((a, b) => a + b, 0);
    byOrigin.set('esbuild runtime and module wrappers', output.length - inputsBytes);
    return {
      origins: [...byOrigin].map(([origin, bytes]) => ({ origin, bytes })).sort((a, b) => b.bytes - a.bytes),
      output,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** `@aws-sdk/*`, `@smithy/*` and other packages by scope or name; the project's own code as its folder. */
function originOf(input: string): string {
  const match = /node_modules\/((@[^/]+)\/[^/]+|[^/]+)/.exec(input);
  if (match) return match[2] ? `${match[2]}/*` : match[1];
  return `${input.split('/')[0]}/ (this project)`;
}
