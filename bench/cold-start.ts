/**
 * Cold start: from starting a fresh Node.js process to the handler's first answer reaching CloudFormation,
 * for a Create against a Kinesis Video double that answers at once (no latency, no CREATING time). What is
 * left is the process start, loading the bundle, the SDK's first calls and the HTTPS response PUT.
 */
import { describeFailure, HandlerBench } from './handler-run';
import { median } from './synth';
import { ChannelProperty } from '../src/handler-shared/handler-contract';
import { lambdaRuntimeNode, NodeRuntime, testRunnerNode } from '../test/support/lambda-process';

/** Timed cold starts per runtime, after one untimed (the first start of a binary reads it from disk). */
const SAMPLES = 7;

export interface ColdStartRuntime {
  readonly runtime: string;
  /** Process start to the response PUT's arrival, each sample. */
  readonly samplesMs: number[];
  readonly medianMs: number;
  /** The runner's measure of the handler itself (call to promise settled), median. */
  readonly handlerMedianMs: number;
  readonly apiCalls: number;
}

export interface ColdStartResult {
  readonly runtimes: ColdStartRuntime[];
  readonly method: string;
}

export async function measureColdStart(): Promise<ColdStartResult> {
  const runtimes = [await lambdaRuntimeNode(), testRunnerNode()];
  const results: ColdStartRuntime[] = [];
  for (const runtime of runtimes) {
    results.push(await coldStarts(runtime));
  }
  return {
    runtimes: results,
    method: 'A Create of one channel, each in a fresh process started by test/support/lambda-process.ts (one invocation per ' +
      'process, as a cold Lambda sandbox), against the Kinesis Video double with no latency and no CREATING time; timed from ' +
      `spawning the process to the CloudFormation double receiving the response PUT (HTTPS). Median of ${SAMPLES} after one ` +
      'untimed run. "In the handler": from the handler\'s call to its promise settling, as the runner measures it; the rest is ' +
      'process start and loading the bundle.',
  };
}

async function coldStarts(runtime: NodeRuntime): Promise<ColdStartRuntime> {
  const bench = await HandlerBench.start({ transitions: { creatingMs: 0, updatingMs: 0, deletingMs: 0 }, latencyMs: 0 });
  try {
    const samples: number[] = [];
    const handlerMs: number[] = [];
    let apiCalls = 0;
    for (let i = 0; i <= SAMPLES; i++) {
      const resource = bench.resource(`ColdStart${i}`, runtime);
      const { first } = await resource.create({
        [ChannelProperty.CHANNEL_NAME]: `cold-start-${i}`,
        [ChannelProperty.CHANNEL_TYPE]: 'SINGLE_MASTER',
      });
      const timed = first.invocation;
      if (first.response?.Status !== 'SUCCESS' || timed.respondedAt === undefined) {
        throw new Error(describeFailure(`cold start on ${runtime.label}`, timed, first.response?.Status, first.response?.Reason));
      }
      if (i === 0) continue;
      samples.push(timed.respondedAt - timed.eventAt);
      handlerMs.push(timed.invocation.durationMs);
      apiCalls = timed.calls.length;
    }
    return { runtime: runtime.label, samplesMs: samples, medianMs: median(samples), handlerMedianMs: median(handlerMs), apiCalls };
  } finally {
    await bench.stop();
  }
}
