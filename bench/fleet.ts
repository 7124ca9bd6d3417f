/**
 * The fleet benchmark: a stack of N channels created, re-tagged (a `Tags.of` change) and deleted by
 * CloudFormation all at once, and one channel's TTL updated alone in a stack of N_max, through the bundled
 * handler against the quota-enforcing Kinesis Video double (test/support/fleet-deployment.ts).
 */
import type { TargetVerdict } from './targets';
import { slotOf } from '../src/handler-shared/channel-slots';
import { ProviderEnvironment, SIGNALING_CHANNEL_RESOURCE_TYPE } from '../src/handler-shared/handler-contract';
import { FleetDeployment, PhaseResult, StacksDeployedTogether } from '../test/support/fleet-deployment';
import { SERVICE_QUOTAS } from '../test/support/kinesis-video-quotas';
import { KinesisVideoOperation } from '../test/support/kinesis-video-wire';
import { lambdaRuntimeNode } from '../test/support/lambda-process';

/** The service's transitions, and the latency of every call, in the double. */
export const TRANSITION_MS = 1_500;
const LATENCY_MS = 20;
/** Each invocation starts up to this much after its event, as Lambda's cold starts and queue spread them. */
export const START_JITTER_MS = 1_000;
/** What the quotas allow a stack to reach: the 50-a-second create, update, delete and tag quotas. */
const IDEAL_CALLS_PER_SECOND = 50;
/** Targets. */
const DESCRIBE_PEAK_TARGET = 100;
const CALLS_PER_CHANNEL_TARGET = 4;
const WALL_RATIO_TARGET = 1.5;
const LONE_AFTER_ACTIVE_TARGET_MS = 1_000;
/** Several stacks of the same code deployed at once: how many, of how many channels each, and the targets. */
const TOGETHER_STACKS = [2, 4];
const TOGETHER_N = 250;
const TOGETHER_PEAK_OVER_QUOTA_TARGET = 1.5;
const TOGETHER_THROTTLED_SHARE_TARGET = 0.1;

interface MeasuredPhase extends PhaseResult {
  /** N / 50 s, plus the transition for a phase that has one. */
  readonly idealMs: number;
}

interface LoneUpdate {
  readonly n: number;
  /** The channel's slot among the stack's channels: its requests wait this many slots before calling. */
  readonly slotIndex: number;
  readonly eventToFirstCallMs: number;
  readonly eventToResponseMs: number;
  /** From the end of the UPDATING transition (in the double) to the response PUT. */
  readonly afterActiveMs: number;
  readonly calls: number;
}

export interface FleetResult {
  readonly method: string;
  readonly stacks: Array<{ readonly n: number; readonly phases: MeasuredPhase[] }>;
  readonly lone: LoneUpdate;
  /** K stacks of the same code, N channels each, deployed at once into one account. */
  readonly together: Array<{ readonly k: number; readonly n: number; readonly phases: MeasuredPhase[] }>;
}

export async function measureFleet(sizes: number[], progress: (message: string) => void): Promise<FleetResult> {
  const runtime = await lambdaRuntimeNode();
  const stacks: FleetResult['stacks'] = [];
  let lone: LoneUpdate | undefined;
  for (const n of sizes) {
    const deployment = await FleetDeployment.start({
      cameras: n, runtime, transitionMs: TRANSITION_MS, latencyMs: LATENCY_MS, startJitterMs: START_JITTER_MS,
    });
    try {
      const phases: MeasuredPhase[] = [];
      const measure = async (result: Promise<PhaseResult>, transitionMs: number) => {
        const phase = { ...await result, idealMs: n * 1000 / IDEAL_CALLS_PER_SECOND + transitionMs };
        progress(`fleet N=${n} ${phase.phase}: ${phase.wallMs} ms, ${phase.calls} calls, ${phase.throttled} throttled, ${phase.failures.length} failed`);
        phases.push(phase);
      };
      await measure(deployment.create(), TRANSITION_MS);
      await measure(deployment.update('retagged'), 0);
      if (n === Math.max(...sizes)) {
        lone = await measureLoneUpdate(deployment);
        progress(`fleet N=${n} lone TTL update: ${lone.afterActiveMs} ms after ACTIVE, ${lone.eventToResponseMs} ms in all`);
      }
      await measure(deployment.delete(), TRANSITION_MS);
      stacks.push({ n, phases });
    } finally {
      await deployment.stop();
    }
  }
  const together: FleetResult['together'] = [];
  for (const k of TOGETHER_STACKS) {
    const deployment = await StacksDeployedTogether.start(k, {
      cameras: TOGETHER_N, runtime, transitionMs: TRANSITION_MS, latencyMs: LATENCY_MS, startJitterMs: START_JITTER_MS,
    });
    try {
      const phases: MeasuredPhase[] = [];
      for (const [run, transitionMs] of [[() => deployment.create(), TRANSITION_MS], [() => deployment.update('retagged'), 0],
        [() => deployment.delete(), TRANSITION_MS]] as Array<[() => Promise<PhaseResult>, number]>) {
        const phase = { ...await run(), idealMs: k * TOGETHER_N * 1000 / IDEAL_CALLS_PER_SECOND + transitionMs };
        progress(`fleet K=${k}×${TOGETHER_N} ${phase.phase}: ${phase.wallMs} ms, ${phase.calls} calls, ${phase.throttled} throttled, ${phase.failures.length} failed`);
        phases.push(phase);
      }
      together.push({ k, n: TOGETHER_N, phases });
    } finally {
      await deployment.stop();
    }
  }
  return {
    together,
    method: 'A stack of N channels (generated names, a 30 s TTL, one tag from `Tags.of(stack)`) synthesized for real; every ' +
      'channel\'s event of a phase delivered at once, as CloudFormation starts independent resources together, each ' +
      `invocation starting up to ${START_JITTER_MS} ms later (uniformly at random), as Lambda's cold starts spread them. The bundled ` +
      `handler runs on ${runtime.label} in 4 worker processes that each run many invocations at once ` +
      '(test/support/lambda-fleet.ts), with the function\'s environment from the template. The Kinesis Video double enforces ' +
      `the service's quotas per account and per channel (calls accepted in any 1,000 ms), adds ${LATENCY_MS} ms to every call, ` +
      `and its CREATING, UPDATING and DELETING last ${TRANSITION_MS} ms. Tag change: \`Tags.of(stack).add('firmware', '2.1')\`, ` +
      'which changes every channel. Ideal: N / 50 s (the 50-a-second quotas of the operations every channel calls once), plus ' +
      'the transition for the phases that have one. Peaks: the most calls of an operation sent within any 1,000 ms, throttled ' +
      'ones included, against the account\'s quota.',
    stacks,
    lone: lone!,
  };
}

async function measureLoneUpdate(deployment: FleetDeployment): Promise<LoneUpdate> {
  const logicalId = deployment.loneChannelLogicalId;
  const callsBefore = deployment.kvs.calls.length;
  const eventAt = Date.now();
  const phase = await deployment.update('oneTtlChanged');
  if (phase.resources !== 1 || phase.failures.length > 0) {
    throw new Error(`the lone TTL update changed ${phase.resources} channels, ${phase.failures.length} failed: ${phase.failures.join('; ')}`);
  }
  const calls = deployment.kvs.calls.slice(callsBefore);
  const update = calls.find(call => call.operation === 'UpdateSignalingChannel' && call.httpStatus === 200)!;
  const requestId = deployment.resources[logicalId].history.at(-1)!.event.RequestId;
  const respondedAt = deployment.cfn.responsesTo(requestId)[0].receivedAt;
  const activeAt = update.receivedAt + LATENCY_MS + TRANSITION_MS;
  const slotTable = deployment.versions.initial.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE).environment[ProviderEnvironment.CHANNEL_SLOTS];
  return {
    n: Object.keys(deployment.resources).length,
    slotIndex: slotOf(slotTable, logicalId).index,
    eventToFirstCallMs: calls[0].receivedAt - eventAt,
    eventToResponseMs: respondedAt - eventAt,
    afterActiveMs: respondedAt - activeAt,
    calls: calls.length,
  };
}

export function fleetSection(fleet: FleetResult | undefined, skipped: string | undefined): string[] {
  if (fleet === undefined) {
    return ['## 6. A fleet in one stack', '', `Not measured: ${skipped}`, ''];
  }
  const lines = [
    '## 6. A fleet in one stack',
    '',
    fleet.method,
    '',
    '| N | phase | wall (s) | ideal (s) | ×ideal | calls | calls per channel (max / mean) | throttled | failed | peak calls per second (quota) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { n, phases } of fleet.stacks) {
    for (const phase of phases) {
      const peaks = peaksWithQuotas(phase);
      lines.push(`| ${n} | ${phase.phase} | ${(phase.wallMs / 1000).toFixed(1)} | ${(phase.idealMs / 1000).toFixed(1)} | ` +
        `${(phase.wallMs / phase.idealMs).toFixed(2)} | ${phase.calls} | ${phase.maxCallsPerResource} / ${phase.meanCallsPerResource.toFixed(2)} | ` +
        `${phase.throttled} | ${phase.failures.length} | ${peaks} |`);
    }
  }
  const { lone } = fleet;
  lines.push('', `One channel's TTL changed alone in the stack of ${lone.n} (its slot: ${lone.slotIndex} of ${lone.n}): ` +
    `${lone.calls} calls; first call ${lone.eventToFirstCallMs} ms after the event (the wait for its slot); response ` +
    `${lone.eventToResponseMs} ms after the event, ${lone.afterActiveMs} ms after the channel was ACTIVE again.`, '');
  lines.push(
    '### Several stacks of the same code at once',
    '',
    'K stacks (`CameraFleetSite0`...), each of N channels with the same logical IDs (so the same slots), every phase ' +
    'started in all of them together, against one double (one account). Ideal: K·N / 50 s, plus the transition. Peaks ' +
    'count every call sent, throttled ones included. Throttled: the share of all calls the double answered ' +
    'ClientLimitExceededException.',
    '',
    '| K × N | phase | wall (s) | ideal (s) | ×ideal | calls | throttled (share) | failed | peak calls per second (quota) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const { k, n, phases } of fleet.together) {
    for (const phase of phases) {
      const peaks = peaksWithQuotas(phase);
      lines.push(`| ${k} × ${n} | ${phase.phase} | ${(phase.wallMs / 1000).toFixed(1)} | ${(phase.idealMs / 1000).toFixed(1)} | ` +
        `${(phase.wallMs / phase.idealMs).toFixed(2)} | ${phase.calls} | ${phase.throttled} (${(100 * phase.throttled / phase.calls).toFixed(0)}%) | ` +
        `${phase.failures.length} | ${peaks} |`);
    }
  }
  lines.push('');
  return lines;
}

/** A phase's peak calls per second of each operation, with its account quota: "CreateSignalingChannel 41 (50), ...". */
export function peaksWithQuotas(phase: Pick<PhaseResult, 'peakPerSecond'>): string {
  return Object.entries(phase.peakPerSecond)
    .map(([op, peak]) => `${op} ${peak} (${SERVICE_QUOTAS[op as KinesisVideoOperation].perAccount})`).join(', ');
}

/** The operations whose peak in a phase passed their account quota. */
export function peaksOverQuota(phase: Pick<PhaseResult, 'peakPerSecond'>): Array<{ operation: KinesisVideoOperation; peak: number }> {
  return Object.entries(phase.peakPerSecond)
    .map(([op, peak]) => ({ operation: op as KinesisVideoOperation, peak: peak! }))
    .filter(({ operation, peak }) => peak > SERVICE_QUOTAS[operation].perAccount);
}

export function fleetTargets(fleet: FleetResult | undefined): TargetVerdict[] {
  if (fleet === undefined) {
    return [{ target: 'fleet targets', measured: 'not measured', met: false, why: 'the fleet benchmark did not run (see section 6)' }];
  }
  const phases = fleet.stacks.flatMap(stack => stack.phases.map(phase => ({ n: stack.n, ...phase })));
  const nMax = Math.max(...fleet.stacks.map(stack => stack.n));
  const atNMax = phases.filter(phase => phase.n === nMax);
  const describePeak = Math.max(...phases.map(phase => phase.peakPerSecond.DescribeSignalingChannel ?? 0));
  const overQuota = phases.flatMap(phase => peaksOverQuota(phase)
    .filter(({ operation }) => operation !== 'DescribeSignalingChannel')
    .map(({ operation, peak }) => `${operation} ${peak}/s at N = ${phase.n}, ${phase.phase}`));
  const worstCalls = Math.max(...atNMax.map(phase => phase.maxCallsPerResource));
  const worstRatio = atNMax.reduce((a, b) => (b.wallMs / b.idealMs > a.wallMs / a.idealMs ? b : a));
  const failed = phases.reduce((total, phase) => total + phase.failures.length, 0);
  return [
    {
      target: `0 failed resources at N = ${fleet.stacks.map(stack => stack.n).join(' and ')}, every phase`,
      measured: `${failed} failed`,
      met: failed === 0,
      why: phases.flatMap(phase => phase.failures).slice(0, 3).join('; '),
    },
    {
      target: `peak DescribeSignalingChannel ≤ ${DESCRIBE_PEAK_TARGET}/s, all invocations together, at any N`,
      measured: `${describePeak}/s at most`,
      met: describePeak <= DESCRIBE_PEAK_TARGET,
      why: 'two Describes per request at 40 requests a second',
    },
    {
      target: 'every other operation at most its account quota',
      measured: overQuota.length === 0 ? 'all within' : overQuota.join('; '),
      met: overQuota.length === 0,
      why: 'the slots did not keep the requests apart',
    },
    {
      target: `calls per channel per phase at N_max ≤ ${CALLS_PER_CHANNEL_TARGET}`,
      measured: atNMax.map(phase => `${phase.phase} ${phase.maxCallsPerResource}`).join(', '),
      met: worstCalls <= CALLS_PER_CHANNEL_TARGET,
      why: 'a transition outlasted the looks planned for it',
    },
    {
      target: `wall time per phase at N_max ≤ ${WALL_RATIO_TARGET}× (N/50 s + transition)`,
      measured: atNMax.map(phase => `${phase.phase} ${(phase.wallMs / phase.idealMs).toFixed(2)}×`).join(', '),
      met: worstRatio.wallMs / worstRatio.idealMs <= WALL_RATIO_TARGET,
      why: `${worstRatio.phase}: ${(worstRatio.wallMs / 1000).toFixed(1)} s against ${(worstRatio.idealMs / 1000).toFixed(1)} s ideal`,
    },
    {
      target: `a lone TTL update in a stack of N_max: response ≤ ${LONE_AFTER_ACTIVE_TARGET_MS} ms after ACTIVE`,
      measured: `${fleet.lone.afterActiveMs} ms`,
      met: fleet.lone.afterActiveMs <= LONE_AFTER_ACTIVE_TARGET_MS,
      why: 'the look after the transition came late',
    },
    ...togetherTargets(fleet),
  ].map(verdict => (verdict.met ? { ...verdict, why: undefined } : verdict));
}

/** Issue 16's targets for K stacks of the same code deployed at once. */
function togetherTargets(fleet: FleetResult): TargetVerdict[] {
  const phases = fleet.together.flatMap(({ k, n, phases: measured }) => measured.map(phase => ({ k, n, ...phase })));
  const label = (phase: { k: number; n: number; phase: string }) => `K = ${phase.k}, ${phase.phase}`;
  const failed = phases.reduce((total, phase) => total + phase.failures.length, 0);
  const peakRatios = phases.flatMap(phase => Object.entries(phase.peakPerSecond).map(([op, peak]) => ({
    phase, op, ratio: peak! / SERVICE_QUOTAS[op as KinesisVideoOperation].perAccount,
  })));
  const worstPeak = peakRatios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const shares = phases.map(phase => ({ phase, share: phase.throttled / phase.calls }));
  const worstShare = shares.reduce((a, b) => (b.share > a.share ? b : a));
  const worstWall = phases.reduce((a, b) => (b.wallMs / b.idealMs > a.wallMs / a.idealMs ? b : a));
  const firstPass = (k: number) => `${k} stacks' first pass is ${k} × 40 calls a second, their slots falling on the same moments`;
  return [
    {
      target: `K = ${TOGETHER_STACKS.join(' and ')} stacks of ${TOGETHER_N}, every phase: 0 failed`,
      measured: `${failed} failed`,
      met: failed === 0,
      why: phases.flatMap(phase => phase.failures).slice(0, 3).join('; '),
    },
    {
      target: `K stacks at once: each operation's sent peak ≤ ${TOGETHER_PEAK_OVER_QUOTA_TARGET}× its account quota`,
      measured: `worst ${worstPeak.op} ${worstPeak.ratio.toFixed(2)}× (${label(worstPeak.phase)})`,
      met: worstPeak.ratio <= TOGETHER_PEAK_OVER_QUOTA_TARGET,
      why: `${firstPass(worstPeak.phase.k)}: a request cannot know of the other stacks before its first call (no coordinator), ` +
        'and a lone stack must keep its 40 a second; the retries come after that pass, at their own slots',
    },
    {
      target: `K stacks at once: throttled calls ≤ ${100 * TOGETHER_THROTTLED_SHARE_TARGET}% of calls`,
      measured: `worst ${(100 * worstShare.share).toFixed(0)}% (${label(worstShare.phase)})`,
      met: worstShare.share <= TOGETHER_THROTTLED_SHARE_TARGET,
      why: `${firstPass(worstShare.phase.k)}, of which the quota admits 50: the rest of that pass is throttled once, then retried at its slot in a later cycle`,
    },
    {
      target: `K stacks at once: wall ≤ ${WALL_RATIO_TARGET}× (K·N/50 s + transition)`,
      measured: `worst ${(worstWall.wallMs / worstWall.idealMs).toFixed(2)}× (${label(worstWall)})`,
      met: worstWall.wallMs / worstWall.idealMs <= WALL_RATIO_TARGET,
      why: `${(worstWall.wallMs / 1000).toFixed(1)} s against ${(worstWall.idealMs / 1000).toFixed(1)} s ideal`,
    },
  ];
}
