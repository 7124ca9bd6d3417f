import {
  ChannelInfo,
  CreateSignalingChannelCommand,
  DeleteSignalingChannelCommand,
  DescribeMappedResourceConfigurationCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMediaStorageConfigurationCommand,
  UpdateSignalingChannelCommand,
} from '@aws-sdk/client-kinesis-video';
import { Deadline, DeadlineExceededError, RETRY_BACKOFF } from './clock';
import { Logger } from './logger';
import { Pacer } from './pacing';

/** A last look at a channel comes at least this long before the deadline: time for the Describe to answer. */
const LOOK_BEFORE_DEADLINE_MS = 1_000;

/** TagResource and UntagResource take at most this many tags per call. */
export const TAGS_PER_CALL = 50;

/**
 * How many times AccessDenied is retried: right after a deployment it can be IAM propagating the role's new
 * policy. Five retries back off for about 6-12 seconds in all.
 */
export const ACCESS_DENIED_RETRIES = 5;

/** The service's answer to a caller over a quota. */
const THROTTLING_ERRORS = new Set(['ClientLimitExceededException', 'ThrottlingException', 'TooManyRequestsException']);

/** Errors that go away by themselves: throttling, faults of the service and of the network. */
const ALWAYS_RETRIED = new Set([
  ...THROTTLING_ERRORS,
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

export function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? 'Error';
}

/** The service's error name behind a ServiceCallError (`ResourceInUseException`...), else the error's own. */
export function serviceErrorName(error: unknown): string {
  return errorName(error instanceof ServiceCallError ? error.cause : error);
}

function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (ALWAYS_RETRIED.has(e?.name ?? '')) return true;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (e?.code && NETWORK_ERROR_CODES.has(e.code)) return true;
  return e?.$retryable !== undefined || /socket hang up|ECONNRESET|EPIPE/.test(String((error as Error)?.message));
}

/** A call the service refused for good; its message names the operation, the IAM action and the cause. */
export class ServiceCallError extends Error {
  constructor(public readonly operation: string, public readonly cause: unknown, detail: string) {
    super(`${operation} failed: ${detail}`);
    this.name = 'ServiceCallError';
  }
}

/**
 * The Kinesis Video calls the handler makes, paced with the rest of the stack (pacing.ts) and each retried
 * within the deadline: throttling and transient faults always, AccessDenied briefly (IAM propagation).
 * Domain errors (ResourceInUse, VersionMismatch, ResourceNotFound) go to the caller, which knows what they
 * mean for its step.
 */
export class ChannelService {
  constructor(
    private readonly client: KinesisVideoClient,
    private readonly bound: Deadline,
    private readonly log: Logger,
    private readonly pacer: Pacer,
  ) {}

  /** The same calls, bounded by another deadline (an earlier one, or a grace period after it). */
  public withDeadline(deadline: Deadline): ChannelService {
    return new ChannelService(this.client, deadline, this.log, this.pacer);
  }

  public get deadline(): Deadline {
    return this.bound;
  }

  public async call<T>(operation: string, resource: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.pacer.untilSlot(this.bound);
    let accessDenied: unknown;
    let throttles = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(this.bound.signal());
      } catch (error) {
        const name = errorName(error);
        const retry = isTransient(error) || (name === 'AccessDeniedException' && attempt < ACCESS_DENIED_RETRIES);
        if (!retry || this.bound.expired()) {
          // A missing permission says more than a call cut off at the deadline while retrying it: name it.
          throw this.explain(operation, resource, name === 'AbortError' && accessDenied !== undefined ? accessDenied : error);
        }
        if (name === 'AccessDeniedException') {
          accessDenied = error;
        }
        this.log('WARN', 'retrying', { operation, error: name, attempt });
        try {
          if (THROTTLING_ERRORS.has(name)) {
            // The quota is shared: give up this share, come back at this channel's slot of a later cycle.
            await this.pacer.untilRetryAfterThrottle(this.bound, ++throttles, `retrying ${operation} on ${resource} after ${name}`);
          } else {
            await this.bound.backoff(RETRY_BACKOFF, attempt, `retrying ${operation} on ${resource} after ${name}`);
          }
        } catch (deadlineError) {
          this.log('ERROR', 'gave up retrying at the deadline', { operation, error: name });
          // A missing permission says more than "timed out": name it.
          throw name === 'AccessDeniedException' ? this.explain(operation, resource, error) : deadlineError;
        }
      }
    }
  }

  /** Back off before trying a step again (a busy or changed channel), or throw at the deadline. */
  public async pause(attempt: number, what: string): Promise<void> {
    await this.bound.backoff(RETRY_BACKOFF, attempt, what);
  }

  private explain(operation: string, resource: string, error: unknown): Error {
    const name = errorName(error);
    const message = (error as Error)?.message ?? String(error);
    if (name === 'AccessDeniedException') {
      return new ServiceCallError(operation, error,
        `access denied. The handler's role needs kinesisvideo:${operation} on ${resource}; right after a ` +
        `deployment IAM may still be propagating, so retry it. The service said: ${message}`);
    }
    if (name === 'AbortError') {
      return new ServiceCallError(operation, error, `no answer from the service before the handler's deadline (${resource})`);
    }
    return new ServiceCallError(operation, error, `${name}: ${message} (${resource})`);
  }

  public async describe(channel: { arn?: string; name?: string }): Promise<ChannelInfo | undefined> {
    try {
      const output = await this.call('DescribeSignalingChannel', channel.arn ?? channel.name!, signal => this.client.send(
        new DescribeSignalingChannelCommand({ ChannelARN: channel.arn, ChannelName: channel.arn ? undefined : channel.name }),
        { abortSignal: signal }));
      return output.ChannelInfo;
    } catch (error) {
      if (serviceErrorName(error) === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  public async create(input: {
    name: string;
    type: string;
    messageTtlSeconds: number;
    tags: Record<string, string>;
  }): Promise<string> {
    const output = await this.call('CreateSignalingChannel', input.name, signal => this.client.send(new CreateSignalingChannelCommand({
      ChannelName: input.name,
      ChannelType: input.type as 'SINGLE_MASTER',
      SingleMasterConfiguration: { MessageTtlSeconds: input.messageTtlSeconds },
      Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
    }), { abortSignal: signal }));
    return output.ChannelARN!;
  }

  public async updateMessageTtl(arn: string, currentVersion: string, messageTtlSeconds: number): Promise<void> {
    await this.call('UpdateSignalingChannel', arn, signal => this.client.send(new UpdateSignalingChannelCommand({
      ChannelARN: arn,
      CurrentVersion: currentVersion,
      SingleMasterConfiguration: { MessageTtlSeconds: messageTtlSeconds },
    }), { abortSignal: signal }));
  }

  public async delete(arn: string): Promise<void> {
    await this.call('DeleteSignalingChannel', arn, signal => this.client.send(
      new DeleteSignalingChannelCommand({ ChannelARN: arn }), { abortSignal: signal }));
  }

  /**
   * Link the channel to a stream (ENABLED) or unlink it (DISABLED, with no stream: the one it records into
   * may be gone already), at the channel's media storage turn:
   * the operation's account quota (10 a second) is a fifth of the others'.
   */
  public async updateMediaStorage(arn: string, status: 'ENABLED' | 'DISABLED', streamArn: string | undefined, afterCreate: boolean): Promise<void> {
    // The request's slot first (when this is its first call), then the storage turn: the turn is the later.
    await this.pacer.untilSlot(this.bound);
    await this.pacer.untilStorageTurn(this.bound, afterCreate);
    await this.call('UpdateMediaStorageConfiguration', arn, signal => this.client.send(new UpdateMediaStorageConfigurationCommand({
      ChannelARN: arn,
      MediaStorageConfiguration: { Status: status, StreamARN: streamArn },
    }), { abortSignal: signal }));
  }

  /** The ARNs of the resources (signaling channels) a stream is mapped to, for a Reason that names them. */
  public async mappedResources(streamArn: string): Promise<string[]> {
    const output = await this.call('DescribeMappedResourceConfiguration', streamArn, signal => this.client.send(
      new DescribeMappedResourceConfigurationCommand({ StreamARN: streamArn }), { abortSignal: signal }));
    return (output.MappedResourceConfigurationList ?? []).map(item => item.ARN ?? '').filter(mapped => mapped !== '');
  }

  public async listTags(arn: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let nextToken: string | undefined;
    do {
      const output = await this.call('ListTagsForResource', arn, signal => this.client.send(
        new ListTagsForResourceCommand({ ResourceARN: arn, NextToken: nextToken }), { abortSignal: signal }));
      Object.assign(tags, output.Tags ?? {});
      nextToken = output.NextToken;
    } while (nextToken);
    return tags;
  }

  public async tag(arn: string, tags: Record<string, string>): Promise<void> {
    for (const batch of chunk(Object.entries(tags), TAGS_PER_CALL)) {
      await this.call('TagResource', arn, signal => this.client.send(new TagResourceCommand({
        ResourceARN: arn,
        Tags: batch.map(([Key, Value]) => ({ Key, Value })),
      }), { abortSignal: signal }));
    }
  }

  public async untag(arn: string, keys: string[]): Promise<void> {
    for (const batch of chunk(keys, TAGS_PER_CALL)) {
      await this.call('UntagResource', arn, signal => this.client.send(
        new UntagResourceCommand({ ResourceARN: arn, TagKeyList: batch }), { abortSignal: signal }));
    }
  }

  /**
   * Poll until a channel in transition is ACTIVE (the SDK has no waiter for signaling channels), waiting
   * before every look. `afterOwnCall`: this request's call has just started the transition, so the first
   * look waits until it can have ended; otherwise the caller has just seen it unfinished. A channel this
   * request just created can answer ResourceNotFound for a few seconds: that counts as "not yet" only then.
   */
  public async waitForActive(arn: string, options: { afterOwnCall: boolean; justCreated?: boolean }): Promise<ChannelInfo> {
    let lastStatus = options.afterOwnCall ? 'not looked at yet' : 'in transition';
    for (let attempt = 0; ; attempt++) {
      await this.sleepBeforeLook(this.pacer.lookDelay(attempt, options.afterOwnCall),
        `waiting for signaling channel ${arn} to become ACTIVE (last status: ${lastStatus})`);
      const info = await this.describe({ arn });
      lastStatus = info?.ChannelStatus ?? 'not found yet';
      if (info?.ChannelStatus === 'ACTIVE') {
        return info;
      }
      if (info === undefined && !options.justCreated) {
        throw new ChannelGoneError(arn);
      }
      if (info?.ChannelStatus === 'DELETING') {
        throw new Error(`Signaling channel ${arn} is being deleted by someone else while this request waits for it`);
      }
      this.log('INFO', 'not ACTIVE yet', { channelArn: arn, status: lastStatus, attempt });
    }
  }

  /**
   * Wait before a look, but never so long that the deadline leaves no time for it: a look planned past the
   * deadline comes just before it instead, so the request never gives up without a last look.
   */
  private async sleepBeforeLook(plannedMs: number, what: string): Promise<void> {
    const latest = this.bound.remainingMs() - LOOK_BEFORE_DEADLINE_MS;
    if (latest <= 0) {
      throw new DeadlineExceededError(what);
    }
    await this.bound.sleep(Math.min(plannedMs, latest), what);
  }

  /** Poll until a channel seen DELETING no longer exists (its name is to be used again). */
  public async waitUntilGone(channel: { arn?: string; name?: string }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.sleepBeforeLook(this.pacer.lookDelay(attempt, false),
        `waiting for signaling channel ${channel.arn ?? channel.name} to be deleted (last status: DELETING)`);
      if (await this.describe(channel) === undefined) {
        return;
      }
    }
  }
}

/** The channel does not exist (any more): deleted outside the stack. */
export class ChannelGoneError extends Error {
  constructor(public readonly channelArn: string) {
    super(`Signaling channel ${channelArn} does not exist; it was deleted outside this stack`);
    this.name = 'ChannelGoneError';
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push(items.slice(i, i + size));
  }
  return batches;
}
