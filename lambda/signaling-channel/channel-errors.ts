/** The signaling channel's failures that the lifecycle tells apart. */
import { ReasonError } from '../custom-resource/reason-error';

/** A failure whose Reason is meant for the user as is. */
export class ChannelRequestError extends ReasonError {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelRequestError';
  }
}

/** The channel does not exist (any more): deleted outside the stack. */
export class ChannelGoneError extends Error {
  constructor(public readonly channelArn: string) {
    super(`Signaling channel ${channelArn} does not exist; it was deleted outside this stack`);
    this.name = 'ChannelGoneError';
  }
}

export function throwGone(arn: string): never {
  throw new ChannelGoneError(arn);
}
