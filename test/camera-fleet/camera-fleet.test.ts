import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ofType, resourcesOf } from './fleet-template';
import { CameraFleet } from '../../src';

const CERTIFICATE = `arn:aws:iot:eu-west-1:123456789012:cert/${'ab'.repeat(32)}`;

function fleetStack() {
  const stack = new Stack(new App(), 'CameraFleetStack');
  const fleet = new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.hours(1) });
  const frontDoor = fleet.addCamera('front-door');
  const garage = fleet.addCamera('garage', { record: true });
  return { stack, fleet, frontDoor, garage };
}

describe('CameraFleet, as the README uses it', () => {
  test('a role trusted by the IoT credentials provider, its role alias with the duration, and an IoT policy on the alias', () => {
    const { stack, fleet } = fleetStack();
    const template = Template.fromStack(stack);
    const resources = resourcesOf(stack);

    const [[roleId, role]] = ofType(resources, 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('credentials.iot.amazonaws.com'));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'credentials.iot.amazonaws.com' } },
    ]);
    expect(role.Properties.MaxSessionDuration).toBeGreaterThanOrEqual(3600);

    const [[aliasId, alias]] = ofType(resources, 'AWS::IoT::RoleAlias');
    expect(alias.Properties).toEqual({ CredentialDurationSeconds: 3600, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    expect(stack.resolve(fleet.roleAlias)).toEqual({ Ref: aliasId });

    template.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: { 'Fn::GetAtt': [aliasId, 'RoleAliasArn'] } }],
      },
    });
  });

  test('one thing and one channel of the same name per camera; a stream for the recording camera, its channel recording into it', () => {
    const { stack, frontDoor, garage } = fleetStack();
    const resources = resourcesOf(stack);

    expect(ofType(resources, 'AWS::IoT::Thing').map(([, r]) => r.Properties.ThingName)).toEqual(['front-door', 'garage']);
    const channels = ofType(resources, 'Custom::KinesisVideoSignalingChannel');
    expect(channels.map(([, r]) => r.Properties.ChannelName)).toEqual(['front-door', 'garage']);
    const streams = ofType(resources, 'AWS::KinesisVideo::Stream');
    expect(streams).toHaveLength(1);
    const [[streamId, stream]] = streams;
    expect(stream.Properties).toEqual({ Name: 'garage', DataRetentionInHours: 24 });
    expect(channels.find(([, r]) => r.Properties.ChannelName === 'garage')![1].Properties.MediaStorageStreamArn)
      .toEqual({ 'Fn::GetAtt': [streamId, 'Arn'] });
    expect(channels.find(([, r]) => r.Properties.ChannelName === 'front-door')![1].Properties.MediaStorageStreamArn).toBeUndefined();

    expect(stack.resolve(frontDoor.channel.signalingChannelName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CamerasfrontdoorChannel/), 'ChannelName'] });
    expect(frontDoor.stream).toBeUndefined();
    expect(stack.resolve(garage.stream?.streamName)).toEqual({ Ref: streamId });
    expect(stack.resolve(frontDoor.thingName)).toEqual({ Ref: stack.getLogicalId(frontDoor.thing) });
    expect(stack.resolve(frontDoor.thingArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(frontDoor.thing), 'Arn'] });
  });

  test('no recording camera: the role gets no recording actions; one, in any order: it does', () => {
    const stack = new Stack(new App(), 'LiveStack');
    const fleet = new CameraFleet(stack, 'Cameras');
    fleet.addCamera('front-door');
    const actions = () => JSON.stringify(stack.resolve((fleet.role.node.defaultChild as iam.CfnRole).policies));
    expect(actions()).not.toContain('PutMedia');
    expect(actions()).not.toContain('JoinStorageSession');

    fleet.addCamera('garage', { record: true });
    expect(actions()).toContain('kinesisvideo:PutMedia');
    expect(actions()).toContain('kinesisvideo:JoinStorageSession');
  });

  test('recording: true grants recording for cameras of other stacks', () => {
    const stack = new Stack(new App(), 'HomeStack');
    const fleet = new CameraFleet(stack, 'Cameras', { recording: true });
    expect(JSON.stringify(stack.resolve((fleet.role.node.defaultChild as iam.CfnRole).policies))).toContain('kinesisvideo:PutMedia');
  });

  test('the role\'s maximum session covers the credentials: 12 hours of credentials, a 12-hour role', () => {
    const stack = new Stack(new App(), 'LongStack');
    new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.hours(12) });
    const resources = resourcesOf(stack);
    expect(ofType(resources, 'AWS::IAM::Role')[0][1].Properties.MaxSessionDuration).toBe(43200);
    expect(ofType(resources, 'AWS::IoT::RoleAlias')[0][1].Properties.CredentialDurationSeconds).toBe(43200);
  });

  test('15-minute credentials: the role keeps IAM\'s minimum of an hour', () => {
    const stack = new Stack(new App(), 'ShortStack');
    new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.minutes(15) });
    const resources = resourcesOf(stack);
    expect(ofType(resources, 'AWS::IAM::Role')[0][1].Properties.MaxSessionDuration).toBe(3600);
    expect(ofType(resources, 'AWS::IoT::RoleAlias')[0][1].Properties.CredentialDurationSeconds).toBe(900);
  });

  test('names, attributes and a certificate attached exclusively to the thing and to the fleet\'s policy', () => {
    const stack = new Stack(new App(), 'NamedStack');
    const fleet = new CameraFleet(stack, 'Cameras', { roleAliasName: 'doorbells', policyName: 'doorbell-certificates' });
    const camera = fleet.addCamera('porch', { certificateArn: CERTIFICATE, attributes: { model: 'dc-2', site: 'home' } });
    const template = Template.fromStack(stack);
    const resources = resourcesOf(stack);

    expect(stack.resolve(fleet.roleAlias)).toEqual({ Ref: ofType(resources, 'AWS::IoT::RoleAlias')[0][0] });
    template.hasResourceProperties('AWS::IoT::RoleAlias', { RoleAlias: 'doorbells' });
    template.hasResourceProperties('AWS::IoT::Policy', { PolicyName: 'doorbell-certificates' });
    template.hasResourceProperties('AWS::IoT::Thing', { ThingName: 'porch', AttributePayload: { Attributes: { model: 'dc-2', site: 'home' } } });
    template.hasResourceProperties('AWS::IoT::ThingPrincipalAttachment', {
      Principal: CERTIFICATE, ThingName: { Ref: stack.getLogicalId(camera.thing) }, ThingPrincipalType: 'EXCLUSIVE_THING',
    });
    const [[policyId]] = ofType(resources, 'AWS::IoT::Policy');
    template.hasResourceProperties('AWS::IoT::PolicyPrincipalAttachment', { Principal: CERTIFICATE, PolicyName: { Ref: policyId } });
  });

  test('retention sets the stream\'s', () => {
    const stack = new Stack(new App(), 'RetentionStack');
    new CameraFleet(stack, 'Cameras').addCamera('garage', { record: true, retention: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::KinesisVideo::Stream', { Name: 'garage', DataRetentionInHours: 168 });
  });

  test('a viewer whose statements pass IAM\'s policy size limit gets a warning naming it; a viewer of a smaller fleet none', () => {
    const app = new App();
    const big = new Stack(app, 'BigFleet', { env: { account: '123456789012', region: 'us-east-1' } });
    const fleet = new CameraFleet(big, 'Cameras');
    const watcher = new iam.Role(big, 'Watcher', { assumedBy: new iam.AccountRootPrincipal() });
    fleet.grantViewer(watcher);
    // 130 cameras of 20-character names: about 80 characters of channel ARN each.
    for (let i = 0; i < 130; i++) fleet.addCamera(`camera-${String(i).padStart(13, '0')}`);
    const small = new Stack(app, 'SmallFleet', { env: { account: '123456789012', region: 'us-east-1' } });
    const smallFleet = new CameraFleet(small, 'Cameras');
    smallFleet.grantViewer(new iam.Role(small, 'Watcher', { assumedBy: new iam.AccountRootPrincipal() }));
    for (let i = 0; i < 100; i++) smallFleet.addCamera(`camera-${String(i).padStart(13, '0')}`);
    app.synth();
    Annotations.fromStack(big).hasWarning('/BigFleet/Cameras', Match.stringLikeRegexp(
      'grantViewer\\(BigFleet/Watcher\\) lists the channels \\(and streams\\) of 130 cameras in about \\d+ characters of policy, more than the 10240'));
    Annotations.fromStack(small).hasNoWarning('/SmallFleet/Cameras', Match.anyValue());
  });

  test('a recording camera\'s stream is retained by default; streamRemovalPolicy DESTROY deletes it with the stack', () => {
    const stack = new Stack(new App(), 'RemovalStack');
    const fleet = new CameraFleet(stack, 'Cameras');
    fleet.addCamera('kept', { record: true });
    fleet.addCamera('deleted', { record: true, streamRemovalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KinesisVideo::Stream', { Properties: { Name: 'kept' }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KinesisVideo::Stream', { Properties: { Name: 'deleted' }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('Tags.of(fleet) reaches the role, the role alias, the IoT policy, channels and streams', () => {
    const { stack, fleet } = fleetStack();
    Tags.of(fleet).add('project', 'doorbell');
    const resources = resourcesOf(stack);
    for (const type of ['AWS::IAM::Role', 'AWS::IoT::RoleAlias', 'AWS::IoT::Policy', 'AWS::KinesisVideo::Stream', 'Custom::KinesisVideoSignalingChannel']) {
      for (const [id, resource] of ofType(resources, type).filter(([logicalId]) => logicalId.startsWith('Cameras'))) {
        expect([id, resource.Properties.Tags]).toEqual([id, expect.arrayContaining([{ Key: 'project', Value: 'doorbell' }])]);
      }
    }
  });

  test('grantViewer: every camera\'s channel by name, before and after the grant, in one statement; streams of recording cameras', () => {
    const stack = new Stack(new App(), 'ViewerStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fleet = new CameraFleet(stack, 'Cameras');
    fleet.addCamera('front-door');
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    fleet.grantViewer(app);
    fleet.addCamera('garage', { record: true });

    const [[, policy]] = ofType(resourcesOf(stack), 'AWS::IAM::Policy');
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kinesisvideo:eu-west-1:123456789012:${resource}`]] });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:GetSignalingChannelEndpoint', 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsViewer'],
        Resource: [arn('channel/front-door/*'), arn('channel/garage/*')],
      },
      { Effect: 'Allow', Action: ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'], Resource: arn('stream/garage/*') },
    ]);
  });

  test('grantPlayback: the read actions of a stream on every recording camera\'s stream by name, before and after the grant; no channel', () => {
    const stack = new Stack(new App(), 'PlaybackStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fleet = new CameraFleet(stack, 'Cameras');
    fleet.addCamera('front-door');
    fleet.addCamera('porch', { record: true });
    const player = new iam.Role(stack, 'Player', { assumedBy: new iam.AccountRootPrincipal() });
    fleet.grantPlayback(player);
    fleet.addCamera('garage', { record: true });

    // The same actions as a declared stream's grantRead.
    const stream = fleet.cameras.find(camera => camera.cameraName === 'garage')!.stream!;
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    stream.grantRead(reader);

    const policies = ofType(resourcesOf(stack), 'AWS::IAM::Policy');
    const policy = policies.find(([id]) => id.startsWith('Player'))![1];
    const readerPolicy = policies.find(([id]) => id.startsWith('Reader'))![1];
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kinesisvideo:eu-west-1:123456789012:${resource}`]] });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: [
        'kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:GetMedia', 'kinesisvideo:GetMediaForFragmentList',
        'kinesisvideo:ListFragments', 'kinesisvideo:GetHLSStreamingSessionURL', 'kinesisvideo:GetDASHStreamingSessionURL',
        'kinesisvideo:GetClip', 'kinesisvideo:GetImages',
      ],
      Resource: [arn('stream/porch/*'), arn('stream/garage/*')],
    }]);
    expect(readerPolicy.Properties.PolicyDocument.Statement[0].Action).toEqual(policy.Properties.PolicyDocument.Statement[0].Action);
  });

  test('grantViewer and grantPlayback side by side on one app: live viewing and playback', () => {
    const stack = new Stack(new App(), 'BothStack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const fleet = new CameraFleet(stack, 'Cameras');
    fleet.addCamera('garage', { record: true });
    const phone = new iam.Role(stack, 'Phone', { assumedBy: new iam.AccountRootPrincipal() });
    fleet.grantViewer(phone);
    fleet.grantPlayback(phone);
    const statements = ofType(resourcesOf(stack), 'AWS::IAM::Policy')[0][1].Properties.PolicyDocument.Statement;
    const actions = statements.flatMap((statement: { Action: string | string[] }) => statement.Action);
    expect(actions).toEqual(expect.arrayContaining(['kinesisvideo:ConnectAsViewer', 'kinesisvideo:PutMedia', 'kinesisvideo:GetHLSStreamingSessionURL']));
  });

  test('a playback grant past IAM\'s policy size limit is warned as grantPlayback, naming the grantee', () => {
    const stack = new Stack(new App(), 'BigFleet', { env: { account: '123456789012', region: 'us-east-1' } });
    const fleet = new CameraFleet(stack, 'Cameras', { recording: true });
    fleet.grantPlayback(new iam.Role(stack, 'Player', { assumedBy: new iam.AccountRootPrincipal() }));
    for (let i = 0; i < 130; i++) fleet.addCamera(`camera-${String(i).padStart(13, '0')}`, { record: true });
    Annotations.fromStack(stack).hasWarning('/BigFleet/Cameras', Match.stringLikeRegexp('^grantPlayback\\(BigFleet/Player\\) lists'));
  });

  test('an imported fleet adds cameras in another stack: things, channels, attachments to the named policy', () => {
    const app = new App();
    const home = new Stack(app, 'HomeStack');
    new CameraFleet(home, 'Cameras', { roleAliasName: 'cameras', policyName: 'camera-certificates', recording: true });
    const more = new Stack(app, 'MoreCamerasStack');
    const fleet = CameraFleet.fromCameraFleetAttributes(more, 'Cameras', {
      roleAliasName: 'cameras', policyName: 'camera-certificates', recordingAllowed: true,
    });
    fleet.addCamera('shed', { record: true, certificateArn: CERTIFICATE });

    const resources = resourcesOf(more);
    expect(ofType(resources, 'AWS::IoT::RoleAlias')).toHaveLength(0);
    expect(ofType(resources, 'AWS::IoT::Thing').map(([, r]) => r.Properties.ThingName)).toEqual(['shed']);
    expect(ofType(resources, 'AWS::IoT::PolicyPrincipalAttachment')[0][1].Properties.PolicyName).toBe('camera-certificates');
    expect(fleet.roleAlias).toBe('cameras');
    expect(more.resolve(fleet.roleAliasArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':rolealias/cameras']],
    });
    expect(CameraFleet.fromRoleAliasName(more, 'ByName', 'cameras').roleAlias).toBe('cameras');
  });
});
