/**
 * Runs many invocations of a Lambda function's deployed code at once, as CloudFormation causes when it
 * starts the requests of a stack's hundreds of custom resources together.
 *
 * A process per invocation (lambda-process.ts) would take hundreds of processes, more than a 2-core machine
 * runs at once. Here a few worker processes each load the bundle once (init) and run the invocations given
 * to them concurrently, each with its own context and deadline: what differs from Lambda, where each
 * container runs one invocation at a time, is only that invocations of one worker share the module's
 * state (the handler keeps none but its SDK client). Every other aspect is Lambda's: the environment
 * (`lambdaEnvironment`), the async handler called without a callback, a `getRemainingTimeInMillis()` that
 * counts down from the function's timeout.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SENT_AT_HEADER } from './kinesis-video-wire';
import { lambdaEnvironment, LambdaFunctionConfig } from './lambda-process';

export interface FleetInvocation {
  readonly outcome: 'returned' | 'threw';
  readonly error?: string;
  readonly durationMs: number;
}

const WORKER = `
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const send = message => fs.writeSync(3, JSON.stringify(message) + '\\n');
const { taskRoot, handler, timeoutMs, functionName, region, accountId } = JSON.parse(process.argv[1]);
// Stamp each request with when it is sent (kinesis-video-double.ts, SENT_AT_HEADER): the double counts quotas by
// it, so that a stall of the double's process on a busy machine does not make a burst of calls sent apart. The
// bundle calls http.request through the module object, so the stamp reaches every request it sends.
const http = require('http');
const request = http.request;
http.request = (...args) => {
  const sent = request.apply(http, args);
  if (!sent.headersSent) sent.setHeader(${JSON.stringify(SENT_AT_HEADER)}, String(Date.now()));
  return sent;
};
const dot = handler.lastIndexOf('.');
const fn = require(path.join(taskRoot, handler.slice(0, dot)))[handler.slice(dot + 1)];
send({ ready: true });
readline.createInterface({ input: process.stdin }).on('line', line => {
  const { id, event } = JSON.parse(line);
  const startedAt = Date.now();
  const deadlineAt = startedAt + timeoutMs;
  const context = {
    functionName,
    invokedFunctionArn: 'arn:aws:lambda:' + region + ':' + accountId + ':function:' + functionName,
    awsRequestId: require('crypto').randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadlineAt - Date.now()),
  };
  Promise.resolve().then(() => fn(event, context)).then(
    () => send({ id, outcome: 'returned', durationMs: Date.now() - startedAt }),
    error => send({ id, outcome: 'threw', error: String((error && error.stack) || error), durationMs: Date.now() - startedAt }),
  );
});
`;

export class LambdaFleet {
  /** Start `workers` processes and wait until each has loaded the function's code. */
  public static async start(config: LambdaFunctionConfig, workers = 4): Promise<LambdaFleet> {
    const fleet = new LambdaFleet(config, workers);
    await Promise.all(fleet.ready);
    return fleet;
  }

  private readonly workers: ChildProcess[] = [];
  private readonly ready: Array<Promise<void>> = [];
  private readonly pending = new Map<number, (result: FleetInvocation) => void>();
  private readonly configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-fleet-env-'));
  private readonly logs: string[] = [];
  private nextId = 0;

  private constructor(config: LambdaFunctionConfig, count: number) {
    const functionName = config.functionName ?? 'signaling-channel-handler';
    for (let i = 0; i < count; i++) {
      const worker = spawn(config.runtime.nodeBinary, ['--eval', WORKER, JSON.stringify({
        taskRoot: config.assetDir,
        handler: config.handler,
        timeoutMs: config.timeoutMs,
        functionName,
        region: config.region,
        accountId: '123456789012',
      })], {
        cwd: config.assetDir,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: lambdaEnvironment(config, functionName, this.configDir),
      });
      worker.stdout!.on('data', chunk => this.logs.push(String(chunk)));
      worker.stderr!.on('data', chunk => this.logs.push(String(chunk)));
      this.ready.push(new Promise((resolve, reject) => {
        let buffered = '';
        (worker.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const message = JSON.parse(buffered.slice(0, newline)) as { ready?: true; id?: number } & FleetInvocation;
            buffered = buffered.slice(newline + 1);
            if (message.ready) {
              resolve();
            } else {
              this.pending.get(message.id!)?.(message);
              this.pending.delete(message.id!);
            }
          }
        });
        worker.on('exit', code => reject(new Error(`a fleet worker exited with ${code} before it was ready: ${this.logs.join('').slice(-2000)}`)));
      }));
      this.workers.push(worker);
    }
  }

  /** Run the handler on `event` in one of the workers, alongside whatever else they run. */
  public invoke(event: unknown): Promise<FleetInvocation> {
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length];
    return new Promise(resolve => {
      this.pending.set(id, resolve);
      worker.stdin!.write(`${JSON.stringify({ id, event })}\n`);
    });
  }

  public async stop(): Promise<void> {
    await Promise.all(this.workers.map(worker => new Promise<void>(resolve => {
      if (worker.exitCode !== null) return resolve();
      worker.once('exit', () => resolve());
      worker.kill('SIGKILL');
    })));
    fs.rmSync(this.configDir, { recursive: true, force: true });
  }
}
