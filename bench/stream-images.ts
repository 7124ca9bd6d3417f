/**
 * What a stream's images and notifications (`Stream.images`, `Stream.notificationTopic`) cost: template bytes
 * and synth time per stream against the same streams without them; the API calls and latency of the stream
 * configuration's create, one setting changed and delete, run by the bundled handler under the provider
 * role's policy against the Kinesis Video double; and a fleet of recording cameras deployed at once, with and
 * without images, through test/support/fleet-deployment.ts.
 */
import * as fs from 'fs';
import { measureSynthWithAndWithout, RequestSamples, RequestScenario, requestTable, SynthWithAndWithout, synthTable } from './feature-cost';
import { peaksOverQuota, peaksWithQuotas, START_JITTER_MS, TRANSITION_MS } from './fleet';
import { HandlerBench } from './handler-run';
import { LATENCY_MS, TRANSITIONS } from './lifecycle';
import { REGION, ACCOUNT, STACK_NAME } from './synth';
import type { TargetVerdict } from './targets';
import { STREAMS, STREAMS_WITH_IMAGES } from './ways';
import { STREAM_CONFIGURATION_RESOURCE_TYPE, StreamConfigurationProperty } from '../src/handler-shared/stream-configuration-rules';
import { CameraKind, FleetDeployment, FleetVersion, PhaseResult } from '../test/support/fleet-deployment';
import { lambdaRuntimeNode } from '../test/support/lambda-process';
import { synthesizeStack } from '../test/support/synthesized-stack';

const SYNTH_N = [1, 10, 100];
const SYNTH_RUNS = 5;
const ROUNDS = 3;
/**
 * The most recording cameras with images one stack holds (README, "How many cameras fit in a stack"; proven by
 * test/camera-fleet/camera-fleet-rules.test.ts).
 */
const FLEET_CAMERAS = 122;
/** The sampling interval the update sets (the library's default is 1 s). */
const UPDATED_SAMPLING_INTERVAL_MS = 5_000;

/** The camera fleets measured: recording cameras, without and with their streams' images and notifications. */
type RecordingCameraKind = Exclude<CameraKind, 'channel'>;

export interface CameraFleetRun {
  readonly camera: RecordingCameraKind;
  readonly cameras: number;
  readonly phases: PhaseResult[];
}

export interface StreamImagesResult {
  readonly synth: SynthWithAndWithout[];
  readonly scenarios: RequestScenario[];
  readonly fleets: CameraFleetRun[];
  readonly method: string;
}

export async function measureStreamImages(progress: (message: string) => void): Promise<StreamImagesResult> {
  const synth = measureSynthWithAndWithout(STREAMS, STREAMS_WITH_IMAGES, SYNTH_N, SYNTH_RUNS, progress);
  const runtime = await lambdaRuntimeNode();
  const scenarios = await measureConfigurationLifecycle(runtime);
  const fleets: CameraFleetRun[] = [];
  for (const camera of ['recording', 'recordingWithImages'] as const) {
    fleets.push(await measureCameraFleet(camera, runtime, progress));
  }
  return {
    synth,
    scenarios,
    fleets,
    method: `Synth: N Streams of this library (${ACCOUNT}/${REGION}, 24 h retention) without and with images (one bucket, a ` +
      `key prefix each, the defaults otherwise) and notifications (one topic), median of ${SYNTH_RUNS} runs; the bytes with ` +
      'them include the bucket, the topic and the stack\'s provider (function, role, log group), which streams alone do not ' +
      `need: at N = 1 that is most of them. Requests: ${ROUNDS} rounds of one stream's configuration created (images and notifications ` +
      'enabled), its sampling interval changed and deleted, each event run by the bundled handler in a fresh Node.js process ' +
      `(${runtime.label}) under the provider role's policy against the double (${LATENCY_MS} ms per call); median. Fleet: a ` +
      `CameraFleet of ${FLEET_CAMERAS} recording cameras (the most a stack holds with images), with and without images and ` +
      'notifications, every custom resource of a phase started at once after CloudFormation created the streams, each ' +
      `invocation up to ${START_JITTER_MS} ms late, as in section 6 (transitions ${TRANSITION_MS} ms), under the ` +
      'role\'s policy. "Images changed": the fleet-wide sampling interval changed from 1 s to 5 s. The quota shown for ' +
      'UpdateImageGenerationConfiguration and UpdateNotificationConfiguration is assumed: the service\'s quota table gives ' +
      'none for them, and the double holds them to the 50 a second of the other control-plane calls.',
  };
}

async function measureConfigurationLifecycle(runtime: Awaited<ReturnType<typeof lambdaRuntimeNode>>): Promise<RequestScenario[]> {
  // The custom resource's properties as the template gives them, resolved as CloudFormation would.
  const stack = synthesizeStack(STACK_NAME, { env: { account: ACCOUNT, region: REGION } }, s => STREAMS_WITH_IMAGES.addChannels(s, 1));
  const bench = await HandlerBench.start({ latencyMs: LATENCY_MS, transitions: TRANSITIONS });
  const samples = new RequestSamples();
  try {
    const [logicalId, properties] = Object.entries(stack.customResources(STREAM_CONFIGURATION_RESOURCE_TYPE))[0];
    for (const stream of stack.deployedStreams()) bench.kvs.putStream(stream);
    const images = properties[StreamConfigurationProperty.IMAGES] as Record<string, unknown>;
    const updated = { ...properties, [StreamConfigurationProperty.IMAGES]: { ...images, SamplingInterval: String(UPDATED_SAMPLING_INTERVAL_MS) } };
    for (let round = 1; round <= ROUNDS; round++) {
      const resource = bench.resource(logicalId, runtime, STREAM_CONFIGURATION_RESOURCE_TYPE);
      bench.kvs.setIdentityPolicy(stack.functionRolePolicy(STREAM_CONFIGURATION_RESOURCE_TYPE, resource.stackId));
      samples.record('create (images and notifications enabled)', (await resource.create(properties)).first);
      samples.record('sampling interval changed', (await resource.update(updated)).first);
      samples.record('delete (both dropped)', (await resource.delete()).first);
    }
  } finally {
    await bench.stop();
    fs.rmSync(stack.outdir, { recursive: true, force: true });
  }
  return samples.scenarios();
}

async function measureCameraFleet(
  camera: RecordingCameraKind,
  runtime: Awaited<ReturnType<typeof lambdaRuntimeNode>>,
  progress: (message: string) => void,
): Promise<CameraFleetRun> {
  const deployment = await FleetDeployment.start({
    camera, cameras: FLEET_CAMERAS, runtime, transitionMs: TRANSITION_MS, latencyMs: LATENCY_MS, startJitterMs: START_JITTER_MS,
  });
  const phases: PhaseResult[] = [];
  const measure = async (result: Promise<PhaseResult>) => {
    const phase = await result;
    progress(`camera fleet ${camera} N=${FLEET_CAMERAS} ${phase.phase}: ${phase.wallMs} ms, ${phase.calls} calls, ` +
      `${phase.throttled} throttled, ${phase.failures.length} failed`);
    phases.push(phase);
  };
  try {
    await measure(deployment.create());
    // Each later version of this kind of fleet (FleetDeployment's VERSIONS), in order.
    for (const version of Object.keys(deployment.versions).filter(v => v !== 'initial') as FleetVersion[]) {
      await measure(deployment.update(version));
    }
    await measure(deployment.delete());
  } finally {
    await deployment.stop();
  }
  return { camera, cameras: FLEET_CAMERAS, phases };
}

const FLEET_LABELS: Record<RecordingCameraKind, string> = {
  recording: 'recording',
  recordingWithImages: 'recording, with images and notifications',
};

export function streamImagesSection(result: StreamImagesResult | undefined, skipped: string | undefined): string[] {
  const title = '## 8. Stream images and notifications';
  if (result === undefined) return [title, '', `Not measured: ${skipped}`, ''];
  const lines = [title, '', result.method, '',
    ...synthTable(result.synth, 'N streams', 'stream'), '',
    ...requestTable(result.scenarios, 'request (one stream)'), ''];
  lines.push('| cameras | phase | custom resources | wall (s) | calls | calls per camera | throttled | failed | peak calls per second (quota) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const fleet of result.fleets) {
    for (const phase of fleet.phases) {
      const peaks = peaksWithQuotas(phase);
      lines.push(`| ${fleet.cameras}, ${FLEET_LABELS[fleet.camera]} | ${phase.phase} | ${phase.resources} | ${(phase.wallMs / 1000).toFixed(1)} | ` +
        `${phase.calls} | ${(phase.calls / fleet.cameras).toFixed(2)} | ${phase.throttled} | ${phase.failures.length} | ${peaks} |`);
    }
  }
  lines.push('');
  return lines;
}

/** The fleet with images: it deploys, changes and deletes inside the quotas. */
export function streamImagesTargets(result: StreamImagesResult | undefined): TargetVerdict[] {
  const target = `a fleet of ${FLEET_CAMERAS} recording cameras with images, every phase: 0 failed, 0 throttled, every operation within its account quota`;
  const fleet = result?.fleets.find(run => run.camera === 'recordingWithImages');
  if (fleet === undefined) return [{ target, measured: 'not measured', met: false, why: 'the stream images benchmark did not run (see section 8)' }];
  const failed = fleet.phases.reduce((total, phase) => total + phase.failures.length, 0);
  const throttled = fleet.phases.reduce((total, phase) => total + phase.throttled, 0);
  const overQuota = fleet.phases.flatMap(phase => peaksOverQuota(phase)
    .map(({ operation, peak }) => `${operation} ${peak}/s (${phase.phase})`));
  const met = failed === 0 && throttled === 0 && overQuota.length === 0;
  return [{
    target,
    measured: `${failed} failed, ${throttled} throttled, ${overQuota.length === 0 ? 'all within' : overQuota.join('; ')}`,
    met,
    why: met ? undefined : [
      ...fleet.phases.flatMap(phase => phase.failures).slice(0, 3),
      ...fleet.phases.filter(phase => phase.throttled > 0).map(phase => `${phase.phase}: ${phase.throttled} calls throttled`),
      ...overQuota.map(over => `over its quota: ${over}`),
    ].join('; '),
  }];
}
