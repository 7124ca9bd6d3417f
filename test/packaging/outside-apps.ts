/**
 * The language apps of test/packaging/apps/, each copied to a folder outside the repository and set up the way
 * that language's users work, against the packages the build wrote to dist/ (`npx projen package`).
 * test/packaging/language-apps.test.ts runs them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const APPS = path.join(__dirname, 'apps');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * The aws-cdk-lib and constructs every language app runs on: the versions the library's own tests run on
 * (its devDependencies), so the templates can be compared key for key. PyPI and Maven Central serve them.
 */
export const CDK_VERSION: string = pkg.devDependencies['aws-cdk-lib'];
export const CONSTRUCTS_VERSION: string = pkg.devDependencies.constructs;

/**
 * The Go module proxy this project reaches serves no aws-cdk-go/awscdk/v2 at 2.245.0 (it answers 403), nor the
 * cloud assembly schema module v53.28.0 that aws-cdk-lib 2.245.0 names: the Go app runs on v2.257.0, which it
 * serves with its dependencies (apps/go/go.mod), and is compared with the TypeScript app on the same version.
 */
export const GO_CDK_VERSION = '2.257.0';

/** Templates the tests synthesize, kept for cfn-lint (`npx projen cfn-lint`) under .cache/, which git ignores. */
export const LINTED_TEMPLATES = path.join(ROOT, '.cache', 'cfn-lint', 'templates');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command and returns what it printed; a command that is missing fails the test that ran it. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed, and says what it printed when it does not. */
export function runOk(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** A copy of test/packaging/apps/<language> in a new folder outside the repository. */
export function copyApp(language: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${language}-app-`));
  fs.cpSync(path.join(APPS, language), dir, { recursive: true });
  return dir;
}

/** The one file dist/ holds under `folder` whose name matches. */
export function built(folder: string, pattern: RegExp): string {
  const dir = path.join(ROOT, 'dist', folder);
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => pattern.test(name)) : [];
  if (found.length !== 1) throw new Error(`expected one ${pattern} in dist/${folder}, found ${found.length}: run npx projen package`);
  return path.join(dir, found[0]);
}

/** The context that makes every app declare a 200 s message TTL, which the library refuses. */
export const BAD_TTL_ENV = { CDK_CONTEXT_JSON: JSON.stringify({ doorbellTtlSeconds: 200 }) };

/** The synthesized template of the apps' one stack, kept for cfn-lint under the given name. */
export function readTemplate(outdir: string, lintName: string): unknown {
  const file = path.join(outdir, 'PolyglotStack.template.json');
  fs.mkdirSync(LINTED_TEMPLATES, { recursive: true });
  fs.copyFileSync(file, path.join(LINTED_TEMPLATES, `${lintName}.template.json`));
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The TypeScript app (apps/typescript/app.ts), outside the repository: the npm tarball and aws-cdk-lib at
 * `cdkVersion` installed with npm, the app run with ts-node. Returns the folder it is in.
 */
export function installTypeScriptApp(cdkVersion: string): string {
  const dir = copyApp('typescript');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'typescript-app', private: true }));
  runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error',
    built('js', /\.jsii\.tgz$/), `aws-cdk-lib@${cdkVersion}`, `constructs@${CONSTRUCTS_VERSION}`], dir);
  return dir;
}

/** Synthesizes the TypeScript app installed in `dir` into `outdir`. */
export function synthTypeScriptApp(dir: string, outdir: string, env: NodeJS.ProcessEnv = {}): Run {
  // The repository's ts-node, transpiling only: the app's imports resolve from its own node_modules.
  return run(process.execPath, ['-r', path.join(ROOT, 'node_modules/ts-node/register/transpile-only'), 'app.ts'], dir,
    { CDK_OUTDIR: outdir, TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', target: 'es2022' }), ...env });
}
