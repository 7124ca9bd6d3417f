/**
 * The service's constraints on Kinesis video stream inputs, as pure functions that return a problem (what is
 * allowed) or `undefined`. Taken from the Kinesis Video Streams API reference (CreateStream, StreamInfo,
 * TagStream) and the AWS::KinesisVideo::Stream CloudFormation reference.
 */

import { describeString } from './signaling-channel-rules';

/** A stream's tags follow the same rules as a channel's. */
export { resourceTagProblems as streamTagProblems } from './signaling-channel-rules';

export const STREAM_NAME_MAX_LENGTH = 256;
const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,256}$/;
/** `arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>`; group 1 is the name. */
export const STREAM_ARN_PATTERN = /^arn:[\w-]+:kinesisvideo:[\w-]+:\d{12}:stream\/([a-zA-Z0-9_.-]{1,256})\/\d+$/;

/** CloudFormation's bounds for DataRetentionInHours: 0 keeps no data, 87,600 hours is ten years. */
export const DATA_RETENTION_MAX_HOURS = 87_600;

export const DEVICE_NAME_MAX_LENGTH = 128;
const DEVICE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

export const MEDIA_TYPE_MAX_LENGTH = 128;
/** One `type/subtype`, or several separated by commas (`video/h264,audio/aac`). */
const MEDIA_TYPE_PATTERN = /^[\w\-.+]+\/[\w\-.+]+(,[\w\-.+]+\/[\w\-.+]+)*$/;

/** "Kinesis video streams support up to 50 tags" (TagStream). */
export const MAX_STREAM_TAGS = 50;

export function streamNameProblem(name: string): string | undefined {
  if (STREAM_NAME_PATTERN.test(name)) {
    return undefined;
  }
  return `must be 1-${STREAM_NAME_MAX_LENGTH} characters of a-z, A-Z, 0-9, '_', '.' and '-' (got ${describeString(name)})`;
}

export function dataRetentionProblem(hours: number): string | undefined {
  if (Number.isInteger(hours) && hours >= 0 && hours <= DATA_RETENTION_MAX_HOURS) {
    return undefined;
  }
  return `must be a whole number of hours from 0 (keep no data) to ${DATA_RETENTION_MAX_HOURS} (got ${hours})`;
}

export function deviceNameProblem(name: string): string | undefined {
  if (DEVICE_NAME_PATTERN.test(name)) {
    return undefined;
  }
  return `must be 1-${DEVICE_NAME_MAX_LENGTH} characters of a-z, A-Z, 0-9, '_', '.' and '-' (got ${describeString(name)})`;
}

export function mediaTypeProblem(mediaType: string): string | undefined {
  if (mediaType.length <= MEDIA_TYPE_MAX_LENGTH && MEDIA_TYPE_PATTERN.test(mediaType)) {
    return undefined;
  }
  return `must be 1-${MEDIA_TYPE_MAX_LENGTH} characters: one or more comma-separated type/subtype pairs of ` +
    `letters, digits and '_', '-', '.', '+', such as 'video/h264' or 'video/h264,audio/aac' (got ${describeString(mediaType)})`;
}

export function streamTagCountProblem(count: number): string | undefined {
  if (count <= MAX_STREAM_TAGS) {
    return undefined;
  }
  return `at most ${MAX_STREAM_TAGS} tags are allowed on a stream, got ${count}`;
}
