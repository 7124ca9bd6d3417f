import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** The format of the images a stream delivers to S3. */
export enum StreamImageFormat {
  /** JPEG, with `jpegQuality`. */
  JPEG = 'JPEG',
  /** PNG, lossless. */
  PNG = 'PNG',
}

/** Which timestamps select the fragments' images at each sampling interval. */
export enum StreamImageTimestamps {
  /** The times the service received the fragments. */
  SERVER = 'SERVER_TIMESTAMP',
  /** The times the producer wrote in the fragments. */
  PRODUCER = 'PRODUCER_TIMESTAMP',
}

/**
 * Images that the service extracts from a stream's tagged fragments and delivers to an S3 bucket
 * (UpdateImageGenerationConfiguration). The service generates them only from fragments that the producer
 * tagged (the Producer SDK's `putKinesisVideoEventMetadata`).
 */
export interface StreamImages {
  /**
   * The bucket the images are delivered to. It must be in the stream's region (the API requires it); the
   * stream's `grantWrite` grants `s3:PutObject` on it (under `keyPrefix`), since the documentation has the role
   * that makes the PutMedia calls write the images.
   */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the images in the bucket, without a leading `/`; no `*`. `s3://<bucket>/<prefix>` is at most 255
   * characters.
   *
   * @default - the bucket's root
   */
  readonly keyPrefix?: string;

  /**
   * The images' format.
   *
   * @default StreamImageFormat.JPEG
   */
  readonly format?: StreamImageFormat;

  /**
   * The JPEG quality: 1 (smallest) to 100 (best). Only with `StreamImageFormat.JPEG`.
   *
   * @default - the service's default, 80
   */
  readonly jpegQuality?: number;

  /**
   * How often an image is taken from the tagged fragments: whole milliseconds, at least 200 ms (the API's minimum).
   *
   * @default Duration.seconds(1): the library's choice, a thumbnail a second
   */
  readonly samplingInterval?: Duration;

  /**
   * The width of the images, 1-3840 pixels. With `heightPixels` too the image is stretched to both; alone, the
   * height follows the source's aspect ratio.
   *
   * @default - the source's width (or, with `heightPixels` alone, what its aspect ratio gives)
   */
  readonly widthPixels?: number;

  /**
   * The height of the images, 1-2160 pixels. With `widthPixels` too the image is stretched to both; alone, the
   * width follows the source's aspect ratio.
   *
   * @default - the source's height (or, with `widthPixels` alone, what its aspect ratio gives)
   */
  readonly heightPixels?: number;

  /**
   * Which timestamps select the images.
   *
   * @default StreamImageTimestamps.SERVER: every fragment has one, whatever its producer writes
   */
  readonly timestamps?: StreamImageTimestamps;
}
