/**
 * What WebRTC ingestion (a channel's `mediaStorage`) costs: template bytes and synth time per recording
 * channel (with the stream it records into), against the same channels without it; and the API calls and
 * latency of a create with storage, a switch to another stream and a disable, run by the bundled handler
 * against the Kinesis Video double (which knows streams).
 */
import { measureSynthWithAndWithout, RequestSamples, RequestScenario, requestTable, SynthWithAndWithout, synthTable } from './feature-cost';
import { HandlerBench } from './handler-run';
import { LATENCY_MS, TRANSITIONS } from './lifecycle';
import { REGION, ACCOUNT } from './synth';
import { LIBRARY, LIBRARY_RECORDING } from './ways';
import { ChannelProperty } from '../src/handler-shared/handler-contract';
import { lambdaRuntimeNode } from '../test/support/lambda-process';

const SYNTH_N = [1, 10, 100];
const SYNTH_RUNS = 5;
const ROUNDS = 3;

export interface MediaStorageResult {
  readonly synth: SynthWithAndWithout[];
  readonly scenarios: RequestScenario[];
  readonly method: string;
}

export async function measureMediaStorage(): Promise<MediaStorageResult> {
  const synth = measureSynthWithAndWithout(LIBRARY, LIBRARY_RECORDING, SYNTH_N, SYNTH_RUNS);

  const runtime = await lambdaRuntimeNode();
  const bench = await HandlerBench.start({ latencyMs: LATENCY_MS, transitions: TRANSITIONS });
  const samples = new RequestSamples();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const first = bench.kvs.putStream({ name: `bench-recordings-${round}-a`, region: REGION, dataRetentionInHours: 24 });
      const second = bench.kvs.putStream({ name: `bench-recordings-${round}-b`, region: REGION, dataRetentionInHours: 24 });
      const resource = bench.resource('Channel', runtime);
      const base = { [ChannelProperty.CHANNEL_NAME]: `bench-recording-${round}`, [ChannelProperty.MESSAGE_TTL_SECONDS]: 60 };
      samples.record('create with storage', (await resource.create({ ...base, [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: first.arn })).first);
      samples.record('switch to another stream', (await resource.update({ ...base, [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: second.arn })).first);
      samples.record('disable storage', (await resource.update(base)).first);
      samples.record('delete', (await resource.delete()).first);
    }
  } finally {
    await bench.stop();
  }
  return {
    synth,
    scenarios: samples.scenarios(),
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
  return [title, '', result.method, '',
    ...synthTable(result.synth, 'N', 'recording channel (with its stream)'), '',
    ...requestTable(result.scenarios, 'request'), ''];
}
