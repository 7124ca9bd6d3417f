import { CfnResource, Duration, RemovalPolicy, TagManager, Token, ITaggable } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_kinesisvideo as kinesisVideoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { CONNECT_AS_MASTER_ACTIONS, CONNECT_AS_VIEWER_ACTIONS, STORAGE_MASTER_ACTIONS } from './channel-actions';
import { SIGNALING_CHANNEL } from './signaling-channel-family';
import { SignalingChannelProvider } from './signaling-channel-provider';
import { SignalingOperation } from './signaling-operation';
import { environmentProblems, stackRegionProblems } from '../core/environment-rules';
import { validationError } from '../core/errors';
import { checkImportAttributes, importedIdentity, isImportWithoutArn } from '../core/imported-resource';
import { IKinesisVideoResource, KinesisVideoResourceBase } from '../core/kinesis-video-resource';
import { checkProperties } from '../core/property-checks';
import { durationProblem, enumProblem, renamedProblem, requiredProblem, shapeProblem, typeProblem } from '../core/property-types';
import { applyRemovalPolicy, removalPolicyProblem } from '../core/removal-policy-rules';
import { keyValueTagManager, renderedTags } from '../core/tag-rules';
import { claimUniqueName } from '../core/unique-names';
import { ChannelAttribute, ChannelProperty, SIGNALING_CHANNEL_RESOURCE_TYPE } from '../handler-shared/handler-contract';
import {
  channelNameProblem,
  channelTypeProblem,
  messageTtlProblem,
} from '../handler-shared/signaling-channel-rules';
import { IStream } from '../stream/stream';
import { STREAM } from '../stream/stream-family';

/**
 * The type of a signaling channel.
 */
export enum SignalingChannelType {
  /**
   * One master connects to the channel and any number of viewers connect to it. The only type the
   * service supports (the SDK also lists FULL_MESH, which the service rejects, so this library omits it).
   */
  SINGLE_MASTER = 'SINGLE_MASTER',
}

/**
 * A Kinesis Video Streams WebRTC signaling channel.
 */
export interface ISignalingChannel extends IKinesisVideoResource, kinesisVideoRefs.ISignalingChannelRef {
  /**
   * The ARN of the signaling channel.
   *
   * @attribute
   */
  readonly signalingChannelArn: string;

  /**
   * The name of the signaling channel.
   *
   * @attribute
   */
  readonly signalingChannelName: string;

  /**
   * The Kinesis video stream the channel records into (WebRTC ingestion), when known: the connect grants
   * then include what recording needs.
   */
  readonly mediaStorageStream?: IStream;

  /**
   * Grant what a WebRTC master needs to connect: describe the channel, get its endpoints and ICE servers,
   * and connect as master. When the channel records into a stream (`mediaStorageStream`), also what a
   * recording master needs: JoinStorageSession and DescribeMediaStorageConfiguration on the channel, and the
   * stream's `grantWrite` (DescribeStream, GetDataEndpoint, PutMedia, and its KMS key's use if any).
   */
  grantConnectAsMaster(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grant what a WebRTC viewer needs to connect: describe the channel, get its endpoints and ICE servers,
   * and connect as viewer. When the channel records into a stream, also the stream's `grantWrite`
   * (DescribeStream, GetDataEndpoint, PutMedia), which the service's ingestion guide asks of viewers too.
   * JoinStorageSessionAsViewer (multi-viewer ingestion, a preview) is not granted: add it with `grant`.
   */
  grantConnectAsViewer(grantee: iam.IGrantable): iam.Grant;

  /**
   * Failures of a signaling operation: the average is the failure rate (each call counts 0 or 1).
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   *
   * @param operation the operation's dimension: a value of `SignalingOperation` (a missing one, or a string in
   * another case, is refused at synth, naming the right spelling)
   */
  metricFailure(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Latency of a signaling operation, in milliseconds.
   *
   * Average over 5 minutes by default: change either with `props.statistic` and `props.period`.
   *
   * @param operation the operation's dimension: a value of `SignalingOperation`, checked as for `metricFailure`
   */
  metricLatency(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Signaling messages sent and received through the channel.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricMessagesTransferred(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Minutes of TURN relay used by the channel's connections.
   *
   * Sum over 5 minutes by default: change either with `props.statistic` and `props.period`.
   */
  metricTurnConnectedMinutes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** The dimension of each signaling operation's metrics. */
const OPERATION_DIMENSION = 'Operation';

/** Refuse a metric method's operation that is not a `SignalingOperation`, naming the method. */
function checkOperation(channel: SignalingChannelBase, method: string, operation: unknown): void {
  // A missing one would be the dimension value `undefined`; a string in the wrong case, a dimension that never has data.
  const problem = requiredProblem('operation', operation,
    `a SignalingOperation, such as SignalingOperation.CONNECT_AS_VIEWER ('${SignalingOperation.CONNECT_AS_VIEWER}')`)
    ?? enumProblem('operation', operation, Object.values(SignalingOperation));
  if (problem !== undefined) throw validationError(channel, `${method}: ${problem}`);
}

/**
 * What a signaling channel, declared here or imported, can do.
 */
export abstract class SignalingChannelBase extends KinesisVideoResourceBase implements ISignalingChannel {
  public abstract readonly signalingChannelArn: string;
  public abstract readonly signalingChannelName: string;
  public abstract readonly mediaStorageStream?: IStream;

  public get signalingChannelRef(): kinesisVideoRefs.SignalingChannelReference {
    return { signalingChannelArn: this.signalingChannelArn, signalingChannelName: this.signalingChannelName };
  }

  public grantConnectAsMaster(grantee: iam.IGrantable): iam.Grant {
    const stream = this.mediaStorageStream;
    if (stream === undefined) {
      return this.grant(grantee, ...CONNECT_AS_MASTER_ACTIONS);
    }
    return this.grant(grantee, ...CONNECT_AS_MASTER_ACTIONS, ...STORAGE_MASTER_ACTIONS).combine(stream.grantWrite(grantee));
  }

  public grantConnectAsViewer(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...CONNECT_AS_VIEWER_ACTIONS);
    const stream = this.mediaStorageStream;
    return stream === undefined ? grant : grant.combine(stream.grantWrite(grantee));
  }

  protected metricDimensions(): { [name: string]: string } {
    return { SignalingChannelName: this.signalingChannelName };
  }

  public metricFailure(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkOperation(this, 'metricFailure', operation);
    return this.metric('Failure', {
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
      dimensionsMap: { [OPERATION_DIMENSION]: operation, ...props?.dimensionsMap },
    });
  }

  public metricLatency(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    checkOperation(this, 'metricLatency', operation);
    return this.metric('Latency', {
      statistic: cloudwatch.Stats.AVERAGE,
      unit: cloudwatch.Unit.MILLISECONDS,
      ...props,
      dimensionsMap: { [OPERATION_DIMENSION]: operation, ...props?.dimensionsMap },
    });
  }

  public metricMessagesTransferred(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MessagesTransferred.Count', { statistic: cloudwatch.Stats.SUM, ...props });
  }

  public metricTurnConnectedMinutes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TURNConnectedMinutes', { statistic: cloudwatch.Stats.SUM, ...props });
  }
}

/**
 * What identifies an existing signaling channel.
 */
export interface SignalingChannelAttributes {
  /**
   * The ARN of the channel.
   *
   * @default - none: the channel can be granted on and monitored by name, but a template that uses its
   * `signalingChannelArn` fails synth with a validation error (a channel ARN ends with its creation time)
   */
  readonly signalingChannelArn?: string;

  /**
   * The name of the channel.
   *
   * @default - parsed from `signalingChannelArn`
   */
  readonly signalingChannelName?: string;

  /**
   * Where the channel records, if it does: the connect grants then include what recording needs.
   *
   * @default - the channel records nothing
   */
  readonly mediaStorage?: MediaStorage;
}

/**
 * Where a signaling channel records the media its master sends (WebRTC ingestion): the master joins a
 * storage session instead of connecting peer to peer, and the service writes its video and audio into the
 * stream.
 */
export interface MediaStorage {
  /**
   * The Kinesis video stream the channel records into, in the channel's account and region. It must keep data
   * (`dataRetention` of at least an hour) and record no other channel: a stream takes one channel. Replacing
   * the stream (a new ARN) moves the channel's recording to the new one in the same deployment.
   */
  readonly stream: IStream;
}

/**
 * Properties of a signaling channel.
 */
export interface SignalingChannelProps {
  /**
   * The channel's name, unique in its account and region.
   *
   * 1-256 characters of `a-zA-Z0-9_.-`. A second channel of the same stack with the same name is refused at
   * synth. Changing it replaces the channel: the channel is created under the new name, then CloudFormation
   * deletes the old one (`RemovalPolicy.RETAIN` keeps it).
   *
   * @default - generated at deploy time from the stack name, the logical ID and the CloudFormation request,
   * so that a replacement never collides with the channel it replaces
   */
  readonly signalingChannelName?: string;

  /**
   * The channel's type.
   *
   * `SINGLE_MASTER` is the only type the service supports, so it cannot change today.
   *
   * @default SignalingChannelType.SINGLE_MASTER
   */
  readonly channelType?: SignalingChannelType;

  /**
   * How long the channel keeps undelivered messages: 5 to 120 whole seconds. Updated in place; a new value
   * applies to messages sent after the update.
   *
   * @default Duration.seconds(60), the service's default
   */
  readonly messageTtl?: Duration;

  /**
   * Tags to apply to the channel.
   *
   * Added to those from `Tags.of(scope)`: at most 48 in all, since the service allows 50 and this library
   * uses two to recognise the channels it creates and the stack they belong to.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the channel when it is removed from the stack, replaced, or the stack is deleted.
   * `SNAPSHOT` is refused: a channel has no snapshot.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Record the channel's media into a Kinesis video stream (WebRTC ingestion; media storage ENABLED).
   * Enabled once the channel is ACTIVE; adding, changing or removing it updates the channel in place.
   * Not available in the China regions; at most 100 channels per account and region can record.
   *
   * @default - the channel records nothing (media storage DISABLED)
   */
  readonly mediaStorage?: MediaStorage;
}

/**
 * A Kinesis Video Streams WebRTC signaling channel.
 *
 * Declared as a CloudFormation custom resource: one Lambda function per stack creates, updates, tags,
 * replaces and deletes the stack's channels through the Kinesis Video API.
 *
 * @resource Custom::KinesisVideoSignalingChannel
 */
export class SignalingChannel extends SignalingChannelBase implements ITaggable {
  /**
   * Import an existing signaling channel by its ARN.
   */
  public static fromSignalingChannelArn(scope: Construct, id: string, signalingChannelArn: string): ISignalingChannel {
    return SignalingChannel.fromSignalingChannelAttributes(scope, id, { signalingChannelArn });
  }

  /**
   * Import an existing signaling channel by its name.
   *
   * Grants apply to `channel/<name>/*`. A channel ARN ends with its creation time, so this import has none:
   * its `signalingChannelArn` is a token, and a template that uses it fails synth with a validation error
   * naming this construct (use `fromSignalingChannelArn` or `fromSignalingChannelAttributes` instead).
   */
  public static fromSignalingChannelName(scope: Construct, id: string, signalingChannelName: string): ISignalingChannel {
    return SignalingChannel.fromSignalingChannelAttributes(scope, id, { signalingChannelName });
  }

  /**
   * Import an existing signaling channel by its ARN, its name, or both.
   */
  public static fromSignalingChannelAttributes(
    scope: Construct,
    id: string,
    attrs: SignalingChannelAttributes,
  ): ISignalingChannel {
    checkImportAttributes(scope, id, SIGNALING_CHANNEL, attrs.signalingChannelArn, attrs.signalingChannelName);
    const mediaStorageProblem = mediaStorageShapeProblem(attrs.mediaStorage);
    if (mediaStorageProblem) {
      throw validationError(scope, mediaStorageProblem, `${scope.node.path}/${id}`);
    }

    class Import extends SignalingChannelBase {
      private readonly identity = importedIdentity(this, SIGNALING_CHANNEL, attrs.signalingChannelArn, attrs.signalingChannelName);
      public readonly signalingChannelArn = this.identity.arn;
      public readonly signalingChannelName = this.identity.name;
      public readonly mediaStorageStream = attrs.mediaStorage?.stream;
      protected readonly grantResourceArns = this.identity.grantResourceArns;
    }

    return new Import(scope, id, { environmentFromArn: attrs.signalingChannelArn });
  }

  /**
   * The stream the channel records into, if `mediaStorage` was given.
   */
  public readonly mediaStorageStream?: IStream;

  /**
   * Tags of the channel. `Tags.of(scope).add(...)` reaches them like any taggable aws-cdk-lib resource.
   */
  public readonly tags: TagManager;

  private readonly resource: CfnResource;
  private signalingChannelArnToken?: string;
  private signalingChannelNameToken?: string;

  constructor(scope: Construct, id: string, props: SignalingChannelProps = {}) {
    super(scope, id, { physicalName: props.signalingChannelName });

    this.validateProps(props);
    const channelType = props.channelType ?? SignalingChannelType.SINGLE_MASTER;
    this.mediaStorageStream = props.mediaStorage?.stream;
    claimUniqueName(this, SIGNALING_CHANNEL, 'signalingChannelName', props.signalingChannelName);

    this.tags = keyValueTagManager(this, SIGNALING_CHANNEL, SIGNALING_CHANNEL_RESOURCE_TYPE, props.tags, ChannelProperty.TAGS);

    // A CfnResource of its own, not aws-cdk-lib's CustomResource: one construct fewer per channel (a stack
    // holds hundreds), and `node.defaultChild` is the resource itself, so `applyRemovalPolicy`,
    // `RemovalPolicies.of(scope)` and escape hatches work as on aws-cdk-lib's own L2s. Its path
    // (`<id>/Resource`) gives the logical ID that CustomResource's `<id>/Resource/Default` gave.
    // Only what CloudFormation needs is written: SINGLE_MASTER (the only type) and DESTROY (CloudFormation's
    // own default policies) are left out, which saves bytes in every channel of a big template.
    const provider = SignalingChannelProvider.of(this);
    const resource = new CfnResource(this, 'Resource', {
      type: SIGNALING_CHANNEL_RESOURCE_TYPE,
      properties: {
        ServiceToken: provider.serviceToken,
        ServiceTimeout: provider.serviceTimeoutSeconds,
        [ChannelProperty.CHANNEL_NAME]: props.signalingChannelName,
        [ChannelProperty.CHANNEL_TYPE]: channelType === SignalingChannelType.SINGLE_MASTER ? undefined : channelType,
        [ChannelProperty.MESSAGE_TTL_SECONDS]: props.messageTtl?.toSeconds({ integral: false }),
        [ChannelProperty.TAGS]: renderedTags(this.tags),
        // The stream's ARN token: a stream replaced in the same deployment has a new ARN, and so the
        // channel gets an Update that moves its recording to the new stream.
        [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: this.mediaStorageStream?.streamArn,
      },
    });
    provider.addChannel(resource, props.signalingChannelName, this, this.mediaStorageStream);
    applyRemovalPolicy(this, resource, SIGNALING_CHANNEL, props.removalPolicy, { policy: RemovalPolicy.DESTROY, leaveOutDestroy: true });

    this.resource = resource;
  }

  // The attributes are made when first read: a fleet of hundreds of channels whose ARNs nothing reads
  // (cameras granted by thing name, say) does not pay for their tokens at synth.
  public get signalingChannelArn(): string {
    return this.signalingChannelArnToken ??= Token.asString(this.resource.getAtt(ChannelAttribute.CHANNEL_ARN));
  }

  public get signalingChannelName(): string {
    // The name you chose, where a stack in another environment refers to it; the attribute otherwise.
    return this.signalingChannelNameToken ??=
      this.getResourceNameAttribute(Token.asString(this.resource.getAtt(ChannelAttribute.CHANNEL_NAME)));
  }

  protected get grantResourceArns(): string[] {
    return [this.signalingChannelArn];
  }

  private validateProps(props: SignalingChannelProps): void {
    checkProperties(this, SIGNALING_CHANNEL, {
      types: [
        renamedProblem(props, 'channelName', 'signalingChannelName'),
        typeProblem('signalingChannelName', props.signalingChannelName, 'string'),
        typeProblem('channelType', props.channelType, 'string'),
        durationProblem('messageTtl', props.messageTtl, 'Duration.seconds(30)'),
        removalPolicyProblem(SIGNALING_CHANNEL, props.removalPolicy),
        mediaStorageShapeProblem(props.mediaStorage),
      ],
      tags: props.tags,
      values: () => [
        ['signalingChannelName', props.signalingChannelName, channelNameProblem],
        ['channelType', props.channelType, channelTypeProblem],
        ['messageTtl', props.messageTtl?.toSeconds({ integral: false }), messageTtlProblem],
      ],
      relations: () => props.mediaStorage === undefined ? [] : this.mediaStorageProblems(props.mediaStorage.stream),
    });
  }

  /**
   * What the service refuses and synth can know: a stream imported by name (it has no ARN to record into), a
   * stream that keeps no data (NoDataRetentionException at deploy time), a stream of another account or region
   * (the channel cannot reach it), and the China regions, where WebRTC ingestion is not available.
   */
  private mediaStorageProblems(stream: IStream): string[] {
    const problems: string[] = [];
    if (isImportWithoutArn(stream)) {
      problems.push(`mediaStorage.stream ${stream.node.path} was imported by name, and a stream imported by name has no ARN ` +
        `(it ends with the stream's creation time), which a channel records into: import it with ${STREAM.importsWithArn.join(' or ')}`);
    }
    const retention = stream.dataRetention;
    if (retention !== undefined && !retention.isUnresolved() && retention.toHours({ integral: false }) === 0) {
      problems.push(`mediaStorage.stream ${stream.node.path} keeps no data (dataRetention ${retention.toHumanString()}): ` +
        'a channel records only into a stream with a data retention period (at least 1 hour)');
    }
    problems.push(...environmentProblems('mediaStorage.stream', this, stream, {
      sameAccount: true,
      why: 'a channel records only into a stream of its own account and region',
    }));
    problems.push(...stackRegionProblems(this, region => region.startsWith('cn-')
      ? `mediaStorage is not available in the China regions (the stack's region is '${region}'): ` +
        'WebRTC ingestion into a stream is offered outside China only'
      : undefined));
    return problems;
  }
}

/**
 * `mediaStorage` is `{ stream }`: a stream given in its place (an easy slip in JavaScript, where nothing
 * catches it) would record nothing.
 */
function mediaStorageShapeProblem(mediaStorage: unknown): string | undefined {
  if (mediaStorage === undefined) return undefined;
  if (typeof mediaStorage === 'object' && mediaStorage !== null && 'streamArn' in mediaStorage && !('stream' in mediaStorage)) {
    return 'mediaStorage must be { stream }, the stream wrapped in an object (got the stream itself: write mediaStorage: { stream })';
  }
  const stream = (mediaStorage as Partial<MediaStorage> | null)?.stream;
  return requiredProblem('mediaStorage.stream', stream, 'an IStream (a Stream, or an imported one)')
    ?? shapeProblem('mediaStorage.stream', stream, 'an IStream (a Stream, or an imported one)', ['streamArn', 'grantWrite']);
}
