/**
 * Names of signaling channels: the one a channel ARN holds, and the one the handler makes for a channel the
 * user did not name.
 */
import { createHash } from 'crypto';
import { CHANNEL_ARN_PATTERN, CHANNEL_NAME_MAX_LENGTH } from '../../src/handler-shared/signaling-channel-rules';

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
