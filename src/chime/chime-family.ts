/**
 * What the Chime constructs share: their families for the rules of `src/core/`, and the steps every one of
 * them takes (tags on a CfnResource, the default removal policy, the region).
 */
import { CfnResource, Lazy, RemovalPolicy, Resource, TagManager, TagType } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  APP_INSTANCE_ARN_PATTERN,
  APP_INSTANCE_BOT_ARN_PATTERN,
  APP_INSTANCE_USER_ARN_PATTERN,
  CHANNEL_ARN_PATTERN,
  chimeTagCountProblem,
  chimeTagProblems,
  MESSAGING_REGIONS,
  messagingRegionProblem,
  resourceNameProblem,
  userNameProblem,
} from './chime-rules';
import { stackRegionProblems, warnWhenStackRegionUnknown } from '../core/environment-rules';
import { ResourceFamily } from '../core/resource-family';
import { checkTagsWhenValidated } from '../core/tag-rules';

/** The CloudFormation resource types (CloudFormation's own, written as CfnResource: aws-cdk-lib 2.245 has no L1s). */
export const APP_INSTANCE_RESOURCE_TYPE = 'AWS::Chime::AppInstance';
export const APP_INSTANCE_USER_RESOURCE_TYPE = 'AWS::Chime::AppInstanceUser';
export const CHANNEL_RESOURCE_TYPE = 'AWS::Chime::Channel';

export const APP_INSTANCE: ResourceFamily = {
  noun: 'Chime app instance',
  service: 'chime',
  arnResourceType: 'app-instance',
  arnAttribute: 'appInstanceArn',
  nameAttribute: 'appInstanceName',
  arnPattern: APP_INSTANCE_ARN_PATTERN,
  arnFormat: 'arn:<partition>:chime:<region>:<account>:app-instance/<app instance id>',
  arnEndsAfterName: false,
  importsWithArn: ['fromAppInstanceArn'],
  nameProblem: resourceNameProblem,
  tagProblems: (key, value) => chimeTagProblems(key, value, 1),
  tagCountProblem: chimeTagCountProblem,
};

export const APP_INSTANCE_USER: ResourceFamily = {
  noun: 'Chime app instance user',
  service: 'chime',
  arnResourceType: 'app-instance',
  arnAttribute: 'appInstanceUserArn',
  nameAttribute: 'appInstanceUserName',
  arnPattern: APP_INSTANCE_USER_ARN_PATTERN,
  arnFormat: 'arn:<partition>:chime:<region>:<account>:app-instance/<app instance id>/user/<user id>',
  arnEndsAfterName: false,
  importsWithArn: ['fromAppInstanceUserArn'],
  nameProblem: userNameProblem,
  // The AppInstanceUser schema allows an empty tag value (minLength 0); the others require one character.
  tagProblems: (key, value) => chimeTagProblems(key, value, 0),
  tagCountProblem: chimeTagCountProblem,
};

export const CHANNEL: ResourceFamily = {
  noun: 'Chime channel',
  service: 'chime',
  arnResourceType: 'app-instance',
  arnAttribute: 'channelArn',
  nameAttribute: 'channelName',
  arnPattern: CHANNEL_ARN_PATTERN,
  arnFormat: 'arn:<partition>:chime:<region>:<account>:app-instance/<app instance id>/channel/<channel id>',
  arnEndsAfterName: false,
  importsWithArn: ['fromChannelArn'],
  nameProblem: resourceNameProblem,
  tagProblems: (key, value) => chimeTagProblems(key, value, 1),
  tagCountProblem: chimeTagCountProblem,
};

/**
 * A tag manager for a Chime CfnResource (a list of `{ Key, Value }` under `Tags`), so that `Tags.of(scope)`
 * reaches it; its tags are checked again when the app is validated (`Tags.of` adds them after the constructor).
 */
export function chimeTagManager(l2: IConstruct, family: ResourceFamily, resourceType: string, tags?: { [key: string]: string }): TagManager {
  const initial = tags === undefined ? undefined : Object.entries(tags).map(([key, value]) => ({ key, value }));
  const manager = new TagManager(TagType.STANDARD, resourceType, initial, { tagPropertyName: 'Tags' });
  // A STANDARD tag manager renders `{ key, value }`, as the shared rule reads them.
  checkTagsWhenValidated(l2, family, () => manager.renderTags() ?? []);
  return manager;
}

/** The `Tags` property: the manager's tags in CloudFormation's case, or nothing when there are none. */
export function renderedTags(manager: TagManager): unknown {
  return Lazy.any({
    produce: () => ((manager.renderTags() ?? []) as Array<{ key: string; value: string }>).map(({ key, value }) => ({ Key: key, Value: value })),
  }, { omitEmptyArray: true });
}

/** Apply the removal policy given, or the construct's default (RETAIN for every Chime resource). */
export function applyChimeRemovalPolicy(l2: Resource, removalPolicy: RemovalPolicy | undefined): void {
  l2.applyRemovalPolicy(removalPolicy ?? RemovalPolicy.RETAIN);
}

/** The stack's region, when known, must offer Chime SDK messaging. */
export function regionProblems(scope: IConstruct): string[] {
  return stackRegionProblems(scope, messagingRegionProblem);
}

/** A Chime resource in a stack of unknown region gets a synth warning naming the regions the service is offered in. */
export function warnWhenRegionUnknown(scope: IConstruct): void {
  warnWhenStackRegionUnknown(scope, 'chimeRegionUnknown',
    `Amazon Chime SDK messaging is offered only in ${MESSAGING_REGIONS.join(' and ')}`);
}

/** App instance bots, which this library imports (by ARN) to be channel bearers. */
export const APP_INSTANCE_BOT: ResourceFamily = {
  ...APP_INSTANCE_USER,
  noun: 'Chime app instance bot',
  arnAttribute: 'appInstanceBotArn',
  nameAttribute: 'appInstanceBotName',
  arnPattern: APP_INSTANCE_BOT_ARN_PATTERN,
  arnFormat: 'arn:<partition>:chime:<region>:<account>:app-instance/<app instance id>/bot/<bot id>',
  importsWithArn: ['ChannelBearer.fromAppInstanceBotArn'],
};

/** The resource's CfnResource, typed. */
export function newChimeResource(l2: IConstruct, type: string, properties: { [key: string]: unknown }): CfnResource {
  return new CfnResource(l2, 'Resource', { type, properties });
}
