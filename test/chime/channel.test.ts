import { App, CfnParameter, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { chime } from '../../src';

const ACCOUNT = '123456789012';
const APP_INSTANCE_ARN = `arn:aws:chime:us-east-1:${ACCOUNT}:app-instance/11111111-2222-3333-4444-555555555555`;

function newStack(region = 'us-east-1'): Stack {
  return new Stack(new App(), 'ChatStack', { env: { account: ACCOUNT, region } });
}

/** The README's example: an app instance, a user, a channel, a grant. */
function readmeStack() {
  const stack = newStack();
  const appInstance = new chime.AppInstance(stack, 'Chat', { appInstanceName: 'chat', metadata: '{"tier":"free"}', tags: { team: 'web' } });
  const backend = new chime.AppInstanceUser(stack, 'Backend', {
    appInstance,
    appInstanceUserId: 'backend-worker',
    appInstanceUserName: 'Backend worker',
    metadata: 'service account',
    expireAfter: Duration.days(365),
    tags: { role: 'backend' },
  });
  const alice = new chime.AppInstanceUser(stack, 'Alice', { appInstance, appInstanceUserId: 'alice' });
  const lobby = new chime.Channel(stack, 'Lobby', {
    appInstance,
    bearer: backend,
    channelName: 'Lobby',
    channelId: 'lobby',
    mode: chime.ChannelMode.RESTRICTED,
    privacy: chime.ChannelPrivacy.PRIVATE,
    metadata: '{"topic":"hello"}',
    members: [alice],
    moderators: [alice],
    expiration: { expireAfter: Duration.days(30), criterion: chime.ChannelExpirationCriterion.LAST_MESSAGE_TIMESTAMP },
    tags: { room: 'lobby' },
  });
  const service = new iam.Role(stack, 'ChatService', { assumedBy: new iam.AccountRootPrincipal() });
  lobby.grantSendMessages(service, backend);
  return { stack, appInstance, backend, alice, lobby, service };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as any);

describe('the README example', () => {
  test('synthesizes an app instance, users and a channel with every property the props set', () => {
    const { stack, appInstance, backend, alice } = readmeStack();
    const template = Template.fromStack(stack);
    const appInstanceId = logicalId(stack, appInstance);
    const backendId = logicalId(stack, backend);
    const aliceId = logicalId(stack, alice);

    template.resourceCountIs('AWS::Chime::AppInstance', 1);
    template.hasResource('AWS::Chime::AppInstance', {
      Properties: { Name: 'chat', Metadata: '{"tier":"free"}', Tags: [{ Key: 'team', Value: 'web' }] },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::Chime::AppInstanceUser', {
      Properties: {
        AppInstanceArn: { Ref: appInstanceId },
        AppInstanceUserId: 'backend-worker',
        Name: 'Backend worker',
        Metadata: 'service account',
        ExpirationSettings: { ExpirationDays: 365, ExpirationCriterion: 'CREATED_TIMESTAMP' },
        Tags: [{ Key: 'role', Value: 'backend' }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // A user's name defaults to its id: CloudFormation takes none, the API requires one.
    template.hasResourceProperties('AWS::Chime::AppInstanceUser', {
      AppInstanceArn: { Ref: appInstanceId }, AppInstanceUserId: 'alice', Name: 'alice',
    });
    template.hasResource('AWS::Chime::Channel', {
      Properties: {
        AppInstanceArn: { Ref: appInstanceId },
        ChimeBearer: { Ref: backendId },
        Name: 'Lobby',
        ChannelId: 'lobby',
        Mode: 'RESTRICTED',
        Privacy: 'PRIVATE',
        Metadata: '{"topic":"hello"}',
        MemberArns: [{ Ref: aliceId }],
        ModeratorArns: [{ Ref: aliceId }],
        ExpirationSettings: { ExpirationDays: 30, ExpirationCriterion: 'LAST_MESSAGE_TIMESTAMP' },
        Tags: [{ Key: 'room', Value: 'lobby' }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the grant names SendChannelMessage on the channel ARN (GetAtt Arn) and the bearer ARN, nothing else', () => {
    const { stack, lobby, backend } = readmeStack();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'chime:SendChannelMessage',
          Resource: [{ 'Fn::GetAtt': [logicalId(stack, lobby), 'Arn'] }, { Ref: logicalId(stack, backend) }],
        }],
      },
    });
  });
});

describe('defaults', () => {
  test('a minimal channel writes only what is required, and the app instance gets a generated name', () => {
    const stack = newStack();
    const appInstance = new chime.AppInstance(stack, 'Chat');
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
    new chime.Channel(stack, 'Channel', { appInstance, bearer: user, channelName: 'general' });
    const template = Template.fromStack(stack);
    const [channel] = Object.values(template.findResources('AWS::Chime::Channel'));
    expect(Object.keys(channel.Properties).sort()).toEqual(['AppInstanceArn', 'ChimeBearer', 'Name']);
    expect(channel.DeletionPolicy).toBe('Retain');
    const [instance] = Object.values(template.findResources('AWS::Chime::AppInstance'));
    expect(instance.Properties).toEqual({ Name: appInstance.appInstanceName });
    expect(appInstance.appInstanceName).toMatch(/^ChatStackChat/);
  });

  test('removalPolicy DESTROY is written as Delete', () => {
    const stack = newStack();
    const appInstance = new chime.AppInstance(stack, 'Chat', { removalPolicy: RemovalPolicy.DESTROY });
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1', removalPolicy: RemovalPolicy.DESTROY });
    new chime.Channel(stack, 'Channel', { appInstance, bearer: user, channelName: 'general', removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    for (const type of ['AWS::Chime::AppInstance', 'AWS::Chime::AppInstanceUser', 'AWS::Chime::Channel']) {
      template.hasResource(type, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
  });

  test('an elastic channel is written RESTRICTED with its configuration', () => {
    const stack = newStack();
    const appInstance = new chime.AppInstance(stack, 'Chat');
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
    const moderator = new chime.AppInstanceUser(stack, 'Moderator', { appInstance, appInstanceUserId: 'mod' });
    new chime.Channel(stack, 'Stadium', {
      appInstance,
      bearer: user,
      channelName: 'stadium',
      moderators: [moderator],
      elasticConfiguration: { maximumSubChannels: 1000, targetMembershipsPerSubChannel: 900, minimumMembershipPercentage: 40 },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Chime::Channel', {
      Mode: 'RESTRICTED',
      ElasticChannelConfiguration: { MaximumSubChannels: 1000, TargetMembershipsPerSubChannel: 900, MinimumMembershipPercentage: 40 },
      MemberArns: Match.absent(),
      ModeratorArns: [{ Ref: stack.getLogicalId(moderator.node.defaultChild as any) }],
    });
  });
});

describe('Tags.of', () => {
  test('reaches the app instance, the user and the channel, beside their own tags', () => {
    const { stack } = readmeStack();
    Tags.of(stack).add('project', 'chat');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Chime::AppInstance', { Tags: [{ Key: 'project', Value: 'chat' }, { Key: 'team', Value: 'web' }] });
    template.hasResourceProperties('AWS::Chime::AppInstanceUser', { Tags: [{ Key: 'project', Value: 'chat' }, { Key: 'role', Value: 'backend' }] });
    template.hasResourceProperties('AWS::Chime::Channel', { Tags: [{ Key: 'project', Value: 'chat' }, { Key: 'room', Value: 'lobby' }] });
  });
});

describe('imports', () => {
  test('fromAppInstanceArn, fromAppInstanceUserArn and fromChannelArn read the app instance from the ARN', () => {
    const stack = newStack();
    const appInstance = chime.AppInstance.fromAppInstanceArn(stack, 'Chat', APP_INSTANCE_ARN);
    const user = chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'User', `${APP_INSTANCE_ARN}/user/alice`);
    const channel = chime.Channel.fromChannelArn(stack, 'Channel', `${APP_INSTANCE_ARN}/channel/lobby`);
    const bot = chime.ChannelBearer.fromAppInstanceBotArn(stack, 'Bot', `${APP_INSTANCE_ARN}/bot/helper`);
    expect(appInstance.appInstanceArn).toBe(APP_INSTANCE_ARN);
    expect(user.appInstanceUserArn).toBe(`${APP_INSTANCE_ARN}/user/alice`);
    expect(user.channelBearerArn).toBe(`${APP_INSTANCE_ARN}/user/alice`);
    expect(user.appInstance.appInstanceArn).toBe(APP_INSTANCE_ARN);
    expect(channel.channelArn).toBe(`${APP_INSTANCE_ARN}/channel/lobby`);
    expect(channel.appInstance.appInstanceArn).toBe(APP_INSTANCE_ARN);
    expect(bot.appInstance.appInstanceArn).toBe(APP_INSTANCE_ARN);
    expect(channel.env).toEqual(expect.objectContaining({ account: ACCOUNT, region: 'us-east-1' }));
  });

  test('an import whose ARN is a token reads its app instance with Fn::Split on the ARN', () => {
    const stack = newStack();
    const user = chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'User', new CfnParameter(stack, 'UserArn').valueAsString);
    expect(stack.resolve(user.appInstance.appInstanceArn)).toEqual({ 'Fn::Select': [0, { 'Fn::Split': ['/user/', { Ref: 'UserArn' }] }] });
  });

  test.each([
    ['fromAppInstanceArn', () => chime.AppInstance.fromAppInstanceArn(newStack(), 'Bad', `${APP_INSTANCE_ARN}/user/x`),
      /ChatStack\/Bad: appInstanceArn '.* is not a Chime app instance ARN; expected arn:<partition>:chime:<region>:<account>:app-instance\/<app instance id>$/],
    ['fromAppInstanceUserArn', () => chime.AppInstanceUser.fromAppInstanceUserArn(newStack(), 'Bad', APP_INSTANCE_ARN),
      /ChatStack\/Bad: appInstanceUserArn '.* is not a Chime app instance user ARN; expected .*\/user\/<user id>$/],
    ['fromChannelArn', () => chime.Channel.fromChannelArn(newStack(), 'Bad', 'lobby'),
      /ChatStack\/Bad: channelArn 'lobby' is not a Chime channel ARN; expected .*\/channel\/<channel id>$/],
    ['fromAppInstanceBotArn', () => chime.ChannelBearer.fromAppInstanceBotArn(newStack(), 'Bad', `${APP_INSTANCE_ARN}/user/x`),
      /ChatStack\/Bad: appInstanceBotArn '.* is not a Chime app instance bot ARN; expected .*\/bot\/<bot id>$/],
  ])('%s refuses a malformed ARN, naming the format', (_, importIt, message) => {
    expect(importIt).toThrow(message);
  });

  test('an imported channel grants on its ARN and the bearers\', for a user and a bot bearer', () => {
    const stack = newStack();
    const channel = chime.Channel.fromChannelArn(stack, 'Channel', `${APP_INSTANCE_ARN}/channel/lobby`);
    const user = chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'User', `${APP_INSTANCE_ARN}/user/alice`);
    const bot = chime.ChannelBearer.fromAppInstanceBotArn(stack, 'Bot', `${APP_INSTANCE_ARN}/bot/helper`);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    channel.grantRead(role, user, bot);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['chime:DescribeChannel', 'chime:GetChannelMessage', 'chime:ListChannelMessages'],
          Resource: [`${APP_INSTANCE_ARN}/channel/lobby`, `${APP_INSTANCE_ARN}/user/alice`, `${APP_INSTANCE_ARN}/bot/helper`],
        }],
      },
    });
  });
});
