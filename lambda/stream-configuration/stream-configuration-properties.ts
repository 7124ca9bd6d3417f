/**
 * A stream configuration's `ResourceProperties` as CloudFormation delivers them (every scalar a string), parsed
 * and checked again with the rules the construct checked at synth: a template edited by hand, or written by
 * another version of the construct, is refused with the same words.
 */
import type { ImageGenerationConfiguration } from '@aws-sdk/client-kinesis-video';
import {
  IMAGE_FORMATS,
  IMAGE_SELECTOR_TYPES,
  ImageGenerationProperties,
  StreamConfigurationProperty,
  destinationUriProblem,
  heightPixelsProblem,
  jpegQualityProblem,
  samplingIntervalProblem,
  widthPixelsProblem,
} from '../../src/handler-shared/stream-configuration-rules';
import { ReasonError } from '../custom-resource/reason-error';

export interface StreamConfiguration {
  readonly streamArn: string;
  /** What UpdateImageGenerationConfiguration is given (Status ENABLED), or undefined for no images. */
  readonly images?: ImageGenerationConfiguration;
  readonly notificationTopicArn?: string;
}

function integer(field: string, value: string | number | undefined, rule: (n: number) => string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  const problem = rule(parsed);
  if (problem) throw new ReasonError(`${field} ${problem}`);
  return parsed;
}

function oneOf(field: string, value: string | undefined, allowed: readonly string[]): string {
  if (value === undefined || !allowed.includes(value)) {
    throw new ReasonError(`${field} is ${value}: must be one of ${allowed.join(', ')}`);
  }
  return value;
}

function parseImages(raw: ImageGenerationProperties): ImageGenerationConfiguration {
  const uriProblem = destinationUriProblem(String(raw.DestinationUri ?? ''));
  if (uriProblem) throw new ReasonError(`${StreamConfigurationProperty.IMAGES}.DestinationUri ${uriProblem}`);
  const field = (name: string) => `${StreamConfigurationProperty.IMAGES}.${name}`;
  const quality = integer(field('JPEGQuality'), raw.JPEGQuality, jpegQualityProblem);
  return {
    Status: 'ENABLED',
    ImageSelectorType: oneOf(field('ImageSelectorType'), raw.ImageSelectorType, IMAGE_SELECTOR_TYPES) as ImageGenerationConfiguration['ImageSelectorType'],
    DestinationConfig: { Uri: raw.DestinationUri, DestinationRegion: raw.DestinationRegion },
    SamplingInterval: integer(field('SamplingInterval'), raw.SamplingInterval ?? '', samplingIntervalProblem)
      ?? (() => { throw new ReasonError(`${field('SamplingInterval')} is missing`); })(),
    Format: oneOf(field('Format'), raw.Format, IMAGE_FORMATS) as ImageGenerationConfiguration['Format'],
    FormatConfig: quality === undefined ? undefined : { JPEGQuality: String(quality) },
    WidthPixels: integer(field('WidthPixels'), raw.WidthPixels, widthPixelsProblem),
    HeightPixels: integer(field('HeightPixels'), raw.HeightPixels, heightPixelsProblem),
  };
}

export function parseStreamConfiguration(properties: Record<string, unknown>): StreamConfiguration {
  const streamArn = properties[StreamConfigurationProperty.STREAM_ARN];
  if (typeof streamArn !== 'string' || streamArn === '') {
    throw new ReasonError(`${StreamConfigurationProperty.STREAM_ARN} is missing: the stream the images and notifications belong to`);
  }
  const images = properties[StreamConfigurationProperty.IMAGES] as ImageGenerationProperties | undefined;
  const topic = properties[StreamConfigurationProperty.NOTIFICATION_TOPIC_ARN];
  return {
    streamArn,
    images: images === undefined ? undefined : parseImages(images),
    notificationTopicArn: typeof topic === 'string' && topic !== '' ? topic : undefined,
  };
}
