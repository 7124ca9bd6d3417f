/**
 * The Kinesis Video double's image generation and notification configurations of streams: the four
 * Describe/Update calls with the API reference's validation and errors.
 *
 * - ResourceNotFoundException: an unknown stream (by name or ARN); neither given: InvalidArgumentException.
 * - ResourceInUseException: the stream is not ACTIVE (the Update calls only).
 * - NoDataRetentionException: a stream that keeps no data (the Update calls only).
 * - InvalidArgumentException: a value out of the service model's ranges (SamplingInterval under 200 ms, WidthPixels
 *   1-3840, HeightPixels 1-2160, FormatConfig JPEGQuality 1-100, the enums, the Uri's length and pattern, a
 *   DestinationRegion other than the stream's), a destination that is not an S3 URI (images) or an SNS topic
 *   ARN of the stream's region (notifications: the service publishes to standard topics only, so a `.fifo` one
 *   is refused too).
 * - An Update without a configuration deletes it ("If the structure is null, the configuration will be deleted").
 */
import { Input, ServiceError, invalidArgument } from './kinesis-video-wire';

/** What a stream holds, as the Describe calls answer it. */
export interface StreamConfigurations {
  imageGeneration?: Record<string, unknown>;
  notification?: Record<string, unknown>;
}

export interface ConfigurableStream extends StreamConfigurations {
  readonly arn: string;
  readonly region: string;
  readonly dataRetentionInHours: number;
  status: 'ACTIVE' | 'CREATING' | 'UPDATING' | 'DELETING';
}

const STATUS = ['ENABLED', 'DISABLED'];
const URI_PATTERN = /^[a-zA-Z_0-9]+:(\/\/)?([^/]+)\/?([^*]*)$/;

function integerIn(config: Record<string, unknown>, member: string, min: number, max: number | undefined, required: boolean): void {
  const value = config[member];
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw invalidArgument(`${member} ${String(value)} must be an integer${max === undefined ? ` of at least ${min}` : ` from ${min} to ${max}`}`);
  }
}

function oneOf(config: Record<string, unknown>, member: string, allowed: readonly string[]): void {
  if (typeof config[member] !== 'string' || !allowed.includes(config[member] as string)) {
    throw invalidArgument(`${member} ${String(config[member])} must be one of ${allowed.join(', ')}`);
  }
}

function uriOf(destination: unknown): string {
  const uri = (destination as { Uri?: unknown } | undefined)?.Uri;
  if (typeof uri !== 'string' || uri.length < 1 || uri.length > 255 || !URI_PATTERN.test(uri)) {
    throw invalidArgument(`DestinationConfig.Uri ${String(uri)} must be 1-255 characters matching ${URI_PATTERN.source}`);
  }
  return uri;
}

function checkImageGeneration(stream: ConfigurableStream, config: Record<string, unknown>): void {
  oneOf(config, 'Status', STATUS);
  oneOf(config, 'ImageSelectorType', ['SERVER_TIMESTAMP', 'PRODUCER_TIMESTAMP']);
  oneOf(config, 'Format', ['JPEG', 'PNG']);
  integerIn(config, 'SamplingInterval', 200, undefined, true);
  integerIn(config, 'WidthPixels', 1, 3840, false);
  integerIn(config, 'HeightPixels', 1, 2160, false);
  const formatConfig = config.FormatConfig as Record<string, unknown> | undefined;
  if (formatConfig !== undefined) {
    const keys = Object.keys(formatConfig);
    const quality = Number(formatConfig.JPEGQuality);
    if (keys.length !== 1 || keys[0] !== 'JPEGQuality' || !Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw invalidArgument(`FormatConfig ${JSON.stringify(formatConfig)} must be { JPEGQuality: "1".."100" }`);
    }
  }
  const uri = uriOf(config.DestinationConfig);
  if (!uri.startsWith('s3://')) throw invalidArgument(`DestinationConfig.Uri ${uri} is not an S3 URI`);
  const region = (config.DestinationConfig as { DestinationRegion?: unknown }).DestinationRegion;
  if (region !== stream.region) {
    throw invalidArgument(`DestinationConfig.DestinationRegion ${String(region)} must match the stream's region ${stream.region}`);
  }
}

function checkNotification(stream: ConfigurableStream, config: Record<string, unknown>): void {
  oneOf(config, 'Status', STATUS);
  const uri = uriOf(config.DestinationConfig);
  const topic = /^arn:[a-z-]+:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}$/.exec(uri);
  if (!topic || topic[1] !== stream.region) {
    throw invalidArgument(`DestinationConfig.Uri ${uri} is not a standard SNS topic ARN of ${stream.region}`);
  }
}

/** Serve one of the four calls on `stream` (undefined: not found). */
export function applyStreamConfiguration(
  operation: 'DescribeImageGenerationConfiguration' | 'UpdateImageGenerationConfiguration' | 'DescribeNotificationConfiguration' | 'UpdateNotificationConfiguration',
  input: Input,
  stream: ConfigurableStream | undefined,
): object {
  if (input.StreamARN === undefined && input.StreamName === undefined) {
    throw invalidArgument('Either StreamName or StreamARN must be given');
  }
  if (!stream) {
    throw new ServiceError('ResourceNotFoundException', `The requested stream ${String(input.StreamARN ?? input.StreamName)} was not found`, 404);
  }
  switch (operation) {
    case 'DescribeImageGenerationConfiguration': return { ImageGenerationConfiguration: stream.imageGeneration };
    case 'DescribeNotificationConfiguration': return { NotificationConfiguration: stream.notification };
  }
  if (stream.status !== 'ACTIVE') {
    throw new ServiceError('ResourceInUseException', `The stream ${stream.arn} is ${stream.status}`);
  }
  if (stream.dataRetentionInHours === 0) {
    throw new ServiceError('NoDataRetentionException', `The stream ${stream.arn} has no data retention`);
  }
  if (operation === 'UpdateImageGenerationConfiguration') {
    const config = input.ImageGenerationConfiguration as Record<string, unknown> | undefined;
    if (config !== undefined) checkImageGeneration(stream, config);
    stream.imageGeneration = config;
  } else {
    const config = input.NotificationConfiguration as Record<string, unknown> | undefined;
    if (config !== undefined) checkNotification(stream, config);
    stream.notification = config;
  }
  return {};
}
