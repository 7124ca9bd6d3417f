/**
 * A signaling channel's lifecycle: create, update (in place, or by replacement) and delete, for one
 * CloudFormation request. Who owns a channel (channel-ownership.ts), its link to a stream
 * (media-storage-link.ts) and its tags (channel-tags.ts) are in files of their own.
 */
import type { ChannelInfo } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ChannelContext } from './channel-context';
import { ChannelGoneError, ChannelRequestError, throwGone } from './channel-errors';
import { channelNameOf, generateChannelName } from './channel-names';
import { findOwnChannel, isOwnChannel } from './channel-ownership';
import { DesiredChannel, parseChannelProperties } from './channel-properties';
import { reconcileTags, sameTags } from './channel-tags';
import { disableMediaStorage, enableMediaStorage } from './media-storage-link';
import { ChannelAttribute, NO_CHANNEL_ID_PREFIX, OWNERSHIP_TAG_KEY, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';
import { serviceErrorName } from '../custom-resource/kinesis-video-calls';
import { ResourceResult } from '../custom-resource/resource-kind';

/** What a request acts for: its stack (whose tag marks its channels) and itself. */
interface RequestIdentity {
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
}

/** Create, update or delete the channel of one CloudFormation request. */
export async function handleChannelEvent(event: CloudFormationCustomResourceEvent, ctx: ChannelContext): Promise<ResourceResult> {
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

function result(arn: string, name: string): ResourceResult {
  return { physicalResourceId: arn, data: { [ChannelAttribute.CHANNEL_ARN]: arn, [ChannelAttribute.CHANNEL_NAME]: name } };
}

async function createChannel(
  event: RequestIdentity,
  desired: DesiredChannel,
  ctx: ChannelContext,
  replacing?: string,
): Promise<ResourceResult> {
  const name = desired.explicitName ?? generateChannelName(event.StackId, event.LogicalResourceId, event.RequestId);
  try {
    return await createAndWait(name, event, desired, ctx, replacing);
  } catch (error) {
    if (ctx.progress.createdPhysicalResourceId === undefined && !(error instanceof ChannelRequestError)) {
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
  ctx: ChannelContext,
  replacing: string | undefined,
): Promise<ResourceResult> {
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
  progress.createdPhysicalResourceId = arn;
  await service.waitForActive(arn, { afterOwnCall: true, justCreated: true });
  if (desired.mediaStorageStreamArn !== undefined) {
    // Only an ACTIVE channel takes a media storage configuration. If this fails, the channel exists and
    // progress holds its ARN: the FAILED answer carries it, and CloudFormation's Delete removes it.
    await enableMediaStorage(arn, desired.mediaStorageStreamArn, ctx, { afterCreate: true, replacing, stackId: request.StackId });
  }
  return result(arn, name);
}

async function updateChannel(
  event: Extract<CloudFormationCustomResourceEvent, { RequestType: 'Update' }>,
  ctx: ChannelContext,
): Promise<ResourceResult> {
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
  // What the template changed says what to look at; what the channel is says what to do. The type is not
  // among them: SINGLE_MASTER is the only one accepted, at synth and here.
  const ttlChanged = desired.messageTtlSeconds !== previous.messageTtlSeconds;
  const tagsChanged = !sameTags(desired.tags, previous.tags);
  // A stream replaced in the same deployment has a new ARN: that is a change like any other.
  const storageChanged = desired.mediaStorageStreamArn !== previous.mediaStorageStreamArn;
  const nameChanged = desired.explicitName !== undefined
    ? desired.explicitName !== currentName
    : currentName === previous.explicitName; // an explicit name dropped; not a rollback of a failed rename

  let current: ChannelInfo | undefined;
  if (ttlChanged) {
    current = await service.describe({ arn });
    if (current === undefined) {
      log('WARN', 'the channel was deleted outside the stack; creating it again', { channelArn: arn });
      return replaceChannel(event, desired, ctx);
    }
  }
  if (nameChanged) {
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
  ctx: ChannelContext,
): Promise<ResourceResult> {
  const reserve = Math.min(MAX_CLEANUP_RESERVE_MS, ctx.service.deadline.remainingMs() / 3);
  const creating = { ...ctx, service: ctx.service.withDeadline(ctx.service.deadline.earlier(reserve)) };
  try {
    return await createChannel(event, desired, creating, 'PhysicalResourceId' in event ? String(event.PhysicalResourceId) : undefined);
  } catch (error) {
    const orphan = ctx.progress.createdPhysicalResourceId;
    if (orphan === undefined) {
      throw error;
    }
    ctx.progress.createdPhysicalResourceId = undefined;
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
async function updateMessageTtl(arn: string, messageTtlSeconds: number, described: ChannelInfo, ctx: ChannelContext): Promise<void> {
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

/**
 * Delete the channel. The service refuses to delete a channel linked to a stream (ResourceInUseException:
 * the WebRTC ingestion guide says to unlink a channel before deleting it), so a channel the template said
 * records is unlinked first; one that turns out linked anyway (linked by an earlier version, or outside the
 * stack) is unlinked when the service refuses it, then deleted.
 */
async function deleteChannel(physicalResourceId: string, ctx: ChannelContext, declared: DesiredChannel): Promise<ResourceResult> {
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
