import { createHash } from 'crypto';
import type { ChannelInfo } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DesiredChannel, parseChannelProperties } from './channel-properties';
import { ChannelGoneError, ChannelService, serviceErrorName } from './channel-service';
import { Logger } from './logger';
import { NO_CHANNEL_ID_PREFIX, OWNERSHIP_TAG_KEY, ChannelAttribute, RESERVED_TAG_KEYS, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';
import { CHANNEL_ARN_PATTERN, CHANNEL_NAME_MAX_LENGTH } from '../../src/handler-shared/signaling-channel-rules';

/** What the handler answers CloudFormation on success. */
export interface ChannelResult {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

/**
 * What a request has done so far, readable when it fails: a Create that fails after its channel exists
 * must answer with that channel's ARN, so that CloudFormation's next Delete removes it.
 */
export interface RequestProgress {
  createdChannelArn?: string;
}

/** A failure whose Reason is meant for the user as is. */
export class ChannelRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelRequestError';
  }
}

/** The channel name inside a channel ARN, or undefined for anything that is not a channel ARN. */
export function channelNameOf(physicalResourceId: string | undefined): string | undefined {
  return CHANNEL_ARN_PATTERN.exec(physicalResourceId ?? '')?.[1];
}

/**
 * A name for a channel the user did not name: `<stack name>.<logical id>.<hash of the request>`.
 * The stack-name prefix lets the provider's role be scoped to the stack's channels; stack names hold no
 * '.', so `Prod.` never matches the channels of a stack named `Prod-Eu`. The hash makes a
 * replacement's name differ from the old channel's, and a Create delivered twice produce the same name.
 */
export function generateChannelName(stackId: string, logicalResourceId: string, requestId: string): string {
  // arn:aws:cloudformation:<region>:<account>:stack/<stack name>/<guid>
  const stackName = stackId.split('/')[1] ?? 'stack';
  const suffix = createHash('sha256').update(requestId).digest('hex').slice(0, 12);
  const room = CHANNEL_NAME_MAX_LENGTH - stackName.length - suffix.length - 2;
  const logicalPart = logicalResourceId.replace(/[^a-zA-Z0-9_.-]/g, '').slice(0, Math.max(1, room));
  return `${stackName}.${logicalPart}.${suffix}`;
}

export interface LifecycleContext {
  readonly service: ChannelService;
  readonly log: Logger;
  readonly progress: RequestProgress;
  /** How long a last look may take after the deadline (did a failed create make its channel?). */
  readonly lastLookMs: number;
  /** The time now (epoch ms): how young a channel is. */
  readonly now: () => number;
}

/** What a request acts for: its stack (whose tag marks its channels) and itself. */
interface RequestIdentity {
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
}

/**
 * Tags can show up a moment after the channel does (the service is eventually consistent): a channel this
 * young that shows no tags at all may be ours still being tagged. Ours always carry two.
 */
const TAG_LAG_WINDOW_MS = 30_000;

/** Create, update or delete the channel of one CloudFormation request. */
export async function handleChannelEvent(event: CloudFormationCustomResourceEvent, ctx: LifecycleContext): Promise<ChannelResult> {
  switch (event.RequestType) {
    case 'Create':
      return createChannel(event, parseChannelProperties(event.ResourceProperties), ctx);
    case 'Update':
      return updateChannel(event, ctx);
    case 'Delete':
      // What the template said of the channel: whether it records, and so must be unlinked first.
      return deleteChannel(event.PhysicalResourceId, ctx, parseChannelProperties(event.ResourceProperties, { lenient: true }));
    default:
      throw new ChannelRequestError(`Unknown RequestType '${(event as { RequestType?: string }).RequestType}'`);
  }
}

function result(arn: string, name: string): ChannelResult {
  return { physicalResourceId: arn, data: { [ChannelAttribute.CHANNEL_ARN]: arn, [ChannelAttribute.CHANNEL_NAME]: name } };
}

async function createChannel(
  event: RequestIdentity,
  desired: DesiredChannel,
  ctx: LifecycleContext,
  replacing?: string,
): Promise<ChannelResult> {
  const name = desired.explicitName ?? generateChannelName(event.StackId, event.LogicalResourceId, event.RequestId);
  try {
    return await createAndWait(name, event, desired, ctx, replacing);
  } catch (error) {
    if (ctx.progress.createdChannelArn === undefined && !(error instanceof ChannelRequestError)) {
      // The Create may have reached the service without its answer reaching us (aborted at the deadline, a
      // dropped connection): if our channel exists, fail with its ARN so the next Delete removes it.
      await findOwnChannel(name, event.RequestId, desired, ctx);
    }
    throw error;
  }
}

async function createAndWait(
  name: string,
  request: RequestIdentity,
  desired: DesiredChannel,
  ctx: LifecycleContext,
  replacing: string | undefined,
): Promise<ChannelResult> {
  const { service, log, progress } = ctx;
  const requestId = request.RequestId;
  const tags = { ...desired.tags, [OWNERSHIP_TAG_KEY]: requestId, [STACK_TAG_KEY]: request.StackId };

  let arn: string | undefined;
  for (let attempt = 0; arn === undefined; attempt++) {
    try {
      arn = await service.create({ name, type: desired.channelType, messageTtlSeconds: desired.messageTtlSeconds, tags });
      log('INFO', 'created signaling channel', { channelArn: arn });
    } catch (error) {
      if (serviceErrorName(error) !== 'ResourceInUseException') {
        throw error;
      }
      // The name is taken: by this very request (Lambda delivered it twice), by a channel still being
      // deleted, or by somebody else's channel, which must never be adopted.
      const existing = await service.describe({ name });
      if (existing === undefined) {
        await service.pause(attempt, `creating signaling channel '${name}', whose name was taken a moment ago`);
        continue; // deleted in between: try again
      }
      if (existing.ChannelStatus === 'DELETING') {
        log('INFO', 'waiting for a deleted channel of the same name to go', { channelName: name });
        await service.waitUntilGone({ name });
        continue;
      }
      if (!await isOwnChannel(existing, requestId, desired, ctx, service)) {
        throw new ChannelRequestError(
          `A signaling channel named '${name}' already exists in this account and region and was not created by ` +
          'this request (it may be another stack\'s, or one this stack retained). Choose another channelName, ' +
          'or omit channelName to let the construct generate one.');
      }
      log('INFO', 'this request already created the channel (delivered twice)', { channelArn: existing.ChannelARN });
      arn = existing.ChannelARN!;
    }
  }
  progress.createdChannelArn = arn;
  await service.waitForActive(arn, { afterOwnCall: true, justCreated: true });
  if (desired.mediaStorageStreamArn !== undefined) {
    // Only an ACTIVE channel takes a media storage configuration. If this fails, the channel exists and
    // progress holds its ARN: the FAILED answer carries it, and CloudFormation's Delete removes it.
    await enableMediaStorage(arn, desired.mediaStorageStreamArn, ctx, { afterCreate: true, replacing, stackId: request.StackId });
  }
  return result(arn, name);
}

/**
 * Whether `existing` (a channel of the name this request creates) is this request's own: it carries the
 * request's ownership tag. Tags may show up a moment after the channel: a young channel with no tags at all
 * is looked at again until `TAG_LAG_WINDOW_MS` after its creation (within the deadline). A generated name
 * holds a hash of this request's id, so nobody else makes a channel of that name: young and untagged, it is
 * ours. An explicit name may be anybody's: it is ours only once our tag shows.
 */
async function isOwnChannel(
  existing: ChannelInfo,
  requestId: string,
  desired: DesiredChannel,
  ctx: LifecycleContext,
  service: ChannelService,
): Promise<boolean> {
  const createdAt = existing.CreationTime?.getTime();
  for (let attempt = 0; ; attempt++) {
    const tags = await service.listTags(existing.ChannelARN!);
    if (Object.keys(tags).length > 0) {
      return tags[OWNERSHIP_TAG_KEY] === requestId;
    }
    const young = createdAt !== undefined && ctx.now() - createdAt < TAG_LAG_WINDOW_MS;
    if (!young) return false;
    if (desired.explicitName === undefined) {
      ctx.log('INFO', 'a young channel of this request\'s generated name shows no tags yet: it is this request\'s', { channelArn: existing.ChannelARN });
      return true;
    }
    ctx.log('INFO', 'the channel shows no tags yet; looking again', { channelArn: existing.ChannelARN, attempt });
    await service.pause(attempt, `reading the tags of signaling channel ${existing.ChannelARN}, which shows none yet`);
  }
}

/** Record the channel of `name` as this request's if it is this request's own (`isOwnChannel`). */
async function findOwnChannel(name: string, requestId: string, desired: DesiredChannel, ctx: LifecycleContext): Promise<void> {
  const lookup = ctx.service.withDeadline(ctx.service.deadline.grace(ctx.lastLookMs));
  try {
    const existing = await lookup.describe({ name });
    if (existing?.ChannelARN && await isOwnChannel(existing, requestId, desired, ctx, lookup)) {
      ctx.progress.createdChannelArn = existing.ChannelARN;
      ctx.log('WARN', 'the failed create did make its channel; answering with its ARN', { channelArn: existing.ChannelARN });
    }
  } catch (lookupError) {
    ctx.log('WARN', 'could not check whether the failed create made a channel', { channelName: name, error: String(lookupError) });
  }
}

async function updateChannel(
  event: Extract<CloudFormationCustomResourceEvent, { RequestType: 'Update' }>,
  ctx: LifecycleContext,
): Promise<ChannelResult> {
  const { service, log } = ctx;
  const desired = parseChannelProperties(event.ResourceProperties);
  // Older versions of this construct may have written fewer fields; a rollback swaps old and new.
  const previous = parseChannelProperties(event.OldResourceProperties, { lenient: true });
  const arn = event.PhysicalResourceId;
  const currentName = channelNameOf(arn);

  if (currentName === undefined) {
    // No channel behind this resource (its create never made one): create it now.
    return replaceChannel(event, desired, ctx);
  }

  // Call only what the change needs: in a big stack every call counts against the account's quotas.
  // What the template changed says what to look at; what the channel is says what to do.
  const typeMayChange = desired.channelType !== previous.channelType;
  const ttlChanged = desired.messageTtlSeconds !== previous.messageTtlSeconds;
  const tagsChanged = !sameTags(desired.tags, previous.tags);
  // A stream replaced in the same deployment has a new ARN: that is a change like any other.
  const storageChanged = desired.mediaStorageStreamArn !== previous.mediaStorageStreamArn;
  const nameChanged = desired.explicitName !== undefined
    ? desired.explicitName !== currentName
    : currentName === previous.explicitName; // an explicit name dropped; not a rollback of a failed rename

  let current: ChannelInfo | undefined;
  if (typeMayChange || ttlChanged) {
    current = await service.describe({ arn });
    if (current === undefined) {
      log('WARN', 'the channel was deleted outside the stack; creating it again', { channelArn: arn });
      return replaceChannel(event, desired, ctx);
    }
  }
  // What the channel is, not what the old properties say: after a failed replacement, a rollback's old
  // properties describe the channel that was never made.
  const currentType = current?.ChannelType ?? previous.channelType;
  if (desired.channelType !== currentType || nameChanged) {
    if (desired.explicitName === currentName) {
      throw new ChannelRequestError(
        `Changing ChannelType from ${currentType} to ${desired.channelType} replaces signaling channel ` +
        `'${currentName}', and the new channel cannot take that name while the old one exists. Change ` +
        'channelName in the same deployment, or remove channelName to let the construct generate one.');
    }
    return replaceChannel(event, desired, ctx);
  }

  try {
    if (current !== undefined) {
      await updateMessageTtl(arn, desired.messageTtlSeconds, current, ctx);
    }
    if (tagsChanged) {
      await reconcileTags(arn, desired.tags, previous.tags, ctx);
    }
    if (storageChanged && previous.mediaStorageStreamArn !== undefined) {
      // The service refuses to link a channel that records into another stream (ResourceInUseException):
      // unlink it first, then link it to the new one. Unlinking a channel that records nothing is harmless
      // (a rollback's old properties may name a stream the channel never took).
      await disableMediaStorage(arn, ctx);
    }
    if (storageChanged && desired.mediaStorageStreamArn !== undefined) {
      await enableMediaStorage(arn, desired.mediaStorageStreamArn, ctx, { afterCreate: false, stackId: event.StackId });
    }
  } catch (error) {
    if (!(error instanceof ChannelGoneError)) throw error;
    log('WARN', 'the channel was deleted outside the stack; creating it again', { channelArn: arn });
    return replaceChannel(event, desired, ctx);
  }
  if (current === undefined && !tagsChanged && !storageChanged) {
    log('INFO', 'nothing to change', { channelArn: arn });
  }
  return result(arn, currentName);
}

/**
 * Make the channel record into `streamArn`. The service's refusals become Reasons that say what to do: a
 * stream that keeps no data, a stream that records a channel of another stack or of no stack (named, from
 * DescribeMappedResourceConfiguration). A stream that already records this channel (a request delivered
 * twice) is success. A stream that records another channel of this stack (the channel this one replaces, or
 * one the same deployment moves it from, renamed, removed or switched to another stream) is taken over:
 * that channel is unlinked, then this one linked. The template can give a stream to one channel only
 * (refused at synth), so the other channel cannot be meant to keep it; and it cannot be left to that
 * channel's own request, which may come after this one (a removed channel is deleted in CloudFormation's
 * cleanup phase, after every update). Anything else busy is the channel not ACTIVE yet for this operation:
 * wait and try again, within the deadline.
 */
async function enableMediaStorage(
  arn: string,
  streamArn: string,
  ctx: LifecycleContext,
  options: { afterCreate: boolean; stackId: string; replacing?: string },
): Promise<void> {
  const { service, log } = ctx;
  for (let attempt = 0; ; attempt++) {
    try {
      await service.updateMediaStorage(arn, 'ENABLED', streamArn, options.afterCreate);
      log('INFO', 'media storage enabled', { channelArn: arn, streamArn });
      return;
    } catch (error) {
      const name = serviceErrorName(error);
      if (name === 'NoDataRetentionException') {
        throw new ChannelRequestError(`Signaling channel ${arn} cannot record into Kinesis video stream ${streamArn}: ` +
          'the stream keeps no data (NoDataRetentionException). WebRTC ingestion needs a stream with a data ' +
          'retention period: give the stream a dataRetention of at least 1 hour (DataRetentionInHours > 0).');
      }
      if (name === 'ResourceNotFoundException') {
        if (await service.describe({ arn }) === undefined) throwGone(arn);
        throw new ChannelRequestError(`Signaling channel ${arn} cannot record into Kinesis video stream ${streamArn}: ` +
          `the service did not find it (ResourceNotFoundException: ${(error as Error).message})`);
      }
      if (name !== 'ResourceInUseException') {
        throw error;
      }
      const mapped = await service.mappedResources(streamArn);
      const others = mapped.filter(mappedArn => mappedArn !== arn);
      if (others.length === 0 && mapped.length > 0) {
        log('INFO', 'the stream already records this channel', { channelArn: arn, streamArn });
        return;
      }
      if (others.length > 0) {
        const foreign = await channelsOfOtherStacks(others, options, ctx);
        if (foreign.length > 0) {
          throw new ChannelRequestError(`Kinesis video stream ${streamArn} already records signaling channel ` +
            `${foreign.join(', ')}, which is not a channel of this stack (ResourceInUseException: a stream takes one ` +
            `channel). Record signaling channel ${arn} into another stream, or disable that channel's media storage first.`);
        }
        // DISABLED drops whatever link a channel has: unlink the other channel only while it still holds this
        // stream (its own request may have moved it to another since), then give the service a moment.
        const stillHolding = (await service.mappedResources(streamArn)).filter(mappedArn => mappedArn !== arn);
        for (const other of stillHolding) {
          log('INFO', 'moving media storage from another channel of this stack', { channelArn: arn, from: other, streamArn });
          await unlinkIfThere(other, ctx);
        }
        await service.pause(attempt, `enabling media storage on signaling channel ${arn} after moving ${streamArn} from another channel`);
        continue;
      }
      log('WARN', 'channel busy; enabling media storage again', { channelArn: arn, attempt });
      await service.pause(attempt, `enabling media storage on signaling channel ${arn} (ResourceInUseException)`);
    }
  }
}

/**
 * The channels among `arns` that this stack did not create: neither the one this request replaces nor one
 * carrying this stack's tag. The role may read the tags of its own stack's channels only (by that very tag):
 * a channel whose tags it may not read is another's. A channel that is gone a moment ago counts as this
 * stack's: its link went with it.
 */
async function channelsOfOtherStacks(arns: string[], options: { stackId: string; replacing?: string }, ctx: LifecycleContext): Promise<string[]> {
  const foreign: string[] = [];
  for (const other of arns) {
    if (other === options.replacing) continue;
    let tags: Record<string, string>;
    try {
      tags = await ctx.service.listTags(other);
    } catch (error) {
      const name = serviceErrorName(error);
      if (name === 'ResourceNotFoundException') continue;
      if (name !== 'AccessDeniedException') throw error;
      tags = {};
    }
    if (tags[STACK_TAG_KEY] !== options.stackId) foreign.push(other);
  }
  return foreign;
}

/** Unlink another channel from its stream; one that is gone has no link left. */
async function unlinkIfThere(arn: string, ctx: LifecycleContext): Promise<void> {
  try {
    await disableMediaStorage(arn, ctx);
  } catch (error) {
    if (!(error instanceof ChannelGoneError)) throw error;
  }
}

/** Stop the channel recording. A channel busy (not ACTIVE) is waited for; a channel gone is replaced. */
async function disableMediaStorage(arn: string, ctx: LifecycleContext): Promise<void> {
  const { service, log } = ctx;
  for (let attempt = 0; ; attempt++) {
    try {
      await service.updateMediaStorage(arn, 'DISABLED', undefined, false);
      log('INFO', 'media storage disabled', { channelArn: arn });
      return;
    } catch (error) {
      const name = serviceErrorName(error);
      if (name === 'ResourceNotFoundException') throwGone(arn);
      if (name !== 'ResourceInUseException') throw error;
      log('WARN', 'channel busy; disabling media storage again', { channelArn: arn, attempt });
      await service.pause(attempt, `disabling media storage on signaling channel ${arn} (ResourceInUseException)`);
    }
  }
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every(key => key in b && a[key] === b[key]);
}

/** At most this much of the deadline is kept back to delete a replacement that failed. */
const MAX_CLEANUP_RESERVE_MS = 60_000;

/**
 * Create the replacement; CloudFormation deletes the old channel in its cleanup phase. If the new channel
 * fails after it exists, delete it here: a failed Update keeps the old id, so CloudFormation would never
 * delete the new channel. Part of the time is kept back for that.
 */
async function replaceChannel(
  event: { StackId: string; LogicalResourceId: string; RequestId: string; PhysicalResourceId?: string },
  desired: DesiredChannel,
  ctx: LifecycleContext,
): Promise<ChannelResult> {
  const reserve = Math.min(MAX_CLEANUP_RESERVE_MS, ctx.service.deadline.remainingMs() / 3);
  const creating = { ...ctx, service: ctx.service.withDeadline(ctx.service.deadline.earlier(reserve)) };
  try {
    return await createChannel(event, desired, creating, 'PhysicalResourceId' in event ? String(event.PhysicalResourceId) : undefined);
  } catch (error) {
    const orphan = ctx.progress.createdChannelArn;
    if (orphan === undefined) {
      throw error;
    }
    ctx.progress.createdChannelArn = undefined;
    ctx.log('WARN', 'deleting the replacement channel that failed', { channelArn: orphan });
    try {
      await deleteChannel(orphan, ctx, desired);
    } catch (cleanupError) {
      throw new ChannelRequestError(`${(error as Error).message}. The new channel ${orphan} could not be deleted ` +
        `(${(cleanupError as Error).message}): delete it yourself.`);
    }
    throw error;
  }
}

/** Set the channel's TTL, from what a Describe just said of it. */
async function updateMessageTtl(arn: string, messageTtlSeconds: number, described: ChannelInfo, ctx: LifecycleContext): Promise<void> {
  const { service, log } = ctx;
  let info = described;
  for (let attempt = 0; ; attempt++) {
    if (info.ChannelStatus !== 'ACTIVE') {
      info = await service.waitForActive(arn, { afterOwnCall: false });
    }
    if (info.SingleMasterConfiguration?.MessageTtlSeconds === messageTtlSeconds) {
      return;
    }
    try {
      await service.updateMessageTtl(arn, info.Version!, messageTtlSeconds);
      log('INFO', 'updated message TTL', { channelArn: arn, messageTtlSeconds });
      await service.waitForActive(arn, { afterOwnCall: true });
      return;
    } catch (error) {
      const name = serviceErrorName(error);
      if (name !== 'VersionMismatchException' && name !== 'ResourceInUseException') {
        throw error;
      }
      // Someone changed the channel since we read its version, or it is still UPDATING: read it again.
      log('WARN', 'channel changed under us; reading it again', { channelArn: arn, error: name, attempt });
      await service.pause(attempt, `updating signaling channel ${arn} after ${name}`);
      info = await service.describe({ arn }) ?? throwGone(arn);
    }
  }
}

function throwGone(arn: string): never {
  throw new ChannelGoneError(arn);
}

/**
 * Make the channel's tags what the template says, touching only what differs. Tags this resource used to
 * declare and no longer does are removed; tags somebody added outside the stack are left alone.
 */
async function reconcileTags(
  arn: string,
  desired: Record<string, string>,
  previous: Record<string, string>,
  ctx: LifecycleContext,
): Promise<void> {
  let current: Record<string, string>;
  try {
    current = await ctx.service.listTags(arn);
  } catch (error) {
    if (serviceErrorName(error) === 'ResourceNotFoundException') throwGone(arn);
    throw error;
  }
  const toRemove = Object.keys(previous).filter(key => !(key in desired) && key in current && !RESERVED_TAG_KEYS.includes(key));
  const toSet = Object.fromEntries(Object.entries(desired).filter(([key, value]) => current[key] !== value));
  if (toRemove.length > 0) {
    await ctx.service.untag(arn, toRemove);
  }
  if (Object.keys(toSet).length > 0) {
    await ctx.service.tag(arn, toSet);
  }
  ctx.log('INFO', 'reconciled tags', { channelArn: arn, removed: toRemove.length, set: Object.keys(toSet).length });
}

/**
 * Delete the channel. The service refuses to delete a channel linked to a stream (ResourceInUseException:
 * the WebRTC ingestion guide says to unlink a channel before deleting it), so a channel the template said
 * records is unlinked first; one that turns out linked anyway (linked by an earlier version, or outside the
 * stack) is unlinked when the service refuses it, then deleted.
 */
async function deleteChannel(physicalResourceId: string, ctx: LifecycleContext, declared: DesiredChannel): Promise<ChannelResult> {
  const { service, log } = ctx;
  if (channelNameOf(physicalResourceId) === undefined) {
    // A failed create's id (NO_CHANNEL_ID_PREFIX...) or one CloudFormation invented: no channel to delete.
    log('INFO', 'no channel behind this id; nothing to delete', { physicalResourceId, noChannelPrefix: NO_CHANNEL_ID_PREFIX });
    return { physicalResourceId };
  }
  const arn = physicalResourceId;
  let unlinked = false;
  const unlink = async () => {
    unlinked = true;
    try {
      await disableMediaStorage(arn, ctx);
      return true;
    } catch (error) {
      if (error instanceof ChannelGoneError) return false;
      throw error;
    }
  };
  if (declared.mediaStorageStreamArn !== undefined && !await unlink()) {
    log('INFO', 'channel already gone', { channelArn: arn });
    return { physicalResourceId };
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await service.delete(arn);
      log('INFO', 'deleting signaling channel', { channelArn: arn });
      break;
    } catch (error) {
      const name = serviceErrorName(error);
      if (name === 'ResourceNotFoundException') {
        log('INFO', 'channel already gone', { channelArn: arn });
        return { physicalResourceId };
      }
      if (name !== 'ResourceInUseException') {
        throw error;
      }
      // Already DELETING (done), or CREATING/UPDATING (wait, then delete again).
      const info = await service.describe({ arn });
      if (info === undefined) {
        return { physicalResourceId };
      }
      if (info.ChannelStatus === 'DELETING') {
        break;
      }
      if (info.ChannelStatus === 'ACTIVE' && !unlinked) {
        // ACTIVE, yet refused: it records into a stream the template did not say (CLOUD_STORAGE_MODE).
        log('INFO', 'the channel is linked to a stream; unlinking it before deleting it', { channelArn: arn });
        if (!await unlink()) return { physicalResourceId };
        continue;
      }
      log('WARN', 'channel busy; trying the delete again', { channelArn: arn, status: info.ChannelStatus, attempt });
      await service.pause(attempt, `deleting signaling channel ${arn} (status ${info.ChannelStatus})`);
    }
  }
  // DELETING cannot be undone and ends by itself: waiting for it would only spend Describes. A Create that
  // needs the name again waits for it then.
  return { physicalResourceId };
}
