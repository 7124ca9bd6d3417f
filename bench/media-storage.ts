/**
 * What WebRTC ingestion (a channel's `mediaStorage`) costs: template bytes and synth time per recording
 * channel (with the stream it records into), against the same channels without it; and the API calls and
 * latency of a create with storage, a switch to another stream and a disable, run by the bundled handler
 * against the Kinesis Video double (which knows streams).
 */
import { describeFailure, HandlerBench, TimedInvocation } from './handler-run';
import { LATENCY_MS, TRANSITIONS } from './lifecycle';
import { measureSynth, median, REGION, ACCOUNT } from './synth';
import { LIBRARY, LIBRARY_RECORDING } from './ways';
import { ChannelProperty } from '../src/handler-shared/handler-contract';
import type { Exchange } from '../test/support/custom-resource-under-test';
import { lambdaRuntimeNode } from '../test/support/lambda-process';

const SYNTH_N = [1, 10, 100];
const SYNTH_RUNS = 5;
const ROUNDS = 3;

export interface MediaStorageSynth {
  readonly n: number;
  readonly plainBytes: number;
  readonly recordingBytes: number;
  readonly plainMs: number;
  readonly recordingMs: number;
}

export interface MediaStorageScenario {
  readonly name: string;
  readonly apiCalls: number;
  readonly callsByOperation: Record<string, number>;
  readonly responseMs: number;
}

export interface MediaStorageResult {
  readonly synth: MediaStorageSynth[];
  readonly scenarios: MediaStorageScenario[];
  readonly method: string;
}

export async function measureMediaStorage(): Promise<MediaStorageResult> {
  const synth = SYNTH_N.map(n => {
    const plain = measureSynth(LIBRARY, n, SYNTH_RUNS);
    const recording = measureSynth(LIBRARY_RECORDING, n, SYNTH_RUNS);
    return { n, plainBytes: plain.templateBytes, recordingBytes: recording.templateBytes, plainMs: plain.medianMs, recordingMs: recording.medianMs };
  });

  const runtime = await lambdaRuntimeNode();
  const bench = await HandlerBench.start({ latencyMs: LATENCY_MS, transitions: TRANSITIONS });
  const samples = new Map<string, TimedInvocation[]>();
  const record = (name: string, exchange: Exchange<TimedInvocation>) => {
    if (exchange.response?.Status !== 'SUCCESS' || exchange.invocation.respondedAt === undefined) {
      throw new Error(describeFailure(name, exchange.invocation, exchange.response?.Status, exchange.response?.Reason));
    }
    samples.set(name, [...(samples.get(name) ?? []), exchange.invocation]);
  };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const first = bench.kvs.putStream({ name: `bench-recordings-${round}-a`, region: REGION, dataRetentionInHours: 24 });
      const second = bench.kvs.putStream({ name: `bench-recordings-${round}-b`, region: REGION, dataRetentionInHours: 24 });
      const resource = bench.resource('Channel', runtime);
      const base = { [ChannelProperty.CHANNEL_NAME]: `bench-recording-${round}`, [ChannelProperty.MESSAGE_TTL_SECONDS]: 60 };
      record('create with storage', (await resource.create({ ...base, [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: first.arn })).first);
      record('switch to another stream', (await resource.update({ ...base, [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: second.arn })).first);
      record('disable storage', (await resource.update(base)).first);
      record('delete', (await resource.delete()).first);
    }
  } finally {
    await bench.stop();
  }
  return {
    synth,
    scenarios: [...samples].map(([name, runs]) => ({
      name,
      apiCalls: median(runs.map(run => run.calls.length)),
      callsByOperation: countBy(runs[0].calls.map(call => call.operation)),
      responseMs: median(runs.map(run => run.respondedAt! - run.eventAt)),
    })),
    method: `Synth: N channels of this library (${ACCOUNT}/${REGION}) with and without each recording into a Stream of its own ` +
      `(a stream takes one channel), median of ${SYNTH_RUNS} runs. Lifecycle: ${ROUNDS} rounds of one channel created recording ` +
      'into a stream, switched to another, disabled and deleted, each event run by the bundled handler in a fresh Node.js ' +
      `process (${runtime.label}) against the double (${LATENCY_MS} ms per call, CREATING ${TRANSITIONS.creatingMs} ms); median. ` +
      'The one channel holds slot 0, so no storage turn is waited for beyond the one after create (STORAGE_AFTER_CREATE_MS).',
  };
}

export function mediaStorageSection(result: MediaStorageResult | undefined, skipped: string | undefined): string[] {
  const title = '## 7. WebRTC ingestion (mediaStorage)';
  if (result === undefined) return [title, '', `Not measured: ${skipped}`, ''];
  const lines = [title, '', result.method, '',
    '| N | template bytes without / with | bytes per recording channel (with its stream) | synth ms without / with | synth ms per recording channel |',
    '|---:|---:|---:|---:|---:|'];
  for (const s of result.synth) {
    lines.push(`| ${s.n} | ${s.plainBytes} / ${s.recordingBytes} | ${((s.recordingBytes - s.plainBytes) / s.n).toFixed(0)} | ` +
      `${s.plainMs.toFixed(1)} / ${s.recordingMs.toFixed(1)} | ${((s.recordingMs - s.plainMs) / s.n).toFixed(2)} |`);
  }
  lines.push('', '| request | API calls | calls by operation | event to response (ms) |', '|---|---:|---|---:|');
  for (const scenario of result.scenarios) {
    const byOperation = Object.entries(scenario.callsByOperation).map(([op, count]) => `${op} ${count}`).join(', ');
    lines.push(`| ${scenario.name} | ${scenario.apiCalls} | ${byOperation} | ${scenario.responseMs.toFixed(0)} |`);
  }
  lines.push('');
  return lines;
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
