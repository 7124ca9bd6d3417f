/** A signaling channel's tags kept to what the template declares. */
import { ChannelContext } from './channel-context';
import { throwGone } from './channel-errors';
import { RESERVED_TAG_KEYS } from '../../src/handler-shared/handler-contract';
import { serviceErrorName } from '../custom-resource/kinesis-video-calls';

export function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every(key => key in b && a[key] === b[key]);
}

/**
 * Make the channel's tags what the template says, touching only what differs. Tags this resource used to
 * declare and no longer does are removed; tags somebody added outside the stack are left alone.
 */
export async function reconcileTags(
  arn: string,
  desired: Record<string, string>,
  previous: Record<string, string>,
  ctx: ChannelContext,
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

