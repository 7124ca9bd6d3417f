/**
 * The Kinesis Video API's rules that hold for every resource of the service (signaling channels, streams):
 * names, ARNs and tags, as pure functions that return a problem (what is allowed) or `undefined`.
 *
 * The resources' own rules (`signaling-channel-rules.ts`, `stream-rules.ts`) build on these. esbuild bundles
 * this folder into the handler: the lint rule for `src/handler-shared/` refuses aws-cdk-lib and constructs.
 */

import { describeString } from './describe-string';

/** Characters of a channel, stream or device name: "[a-zA-Z0-9_.-]+" in the API reference. */
const NAME_CHARACTERS = /^[a-zA-Z0-9_.-]+$/;

/** What a name of 1 to `maxLength` characters of `a-zA-Z0-9_.-` may be, or `undefined` when it is valid. */
export function resourceNameProblem(name: string, maxLength: number): string | undefined {
  if (name.length >= 1 && name.length <= maxLength && NAME_CHARACTERS.test(name)) {
    return undefined;
  }
  return `must be 1-${maxLength} characters of a-z, A-Z, 0-9, '_', '.' and '-' (got ${describeString(name)})`;
}

/**
 * `arn:<partition>:kinesisvideo:<region>:<account>:<resourceType>/<name>/<creation time>`; group 1 is the name.
 * Both channel and stream ARNs end with their creation time.
 */
export function kinesisVideoArnPattern(resourceType: string, nameMaxLength: number): RegExp {
  return new RegExp(
    `^arn:[\\w-]+:kinesisvideo:[\\w-]+:\\d{12}:${resourceType}\\/([a-zA-Z0-9_.-]{1,${nameMaxLength}})\\/\\d+$`,
  );
}

/** "A resource can have up to 50 tags" (TagResource, TagStream). */
export const MAX_TAGS_PER_RESOURCE = 50;
/** TagResource takes 1 to 50 tags a call, UntagResource 1 to 50 keys. */
export const TAGS_PER_CALL = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Problems with one tag of a Kinesis Video resource, each naming the key: the service's rules for keys and values. */
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
