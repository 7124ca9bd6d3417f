/**
 * What the Kinesis Video double accepts of a request's members, as the API reference words the service's
 * constraints. The numbers that are a contract with the handler are the handler's own (one value each).
 */
import { Input, invalidArgument, ServiceError } from './kinesis-video-wire';
import { MAX_TAGS_PER_RESOURCE, TAG_KEY_MAX_LENGTH, TAG_VALUE_MAX_LENGTH, TAGS_PER_CALL } from '../../src/handler-shared/kinesis-video-rules';
import { CHANNEL_NAME_MAX_LENGTH, MESSAGE_TTL_MAX_SECONDS, MESSAGE_TTL_MIN_SECONDS } from '../../src/handler-shared/signaling-channel-rules';

export const CHANNEL_NAME = new RegExp(`^[a-zA-Z0-9_.-]{1,${CHANNEL_NAME_MAX_LENGTH}}$`);
export const CHANNEL_ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
export const STREAM_ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]{12}:stream\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
export const VERSION = /^[a-zA-Z0-9]{1,64}$/;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAGS_PER_CHANNEL = MAX_TAGS_PER_RESOURCE;
export const MAX_TAGS_PER_CALL = TAGS_PER_CALL;

export function messageTtlOf(input: Input): number | undefined {
  const config = input.SingleMasterConfiguration;
  if (config === undefined || config === null) return undefined;
  const ttl = (config as Input).MessageTtlSeconds;
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl !== 'number') {
    throw new ServiceError('SerializationException', `MessageTtlSeconds must be a number, got ${typeof ttl}`);
  }
  if (!Number.isInteger(ttl) || ttl < MESSAGE_TTL_MIN_SECONDS || ttl > MESSAGE_TTL_MAX_SECONDS) {
    throw invalidArgument(`MessageTtlSeconds must be ${MESSAGE_TTL_MIN_SECONDS}-${MESSAGE_TTL_MAX_SECONDS}, got ${ttl}`);
  }
  return ttl;
}

export function tagListOf(input: Input, member: string, options: { required: boolean }): Array<[string, string]> {
  const list = input[member];
  if (list === undefined || list === null) {
    if (options.required) throw invalidArgument(`${member} is required`);
    return [];
  }
  if (!Array.isArray(list) || (options.required && list.length === 0)) {
    throw invalidArgument(`${member} must be a list of 1-${MAX_TAGS_PER_CALL} { Key, Value }`);
  }
  return list.map(tag => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || typeof Value !== 'string') {
      throw invalidArgument('Each tag needs a string Key and a string Value');
    }
    checkTagKey(Key);
    if (Value.length > TAG_VALUE_MAX_LENGTH || !TAG_CHARACTERS.test(Value)) {
      throw invalidArgument(`Tag value for '${Key}' must be 0-${TAG_VALUE_MAX_LENGTH} characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
    }
    return [Key, Value] as [string, string];
  });
}

export function checkTagKey(key: string): void {
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH || !TAG_CHARACTERS.test(key)) {
    throw invalidArgument(`Tag key '${key}' must be 1-${TAG_KEY_MAX_LENGTH} characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`);
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw invalidArgument(`Tag key '${key}' uses the reserved prefix 'aws:'`);
  }
}

