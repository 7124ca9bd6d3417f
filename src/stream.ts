import { Duration, Fn, IResource, Lazy, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnStream } from 'aws-cdk-lib/aws-kinesisvideo';
import * as kms from 'aws-cdk-lib/aws-kms';
import { aws_kinesisvideo as kinesisVideoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { describeString } from './signaling-channel-rules';
import {
  STREAM_ARN_PATTERN,
  dataRetentionProblem,
  deviceNameProblem,
  mediaTypeProblem,
  streamNameProblem,
  streamTagCountProblem,
  streamTagProblems,
} from './stream-rules';

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
export interface IStream extends IResource, kinesisVideoRefs.IStreamRef {
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
   * Grant the given actions on this stream to the principal.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

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
   * A CloudWatch metric of this stream.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Bytes received by PutMedia.
   */
  metricPutMediaIncomingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Complete fragments received by PutMedia.
   */
  metricPutMediaIncomingFragments(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * PutMedia's success rate: each fragment counts 1 when written and 0 when it fails.
   */
  metricPutMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time between a PutMedia request and the service's HTTP response while the connection is established.
   */
  metricPutMediaLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time between the first and the last byte of a fragment received by the service, in milliseconds.
   */
  metricPutMediaFragmentIngestionLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Time from when a complete fragment is received to when it is archived.
   */
  metricPutMediaFragmentPersistLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Errors while establishing PutMedia connections.
   */
  metricPutMediaConnectionErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Error acknowledgements sent to producers during PutMedia.
   */
  metricPutMediaErrorAckCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Bytes sent to consumers by GetMedia.
   */
  metricGetMediaOutgoingBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * GetMedia's success rate: each fragment counts 1 when sent and 0 when it fails.
   */
  metricGetMediaSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * How far GetMedia consumers are behind the head of the stream, in milliseconds.
   */
  metricGetMediaMillisBehindNow(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Latency of ListFragments calls, in milliseconds.
   */
  metricListFragmentsLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Every stream client starts with these: find the stream and the endpoint to call. */
const ENDPOINT_ACTIONS = ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint'];

/** A producer: PutMedia (the producer SDKs, GStreamer's kvssink, WebRTC ingestion). */
const WRITE_ACTIONS = [...ENDPOINT_ACTIONS, 'kinesisvideo:PutMedia'];

/** A consumer: live and stored media, fragments, HLS/DASH playback, clips and images. */
const READ_ACTIONS = [
  ...ENDPOINT_ACTIONS,
  'kinesisvideo:GetMedia',
  'kinesisvideo:GetMediaForFragmentList',
  'kinesisvideo:ListFragments',
  'kinesisvideo:GetHLSStreamingSessionURL',
  'kinesisvideo:GetDASHStreamingSessionURL',
  'kinesisvideo:GetClip',
  'kinesisvideo:GetImages',
];

/**
 * What the service calls KMS for with the caller's credentials, per the Kinesis Video Streams developer
 * guide ("Permissions to use user-generated AWS KMS keys"): producers generate data keys, consumers decrypt.
 */
const KMS_WRITE_ACTIONS = ['kms:GenerateDataKey'];
const KMS_READ_ACTIONS = ['kms:Decrypt'];

/** Namespace and dimension of the service's stream metrics. */
const METRICS_NAMESPACE = 'AWS/KinesisVideo';
const STREAM_DIMENSION = 'StreamName';

/**
 * What a Kinesis video stream, declared here or imported, can do.
 */
export abstract class StreamBase extends Resource implements IStream {
  public abstract readonly streamArn: string;
  public abstract readonly streamName: string;
  public abstract readonly encryptionKey?: kms.IKey;
  public abstract readonly dataRetention?: Duration;

  /**
   * The resources a grant on this stream applies to: its ARN, or `stream/<name>/*` when only the name is
   * known (a stream ARN ends with a creation time).
   */
  protected abstract readonly grantResourceArns: string[];

  public get streamRef(): kinesisVideoRefs.StreamReference {
    return { streamArn: this.streamArn, streamName: this.streamName };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this.grantResourceArns });
  }

  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantWithKey(grantee, WRITE_ACTIONS, KMS_WRITE_ACTIONS);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantWithKey(grantee, READ_ACTIONS, KMS_READ_ACTIONS);
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      ...props,
      dimensionsMap: { [STREAM_DIMENSION]: this.streamName, ...props?.dimensionsMap },
    }).attachTo(this);
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
    const { streamArn, streamName, encryptionKey } = attrs;
    if (streamArn === undefined && streamName === undefined) {
      throw new Error(`${scope.node.path}/${id}: give streamArn, streamName or both to import a Kinesis video stream`);
    }
    if (streamArn !== undefined && !Token.isUnresolved(streamArn) && !STREAM_ARN_PATTERN.test(streamArn)) {
      throw new Error(
        `${scope.node.path}/${id}: streamArn ${describeString(streamArn)} is not a Kinesis video stream ARN; ` +
        'expected arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>',
      );
    }
    if (streamName !== undefined && !Token.isUnresolved(streamName)) {
      const problem = streamNameProblem(streamName);
      if (problem) {
        throw new Error(`${scope.node.path}/${id}: streamName ${problem}`);
      }
    }

    class Import extends StreamBase {
      public readonly streamName = streamName ?? streamNameFromArn(streamArn!);
      public readonly encryptionKey = encryptionKey;
      public readonly dataRetention = undefined;
      protected readonly grantResourceArns = streamArn !== undefined
        ? [streamArn]
        : [Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'stream', resourceName: `${this.streamName}/*` })];

      // A token, so that reading the property (or streamRef) works in every jsii language; using it in the
      // template fails at synth, saying why.
      public readonly streamArn = streamArn ?? Lazy.string({
        produce: () => {
          throw new Error(
            `${this.node.path}: a Kinesis video stream imported by name has no ARN (a stream ARN ends with its ` +
            'creation time); import it with fromStreamArn or fromStreamAttributes');
        },
      });
    }

    return new Import(scope, id, { environmentFromArn: streamArn });
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

  constructor(scope: Construct, id: string, props: StreamProps = {}) {
    super(scope, id, { physicalName: props.streamName });

    const dataRetention = props.dataRetention ?? Duration.hours(24);
    const dataRetentionInHours = dataRetention.toHours({ integral: false });
    this.validateProps(props, dataRetentionInHours);

    const resource = new CfnStream(this, 'Resource', {
      name: this.physicalName,
      dataRetentionInHours,
      kmsKeyId: props.encryptionKey?.keyArn,
      mediaType: props.mediaType,
      deviceName: props.deviceName,
      streamStorageConfiguration: props.storageTier ? { defaultStorageTier: props.storageTier } : undefined,
      tags: Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    // Tags.of() is applied by an aspect, after this constructor: count them when the app is validated.
    this.node.addValidation({ validate: () => validateTags(resource) });

    this.dataRetention = dataRetention;
    this.encryptionKey = props.encryptionKey;
    this.streamArn = resource.attrArn;
    // The name you chose, where a stack in another environment refers to it; Ref (the name) otherwise.
    this.streamName = this.getResourceNameAttribute(resource.ref);
    this.grantResourceArns = [this.streamArn];
  }

  private validateProps(props: StreamProps, dataRetentionInHours: number): void {
    const problems: string[] = [];
    if (props.removalPolicy === RemovalPolicy.SNAPSHOT) {
      problems.push('removalPolicy SNAPSHOT is not supported: a Kinesis video stream has no snapshot (use RETAIN or DESTROY)');
    }
    const checks: Array<[string, string | number | undefined, (value: any) => string | undefined]> = [
      ['streamName', props.streamName, streamNameProblem],
      ['dataRetention', dataRetentionInHours, dataRetentionProblem],
      ['mediaType', props.mediaType, mediaTypeProblem],
      ['deviceName', props.deviceName, deviceNameProblem],
    ];
    for (const [field, value, check] of checks) {
      if (value !== undefined && !Token.isUnresolved(value)) {
        const problem = check(value);
        if (problem) problems.push(`${field} ${problem}`);
      }
    }
    if (props.storageTier !== undefined && !Object.values(StreamStorageTier).includes(props.storageTier)) {
      problems.push(`storageTier must be one of ${Object.values(StreamStorageTier).join(', ')} (got ${describeString(String(props.storageTier))})`);
    }
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      if (!Token.isUnresolved(key) && !Token.isUnresolved(value)) {
        problems.push(...streamTagProblems(key, value).map(problem => `tags: ${problem}`));
      }
    }
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: invalid Kinesis video stream properties:\n  ${problems.join('\n  ')}`);
    }
  }
}

/** Problems with the stream's tags once `Tags.of` has been applied: the count, and tags added that way. */
function validateTags(resource: CfnStream): string[] {
  const rendered: Array<{ key: string; value: string }> = resource.tags.renderTags() ?? [];
  const problems: string[] = [];
  const count = streamTagCountProblem(rendered.length);
  if (count) problems.push(`tags: ${count}`);
  for (const { key, value } of rendered) {
    if (!Token.isUnresolved(key) && !Token.isUnresolved(value)) {
      problems.push(...streamTagProblems(key, value).map(problem => `tags: ${problem}`));
    }
  }
  return problems;
}

function streamNameFromArn(streamArn: string): string {
  // arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>
  if (Token.isUnresolved(streamArn)) {
    return Fn.select(1, Fn.split('/', streamArn));
  }
  return STREAM_ARN_PATTERN.exec(streamArn)![1]; // validated by the caller
}
