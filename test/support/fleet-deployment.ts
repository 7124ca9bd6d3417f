/**
 * A stack of many channels deployed at once, as CloudFormation deploys it: every channel's Create together,
 * every channel's Update together after a `Tags.of` change, every Delete together. The cameras are either
 * signaling channels alone or, with `camera: 'recording'` or `'recordingWithImages'`, a `CameraFleet`'s
 * recording cameras (each a stream, with its images and notifications or not, and a channel recording into
 * it): then every custom resource of the stack (channels and stream configurations) is deployed at once,
 * after CloudFormation has created the streams they refer to, and every call is authorized by the provider
 * role's policy. The bundled handler runs
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
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudFormationDouble, CustomResourceEvent } from './cloudformation-double';
import { CustomResourceUnderTest, StackOperation } from './custom-resource-under-test';
import { KinesisVideoDouble, RecordedCall } from './kinesis-video-double';
import { peakCallsPerSecond, SERVICE_QUOTAS } from './kinesis-video-quotas';
import { KinesisVideoOperation } from './kinesis-video-wire';
import { AsyncDelivery, asyncInvokeSettings, LambdaAsyncQueue } from './lambda-async-queue';
import { FleetInvocation, LambdaFleet } from './lambda-fleet';
import { NodeRuntime } from './lambda-process';
import { runOnDoubles, synthesizeStack, SynthesizedStack } from './synthesized-stack';
import { CameraFleet, SignalingChannel } from '../../src';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';
import { STREAM_CONFIGURATION_RESOURCE_TYPE } from '../../src/handler-shared/stream-configuration-rules';

const ENV = { account: '123456789012', region: 'us-east-1' };
const FLEET_STACK_NAME = 'CameraFleet';

/**
 * The versions of the fleet's app: `retagged` adds a tag with `Tags.of(stack)`; `oneTtlChanged` is `retagged`
 * with one channel's TTL changed (channels alone); `imagesChanged` is `retagged` with the fleet-wide
 * sampling interval of the cameras' images changed (recording cameras with images).
 */
export type FleetVersion = 'initial' | 'retagged' | 'oneTtlChanged' | 'imagesChanged';

/**
 * What each camera of the fleet declares: a signaling channel alone; a `CameraFleet` camera recording into
 * its stream; the same with the stream's images and notifications.
 */
export type CameraKind = 'channel' | 'recording' | 'recordingWithImages';

const VERSIONS: Record<CameraKind, FleetVersion[]> = {
  channel: ['initial', 'retagged', 'oneTtlChanged'],
  recording: ['initial', 'retagged'],
  recordingWithImages: ['initial', 'retagged', 'imagesChanged'],
};

/** The custom resources the provider function serves. */
const CUSTOM_RESOURCE_TYPES = [SIGNALING_CHANNEL_RESOURCE_TYPE, STREAM_CONFIGURATION_RESOURCE_TYPE];

/** The channel whose TTL `oneTtlChanged` changes. */
const LONE_CHANNEL_ID = 'Camera0';

function declareChannels(stack: Stack, channels: number, version: FleetVersion): void {
  for (let i = 0; i < channels; i++) {
    const ttl = version === 'oneTtlChanged' && `Camera${i}` === LONE_CHANNEL_ID ? 45 : 30;
    new SignalingChannel(stack, `Camera${i}`, { messageTtl: Duration.seconds(ttl) });
  }
}

/** A CameraFleet whose cameras all record; with images, thumbnails to one bucket and notifications to one topic. */
function declareRecordingCameras(stack: Stack, cameras: number, version: FleetVersion, withImages: boolean): void {
  const fleet = new CameraFleet(stack, 'Fleet', withImages ? {
    cameraImages: {
      bucket: new s3.Bucket(stack, 'Thumbnails'),
      keyPrefix: 'cameras/',
      samplingInterval: Duration.seconds(version === 'imagesChanged' ? 5 : 1),
    },
    cameraNotificationTopic: new sns.Topic(stack, 'Events'),
  } : {});
  for (let i = 0; i < cameras; i++) fleet.addCamera(`camera-${i}`, { record: true });
}

function declareFleet(stack: Stack, camera: CameraKind, cameras: number, version: FleetVersion): void {
  if (camera === 'channel') declareChannels(stack, cameras, version);
  else declareRecordingCameras(stack, cameras, version, camera === 'recordingWithImages');
  Tags.of(stack).add('fleet', 'cameras');
  if (version !== 'initial') {
    // A Tags.of change: every channel's Tags change in one deployment.
    Tags.of(stack).add('firmware', '2.1');
  }
}

/** Every custom resource of the stack that the provider function serves, by logical ID. */
function customResourcesOf(stack: SynthesizedStack): Record<string, { type: string; properties: Record<string, unknown> }> {
  return Object.fromEntries(CUSTOM_RESOURCE_TYPES.flatMap(type =>
    Object.entries(stack.customResources(type)).map(([logicalId, properties]) => [logicalId, { type, properties }])));
}

export interface FleetOptions {
  /** How many cameras the stack declares. */
  readonly cameras: number;
  /** What each camera declares. @default 'channel' */
  readonly camera?: CameraKind;
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
  /** The custom resources the phase ran: channels, and stream configurations of recording cameras. */
  readonly resources: number;
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
  /**
   * Calls per channel (or stream, for a stream configuration's calls): the most any one cost, and the mean
   * over the phase's resources.
   */
  readonly maxCallsPerResource: number;
  readonly meanCallsPerResource: number;
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
    const camera = options.camera ?? 'channel';
    const versions = Object.fromEntries(VERSIONS[camera].map(version => [
      version,
      synthesizeStack(stackName, { env: ENV }, stack => declareFleet(stack, camera, options.cameras, version)),
    ])) as Partial<Record<FleetVersion, SynthesizedStack>> & { initial: SynthesizedStack };
    const { kvs, cfn } = options.doubles ?? await startDoubles(options);
    const fn = versions.initial.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const fleet = await LambdaFleet.start(runOnDoubles(fn, options.runtime, { kvs, cfn }), options.workers);
    const queue = new LambdaAsyncQueue<CustomResourceEvent, FleetInvocation>(event => fleet.invoke(event), options.concurrency === undefined
      ? { maxRetryAttempts: 0 }
      : { concurrency: options.concurrency, ...asyncInvokeSettings(versions.initial, fn) });
    const stackId = `arn:aws:cloudformation:${ENV.region}:${ENV.account}:stack/${stackName}/${randomUUID()}`;
    if (camera !== 'channel') {
      // One stack in the account: IAM holds every call to the provider role's policy for this stack. Set once:
      // no version changes a camera, so every version's policy is the initial one's.
      kvs.setIdentityPolicy(versions.initial.functionRolePolicy(SIGNALING_CHANNEL_RESOURCE_TYPE, stackId));
    }
    return new FleetDeployment(versions, kvs, cfn, fleet, queue, options.startJitterMs ?? 0, stackName, stackId, options.doubles === undefined);
  }

  /** Every custom resource of the stack the provider function serves, by logical ID. */
  public readonly resources: Record<string, CustomResourceUnderTest<FleetDelivery>>;

  private constructor(
    /** The versions of the app this fleet's cameras have (VERSIONS). */
    public readonly versions: Partial<Record<FleetVersion, SynthesizedStack>> & { readonly initial: SynthesizedStack },
    public readonly kvs: KinesisVideoDouble,
    public readonly cfn: CloudFormationDouble,
    public readonly fleet: LambdaFleet,
    /** Lambda's queue of the function's events: every invocation goes through it. */
    public readonly queue: LambdaAsyncQueue<CustomResourceEvent, FleetInvocation>,
    startJitterMs: number,
    stackName: string,
    stackId: string,
    private readonly ownsDoubles: boolean,
  ) {
    const startLate = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const fn = versions.initial.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    this.resources = Object.fromEntries(Object.entries(customResourcesOf(versions.initial)).map(([logicalId, { type }]) => [
      logicalId,
      cfn.customResource({
        stackName,
        stackId,
        logicalResourceId: logicalId,
        resourceType: type,
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

  /**
   * Stack create: CloudFormation first creates the streams (native resources, which the double is given
   * as deployed), then every custom resource at once, since they refer only to the streams.
   */
  public create(): Promise<PhaseResult> {
    for (const stream of this.versions.initial.deployedStreams()) this.kvs.putStream(stream);
    const resources = customResourcesOf(this.versions.initial);
    return this.phase('create', Object.keys(this.resources), id => this.resources[id].create(resources[id].properties));
  }

  /** Stack update to `version`: CloudFormation updates only the resources whose properties changed. */
  public update(version: FleetVersion): Promise<PhaseResult> {
    const stack = this.versions[version];
    if (stack === undefined) throw new Error(`this fleet's cameras have no version ${version}: ${Object.keys(this.versions).join(', ')}`);
    const resources = customResourcesOf(stack);
    const changed = Object.keys(this.resources)
      .filter(id => JSON.stringify(resources[id].properties) !== JSON.stringify(this.resources[id].properties));
    return this.phase(`update to ${version}`, changed, id => this.resources[id].update(resources[id].properties));
  }

  /** Stack delete: every custom resource at once (the streams, deleted after them, are CloudFormation's own). */
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
      resources: logicalIds.length,
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
    const resources = results.reduce((total, result) => total + result.resources, 0);
    return {
      phase: results[0].phase,
      resources,
      wallMs,
      failures: results.flatMap((result, k) => result.failures.map(failure => `stack ${k}: ${failure}`)),
      // Measured over the account: every stack's calls together.
      ...callFigures(this.kvs.calls.slice(callsBefore), resources),
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
function callFigures(calls: readonly RecordedCall[], resources: number) {
  const operations = [...new Set(calls.map(call => call.operation))].filter((op): op is KinesisVideoOperation => op in SERVICE_QUOTAS);
  const perResource = new Map<string, number>();
  for (const call of calls) {
    // channel/<name> or stream/<name>: a channel and its stream share the camera's name.
    const name = call.input.ChannelName !== undefined ? `channel/${call.input.ChannelName}`
      : String(call.input.ChannelARN ?? call.input.ResourceARN ?? call.input.StreamARN ?? '').split(':').at(-1)!.split('/').slice(0, 2).join('/');
    perResource.set(name, (perResource.get(name) ?? 0) + 1);
  }
  return {
    calls: calls.length,
    callsByOperation: Object.fromEntries(operations.map(op => [op, calls.filter(call => call.operation === op).length])),
    throttled: calls.filter(call => call.throttledBy !== undefined).length,
    peakPerSecond: Object.fromEntries(operations.map(op => [op, peakCallsPerSecond(calls.filter(call => call.operation === op))])),
    maxCallsPerResource: Math.max(0, ...perResource.values()),
    meanCallsPerResource: resources === 0 ? 0 : calls.length / resources,
  };
}
