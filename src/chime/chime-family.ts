/**
 * What the Chime constructs share: their families for the rules of `src/core/`, and the steps every one of
 * them takes (the default removal policy, the region).
 */
import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
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
import { RemovalPolicyDefault } from '../core/removal-policy-rules';
import { ArnFamily, ResourceFamily } from '../core/resource-family';

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

/** Every Chime resource's default: RETAIN (deleting an app instance, a user or a channel deletes its data for good). */
export const CHIME_REMOVAL_POLICY: RemovalPolicyDefault = { policy: RemovalPolicy.RETAIN };

/** The stack's region, when known, must offer Chime SDK messaging. */
export function regionProblems(scope: IConstruct): string[] {
  return stackRegionProblems(scope, messagingRegionProblem);
}

/** A Chime resource in a stack of unknown region gets a synth warning naming the regions the service is offered in. */
export function warnWhenRegionUnknown(scope: IConstruct): void {
  warnWhenStackRegionUnknown(scope, 'chimeRegionUnknown',
    `Amazon Chime SDK messaging is offered only in ${MESSAGING_REGIONS.join(' and ')}`);
}

/** App instance bots, which this library imports (by ARN) to be channel bearers: no tags of theirs are read. */
export const APP_INSTANCE_BOT: ArnFamily = {
  noun: 'Chime app instance bot',
  service: 'chime',
  arnResourceType: 'app-instance',
  arnAttribute: 'appInstanceBotArn',
  nameAttribute: 'appInstanceBotName',
  arnPattern: APP_INSTANCE_BOT_ARN_PATTERN,
  arnFormat: 'arn:<partition>:chime:<region>:<account>:app-instance/<app instance id>/bot/<bot id>',
  arnEndsAfterName: false,
  importsWithArn: ['ChannelBearer.fromAppInstanceBotArn'],
  nameProblem: userNameProblem,
};

/** The resource's CfnResource, typed. */
export function newChimeResource(l2: IConstruct, type: string, properties: { [key: string]: unknown }): CfnResource {
  return new CfnResource(l2, 'Resource', { type, properties });
}
