import * as path from 'path';
import { Annotations, CfnResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ProviderNagSuppressions } from './provider-nag';
import { ProviderPolicy } from './provider-policy';
import { validationError } from '../core/errors';
import { renderSlotTable } from '../handler-shared/channel-slots';
import { ProviderEnvironment, SERVICE_TIMEOUT_SECONDS } from '../handler-shared/handler-contract';
import type { IStream } from '../stream/stream';

/** Where projen's bundler writes the handler (see `.projenrc.ts`); shipped in the npm package. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'lambda', 'signaling-channel-handler', 'index');

/** The service's quota: at most this many signaling channels per account and region can have media storage. */
export const MAX_MEDIA_STORAGE_CHANNELS = 100;

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

  /** Every channel of the stack: the handler spaces their requests by the table rendered from them. */
  private readonly channels: CfnResource[] = [];
  /** The channel that records into each stream, by the stream's resolved ARN. */
  private readonly streamRecorders = new Map<string, IConstruct>();
  /** The role's inline policy, planned from the channels. */
  private readonly policy = new ProviderPolicy(this);
  private readonly nagSuppressions: ProviderNagSuppressions;

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
      policyDocument: Lazy.uncachedAny({ produce: () => this.policy.render(logGroup) }),
    }];
    this.nagSuppressions = new ProviderNagSuppressions(cfnRole);

    this.node.addValidation({
      validate: () => {
        for (const widening of this.policy.widenings()) {
          Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:policyWidened', widening);
        }
        if (this.policy.recordingChannels > MAX_MEDIA_STORAGE_CHANNELS) {
          Annotations.of(this).addWarningV2('cdk-kvs-signaling-channel:mediaStorageQuota',
            `${this.policy.recordingChannels} signaling channels of this stack record into a stream (mediaStorage), more ` +
            `than the ${MAX_MEDIA_STORAGE_CHANNELS} per account and region the service allows: the channels past ` +
            'it will fail to deploy unless the quota is raised.');
        }
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
    ProviderNagSuppressions.suppressRuntimeAheadOfRegionFacts(handler, runtime);
  }

  /**
   * Serve a channel: count it in the stack's schedule and in the role's policy (scoped to its name if the user
   * chose one; generated names are covered by the stack-name prefix). Refuse a stream another channel of this
   * stack records into: the service maps a stream to one channel, and the handler takes a stream over from
   * another channel of its own stack (a stream moved between channels in one deployment), which it may do only
   * because the template cannot mean both to keep it. (A name another channel of the stack has is refused by
   * the channel itself, as for every resource of the library: `core/unique-names.ts`.)
   */
  public addChannel(resource: CfnResource, channelName: string | undefined, channel: IConstruct, recordsInto?: IStream): void {
    this.channels.push(resource);
    if (recordsInto !== undefined) {
      const streamKey = JSON.stringify(Stack.of(this).resolve(recordsInto.streamArn));
      const recorder = this.streamRecorders.get(streamKey);
      if (recorder !== undefined) {
        throw validationError(channel,
          `mediaStorage.stream ${recordsInto.node.path} is the stream ${recorder.node.path} already records ` +
          'into; the service maps a stream to one signaling channel: give each channel its own stream');
      }
      this.streamRecorders.set(streamKey, channel);
      this.nagSuppressions.suppressAllStreams();
    }
    this.policy.addChannel(channelName, recordsInto);
  }

  /**
   * Serve a stream's images and notifications (`Stream`'s `images`, `notificationTopic`): a slot in the stack's
   * schedule, shared with the channels, and the four configuration actions on this stream in the role's policy.
   */
  public addStreamConfiguration(resource: CfnResource, stream: IStream): void {
    this.channels.push(resource);
    this.policy.addConfiguredStream(stream);
    this.nagSuppressions.suppressAllStreams();
  }
}
