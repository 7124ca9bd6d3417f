import { Duration, IResource, RemovalPolicy, Resource, Token, ITaggable, TagManager } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { IAppInstance } from './app-instance';
import {
  APP_INSTANCE_BOT,
  APP_INSTANCE_USER,
  APP_INSTANCE_USER_RESOURCE_TYPE,
  CHIME_REMOVAL_POLICY,
  newChimeResource,
  regionProblems,
  warnWhenRegionUnknown,
} from './chime-family';
import { appInstanceOfArn, knownDays, withinAppInstance } from './chime-relations';
import { expirationDaysProblem, idProblem, metadataProblem, userNameProblem } from './chime-rules';
import { environmentProblems } from '../core/environment-rules';
import { checkImportAttributes } from '../core/imported-resource';
import { checkProperties } from '../core/property-checks';
import { durationProblem, requiredProblem, shapeProblem, typeProblem } from '../core/property-types';
import { applyRemovalPolicy, removalPolicyProblem } from '../core/removal-policy-rules';
import { keyValueTagManager, renderedTags } from '../core/tag-rules';
import { claimUniqueName } from '../core/unique-names';

/**
 * Who a channel's API calls are made as (the `ChimeBearer`, sent as the `x-amz-chime-bearer` header): an app
 * instance user, or an app instance bot.
 */
export interface IChannelBearer extends IConstruct {
  /**
   * The ARN of the user or bot: what `ChimeBearer` holds and what IAM authorizes the call against.
   *
   * @attribute
   */
  readonly channelBearerArn: string;

  /**
   * The app instance the user or bot belongs to.
   */
  readonly appInstance: IAppInstance;
}

/**
 * An Amazon Chime SDK app instance user: one person (or backend) of a messaging app.
 */
export interface IAppInstanceUser extends IResource, IChannelBearer {
  /**
   * The ARN of the user: `arn:<partition>:chime:<region>:<account>:app-instance/<id>/user/<user id>`.
   *
   * @attribute
   */
  readonly appInstanceUserArn: string;

  /**
   * Grant `chime:Connect` on this user: what a client needs to open the messaging WebSocket as the user.
   * Getting the WebSocket's endpoint (`chime:GetMessagingSessionEndpoint`) takes no resource, so IAM grants it
   * only on `*`; this library does not: add it yourself if your client calls it.
   */
  grantConnect(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Imports of channel bearers that this library does not declare.
 */
export class ChannelBearer {
  /**
   * An app instance bot, by its ARN (`.../app-instance/<id>/bot/<bot id>`), to use as a channel's `bearer`,
   * member or moderator, or as the bearer of a grant; its app instance is read from the ARN.
   */
  public static fromAppInstanceBotArn(scope: Construct, id: string, appInstanceBotArn: string): IChannelBearer {
    checkImportAttributes(scope, id, APP_INSTANCE_BOT, appInstanceBotArn, undefined);
    class Import extends Construct implements IChannelBearer {
      public readonly channelBearerArn = appInstanceBotArn;
      public readonly appInstance = appInstanceOfArn(this, appInstanceBotArn, '/bot/');
    }
    return new Import(scope, id);
  }

  private constructor() {}
}

/**
 * What an app instance user, declared here or imported, can do.
 */
export abstract class AppInstanceUserBase extends Resource implements IAppInstanceUser {
  public abstract readonly appInstanceUserArn: string;
  public abstract readonly appInstance: IAppInstance;

  public get channelBearerArn(): string {
    return this.appInstanceUserArn;
  }

  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['chime:Connect'], resourceArns: [this.appInstanceUserArn] });
  }
}

/**
 * Properties of an app instance user.
 */
export interface AppInstanceUserProps {
  /**
   * The app instance the user belongs to, in the user's account and region. Changing it replaces the user.
   */
  readonly appInstance: IAppInstance;

  /**
   * The user's id, unique in its app instance: 1-64 characters of A-Z, a-z, 0-9 and `: - _ . @`, starting and
   * ending with a letter or digit. It ends the user's ARN. Changing it replaces the user.
   */
  readonly appInstanceUserId: string;

  /**
   * The user's name: 1-100 characters, not all blank. Updated in place.
   *
   * @default - the user's id (`appInstanceUserId`): CloudFormation does not require a name, but the API does
   */
  readonly appInstanceUserName?: string;

  /**
   * Metadata of the user: at most 1 KB in UTF-8. Updated in place.
   *
   * @default - none
   */
  readonly metadata?: string;

  /**
   * Delete the user this long after its creation (`ExpirationSettings`, criterion `CREATED_TIMESTAMP`, the only
   * one users have): a whole number of days, 1 to 5475 (15 years). The service deletes expired users within 6
   * hours. Updated in place.
   *
   * @default - the user never expires
   */
  readonly expireAfter?: Duration;

  /**
   * Tags to apply to the user, with those of `Tags.of(scope)`: at most 50 in all, updated in place.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the user when it is removed from the stack, replaced, or the stack is deleted. `SNAPSHOT`
   * is refused: a user has no snapshot.
   *
   * @default RemovalPolicy.RETAIN: a user is someone's identity in the app, and a channel whose `bearer` it is
   * can no longer be updated or deleted by CloudFormation once the user is gone; deletion cannot be undone
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Chime SDK app instance user (`AWS::Chime::AppInstanceUser`).
 *
 * Changing `appInstance` or `appInstanceUserId` replaces the user; the other properties update in place.
 *
 * @resource AWS::Chime::AppInstanceUser
 */
export class AppInstanceUser extends AppInstanceUserBase implements ITaggable {
  /**
   * Import an existing app instance user by its ARN. Its app instance is read from the ARN.
   */
  public static fromAppInstanceUserArn(scope: Construct, id: string, appInstanceUserArn: string): IAppInstanceUser {
    checkImportAttributes(scope, id, APP_INSTANCE_USER, appInstanceUserArn, undefined);
    class Import extends AppInstanceUserBase {
      public readonly appInstanceUserArn = appInstanceUserArn;
      public readonly appInstance = appInstanceOfArn(this, appInstanceUserArn, '/user/');
    }
    return new Import(scope, id, { environmentFromArn: appInstanceUserArn });
  }

  /**
   * The ARN of the user (the resource's `Ref`).
   *
   * @attribute
   */
  public readonly appInstanceUserArn: string;

  /**
   * The app instance the user belongs to.
   */
  public readonly appInstance: IAppInstance;

  /**
   * The user's id.
   */
  public readonly appInstanceUserId: string;

  /**
   * Tags of the user. `Tags.of(scope).add(...)` reaches them like any taggable aws-cdk-lib resource.
   */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: AppInstanceUserProps) {
    super(scope, id);
    warnWhenRegionUnknown(this);

    const expireAfter = props.expireAfter;
    this.validateProps(props);

    claimUniqueName(this, APP_INSTANCE_USER, 'appInstanceUserId', props.appInstanceUserId, withinAppInstance(props.appInstance, false));
    this.appInstance = props.appInstance;
    this.appInstanceUserId = props.appInstanceUserId;
    this.tags = keyValueTagManager(this, APP_INSTANCE_USER, APP_INSTANCE_USER_RESOURCE_TYPE, props.tags, 'Tags');
    const resource = newChimeResource(this, APP_INSTANCE_USER_RESOURCE_TYPE, {
      AppInstanceArn: props.appInstance.appInstanceArn,
      AppInstanceUserId: props.appInstanceUserId,
      Name: props.appInstanceUserName ?? props.appInstanceUserId,
      Metadata: props.metadata,
      ExpirationSettings: expireAfter === undefined ? undefined : {
        ExpirationDays: expireAfter.toDays({ integral: false }),
        ExpirationCriterion: 'CREATED_TIMESTAMP',
      },
      Tags: renderedTags(this.tags),
    });
    applyRemovalPolicy(this, resource, APP_INSTANCE_USER, props.removalPolicy, CHIME_REMOVAL_POLICY);
    // Ref is AppInstanceUserArn (the schema's primary identifier).
    this.appInstanceUserArn = Token.asString(resource.ref);
  }

  private validateProps(props: AppInstanceUserProps): void {
    const expireAfter = props.expireAfter;
    checkProperties(this, APP_INSTANCE_USER, {
      types: [
        requiredProblem('appInstance', props.appInstance, 'an IAppInstance (an AppInstance, or an imported one)')
          ?? shapeProblem('appInstance', props.appInstance, 'an IAppInstance (an AppInstance, or an imported one)', ['appInstanceArn', 'node', 'env']),
        requiredProblem('appInstanceUserId', props.appInstanceUserId, 'a string of 1-64 characters')
          ?? typeProblem('appInstanceUserId', props.appInstanceUserId, 'string'),
        typeProblem('appInstanceUserName', props.appInstanceUserName, 'string'),
        typeProblem('metadata', props.metadata, 'string'),
        durationProblem('expireAfter', expireAfter, 'Duration.days(365)'),
        removalPolicyProblem(APP_INSTANCE_USER, props.removalPolicy),
      ],
      tags: props.tags,
      values: () => [
        ['appInstanceUserId', props.appInstanceUserId, idProblem],
        ['appInstanceUserName', props.appInstanceUserName, userNameProblem],
        ['metadata', props.metadata, metadataProblem],
        ['expireAfter', knownDays(expireAfter), expirationDaysProblem],
      ],
      relations: () => [
        ...regionProblems(this),
        ...environmentProblems('appInstance', this, props.appInstance, {
          sameAccount: true,
          why: 'a user belongs to an app instance of its own account and region',
        }),
      ],
    });
  }
}

