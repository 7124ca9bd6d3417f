/**
 * The handler asset: what `npx projen bundle` writes and every stack using the library uploads. Its size,
 * raw and gzipped, and which packages the bytes come from.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as esbuild from 'esbuild';

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
 * Bundle the handler again in memory with the options of `.projenrc.ts`'s bundle (see the
 * `bundle:lambda/signaling-channel-handler/index` task) and a metafile, and add up its bytes by package.
 */
async function bundleOrigins(): Promise<{ origins: Array<{ origin: string; bytes: number }>; output: Buffer }> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['lambda/signaling-channel-handler/index.ts'],
    outfile: 'assets/lambda/signaling-channel-handler/index/index.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    legalComments: 'none',
    metafile: true,
    write: false,
  });
  const [outputFile] = result.outputFiles;
  const [meta] = Object.values(result.metafile.outputs);
  const byOrigin = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
    const origin = originOf(input);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
  }
  const inputsBytes = [...byOrigin.values()].reduce((a, b) => a + b, 0);
  byOrigin.set('esbuild runtime and module wrappers', outputFile.contents.length - inputsBytes);
  return {
    origins: [...byOrigin].map(([origin, bytes]) => ({ origin, bytes })).sort((a, b) => b.bytes - a.bytes),
    output: Buffer.from(outputFile.contents),
  };
}

/** `@aws-sdk/*`, `@smithy/*` and other packages by scope or name; the project's own code as its folder. */
function originOf(input: string): string {
  const match = /node_modules\/((@[^/]+)\/[^/]+|[^/]+)/.exec(input);
  if (match) return match[2] ? `${match[2]}/*` : match[1];
  return `${input.split('/')[0]}/ (this project)`;
}
