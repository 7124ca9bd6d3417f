import {
  ChannelInfo,
  CreateSignalingChannelCommand,
  DeleteSignalingChannelCommand,
  DescribeMappedResourceConfigurationCommand,
  DescribeSignalingChannelCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMediaStorageConfigurationCommand,
  UpdateSignalingChannelCommand,
} from '@aws-sdk/client-kinesis-video';
import { ChannelGoneError } from './channel-errors';
import { TAGS_PER_CALL } from '../../src/handler-shared/kinesis-video-rules';
import { Deadline, DeadlineExceededError } from '../custom-resource/deadline';
import { KinesisVideoCalls, serviceErrorName } from '../custom-resource/kinesis-video-calls';

/** A last look at a channel comes at least this long before the deadline: time for the Describe to answer. */
const LOOK_BEFORE_DEADLINE_MS = 1_000;

/**
 * The signaling channel's calls to Kinesis Video, each paced and retried by `KinesisVideoCalls`, and the
 * waits for a channel's transitions (the SDK has no waiter for signaling channels).
 */
export class ChannelService {
  constructor(private readonly calls: KinesisVideoCalls) {}

  /** The same calls, bounded by another deadline (an earlier one, or a grace period after it). */
  public withDeadline(deadline: Deadline): ChannelService {
    return new ChannelService(this.calls.withDeadline(deadline));
  }

  public get deadline(): Deadline {
    return this.calls.deadline;
  }

  /** Back off before trying a step again (a busy or changed channel), or throw at the deadline. */
  public async pause(attempt: number, what: string): Promise<void> {
    await this.calls.pause(attempt, what);
  }

  public async describe(channel: { arn?: string; name?: string }): Promise<ChannelInfo | undefined> {
    try {
      const output = await this.calls.call('DescribeSignalingChannel', channel.arn ?? channel.name!, signal => this.calls.client.send(
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
    const output = await this.calls.call('CreateSignalingChannel', input.name, signal => this.calls.client.send(new CreateSignalingChannelCommand({
      ChannelName: input.name,
      ChannelType: input.type as 'SINGLE_MASTER',
      SingleMasterConfiguration: { MessageTtlSeconds: input.messageTtlSeconds },
      Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
    }), { abortSignal: signal }));
    return output.ChannelARN!;
  }

  public async updateMessageTtl(arn: string, currentVersion: string, messageTtlSeconds: number): Promise<void> {
    await this.calls.call('UpdateSignalingChannel', arn, signal => this.calls.client.send(new UpdateSignalingChannelCommand({
      ChannelARN: arn,
      CurrentVersion: currentVersion,
      SingleMasterConfiguration: { MessageTtlSeconds: messageTtlSeconds },
    }), { abortSignal: signal }));
  }

  public async delete(arn: string): Promise<void> {
    await this.calls.call('DeleteSignalingChannel', arn, signal => this.calls.client.send(
      new DeleteSignalingChannelCommand({ ChannelARN: arn }), { abortSignal: signal }));
  }

  /**
   * Link the channel to a stream (ENABLED) or unlink it (DISABLED, with no stream: the one it records into
   * may be gone already), at the channel's media storage turn:
   * the operation's account quota (10 a second) is a fifth of the others'.
   */
  public async updateMediaStorage(arn: string, status: 'ENABLED' | 'DISABLED', streamArn: string | undefined, afterCreate: boolean): Promise<void> {
    // The request's slot first (when this is its first call), then the storage turn: the turn is the later.
    await this.calls.pacer.untilSlot(this.calls.deadline);
    await this.calls.pacer.untilStorageTurn(this.calls.deadline, afterCreate);
    await this.calls.call('UpdateMediaStorageConfiguration', arn, signal => this.calls.client.send(new UpdateMediaStorageConfigurationCommand({
      ChannelARN: arn,
      MediaStorageConfiguration: { Status: status, StreamARN: streamArn },
    }), { abortSignal: signal }));
  }

  /** The ARNs of the resources (signaling channels) a stream is mapped to, for a Reason that names them. */
  public async mappedResources(streamArn: string): Promise<string[]> {
    const output = await this.calls.call('DescribeMappedResourceConfiguration', streamArn, signal => this.calls.client.send(
      new DescribeMappedResourceConfigurationCommand({ StreamARN: streamArn }), { abortSignal: signal }));
    return (output.MappedResourceConfigurationList ?? []).map(item => item.ARN ?? '').filter(mapped => mapped !== '');
  }

  public async listTags(arn: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    let nextToken: string | undefined;
    do {
      const output = await this.calls.call('ListTagsForResource', arn, signal => this.calls.client.send(
        new ListTagsForResourceCommand({ ResourceARN: arn, NextToken: nextToken }), { abortSignal: signal }));
      Object.assign(tags, output.Tags ?? {});
      nextToken = output.NextToken;
    } while (nextToken);
    return tags;
  }

  public async tag(arn: string, tags: Record<string, string>): Promise<void> {
    for (const batch of chunk(Object.entries(tags), TAGS_PER_CALL)) {
      await this.calls.call('TagResource', arn, signal => this.calls.client.send(new TagResourceCommand({
        ResourceARN: arn,
        Tags: batch.map(([Key, Value]) => ({ Key, Value })),
      }), { abortSignal: signal }));
    }
  }

  public async untag(arn: string, keys: string[]): Promise<void> {
    for (const batch of chunk(keys, TAGS_PER_CALL)) {
      await this.calls.call('UntagResource', arn, signal => this.calls.client.send(
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
      await this.sleepBeforeLook(this.calls.pacer.lookDelay(attempt, options.afterOwnCall),
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
      this.calls.log('INFO', 'not ACTIVE yet', { channelArn: arn, status: lastStatus, attempt });
    }
  }

  /**
   * Wait before a look, but never so long that the deadline leaves no time for it: a look planned past the
   * deadline comes just before it instead, so the request never gives up without a last look.
   */
  private async sleepBeforeLook(plannedMs: number, what: string): Promise<void> {
    const latest = this.calls.deadline.remainingMs() - LOOK_BEFORE_DEADLINE_MS;
    if (latest <= 0) {
      throw new DeadlineExceededError(what);
    }
    await this.calls.deadline.sleep(Math.min(plannedMs, latest), what);
  }

  /** Poll until a channel seen DELETING no longer exists (its name is to be used again). */
  public async waitUntilGone(channel: { arn?: string; name?: string }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.sleepBeforeLook(this.calls.pacer.lookDelay(attempt, false),
        `waiting for signaling channel ${channel.arn ?? channel.name} to be deleted (last status: DELETING)`);
      if (await this.describe(channel) === undefined) {
        return;
      }
    }
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push(items.slice(i, i + size));
  }
  return batches;
}
