/**
 * The service's constraints on signaling channel inputs, as pure functions that return a problem (what is
 * allowed) or `undefined`. The construct checks them at synth time and the handler again at deploy time;
 * both import them from here. No aws-cdk-lib imports: esbuild bundles this module into the handler.
 */

import { RESERVED_TAG_KEYS } from './handler-contract';

export const CHANNEL_NAME_MAX_LENGTH = 256;
export const CHANNEL_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,256}$/;
/** `arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation time>`; group 1 is the name. */
export const CHANNEL_ARN_PATTERN = /^arn:[\w-]+:kinesisvideo:[\w-]+:\d{12}:channel\/([a-zA-Z0-9_.-]{1,256})\/\d+$/;
export const MESSAGE_TTL_MIN_SECONDS = 5;
export const MESSAGE_TTL_MAX_SECONDS = 120;
export const MESSAGE_TTL_DEFAULT_SECONDS = 60;
/** The service allows 50 tags per channel; the tags the handler writes itself take the rest. */
export const MAX_USER_TAGS = 50 - RESERVED_TAG_KEYS.length;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Channel types the service accepts. FULL_MESH is in the SDK's enum, but the service rejects it. */
export const SUPPORTED_CHANNEL_TYPES: readonly string[] = ['SINGLE_MASTER'];

export function channelNameProblem(name: string): string | undefined {
  if (CHANNEL_NAME_PATTERN.test(name)) {
    return undefined;
  }
  return `must be 1-${CHANNEL_NAME_MAX_LENGTH} characters of a-z, A-Z, 0-9, '_', '.' and '-' (got ${describeString(name)})`;
}

export function channelTypeProblem(type: string): string | undefined {
  if (SUPPORTED_CHANNEL_TYPES.includes(type)) {
    return undefined;
  }
  const fullMesh = type === 'FULL_MESH' ? ' (FULL_MESH is in the SDK but the service does not support it)' : '';
  return `must be one of ${SUPPORTED_CHANNEL_TYPES.join(', ')} (got ${describeString(type)})${fullMesh}`;
}

export function messageTtlProblem(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds >= MESSAGE_TTL_MIN_SECONDS && seconds <= MESSAGE_TTL_MAX_SECONDS) {
    return undefined;
  }
  return `must be a whole number of seconds from ${MESSAGE_TTL_MIN_SECONDS} to ${MESSAGE_TTL_MAX_SECONDS} (got ${seconds})`;
}

/**
 * Problems with one tag of a Kinesis Video resource (channel or stream), each naming the key: the service's
 * rules for tag keys and values.
 */
export function resourceTagProblems(key: string, value: string): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH || !TAG_CHARACTERS.test(key)) {
    problems.push(
      `tag key ${describeString(key)} must be 1-${TAG_KEY_MAX_LENGTH} letters, digits, spaces and _ . : / = + - @`,
    );
  }
  if (key.toLowerCase().startsWith('aws:')) {
    problems.push(`tag key ${describeString(key)} starts with 'aws:', which AWS reserves`);
  }
  if (value.length > TAG_VALUE_MAX_LENGTH || !TAG_CHARACTERS.test(value)) {
    problems.push(
      `tag ${describeString(key)} has value ${describeString(value)}; values must be 0-${TAG_VALUE_MAX_LENGTH} letters, digits, spaces and _ . : / = + - @`,
    );
  }
  return problems;
}

/** Problems with one tag of a channel: the service's rules, and the key this library keeps for itself. */
export function tagProblems(key: string, value: string): string[] {
  const problems = resourceTagProblems(key, value);
  if (RESERVED_TAG_KEYS.includes(key)) {
    problems.push(`tag key ${describeString(key)} is reserved by this library to mark the channels it creates`);
  }
  return problems;
}

export function tagCountProblem(count: number): string | undefined {
  if (count <= MAX_USER_TAGS) {
    return undefined;
  }
  return `at most ${MAX_USER_TAGS} tags are allowed (the service's 50, less the ${RESERVED_TAG_KEYS.length} this library adds), got ${count}`;
}

/** Quote a value for an error message, shortening very long ones so the message stays readable. */
export function describeString(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `'${shown}'${value.length > 80 ? ` (${value.length} characters)` : ''}`;
}
