/**
 * Which channel is this request's own. A Create may meet a channel of the name it creates: made by this very
 * request (Lambda delivered it twice, or the answer to its Create was lost), or somebody else's, which must
 * never be adopted. The ownership tag (OWNERSHIP_TAG_KEY) tells them apart.
 */
import type { ChannelInfo } from '@aws-sdk/client-kinesis-video';
import { ChannelContext } from './channel-context';
import { DesiredChannel } from './channel-properties';
import { ChannelService } from './channel-service';
import { OWNERSHIP_TAG_KEY } from '../../src/handler-shared/handler-contract';

/**
 * Tags can show up a moment after the channel does (the service is eventually consistent): a channel this
 * young that shows no tags at all may be ours still being tagged. Ours always carry two.
 */
const TAG_LAG_WINDOW_MS = 30_000;

/**
 * Whether `existing` (a channel of the name this request creates) is this request's own: it carries the
 * request's ownership tag. Tags may show up a moment after the channel: a young channel with no tags at all
 * is looked at again until `TAG_LAG_WINDOW_MS` after its creation (within the deadline). A generated name
 * holds a hash of this request's id, so nobody else makes a channel of that name: young and untagged, it is
 * ours. An explicit name may be anybody's: it is ours only once our tag shows.
 */
export async function isOwnChannel(
  existing: ChannelInfo,
  requestId: string,
  desired: DesiredChannel,
  ctx: ChannelContext,
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
export async function findOwnChannel(name: string, requestId: string, desired: DesiredChannel, ctx: ChannelContext): Promise<void> {
  const lookup = ctx.service.withDeadline(ctx.service.deadline.grace(ctx.lastLookMs));
  try {
    const existing = await lookup.describe({ name });
    if (existing?.ChannelARN && await isOwnChannel(existing, requestId, desired, ctx, lookup)) {
      ctx.progress.createdPhysicalResourceId = existing.ChannelARN;
      ctx.log('WARN', 'the failed create did make its channel; answering with its ARN', { channelArn: existing.ChannelARN });
    }
  } catch (lookupError) {
    ctx.log('WARN', 'could not check whether the failed create made a channel', { channelName: name, error: String(lookupError) });
  }
}

