/**
 * A local stand-in for the Kinesis Video Streams control plane, for end-to-end tests and benchmarks.
 *
 * It speaks the wire protocol that `@aws-sdk/client-kinesis-video` speaks (restJson1: `POST` with a JSON
 * body, errors as HTTP status + `x-amzn-errortype` header + `{ "message": ... }` body) on 127.0.0.1 and a
 * random port, so the real SDK inside the real handler bundle talks to it unchanged: point the SDK at it
 * with `AWS_ENDPOINT_URL_KINESIS_VIDEO=<endpoint>` (or the client's `endpoint` option).
 *
 * Operations (paths exactly as the SDK's schemas in dist-cjs serialize them; note the three tag operations
 * are capitalized):
 *   POST /createSignalingChannel    POST /describeSignalingChannel   POST /updateSignalingChannel
 *   POST /deleteSignalingChannel    POST /ListTagsForResource        POST /TagResource
 *   POST /UntagResource             POST /updateMediaStorageConfiguration
 *   POST /describeMediaStorageConfiguration                         POST /describeMappedResourceConfiguration
 *
 * Semantics kept from the service (see shared/reference/kvs-signaling-api-notes.md):
 * - Create answers at once with the ARN; the channel is CREATING, then ACTIVE. Update: UPDATING, then ACTIVE.
 *   Delete: DELETING, then gone. Durations are options (`transitions`), and can be held indefinitely.
 * - ARN `arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation epoch ms>`: re-creating a
 *   name gives a new ARN, and the old ARN then answers ResourceNotFoundException.
 * - `Version` changes on every update; UpdateSignalingChannel (and DeleteSignalingChannel when given one)
 *   requires `CurrentVersion` to be the latest, else VersionMismatchException.
 * - Names are unique per account and region, including while DELETING (ResourceInUseException).
 * - Update and Delete of a channel that is CREATING, UPDATING or DELETING: ResourceInUseException.
 * - Constraints: name 1-256 of [a-zA-Z0-9_.-]; only SINGLE_MASTER; TTL 5-120 whole seconds; tag keys 1-128,
 *   values 0-256 of [\p{L}\p{Z}\p{N}_.:/=+\-@]; `aws:` keys reserved; 1-50 tags or keys per Tag/Untag call;
 *   InvalidArgumentException, and TagsPerResourceExceededLimitException past 50 tags on a channel.
 * - Tags are not in ChannelInfo; ListTagsForResource pages them (`listTagsPageSize`). Tagging is eventually
 *   consistent: for `tagsVisibleAfterMs` after a channel's creation (by any client) ListTagsForResource answers
 *   no tags and IAM sees no aws:ResourceTag for it, though `channels()` shows them.
 * - The region is the one the request was signed for (SigV4 credential scope); the account is an option.
 * - Media storage (WebRTC ingestion): streams are put in place with `putStream` (name, retention hours).
 *   UpdateMediaStorageConfiguration ENABLED links an ACTIVE channel to a stream: ResourceNotFoundException
 *   for an unknown channel or stream, NoDataRetentionException for a stream that keeps no data,
 *   ResourceInUseException when the channel is not ACTIVE, the stream records another channel, or the channel
 *   already records into another stream (switching is DISABLED first, then ENABLED; enabling the stream it
 *   records into again succeeds). DISABLED unlinks it, and always succeeds on an ACTIVE channel.
 *   DeleteSignalingChannel of a channel that records (CLOUD_STORAGE_MODE) answers ResourceInUseException: the
 *   WebRTC ingestion guide has it unlinked before it is deleted (`deleteOutOfBand` bypasses this, and frees
 *   the stream). DescribeMediaStorageConfiguration (by name or ARN) and DescribeMappedResourceConfiguration
 *   (by stream name or ARN) read the links back.
 * - Quotas (`SERVICE_QUOTAS`, from the WebRTC developer guide's quota page): at most so many calls of an
 *   operation accepted in any 1,000 ms, per account and per channel; a call over either answers
 *   ClientLimitExceededException and is recorded with the quota it hit. On by default (`enforceQuotas`).
 * - IAM (`identityPolicy` option, `setIdentityPolicy`): while the caller has an identity policy, every call the
 *   quotas admit is authorized before anything else (injected faults, `beforeNext` hooks, validation) by
 *   `iam-authorizer.ts` (an IAM policy simulator that knows the Service Authorization Reference). A call the
 *   policy does not allow answers AccessDeniedException "User is not authorized to perform: <action> on
 *   resource: <arn>" (HTTP 401, as the service model has it), changes nothing, and is recorded with
 *   `deniedBy: 'iam'`. What a call is authorized as:
 *     action    `kinesisvideo:<Operation>`. CreateSignalingChannel with Tags also needs
 *               `kinesisvideo:TagResource` on the new channel (the reference's table of API operations maps
 *               the operation to both; its actions table, which iam-data copies, lists no dependent action).
 *     resource  an existing channel's ARN; for Create, the ARN the new channel gets; for a call by ARN of a
 *               channel that does not exist, the ARN given; for the Describes by ChannelName of a channel that
 *               does not exist, `...:channel/<name>/*` (the service's choice here is undocumented: allowed when
 *               the policy allows the action on some channel of that name). DescribeMappedResourceConfiguration:
 *               the stream's ARN (`...:stream/<name>/<creation ms>`, or `stream/<name>/*` by an unknown name).
 *               A call that names no valid resource is refused by validation without an IAM check.
 *     context   `aws:ResourceTag/<key>` for each visible tag of an existing channel; Create and TagResource add
 *               `aws:RequestTag/<key>` per requested tag and `aws:TagKeys` (the requested keys); UntagResource
 *               `aws:TagKeys` (the keys it removes). The reference lists aws:ResourceTag on both the channel
 *               and the stream resource types, so it applies to every action the double serves.
 *
 * API (stable: bench/ imports it too):
 *   const kvs = await KinesisVideoDouble.start({ transitions: { creatingMs: 200 }, latencyMs: 5 });
 *                                     other options: accountId, listTagsPageSize, newChannelInvisibleMs,
 *                                     enforceQuotas, tagsVisibleAfterMs, identityPolicy
 *   kvs.endpoint                      'http://127.0.0.1:<port>'
 *   kvs.channels()                    current channels (settled, sorted by name): name, arn, status, version,
 *                                     messageTtlSeconds, tags, ...
 *   kvs.calls / kvs.callsTo(op)       every request: operation, input, HTTP status or 'dropped', error type,
 *                                     which injected fault (if any) answered it, which quota throttled it,
 *                                     `deniedBy: 'iam'`, and (while a policy is set) `authorization`: the
 *                                     IAM requests (action, resource, context) checked and each answer
 *   kvs.deniedCalls                   the calls the identity policy refused
 *   kvs.setIdentityPolicy(policy)     the caller's identity policy from now on (plain JSON with Version and
 *                                     Statement, resolved: no intrinsics); undefined: everything is allowed
 *   peakCallsPerSecond(calls)         the most calls that arrived within any 1,000 ms
 *   kvs.injectFault(op, kind, times, { message })
 *                                     the next `times` calls of `op` answer with the fault (FIFO per op):
 *                                     'throttle' (ClientLimitExceededException), 'resourceInUse',
 *                                     'accessDenied', 'invalidArgument', 'internalError' (HTTP 500),
 *                                     'dropConnection' (socket destroyed, nothing applied),
 *                                     'dropConnectionAfterApplying' (applied, then the socket is destroyed:
 *                                     the answer is lost); `message` overrides the error message
 *   kvs.pendingFaults()               injected faults not consumed yet, per operation
 *   kvs.beforeNext(op, action)        run `action(input, kvs)` just before the next call of `op` is served:
 *                                     races with other clients of the service
 *   kvs.raceNextUpdate(ttl)           someone else updates the channel (and finishes) between the caller's
 *                                     Describe and its Update: the caller's Update gets VersionMismatch
 *   kvs.holdTransitions(...statuses)  channels stay in these statuses until releaseTransitions()
 *   kvs.releaseTransitions()          held transitions end after their normal duration from now
 *   kvs.setTransitions(partial)       change durations for transitions that start from now on
 *   kvs.putChannel / updateOutOfBand / deleteOutOfBand / tagOutOfBand
 *                                     act as another client of the same account (bypassing faults)
 *   kvs.putStream({ name, dataRetentionInHours }) / kvs.streams()
 *                                     a stream, as another client created it; streams and what each records
 *   kvs.stop()
 */
import { randomBytes, randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { AuthorizationRequest, IamAuthorizer, IdentityPolicyDocument } from './iam-authorizer';

export type ChannelStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export type KinesisVideoOperation =
  | 'CreateSignalingChannel'
  | 'DescribeSignalingChannel'
  | 'UpdateSignalingChannel'
  | 'DeleteSignalingChannel'
  | 'ListTagsForResource'
  | 'TagResource'
  | 'UntagResource'
  | 'UpdateMediaStorageConfiguration'
  | 'DescribeMediaStorageConfiguration'
  | 'DescribeMappedResourceConfiguration';

/** Request paths, exactly as the SDK's restJson1 serializer writes them. */
const OPERATION_BY_PATH: Readonly<Record<string, KinesisVideoOperation>> = {
  '/createSignalingChannel': 'CreateSignalingChannel',
  '/describeSignalingChannel': 'DescribeSignalingChannel',
  '/updateSignalingChannel': 'UpdateSignalingChannel',
  '/deleteSignalingChannel': 'DeleteSignalingChannel',
  '/ListTagsForResource': 'ListTagsForResource',
  '/TagResource': 'TagResource',
  '/UntagResource': 'UntagResource',
  '/updateMediaStorageConfiguration': 'UpdateMediaStorageConfiguration',
  '/describeMediaStorageConfiguration': 'DescribeMediaStorageConfiguration',
  '/describeMappedResourceConfiguration': 'DescribeMappedResourceConfiguration',
};

export type FaultKind =
  | 'throttle'
  | 'resourceInUse'
  | 'accessDenied'
  | 'invalidArgument'
  | 'internalError'
  | 'dropConnection'
  | 'dropConnectionAfterApplying';

interface InjectedFault {
  readonly kind: FaultKind;
  /** Replaces the error's message (e.g. a very long one). */
  readonly message?: string;
}

export interface TransitionDurations {
  /** How long a new channel stays CREATING. */
  readonly creatingMs: number;
  /** How long an updated channel stays UPDATING. */
  readonly updatingMs: number;
  /** How long a deleted channel stays DELETING (its name still taken) before it is gone. */
  readonly deletingMs: number;
}

export interface KinesisVideoDoubleOptions {
  /** The account every request acts in. @default '123456789012' */
  readonly accountId?: string;
  /** @default 200 ms each */
  readonly transitions?: Partial<TransitionDurations>;
  /** Added to every call before it is served. @default 0 */
  readonly latencyMs?: number;
  /** Tags per ListTagsForResource page. @default 50 */
  readonly listTagsPageSize?: number;
  /**
   * For this long after its creation, Describe answers ResourceNotFoundException for a channel (reported
   * eventual consistency of the real service). @default 0
   */
  readonly newChannelInvisibleMs?: number;
  /** Throttle calls over the service's quotas (`SERVICE_QUOTAS`). @default true */
  readonly enforceQuotas?: boolean;
  /**
   * For this long after its creation, a channel's tags are not seen yet: ListTagsForResource answers no tags
   * and IAM sees no `aws:ResourceTag/<key>` for it (eventual consistency of the real service's tagging).
   * @default 0
   */
  readonly tagsVisibleAfterMs?: number;
  /**
   * The identity policy of the caller: every call must be allowed by it (see `setIdentityPolicy`).
   * @default none: every call is allowed
   */
  readonly identityPolicy?: IdentityPolicyDocument;
}

/** Calls accepted in any 1,000 ms, per account and region, and per channel. */
export interface Quota {
  readonly perAccount: number;
  readonly perChannel?: number;
}

/** The service's quotas (shared/reference/kvs-signaling-api-notes.md, "Quotas"). */
export const SERVICE_QUOTAS: Readonly<Record<KinesisVideoOperation, Quota>> = {
  CreateSignalingChannel: { perAccount: 50 },
  DescribeSignalingChannel: { perAccount: 300, perChannel: 5 },
  UpdateSignalingChannel: { perAccount: 50, perChannel: 5 },
  DeleteSignalingChannel: { perAccount: 50, perChannel: 5 },
  ListTagsForResource: { perAccount: 50, perChannel: 5 },
  TagResource: { perAccount: 50, perChannel: 5 },
  UntagResource: { perAccount: 50, perChannel: 5 },
  UpdateMediaStorageConfiguration: { perAccount: 10, perChannel: 5 },
  DescribeMediaStorageConfiguration: { perAccount: 50, perChannel: 5 },
  // Not on the quota page: taken to be like the other Describe-style calls of the stream's side.
  DescribeMappedResourceConfiguration: { perAccount: 50 },
};

const QUOTA_WINDOW_MS = 1_000;

/**
 * The header a test harness may stamp on each request with the epoch milliseconds at which its client sent it
 * (lambda-fleet.ts does). The double then counts quotas and peaks by that time: what the service sees across a
 * network of steady latency. Without it, a stall of the double's own process (it shares a busy machine with
 * the harness) would gather the calls sent during the stall into one moment, a burst the handler never sent.
 */
export const SENT_AT_HEADER = 'x-double-sent-at';

/** The most of `calls` sent within any 1,000 ms. */
export function peakCallsPerSecond(calls: readonly RecordedCall[]): number {
  const times = calls.map(call => call.sentAt).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= QUOTA_WINDOW_MS) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** A channel as the service holds it. */
export interface ChannelSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly type: string;
  readonly status: ChannelStatus;
  readonly version: string;
  readonly messageTtlSeconds: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The stream the channel records into (media storage ENABLED); absent when DISABLED. */
  readonly mediaStorageStreamArn?: string;
}

/** A Kinesis video stream, as the double knows it: enough for media storage. */
export interface StreamSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly dataRetentionInHours: number;
  /** The ARN of the channel that records into it, if one does. */
  readonly mappedChannelArn?: string;
}

/** One request the double received. */
export interface RecordedCall {
  readonly operation: KinesisVideoOperation | 'Unknown';
  readonly path: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly region: string;
  /** Epoch milliseconds when the request arrived. */
  readonly receivedAt: number;
  /** Epoch milliseconds when the client sent it (`SENT_AT_HEADER`), or when it arrived: what quotas count. */
  readonly sentAt: number;
  /** The HTTP status answered, or 'dropped' when the connection was destroyed instead. */
  readonly httpStatus: number | 'dropped';
  /** The `x-amzn-errortype` answered, if any. */
  readonly errorType?: string;
  /** The injected fault that answered (or, for 'dropConnectionAfterApplying', swallowed) this call. */
  readonly fault?: FaultKind;
  /** The quota that throttled this call (ClientLimitExceededException), if one did. */
  readonly throttledBy?: 'account' | 'channel';
  /** 'iam' when the identity policy did not allow the call (AccessDeniedException). */
  readonly deniedBy?: 'iam';
  /** While an identity policy is set: the IAM requests the call was authorized as, in order, and their answers. */
  readonly authorization?: readonly AuthorizationCheck[];
}

/** One IAM request a call was authorized as, and whether the identity policy allowed it. */
export interface AuthorizationCheck extends AuthorizationRequest {
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly allowed: boolean;
}

/** A request the service refuses: an HTTP status, an error type and a message. */
class ServiceError extends Error {
  constructor(public readonly errorType: string, message: string, public readonly httpStatus = 400) {
    super(message);
  }
}

interface ChannelRecord {
  name: string;
  arn: string;
  region: string;
  type: string;
  status: ChannelStatus;
  /** When the current transition ends (epoch ms); Infinity while held. */
  transitionEndsAt: number;
  version: string;
  messageTtlSeconds: number;
  tags: Map<string, string>;
  createdAt: number;
  mediaStorageStreamArn?: string;
}

interface StreamRecord {
  name: string;
  arn: string;
  region: string;
  dataRetentionInHours: number;
}

type Input = Record<string, unknown>;

const DEFAULT_TRANSITIONS: TransitionDurations = { creatingMs: 200, updatingMs: 200, deletingMs: 200 };
const CHANNEL_NAME = /^[a-zA-Z0-9_.-]{1,256}$/;
const CHANNEL_ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
const STREAM_ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]{12}:stream\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
/**
 * The service models AccessDeniedException with HTTP 401 (the `kinesisvideo` service model that
 * `@aws-sdk/client-kinesis-video` is generated from); the injected 'accessDenied' fault answers the same.
 */
const ACCESS_DENIED_STATUS = 401;
const VERSION = /^[a-zA-Z0-9]{1,64}$/;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS_PER_CHANNEL = 50;
const MAX_TAGS_PER_CALL = 50;
/** Region and service from a SigV4 `Authorization` header's credential scope. */
const SIGV4_SCOPE = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

export class KinesisVideoDouble {
  /** Start a double on 127.0.0.1 and a random free port. */
  public static async start(options: KinesisVideoDoubleOptions = {}): Promise<KinesisVideoDouble> {
    const double = new KinesisVideoDouble(options);
    await new Promise<void>((resolve, reject) => {
      double.server.once('error', reject);
      double.server.listen(0, '127.0.0.1', () => resolve());
    });
    return double;
  }

  public readonly accountId: string;
  private transitions: TransitionDurations;
  private readonly latencyMs: number;
  private readonly listTagsPageSize: number;
  private readonly newChannelInvisibleMs: number;
  private readonly enforceQuotas: boolean;
  private readonly tagsVisibleAfterMs: number;
  /** The caller's identity policy; undefined: every call is allowed. */
  private authorizer?: IamAuthorizer;
  /** Arrival times of the calls each quota accepted in the last window, by `<operation>` and `<operation> <channel>`. */
  private readonly accepted = new Map<string, number[]>();
  private readonly server: http.Server;
  private readonly records = new Map<string, ChannelRecord>();
  private readonly streamRecords = new Map<string, StreamRecord>();
  private readonly recordedCalls: RecordedCall[] = [];
  private readonly faults = new Map<KinesisVideoOperation, InjectedFault[]>();
  private readonly hooks = new Map<KinesisVideoOperation, Array<(input: Input, double: KinesisVideoDouble) => void>>();
  private readonly held = new Set<ChannelStatus>();
  private lastCreatedAt = 0;

  private constructor(options: KinesisVideoDoubleOptions) {
    this.accountId = options.accountId ?? '123456789012';
    this.transitions = { ...DEFAULT_TRANSITIONS, ...options.transitions };
    this.latencyMs = options.latencyMs ?? 0;
    this.listTagsPageSize = options.listTagsPageSize ?? 50;
    this.newChannelInvisibleMs = options.newChannelInvisibleMs ?? 0;
    this.enforceQuotas = options.enforceQuotas ?? true;
    this.tagsVisibleAfterMs = options.tagsVisibleAfterMs ?? 0;
    this.setIdentityPolicy(options.identityPolicy);
    this.server = http.createServer((request, response) => {
      this.serve(request, response).catch(error => {
        // A bug in the double itself: answer something the SDK surfaces, never hang the caller.
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'DoubleFailure' });
        }
        response.end(JSON.stringify({ message: `kinesis-video-double: ${String(error)}` }));
      });
    });
  }

  /** Where the SDK should send its requests, e.g. for `AWS_ENDPOINT_URL_KINESIS_VIDEO`. */
  public get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Every request received so far, in order. */
  public get calls(): readonly RecordedCall[] {
    return this.recordedCalls;
  }

  public callsTo(operation: KinesisVideoOperation): RecordedCall[] {
    return this.recordedCalls.filter(call => call.operation === operation);
  }

  /** The calls the identity policy refused (AccessDeniedException), in order. */
  public get deniedCalls(): RecordedCall[] {
    return this.recordedCalls.filter(call => call.deniedBy === 'iam');
  }

  /**
   * From now on every call must be allowed by `policy`, the caller's identity policy (plain JSON, already
   * resolved: no CloudFormation intrinsics), or it answers AccessDeniedException; `undefined` allows every
   * call again. Calls already being authorized keep the policy they started with.
   */
  public setIdentityPolicy(policy: IdentityPolicyDocument | undefined): void {
    // The principal is in the double's account: a call on another account's ARN is cross-account, and denied.
    this.authorizer = policy === undefined ? undefined : new IamAuthorizer(policy, { accountId: this.accountId });
  }

  /** Channels as the service holds them now, transitions settled, sorted by region then name. */
  public channels(region?: string): ChannelSnapshot[] {
    this.settle();
    return [...this.records.values()]
      .filter(record => region === undefined || record.region === region)
      .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name))
      .map(record => this.snapshot(record));
  }

  /**
   * The next `times` calls of `operation` answer with `kind` instead of being served (queued in order).
   * `message` replaces the error message the service would give.
   */
  public injectFault(operation: KinesisVideoOperation, kind: FaultKind, times = 1, options: { message?: string } = {}): void {
    const queue = this.faults.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push({ kind, message: options.message });
    this.faults.set(operation, queue);
  }

  /** Faults injected and not yet consumed, per operation. */
  public pendingFaults(): Partial<Record<KinesisVideoOperation, FaultKind[]>> {
    return Object.fromEntries([...this.faults]
      .filter(([, queue]) => queue.length > 0)
      .map(([op, queue]) => [op, queue.map(fault => fault.kind)]));
  }

  /** Run `action` once, just before the next call of `operation` is served: another client racing the caller. */
  public beforeNext(operation: KinesisVideoOperation, action: (input: Input, double: KinesisVideoDouble) => void): void {
    const queue = this.hooks.get(operation) ?? [];
    queue.push(action);
    this.hooks.set(operation, queue);
  }

  /**
   * Between the caller's Describe and its next UpdateSignalingChannel, somebody else updates the same
   * channel to `messageTtlSeconds` and that update completes: the caller's CurrentVersion is stale.
   */
  public raceNextUpdate(messageTtlSeconds: number): void {
    this.beforeNext('UpdateSignalingChannel', (input, double) => {
      double.updateOutOfBand(String(input.ChannelARN), { messageTtlSeconds, transitionMs: 0 });
    });
  }

  /** Channels entering (or in) these statuses stay there until `releaseTransitions()`. */
  public holdTransitions(...statuses: ChannelStatus[]): void {
    this.settle();
    for (const status of statuses) this.held.add(status);
    for (const record of this.records.values()) {
      if (this.held.has(record.status) && record.status !== 'ACTIVE') record.transitionEndsAt = Infinity;
    }
  }

  /** Held transitions end their normal duration from now; nothing is held any more. */
  public releaseTransitions(): void {
    this.held.clear();
    const now = Date.now();
    for (const record of this.records.values()) {
      if (record.transitionEndsAt === Infinity) record.transitionEndsAt = now + this.durationOf(record.status);
    }
  }

  /** Change transition durations for transitions that start from now on. */
  public setTransitions(durations: Partial<TransitionDurations>): void {
    this.transitions = { ...this.transitions, ...durations };
  }

  /**
   * Put a channel in place as another client (or another stack) would have created it: ACTIVE unless told.
   */
  public putChannel(channel: {
    name: string;
    region?: string;
    messageTtlSeconds?: number;
    tags?: Record<string, string>;
    status?: ChannelStatus;
    /** The stream it records into (which must have been put). */
    mediaStorageStreamArn?: string;
  }): ChannelSnapshot {
    this.settle();
    const region = channel.region ?? 'us-east-1';
    if (this.findByName(region, channel.name)) {
      throw new Error(`kinesis-video-double: a channel named ${channel.name} already exists in ${region}`);
    }
    const record = this.newRecord(region, channel.name, 'SINGLE_MASTER', channel.messageTtlSeconds ?? 60,
      new Map(Object.entries(channel.tags ?? {})));
    record.status = channel.status ?? 'ACTIVE';
    record.transitionEndsAt = record.status === 'ACTIVE' ? 0 : Infinity;
    record.mediaStorageStreamArn = channel.mediaStorageStreamArn;
    return this.snapshot(record);
  }

  /** Another client updates a channel (by ARN or name): new version, UPDATING for `transitionMs`. */
  public updateOutOfBand(channel: string, change: { messageTtlSeconds?: number; transitionMs?: number }): void {
    this.settle();
    const record = this.findOutOfBand(channel);
    record.version = newVersion();
    if (change.messageTtlSeconds !== undefined) record.messageTtlSeconds = change.messageTtlSeconds;
    this.beginTransition(record, 'UPDATING', change.transitionMs);
    this.settle();
  }

  /** Another client deletes a channel (by ARN or name): DELETING, then gone. */
  public deleteOutOfBand(channel: string, options: { transitionMs?: number } = {}): void {
    this.settle();
    this.beginTransition(this.findOutOfBand(channel), 'DELETING', options.transitionMs);
    this.settle();
  }

  /** Another client tags a channel (by ARN or name). */
  public tagOutOfBand(channel: string, tags: Record<string, string>): void {
    this.settle();
    const record = this.findOutOfBand(channel);
    for (const [key, value] of Object.entries(tags)) record.tags.set(key, value);
  }

  /** Put a stream in place, as another client created it (a new ARN each time a name is put again). */
  public putStream(stream: { name: string; region?: string; dataRetentionInHours: number; createdAt?: number }): StreamSnapshot {
    const region = stream.region ?? 'us-east-1';
    // `createdAt` fixes the ARN's creation time: a stack synthesized before the double started can name it.
    const createdAt = stream.createdAt ?? Math.max(Date.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = Math.max(this.lastCreatedAt, createdAt);
    const record: StreamRecord = {
      name: stream.name,
      arn: `arn:${partitionOf(region)}:kinesisvideo:${region}:${this.accountId}:stream/${stream.name}/${createdAt}`,
      region,
      dataRetentionInHours: stream.dataRetentionInHours,
    };
    this.streamRecords.set(recordKey(region, stream.name), record);
    return this.streamSnapshot(record);
  }

  /** Streams as the service holds them now, with the channel each records, sorted by name. */
  public streams(): StreamSnapshot[] {
    this.settle();
    return [...this.streamRecords.values()].sort((a, b) => a.name.localeCompare(b.name)).map(record => this.streamSnapshot(record));
  }

  /** Stop listening and cut open connections. */
  public async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const stamped = Number(request.headers[SENT_AT_HEADER]);
    // Never later than its arrival: a stamp from the future (a skewed clock) would open a window of its own.
    const sentAt = Number.isFinite(stamped) && stamped > 0 ? Math.min(stamped, receivedAt) : receivedAt;
    const body = await readBody(request);
    const path = (request.url ?? '/').split('?')[0];
    const operation = OPERATION_BY_PATH[path];
    const region = SIGV4_SCOPE.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    let input: Input = {};
    let authorization: AuthorizationCheck[] | undefined;
    const record = (httpStatus: number | 'dropped', errorType?: string, fault?: FaultKind, throttledBy?: 'account' | 'channel') => {
      const denied = authorization?.some(check => !check.allowed) ? { deniedBy: 'iam' as const } : {};
      const authorized = authorization === undefined ? {} : { authorization };
      const call = { operation: operation ?? 'Unknown', path, input, region, receivedAt, sentAt, httpStatus, errorType, fault, throttledBy } as const;
      this.recordedCalls.push({ ...call, ...denied, ...authorized });
    };

    if (this.latencyMs > 0) await sleep(this.latencyMs);

    try {
      if (operation === undefined || request.method !== 'POST') {
        throw new ServiceError('UnknownOperationException', `No operation at ${request.method} ${path}`, 404);
      }
      this.checkSignature(request);
      input = parseJsonObject(body);

      const throttledBy = this.enforceQuotas ? this.admit(operation, region, input, sentAt) : undefined;
      if (throttledBy !== undefined) {
        const error = faultError('throttle');
        record(error.httpStatus, error.errorType, undefined, throttledBy);
        answerError(response, error);
        return;
      }

      // IAM decides before the service looks at the request's merits: a denied call changes nothing and
      // consumes no injected fault.
      let reservedCreatedAt: number | undefined;
      const authorizer = this.authorizer;
      if (authorizer !== undefined) {
        const plan = this.authorizationPlan(operation, input, region, receivedAt);
        reservedCreatedAt = plan.createdAt;
        authorization = [];
        for (const check of plan.requests) {
          const decision = await authorizer.authorize(check);
          if (decision.ignoredContextKeys.length > 0) {
            // A key the simulator dropped would look absent to every condition: a bug in the double, not a denial.
            throw new Error(`${check.action} ignores the context keys ${decision.ignoredContextKeys.join(', ')}`);
          }
          authorization.push({ ...check, context: check.context ?? {}, allowed: decision.allowed });
          if (!decision.allowed) {
            const error = new ServiceError('AccessDeniedException',
              `User is not authorized to perform: ${check.action} on resource: ${check.resource}`, ACCESS_DENIED_STATUS);
            record(error.httpStatus, error.errorType);
            answerError(response, error);
            return;
          }
        }
      }

      const injected = this.faults.get(operation)?.shift();
      const fault = injected?.kind;
      if (fault !== undefined && fault !== 'dropConnectionAfterApplying') {
        if (fault === 'dropConnection') {
          record('dropped', undefined, fault);
          request.socket.destroy();
          return;
        }
        const error = faultError(fault, injected?.message);
        record(error.httpStatus, error.errorType, fault);
        answerError(response, error);
        return;
      }

      this.hooks.get(operation)?.shift()?.(input, this);
      this.settle();
      const output = this.apply(operation, input, region, receivedAt, reservedCreatedAt);
      if (fault === 'dropConnectionAfterApplying') {
        record('dropped', undefined, fault);
        request.socket.destroy();
        return;
      }
      record(200);
      response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(output));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      record(error.httpStatus, error.errorType);
      answerError(response, error);
    }
  }

  /**
   * Count the call against its operation's quotas, per account and per channel: which one it is over, or
   * undefined when both accept it (and it is counted).
   */
  private admit(operation: KinesisVideoOperation, region: string, input: Input, now: number): 'account' | 'channel' | undefined {
    const quota = SERVICE_QUOTAS[operation];
    // The calls accepted in the window that ends at this call's time. Calls may arrive out of the order they
    // were sent (by their sent time): a call sent after this one is not in its window, and is kept for later.
    const recent = (key: string) => {
      const times = (this.accepted.get(key) ?? []).filter(time => now - time < 2 * QUOTA_WINDOW_MS);
      this.accepted.set(key, times);
      return times.filter(time => time <= now && now - time < QUOTA_WINDOW_MS);
    };
    const accountCalls = recent(`${region} ${operation}`);
    if (accountCalls.length >= quota.perAccount) return 'account';
    // The channel's name, whether the call names it or gives its ARN (`...:channel/<name>/<time>`).
    const channelName = input.ChannelName ?? String(input.ChannelARN ?? input.ResourceARN ?? '').split('/')[1];
    const channelCalls = quota.perChannel !== undefined && channelName !== undefined
      ? recent(`${region} ${operation} ${String(channelName)}`)
      : undefined;
    if (channelCalls !== undefined && channelCalls.length >= quota.perChannel!) return 'channel';
    this.accepted.get(`${region} ${operation}`)!.push(now);
    if (channelCalls !== undefined) this.accepted.get(`${region} ${operation} ${String(channelName)}`)!.push(now);
    return undefined;
  }

  /** The SDK signs every request with SigV4 for service `kinesisvideo`: refuse anything else, as AWS would. */
  private checkSignature(request: http.IncomingMessage): void {
    const scope = SIGV4_SCOPE.exec(String(request.headers.authorization ?? ''));
    if (!scope || request.headers['x-amz-date'] === undefined) {
      throw new ServiceError('MissingAuthenticationTokenException', 'Request is missing a SigV4 Authorization header', 403);
    }
    if (scope[2] !== 'kinesisvideo') {
      throw new ServiceError('InvalidSignatureException', `Credential should be scoped to service 'kinesisvideo', not '${scope[2]}'`, 403);
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new ServiceError('SerializationException', 'Expected an application/json body');
    }
  }

  /**
   * The IAM requests that authorize a call (see the header), and for CreateSignalingChannel the creation time
   * its ARN was authorized with, reserved so that the channel gets exactly that ARN even when other calls are
   * served while this one is being authorized. A call that names no valid resource has nothing to authorize:
   * validation (or ResourceNotFoundException) refuses it without changing anything.
   */
  private authorizationPlan(
    operation: KinesisVideoOperation,
    input: Input,
    region: string,
    now: number,
  ): { requests: AuthorizationRequest[]; createdAt?: number } {
    const action = `kinesisvideo:${operation}`;
    const arnPrefix = `arn:${partitionOf(region)}:kinesisvideo:${region}:${this.accountId}`;

    if (operation === 'CreateSignalingChannel') {
      const name = input.ChannelName;
      if (typeof name !== 'string' || !CHANNEL_NAME.test(name)) return { requests: [] };
      const createdAt = this.nextCreationTime(now);
      const resource = `${arnPrefix}:channel/${name}/${createdAt}`;
      const tags = lenientTagsOf(input.Tags);
      const context = requestTagContext(tags);
      // The Service Authorization Reference's table of API operations maps CreateSignalingChannel to two IAM
      // actions: creating a channel with tags also needs TagResource on it, with the same request-tag conditions.
      const tagging = tags.length > 0 ? [{ action: 'kinesisvideo:TagResource', resource, context }] : [];
      return { createdAt, requests: [{ action, resource, context }, ...tagging] };
    }

    if (operation === 'DescribeMappedResourceConfiguration') {
      const name = stringOrUndefined(input.StreamName);
      const arn = stringOrUndefined(input.StreamARN);
      const stream = [...this.streamRecords.values()].find(candidate => candidate.region === region
        && (arn !== undefined ? candidate.arn === arn : candidate.name === name));
      const resource = stream?.arn
        ?? (arn !== undefined && STREAM_ARN.test(arn) ? arn : undefined)
        ?? (arn === undefined && name !== undefined && CHANNEL_NAME.test(name) ? `${arnPrefix}:stream/${name}/*` : undefined);
      // The double keeps no tags on streams: there is no aws:ResourceTag to give.
      return { requests: resource === undefined ? [] : [{ action, resource, context: {} }] };
    }

    // Every other operation acts on one channel, named by its ARN or (the two Describes) by its name.
    const isTagging = operation === 'ListTagsForResource' || operation === 'TagResource' || operation === 'UntagResource';
    const arn = stringOrUndefined(isTagging ? input.ResourceARN : input.ChannelARN);
    const name = isTagging ? undefined : stringOrUndefined(input.ChannelName);
    const channel = arn !== undefined ? this.findByArn(region, arn) : name !== undefined ? this.findByName(region, name) : undefined;
    // A channel that does not exist: by ARN, the ARN given. By name (the Describes), the service's resource
    // for the authorization is undocumented; `channel/<name>/*` is how policies name a channel known only by
    // name (kvs-signaling-api-notes.md, "IAM"), so the call is allowed when the policy allows the action on
    // some channel of that name, and a policy scoped to other names refuses it.
    const resource = channel?.arn
      ?? (arn !== undefined && CHANNEL_ARN.test(arn) ? arn : undefined)
      ?? (arn === undefined && name !== undefined && CHANNEL_NAME.test(name) ? `${arnPrefix}:channel/${name}/*` : undefined);
    if (resource === undefined) return { requests: [] };
    const context: Record<string, string | string[]> = channel === undefined ? {} : resourceTagContext(this.visibleTags(channel, now));
    if (operation === 'TagResource') {
      Object.assign(context, requestTagContext(lenientTagsOf(input.Tags)));
    } else if (operation === 'UntagResource') {
      const keys = Array.isArray(input.TagKeyList) ? input.TagKeyList.filter((key): key is string => typeof key === 'string') : [];
      if (keys.length > 0) context['aws:TagKeys'] = keys;
    }
    return { requests: [{ action, resource, context }] };
  }

  private apply(operation: KinesisVideoOperation, input: Input, region: string, now: number, reservedCreatedAt?: number): object {
    switch (operation) {
      case 'CreateSignalingChannel': return this.create(input, region, now, reservedCreatedAt);
      case 'DescribeSignalingChannel': return this.describe(input, region, now);
      case 'UpdateSignalingChannel': return this.update(input, region);
      case 'DeleteSignalingChannel': return this.delete(input, region);
      case 'ListTagsForResource': return this.listTags(input, region, now);
      case 'TagResource': return this.tag(input, region);
      case 'UntagResource': return this.untag(input, region);
      case 'UpdateMediaStorageConfiguration': return this.updateMediaStorage(input, region);
      case 'DescribeMediaStorageConfiguration': return this.describeMediaStorage(input, region);
      case 'DescribeMappedResourceConfiguration': return this.describeMappedResource(input, region);
    }
  }

  private create(input: Input, region: string, now: number, reservedCreatedAt?: number): object {
    const name = requiredString(input, 'ChannelName');
    if (!CHANNEL_NAME.test(name)) {
      throw invalidArgument(`ChannelName '${name}' must be 1-256 characters of [a-zA-Z0-9_.-]`);
    }
    const type = optionalString(input, 'ChannelType') ?? 'SINGLE_MASTER';
    if (type !== 'SINGLE_MASTER') {
      throw invalidArgument(`ChannelType ${type} is not supported; use SINGLE_MASTER`);
    }
    const ttl = messageTtlOf(input) ?? 60;
    const tagList = tagListOf(input, 'Tags', { required: false });
    if (tagList.length > MAX_TAGS_PER_CHANNEL) {
      throw new ServiceError('TagsPerResourceExceededLimitException', `A channel can have at most ${MAX_TAGS_PER_CHANNEL} tags`);
    }
    if (this.findByName(region, name)) {
      throw new ServiceError('ResourceInUseException', `The signaling channel ${name} already exists`);
    }
    const record = this.newRecord(region, name, type, ttl, new Map(tagList), reservedCreatedAt ?? this.nextCreationTime(now));
    this.beginTransition(record, 'CREATING');
    return { ChannelARN: record.arn };
  }

  private describe(input: Input, region: string, now: number): object {
    const name = optionalString(input, 'ChannelName');
    const arn = optionalString(input, 'ChannelARN');
    if (name === undefined && arn === undefined) {
      throw invalidArgument('Either ChannelName or ChannelARN is required');
    }
    const record = arn !== undefined ? this.findByArn(region, arn) : this.findByName(region, name!);
    if (!record || (name !== undefined && arn !== undefined && record.name !== name)) {
      throw notFound(arn ?? name!);
    }
    if (now - record.createdAt < this.newChannelInvisibleMs) {
      throw notFound(arn ?? name!);
    }
    return {
      ChannelInfo: {
        ChannelName: record.name,
        ChannelARN: record.arn,
        ChannelType: record.type,
        ChannelStatus: record.status,
        // restJson1 timestamps in a body are epoch seconds.
        CreationTime: record.createdAt / 1000,
        SingleMasterConfiguration: { MessageTtlSeconds: record.messageTtlSeconds },
        Version: record.version,
      },
    };
  }

  private update(input: Input, region: string): object {
    const record = this.requireByArn(region, requiredString(input, 'ChannelARN'));
    const currentVersion = requiredString(input, 'CurrentVersion');
    if (!VERSION.test(currentVersion)) {
      throw invalidArgument('CurrentVersion must be 1-64 characters of [a-zA-Z0-9]');
    }
    const ttl = messageTtlOf(input);
    this.requireActive(record, 'updated');
    if (currentVersion !== record.version) {
      throw new ServiceError('VersionMismatchException', `The signaling channel version ${currentVersion} is not the latest`);
    }
    record.version = newVersion();
    if (ttl !== undefined) record.messageTtlSeconds = ttl;
    this.beginTransition(record, 'UPDATING');
    return {};
  }

  private delete(input: Input, region: string): object {
    const record = this.requireByArn(region, requiredString(input, 'ChannelARN'));
    const currentVersion = optionalString(input, 'CurrentVersion');
    this.requireActive(record, 'deleted');
    if (record.mediaStorageStreamArn !== undefined) {
      // The WebRTC ingestion guide: a channel that records into a stream must be unlinked before it is deleted.
      throw new ServiceError('ResourceInUseException', `The signaling channel ${record.arn} is in CLOUD_STORAGE_MODE: `
        + 'disable its media storage (UpdateMediaStorageConfiguration DISABLED) before deleting it');
    }
    if (currentVersion !== undefined && currentVersion !== record.version) {
      throw new ServiceError('VersionMismatchException', `The signaling channel version ${currentVersion} is not the latest`);
    }
    this.beginTransition(record, 'DELETING');
    return {};
  }

  private listTags(input: Input, region: string, now: number): object {
    const record = this.requireByArn(region, requiredString(input, 'ResourceARN'));
    const token = optionalString(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) {
      throw invalidArgument('NextToken is not valid');
    }
    const entries = [...this.visibleTags(record, now)].sort(([a], [b]) => a.localeCompare(b));
    const page = entries.slice(start, start + this.listTagsPageSize);
    const next = start + page.length;
    return {
      Tags: Object.fromEntries(page),
      ...(next < entries.length ? { NextToken: Buffer.from(String(next)).toString('base64') } : {}),
    };
  }

  private tag(input: Input, region: string): object {
    const record = this.requireByArn(region, requiredString(input, 'ResourceARN'));
    const tagList = tagListOf(input, 'Tags', { required: true });
    if (tagList.length > MAX_TAGS_PER_CALL) {
      throw invalidArgument(`TagResource takes 1-${MAX_TAGS_PER_CALL} tags per call, got ${tagList.length}`);
    }
    const after = new Map(record.tags);
    for (const [key, value] of tagList) after.set(key, value);
    if (after.size > MAX_TAGS_PER_CHANNEL) {
      throw new ServiceError('TagsPerResourceExceededLimitException',
        `A channel can have at most ${MAX_TAGS_PER_CHANNEL} tags; this call would leave ${after.size}`);
    }
    record.tags = after;
    return {};
  }

  private untag(input: Input, region: string): object {
    const record = this.requireByArn(region, requiredString(input, 'ResourceARN'));
    const keys = input.TagKeyList;
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_TAGS_PER_CALL || keys.some(key => typeof key !== 'string')) {
      throw invalidArgument(`TagKeyList must be a list of 1-${MAX_TAGS_PER_CALL} tag keys`);
    }
    for (const key of keys as string[]) {
      checkTagKey(key);
      record.tags.delete(key);
    }
    return {};
  }

  private updateMediaStorage(input: Input, region: string): object {
    const record = this.requireByArn(region, requiredString(input, 'ChannelARN'));
    const config = (input.MediaStorageConfiguration ?? undefined) as Input | undefined;
    if (config === undefined || typeof config !== 'object') {
      throw invalidArgument('MediaStorageConfiguration is required');
    }
    const status = requiredString(config, 'Status');
    if (status !== 'ENABLED' && status !== 'DISABLED') {
      throw invalidArgument(`MediaStorageConfiguration.Status must be ENABLED or DISABLED, got ${status}`);
    }
    const streamArn = optionalString(config, 'StreamARN');
    this.requireActive(record, 'configured');
    if (status === 'DISABLED') {
      record.mediaStorageStreamArn = undefined;
      return {};
    }
    if (streamArn === undefined) {
      throw invalidArgument('MediaStorageConfiguration.StreamARN is required to enable media storage');
    }
    const stream = [...this.streamRecords.values()].find(candidate => candidate.region === region && candidate.arn === streamArn);
    if (!stream) {
      throw new ServiceError('ResourceNotFoundException', `The requested stream ${streamArn} was not found`, 404);
    }
    if (stream.dataRetentionInHours === 0) {
      throw new ServiceError('NoDataRetentionException', `The stream ${streamArn} has no data retention`);
    }
    if (record.mediaStorageStreamArn !== undefined && record.mediaStorageStreamArn !== stream.arn) {
      // One channel maps to one stream: switching streams is DISABLED, then ENABLED with the new one.
      // Enabling the stream it already records into changes nothing, and succeeds.
      throw new ServiceError('ResourceInUseException', `The signaling channel ${record.arn} is already mapped to stream `
        + `${record.mediaStorageStreamArn}: disable it first (UpdateMediaStorageConfiguration DISABLED)`);
    }
    const mappedTo = this.channelRecording(stream.arn);
    if (mappedTo !== undefined && mappedTo !== record) {
      throw new ServiceError('ResourceInUseException', `The stream ${streamArn} is already mapped to another resource`);
    }
    record.mediaStorageStreamArn = stream.arn;
    return {};
  }

  private describeMediaStorage(input: Input, region: string): object {
    const name = optionalString(input, 'ChannelName');
    const arn = optionalString(input, 'ChannelARN');
    if (name === undefined && arn === undefined) {
      throw invalidArgument('Either ChannelName or ChannelARN is required');
    }
    const record = arn !== undefined ? this.findByArn(region, arn) : this.findByName(region, name!);
    if (!record) throw notFound(arn ?? name!);
    return {
      MediaStorageConfiguration: record.mediaStorageStreamArn === undefined
        ? { Status: 'DISABLED' }
        : { Status: 'ENABLED', StreamARN: record.mediaStorageStreamArn },
    };
  }

  private describeMappedResource(input: Input, region: string): object {
    const name = optionalString(input, 'StreamName');
    const arn = optionalString(input, 'StreamARN');
    const stream = [...this.streamRecords.values()].find(candidate => candidate.region === region
      && (arn !== undefined ? candidate.arn === arn : candidate.name === name));
    if (!stream) {
      throw new ServiceError('ResourceNotFoundException', `The requested stream ${arn ?? name} was not found`, 404);
    }
    const channel = this.channelRecording(stream.arn);
    return { MappedResourceConfigurationList: channel === undefined ? [] : [{ Type: 'SIGNALING_CHANNEL', ARN: channel.arn }] };
  }

  /** The channel that records into a stream: a channel's record holds the link, so a deleted one frees it. */
  private channelRecording(streamArn: string): ChannelRecord | undefined {
    return [...this.records.values()].find(record => record.mediaStorageStreamArn === streamArn);
  }

  private streamSnapshot(record: StreamRecord): StreamSnapshot {
    this.settle();
    return {
      name: record.name,
      arn: record.arn,
      region: record.region,
      dataRetentionInHours: record.dataRetentionInHours,
      mappedChannelArn: this.channelRecording(record.arn)?.arn,
    };
  }

  private requireActive(record: ChannelRecord, what: string): void {
    if (record.status !== 'ACTIVE') {
      throw new ServiceError('ResourceInUseException', `The signaling channel is ${record.status} and cannot be ${what} now`);
    }
  }

  private requireByArn(region: string, arn: string): ChannelRecord {
    if (arn.length > 1024 || !CHANNEL_ARN.test(arn)) {
      throw invalidArgument(`'${arn}' is not a signaling channel ARN`);
    }
    const record = this.findByArn(region, arn);
    if (!record) throw notFound(arn);
    return record;
  }

  private findByArn(region: string, arn: string): ChannelRecord | undefined {
    return [...this.records.values()].find(record => record.region === region && record.arn === arn);
  }

  private findByName(region: string, name: string): ChannelRecord | undefined {
    return this.records.get(recordKey(region, name));
  }

  private findOutOfBand(channel: string): ChannelRecord {
    const record = [...this.records.values()].find(r => r.arn === channel || r.name === channel);
    if (!record) throw new Error(`kinesis-video-double: no channel ${channel}`);
    return record;
  }

  private newRecord(
    region: string,
    name: string,
    type: string,
    messageTtlSeconds: number,
    tags: Map<string, string>,
    createdAt = this.nextCreationTime(Date.now()),
  ): ChannelRecord {
    const record: ChannelRecord = {
      name,
      arn: `arn:${partitionOf(region)}:kinesisvideo:${region}:${this.accountId}:channel/${name}/${createdAt}`,
      region,
      type,
      status: 'ACTIVE',
      transitionEndsAt: 0,
      version: newVersion(),
      messageTtlSeconds,
      tags,
      createdAt,
    };
    this.records.set(recordKey(region, name), record);
    return record;
  }

  /** The ARN ends with the creation time: hand out strictly increasing ones so a re-created name never reuses one. */
  private nextCreationTime(now: number): number {
    const createdAt = Math.max(now, this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    return createdAt;
  }

  /** A channel's tags as readers see them: none yet while they lag behind its creation (`tagsVisibleAfterMs`). */
  private visibleTags(record: ChannelRecord, now: number): ReadonlyMap<string, string> {
    return now - record.createdAt < this.tagsVisibleAfterMs ? new Map() : record.tags;
  }

  private beginTransition(record: ChannelRecord, status: 'CREATING' | 'UPDATING' | 'DELETING', durationMs?: number): void {
    record.status = status;
    record.transitionEndsAt = this.held.has(status) ? Infinity : Date.now() + (durationMs ?? this.durationOf(status));
  }

  private durationOf(status: ChannelStatus): number {
    switch (status) {
      case 'CREATING': return this.transitions.creatingMs;
      case 'UPDATING': return this.transitions.updatingMs;
      case 'DELETING': return this.transitions.deletingMs;
      default: return 0;
    }
  }

  /** Finish every transition whose time has come. Time is read lazily: no timers to clean up. */
  private settle(): void {
    const now = Date.now();
    for (const [key, record] of this.records) {
      if (record.status === 'ACTIVE' || now < record.transitionEndsAt) continue;
      if (record.status === 'DELETING') {
        this.records.delete(key);
      } else {
        record.status = 'ACTIVE';
      }
    }
  }

  private snapshot(record: ChannelRecord): ChannelSnapshot {
    return {
      name: record.name,
      arn: record.arn,
      region: record.region,
      accountId: this.accountId,
      type: record.type,
      status: record.status,
      version: record.version,
      messageTtlSeconds: record.messageTtlSeconds,
      tags: Object.fromEntries(record.tags),
      createdAt: record.createdAt,
      ...(record.mediaStorageStreamArn === undefined ? {} : { mediaStorageStreamArn: record.mediaStorageStreamArn }),
    };
  }
}

function recordKey(region: string, name: string): string {
  return `${region}/${name}`;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function newVersion(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(20)].map(byte => alphabet[byte % alphabet.length]).join('');
}

function faultError(fault: Exclude<FaultKind, 'dropConnection' | 'dropConnectionAfterApplying'>, message?: string): ServiceError {
  switch (fault) {
    case 'throttle':
      return new ServiceError('ClientLimitExceededException', message ??
        'Kinesis Video Streams has throttled the request because you have exceeded the limit of allowed client calls');
    case 'resourceInUse':
      return new ServiceError('ResourceInUseException', message ?? 'The signaling channel is not in the ACTIVE state');
    case 'accessDenied':
      return new ServiceError('AccessDeniedException', message ?? 'User is not authorized to perform this action', ACCESS_DENIED_STATUS);
    case 'invalidArgument':
      return new ServiceError('InvalidArgumentException', message ?? 'The value for this input parameter is invalid');
    case 'internalError':
      return new ServiceError('InternalFailure', message ?? 'We encountered an internal error. Please try again.', 500);
  }
}

function answerError(response: http.ServerResponse, error: ServiceError): void {
  response.writeHead(error.httpStatus, {
    'content-type': 'application/json',
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify({ message: error.message }));
}

function invalidArgument(message: string): ServiceError {
  return new ServiceError('InvalidArgumentException', message);
}

function notFound(resource: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `The requested signaling channel ${resource} was not found`, 404);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk as Buffer));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJsonObject(body: string): Input {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Input;
}

function requiredString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || value.length === 0) {
    throw invalidArgument(`${member} is required`);
  }
  return value;
}

function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ServiceError('SerializationException', `${member} must be a string, got ${typeof value}`);
  }
  return value;
}

function messageTtlOf(input: Input): number | undefined {
  const config = input.SingleMasterConfiguration;
  if (config === undefined || config === null) return undefined;
  const ttl = (config as Input).MessageTtlSeconds;
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl !== 'number') {
    throw new ServiceError('SerializationException', `MessageTtlSeconds must be a number, got ${typeof ttl}`);
  }
  if (!Number.isInteger(ttl) || ttl < 5 || ttl > 120) {
    throw invalidArgument(`MessageTtlSeconds must be 5-120, got ${ttl}`);
  }
  return ttl;
}

function tagListOf(input: Input, member: string, options: { required: boolean }): Array<[string, string]> {
  const list = input[member];
  if (list === undefined || list === null) {
    if (options.required) throw invalidArgument(`${member} is required`);
    return [];
  }
  if (!Array.isArray(list) || (options.required && list.length === 0)) {
    throw invalidArgument(`${member} must be a list of 1-${MAX_TAGS_PER_CALL} { Key, Value }`);
  }
  return list.map(tag => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || typeof Value !== 'string') {
      throw invalidArgument('Each tag needs a string Key and a string Value');
    }
    checkTagKey(Key);
    if (Value.length > 256 || !TAG_CHARACTERS.test(Value)) {
      throw invalidArgument(`Tag value for '${Key}' must be 0-256 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
    }
    return [Key, Value] as [string, string];
  });
}

function checkTagKey(key: string): void {
  if (key.length < 1 || key.length > 128 || !TAG_CHARACTERS.test(key)) {
    throw invalidArgument(`Tag key '${key}' must be 1-128 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw invalidArgument(`Tag key '${key}' uses the reserved prefix 'aws:'`);
  }
}

/** The well-formed `{ Key, Value }` tags of a request, for IAM context: validation refuses the rest later. */
function lenientTagsOf(list: unknown): Array<[string, string]> {
  if (!Array.isArray(list)) return [];
  return list
    .filter((tag): tag is { Key: string; Value: string } => typeof tag?.Key === 'string' && typeof tag?.Value === 'string')
    .map(tag => [tag.Key, tag.Value]);
}

/** `aws:RequestTag/<key>` for each tag a request sets, and `aws:TagKeys` (absent when it sets none). */
function requestTagContext(tags: ReadonlyArray<[string, string]>): Record<string, string | string[]> {
  if (tags.length === 0) return {};
  return {
    ...Object.fromEntries(tags.map(([key, value]) => [`aws:RequestTag/${key}`, value])),
    'aws:TagKeys': tags.map(([key]) => key),
  };
}

/** `aws:ResourceTag/<key>` for each tag the resource has. */
function resourceTagContext(tags: ReadonlyMap<string, string>): Record<string, string | string[]> {
  return Object.fromEntries([...tags].map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
