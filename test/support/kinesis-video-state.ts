/**
 * The Kinesis Video double's state: the channels and streams of the account as the service holds them, their
 * transitions (CREATING, UPDATING, DELETING, each ending after its duration, or held), and what each operation
 * does to them once the wire, the quotas, IAM and the injected faults have let a call through. Time is read
 * lazily (`settle`): no timers to clean up.
 */
import { randomBytes } from 'crypto';
import { CHANNEL_ARN, CHANNEL_NAME, checkTagKey, MAX_TAGS_PER_CALL, MAX_TAGS_PER_CHANNEL, messageTtlOf, tagListOf, VERSION } from './kinesis-video-input-rules';
import { applyStreamConfiguration, ConfigurableStream } from './kinesis-video-stream-configuration';
import { Input, invalidArgument, KinesisVideoOperation, optionalString, requiredString, ServiceError } from './kinesis-video-wire';
import { CHANNEL_NAME_MAX_LENGTH } from '../../src/handler-shared/signaling-channel-rules';

export type ChannelStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export interface TransitionDurations {
  /** How long a new channel stays CREATING. */
  readonly creatingMs: number;
  /** How long an updated channel stays UPDATING. */
  readonly updatingMs: number;
  /** How long a deleted channel stays DELETING (its name still taken) before it is gone. */
  readonly deletingMs: number;
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
  readonly status: ConfigurableStream['status'];
  /** The configurations the Update calls set (as given), if any. */
  readonly imageGeneration?: Record<string, unknown>;
  readonly notification?: Record<string, unknown>;
}

/** How the service behaves, as the double's options set it. */
export interface KinesisVideoStateOptions {
  readonly accountId: string;
  readonly transitions: TransitionDurations;
  readonly listTagsPageSize: number;
  readonly newChannelInvisibleMs: number;
  readonly tagsVisibleAfterMs: number;
}

export interface ChannelRecord {
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

export interface StreamRecord extends ConfigurableStream {
  name: string;
  arn: string;
  region: string;
  dataRetentionInHours: number;
}

export class KinesisVideoState {
  public readonly accountId: string;
  private transitions: TransitionDurations;
  private readonly listTagsPageSize: number;
  private readonly newChannelInvisibleMs: number;
  private readonly tagsVisibleAfterMs: number;
  private readonly records = new Map<string, ChannelRecord>();
  private readonly streamRecords = new Map<string, StreamRecord>();
  private readonly held = new Set<ChannelStatus>();
  private lastCreatedAt = 0;

  constructor(options: KinesisVideoStateOptions) {
    this.accountId = options.accountId;
    this.transitions = options.transitions;
    this.listTagsPageSize = options.listTagsPageSize;
    this.newChannelInvisibleMs = options.newChannelInvisibleMs;
    this.tagsVisibleAfterMs = options.tagsVisibleAfterMs;
  }

  /** Channels as the service holds them now, transitions settled, sorted by region then name. */
  public channels(region?: string): ChannelSnapshot[] {
    this.settle();
    return [...this.records.values()]
      .filter(record => region === undefined || record.region === region)
      .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name))
      .map(record => this.snapshot(record));
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
  public putStream(stream: { name: string; region?: string; dataRetentionInHours: number; createdAt?: number; status?: ConfigurableStream['status'] }): StreamSnapshot {
    const region = stream.region ?? 'us-east-1';
    // `createdAt` fixes the ARN's creation time: a stack synthesized before the double started can name it.
    const createdAt = stream.createdAt ?? Math.max(Date.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = Math.max(this.lastCreatedAt, createdAt);
    const record: StreamRecord = {
      name: stream.name,
      arn: `arn:${partitionOf(region)}:kinesisvideo:${region}:${this.accountId}:stream/${stream.name}/${createdAt}`,
      region,
      dataRetentionInHours: stream.dataRetentionInHours,
      status: stream.status ?? 'ACTIVE',
    };
    this.streamRecords.set(recordKey(region, stream.name), record);
    return this.streamSnapshot(record);
  }

  /** Streams as the service holds them now, with the channel each records, sorted by name. */
  public streams(): StreamSnapshot[] {
    this.settle();
    return [...this.streamRecords.values()].sort((a, b) => a.name.localeCompare(b.name)).map(record => this.streamSnapshot(record));
  }

  /** The stream of `region` by its ARN, else by its name. */
  public findStream(region: string, arn: string | undefined, name: string | undefined): StreamRecord | undefined {
    return [...this.streamRecords.values()].find(candidate => candidate.region === region
      && (arn !== undefined ? candidate.arn === arn : candidate.name === name));
  }

  public apply(operation: KinesisVideoOperation, input: Input, region: string, now: number, reservedCreatedAt?: number): object {
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
      case 'DescribeImageGenerationConfiguration':
      case 'UpdateImageGenerationConfiguration':
      case 'DescribeNotificationConfiguration':
      case 'UpdateNotificationConfiguration':
        return applyStreamConfiguration(operation, input, this.findStream(region, optionalString(input, 'StreamARN'), optionalString(input, 'StreamName')));
    }
  }

  private create(input: Input, region: string, now: number, reservedCreatedAt?: number): object {
    const name = requiredString(input, 'ChannelName');
    if (!CHANNEL_NAME.test(name)) {
      throw invalidArgument(`ChannelName '${name}' must be 1-${CHANNEL_NAME_MAX_LENGTH} characters of [a-zA-Z0-9_.-]`);
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
    const { name, arn, record } = this.channelNamedBy(input, region);
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
    const { name, arn, record } = this.channelNamedBy(input, region);
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
    const stream = this.findStream(region, arn, name);
    if (!stream) {
      throw new ServiceError('ResourceNotFoundException', `The requested stream ${arn ?? name} was not found`, 404);
    }
    const channel = this.channelRecording(stream.arn);
    return { MappedResourceConfigurationList: channel === undefined ? [] : [{ Type: 'SIGNALING_CHANNEL', ARN: channel.arn }] };
  }

  /** The channel a Describe names, by its ARN or else by its name (one of them is required). */
  private channelNamedBy(input: Input, region: string): { name?: string; arn?: string; record?: ChannelRecord } {
    const name = optionalString(input, 'ChannelName');
    const arn = optionalString(input, 'ChannelARN');
    if (name === undefined && arn === undefined) {
      throw invalidArgument('Either ChannelName or ChannelARN is required');
    }
    return { name, arn, record: arn !== undefined ? this.findByArn(region, arn) : this.findByName(region, name!) };
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
      status: record.status,
      imageGeneration: record.imageGeneration,
      notification: record.notification,
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

  public findByArn(region: string, arn: string): ChannelRecord | undefined {
    return [...this.records.values()].find(record => record.region === region && record.arn === arn);
  }

  public findByName(region: string, name: string): ChannelRecord | undefined {
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
  public nextCreationTime(now: number): number {
    const createdAt = Math.max(now, this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    return createdAt;
  }

  /** A channel's tags as readers see them: none yet while they lag behind its creation (`tagsVisibleAfterMs`). */
  public visibleTags(record: ChannelRecord, now: number): ReadonlyMap<string, string> {
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
  public settle(): void {
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

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function newVersion(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(20)].map(byte => alphabet[byte % alphabet.length]).join('');
}

function notFound(resource: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `The requested signaling channel ${resource} was not found`, 404);
}

