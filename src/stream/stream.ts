import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnStream } from 'aws-cdk-lib/aws-kinesisvideo';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { aws_kinesisvideo as kinesisVideoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { KMS_READ_ACTIONS, KMS_WRITE_ACTIONS, STREAM_READ_ACTIONS, STREAM_WRITE_ACTIONS } from './stream-actions';
import { grantImageAndNotificationDelivery } from './stream-delivery-grants';
import { STREAM } from './stream-family';
import { StreamImages } from './stream-images';
import {
  imagesAndNotificationsRelationProblems,
  notificationTopicTypeProblem,
  renderImageGeneration,
  streamImagesTypeProblems,
  streamImagesValueChecks,
} from './stream-images-rules';
import { PlacedResource, environmentProblems, importToBe } from '../core/environment-rules';
import { validationError } from '../core/errors';
import { checkImportAttributes, importedIdentity } from '../core/imported-resource';
import { IKinesisVideoResource, KinesisVideoResourceBase } from '../core/kinesis-video-resource';
import { checkProperties } from '../core/property-checks';
import { durationProblem, enumProblem, shapeProblem, typeProblem } from '../core/property-types';
import { applyRemovalPolicy, removalPolicyProblem } from '../core/removal-policy-rules';
import { checkTagsWhenValidated } from '../core/tag-rules';
import { claimUniqueName } from '../core/unique-names';
import { STREAM_CONFIGURATION_RESOURCE_TYPE, StreamConfigurationProperty } from '../handler-shared/stream-configuration-rules';
import {
  dataRetentionProblem,
  deviceNameProblem,
  mediaTypeProblem,
  streamNameProblem,
} from '../handler-shared/stream-rules';
import { SignalingChannelProvider } from '../signaling-channel/signaling-channel-provider';

/**
 * Where a stream stores its media by default.
 */
export enum StreamStorageTier {
  /** Lowest latency, for media read often and soon after it is written. The service's default. */
  HOT = 'HOT',
  /** Cheaper storage for media kept longer and read less often, still readable without a restore. */
  WARM = 'WARM',
}

/**
 * A Kinesis video stream.
 */
export interface IStream extends IKinesisVideoResource, kinesisVideoRefs.IStreamRef {
  /**
   * The ARN of the stream.
   *
   * @attribute
   */
  readonly streamArn: string;

  /**
   * The name of the stream.
   *
   * @attribute
   */
  readonly streamName: string;

  /**
   * The customer managed KMS key that encrypts the stream's media, when there is one: `grantRead` and
   * `grantWrite` then grant its use too.
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the stream keeps its media, when known: always for a stream declared with `new Stream`, never for
   * an imported one. `Duration.hours(0)` means the stream keeps no data.
   */
  readonly dataRetention?: Duration;

  /**
   * Grant what a producer needs to send media with PutMedia: describe the stream, get its data endpoint, put
   * media; and `kms:GenerateDataKey` on `encryptionKey`, if any.
   */
  grantWrite(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant what a consumer needs to read the stream's media, live or stored: describe the stream, get its data
   * endpoints, GetMedia, GetMediaForFragmentList, ListFragments, HLS and DASH streaming sessions, clips and
   * images; and `kms:Decrypt` on `encryptionKey`, if any.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Bytes received by PutMedia.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaIncomingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Complete fragments received by PutMedia.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaIncomingFragments(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * PutMedia's success rate: each fragment counts 1 when written and 0 when it fails.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time between a PutMedia request and the service's HTTP response while the connection is established.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time between the first and the last byte of a fragment received by the service, in milliseconds.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaFragmentIngestionLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time from when a complete fragment is received to when it is archived.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaFragmentPersistLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Errors while establishing PutMedia connections.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaConnectionErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Error acknowledgements sent to producers during PutMedia.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricPutMediaErrorAckCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Bytes sent to consumers by GetMedia.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricGetMediaOutgoingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * GetMedia's success rate: each fragment counts 1 when sent and 0 when it fails.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricGetMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * How far GetMedia consumers are behind the head of the stream, in milliseconds.
   *
   * Maximum (the slowest consumer) over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricGetMediaMillisBehindNow(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Latency of ListFragments calls, in milliseconds.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricListFragmentsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * What a Kinesis video stream, declared here or imported, can do.
 */
export abstract class StreamBase extends KinesisVideoResourceBase implements IStream {
  public abstract readonly streamArn: string;
  public abstract readonly streamName: string;
  public abstract readonly encryptionKey?: kms.IKey;
  public abstract readonly dataRetention?: Duration;

  public get streamRef(): kinesisVideoRefs.StreamReference {
    return { streamArn: this.streamArn, streamName: this.streamName };
  }

  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantWithKey(grantee, STREAM_WRITE_ACTIONS, KMS_WRITE_ACTIONS);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantWithKey(grantee, STREAM_READ_ACTIONS, KMS_READ_ACTIONS);
  }

  protected metricDimensions(): { [name: string]: string } {
    return { StreamName: this.streamName };
  }

  // The names below are the service's, from the developer guide's CloudWatch metrics table. No `unit` is set:
  // CloudWatch matches a metric's unit exactly, and the guide lists some latencies in Count.

  public metricPutMediaIncomingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.IncomingBytes', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricPutMediaIncomingFragments(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.IncomingFragments', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricPutMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.Success', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricPutMediaLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.Latency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricPutMediaFragmentIngestionLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.FragmentIngestionLatency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricPutMediaFragmentPersistLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.FragmentPersistLatency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricPutMediaConnectionErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.ConnectionErrors', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricPutMediaErrorAckCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PutMedia.ErrorAckCount', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricGetMediaOutgoingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GetMedia.OutgoingBytes', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricGetMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GetMedia.Success', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  public metricGetMediaMillisBehindNow(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    // The slowest consumer is the one to alarm on.
    return this.metric('GetMedia.MillisBehindNow', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  public metricListFragmentsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ListFragments.Latency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  private grantWithKey(grantee: iam.IGrantable, streamActions: string[], keyActions: string[]): iam.Grant {
    const streamGrant = this.grant(grantee, ...streamActions);
    const keyGrant = this.encryptionKey?.grant(grantee, ...keyActions);
    return keyGrant ? streamGrant.combine(keyGrant) : streamGrant;
  }
}

/**
 * What identifies an existing Kinesis video stream.
 */
export interface StreamAttributes {
  /**
   * The ARN of the stream.
   *
   * @default - derived from the name; the stream can then be granted on and monitored, but `streamArn` is not
   * available (a stream ARN ends with its creation time)
   */
  readonly streamArn?: string;

  /**
   * The name of the stream.
   *
   * @default - parsed from `streamArn`
   */
  readonly streamName?: string;

  /**
   * The customer managed KMS key that encrypts the stream, so that `grantRead` and `grantWrite` grant its use.
   *
   * @default - none: the stream uses the service's own key (aws/kinesisvideo), which needs no grant
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Properties of a Kinesis video stream.
 */
export interface StreamProps {
  /**
   * The stream's name: 1-256 characters of `a-zA-Z0-9_.-`, unique in the account and region.
   *
   * Changing it replaces the stream.
   *
   * @default - generated by CloudFormation
   */
  readonly streamName?: string;

  /**
   * How long the stream keeps its media: whole hours from 0 to 87,600 (ten years).
   *
   * Updated in place. With 0 the stream keeps nothing (consumers can read only what is still in the service's buffer, at most
   * 5 minutes) and WebRTC ingestion refuses it.
   *
   * @default Duration.hours(24): a stream you declare is meant to keep media, and WebRTC ingestion needs it
   * to; this is also aws-cdk-lib's default for Kinesis Data Streams. The service's and CloudFormation's own
   * default, when DataRetentionInHours is omitted, is 0: no data kept.
   */
  readonly dataRetention?: Duration;

  /**
   * The customer managed KMS key that encrypts the stream's media at rest. `grantRead` and `grantWrite` then
   * grant `kms:Decrypt` and `kms:GenerateDataKey` on it.
   *
   * @default - the service's own key, aws/kinesisvideo (free, and needs no grant)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The media type of the stream, for its consumers: comma-separated `type/subtype` pairs, at most 128 characters.
   *
   * For example `video/h264` or `video/h264,audio/aac`. The console plays only a stream whose media type it
   * knows.
   *
   * @default - none
   */
  readonly mediaType?: string;

  /**
   * The name of the device that writes to the stream: 1-128 characters of `a-zA-Z0-9_.-`.
   *
   * The service stores it but does not use it.
   *
   * @default - none
   */
  readonly deviceName?: string;

  /**
   * Where the stream stores its media by default.
   *
   * @default - not set: the service's default, StreamStorageTier.HOT
   */
  readonly storageTier?: StreamStorageTier;

  /**
   * Tags to apply to the stream, in addition to those from `Tags.of(scope)`: at most 50 in all.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the stream, and the media it keeps, when it is removed from the stack, replaced, or the
   * stack is deleted. `SNAPSHOT` is refused: a stream has no snapshot.
   *
   * @default RemovalPolicy.RETAIN, as for aws-cdk-lib's stateful resources (Kinesis Data Streams, S3 buckets,
   * DynamoDB tables): deleting a stream deletes its media
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Images the service extracts from the stream's tagged fragments and delivers to an S3 bucket (automated
   * image generation), applied by the stack's provider function after the stream is created, changed in place,
   * and removed with the stream's configuration resource. `grantWrite` then grants `s3:PutObject` on the
   * bucket's prefix (and the bucket's key, if any), which the documentation asks of the PutMedia caller.
   *
   * @default - no images
   */
  readonly images?: StreamImages;

  /**
   * The SNS topic (standard, not FIFO; in the stream's region) that the service publishes to when a fragment
   * carries the notification tag (`AWS_KINESISVIDEO_NOTIFICATION`), applied by the stack's provider function.
   * `grantWrite` then grants `sns:Publish` on it (and the topic's key, if any).
   *
   * @default - no notifications
   */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * A Kinesis video stream (`AWS::KinesisVideo::Stream`): media that producers put and consumers read, live or
 * from storage.
 *
 * @resource AWS::KinesisVideo::Stream
 */
export class Stream extends StreamBase {
  /**
   * Import an existing stream by its ARN.
   */
  public static fromStreamArn(scope: Construct, id: string, streamArn: string): IStream {
    return Stream.fromStreamAttributes(scope, id, { streamArn });
  }

  /**
   * Import an existing stream by its name. Grants apply to `stream/<name>/*`; `streamArn` is not available,
   * since a stream ARN ends with its creation time.
   */
  public static fromStreamName(scope: Construct, id: string, streamName: string): IStream {
    return Stream.fromStreamAttributes(scope, id, { streamName });
  }

  /**
   * Import an existing stream by its ARN, its name, or both, with its KMS key if it has a customer managed one.
   */
  public static fromStreamAttributes(scope: Construct, id: string, attrs: StreamAttributes): IStream {
    checkImportAttributes(scope, id, STREAM, attrs.streamArn, attrs.streamName);
    // The key's region is compared with the import's (its ARN's, or its stack's) before the import is
    // constructed: a refused import leaves nothing in the tree.
    const keyProblems = encryptionKeyProblems(importToBe(scope, id, attrs.streamArn), attrs.encryptionKey);
    if (keyProblems.length > 0) {
      throw validationError(scope, keyProblems.join('; '), `${scope.node.path}/${id}`);
    }

    class Import extends StreamBase {
      private readonly identity = importedIdentity(this, STREAM, attrs.streamArn, attrs.streamName);
      public readonly streamArn = this.identity.arn;
      public readonly streamName = this.identity.name;
      public readonly encryptionKey = attrs.encryptionKey;
      public readonly dataRetention = undefined;
      protected readonly grantResourceArns = this.identity.grantResourceArns;
    }

    return new Import(scope, id, { environmentFromArn: attrs.streamArn });
  }

  public readonly streamArn: string;
  public readonly streamName: string;
  public readonly encryptionKey?: kms.IKey;

  /**
   * How long the stream keeps its media: always set for a declared stream (optional only because imported
   * streams do not know it). `Duration.hours(0)` means it keeps none.
   */
  public readonly dataRetention?: Duration;

  protected readonly grantResourceArns: string[];

  /** The stream's image generation, if any. */
  public readonly images?: StreamImages;

  /** The topic the stream's notifications go to, if any. */
  public readonly notificationTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: StreamProps = {}) {
    super(scope, id, { physicalName: props.streamName });

    this.validateProps(props);
    claimUniqueName(this, STREAM, 'streamName', props.streamName);
    const dataRetention = props.dataRetention ?? Duration.hours(24);

    const resource = new CfnStream(this, 'Resource', {
      name: this.physicalName,
      dataRetentionInHours: dataRetention.toHours({ integral: false }),
      kmsKeyId: props.encryptionKey?.keyArn,
      mediaType: props.mediaType,
      deviceName: props.deviceName,
      streamStorageConfiguration: props.storageTier ? { defaultStorageTier: props.storageTier } : undefined,
      tags: Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    applyRemovalPolicy(this, resource, STREAM, props.removalPolicy, { policy: RemovalPolicy.RETAIN });
    checkTagsWhenValidated(this, STREAM, resource.tags);

    this.dataRetention = dataRetention;
    this.encryptionKey = props.encryptionKey;
    this.streamArn = resource.attrArn;
    // The name you chose, where a stack in another environment refers to it; Ref (the name) otherwise.
    this.streamName = this.getResourceNameAttribute(resource.ref);
    this.grantResourceArns = [this.streamArn];
    this.images = props.images;
    this.notificationTopic = props.notificationTopic;
    if (props.images !== undefined || props.notificationTopic !== undefined) {
      this.addImagesAndNotifications(props.images, props.notificationTopic);
    }
  }

  /**
   * What a producer needs to send media with PutMedia (see `IStream.grantWrite`), and, with `images` or
   * `notificationTopic`, what the documentation asks of the PutMedia caller to deliver them: `s3:PutObject` on
   * the bucket's prefix, `sns:Publish` on the topic, and their keys' use.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantWrite(grantee);
    return grantImageAndNotificationDelivery(grantee, grant, this.images, this.notificationTopic, this.encryptionKey);
  }

  /**
   * A custom resource of its own (`<id>/ImagesAndNotifications`), not a property of the stream: CloudFormation's
   * stream has no such property. It refers to the stream's ARN, so CloudFormation creates it after the stream,
   * and a replaced stream gets a new one; the provider function of the stack applies it.
   */
  private addImagesAndNotifications(images: StreamImages | undefined, topic: sns.ITopic | undefined): void {
    const provider = SignalingChannelProvider.of(this);
    const resource = new CfnResource(this, 'ImagesAndNotifications', {
      type: STREAM_CONFIGURATION_RESOURCE_TYPE,
      properties: {
        ServiceToken: provider.serviceToken,
        ServiceTimeout: provider.serviceTimeoutSeconds,
        [StreamConfigurationProperty.STREAM_ARN]: this.streamArn,
        [StreamConfigurationProperty.IMAGES]: images ? renderImageGeneration(images, Stack.of(this).region) : undefined,
        [StreamConfigurationProperty.NOTIFICATION_TOPIC_ARN]: topic?.topicArn,
      },
    });
    provider.addStreamConfiguration(resource, this);
  }

  private validateProps(props: StreamProps): void {
    checkProperties(this, STREAM, {
      types: [
        typeProblem('streamName', props.streamName, 'string'),
        durationProblem('dataRetention', props.dataRetention, 'Duration.hours(24)'),
        typeProblem('mediaType', props.mediaType, 'string'),
        typeProblem('deviceName', props.deviceName, 'string'),
        enumProblem('storageTier', props.storageTier, Object.values(StreamStorageTier)),
        removalPolicyProblem(STREAM, props.removalPolicy),
        shapeProblem('encryptionKey', props.encryptionKey, 'a KMS key (kms.IKey)', ['keyArn', 'grant']),
        ...streamImagesTypeProblems(props.images),
        notificationTopicTypeProblem(props.notificationTopic),
      ],
      tags: props.tags,
      values: () => [
        ['streamName', props.streamName, streamNameProblem],
        ['dataRetention', props.dataRetention?.toHours({ integral: false }), dataRetentionProblem],
        ['mediaType', props.mediaType, mediaTypeProblem],
        ['deviceName', props.deviceName, deviceNameProblem],
        ...streamImagesValueChecks(props.images),
      ],
      relations: () => [
        ...encryptionKeyProblems(this, props.encryptionKey),
        ...imagesAndNotificationsRelationProblems(this, props.images, props.notificationTopic,
          (props.dataRetention ?? Duration.hours(24)).toHours({ integral: false })),
      ],
    });
  }
}

/**
 * What synth can know is wrong with a stream's KMS key: a key of another region (KMS keys are regional, and the
 * service encrypts with a key of the stream's region), and an alias imported by name, whose grants add nothing
 * (aws-cdk-lib cannot tell which key it points to), so that `grantRead` and `grantWrite` would silently leave
 * out `kms:Decrypt` and `kms:GenerateDataKey`.
 */
function encryptionKeyProblems(stream: PlacedResource, key: kms.IKey | undefined): string[] {
  if (key === undefined) return [];
  const problems: string[] = [];
  if (aliasWithoutKnownKey(key)) {
    problems.push(`encryptionKey ${key.node.path} is an alias imported by name, whose grants add nothing: the stream's ` +
      'readers and writers would get no kms:Decrypt or kms:GenerateDataKey; give the key itself (kms.Key.fromKeyArn) ' +
      'or an alias with its key (kms.Alias.fromAliasAttributes)');
  }
  problems.push(...environmentProblems('encryptionKey', stream, key, {
    sameAccount: false,
    why: 'a stream is encrypted with a KMS key of its own region',
  }));
  return problems;
}

/** `kms.Alias.fromAliasName`: an alias whose target key aws-cdk-lib cannot name (reading it throws). */
function aliasWithoutKnownKey(key: kms.IKey): boolean {
  if (!('aliasName' in key)) return false;
  try {
    return (key as kms.IAlias).aliasTargetKey === undefined;
  } catch {
    return true;
  }
}
