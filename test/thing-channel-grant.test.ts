import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SignalingChannel, ThingChannelGrants } from '../src';

const THING_CHANNELS = 'channel/${credentials-iot:ThingName}/*';

function newStack(env?: { account: string; region: string }): Stack {
  return new Stack(new App(), 'FleetStack', { env });
}

function fleetRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'CameraRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
}

/** The statements of the role's policy, as they are in the synthesized template. */
function templateStatements(stack: Stack) {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  return policies.flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

describe('grants for AWS IoT things on the channel named after each thing', () => {
  test('ThingChannelGrants.grantConnectAsMaster: the master actions on channel/${credentials-iot:ThingName}/*, verbatim', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    ThingChannelGrants.grantConnectAsMaster(fleetRole(stack));

    expect(templateStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:GetSignalingChannelEndpoint', 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsMaster'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kinesisvideo:eu-west-1:123456789012:${THING_CHANNELS}`]] },
    }]);
  });

  test('ThingChannelGrants.grantConnectAsViewer: the viewer actions on the same resource', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    ThingChannelGrants.grantConnectAsViewer(fleetRole(stack));

    const [statement] = templateStatements(stack);
    expect(statement.Action).toEqual(['kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:GetSignalingChannelEndpoint', 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsViewer']);
    expect(JSON.stringify(statement.Resource)).toContain(`:kinesisvideo:eu-west-1:123456789012:${THING_CHANNELS}`);
  });

  test.each([
    ['master', ThingChannelGrants.grantConnectAsMaster, 'grantConnectAsMaster'] as const,
    ['viewer', ThingChannelGrants.grantConnectAsViewer, 'grantConnectAsViewer'] as const,
  ])('the %s grant has exactly the actions of the per-channel grant', (_, thingGrant, channelGrant) => {
    const stack = newStack();
    const thingRole = fleetRole(stack);
    const channelRole = new iam.Role(stack, 'ChannelRole', { assumedBy: new iam.AccountRootPrincipal() });
    const thing = thingGrant(thingRole);
    const channel = SignalingChannel.fromSignalingChannelName(stack, 'Channel', 'front-door')[channelGrant](channelRole);

    expect(stack.resolve(thing.principalStatements[0].toStatementJson().Action))
      .toEqual(stack.resolve(channel.principalStatements[0].toStatementJson().Action));
  });

  test('in an environment-agnostic stack the variable stays verbatim inside Fn::Join, never Fn::Sub', () => {
    const stack = newStack();
    ThingChannelGrants.grantConnectAsMaster(fleetRole(stack));

    const [statement] = templateStatements(stack);
    expect(statement.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${THING_CHANNELS}`]],
    });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::Sub');
  });

  test('region: the channels of another region', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    ThingChannelGrants.grantConnectAsMaster(fleetRole(stack), { region: 'ap-southeast-2' });

    expect(JSON.stringify(templateStatements(stack)[0].Resource)).toContain(`:kinesisvideo:ap-southeast-2:123456789012:${THING_CHANNELS}`);
  });

  test('each grantee\'s ARN comes from its own stack', () => {
    const app = new App();
    const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
    const west = new Stack(app, 'West', { env: { account: '222222222222', region: 'eu-west-1' } });
    ThingChannelGrants.grantConnectAsMaster(fleetRole(east));
    ThingChannelGrants.grantConnectAsMaster(fleetRole(west));

    expect(JSON.stringify(templateStatements(east)[0].Resource)).toContain(`:kinesisvideo:us-east-1:111111111111:${THING_CHANNELS}`);
    expect(JSON.stringify(templateStatements(west)[0].Resource)).toContain(`:kinesisvideo:eu-west-1:222222222222:${THING_CHANNELS}`);
  });

  test('a grantee that is not a construct itself is placed by its principal: a Lambda function\'s role', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const grantee: iam.IGrantable = { grantPrincipal: fn.role! };
    const grant = ThingChannelGrants.grantConnectAsViewer(grantee);

    expect(grant.success).toBe(true);
    expect(JSON.stringify(templateStatements(stack))).toContain(`:kinesisvideo:eu-west-1:123456789012:${THING_CHANNELS}`);
  });

  test('a principal that is no construct at all (a role wrapped with conditions) gets the pseudo parameters of the policy\'s stack', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    const withConditions = new iam.PrincipalWithConditions(fleetRole(stack), { Bool: { 'aws:SecureTransport': 'true' } });
    const grant = ThingChannelGrants.grantConnectAsMaster(withConditions);

    expect(grant.success).toBe(true);
    const [statement] = templateStatements(stack);
    expect(statement.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${THING_CHANNELS}`]],
    });
  });

  test('a principal that holds no policy gets no statement, and nothing throws', () => {
    const stack = newStack();
    const grant = ThingChannelGrants.grantConnectAsMaster(new iam.AccountRootPrincipal());

    expect(grant.success).toBe(false);
    expect(stack.resolve(grant.principalStatements)).toEqual([]);
  });

  test('the README\'s camera fleet: a role for the IoT credentials provider, its role alias and the IoT policy', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    const cameras = new iam.Role(stack, 'Cameras', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    ThingChannelGrants.grantConnectAsMaster(cameras);
    const alias = new iot.CfnRoleAlias(stack, 'CamerasRoleAlias', { roleAlias: 'cameras', roleArn: cameras.roleArn });
    new iot.CfnPolicy(stack, 'CamerasIotPolicy', {
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['iot:AssumeRoleWithCertificate'], resources: [alias.attrRoleAliasArn] })],
      }),
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'credentials.iot.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::IoT::RoleAlias', { RoleAlias: 'cameras' });
    expect(JSON.stringify(templateStatements(stack))).toContain(THING_CHANNELS);
  });
});
