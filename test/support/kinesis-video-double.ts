/**
 * A local stand-in for the Kinesis Video Streams control plane, for end-to-end tests and benchmarks.
 *
 * This file serves requests and holds the API below; each concept is a file of its own: the wire protocol
 * (kinesis-video-wire.ts), the quotas (kinesis-video-quotas.ts), what a call is authorized as
 * (kinesis-video-iam.ts, checked by iam-authorizer.ts), the service's state and what each operation does to it
 * (kinesis-video-state.ts, with the members' rules in kinesis-video-input-rules.ts), and fault injection
 * (kinesis-video-faults.ts). The next API's double is a state file and an operation table beside them.
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
 *   POST /describeImageGenerationConfiguration   POST /updateImageGenerationConfiguration
 *   POST /describeNotificationConfiguration      POST /updateNotificationConfiguration
 *     (a stream's images and notifications: kinesis-video-stream-configuration.ts)
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
 *   kvs.putStream({ name, dataRetentionInHours, status }) / kvs.streams()
 *                                     a stream, as another client created it; streams, what each records, and
 *                                     their image generation and notification configurations
 *   kvs.stop()
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { IamAuthorizer, IdentityPolicyDocument } from './iam-authorizer';
import { FaultInjector, faultError, FaultKind } from './kinesis-video-faults';
import { AuthorizationCheck, authorizationPlan } from './kinesis-video-iam';
import { QuotaMeter } from './kinesis-video-quotas';
import { ChannelSnapshot, ChannelStatus, KinesisVideoState, StreamSnapshot, TransitionDurations } from './kinesis-video-state';
import {
  ACCESS_DENIED_STATUS,
  answerError,
  answerOutput,
  checkSignature,
  Input,
  KinesisVideoOperation,
  OPERATION_BY_PATH,
  parseJsonObject,
  readBody,
  sentAtOf,
  ServiceError,
  signedRegionOf,
} from './kinesis-video-wire';

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

const DEFAULT_TRANSITIONS: TransitionDurations = { creatingMs: 200, updatingMs: 200, deletingMs: 200 };

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
  private readonly latencyMs: number;
  /** Undefined when quotas are not enforced. */
  private readonly quotas?: QuotaMeter;
  /** The caller's identity policy; undefined: every call is allowed. */
  private authorizer?: IamAuthorizer;
  private readonly server: http.Server;
  private readonly state: KinesisVideoState;
  private readonly recordedCalls: RecordedCall[] = [];
  private readonly faults = new FaultInjector<KinesisVideoDouble>();

  private constructor(options: KinesisVideoDoubleOptions) {
    this.accountId = options.accountId ?? '123456789012';
    this.state = new KinesisVideoState({
      accountId: this.accountId,
      transitions: { ...DEFAULT_TRANSITIONS, ...options.transitions },
      listTagsPageSize: options.listTagsPageSize ?? 50,
      newChannelInvisibleMs: options.newChannelInvisibleMs ?? 0,
      tagsVisibleAfterMs: options.tagsVisibleAfterMs ?? 0,
    });
    this.latencyMs = options.latencyMs ?? 0;
    this.quotas = options.enforceQuotas ?? true ? new QuotaMeter() : undefined;
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
    return this.state.channels(region);
  }

  /**
   * The next `times` calls of `operation` answer with `kind` instead of being served (queued in order).
   * `message` replaces the error message the service would give.
   */
  public injectFault(operation: KinesisVideoOperation, kind: FaultKind, times = 1, options: { message?: string } = {}): void {
    this.faults.inject(operation, kind, times, options.message);
  }

  /** Faults injected and not yet consumed, per operation. */
  public pendingFaults(): Partial<Record<KinesisVideoOperation, FaultKind[]>> {
    return this.faults.pending();
  }

  /** Run `action` once, just before the next call of `operation` is served: another client racing the caller. */
  public beforeNext(operation: KinesisVideoOperation, action: (input: Input, double: KinesisVideoDouble) => void): void {
    this.faults.beforeNext(operation, action);
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
    this.state.holdTransitions(...statuses);
  }

  /** Held transitions end their normal duration from now; nothing is held any more. */
  public releaseTransitions(): void {
    this.state.releaseTransitions();
  }

  /** Change transition durations for transitions that start from now on. */
  public setTransitions(durations: Partial<TransitionDurations>): void {
    this.state.setTransitions(durations);
  }

  /** Put a channel in place as another client (or another stack) would have created it: ACTIVE unless told. */
  public putChannel(channel: Parameters<KinesisVideoState['putChannel']>[0]): ChannelSnapshot {
    return this.state.putChannel(channel);
  }

  /** Another client updates a channel (by ARN or name): new version, UPDATING for `transitionMs`. */
  public updateOutOfBand(channel: string, change: { messageTtlSeconds?: number; transitionMs?: number }): void {
    this.state.updateOutOfBand(channel, change);
  }

  /** Another client deletes a channel (by ARN or name): DELETING, then gone. */
  public deleteOutOfBand(channel: string, options: { transitionMs?: number } = {}): void {
    this.state.deleteOutOfBand(channel, options);
  }

  /** Another client tags a channel (by ARN or name). */
  public tagOutOfBand(channel: string, tags: Record<string, string>): void {
    this.state.tagOutOfBand(channel, tags);
  }

  /** Put a stream in place, as another client created it (a new ARN each time a name is put again). */
  public putStream(stream: Parameters<KinesisVideoState['putStream']>[0]): StreamSnapshot {
    return this.state.putStream(stream);
  }

  /** Streams as the service holds them now, with the channel each records, sorted by name. */
  public streams(): StreamSnapshot[] {
    return this.state.streams();
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
    const sentAt = sentAtOf(request, receivedAt);
    const body = await readBody(request);
    const path = (request.url ?? '/').split('?')[0];
    const operation = OPERATION_BY_PATH[path];
    const region = signedRegionOf(request);
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
      checkSignature(request);
      input = parseJsonObject(body);

      const throttledBy = this.quotas?.admit(operation, region, input, sentAt);
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
        const plan = authorizationPlan(this.state, operation, input, region, receivedAt);
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

      const injected = this.faults.takeFault(operation);
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

      this.faults.runBefore(operation, input, this);
      this.state.settle();
      const output = this.state.apply(operation, input, region, receivedAt, reservedCreatedAt);
      if (fault === 'dropConnectionAfterApplying') {
        record('dropped', undefined, fault);
        request.socket.destroy();
        return;
      }
      record(200);
      answerOutput(response, output);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      record(error.httpStatus, error.errorType);
      answerError(response, error);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
