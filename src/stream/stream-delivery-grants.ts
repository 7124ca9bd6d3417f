import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { StreamImages } from './stream-images';

/**
 * What a producer of a stream with images or notifications needs beyond PutMedia. The developer guide
 * ("Automated real-time image generation", s3-real-time-image-create.html, and its troubleshooting page) says
 * the role performing the PutMedia calls must have `s3:PutObject` on the bucket, and, with a customer managed
 * stream key, `kms:Encrypt`, `kms:GenerateDataKey` and `kms:Decrypt` on it: the service delivers as that caller.
 * Notifications are granted the same way (`sns:Publish` on the topic, with aws-cdk-lib's `grantPublish`, which
 * adds the topic key's use when it has one): the notifications guide names no other principal.
 */
export function grantImageAndNotificationDelivery(
  grantee: iam.IGrantable,
  grant: iam.Grant,
  images: StreamImages | undefined,
  topic: sns.ITopic | undefined,
  streamKey: kms.IKey | undefined,
): iam.Grant {
  if (images !== undefined) {
    // Only the images' prefix, and only PutObject: not aws-cdk-lib's grantPut, which adds legal holds,
    // retention and tagging the service does not ask for.
    grant = grant.combine(iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [images.bucket.arnForObjects(`${images.keyPrefix ?? ''}*`)],
      resource: images.bucket,
    }));
    // S3 asks for a data key to write an object under the bucket's own KMS key.
    const bucketKey = images.bucket.encryptionKey?.grant(grantee, 'kms:GenerateDataKey');
    if (bucketKey) grant = grant.combine(bucketKey);
    // grantWrite already gives kms:GenerateDataKey on the stream's key; the image guide asks for these too.
    const streamKeyForImages = streamKey?.grant(grantee, 'kms:Encrypt', 'kms:Decrypt');
    if (streamKeyForImages) grant = grant.combine(streamKeyForImages);
  }
  if (topic !== undefined) {
    grant = grant.combine(topic.grantPublish(grantee));
  }
  return grant;
}
