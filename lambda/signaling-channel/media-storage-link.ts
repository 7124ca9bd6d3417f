/**
 * Linking a signaling channel to the Kinesis video stream it records into (media storage, WebRTC ingestion),
 * and unlinking it: the service's refusals turned into Reasons that say what to do.
 */
import { ChannelContext } from './channel-context';
import { ChannelGoneError, ChannelRequestError, throwGone } from './channel-errors';
import { STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';
import { serviceErrorName } from '../custom-resource/kinesis-video-calls';

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
export async function enableMediaStorage(
  arn: string,
  streamArn: string,
  ctx: ChannelContext,
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
async function channelsOfOtherStacks(arns: string[], options: { stackId: string; replacing?: string }, ctx: ChannelContext): Promise<string[]> {
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
async function unlinkIfThere(arn: string, ctx: ChannelContext): Promise<void> {
  try {
    await disableMediaStorage(arn, ctx);
  } catch (error) {
    if (!(error instanceof ChannelGoneError)) throw error;
  }
}

/** Stop the channel recording. A channel busy (not ACTIVE) is waited for; a channel gone is replaced. */
export async function disableMediaStorage(arn: string, ctx: ChannelContext): Promise<void> {
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

