/**
 * The synth-time rules of a stream's `images` and `notificationTopic`, and how they are written into the
 * template (the service's ranges themselves are in handler-shared/stream-configuration-rules.ts, which the
 * handler checks again).
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { StreamImageFormat, StreamImageTimestamps, StreamImages } from './stream-images';
import { PlacedResource, environmentProblems } from '../core/environment-rules';
import { ValueCheck } from '../core/property-checks';
import { durationProblem, enumProblem, requiredProblem, shapeProblem, typeProblem } from '../core/property-types';
import {
  ImageGenerationProperties,
  destinationUri,
  destinationUriProblem,
  heightPixelsProblem,
  jpegQualityProblem,
  samplingIntervalProblem,
  widthPixelsProblem,
} from '../handler-shared/stream-configuration-rules';

/** The type problems of `images` (a JavaScript caller has no compiler to catch them). */
export function streamImagesTypeProblems(images: StreamImages | undefined): Array<string | undefined> {
  if (images === undefined) return [];
  if (typeof images !== 'object' || images === null) return [`images is ${String(images)}: must be an object with a bucket`];
  return [
    requiredProblem('images.bucket', images.bucket, 'the S3 bucket (s3.IBucket) the images are delivered to') ??
      shapeProblem('images.bucket', images.bucket, 'an S3 bucket (s3.IBucket)', ['bucketName', 'arnForObjects']),
    typeProblem('images.keyPrefix', images.keyPrefix, 'string'),
    enumProblem('images.format', images.format, Object.values(StreamImageFormat)),
    typeProblem('images.jpegQuality', images.jpegQuality, 'number'),
    durationProblem('images.samplingInterval', images.samplingInterval, 'Duration.seconds(1)'),
    typeProblem('images.widthPixels', images.widthPixels, 'number'),
    typeProblem('images.heightPixels', images.heightPixels, 'number'),
    enumProblem('images.timestamps', images.timestamps, Object.values(StreamImageTimestamps)),
  ];
}

export function notificationTopicTypeProblem(topic: sns.ITopic | undefined): string | undefined {
  return shapeProblem('notificationTopic', topic, 'an SNS topic (sns.ITopic)', ['topicArn', 'fifo']);
}

const DEFAULT_SAMPLING_INTERVAL = Duration.seconds(1);

function samplingMs(images: StreamImages): number {
  return (images.samplingInterval ?? DEFAULT_SAMPLING_INTERVAL).toMilliseconds({ integral: false });
}

/** The service's ranges for `images`, checked once the types are right. */
export function streamImagesValueChecks(images: StreamImages | undefined): ValueCheck[] {
  if (images === undefined) return [];
  const bucketName = images.bucket.bucketName;
  return [
    ['images.samplingInterval (ms)', samplingMs(images), samplingIntervalProblem],
    ['images.widthPixels', images.widthPixels, widthPixelsProblem],
    ['images.heightPixels', images.heightPixels, heightPixelsProblem],
    ['images.jpegQuality', images.jpegQuality, jpegQualityProblem],
    // A bucket name of a token counts at the longest a bucket name can be (63), so a long prefix is still caught.
    ['images.keyPrefix', images.keyPrefix === undefined ? undefined :
      destinationUri(Token.isUnresolved(bucketName) ? 'b'.repeat(63) : bucketName, images.keyPrefix), destinationUriProblem],
  ];
}

/**
 * What synth can know is wrong with the destinations: a bucket or topic in another region (the API requires
 * the bucket's region to be the stream's; a topic is regional too), a FIFO topic (the service publishes only to
 * standard topics), a JPEG quality for PNG, and a stream that keeps no data (the service refuses both with
 * NoDataRetentionException).
 */
export function imagesAndNotificationsRelationProblems(
  stream: PlacedResource,
  images: StreamImages | undefined,
  topic: sns.ITopic | undefined,
  retentionHours: number,
): string[] {
  const problems: string[] = [];
  if (images !== undefined) {
    if (images.jpegQuality !== undefined && (images.format ?? StreamImageFormat.JPEG) !== StreamImageFormat.JPEG) {
      problems.push(`images.jpegQuality ${images.jpegQuality} is given with format ${images.format}: only JPEG images have a quality; ` +
        'leave jpegQuality out, or use StreamImageFormat.JPEG');
    }
    if (images.keyPrefix?.startsWith('/')) {
      problems.push(`images.keyPrefix '${images.keyPrefix}' starts with '/': give the prefix without it ('${images.keyPrefix.replace(/^\/+/, '')}')`);
    }
    problems.push(...environmentProblems('images.bucket', stream, images.bucket, {
      sameAccount: false,
      why: 'the service delivers images only to a bucket of the stream\'s region',
    }));
  }
  if (topic !== undefined) {
    if (topic.fifo) {
      problems.push(`notificationTopic ${topic.node.path} is a FIFO topic: the service publishes only to standard SNS topics`);
    }
    problems.push(...environmentProblems('notificationTopic', stream, topic, {
      sameAccount: false,
      why: 'the service publishes a stream\'s notifications to a topic of the stream\'s region',
    }));
  }
  if ((images !== undefined || topic !== undefined) && retentionHours === 0) {
    problems.push(`dataRetention is 0 hours with ${images ? 'images' : 'notificationTopic'}: the service refuses image generation and ` +
      'notifications on a stream that keeps no data (NoDataRetentionException); keep at least an hour');
  }
  return problems;
}

/** `images` as the custom resource's `ImageGeneration` property. */
export function renderImageGeneration(images: StreamImages, region: string): ImageGenerationProperties {
  const format = images.format ?? StreamImageFormat.JPEG;
  return {
    ImageSelectorType: images.timestamps ?? StreamImageTimestamps.SERVER,
    DestinationUri: destinationUri(images.bucket.bucketName, images.keyPrefix),
    DestinationRegion: region,
    SamplingInterval: samplingMs(images),
    Format: format,
    JPEGQuality: images.jpegQuality,
    WidthPixels: images.widthPixels,
    HeightPixels: images.heightPixels,
  };
}
