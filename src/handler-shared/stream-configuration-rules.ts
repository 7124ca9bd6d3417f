/**
 * The contract between `Stream` (its `images` and `notificationTopic`) and the handler's stream-configuration
 * kind, and the service's rules for the two configurations, which both sides check: the construct at synth,
 * the handler again on the strings CloudFormation delivers.
 *
 * From the Kinesis Video Streams API reference (ImageGenerationConfiguration, ImageGenerationDestinationConfig,
 * NotificationConfiguration, NotificationDestinationConfig; the service model's ranges and patterns):
 * - SamplingInterval: integer milliseconds, "the minimum value that can be provided is 200 ms" (no maximum documented);
 * - WidthPixels 1-3840, HeightPixels 1-2160 (with one alone, the other keeps the source's aspect ratio; with
 *   neither, the source's resolution; with both, the image is stretched to them);
 * - FormatConfig: one entry, JPEGQuality, "ints from 1 to 100", default 80; only for JPEG;
 * - DestinationConfig.Uri: 1-255 characters, `^[a-zA-Z_0-9]+:(//)?([^/]+)/?([^*]*)$` (so no `*` in the prefix);
 *   DestinationRegion "must match the Region where the stream is located";
 * - SNS: "Amazon Kinesis Video Streams uses Amazon SNS Standard Topics ... FIFO topics aren't currently supported"
 *   (developer guide, notifications.html).
 *
 * No aws-cdk-lib imports: esbuild bundles this module into the handler.
 */

/** The CloudFormation resource type of a stream's image and notification configuration. */
export const STREAM_CONFIGURATION_RESOURCE_TYPE = 'Custom::KinesisVideoStreamConfiguration';

/** Keys of the custom resource's `ResourceProperties` (CloudFormation delivers every scalar as a string). */
export const StreamConfigurationProperty = {
  /** The ARN of the stream the configurations belong to: always present. */
  STREAM_ARN: 'StreamArn',
  /** The image generation configuration, as the API's `ImageGenerationConfiguration` (without Status); absent: none. */
  IMAGES: 'ImageGeneration',
  /** The SNS topic's ARN; absent: no notifications. */
  NOTIFICATION_TOPIC_ARN: 'NotificationTopicArn',
} as const;

/** `ImageGeneration`'s keys: the API's own names. */
export interface ImageGenerationProperties {
  readonly ImageSelectorType: string;
  readonly DestinationUri: string;
  readonly DestinationRegion: string;
  readonly SamplingInterval: string | number;
  readonly Format: string;
  readonly JPEGQuality?: string | number;
  readonly WidthPixels?: string | number;
  readonly HeightPixels?: string | number;
}

/** PhysicalResourceId prefix of a Create that failed before anything was configured. */
export const NO_STREAM_CONFIGURATION_ID_PREFIX = 'no-stream-configuration:';

/** The PhysicalResourceId of a stream's configuration: the stream's ARN, so that another stream replaces it. */
export function streamConfigurationId(streamArn: string): string {
  return `${streamArn}|images-and-notifications`;
}

export const IMAGE_FORMATS = ['JPEG', 'PNG'] as const;
export const IMAGE_SELECTOR_TYPES = ['SERVER_TIMESTAMP', 'PRODUCER_TIMESTAMP'] as const;
export const SAMPLING_INTERVAL_MIN_MS = 200;
export const WIDTH_PIXELS_MAX = 3840;
export const HEIGHT_PIXELS_MAX = 2160;
export const JPEG_QUALITY_MAX = 100;
export const DESTINATION_URI_MAX_LENGTH = 255;
const DESTINATION_URI_PATTERN = /^[a-zA-Z_0-9]+:(\/\/)?([^/]+)\/?([^*]*)$/;

function integerInRange(value: number, min: number, max: number | undefined, unit: string): string | undefined {
  if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return undefined;
  const range = max === undefined ? `a whole number of ${unit}, at least ${min}` : `a whole number of ${unit} from ${min} to ${max}`;
  return `is ${value}: must be ${range}`;
}

export function samplingIntervalProblem(milliseconds: number): string | undefined {
  return integerInRange(milliseconds, SAMPLING_INTERVAL_MIN_MS, undefined, 'milliseconds');
}

export function widthPixelsProblem(pixels: number): string | undefined {
  return integerInRange(pixels, 1, WIDTH_PIXELS_MAX, 'pixels');
}

export function heightPixelsProblem(pixels: number): string | undefined {
  return integerInRange(pixels, 1, HEIGHT_PIXELS_MAX, 'pixels');
}

export function jpegQualityProblem(quality: number): string | undefined {
  return integerInRange(quality, 1, JPEG_QUALITY_MAX, 'quality points');
}

/** The `s3://<bucket>/<prefix>` the service delivers images to. */
export function destinationUri(bucketName: string, keyPrefix: string | undefined): string {
  return `s3://${bucketName}${keyPrefix ? `/${keyPrefix}` : ''}`;
}

export function destinationUriProblem(uri: string): string | undefined {
  if (uri.length < 1 || uri.length > DESTINATION_URI_MAX_LENGTH) {
    return `is ${uri.length} characters long (${uri}): the service allows 1-${DESTINATION_URI_MAX_LENGTH}`;
  }
  if (!DESTINATION_URI_PATTERN.test(uri)) {
    return `'${uri}' is not a destination the service accepts (${DESTINATION_URI_PATTERN.source}): no '*' in the key prefix`;
  }
  return undefined;
}
