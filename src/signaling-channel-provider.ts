import * as path from 'path';
import { Annotations, Aws, CfnResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { renderSlotTable } from './channel-slots';
import { ProviderEnvironment, SERVICE_TIMEOUT_SECONDS, STACK_TAG_KEY } from './handler-contract';
import type { IStream } from './stream';

/** Where projen's bundler writes the handler (see `.projenrc.ts`); shipped in the npm package. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'lambda', 'signaling-channel-handler', 'index');

/** Every Kinesis Video action the handler calls. Nothing else: the role is least privilege. */
const HANDLER_ACTIONS = [
  'kinesisvideo:CreateSignalingChannel',
  'kinesisvideo:DescribeSignalingChannel',
  'kinesisvideo:UpdateSignalingChannel',
  'kinesisvideo:DeleteSignalingChannel',
  'kinesisvideo:ListTagsForResource',
  'kinesisvideo:TagResource',
  'kinesisvideo:UntagResource',
];

/**
 * What the handler calls for channels that record into a stream; only stacks with such channels grant it, on
 * the same channel ARNs as the other actions (in the same statement: listing them twice would double the
 * policy's size).
 */
const MEDIA_STORAGE_CHANNEL_ACTIONS = ['kinesisvideo:UpdateMediaStorageConfiguration'];

/**
 * What the handler may do to any channel that carries its stack's tag (`STACK_TAG_KEY`), whatever its name:
 * update, unlink and delete the channels an earlier version of the template created (a rename, a removed
 * channel, a channel that no longer records) and those a rollback returns to. UpdateMediaStorageConfiguration
 * is always in it: a channel an earlier version linked to a stream must be unlinked before it is deleted.
 */
const STACK_CHANNEL_ACTIONS = [
  ...HANDLER_ACTIONS.filter(action => action !== 'kinesisvideo:CreateSignalingChannel'),
  ...MEDIA_STORAGE_CHANNEL_ACTIONS,
];

/** On the streams: which channel a stream records, to name it when the service says the stream is taken. */
const MEDIA_STORAGE_STREAM_ACTIONS = ['kinesisvideo:DescribeMappedResourceConfiguration'];

/** The service's quota: at most this many signaling channels per account and region can have media storage. */
export const MAX_MEDIA_STORAGE_CHANNELS = 100;

/**
 * cdk-nag's finding ids for the wildcard channel ARNs of the role's policy: `Resource::<ARN>`, with pseudo
 * parameters rendered as `<AWS::Region>` where the stack's environment is not known at synth time.
 */
const CHANNEL_ARN_FINDING_PREFIX =
  'Resource::arn:(<AWS::Partition>|[a-z-]+):kinesisvideo:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):channel\\/';
/** `channel/<stack name>.*` (generated names) and `channel/<explicit name>/*`. */
const CHANNEL_WILDCARD_FINDING = `/^${CHANNEL_ARN_FINDING_PREFIX}(<AWS::StackName>\\.|[a-zA-Z0-9_.-]+\\/)\\*$/`;
/** `channel/*`: every channel of the account and region. */
const ALL_CHANNELS_FINDING = `/^${CHANNEL_ARN_FINDING_PREFIX}\\*$/`;
/** `stream/*`: every stream of the account and region. */
const ALL_STREAMS_FINDING =
  '/^Resource::arn:(<AWS::Partition>|[a-z-]+):kinesisvideo:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):stream\\/\\*$/';

/**
 * Explicit channel names are listed one by one in the role's policy while they fit this many characters;
 * past it they collapse into `channel/*` of the stack's account and region. IAM allows 10,240 characters of
 * inline policy per role; this keeps the policy under it with room for the other statements, even with as
 * many channels as a stack can hold.
 */
const EXPLICIT_NAMES_POLICY_BUDGET = 6_000;

/**
 * The characters a listed resource costs in that budget: its name, and the rest of its ARN and quotes
 * (`arn:aws-us-gov:kinesisvideo:ap-southeast-7:123456789012:channel/<name>/*`). A stream is listed by its
 * full ARN, whose name is CloudFormation's to choose when not given: counted at the most it can be.
 */
const LISTED_ARN_OVERHEAD = 70;
const STREAM_ARN_OVERHEAD = 80;
const STREAM_NAME_MAX_LENGTH = 256;

/** The id of the warning that two stacks of one app, in one account and region, declare the same channel name. */
const DUPLICATE_NAME_WARNING = 'cdk-kvs-signaling-channel:duplicateName';

/**
 * The Lambda function, role and log group that serve every signaling channel of one stack.
 *
 * There is one per stack, whatever the number of channels: `SignalingChannelProvider.of(scope)` creates it
 * the first time and returns the same one after.
 */
export class SignalingChannelProvider extends Construct {
  /** The provider of the stack that holds `scope`, created on first use. */
  public static of(scope: IConstruct): SignalingChannelProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SignalingChannelProvider.ID);
    return (existing as SignalingChannelProvider | undefined) ?? new SignalingChannelProvider(stack, SignalingChannelProvider.ID);
  }

  private static readonly ID = 'KinesisVideoSignalingChannelProvider';

  /** The ARN CloudFormation invokes for each custom resource. */
  public readonly serviceToken: string;

  /**
   * How long CloudFormation waits for an answer. Longer than the function's timeout (the handler answers
   * before that), far shorter than CloudFormation's default hour, so a lost response cannot stall a stack.
   */
  public readonly serviceTimeoutSeconds = String(SERVICE_TIMEOUT_SECONDS);

  /** The channel names chosen by the user, each with the channel that declares it. */
  private readonly explicitChannelNames = new Map<string, IConstruct>();
  /** Every channel of the stack: the handler spaces their requests by the table rendered from them. */
  private readonly channels: CfnResource[] = [];
  /** The channels that record, and the streams they record into (by ARN token). */
  private recordingChannels = 0;
  private readonly recordingStreams = new Map<string, IStream>();
  /** The channel that records into each stream, by the stream's resolved ARN. */
  private readonly streamRecorders = new Map<string, IConstruct>();
  /** The role's cdk-nag suppressions, which a stack whose channels record extends (`addChannel`). */
  private readonly nagSuppressions: Array<{ id: string; reason: string; applies_to: Array<{ regex: string }> }>;

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Manages the Kinesis Video signaling channels of this stack',
    });

    // The role's own inline policy rather than a separate AWS::IAM::Policy: one resource fewer in every stack
    // (a stack holds 500), and the function, which needs the role, cannot be created before its permissions,
    // so neither can any channel (each refers to the function). Uncached: rendered from the channel names
    // known when the template is written, whatever resolved it before.
    const cfnRole = role.node.defaultChild as iam.CfnRole;
    cfnRole.policies = [{
      policyName: 'KinesisVideoSignalingChannels',
      policyDocument: Lazy.uncachedAny({ produce: () => this.renderPolicyDocument(logGroup) }),
    }];
    this.nagSuppressions = [
      {
        id: 'AwsSolutions-IAM5',
        // A channel ARN ends with its creation time, known only after it exists: `channel/<name>/*` is the
        // narrowest resource IAM can name. Generated names all start with the stack name.
        reason: 'Channel ARNs end with a creation time unknown before create; generated names start with the stack name.',
        applies_to: [{ regex: CHANNEL_WILDCARD_FINDING }],
      },
      {
        id: 'AwsSolutions-IAM5',
        // channel/* appears in two places: conditioned on this stack's tag (the channels earlier versions of
        // the stack created, whatever their names), and, past EXPLICIT_NAMES_POLICY_BUDGET, for explicit names
        // whose list would break IAM's inline policy size limit (the stack would fail to deploy).
        reason: 'Channels tagged with this stack\'s id (any name an earlier version gave them); and, only when there are too many explicit channel names to list within IAM\'s policy size limit, all channels of this account and region.',
        applies_to: [{ regex: ALL_CHANNELS_FINDING }],
      },
    ];
    cfnRole.addMetadata('cdk_nag', { rules_to_suppress: this.nagSuppressions });
    // Widening to channel/* is the right call for the policy's size, but never a silent one.
    this.node.addValidation({
      validate: () => {
        if (!this.explicitNamesFitPolicy()) {
          Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:policyWidened',
            `${this.explicitChannelNames.size} explicit channel names do not fit IAM's policy size limit: the provider's ` +
            'role may manage every signaling channel of this account and region (channel/*). Let more channels ' +
            'generate their names (covered by channel/<stack name>.*) to keep it scoped.');
        }
        if (this.recordingChannels > 0 && !this.streamsFitPolicy()) {
          Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:policyWidened',
            `${this.recordingStreams.size} streams recorded into do not fit IAM's policy size limit: the provider's role ` +
            'may read which channel any stream of this account and region records (DescribeMappedResourceConfiguration ' +
            'on stream/*). Give the streams shorter names, or fewer explicit channel names, to keep it scoped.');
        }
        if (this.recordingChannels > MAX_MEDIA_STORAGE_CHANNELS) {
          Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:mediaStorageQuota',
            `${this.recordingChannels} signaling channels of this stack record into a stream (mediaStorage), more ` +
            `than the ${MAX_MEDIA_STORAGE_CHANNELS} per account and region the service allows: the channels past ` +
            'it will fail to deploy unless the quota is raised.');
        }
        return [];
      },
    });

    // Another stack of the app can only be seen once the whole app is built: look when it is validated.
    this.node.addValidation({
      validate: () => {
        this.warnOfNamesDeclaredInOtherStacks();
        return [];
      },
    });

    // The newest Node.js runtime that aws-cdk-lib's region facts say every region has: it follows the user's
    // aws-cdk-lib, and is never deprecated.
    const runtime = lambda.determineLatestNodeRuntime(this);
    const handler = new lambda.Function(this, 'Handler', {
      description: 'CloudFormation custom resource: Kinesis Video WebRTC signaling channels',
      runtime,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      role,
      // Channel transitions take seconds; the handler answers before this with its own deadline.
      timeout: Duration.minutes(5),
      // CloudFormation invokes the function asynchronously. In an account whose Lambda concurrency is far
      // below the stack's channel count, events wait in Lambda's queue, which keeps them (and retries failed
      // ones) for up to 6 hours: long after CloudFormation gave up on them. The handler reads when each
      // request was signed and does nothing for one CloudFormation has given up on, and bounds its work by
      // CloudFormation's wait (request-age.ts). No maxEventAge / retryAttempts here: they would add an
      // AWS::Lambda::EventInvokeConfig, one resource fewer for channels in every stack (500 in all), to
      // spare invocations that end at once anyway.
      memorySize: 256,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        // Rendered when the template is written, from the final logical IDs of every channel of the stack.
        [ProviderEnvironment.CHANNEL_SLOTS]: Lazy.string({
          produce: () => renderSlotTable(this.channels.map(channel => Stack.of(this).resolve(channel.logicalId))),
        }),
      },
    });
    this.serviceToken = handler.functionArn;

    // cdk-nag's AwsSolutions-L1 wants the newest runtime in `Runtime.ALL`, which can list a runtime before
    // the region facts do (aws-cdk-lib 2.245 lists nodejs24.x, its facts say nodejs22.x): suppress it only
    // then, naming both, so a runtime that really lags is still reported.
    const newestListed = newestNodeRuntimeName();
    if (!Token.isUnresolved(runtime.name) && runtime.name !== newestListed) {
      (handler.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
        rules_to_suppress: [{
          id: 'AwsSolutions-L1',
          reason: `${runtime.name} is the newest Node.js runtime aws-cdk-lib's region facts list for every region; ` +
            `${newestListed} is known to aws-cdk-lib but not yet listed as available everywhere.`,
        }],
      });
    }
  }

  /**
   * Serve a channel: count it in the stack's schedule; scope the role to its name if the user chose one
   * (generated names are covered by the stack-name prefix), and refuse a name another channel of this stack
   * already has: the service would refuse the second channel at deploy time. Names that are unresolved
   * tokens are not compared. Refuse, likewise, a stream another channel of this stack records into: the
   * service maps a stream to one channel, and the handler takes a stream over from another channel of its
   * own stack (a stream moved between channels in one deployment), which it may do only because the
   * template cannot mean both to keep it.
   */
  public addChannel(resource: CfnResource, channelName: string | undefined, channel: IConstruct, recordsInto?: IStream): void {
    this.channels.push(resource);
    if (recordsInto !== undefined) {
      if (this.recordingChannels++ === 0) {
        this.nagSuppressions.push({
          id: 'AwsSolutions-IAM5',
          // As for channel/*, for the streams the channels record into; the only action on them reads which
          // channel a stream records. Only stacks whose channels record carry it.
          reason: 'Too many streams to list within IAM\'s policy size limit: DescribeMappedResourceConfiguration on all streams of this account and region.',
          applies_to: [{ regex: ALL_STREAMS_FINDING }],
        });
      }
      const streamKey = JSON.stringify(Stack.of(this).resolve(recordsInto.streamArn));
      const recorder = this.streamRecorders.get(streamKey);
      if (recorder !== undefined) {
        throw new Error(
          `${channel.node.path}: mediaStorage.stream ${recordsInto.node.path} is the stream ${recorder.node.path} already records ` +
          'into; the service maps a stream to one signaling channel: give each channel its own stream');
      }
      this.streamRecorders.set(streamKey, channel);
      this.recordingStreams.set(recordsInto.streamArn, recordsInto);
    }
    if (channelName === undefined) return;
    const holder = this.explicitChannelNames.get(channelName);
    if (holder !== undefined && !Token.isUnresolved(channelName)) {
      throw new Error(
        `${channel.node.path}: channelName '${channelName}' is already the name of ${holder.node.path} in this stack; ` +
        'a signaling channel\'s name is unique in its account and region: choose another name, or leave channelName ' +
        'out to have one generated');
    }
    this.explicitChannelNames.set(channelName, channel);
  }

  /**
   * Warn, on each channel concerned, when another stack of the app declares the same channel name in the
   * same account and region: whichever stack deploys second fails. Stacks whose account or region is only
   * known at deploy time are not compared.
   */
  private warnOfNamesDeclaredInOtherStacks(): void {
    const { account, region } = Stack.of(this);
    if (Token.isUnresolved(account) || Token.isUnresolved(region)) return;

    for (const other of this.providersOfOtherStacks()) {
      const otherStack = Stack.of(other);
      if (otherStack.account !== account || otherStack.region !== region) continue;
      for (const [name, channel] of this.explicitChannelNames) {
        const otherChannel = other.explicitChannelNames.get(name);
        if (otherChannel === undefined || Token.isUnresolved(name)) continue;
        Annotations.of(channel).addWarningV2(DUPLICATE_NAME_WARNING,
          `channelName '${name}' is also the name of ${otherChannel.node.path}, in the same account (${account}) and ` +
          `region (${region}): whichever stack deploys second fails. Choose another name, or leave channelName out ` +
          'to have one generated.');
      }
    }
  }

  private providersOfOtherStacks(): SignalingChannelProvider[] {
    return this.node.root.node.findAll()
      .filter((c): c is SignalingChannelProvider => c instanceof SignalingChannelProvider && c !== this);
  }

  private renderPolicyDocument(logGroup: logs.ILogGroup): iam.PolicyDocument {
    return new iam.PolicyDocument({
      statements: [
        // Only in stacks whose channels record does the role gain the media storage actions: every other
        // stack's policy stays as it was.
        new iam.PolicyStatement({
          sid: 'ManageSignalingChannels',
          actions: this.recordingChannels === 0 ? HANDLER_ACTIONS : [...HANDLER_ACTIONS, ...MEDIA_STORAGE_CHANNEL_ACTIONS],
          resources: this.channelResourceArns(),
        }),
        // Every channel this stack created, by the tag the handler wrote on it: what the name-scoped statement
        // cannot cover once the template that named the channel is gone (CloudFormation puts this policy in
        // force before the cleanup Deletes of removed channels, and a rollback may run under it).
        new iam.PolicyStatement({
          sid: 'ManageThisStacksChannels',
          actions: STACK_CHANNEL_ACTIONS,
          resources: [Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'channel', resourceName: '*' })],
          conditions: { StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEY}`]: Aws.STACK_ID } },
        }),
        ...(this.recordingChannels === 0 ? [] : [
          new iam.PolicyStatement({
            sid: 'FindStreamChannels',
            actions: MEDIA_STORAGE_STREAM_ACTIONS,
            resources: this.streamResourceArns(),
          }),
        ]),
        new iam.PolicyStatement({
          sid: 'WriteHandlerLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // A log group's `Arn` attribute already ends in `:*`, which covers the log streams Lambda creates in it.
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
  }

  private channelResourceArns(): string[] {
    const channelArn = (resourceName: string) => Stack.of(this).formatArn({
      service: 'kinesisvideo',
      resource: 'channel',
      resourceName,
    });
    // Names the handler generates are `<stack name>.<logical id>.<suffix>`; stack names hold no `.`.
    const arns = [channelArn(`${Aws.STACK_NAME}.*`)];
    if (this.explicitNamesFitPolicy()) {
      arns.push(...[...this.explicitChannelNames.keys()].sort().map(name => channelArn(`${name}/*`)));
    } else {
      arns.push(channelArn('*'));
    }
    return arns;
  }

  /** The streams recorded into, one by one while they fit what the channel names leave of the budget. */
  private streamResourceArns(): string[] {
    if (this.streamsFitPolicy()) {
      return [...this.recordingStreams.keys()];
    }
    return [Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'stream', resourceName: '*' })];
  }

  private explicitNamesFitPolicy(): boolean {
    return this.explicitNamesCost() <= EXPLICIT_NAMES_POLICY_BUDGET;
  }

  private streamsFitPolicy(): boolean {
    const channels = this.explicitNamesFitPolicy() ? this.explicitNamesCost() : LISTED_ARN_OVERHEAD;
    const streams = [...this.recordingStreams.values()].reduce((total, stream) =>
      total + (Token.isUnresolved(stream.streamName) ? STREAM_NAME_MAX_LENGTH : stream.streamName.length) + STREAM_ARN_OVERHEAD, 0);
    return channels + streams <= EXPLICIT_NAMES_POLICY_BUDGET;
  }

  private explicitNamesCost(): number {
    return [...this.explicitChannelNames.keys()].reduce((total, name) => total + name.length + LISTED_ARN_OVERHEAD, 0);
  }
}

/** The newest `nodejsNN.x` runtime aws-cdk-lib lists. */
function newestNodeRuntimeName(): string {
  const versions = lambda.Runtime.ALL
    .map(runtime => /^nodejs(\d+)\.x$/.exec(runtime.name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(match => Number(match[1]));
  return `nodejs${Math.max(...versions)}.x`;
}
