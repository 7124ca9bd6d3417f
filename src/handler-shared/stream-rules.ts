/**
 * The service's constraints on Kinesis video stream inputs, as pure functions that return a problem (what is
 * allowed) or `undefined`. Taken from the Kinesis Video Streams API reference (CreateStream, StreamInfo,
 * TagStream) and the AWS::KinesisVideo::Stream CloudFormation reference. The handler reads stream ARNs with
 * them (this folder is bundled into the handler).
 */

import { describeString } from './describe-string';
import { MAX_TAGS_PER_RESOURCE, kinesisVideoArnPattern, resourceNameProblem } from './kinesis-video-rules';

export const STREAM_NAME_MAX_LENGTH = 256;
/** `arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>`; group 1 is the name. */
export const STREAM_ARN_PATTERN = kinesisVideoArnPattern('stream', STREAM_NAME_MAX_LENGTH);

/** CloudFormation's bounds for DataRetentionInHours: 0 keeps no data, 87,600 hours is ten years. */
export const DATA_RETENTION_MAX_HOURS = 87_600;

export const DEVICE_NAME_MAX_LENGTH = 128;

export const MEDIA_TYPE_MAX_LENGTH = 128;
/** One `type/subtype`, or several separated by commas (`video/h264,audio/aac`). */
const MEDIA_TYPE_PATTERN = /^[\w\-.+]+\/[\w\-.+]+(,[\w\-.+]+\/[\w\-.+]+)*$/;

export function streamNameProblem(name: string): string | undefined {
  return resourceNameProblem(name, STREAM_NAME_MAX_LENGTH);
}

export function dataRetentionProblem(hours: number): string | undefined {
  if (Number.isInteger(hours) && hours >= 0 && hours <= DATA_RETENTION_MAX_HOURS) {
    return undefined;
  }
  return `must be a whole number of hours from 0 (keep no data) to ${DATA_RETENTION_MAX_HOURS} (got ${hours})`;
}

export function deviceNameProblem(name: string): string | undefined {
  return resourceNameProblem(name, DEVICE_NAME_MAX_LENGTH);
}

export function mediaTypeProblem(mediaType: string): string | undefined {
  if (mediaType.length <= MEDIA_TYPE_MAX_LENGTH && MEDIA_TYPE_PATTERN.test(mediaType)) {
    return undefined;
  }
  return `must be 1-${MEDIA_TYPE_MAX_LENGTH} characters: one or more comma-separated type/subtype pairs of ` +
    `letters, digits and '_', '-', '.', '+', such as 'video/h264' or 'video/h264,audio/aac' (got ${describeString(mediaType)})`;
}

export function streamTagCountProblem(count: number): string | undefined {
  if (count <= MAX_TAGS_PER_RESOURCE) {
    return undefined;
  }
  return `at most ${MAX_TAGS_PER_RESOURCE} tags are allowed on a stream, got ${count}`;
}
