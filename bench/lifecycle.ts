/**
 * Lifecycle latency: create, TTL update, tag update, replacement and delete of one channel, each a
 * CloudFormation event run by the bundled handler on the Lambda runtime's Node.js, against a Kinesis Video
 * double that simulates the service: a fixed latency on every call and CREATING/UPDATING/DELETING that last
 * a second or two. For each: the API calls made, the time from the event to the response, and how long
 * after the channel turned ACTIVE (or was gone) the response came.
 */
import { callsByOperation, describeFailure, HandlerBench, TimedInvocation } from './handler-run';
import { median } from './synth';
import { ChannelProperty } from '../src/handler-shared/handler-contract';
import type { Exchange } from '../test/support/custom-resource-under-test';
import type { RecordedCall } from '../test/support/kinesis-video-double';
import type { TransitionDurations } from '../test/support/kinesis-video-state';
import type { KinesisVideoOperation } from '../test/support/kinesis-video-wire';
import { lambdaRuntimeNode } from '../test/support/lambda-process';

/** The simulated service. */
export const LATENCY_MS = 20;
export const TRANSITIONS: TransitionDurations = { creatingMs: 1_500, updatingMs: 1_000, deletingMs: 1_500 };
/** Each scenario runs this many times (one channel's whole life per round). */
const ROUNDS = 5;

type ScenarioName = 'create' | 'TTL update' | 'tag update' | 'replacement' | 'replacement: cleanup delete' | 'delete';

/** What the service does in a scenario: the call that starts its transition, and how long that lasts. */
const TRANSITION_OF: Record<ScenarioName, { call?: KinesisVideoOperation; ms: number; waitsForActive: boolean }> = {
  'create': { call: 'CreateSignalingChannel', ms: TRANSITIONS.creatingMs, waitsForActive: true },
  'TTL update': { call: 'UpdateSignalingChannel', ms: TRANSITIONS.updatingMs, waitsForActive: true },
  'tag update': { ms: 0, waitsForActive: false },
  'replacement': { call: 'CreateSignalingChannel', ms: TRANSITIONS.creatingMs, waitsForActive: true },
  'replacement: cleanup delete': { call: 'DeleteSignalingChannel', ms: TRANSITIONS.deletingMs, waitsForActive: false },
  'delete': { call: 'DeleteSignalingChannel', ms: TRANSITIONS.deletingMs, waitsForActive: false },
};

export interface LifecycleScenario {
  readonly name: ScenarioName;
  /** Kinesis Video calls per event, median over the rounds (and the range). */
  readonly apiCalls: number;
  readonly apiCallsRange: [number, number];
  /** Per operation, from the median round by response time. */
  readonly callsByOperation: Record<string, number>;
  /** Event to response, median and worst over the rounds. */
  readonly responseMs: number;
  readonly responseMaxMs: number;
  /** The service's own transition: CREATING, UPDATING or DELETING (0 for a tag update). */
  readonly transitionMs: number;
  /** Whether the handler waits for ACTIVE (create, TTL update, replacement) rather than for the channel to go. */
  readonly waitsForActive: boolean;
  /** From the channel turning ACTIVE (or being gone) to the response, median and worst over the rounds. */
  readonly afterTransitionMs: number;
  readonly afterTransitionMaxMs: number;
  /** Median interval between the handler's DescribeSignalingChannel calls while it waits. */
  readonly describeIntervalMs?: number;
  /** Medians of the two parts of the time after the transition (see Sample). */
  readonly noticedMs?: number;
  readonly answeredMs?: number;
  /** What makes up the time after the transition, from the measurements. */
  readonly afterTransitionWhy: string;
}

export interface LifecycleResult {
  readonly method: string;
  readonly rounds: number;
  readonly scenarios: LifecycleScenario[];
}

interface Sample {
  readonly timed: TimedInvocation;
  readonly responseMs: number;
  readonly afterTransitionMs: number;
  /** Of which: until a DescribeSignalingChannel served after the transition's end saw it. */
  readonly noticedMs?: number;
  /** And from that Describe being served to the response: its answer, building the response, the HTTPS PUT. */
  readonly answeredMs?: number;
}

export async function measureLifecycle(): Promise<LifecycleResult> {
  const runtime = await lambdaRuntimeNode();
  const bench = await HandlerBench.start({ latencyMs: LATENCY_MS, transitions: TRANSITIONS });
  const samples = new Map<ScenarioName, Sample[]>();
  const record = (name: ScenarioName, exchange: Exchange<TimedInvocation>) => {
    const { invocation: timed, response } = exchange;
    if (response?.Status !== 'SUCCESS' || timed.respondedAt === undefined) {
      throw new Error(describeFailure(name, timed, response?.Status, response?.Reason));
    }
    samples.set(name, [...(samples.get(name) ?? []), sampleOf(name, timed)]);
  };

  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const resource = bench.resource('Channel', runtime);
      const created = {
        [ChannelProperty.CHANNEL_NAME]: `bench-lifecycle-${round}-a`,
        [ChannelProperty.CHANNEL_TYPE]: 'SINGLE_MASTER',
        [ChannelProperty.MESSAGE_TTL_SECONDS]: 60,
        [ChannelProperty.TAGS]: [{ Key: 'app', Value: 'bench' }],
      };
      record('create', (await resource.create(created)).first);
      const ttlUpdated = { ...created, [ChannelProperty.MESSAGE_TTL_SECONDS]: 30 };
      record('TTL update', (await resource.update(ttlUpdated)).first);
      const tagUpdated = { ...ttlUpdated, [ChannelProperty.TAGS]: [{ Key: 'app', Value: 'bench' }, { Key: 'team', Value: 'video' }] };
      record('tag update', (await resource.update(tagUpdated)).first);
      // A new name replaces the channel (the only type is SINGLE_MASTER); CloudFormation then deletes the old one.
      const replaced = await resource.update({ ...tagUpdated, [ChannelProperty.CHANNEL_NAME]: `bench-lifecycle-${round}-b` });
      record('replacement', replaced.exchanges[0]);
      record('replacement: cleanup delete', replaced.exchanges[1]);
      record('delete', (await resource.delete()).first);
    }
    const problems = bench.cfn.problems();
    if (problems.length > 0) throw new Error(`the handler broke the response protocol: ${problems.join('; ')}`);
  } finally {
    await bench.stop();
  }

  return {
    method: `Each request is one CloudFormation event, run by the bundled handler in a fresh Node.js process (${runtime.label}; ` +
      'one invocation per process, so every event includes a cold start, see section 3), against the Kinesis Video double with ' +
      `${LATENCY_MS} ms added to every call and CREATING ${TRANSITIONS.creatingMs} ms, UPDATING ${TRANSITIONS.updatingMs} ms, ` +
      `DELETING ${TRANSITIONS.deletingMs} ms. ${ROUNDS} rounds of one channel's life (create, TTL update, tag update, replacement ` +
      'by a new name with CloudFormation\'s cleanup delete of the old channel, delete); median over the rounds, worst in brackets. ' +
      'Event to response: from spawning the process to the CloudFormation double receiving the response PUT. Excess: event to ' +
      'response minus the transition. After ACTIVE / gone: from the end of the transition (the double\'s transition starts when ' +
      'it serves the call, i.e. the call\'s arrival plus the latency) to the response, split into the time until a ' +
      'DescribeSignalingChannel served after that end sees the new status, and from then to the response.',
    rounds: ROUNDS,
    scenarios: [...samples].map(([name, runs]) => summarize(name, runs)),
  };
}

function sampleOf(name: ScenarioName, timed: TimedInvocation): Sample {
  const responseMs = timed.respondedAt! - timed.eventAt;
  const transition = TRANSITION_OF[name];
  if (transition.call === undefined) {
    return { timed, responseMs, afterTransitionMs: responseMs };
  }
  const call = timed.calls.find(candidate => candidate.operation === transition.call && candidate.httpStatus === 200);
  if (call === undefined) throw new Error(`${name}: the handler made no successful ${transition.call} call`);
  // The double serves a call (and starts or ends a transition) after its latency.
  const servedAt = (recorded: RecordedCall) => recorded.receivedAt + LATENCY_MS;
  const transitionEnd = servedAt(call) + transition.ms;
  const sawIt = timed.calls.find(candidate => candidate.operation === 'DescribeSignalingChannel' && servedAt(candidate) >= transitionEnd);
  return {
    timed,
    responseMs,
    afterTransitionMs: timed.respondedAt! - transitionEnd,
    noticedMs: sawIt && servedAt(sawIt) - transitionEnd,
    answeredMs: sawIt && timed.respondedAt! - servedAt(sawIt),
  };
}

function summarize(name: ScenarioName, runs: Sample[]): LifecycleScenario {
  const transition = TRANSITION_OF[name];
  const calls = runs.map(run => run.timed.calls.length);
  const middle = [...runs].sort((a, b) => a.responseMs - b.responseMs)[Math.floor(runs.length / 2)];
  const intervals = runs.flatMap(run => describeIntervals(run.timed.calls));
  const describeIntervalMs = intervals.length > 0 ? median(intervals) : undefined;
  const afterTransitionMs = median(runs.map(run => run.afterTransitionMs));
  const noticed = runs.flatMap(run => (run.noticedMs === undefined ? [] : [run.noticedMs]));
  const answered = runs.flatMap(run => (run.answeredMs === undefined ? [] : [run.answeredMs]));
  const noticedMs = noticed.length > 0 ? median(noticed) : undefined;
  const answeredMs = answered.length > 0 ? median(answered) : undefined;
  return {
    name,
    apiCalls: median(calls),
    apiCallsRange: [Math.min(...calls), Math.max(...calls)],
    callsByOperation: callsByOperation(middle.timed),
    responseMs: median(runs.map(run => run.responseMs)),
    responseMaxMs: Math.max(...runs.map(run => run.responseMs)),
    transitionMs: transition.ms,
    waitsForActive: transition.waitsForActive,
    afterTransitionMs,
    afterTransitionMaxMs: Math.max(...runs.map(run => run.afterTransitionMs)),
    describeIntervalMs,
    noticedMs,
    answeredMs,
    afterTransitionWhy: describeIntervalMs === undefined || noticed.length === 0
      ? 'no polling'
      : `the handler polls DescribeSignalingChannel every ${describeIntervalMs.toFixed(0)} ms (median interval), so a Describe ` +
        `first sees the new status ${noticedMs!.toFixed(0)} ms (median; ${Math.max(...noticed).toFixed(0)} worst) after it, up to ` +
        `one interval; from the double serving that Describe to the response takes ${answeredMs!.toFixed(0)} ms (median: ` +
        'the answer reaching the handler, then the HTTPS PUT to CloudFormation)',
  };
}

/** Gaps between consecutive DescribeSignalingChannel calls of one event. */
function describeIntervals(calls: RecordedCall[]): number[] {
  const describes = calls.filter(call => call.operation === 'DescribeSignalingChannel').map(call => call.receivedAt);
  return describes.slice(1).map((at, i) => at - describes[i]);
}
