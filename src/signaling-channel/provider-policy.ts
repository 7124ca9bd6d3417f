import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SIGNALING_CHANNEL } from './signaling-channel-family';
import { listedArnLength } from '../core/iam-policy-size';
import { arnOfName, arnOfNamesLike } from '../core/resource-arn';
import { STACK_TAG_KEY } from '../handler-shared/handler-contract';
import { STREAM_NAME_MAX_LENGTH } from '../handler-shared/stream-rules';
import type { IStream } from '../stream/stream';
import { STREAM } from '../stream/stream-family';

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

/**
 * What the handler calls on a stream of this stack declared with `images` or `notificationTopic`: only on those
 * streams' ARNs, which the template names (never a stream another stack manages), and only in stacks with such a
 * stream. No Describe: an update compares the old properties with the new, and calls only what changed.
 */
const STREAM_CONFIGURATION_ACTIONS = [
  'kinesisvideo:UpdateImageGenerationConfiguration',
  'kinesisvideo:UpdateNotificationConfiguration',
];

/**
 * Explicit channel names are listed one by one in the role's policy while they fit this many characters;
 * past it they collapse into `channel/*` of the stack's account and region. IAM allows 10,240 characters of
 * inline policy per role; this keeps the policy under it with room for the other statements, even with as
 * many channels as a stack can hold.
 */
const EXPLICIT_NAMES_POLICY_BUDGET = 6_000;

/** A stream's ARN ends with its creation time, in milliseconds: 13 digits. */
const STREAM_CREATION_TIME = '1700000000000';

/**
 * A character more than IAM counts for each listed channel name: the plan has always budgeted 70 characters and
 * the name for `"arn:aws-us-gov:kinesisvideo:ap-southeast-7:123456789012:channel/<name>/*",` (69 and the name),
 * and where it widens the policy (about 66 names of 20 characters, README) stays where it was.
 */
const MARGIN_PER_LISTED_NAME = 1;

/**
 * The provider role's inline policy, planned from the stack's channels: least privilege by name while the names
 * fit IAM's size limit, `channel/*` (or `stream/*`) past it, and always the channels that carry the stack's tag.
 */
export class ProviderPolicy {
  /** The channel names chosen by the user. */
  private readonly explicitChannelNames = new Set<string>();
  /** The streams the channels record into, by ARN token. */
  private readonly recordingStreams = new Map<string, IStream>();
  private recordingChannelCount = 0;
  /** The streams with images or notifications, by ARN token. */
  private readonly configuredStreams = new Map<string, IStream>();

  constructor(private readonly scope: Construct) {}

  /** A channel of the stack: its explicit name, if any, and the stream it records into, if any. */
  public addChannel(channelName: string | undefined, recordsInto: IStream | undefined): void {
    if (channelName !== undefined) this.explicitChannelNames.add(channelName);
    if (recordsInto !== undefined) {
      this.recordingChannelCount++;
      this.recordingStreams.set(recordsInto.streamArn, recordsInto);
    }
  }

  /** A stream of the stack with images or notifications. */
  public addConfiguredStream(stream: IStream): void {
    this.configuredStreams.set(stream.streamArn, stream);
  }

  /** How many of the stack's channels record into a stream. */
  public get recordingChannels(): number {
    return this.recordingChannelCount;
  }

  /** Warnings of the policy's widening: never a silent one, even where it is the right call. */
  public widenings(): string[] {
    const widenings: string[] = [];
    if (!this.explicitNamesFit()) {
      widenings.push(
        `${this.explicitChannelNames.size} explicit channel names do not fit IAM's policy size limit: the provider's ` +
        'role may manage every signaling channel of this account and region (channel/*). Let more channels ' +
        'generate their names (covered by channel/<stack name>.*) to keep it scoped.');
    }
    if (this.recordingChannelCount > 0 && !this.streamsFit()) {
      widenings.push(
        `${this.recordingStreams.size} streams recorded into do not fit IAM's policy size limit: the provider's role ` +
        'may read which channel any stream of this account and region records (DescribeMappedResourceConfiguration ' +
        'on stream/*). Give the streams shorter names, or fewer explicit channel names, to keep it scoped.');
    }
    if (this.configuredStreams.size > 0 && !this.configuredStreamsFit()) {
      widenings.push(
        `${this.configuredStreams.size} streams with images or notifications do not fit IAM's policy size limit: the ` +
        'provider\'s role may configure the images and notifications of every stream of this account and region ' +
        '(stream/*). Give the streams shorter names, or put some in another stack, to keep it scoped.');
    }
    return widenings;
  }

  public render(logGroup: logs.ILogGroup): iam.PolicyDocument {
    return new iam.PolicyDocument({
      statements: [
        // Only in stacks whose channels record does the role gain the media storage actions: every other
        // stack's policy stays as it was.
        new iam.PolicyStatement({
          sid: 'ManageSignalingChannels',
          actions: this.recordingChannelCount === 0 ? HANDLER_ACTIONS : [...HANDLER_ACTIONS, ...MEDIA_STORAGE_CHANNEL_ACTIONS],
          resources: this.channelResourceArns(),
        }),
        // Every channel this stack created, by the tag the handler wrote on it: what the name-scoped statement
        // cannot cover once the template that named the channel is gone (CloudFormation puts this policy in
        // force before the cleanup Deletes of removed channels, and a rollback may run under it).
        new iam.PolicyStatement({
          sid: 'ManageThisStacksChannels',
          actions: STACK_CHANNEL_ACTIONS,
          resources: [arnOfNamesLike(this.scope, SIGNALING_CHANNEL, '*')],
          conditions: { StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEY}`]: Aws.STACK_ID } },
        }),
        ...(this.recordingChannelCount === 0 ? [] : [
          new iam.PolicyStatement({
            sid: 'FindStreamChannels',
            actions: MEDIA_STORAGE_STREAM_ACTIONS,
            resources: this.streamsFit() ? [...this.recordingStreams.keys()] : [arnOfNamesLike(this.scope, STREAM, '*')],
          }),
        ]),
        ...(this.configuredStreams.size === 0 ? [] : [
          new iam.PolicyStatement({
            sid: 'ConfigureStreamImagesAndNotifications',
            actions: STREAM_CONFIGURATION_ACTIONS,
            resources: this.configuredStreamsFit() ? [...this.configuredStreams.keys()] : [arnOfNamesLike(this.scope, STREAM, '*')],
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
    // Names the handler generates are `<stack name>.<logical id>.<suffix>`; stack names hold no `.`.
    const arns = [arnOfNamesLike(this.scope, SIGNALING_CHANNEL, `${Aws.STACK_NAME}.*`)];
    if (this.explicitNamesFit()) {
      arns.push(...[...this.explicitChannelNames].sort().map(name => arnOfName(this.scope, SIGNALING_CHANNEL, name)));
    } else {
      arns.push(arnOfNamesLike(this.scope, SIGNALING_CHANNEL, '*'));
    }
    return arns;
  }

  private explicitNamesFit(): boolean {
    return this.explicitNamesCost() <= EXPLICIT_NAMES_POLICY_BUDGET;
  }

  /** The streams recorded into are listed one by one while they fit what the channel names leave of the budget. */
  private streamsFit(): boolean {
    const channels = this.explicitNamesFit() ? this.explicitNamesCost() : listedArnLength(SIGNALING_CHANNEL, '*');
    return channels + this.listedStreamsCost(this.recordingStreams.values()) <= EXPLICIT_NAMES_POLICY_BUDGET;
  }

  /** The configured streams are listed while they fit what the channels and recorded streams leave of the budget. */
  private configuredStreamsFit(): boolean {
    const channels = this.explicitNamesFit() ? this.explicitNamesCost() : listedArnLength(SIGNALING_CHANNEL, '*');
    const recorded = this.recordingChannelCount === 0 ? 0 : this.streamsFit()
      ? this.listedStreamsCost(this.recordingStreams.values()) : listedArnLength(STREAM, '*');
    return channels + recorded + this.listedStreamsCost(this.configuredStreams.values()) <= EXPLICIT_NAMES_POLICY_BUDGET;
  }

  private listedStreamsCost(streams: Iterable<IStream>): number {
    // A stream is listed by its full ARN, whose name is CloudFormation's to choose when not given: counted at the
    // longest it can be.
    return [...streams].reduce((total, stream) => {
      const name = Token.isUnresolved(stream.streamName) ? 'n'.repeat(STREAM_NAME_MAX_LENGTH) : stream.streamName;
      return total + listedArnLength(STREAM, `${name}/${STREAM_CREATION_TIME}`);
    }, 0);
  }

  private explicitNamesCost(): number {
    return [...this.explicitChannelNames].reduce((total, name) =>
      total + listedArnLength(SIGNALING_CHANNEL, `${name}/*`) + MARGIN_PER_LISTED_NAME, 0);
  }
}
