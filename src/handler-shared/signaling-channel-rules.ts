/**
 * The service's constraints on signaling channel inputs, as pure functions that return a problem (what is
 * allowed) or `undefined`. The construct checks them at synth time and the handler again at deploy time;
 * both import them from here (this folder is bundled into the handler).
 */

import { describeString } from './describe-string';
import { RESERVED_TAG_KEYS } from './handler-contract';
import { MAX_TAGS_PER_RESOURCE, kinesisVideoArnPattern, resourceNameProblem, resourceTagProblems } from './kinesis-video-rules';

export const CHANNEL_NAME_MAX_LENGTH = 256;
/** `arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation time>`; group 1 is the name. */
export const CHANNEL_ARN_PATTERN = kinesisVideoArnPattern('channel', CHANNEL_NAME_MAX_LENGTH);
export const MESSAGE_TTL_MIN_SECONDS = 5;
export const MESSAGE_TTL_MAX_SECONDS = 120;
export const MESSAGE_TTL_DEFAULT_SECONDS = 60;
/** The service allows 50 tags per channel; the tags the handler writes itself take the rest. */
export const MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - RESERVED_TAG_KEYS.length;

/** Channel types the service accepts. FULL_MESH is in the SDK's enum, but the service rejects it. */
export const SUPPORTED_CHANNEL_TYPES: readonly string[] = ['SINGLE_MASTER'];

export function channelNameProblem(name: string): string | undefined {
  return resourceNameProblem(name, CHANNEL_NAME_MAX_LENGTH);
}

export function channelTypeProblem(type: string): string | undefined {
  if (SUPPORTED_CHANNEL_TYPES.includes(type)) {
    return undefined;
  }
  const fullMesh = type === 'FULL_MESH' ? ' (FULL_MESH is in the SDK but the service does not support it)' : '';
  return `must be one of ${SUPPORTED_CHANNEL_TYPES.join(', ')} (got ${describeString(type)})${fullMesh}`;
}

/**
 * @param shown how the message shows the value: the handler parses a string ('1e2'), and shows that string,
 * not the number it read
 */
export function messageTtlProblem(seconds: number, shown: string = String(seconds)): string | undefined {
  if (Number.isInteger(seconds) && seconds >= MESSAGE_TTL_MIN_SECONDS && seconds <= MESSAGE_TTL_MAX_SECONDS) {
    return undefined;
  }
  return `must be a whole number of seconds from ${MESSAGE_TTL_MIN_SECONDS} to ${MESSAGE_TTL_MAX_SECONDS} (got ${shown})`;
}

/** Problems with one tag of a channel: the service's rules, and the keys this library keeps for itself. */
export function channelTagProblems(key: string, value: string): string[] {
  const problems = resourceTagProblems(key, value);
  if (RESERVED_TAG_KEYS.includes(key)) {
    problems.push(`tag key ${describeString(key)} is reserved by this library to mark the channels it creates`);
  }
  return problems;
}

export function channelTagCountProblem(count: number): string | undefined {
  if (count <= MAX_USER_TAGS) {
    return undefined;
  }
  return `at most ${MAX_USER_TAGS} tags are allowed (the service's ${MAX_TAGS_PER_RESOURCE}, less the ${RESERVED_TAG_KEYS.length} this library adds), got ${count}`;
}
