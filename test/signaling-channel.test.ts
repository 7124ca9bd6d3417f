import { App, CfnParameter, CfnResource, Duration, RemovalPolicies, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Fact, FactName } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { SignalingChannel, SignalingChannelType } from '../src';

const CHANNEL = 'Custom::KinesisVideoSignalingChannel';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

describe('SignalingChannel', () => {
  test('declares a custom resource with the given properties', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell', {
      signalingChannelName: 'front-door',
      channelType: SignalingChannelType.SINGLE_MASTER,
      messageTtl: Duration.seconds(30),
      tags: { room: 'hall' },
    });

    Template.fromStack(stack).hasResourceProperties(CHANNEL, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('KinesisVideoSignalingChannelProviderHandler'), 'Arn'] },
      ServiceTimeout: '600',
      ChannelName: 'front-door',
      ChannelType: Match.absent(), // SINGLE_MASTER, the only type, is the handler's default
      MessageTtlSeconds: 30,
      Tags: [{ Key: 'room', Value: 'hall' }],
    });
  });

  test('defaults write nothing CloudFormation would not: a generated name, SINGLE_MASTER, the service\'s TTL, no tags, DESTROY', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell');

    const template = Template.fromStack(stack);
    // Absent policies are CloudFormation's Delete; an absent type is the handler's SINGLE_MASTER.
    template.templateMatches({
      Resources: {
        [Object.keys(template.findResources(CHANNEL))[0]]: {
          Type: CHANNEL,
          Properties: {
            ServiceToken: Match.anyValue(),
            ServiceTimeout: '600',
          },
        },
      },
    });
    expect(Object.keys(Object.values(template.findResources(CHANNEL))[0]).sort()).toEqual(['Properties', 'Type']);
  });

  test('RETAIN keeps the channel when it leaves the stack or is replaced', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell', { removalPolicy: RemovalPolicy.RETAIN });

    Template.fromStack(stack).hasResource(CHANNEL, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('applyRemovalPolicy and RemovalPolicies.of set the policies as the prop does', () => {
    const stack = newStack();
    const applied = new SignalingChannel(stack, 'Applied');
    applied.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const byAspect = new Construct(stack, 'Fleet');
    new SignalingChannel(byAspect, 'Camera');
    RemovalPolicies.of(byAspect).apply(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);

    const resources = Template.fromStack(stack).findResources(CHANNEL);
    const policies = Object.fromEntries(Object.entries(resources).map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), [r.DeletionPolicy, r.UpdateReplacePolicy]]));
    expect(policies).toEqual({
      Applied: ['Retain', 'Retain'],
      FleetCamera: ['RetainExceptOnCreate', 'Retain'],
    });
  });

  test('node.defaultChild is the channel\'s CloudFormation resource: escape hatches work', () => {
    const stack = newStack();
    const channel = new SignalingChannel(stack, 'Doorbell');
    const resource = channel.node.defaultChild as CfnResource;
    expect(resource.cfnResourceType).toBe(CHANNEL);

    resource.addPropertyOverride('MessageTtlSeconds', 15);
    Template.fromStack(stack).hasResourceProperties(CHANNEL, { MessageTtlSeconds: 15 });
  });

  test('the function learns the stack\'s channels from its environment, so adding one changes no other channel', () => {
    const build = (count: number) => {
      const stack = newStack();
      for (let i = 0; i < count; i++) new SignalingChannel(stack, `Camera${i}`);
      return Template.fromStack(stack);
    };
    const three = build(3);
    const four = build(4);

    const slots = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables.CHANNEL_SLOTS as string;
    expect(slots(three)).toMatch(/^[0-9a-f]{12}$/);
    expect(slots(four)).toMatch(/^[0-9a-f]{16}$/);
    // The first three channels are byte for byte the same in both templates.
    const four3 = four.findResources(CHANNEL);
    for (const [id, resource] of Object.entries(three.findResources(CHANNEL))) {
      expect(four3[id]).toEqual(resource);
    }
  });

  test('channelArn and channelName are tokens read from the custom resource', () => {
    const stack = newStack();
    const channel = new SignalingChannel(stack, 'Doorbell');

    const logicalId = stack.getLogicalId(channel.node.defaultChild as CfnResource);
    expect(stack.resolve(channel.signalingChannelArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'ChannelArn'] });
    expect(stack.resolve(channel.signalingChannelName)).toEqual({ 'Fn::GetAtt': [logicalId, 'ChannelName'] });
    expect(stack.resolve(channel.signalingChannelRef)).toEqual({
      signalingChannelArn: { 'Fn::GetAtt': [logicalId, 'ChannelArn'] },
      signalingChannelName: { 'Fn::GetAtt': [logicalId, 'ChannelName'] },
    });
  });

  test('Tags.of(scope) reaches the channel, merged with its own tags', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell', { tags: { room: 'hall' } });
    Tags.of(stack).add('team', 'video');

    Template.fromStack(stack).hasResourceProperties(CHANNEL, {
      Tags: [{ Key: 'room', Value: 'hall' }, { Key: 'team', Value: 'video' }],
    });
  });

  test('one Lambda function, one role and one log group per stack, however many channels', () => {
    const stack = newStack();
    for (let i = 0; i < 25; i++) {
      new SignalingChannel(stack, `Channel${i}`, i % 2 === 0 ? { signalingChannelName: `camera-${i}` } : {});
    }

    const template = Template.fromStack(stack);
    template.resourceCountIs(CHANNEL, 25);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0); // the role's inline policy
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('each stack gets its own provider', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new SignalingChannel(a, 'Channel');
    new SignalingChannel(b, 'Channel');

    Template.fromStack(a).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(b).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('the function runs on the newest Node.js runtime aws-cdk-lib\'s region facts list for the region, logs JSON to a log group with a retention', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell');

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: Fact.find('us-east-1', FactName.LATEST_NODE_RUNTIME),
      Handler: 'index.handler',
      Timeout: 300,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    // The custom resource's service timeout is longer than the function's, far below an hour.
    const timeout = Number(Object.values(template.findResources(CHANNEL))[0].Properties.ServiceTimeout);
    expect(timeout).toBeGreaterThan(300);
    expect(timeout).toBeLessThan(3600);
  });

  test('the role may do only what the handler does, on this stack\'s channels; channels wait for the policy', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Generated');
    new SignalingChannel(stack, 'Named', { signalingChannelName: 'garage-camera' });

    const template = Template.fromStack(stack);
    const logGroupArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('LogGroup'), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'KinesisVideoSignalingChannels',
        PolicyDocument: {
          Statement: [
            {
              Sid: 'ManageSignalingChannels',
              Effect: 'Allow',
              Action: [
                'kinesisvideo:CreateSignalingChannel',
                'kinesisvideo:DescribeSignalingChannel',
                'kinesisvideo:UpdateSignalingChannel',
                'kinesisvideo:DeleteSignalingChannel',
                'kinesisvideo:ListTagsForResource',
                'kinesisvideo:TagResource',
                'kinesisvideo:UntagResource',
              ],
              Resource: [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:us-east-1:123456789012:channel/', { Ref: 'AWS::StackName' }, '.*']] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:us-east-1:123456789012:channel/garage-camera/*']] },
              ],
            },
            {
              // Whatever their names, the channels this stack created (an earlier version's too): by the tag
              // the handler writes on each, valued with the stack's id.
              Sid: 'ManageThisStacksChannels',
              Effect: 'Allow',
              Action: [
                'kinesisvideo:DescribeSignalingChannel',
                'kinesisvideo:UpdateSignalingChannel',
                'kinesisvideo:DeleteSignalingChannel',
                'kinesisvideo:ListTagsForResource',
                'kinesisvideo:TagResource',
                'kinesisvideo:UntagResource',
                'kinesisvideo:UpdateMediaStorageConfiguration',
              ],
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:us-east-1:123456789012:channel/*']] },
              Condition: { StringEquals: { 'aws:ResourceTag/cdk-kvs-signaling-channel:stack': { Ref: 'AWS::StackId' } } },
            },
            {
              Sid: 'WriteHandlerLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: logGroupArn,
            },
          ],
        },
      }],
    });
    // Each channel waits for the policy: through its ServiceToken, it waits for the function, which waits for
    // the role that holds the policy.
    const roleId = Object.keys(template.findResources('AWS::IAM::Role'))[0];
    const [functionId, fn] = Object.entries(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.DependsOn).toContain(roleId);
    for (const channel of Object.values(template.findResources(CHANNEL))) {
      expect(channel.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    }
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('past the policy budget, explicit names collapse into channel/* so the policy stays under IAM\'s limit', () => {
    const stack = newStack();
    for (let i = 0; i < 400; i++) {
      new SignalingChannel(stack, `Channel${i}`, { signalingChannelName: `camera-${i}-${'x'.repeat(200)}` });
    }

    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    const resources = stack.resolve(role.Properties.Policies[0].PolicyDocument.Statement[0].Resource);
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(resources[1])).toContain(':channel/*');
    // ...and says so.
    Annotations.fromStack(stack).hasWarning('/TestStack/KinesisVideoSignalingChannelProvider',
      Match.stringLikeRegexp("400 explicit channel names do not fit IAM's policy size limit"));
  });
});

describe('a channel name is unique in its account and region', () => {
  const ENV = { account: '123456789012', region: 'us-east-1' };

  test('two channels with the same explicit name in one stack are refused, naming both', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Garage', { signalingChannelName: 'garage-camera' });

    expect(() => new SignalingChannel(stack, 'Driveway', { signalingChannelName: 'garage-camera' })).toThrow(
      "TestStack/Driveway: signalingChannelName 'garage-camera' is already the name of TestStack/Garage in this stack; " +
      "a signaling channel's name is unique in its account and region: choose another name, or leave signalingChannelName out to have one generated");
  });

  test('names that are unresolved tokens are not compared', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    new SignalingChannel(stack, 'One', { signalingChannelName: name });

    expect(() => new SignalingChannel(stack, 'Two', { signalingChannelName: name })).not.toThrow();
  });

  test('two stacks of one app in the same account and region with the same name: a warning on each channel, naming the other', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    new SignalingChannel(a, 'Garage', { signalingChannelName: 'garage-camera' });
    new SignalingChannel(b, 'Garage', { signalingChannelName: 'garage-camera' });
    new SignalingChannel(b, 'Porch', { signalingChannelName: 'porch-camera' });

    const warning = (other: string) => Match.stringLikeRegexp(
      `signalingChannelName 'garage-camera' is also the name of ${other}, in the same account \\(123456789012\\) and region \\(us-east-1\\): ` +
      'whichever stack deploys second fails.*\\[ack: cdk-kvs-signaling-channel:duplicateName\\]');
    Annotations.fromStack(a).hasWarning('/A/Garage', warning('B/Garage'));
    Annotations.fromStack(b).hasWarning('/B/Garage', warning('A/Garage'));
    Annotations.fromStack(b).hasNoWarning('/B/Porch', Match.anyValue());
  });

  test.each([
    ['another region', { account: '123456789012', region: 'eu-west-1' }],
    ['another account', { account: '210987654321', region: 'us-east-1' }],
    ['an environment known only at deploy time', undefined],
  ])('no warning when the other stack is in %s', (_, otherEnv) => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: otherEnv });
    new SignalingChannel(a, 'Garage', { signalingChannelName: 'garage-camera' });
    new SignalingChannel(b, 'Garage', { signalingChannelName: 'garage-camera' });

    Annotations.fromStack(a).hasNoWarning('*', Match.stringLikeRegexp('is also the name of'));
    Annotations.fromStack(b).hasNoWarning('*', Match.stringLikeRegexp('is also the name of'));
  });
});
