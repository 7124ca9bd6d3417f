import {
  CfnDeletionPolicy,
  CfnResource,
  Duration,
  Fn,
  IResource,
  ITaggable,
  Lazy,
  RemovalPolicy,
  Resource,
  Stack,
  TagManager,
  TagType,
  Token,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_kinesisvideo as kinesisVideoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { ChannelAttribute, ChannelProperty, SIGNALING_CHANNEL_RESOURCE_TYPE } from './handler-contract';
import { SignalingChannelProvider } from './signaling-channel-provider';
import {
  CHANNEL_ARN_PATTERN,
  channelNameProblem,
  channelTypeProblem,
  describeString,
  messageTtlProblem,
  tagCountProblem,
  tagProblems,
} from './signaling-channel-rules';
import { SignalingOperation } from './signaling-operation';
import { IStream } from './stream';
import { ThingChannelGrantOptions, thingChannelArn, thingStreamArn } from './thing-channel-grant';

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
export interface ISignalingChannel extends IResource, kinesisVideoRefs.ISignalingChannelRef {
  /**
   * The ARN of the signaling channel.
   *
   * @attribute
   */
  readonly channelArn: string;

  /**
   * The name of the signaling channel.
   *
   * @attribute
   */
  readonly channelName: string;

  /**
   * The Kinesis video stream the channel records into (WebRTC ingestion), when known: the connect grants
   * then include what recording needs.
   */
  readonly mediaStorageStream?: IStream;

  /**
   * Grant the given actions on this channel to the principal.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

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
   * A CloudWatch metric of this channel.
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Failures of a signaling operation: the average is the failure rate (each call counts 0 or 1).
   */
  metricFailure(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Latency of a signaling operation, in milliseconds.
   */
  metricLatency(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Signaling messages sent and received through the channel.
   */
  metricMessagesTransferred(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * Minutes of TURN relay used by the channel's connections.
   */
  metricTurnConnectedMinutes(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** The actions every WebRTC peer needs before it connects, as master or as viewer. */
const PEER_ACTIONS = [
  'kinesisvideo:DescribeSignalingChannel',
  'kinesisvideo:GetSignalingChannelEndpoint',
  'kinesisvideo:GetIceServerConfig',
];

/** What a master of a recording channel needs on the channel besides connecting (WebRTC ingestion). */
const STORAGE_MASTER_ACTIONS = [
  'kinesisvideo:JoinStorageSession',
  'kinesisvideo:DescribeMediaStorageConfiguration',
];

/** Refused however it is asked for: as a prop, by `applyRemovalPolicy`, or by `RemovalPolicies.of(scope)`. */
const SNAPSHOT_PROBLEM = 'removalPolicy SNAPSHOT is not supported: a signaling channel has no snapshot (use DESTROY or RETAIN)';

/** Namespace and dimension of the service's signaling metrics. */
const METRICS_NAMESPACE = 'AWS/KinesisVideo';
const CHANNEL_DIMENSION = 'SignalingChannelName';
const OPERATION_DIMENSION = 'Operation';

/**
 * What a signaling channel, declared here or imported, can do.
 */
export abstract class SignalingChannelBase extends Resource implements ISignalingChannel {
  public abstract readonly channelArn: string;
  public abstract readonly channelName: string;
  public abstract readonly mediaStorageStream?: IStream;

  /**
   * The resources a grant on this channel applies to: its ARN, or `channel/<name>/*` when only the name is
   * known (a channel ARN ends with a creation time).
   */
  protected abstract readonly grantResourceArns: string[];

  public get signalingChannelRef(): kinesisVideoRefs.SignalingChannelReference {
    return { signalingChannelArn: this.channelArn, signalingChannelName: this.channelName };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this.grantResourceArns });
  }

  public grantConnectAsMaster(grantee: iam.IGrantable): iam.Grant {
    const stream = this.mediaStorageStream;
    if (stream === undefined) {
      return this.grant(grantee, ...PEER_ACTIONS, 'kinesisvideo:ConnectAsMaster');
    }
    return this.grant(grantee, ...PEER_ACTIONS, 'kinesisvideo:ConnectAsMaster', ...STORAGE_MASTER_ACTIONS)
      .combine(stream.grantWrite(grantee));
  }

  public grantConnectAsViewer(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...PEER_ACTIONS, 'kinesisvideo:ConnectAsViewer');
    const stream = this.mediaStorageStream;
    return stream === undefined ? grant : grant.combine(stream.grantWrite(grantee));
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      ...props,
      dimensionsMap: { [CHANNEL_DIMENSION]: this.channelName, ...props?.dimensionsMap },
    }).attachTo(this);
  }

  public metricFailure(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Failure', {
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
      dimensionsMap: { [OPERATION_DIMENSION]: operation, ...props?.dimensionsMap },
    });
  }

  public metricLatency(operation: SignalingOperation, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
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
   * `channelArn` fails synth with a validation error (a channel ARN ends with its creation time)
   */
  readonly channelArn?: string;

  /**
   * The name of the channel.
   *
   * @default - parsed from `channelArn`
   */
  readonly channelName?: string;

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
   * The Kinesis video stream the channel records into. It must keep data (`dataRetention` of at least an
   * hour) and record no other channel: a stream takes one channel. Replacing the stream (a new ARN) moves
   * the channel's recording to the new one in the same deployment.
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
  readonly channelName?: string;

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
  public static fromSignalingChannelArn(scope: Construct, id: string, channelArn: string): ISignalingChannel {
    return SignalingChannel.fromSignalingChannelAttributes(scope, id, { channelArn });
  }

  /**
   * Import an existing signaling channel by its name.
   *
   * Grants apply to `channel/<name>/*`. A channel ARN ends with its creation time, so this import has none:
   * its `channelArn` is a token, and a template that uses it fails synth with a validation error naming
   * this construct (use `fromSignalingChannelArn` or `fromSignalingChannelAttributes` instead).
   */
  public static fromSignalingChannelName(scope: Construct, id: string, channelName: string): ISignalingChannel {
    return SignalingChannel.fromSignalingChannelAttributes(scope, id, { channelName });
  }

  /**
   * Import an existing signaling channel by its ARN, its name, or both.
   */
  public static fromSignalingChannelAttributes(
    scope: Construct,
    id: string,
    attrs: SignalingChannelAttributes,
  ): ISignalingChannel {
    const { channelArn, channelName, mediaStorage } = attrs;
    if (channelArn === undefined && channelName === undefined) {
      throw new Error(`${scope.node.path}/${id}: give channelArn, channelName or both to import a signaling channel`);
    }
    if (channelArn !== undefined && !Token.isUnresolved(channelArn) && !CHANNEL_ARN_PATTERN.test(channelArn)) {
      throw new Error(
        `${scope.node.path}/${id}: channelArn ${describeString(channelArn)} is not a signaling channel ARN; ` +
        'expected arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation time>',
      );
    }
    if (channelName !== undefined && !Token.isUnresolved(channelName)) {
      const problem = channelNameProblem(channelName);
      if (problem) {
        throw new Error(`${scope.node.path}/${id}: channelName ${problem}`);
      }
    }

    class Import extends SignalingChannelBase {
      public readonly channelName = channelName ?? channelNameFromArn(channelArn!);
      public readonly mediaStorageStream = mediaStorage?.stream;
      protected readonly grantResourceArns = channelArn !== undefined
        ? [channelArn]
        : [Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'channel', resourceName: `${this.channelName}/*` })];

      public readonly channelArn = channelArn ?? this.unknownArn();

      /**
       * A token, so that reading the property (or signalingChannelRef) works in every jsii language. Using it
       * in the template is reported as a validation error of this construct: an error thrown while the
       * template resolves would surface deep inside aws-cdk-lib's resolver, under its minified source.
       */
      private unknownArn(): string {
        let used = false;
        this.node.addValidation({
          validate: () => used ? [
            'channelArn is used, but a signaling channel imported by name has no ARN (a channel ARN ends with ' +
            'its creation time): import it with fromSignalingChannelArn or fromSignalingChannelAttributes ' +
            'to use its ARN',
          ] : [],
        });
        // Resolved before validation (aws-cdk-lib resolves every template element to find references), so
        // the placeholder never reaches a template that synthesizes.
        return Lazy.uncachedString({
          produce: () => {
            used = true;
            return `<no ARN: ${this.node.path} was imported by name>`;
          },
        });
      }
    }

    return new Import(scope, id, {
      environmentFromArn: channelArn,
    });
  }

  /**
   * Grant each AWS IoT thing the right to connect as master to the signaling channel named after it, and to no
   * other: the same actions as `grantConnectAsMaster`, on `channel/${credentials-iot:ThingName}/*`.
   *
   * For camera fleets that sign in with the AWS IoT credentials provider: grant the role its role alias points
   * to. IAM replaces the variable with the name of the thing whose certificate signed in.
   */
  public static grantConnectAsThingMaster(grantee: iam.IGrantable, options: ThingChannelGrantOptions = {}): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...PEER_ACTIONS, 'kinesisvideo:ConnectAsMaster', ...(options.recordsIntoThingStream ? STORAGE_MASTER_ACTIONS : [])],
      resourceArns: [thingChannelArn(grantee, options)],
    });
    return options.recordsIntoThingStream ? grant.combine(grantThingStreamWrite(grantee, options)) : grant;
  }

  /**
   * Grant each AWS IoT thing the right to connect as viewer to the signaling channel named after it, and to no
   * other: the same actions as `grantConnectAsViewer`, on `channel/${credentials-iot:ThingName}/*`.
   */
  public static grantConnectAsThingViewer(grantee: iam.IGrantable, options: ThingChannelGrantOptions = {}): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...PEER_ACTIONS, 'kinesisvideo:ConnectAsViewer'],
      resourceArns: [thingChannelArn(grantee, options)],
    });
    return options.recordsIntoThingStream ? grant.combine(grantThingStreamWrite(grantee, options)) : grant;
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
  private channelArnToken?: string;
  private channelNameToken?: string;

  constructor(scope: Construct, id: string, props: SignalingChannelProps = {}) {
    super(scope, id, { physicalName: props.channelName });

    const channelType = props.channelType ?? SignalingChannelType.SINGLE_MASTER;
    const messageTtlSeconds = props.messageTtl?.toSeconds({ integral: false });
    this.mediaStorageStream = props.mediaStorage?.stream;
    this.validateProps(props.channelName, channelType, messageTtlSeconds, props.tags, props.removalPolicy, this.mediaStorageStream);

    this.tags = new TagManager(TagType.KEY_VALUE, SIGNALING_CHANNEL_RESOURCE_TYPE, props.tags, {
      tagPropertyName: ChannelProperty.TAGS,
    });

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
        [ChannelProperty.CHANNEL_NAME]: props.channelName,
        [ChannelProperty.CHANNEL_TYPE]: channelType === SignalingChannelType.SINGLE_MASTER ? undefined : channelType,
        [ChannelProperty.MESSAGE_TTL_SECONDS]: messageTtlSeconds,
        [ChannelProperty.TAGS]: Lazy.any({ produce: () => this.tags.renderTags() }, { omitEmptyArray: true }),
        // The stream's ARN token: a stream replaced in the same deployment has a new ARN, and so the
        // channel gets an Update that moves its recording to the new stream.
        [ChannelProperty.MEDIA_STORAGE_STREAM_ARN]: this.mediaStorageStream?.streamArn,
      },
    });
    provider.addChannel(resource, props.channelName, this, this.mediaStorageStream);
    if (props.removalPolicy !== undefined && props.removalPolicy !== RemovalPolicy.DESTROY) {
      this.applyRemovalPolicy(props.removalPolicy);
    }
    // Tags.of() is applied by an aspect, and removal policies may be applied by one, after this
    // constructor: check them when the app is validated.
    this.node.addValidation({ validate: () => [...this.validateTags(), ...this.validateRemovalPolicy(resource)] });

    this.resource = resource;
  }

  // The attributes are made when first read: a fleet of hundreds of channels whose ARNs nothing reads
  // (cameras granted by thing name, say) does not pay for their tokens at synth.
  public get channelArn(): string {
    return this.channelArnToken ??= Token.asString(this.resource.getAtt(ChannelAttribute.CHANNEL_ARN));
  }

  public get channelName(): string {
    // The name you chose, where a stack in another environment refers to it; the attribute otherwise.
    return this.channelNameToken ??= this.getResourceNameAttribute(Token.asString(this.resource.getAtt(ChannelAttribute.CHANNEL_NAME)));
  }

  protected get grantResourceArns(): string[] {
    return [this.channelArn];
  }

  private validateProps(
    channelName: string | undefined,
    channelType: string,
    messageTtlSeconds: number | undefined,
    tags: { [key: string]: string } | undefined,
    removalPolicy: RemovalPolicy | undefined,
    mediaStorageStream: IStream | undefined,
  ): void {
    const problems: string[] = [];
    if (removalPolicy === RemovalPolicy.SNAPSHOT) {
      problems.push(SNAPSHOT_PROBLEM);
    }
    if (channelName !== undefined && !Token.isUnresolved(channelName)) {
      const problem = channelNameProblem(channelName);
      if (problem) problems.push(`channelName ${problem}`);
    }
    if (!Token.isUnresolved(channelType)) {
      const problem = channelTypeProblem(channelType);
      if (problem) problems.push(`channelType ${problem}`);
    }
    if (messageTtlSeconds !== undefined && !Token.isUnresolved(messageTtlSeconds)) {
      const problem = messageTtlProblem(messageTtlSeconds);
      if (problem) problems.push(`messageTtl ${problem}`);
    }
    for (const [key, value] of Object.entries(tags ?? {})) {
      if (!Token.isUnresolved(key) && !Token.isUnresolved(value)) {
        problems.push(...tagProblems(key, value).map(problem => `tags: ${problem}`));
      }
    }
    problems.push(...this.mediaStorageProblems(mediaStorageStream));
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: invalid signaling channel properties:\n  ${problems.join('\n  ')}`);
    }
  }

  /**
   * What the service refuses and synth can know: a stream that keeps no data (NoDataRetentionException at
   * deploy time), and the China regions, where WebRTC ingestion is not available.
   */
  private mediaStorageProblems(stream: IStream | undefined): string[] {
    const problems: string[] = [];
    if (stream === undefined) return problems;
    const retention = stream.dataRetention;
    if (retention !== undefined && !retention.isUnresolved() && retention.toHours({ integral: false }) === 0) {
      problems.push(`mediaStorage.stream ${stream.node.path} keeps no data (dataRetention ${retention.toHumanString()}): ` +
        'a channel records only into a stream with a data retention period (at least 1 hour)');
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region.startsWith('cn-')) {
      problems.push(`mediaStorage is not available in the China regions (the stack's region is '${region}'): ` +
        'WebRTC ingestion into a stream is offered outside China only');
    }
    return problems;
  }

  /**
   * Set the channel's DeletionPolicy and UpdateReplacePolicy, as the `removalPolicy` prop does. `SNAPSHOT`
   * is refused: a channel has no snapshot.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    if (policy === RemovalPolicy.SNAPSHOT) {
      throw new Error(`${this.node.path}: ${SNAPSHOT_PROBLEM}`);
    }
    super.applyRemovalPolicy(policy);
  }

  /** SNAPSHOT set on the resource behind the L2's back (`RemovalPolicies.of(scope)`, an escape hatch). */
  private validateRemovalPolicy(resource: CfnResource): string[] {
    const { deletionPolicy, updateReplacePolicy } = resource.cfnOptions;
    return deletionPolicy === CfnDeletionPolicy.SNAPSHOT || updateReplacePolicy === CfnDeletionPolicy.SNAPSHOT
      ? [SNAPSHOT_PROBLEM]
      : [];
  }

  private validateTags(): string[] {
    const rendered: Array<{ Key: string; Value: string }> = this.tags.renderTags() ?? [];
    const problems: string[] = [];
    const count = tagCountProblem(rendered.length);
    if (count) problems.push(`tags: ${count}`);
    for (const { Key, Value } of rendered) {
      if (!Token.isUnresolved(Key) && !Token.isUnresolved(Value)) {
        problems.push(...tagProblems(Key, Value).map(problem => `tags: ${problem}`));
      }
    }
    return problems;
  }
}

/** What a thing's recording needs on the stream named after it: a producer's rights (PutMedia). */
function grantThingStreamWrite(grantee: iam.IGrantable, options: ThingChannelGrantOptions): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'],
    resourceArns: [thingStreamArn(grantee, options)],
  });
}

function channelNameFromArn(channelArn: string): string {
  // arn:<partition>:kinesisvideo:<region>:<account>:channel/<name>/<creation time>
  if (Token.isUnresolved(channelArn)) {
    return Fn.select(1, Fn.split('/', channelArn));
  }
  return CHANNEL_ARN_PATTERN.exec(channelArn)![1]; // validated by the caller
}
