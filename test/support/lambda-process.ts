/**
 * Runs a Lambda function's deployed code (an asset directory and a `file.export` handler string) in a
 * separate Node.js process, the way the Lambda Node.js runtime runs it:
 *
 * - one invocation per process: the module is loaded (init), then the handler is called once with the
 *   event and a context whose `getRemainingTimeInMillis()` counts down to the configured timeout;
 * - the handler is called without a callback (the Node.js 24 runtime supports only async handlers); a
 *   handler that declares a callback parameter or does not return a promise is reported, not run as such;
 * - when the returned promise settles, the process ends at once, as a frozen Lambda sandbox never runs
 *   leftover timers; at the timeout the process is killed (Lambda's "Task timed out");
 * - the environment is Lambda's (AWS_REGION, fake credentials, AWS_LAMBDA_FUNCTION_NAME, LAMBDA_TASK_ROOT,
 *   TZ) plus what the test gives (AWS_ENDPOINT_URL_KINESIS_VIDEO, NODE_EXTRA_CA_CERTS): nothing from the
 *   developer's shell that could reach a real AWS account, and no access to the repository's node_modules
 *   when the asset lives outside it (a synthesized cdk.out in the temp dir): the bundle must be complete.
 *
 * Two Node.js binaries: the one running the tests (`testRunnerNode()`), and the Lambda runtime's major
 * (`lambdaRuntimeNode()`), installed on first use from the npm registry package `node-<platform>-<arch>`
 * into `.cache/node24` (gitignored) with `npm install --no-save --prefix`: platform-specific, so it is never
 * a dependency in package.json.
 */
import { execFile, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

/** The Node.js release the Lambda runtime (nodejs24.x) is tested with. */
export const LAMBDA_NODE_VERSION = '24.9.0';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LAMBDA_NODE_CACHE = path.join(REPO_ROOT, '.cache', `node${LAMBDA_NODE_VERSION.split('.')[0]}`);
/** Lambda gives a function's init (module loading) 10 s; a loaded 2-core machine gets some slack. */
const INIT_TIMEOUT_MS = 20_000;

export interface NodeRuntime {
  /** For test names: e.g. 'Node.js 24.9.0 (Lambda runtime)'. */
  readonly label: string;
  readonly nodeBinary: string;
  /** As `node --version` prints it, e.g. 'v24.9.0'. */
  readonly version: string;
}

/** The Node.js that runs the tests. */
export function testRunnerNode(): NodeRuntime {
  return { label: `Node.js ${process.versions.node} (test runner)`, nodeBinary: process.execPath, version: process.version };
}

/**
 * The two Node.js the end-to-end suites run the handler on, labelled for `describe.each`: the Lambda
 * runtime's major, and the one running the tests.
 */
export const HANDLER_RUNTIMES: Array<[string, () => Promise<NodeRuntime>]> = [
  [`Node.js ${LAMBDA_NODE_VERSION.split('.')[0]} (the Lambda runtime's major)`, () => lambdaRuntimeNode()],
  [`Node.js ${process.versions.node.split('.')[0]} (the test runner's)`, async () => testRunnerNode()],
];

let lambdaNodeInstall: Promise<NodeRuntime> | undefined;

/**
 * The Lambda runtime's Node.js, installed into `.cache/` on first use and reused after (also across
 * processes: the install is renamed into place atomically, so concurrent test workers cannot half-see it).
 */
export function lambdaRuntimeNode(): Promise<NodeRuntime> {
  lambdaNodeInstall ??= installLambdaNode();
  return lambdaNodeInstall;
}

async function installLambdaNode(): Promise<NodeRuntime> {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const packageName = `node-${platform}-${process.arch}`;
  const binaryIn = (prefix: string) =>
    path.join(prefix, 'node_modules', packageName, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

  let binary = binaryIn(LAMBDA_NODE_CACHE);
  if (!fs.existsSync(binary)) {
    const staging = `${LAMBDA_NODE_CACHE}.${process.pid}.${Date.now()}`;
    fs.mkdirSync(staging, { recursive: true });
    try {
      await promisify(execFile)(process.platform === 'win32' ? 'npm.cmd' : 'npm', [
        'install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts',
        '--prefix', staging, `${packageName}@${LAMBDA_NODE_VERSION}`,
      ], { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
      if (!fs.existsSync(binaryIn(staging))) {
        throw new Error(`${packageName}@${LAMBDA_NODE_VERSION} installed no binary at ${binaryIn(staging)}`);
      }
      try {
        fs.renameSync(staging, LAMBDA_NODE_CACHE);
      } catch (error) {
        // Another worker put its copy in place first: use that one.
        if (!fs.existsSync(binaryIn(LAMBDA_NODE_CACHE))) throw error;
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    binary = binaryIn(LAMBDA_NODE_CACHE);
  }
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  const version = stdout.trim();
  if (version !== `v${LAMBDA_NODE_VERSION}`) {
    throw new Error(`${binary} is ${version}, expected v${LAMBDA_NODE_VERSION}: delete ${LAMBDA_NODE_CACHE} to reinstall`);
  }
  return { label: `Node.js ${LAMBDA_NODE_VERSION} (Lambda runtime)`, nodeBinary: binary, version };
}

export interface LambdaFunctionConfig {
  /** The deployed code: the directory Lambda unpacks the asset into (LAMBDA_TASK_ROOT). */
  readonly assetDir: string;
  /** `<file without .js>.<export>`, as in the function's Handler property. */
  readonly handler: string;
  readonly runtime: NodeRuntime;
  /** The function's timeout: `getRemainingTimeInMillis()` starts here, and the process is killed at 0. */
  readonly timeoutMs: number;
  readonly region: string;
  readonly functionName?: string;
  readonly memorySizeMb?: number;
  /** Added to Lambda's environment, e.g. AWS_ENDPOINT_URL_KINESIS_VIDEO and NODE_EXTRA_CA_CERTS. */
  readonly environment?: Record<string, string>;
}

export type InvocationOutcome =
  /** The handler's promise resolved. */
  | 'returned'
  /** The handler's promise rejected (Lambda reports the error; for an async invoke it retries). */
  | 'threw'
  /** The timeout passed first: the process was killed. */
  | 'timedOut'
  /** The handler declares a callback or returned no promise: the Node.js 24 runtime refuses it. */
  | 'notAsync'
  /** The process ended without an answer (uncaught exception, unhandled rejection, init failure). */
  | 'crashed';

export interface LambdaInvocation {
  readonly outcome: InvocationOutcome;
  readonly error?: string;
  /** From the handler's call to its end. */
  readonly durationMs: number;
  /** Everything the process wrote to stdout and stderr (what CloudWatch Logs would hold). */
  readonly logs: string;
  readonly exitCode: number | null;
}

/** Messages from the bootstrap to this process, one JSON line each on file descriptor 3. */
type BootstrapMessage =
  | { type: 'invoked'; deadlineAt: number }
  | { type: 'returned' }
  | { type: 'threw'; error: string }
  | { type: 'notAsync'; error: string };

/**
 * What runs inside the child: a minimal Lambda Node.js runtime. Plain JavaScript, passed with `--eval`,
 * so it runs on any Node.js without a compile step.
 */
const BOOTSTRAP = `
'use strict';
const fs = require('fs');
const path = require('path');
const send = message => fs.writeSync(3, JSON.stringify(message) + '\\n');
const describe = error => (error && error.stack) ? String(error.stack) : String(error);
const { taskRoot, handler, timeoutMs, functionName, memorySizeMb, region, accountId } = JSON.parse(process.argv[1]);
const event = JSON.parse(fs.readFileSync(0, 'utf8'));
const dot = handler.lastIndexOf('.');
const fn = require(path.join(taskRoot, handler.slice(0, dot)))[handler.slice(dot + 1)];
if (typeof fn !== 'function') throw new Error('Runtime.HandlerNotFound: ' + handler + ' is not a function');
const requestId = require('crypto').randomUUID();
const deadlineAt = Date.now() + timeoutMs;
const context = {
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:' + region + ':' + accountId + ':function:' + functionName,
  memoryLimitInMB: String(memorySizeMb),
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: new Date().toISOString().slice(0, 10).replace(/-/g, '/') + '/[$LATEST]' + requestId.replace(/-/g, ''),
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadlineAt - Date.now()),
};
send({ type: 'invoked', deadlineAt });
if (fn.length >= 3) {
  send({ type: 'notAsync', error: 'Runtime.CallbackHandlerDeprecated: the handler declares a callback parameter' });
  process.exit(1);
}
const result = fn(event, context);
if (!result || typeof result.then !== 'function') {
  send({ type: 'notAsync', error: 'the handler returned ' + typeof result + ', not a promise' });
  process.exit(1);
}
result.then(
  () => { send({ type: 'returned' }); process.exit(0); },
  error => { send({ type: 'threw', error: describe(error) }); process.exit(1); },
);
`;

/**
 * The environment Lambda gives a function, and nothing of the developer's shell that could reach a real AWS
 * account: `configDir` is an empty directory standing for HOME and the SDK's config files.
 */
export function lambdaEnvironment(config: LambdaFunctionConfig, functionName: string, emptyConfigDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    // The SDK must find no profile, config file or instance metadata of the developer's.
    HOME: emptyConfigDir,
    AWS_CONFIG_FILE: path.join(emptyConfigDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(emptyConfigDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: `fake-session-token-${randomUUID()}`,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMb ?? 256),
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${config.runtime.version.slice(1).split('.')[0]}.x`,
    LAMBDA_TASK_ROOT: config.assetDir,
    TZ: ':UTC',
    ...config.environment,
  };
}

/** Invoke the function once with `event` in a fresh process; resolves when the process has ended. */
export function invokeLambda(config: LambdaFunctionConfig, event: unknown): Promise<LambdaInvocation> {
  const functionName = config.functionName ?? 'signaling-channel-handler';
  const accountId = '123456789012';
  const emptyConfigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-env-'));
  const child = spawn(config.runtime.nodeBinary, [
    '--eval', BOOTSTRAP,
    JSON.stringify({
      taskRoot: config.assetDir,
      handler: config.handler,
      timeoutMs: config.timeoutMs,
      functionName,
      memorySizeMb: config.memorySizeMb ?? 256,
      region: config.region,
      accountId,
    }),
  ], {
    cwd: config.assetDir,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: lambdaEnvironment(config, functionName, emptyConfigDir),
  });

  return new Promise<LambdaInvocation>((resolve, reject) => {
    const output: Buffer[] = [];
    child.stdout!.on('data', chunk => output.push(chunk as Buffer));
    child.stderr!.on('data', chunk => output.push(chunk as Buffer));
    let outcome: InvocationOutcome | undefined;
    let error: string | undefined;
    let invokedAt: number | undefined;
    let settledAt: number | undefined;

    const kill = (reason: InvocationOutcome, message: string) => {
      if (outcome !== undefined) return;
      outcome = reason;
      error = message;
      settledAt = Date.now();
      child.kill('SIGKILL');
    };
    let timer = setTimeout(() => kill('timedOut', `init did not finish in ${INIT_TIMEOUT_MS} ms`), INIT_TIMEOUT_MS);

    let pending = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const message = JSON.parse(pending.slice(0, newline)) as BootstrapMessage;
        pending = pending.slice(newline + 1);
        if (message.type === 'invoked') {
          invokedAt = Date.now();
          clearTimeout(timer);
          timer = setTimeout(() => kill('timedOut', `Task timed out after ${config.timeoutMs} ms`),
            Math.max(0, message.deadlineAt - Date.now()));
        } else if (outcome === undefined) {
          outcome = message.type;
          error = message.type === 'returned' ? undefined : message.error;
          settledAt = Date.now();
        }
      }
    });

    child.on('error', reject);
    child.on('close', exitCode => {
      clearTimeout(timer);
      fs.rmSync(emptyConfigDir, { recursive: true, force: true });
      const logs = Buffer.concat(output).toString('utf8');
      resolve({
        outcome: outcome ?? 'crashed',
        error: outcome === undefined ? `the process exited with ${exitCode} before answering` : error,
        durationMs: invokedAt === undefined ? 0 : (settledAt ?? Date.now()) - invokedAt,
        logs,
        exitCode,
      });
    });
    child.stdin!.end(JSON.stringify(event));
  });
}
