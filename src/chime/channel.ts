import { Duration, IResource, RemovalPolicy, Resource, Token, ITaggable, TagManager } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IAppInstance } from './app-instance';
import { IChannelBearer } from './app-instance-user';
import { MODERATE_ACTIONS, READ_ACTIONS, SEND_MESSAGE_ACTIONS } from './channel-actions';
import { CHANNEL, CHANNEL_RESOURCE_TYPE, CHIME_REMOVAL_POLICY, newChimeResource, regionProblems, warnWhenRegionUnknown } from './chime-family';
import { appInstanceOfArn, appInstancesDiffer, knownDays, withinAppInstance } from './chime-relations';
import {
  ELASTIC_CHANNEL_REGIONS,
  ELASTIC_MIN_SUB_CHANNELS,
  ELASTIC_MIN_TARGET_MEMBERSHIPS,
  atLeastProblem,
  expirationDaysProblem,
  idProblem,
  initialMemberCountProblem,
  metadataProblem,
  minimumMembershipPercentageProblem,
  resourceNameProblem,
} from './chime-rules';
import { environmentProblems, stackRegionProblems } from '../core/environment-rules';
import { validationError } from '../core/errors';
import { checkGrantActions } from '../core/grant-actions';
import { checkImportAttributes } from '../core/imported-resource';
import { checkProperties } from '../core/property-checks';
import { durationProblem, enumProblem, describeValue, requiredProblem, shapeProblem, typeProblem } from '../core/property-types';
import { applyRemovalPolicy, removalPolicyProblem } from '../core/removal-policy-rules';
import { keyValueTagManager, renderedTags } from '../core/tag-rules';
import { claimUniqueName } from '../core/unique-names';

/**
 * Who can add members to a channel.
 */
export enum ChannelMode {
  /** Administrators, moderators and members can add themselves and other members. */
  UNRESTRICTED = 'UNRESTRICTED',
  /** Only administrators and moderators can add members. */
  RESTRICTED = 'RESTRICTED',
}

/**
 * Who can find a channel.
 */
export enum ChannelPrivacy {
  /** Anyone in the app instance can discover the channel. */
  PUBLIC = 'PUBLIC',
  /** Users outside the channel cannot discover it. */
  PRIVATE = 'PRIVATE',
}

/**
 * What a channel's expiration counts from.
 */
export enum ChannelExpirationCriterion {
  /** The channel's creation. */
  CREATED_TIMESTAMP = 'CREATED_TIMESTAMP',
  /** The channel's last message. */
  LAST_MESSAGE_TIMESTAMP = 'LAST_MESSAGE_TIMESTAMP',
}

/**
 * When the service deletes a channel (`ExpirationSettings`).
 */
export interface ChannelExpiration {
  /**
   * How long after `criterion` the channel is deleted: a whole number of days, 1 to 5475 (15 years).
   */
  readonly expireAfter: Duration;

  /**
   * What `expireAfter` counts from.
   */
  readonly criterion: ChannelExpirationCriterion;
}

/**
 * An elastic channel's sub-channels (`ElasticChannelConfiguration`): a channel of up to a million members,
 * spread over sub-channels.
 */
export interface ElasticChannelConfiguration {
  /**
   * The most sub-channels the channel may have: at least 2.
   */
  readonly maximumSubChannels: number;

  /**
   * How many members a sub-channel is meant to hold: at least 2.
   */
  readonly targetMembershipsPerSubChannel: number;

  /**
   * Below this percentage of `targetMembershipsPerSubChannel`, the service merges sub-channels: 1 to 40.
   */
  readonly minimumMembershipPercentage: number;
}

/**
 * An Amazon Chime SDK messaging channel.
 */
export interface IChannel extends IResource {
  /**
   * The ARN of the channel: `arn:<partition>:chime:<region>:<account>:app-instance/<id>/channel/<channel id>`.
   *
   * @attribute
   */
  readonly channelArn: string;

  /**
   * The app instance the channel belongs to.
   */
  readonly appInstance: IAppInstance;

  /**
   * Grant `actions` on this channel to a principal that calls the API as one of `bearers` (the
   * `x-amz-chime-bearer` header): IAM authorizes such a call against the channel's ARN and the bearer's, so
   * the grant names both, and nothing else. Each bearer must belong to the channel's app instance.
   *
   * IAM is not all: the service also requires the bearer to be a member, moderator or administrator. Each action
   * must be one of Amazon Chime's (`chime:<action>`, as the Service Authorization Reference lists them): another is
   * refused at synth, with the action probably meant.
   */
  grant(grantee: iam.IGrantable, bearers: IChannelBearer[], ...actions: string[]): iam.Grant;

  /**
   * Grant sending messages to the channel (`chime:SendChannelMessage`) as any of `bearers` (at least one).
   */
  grantSendMessages(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant;

  /**
   * Grant reading the channel as any of `bearers` (at least one): `chime:DescribeChannel`,
   * `chime:ListChannelMessages` and `chime:GetChannelMessage`.
   */
  grantRead(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant;

  /**
   * Grant moderating the channel as any of `bearers` (at least one): `chime:DeleteChannelMessage`,
   * `RedactChannelMessage`, `UpdateChannelMessage`, `CreateChannelBan`, `DeleteChannelBan`, `ListChannelBans`,
   * `DescribeChannelBan`, `CreateChannelMembership`, `BatchCreateChannelMembership`, `DeleteChannelMembership`,
   * `ListChannelMemberships`, `DescribeChannelMembership`, `CreateChannelModerator`, `DeleteChannelModerator`,
   * `ListChannelModerators` and `DescribeChannelModerator`.
   */
  grantModerate(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant;
}

/**
 * What a channel, declared here or imported, can do.
 */
export abstract class ChannelBase extends Resource implements IChannel {
  public abstract readonly channelArn: string;
  public abstract readonly appInstance: IAppInstance;

  public grant(grantee: iam.IGrantable, bearers: IChannelBearer[], ...actions: string[]): iam.Grant {
    if (!Array.isArray(bearers) || bearers.length === 0) {
      throw validationError(this, 'grant: name at least one bearer (an IAppInstanceUser, or a bot from ChannelBearer.fromAppInstanceBotArn): ' +
        `a call to a channel is made as a user or bot, and IAM checks that ARN too (got ${describeValue(bearers)})`);
    }
    if (actions.length === 0) {
      throw validationError(this, 'grant: name at least one action');
    }
    checkGrantActions(this, 'grant', 'chime', actions);
    const problems = bearers.map((bearer, index) =>
      shapeProblem(`bearers[${index}]`, bearer ?? null, 'an IChannelBearer (an AppInstanceUser, or a bot)', ['channelBearerArn', 'appInstance', 'node'])
      ?? bearerAppInstanceProblem(`bearer ${bearer.node.path}`, bearer, this.appInstance))
      .filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) {
      throw validationError(this, `grant: ${problems.join('; ')}`);
    }
    const bearerArns = [...new Set(bearers.map(bearer => bearer.channelBearerArn))];
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.channelArn, ...bearerArns] });
  }

  public grantSendMessages(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant {
    return this.grant(grantee, bearers, ...SEND_MESSAGE_ACTIONS);
  }

  public grantRead(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant {
    return this.grant(grantee, bearers, ...READ_ACTIONS);
  }

  public grantModerate(grantee: iam.IGrantable, ...bearers: IChannelBearer[]): iam.Grant {
    return this.grant(grantee, bearers, ...MODERATE_ACTIONS);
  }
}

/**
 * Properties of a channel.
 */
export interface ChannelProps {
  /**
   * The app instance the channel belongs to, in the channel's account and region. Changing it replaces the
   * channel.
   */
  readonly appInstance: IAppInstance;

  /**
   * The user or bot of `appInstance` that CloudFormation creates, updates and deletes the channel as (the
   * `ChimeBearer`). It becomes the channel's moderator (and, unless the channel is elastic, a member).
   * Changing it replaces the channel.
   */
  readonly bearer: IChannelBearer;

  /**
   * The channel's name: 1-256 characters. Updated in place.
   */
  readonly channelName: string;

  /**
   * The channel's id, unique in its app instance: 1-64 characters of A-Z, a-z, 0-9 and `: - _ . @`, starting
   * and ending with a letter or digit. It ends the channel's ARN. Changing it replaces the channel.
   *
   * @default - the service generates a UUID
   */
  readonly channelId?: string;

  /**
   * Who can add members. Updated in place. An elastic channel is RESTRICTED.
   *
   * @default - RESTRICTED when `elasticConfiguration` is given; otherwise the service's default (none is written)
   */
  readonly mode?: ChannelMode;

  /**
   * Who can find the channel. Changing it replaces the channel (the service cannot change a channel's privacy).
   *
   * @default - the service's default (none is written)
   */
  readonly privacy?: ChannelPrivacy;

  /**
   * Metadata of the channel: at most 1 KB in UTF-8. Updated in place.
   *
   * @default - none
   */
  readonly metadata?: string;

  /**
   * Users or bots of `appInstance` added as members when the channel is created: at most 10, and none for an
   * elastic channel. CloudFormation writes them only at creation: changing the list replaces the channel.
   *
   * @default - only the bearer (none for an elastic channel)
   */
  readonly members?: IChannelBearer[];

  /**
   * Users or bots of `appInstance` added as moderators when the channel is created: at most 10.
   * CloudFormation writes them only at creation: changing the list replaces the channel.
   *
   * @default - only the bearer
   */
  readonly moderators?: IChannelBearer[];

  /**
   * Make the channel elastic: up to a million members in sub-channels. Elastic channels are RESTRICTED, take no
   * `members` at creation, and are offered in us-east-1 only. Adding, changing or removing it replaces the
   * channel.
   *
   * @default - not elastic
   */
  readonly elasticConfiguration?: ElasticChannelConfiguration;

  /**
   * Have the service delete the channel a number of days after its creation or its last message. Updated in
   * place. The service deletes an expired channel within 6 hours; CloudFormation does not know of it.
   *
   * @default - the channel never expires
   */
  readonly expiration?: ChannelExpiration;

  /**
   * Tags to apply to the channel, with those of `Tags.of(scope)`: at most 50 in all, updated in place.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the channel when it is removed from the stack, replaced, or the stack is deleted.
   * `SNAPSHOT` is refused: a channel has no snapshot.
   *
   * @default RemovalPolicy.RETAIN: deleting a channel deletes its messages and memberships for good, and a
   * change of `appInstance`, `bearer`, `channelId`, `privacy`, `members`, `moderators` or
   * `elasticConfiguration` replaces it, so the stack keeps the old channel unless you say otherwise
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Chime SDK messaging channel (`AWS::Chime::Channel`), the successor of the legacy
 * `chime.create_channel`.
 *
 * Changing `appInstance`, `bearer`, `channelId`, `privacy`, `members`, `moderators` or `elasticConfiguration`
 * replaces the channel: CloudFormation creates a new one, and the old one, with its messages and memberships,
 * is deleted unless the removal policy keeps it (RETAIN, the default). `channelName`, `mode`, `metadata`,
 * `expiration` and `tags` update in place.
 *
 * @resource AWS::Chime::Channel
 */
export class Channel extends ChannelBase implements ITaggable {
  /**
   * Import an existing channel by its ARN. Its app instance is read from the ARN.
   */
  public static fromChannelArn(scope: Construct, id: string, channelArn: string): IChannel {
    checkImportAttributes(scope, id, CHANNEL, channelArn, undefined);
    class Import extends ChannelBase {
      public readonly channelArn = channelArn;
      public readonly appInstance = appInstanceOfArn(this, channelArn, '/channel/');
    }
    return new Import(scope, id, { environmentFromArn: channelArn });
  }

  /**
   * The ARN of the channel (`Fn::GetAtt Arn`: the resource's `Ref` is `<ARN>|<bearer ARN>`).
   *
   * @attribute
   */
  public readonly channelArn: string;

  /**
   * The channel's name.
   *
   * @attribute
   */
  public readonly channelName: string;

  /**
   * The app instance the channel belongs to.
   */
  public readonly appInstance: IAppInstance;

  /**
   * The user or bot CloudFormation manages the channel as.
   */
  public readonly bearer: IChannelBearer;

  /**
   * Tags of the channel. `Tags.of(scope).add(...)` reaches them like any taggable aws-cdk-lib resource.
   */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: ChannelProps) {
    super(scope, id);

    this.validateProps(props);
    warnWhenRegionUnknown(this);
    claimUniqueName(this, CHANNEL, 'channelId', props.channelId, withinAppInstance(props.appInstance, true));
    this.appInstance = props.appInstance;
    this.bearer = props.bearer;
    this.channelName = props.channelName;
    this.tags = keyValueTagManager(this, CHANNEL, CHANNEL_RESOURCE_TYPE, props.tags, 'Tags');

    const elastic = props.elasticConfiguration;
    const arns = (bearers?: IChannelBearer[]) => bearers === undefined || bearers.length === 0
      ? undefined
      : bearers.map(bearer => bearer.channelBearerArn);
    const resource = newChimeResource(this, CHANNEL_RESOURCE_TYPE, {
      AppInstanceArn: props.appInstance.appInstanceArn,
      ChimeBearer: props.bearer.channelBearerArn,
      Name: props.channelName,
      ChannelId: props.channelId,
      Mode: props.mode ?? (elastic === undefined ? undefined : ChannelMode.RESTRICTED),
      Privacy: props.privacy,
      Metadata: props.metadata,
      MemberArns: arns(props.members),
      ModeratorArns: arns(props.moderators),
      ElasticChannelConfiguration: elastic === undefined ? undefined : {
        MaximumSubChannels: elastic.maximumSubChannels,
        TargetMembershipsPerSubChannel: elastic.targetMembershipsPerSubChannel,
        MinimumMembershipPercentage: elastic.minimumMembershipPercentage,
      },
      ExpirationSettings: props.expiration === undefined ? undefined : {
        ExpirationDays: props.expiration.expireAfter.toDays({ integral: false }),
        ExpirationCriterion: props.expiration.criterion,
      },
      Tags: renderedTags(this.tags),
    });
    applyRemovalPolicy(this, resource, CHANNEL, props.removalPolicy, CHIME_REMOVAL_POLICY);
    // Not `ref`: the schema's primary identifier is [Arn, ChimeBearer], so Ref is `<ARN>|<bearer ARN>`.
    this.channelArn = Token.asString(resource.getAtt('Arn'));
  }

  private validateProps(props: ChannelProps): void {
    const elastic = props.elasticConfiguration;
    const expiration = props.expiration;
    const bearerShape = (field: string, value: unknown) =>
      shapeProblem(field, value ?? null, 'an IChannelBearer (an AppInstanceUser, or a bot from ChannelBearer.fromAppInstanceBotArn)',
        ['channelBearerArn', 'appInstance', 'node']);
    const listProblems = (field: string, list: unknown): Array<string | undefined> => {
      if (list === undefined) return [];
      if (!Array.isArray(list)) return [`${field} must be an array of IChannelBearer (got ${describeValue(list)})`];
      return list.map((entry, index) => bearerShape(`${field}[${index}]`, entry));
    };
    const numberOf = (object: unknown, key: string): unknown => (object as { [key: string]: unknown } | undefined)?.[key];

    checkProperties(this, CHANNEL, {
      types: [
        requiredProblem('appInstance', props.appInstance, 'an IAppInstance (an AppInstance, or an imported one)')
          ?? shapeProblem('appInstance', props.appInstance, 'an IAppInstance (an AppInstance, or an imported one)', ['appInstanceArn', 'node', 'env']),
        requiredProblem('bearer', props.bearer, 'an IChannelBearer (an AppInstanceUser, or a bot from ChannelBearer.fromAppInstanceBotArn)') ?? bearerShape('bearer', props.bearer),
        requiredProblem('channelName', props.channelName, 'a string of 1-256 characters') ?? typeProblem('channelName', props.channelName, 'string'),
        typeProblem('channelId', props.channelId, 'string'),
        enumProblem('mode', props.mode, Object.values(ChannelMode)),
        enumProblem('privacy', props.privacy, Object.values(ChannelPrivacy)),
        typeProblem('metadata', props.metadata, 'string'),
        ...listProblems('members', props.members),
        ...listProblems('moderators', props.moderators),
        ...(elastic === undefined ? [] : [
          ...['maximumSubChannels', 'targetMembershipsPerSubChannel', 'minimumMembershipPercentage'].map(key =>
            requiredProblem(`elasticConfiguration.${key}`, numberOf(elastic, key), 'a number') ?? typeProblem(`elasticConfiguration.${key}`, numberOf(elastic, key), 'number')),
        ]),
        ...(expiration === undefined ? [] : [
          requiredProblem('expiration.expireAfter', expiration.expireAfter, 'a Duration, such as Duration.days(30)')
            ?? durationProblem('expiration.expireAfter', expiration.expireAfter, 'Duration.days(30)'),
          requiredProblem('expiration.criterion', expiration.criterion, `a ChannelExpirationCriterion: ${Object.values(ChannelExpirationCriterion).join(', ')}`)
            ?? enumProblem('expiration.criterion', expiration.criterion, Object.values(ChannelExpirationCriterion)),
        ]),
        removalPolicyProblem(CHANNEL, props.removalPolicy),
      ],
      tags: props.tags,
      values: () => [
        ['channelName', props.channelName, resourceNameProblem],
        ['channelId', props.channelId, idProblem],
        ['metadata', props.metadata, metadataProblem],
        ['members', props.members?.length, initialMemberCountProblem],
        ['moderators', props.moderators?.length, initialMemberCountProblem],
        ['elasticConfiguration.maximumSubChannels', elastic?.maximumSubChannels, atLeastProblem(ELASTIC_MIN_SUB_CHANNELS)],
        ['elasticConfiguration.targetMembershipsPerSubChannel', elastic?.targetMembershipsPerSubChannel, atLeastProblem(ELASTIC_MIN_TARGET_MEMBERSHIPS)],
        ['elasticConfiguration.minimumMembershipPercentage', elastic?.minimumMembershipPercentage, minimumMembershipPercentageProblem],
        ['expiration.expireAfter', knownDays(expiration?.expireAfter), expirationDaysProblem],
      ],
      relations: () => this.relationProblems(props),
    });
  }

  /** The rules that involve the app instance, the bearer, the members, the stack's region, and elastic channels. */
  private relationProblems(props: ChannelProps): string[] {
    const problems = [
      ...regionProblems(this),
      ...environmentProblems('appInstance', this, props.appInstance, {
        sameAccount: true,
        why: 'a channel belongs to an app instance of its own account and region',
      }),
    ];
    const ofAppInstance = (field: string, bearer: IChannelBearer) => bearerAppInstanceProblem(field, bearer, props.appInstance);
    problems.push(...[
      ofAppInstance(`bearer ${props.bearer.node.path}`, props.bearer),
      ...(props.members ?? []).map((member, index) => ofAppInstance(`members[${index}] ${member.node.path}`, member)),
      ...(props.moderators ?? []).map((moderator, index) => ofAppInstance(`moderators[${index}] ${moderator.node.path}`, moderator)),
    ].filter((problem): problem is string => problem !== undefined));

    if (props.elasticConfiguration !== undefined) {
      if (props.mode === ChannelMode.UNRESTRICTED) {
        problems.push('mode UNRESTRICTED is refused for an elastic channel (elasticConfiguration is given): elastic channels are RESTRICTED');
      }
      if ((props.members ?? []).length > 0) {
        problems.push(`members cannot be given for an elastic channel (got ${props.members!.length}): add members once it exists; ` +
          'moderators may be given');
      }
      problems.push(...stackRegionProblems(this, region => ELASTIC_CHANNEL_REGIONS.includes(region) ? undefined
        : `elasticConfiguration: elastic channels are offered only in ${ELASTIC_CHANNEL_REGIONS.join(', ')} (the stack's region is '${region}')`));
    }
    return problems;
  }
}

/** A bearer, member or moderator of another app instance than the channel's, when both are known. */
function bearerAppInstanceProblem(field: string, bearer: IChannelBearer, appInstance: IAppInstance): string | undefined {
  if (!appInstancesDiffer(bearer.appInstance, appInstance)) return undefined;
  return `${field} belongs to app instance ${describeAppInstance(bearer.appInstance)}, not to the channel's app instance ` +
    `${describeAppInstance(appInstance)}: a channel's users and bots are those of its app instance`;
}

function describeAppInstance(appInstance: IAppInstance): string {
  return Token.isUnresolved(appInstance.appInstanceArn) ? appInstance.node.path : `${appInstance.node.path} (${appInstance.appInstanceArn})`;
}
