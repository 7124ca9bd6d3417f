/**
 * A stack of many channels deployed at once, as CloudFormation deploys it: every channel's Create together,
 * every channel's Update together after a `Tags.of` change, every Delete together. The bundled handler runs
 * in a `LambdaFleet`, against a Kinesis Video double that enforces the service's quotas, and each phase is
 * measured: wall time, calls by operation, throttled calls, the peak calls per second of each operation, the
 * calls each channel cost, and the resources that failed. The end-to-end fleet test asserts on it; the
 * benchmark (bench/fleet.ts) reports it.
 *
 * Every event goes through Lambda's asynchronous queue (lambda-async-queue.ts). By default it is unlimited
 * and never retries: every event runs at once, once, as in an account with concurrency to spare (and a
 * handler error shows as a failure, not as minutes of retries). With `concurrency`, the deployment plays an
 * account whose Lambda concurrency is that low: events wait their turn, with the event age and retries the
 * template's EventInvokeConfig sets for the function; each phase then also reports the longest wait, the
 * events dropped unrun, and the latest answer counted from the event's signing (CloudFormation's clock).
 */
import * as fs from 'fs';
import { Duration, Stack, Tags } from 'aws-cdk-lib';
import { CloudFormationDouble, CustomResourceEvent } from './cloudformation-double';
import { CustomResourceUnderTest, StackOperation } from './custom-resource-under-test';
import { KinesisVideoDouble, RecordedCall } from './kinesis-video-double';
import { peakCallsPerSecond, SERVICE_QUOTAS } from './kinesis-video-quotas';
import { KinesisVideoOperation } from './kinesis-video-wire';
import { AsyncDelivery, asyncInvokeSettings, LambdaAsyncQueue } from './lambda-async-queue';
import { FleetInvocation, LambdaFleet } from './lambda-fleet';
import { NodeRuntime } from './lambda-process';
import { runOnDoubles, synthesizeStack, SynthesizedStack } from './synthesized-stack';
import { SignalingChannel } from '../../src';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';

const ENV = { account: '123456789012', region: 'us-east-1' };
const FLEET_STACK_NAME = 'CameraFleet';

/**
 * The versions of the fleet's app, deployed in this order: `retagged` adds a tag with `Tags.of(stack)`, and
 * `oneTtlChanged` is `retagged` with one channel's TTL changed.
 */
export type FleetVersion = 'initial' | 'retagged' | 'oneTtlChanged';

/** The channel whose TTL `oneTtlChanged` changes. */
const LONE_CHANNEL_ID = 'Camera0';

function declareFleet(stack: Stack, channels: number, version: FleetVersion): void {
  for (let i = 0; i < channels; i++) {
    const ttl = version === 'oneTtlChanged' && `Camera${i}` === LONE_CHANNEL_ID ? 45 : 30;
    new SignalingChannel(stack, `Camera${i}`, { messageTtl: Duration.seconds(ttl) });
  }
  Tags.of(stack).add('fleet', 'cameras');
  if (version !== 'initial') {
    // A Tags.of change: every channel's Tags change in one deployment.
    Tags.of(stack).add('firmware', '2.1');
  }
}

export interface FleetOptions {
  readonly channels: number;
  readonly runtime: NodeRuntime;
  /** How long each CREATING, UPDATING and DELETING lasts in the double. */
  readonly transitionMs: number;
  /** Added to every Kinesis Video call. @default 0 */
  readonly latencyMs?: number;
  /**
   * The function's concurrency (reserved, or what the account leaves it): at most this many invocations run
   * at once, the other events wait in Lambda's queue, with the template's event age and retries.
   * @default - unlimited: every event is invoked at once, and once (no retry)
   */
  readonly concurrency?: number;
  /**
   * Each invocation starts up to this much later than CloudFormation sent its event (uniformly at random), as
   * Lambda's invocations of one deployment do (cold starts, the asynchronous queue's own latency).
   * @default 0
   */
  readonly startJitterMs?: number;
  /** Worker processes that run the stack's invocations (lambda-fleet.ts). @default 4 */
  readonly workers?: number;
  /** The stack's name. @default 'CameraFleet' */
  readonly stackName?: string;
  /**
   * The doubles of the account, when several stacks deploy into it at once (`StacksDeployedTogether`); they
   * are then the caller's to stop. @default - doubles of its own
   */
  readonly doubles?: { readonly kvs: KinesisVideoDouble; readonly cfn: CloudFormationDouble };
}

/** What CloudFormation's invocation of the function came to: the event's way through Lambda's queue. */
export type FleetDelivery = AsyncDelivery<CustomResourceEvent, FleetInvocation>;

/** What one phase of the deployment did. */
export interface PhaseResult {
  readonly phase: string;
  readonly channels: number;
  /** From the first event to the last response. */
  readonly wallMs: number;
  /** Logical IDs whose request did not answer SUCCESS, with the Reason. */
  readonly failures: string[];
  readonly calls: number;
  readonly callsByOperation: Partial<Record<KinesisVideoOperation, number>>;
  /** Calls the double answered ClientLimitExceededException for a quota. */
  readonly throttled: number;
  /** The most calls of each operation sent within any 1,000 ms (throttled ones included). */
  readonly peakPerSecond: Partial<Record<KinesisVideoOperation, number>>;
  /** Calls per channel: the most any channel cost, and the mean. */
  readonly maxCallsPerChannel: number;
  readonly meanCallsPerChannel: number;
  /** The longest an event of the phase waited in Lambda's queue before its first run. */
  readonly maxQueueWaitMs: number;
  /** Events of the phase Lambda dropped unrun, older than the maximum event age at their turn. */
  readonly expired: number;
  /** The most invocations that ran at once during the phase. */
  readonly peakConcurrency: number;
  /**
   * The latest a request of the phase was answered (its first response received), counted from the signing
   * of its event: what CloudFormation's ServiceTimeout is measured against. Requests never answered are in
   * `failures`.
   */
  readonly slowestAnswerMs: number;
}

export class FleetDeployment {
  public static async start(options: FleetOptions): Promise<FleetDeployment> {
    const stackName = options.stackName ?? FLEET_STACK_NAME;
    const versions = Object.fromEntries((['initial', 'retagged', 'oneTtlChanged'] as FleetVersion[]).map(version => [
      version,
      synthesizeStack(stackName, { env: ENV }, stack => declareFleet(stack, options.channels, version)),
    ])) as Record<FleetVersion, SynthesizedStack>;
    const { kvs, cfn } = options.doubles ?? await startDoubles(options);
    const fn = versions.initial.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const fleet = await LambdaFleet.start(runOnDoubles(fn, options.runtime, { kvs, cfn }), options.workers);
    const queue = new LambdaAsyncQueue<CustomResourceEvent, FleetInvocation>(event => fleet.invoke(event), options.concurrency === undefined
      ? { maxRetryAttempts: 0 }
      : { concurrency: options.concurrency, ...asyncInvokeSettings(versions.initial, fn) });
    return new FleetDeployment(versions, kvs, cfn, fleet, queue, options.startJitterMs ?? 0, stackName, options.doubles === undefined);
  }

  public readonly resources: Record<string, CustomResourceUnderTest<FleetDelivery>>;

  private constructor(
    public readonly versions: Record<FleetVersion, SynthesizedStack>,
    public readonly kvs: KinesisVideoDouble,
    public readonly cfn: CloudFormationDouble,
    public readonly fleet: LambdaFleet,
    /** Lambda's queue of the function's events: every invocation goes through it. */
    public readonly queue: LambdaAsyncQueue<CustomResourceEvent, FleetInvocation>,
    startJitterMs: number,
    stackName: string,
    private readonly ownsDoubles: boolean,
  ) {
    const startLate = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const fn = versions.initial.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    this.resources = Object.fromEntries(Object.keys(versions.initial.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE)).map(logicalId => [
      logicalId,
      cfn.customResource({
        stackName,
        logicalResourceId: logicalId,
        resourceType: SIGNALING_CHANNEL_RESOURCE_TYPE,
        serviceToken: fn.arn,
        invoke: async event => {
          if (startJitterMs > 0) await startLate(Math.random() * startJitterMs);
          return queue.invoke(event);
        },
      }),
    ]));
  }

  /** The logical ID of the channel whose TTL `oneTtlChanged` changes. */
  public get loneChannelLogicalId(): string {
    return Object.keys(this.resources).find(id => id.startsWith(LONE_CHANNEL_ID) && /^[0-9A-F]{8}$/.test(id.slice(LONE_CHANNEL_ID.length)))!;
  }

  /** Stack create: every channel at once. */
  public create(): Promise<PhaseResult> {
    const properties = this.versions.initial.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE);
    return this.phase('create', Object.keys(this.resources), id => this.resources[id].create(properties[id]));
  }

  /** Stack update to `version`: CloudFormation updates only the channels whose properties changed. */
  public update(version: FleetVersion): Promise<PhaseResult> {
    const properties = this.versions[version].customResources(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const changed = Object.keys(this.resources)
      .filter(id => JSON.stringify(properties[id]) !== JSON.stringify(this.resources[id].properties));
    return this.phase(`update to ${version}`, changed, id => this.resources[id].update(properties[id]));
  }

  /** Stack delete: every channel at once. */
  public delete(): Promise<PhaseResult> {
    return this.phase('delete', Object.keys(this.resources), id => this.resources[id].delete());
  }

  public async stop(): Promise<void> {
    await Promise.all([this.fleet.stop(), ...this.ownsDoubles ? [this.kvs.stop(), this.cfn.stop()] : []]);
    for (const stack of Object.values(this.versions)) fs.rmSync(stack.outdir, { recursive: true, force: true });
  }

  private async phase(
    phase: string,
    logicalIds: string[],
    run: (logicalId: string) => Promise<StackOperation<FleetDelivery>>,
  ): Promise<PhaseResult> {
    const callsBefore = this.kvs.calls.length;
    const deliveriesBefore = this.queue.deliveries.length;
    this.queue.resetPeak();
    const startedAt = Date.now();
    const outcomes = await Promise.all(logicalIds.map(async id => ({ id, operation: await run(id) })));
    const wallMs = Date.now() - startedAt;
    const calls = this.kvs.calls.slice(callsBefore);
    const deliveries = this.queue.deliveries.slice(deliveriesBefore);
    const answerTimes = outcomes.flatMap(({ operation }) => operation.exchanges).flatMap(({ event }) => {
      const first = this.cfn.responsesTo(event.RequestId).find(response => response.requestType === event.RequestType);
      return first?.signedAt === undefined ? [] : [first.receivedAt - first.signedAt];
    });
    return {
      phase,
      channels: logicalIds.length,
      wallMs,
      failures: outcomes.filter(({ operation }) => !operation.succeeded).map(({ id, operation }) => {
        const { response, invocation } = operation.first;
        const why = response?.Status ?? (invocation.outcome === 'expired' ? 'dropped from Lambda\'s queue, too old' : 'no answer');
        return `${id}: ${why} ${response?.Reason ?? ''}`;
      }),
      ...callFigures(calls, logicalIds.length),
      maxQueueWaitMs: Math.max(0, ...deliveries.map(delivery => delivery.waitedMs)),
      expired: deliveries.filter(delivery => delivery.outcome === 'expired').length,
      peakConcurrency: this.queue.peakRunning,
      slowestAnswerMs: Math.max(0, ...answerTimes),
    };
  }
}

/**
 * Several stacks of the same code (the same logical IDs, so the same slot table) deployed at once into one
 * account and region, as a pipeline wave or `cdk deploy --all --concurrency N` deploys per-site stacks:
 * each phase runs in every stack together, and is measured over the account (the one Kinesis Video double).
 */
export class StacksDeployedTogether {
  public static async start(stacks: number, options: Omit<FleetOptions, 'stackName' | 'doubles'>): Promise<StacksDeployedTogether> {
    const doubles = await startDoubles(options);
    const deployments: FleetDeployment[] = [];
    try {
      for (let k = 0; k < stacks; k++) {
        // The 4 worker processes of one stack, shared out: a 2-core machine that ran 4 per stack would measure
        // its own contention (late timers, calls that bunch), not the handler.
        const workers = Math.max(1, Math.round(4 / stacks));
        deployments.push(await FleetDeployment.start({ ...options, stackName: `${FLEET_STACK_NAME}Site${k}`, doubles, workers }));
      }
    } catch (error) {
      await Promise.all([...deployments.map(deployment => deployment.stop()), doubles.kvs.stop(), doubles.cfn.stop()]);
      throw error;
    }
    return new StacksDeployedTogether(deployments, doubles.kvs, doubles.cfn);
  }

  private constructor(
    public readonly stacks: FleetDeployment[],
    public readonly kvs: KinesisVideoDouble,
    public readonly cfn: CloudFormationDouble,
  ) {}

  public create(): Promise<PhaseResult> {
    return this.phase(deployment => deployment.create());
  }

  public update(version: FleetVersion): Promise<PhaseResult> {
    return this.phase(deployment => deployment.update(version));
  }

  public delete(): Promise<PhaseResult> {
    return this.phase(deployment => deployment.delete());
  }

  public async stop(): Promise<void> {
    await Promise.all([...this.stacks.map(deployment => deployment.stop()), this.kvs.stop(), this.cfn.stop()]);
  }

  private async phase(run: (deployment: FleetDeployment) => Promise<PhaseResult>): Promise<PhaseResult> {
    const callsBefore = this.kvs.calls.length;
    const startedAt = Date.now();
    const results = await Promise.all(this.stacks.map(run));
    const wallMs = Date.now() - startedAt;
    const channels = results.reduce((total, result) => total + result.channels, 0);
    return {
      phase: results[0].phase,
      channels,
      wallMs,
      failures: results.flatMap((result, k) => result.failures.map(failure => `stack ${k}: ${failure}`)),
      // Measured over the account: every stack's calls together.
      ...callFigures(this.kvs.calls.slice(callsBefore), channels),
      maxQueueWaitMs: Math.max(...results.map(result => result.maxQueueWaitMs)),
      expired: results.reduce((total, result) => total + result.expired, 0),
      peakConcurrency: results.reduce((total, result) => total + result.peakConcurrency, 0),
      slowestAnswerMs: Math.max(...results.map(result => result.slowestAnswerMs)),
    };
  }
}

async function startDoubles(options: Pick<FleetOptions, 'transitionMs' | 'latencyMs'>) {
  const transitions = { creatingMs: options.transitionMs, updatingMs: options.transitionMs, deletingMs: options.transitionMs };
  const [kvs, cfn] = await Promise.all([
    KinesisVideoDouble.start({ transitions, latencyMs: options.latencyMs }),
    CloudFormationDouble.start(),
  ]);
  return { kvs, cfn };
}

/** The call figures of a phase, from the calls the double received during it. */
function callFigures(calls: readonly RecordedCall[], channels: number) {
  const operations = [...new Set(calls.map(call => call.operation))].filter((op): op is KinesisVideoOperation => op in SERVICE_QUOTAS);
  const perChannel = new Map<string, number>();
  for (const call of calls) {
    const name = String(call.input.ChannelName ?? String(call.input.ChannelARN ?? call.input.ResourceARN ?? '').split('/')[1]);
    perChannel.set(name, (perChannel.get(name) ?? 0) + 1);
  }
  return {
    calls: calls.length,
    callsByOperation: Object.fromEntries(operations.map(op => [op, calls.filter(call => call.operation === op).length])),
    throttled: calls.filter(call => call.throttledBy !== undefined).length,
    peakPerSecond: Object.fromEntries(operations.map(op => [op, peakCallsPerSecond(calls.filter(call => call.operation === op))])),
    maxCallsPerChannel: Math.max(0, ...perChannel.values()),
    meanCallsPerChannel: channels === 0 ? 0 : calls.length / channels,
  };
}
