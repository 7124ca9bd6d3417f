/**
 * WebRTC ingestion on the channel (`mediaStorage`): the property the handler reads, the synth-time rules,
 * the provider role's extra rights, and the grants a recording master and viewer need.
 */
import { App, CfnParameter, Duration, Errors, Stack, ValidationError } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SignalingChannel, Stream, ThingChannelGrants } from '../src';
import { ChannelProperty, SIGNALING_CHANNEL_RESOURCE_TYPE } from '../src/handler-shared/handler-contract';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(env: { account: string; region: string } | undefined = ENV): Stack {
  return new Stack(new App(), 'DoorbellStack', { env });
}

function channelProperties(stack: Stack): Array<Record<string, unknown>> {
  return Object.values(Template.fromStack(stack).findResources(SIGNALING_CHANNEL_RESOURCE_TYPE)).map(r => r.Properties);
}

function providerStatements(stack: Stack): Array<{ Sid: string; Action: string | string[]; Resource: unknown }> {
  const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))
    .flatMap(role => role.Properties.Policies ?? [])
    .filter((policy: { PolicyName: string }) => policy.PolicyName === 'KinesisVideoSignalingChannels');
  return roles[0].PolicyDocument.Statement;
}

/** The statements of the policy attached to `role`. */
function statementsOf(stack: Stack, role: iam.Role): Array<{ Action: string | string[]; Resource: unknown }> {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter(policy => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

function actionsOn(statements: Array<{ Action: string | string[]; Resource: unknown }>, resource: unknown): string[] {
  return statements
    .filter(statement => JSON.stringify(statement.Resource) === JSON.stringify(resource))
    .flatMap(statement => ([] as string[]).concat(statement.Action))
    .sort();
}

describe('mediaStorage', () => {
  test('writes the stream\'s ARN token for the handler, and exposes the stream', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Recordings');
    const channel = new SignalingChannel(stack, 'Doorbell', { mediaStorage: { stream } });

    expect(channel.mediaStorageStream).toBe(stream);
    expect(channelProperties(stack)[0][ChannelProperty.MEDIA_STORAGE_STREAM_ARN])
      .toEqual(stack.resolve(stream.streamArn));
    // A token, not a copy: a replaced stream's new ARN reaches the channel as an Update.
    expect(stack.resolve(stream.streamArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Recordings/), 'Arn'] });
  });

  test('a channel without it writes no media storage property', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell');
    expect(channelProperties(stack)[0]).not.toHaveProperty(ChannelProperty.MEDIA_STORAGE_STREAM_ARN);
  });

  test('a stream that keeps no data is refused at synth, naming the channel, the stream and what is allowed', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Live', { dataRetention: Duration.hours(0) });
    expect(() => new SignalingChannel(stack, 'Doorbell', { mediaStorage: { stream } })).toThrow(
      'DoorbellStack/Doorbell: invalid signaling channel properties:\n  mediaStorage.stream DoorbellStack/Live keeps no data ' +
      '(dataRetention 0 hours): a channel records only into a stream with a data retention period (at least 1 hour)');
  });

  test('an imported stream (retention unknown) and a retention from a parameter are left to the deploy-time check', () => {
    const stack = newStack();
    const hours = new CfnParameter(stack, 'Hours', { type: 'Number' });
    const fromParameter = new Stream(stack, 'Parameterized', { dataRetention: Duration.hours(hours.valueAsNumber) });
    const imported = Stream.fromStreamArn(stack, 'Imported', 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/porch/1700000000000');
    new SignalingChannel(stack, 'One', { mediaStorage: { stream: fromParameter } });
    new SignalingChannel(stack, 'Two', { mediaStorage: { stream: imported } });
    expect(channelProperties(stack).map(p => p[ChannelProperty.MEDIA_STORAGE_STREAM_ARN])).toContain(imported.streamArn);
  });

  test.each(['cn-north-1', 'cn-northwest-1'])('is refused in the China region %s', region => {
    const stack = newStack({ account: '123456789012', region });
    const stream = new Stream(stack, 'Recordings');
    expect(() => new SignalingChannel(stack, 'Doorbell', { mediaStorage: { stream } })).toThrow(
      `DoorbellStack/Doorbell: invalid signaling channel properties:\n  mediaStorage is not available in the China regions (the stack's region is '${region}')`);
  });

  test('a channel that does not record is fine in China, and a region-agnostic stack is not refused', () => {
    const china = newStack({ account: '123456789012', region: 'cn-north-1' });
    expect(() => new SignalingChannel(china, 'Doorbell')).not.toThrow();
    const agnostic = newStack(undefined);
    expect(() => new SignalingChannel(agnostic, 'Doorbell', { mediaStorage: { stream: new Stream(agnostic, 'Recordings') } })).not.toThrow();
  });

  test('more than 100 recording channels in one stack: a warning on the provider, none at 100', () => {
    const build = (count: number) => {
      const stack = newStack();
      for (let i = 0; i < count; i++) {
        new SignalingChannel(stack, `Camera${i}`, { mediaStorage: { stream: new Stream(stack, `Stream${i}`) } });
      }
      return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('record into a stream'));
    };
    expect(build(100)).toHaveLength(0);
    const warnings = build(101);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toEqual('/DoorbellStack/KinesisVideoSignalingChannelProvider');
    expect(String(warnings[0].entry.data)).toContain('101 signaling channels of this stack record into a stream (mediaStorage), more than the 100');
  });
});

describe('one stream, one channel', () => {
  test('a second channel recording into a stream another channel of the stack records into is refused, naming both', () => {
    const stack = newStack();
    const stream = new Stream(stack, 'Recordings');
    new SignalingChannel(stack, 'Front', { mediaStorage: { stream } });
    expect(() => new SignalingChannel(stack, 'Back', { mediaStorage: { stream } })).toThrow(
      'DoorbellStack/Back: mediaStorage.stream DoorbellStack/Recordings is the stream DoorbellStack/Front already records into; ' +
      'the service maps a stream to one signaling channel: give each channel its own stream');
  });

  test('the same stream imported twice by its ARN is the same stream', () => {
    const stack = newStack();
    const arn = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/recordings/1700000000001';
    new SignalingChannel(stack, 'Front', { mediaStorage: { stream: Stream.fromStreamArn(stack, 'One', arn) } });
    expect(() => new SignalingChannel(stack, 'Back', { mediaStorage: { stream: Stream.fromStreamArn(stack, 'Two', arn) } }))
      .toThrow(/DoorbellStack\/Back: mediaStorage.stream DoorbellStack\/Two is the stream DoorbellStack\/Front already records into/);
  });
});

describe('mistakes that would fail at deploy, or never show, refused at synth', () => {
  test('a stream in another region or account than the channel is refused, naming both and the rule', () => {
    const stack = newStack();
    const otherRegion = Stream.fromStreamArn(stack, 'Elsewhere', 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam/1700000000000');
    expect(() => new SignalingChannel(stack, 'Front', { mediaStorage: { stream: otherRegion } })).toThrow(
      'mediaStorage.stream DoorbellStack/Elsewhere is in account 123456789012, region eu-west-1, not in account 123456789012, ' +
      'region us-east-1 of DoorbellStack/Front: a channel records only into a stream of its own account and region');

    const otherAccount = Stream.fromStreamArn(stack, 'Theirs', 'arn:aws:kinesisvideo:us-east-1:210987654321:stream/cam/1700000000000');
    expect(() => new SignalingChannel(stack, 'Back', { mediaStorage: { stream: otherAccount } }))
      .toThrow(/mediaStorage.stream DoorbellStack\/Theirs is in account 210987654321, region us-east-1, not in account 123456789012/);

    const app = new App();
    const streams = new Stack(app, 'Streams', { env: { account: '123456789012', region: 'eu-west-1' } });
    const channels = new Stack(app, 'Channels', { env: ENV });
    const stream = new Stream(streams, 'Recordings');
    expect(() => new SignalingChannel(channels, 'Front', { mediaStorage: { stream } })).toThrow(/Streams\/Recordings is in account 123456789012, region eu-west-1/);
  });

  test('a stream imported by name records nothing: its ARN is needed, and the error is a short validation error naming the channel and the import', () => {
    const stack = newStack();
    let refusal: unknown;
    try {
      new SignalingChannel(stack, 'Front', { mediaStorage: { stream: Stream.fromStreamName(stack, 'ByName', 'recordings') } });
    } catch (error) {
      refusal = error;
    }
    // aws-cdk-lib's ValidationError (the CLI prints it short, with the construct tree), thrown at the channel.
    expect(Errors.isValidationError(refusal)).toBe(true);
    expect((refusal as ValidationError).constructPath).toBe('DoorbellStack/Front');
    expect((refusal as Error).message).toMatch(
      /^DoorbellStack\/Front: invalid signaling channel properties:\n {2}mediaStorage.stream DoorbellStack\/ByName was imported by name, and a stream imported by name has no ARN .*: import it with fromStreamArn or fromStreamAttributes$/);
  });

  test('from JavaScript: the stream itself as mediaStorage, a number for messageTtl, the old channelName', () => {
    const stream = new Stream(newStack(), 'Recordings');
    const header = 'DoorbellStack/Front: invalid signaling channel properties:\n  ';
    expect(() => new SignalingChannel(newStack(), 'Front', { mediaStorage: stream as any }))
      .toThrow(`${header}mediaStorage must be { stream }, the stream wrapped in an object (got the stream itself: write mediaStorage: { stream })`);
    expect(() => new SignalingChannel(newStack(), 'Front', { mediaStorage: { stream: 'recordings' } as any }))
      .toThrow(`${header}mediaStorage.stream must be an IStream (a Stream, or an imported one) (got the string 'recordings', which has no streamArn, grantWrite)`);
    expect(() => new SignalingChannel(newStack(), 'Front', { messageTtl: 30 as any }))
      .toThrow(`${header}messageTtl must be a Duration, such as Duration.seconds(30) (got the number 30)`);
    expect(() => new SignalingChannel(newStack(), 'Front', { channelName: 'front-door' } as any))
      .toThrow(`${header}channelName is now signalingChannelName (the attribute's name, as in aws-cdk-lib): rename it`);
  });
});

describe('the provider role with recording channels', () => {
  test('no recording channel: exactly the statements it always had', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Doorbell');
    new Stream(stack, 'Unused');
    expect(providerStatements(stack).map(s => s.Sid)).toEqual(['ManageSignalingChannels', 'ManageThisStacksChannels', 'WriteHandlerLogs']);
    expect(providerStatements(stack)[0].Action).not.toContain('kinesisvideo:UpdateMediaStorageConfiguration');
  });

  test('UpdateMediaStorageConfiguration on the channels; DescribeMappedResourceConfiguration on each stream used', () => {
    const stack = newStack();
    const one = new Stream(stack, 'One');
    const two = new Stream(stack, 'Two');
    new SignalingChannel(stack, 'A', { mediaStorage: { stream: one } });
    new SignalingChannel(stack, 'B', { signalingChannelName: 'porch', mediaStorage: { stream: two } });
    new SignalingChannel(stack, 'C');
    new Stream(stack, 'NotRecorded');

    const statements = providerStatements(stack);
    // On the channels of the statement that manages them: the channel ARNs are listed once.
    expect(statements.map(s => s.Sid)).toEqual(['ManageSignalingChannels', 'ManageThisStacksChannels', 'FindStreamChannels', 'WriteHandlerLogs']);
    expect(statements[0].Action).toContain('kinesisvideo:UpdateMediaStorageConfiguration');
    const find = statements.find(s => s.Sid === 'FindStreamChannels')!;
    expect(find.Action).toEqual('kinesisvideo:DescribeMappedResourceConfiguration');
    expect(find.Resource).toEqual([stack.resolve(one.streamArn), stack.resolve(two.streamArn)]);
  });
});

describe('grants on a recording channel', () => {
  const MASTER = [
    'kinesisvideo:ConnectAsMaster',
    'kinesisvideo:DescribeSignalingChannel',
    'kinesisvideo:GetIceServerConfig',
    'kinesisvideo:GetSignalingChannelEndpoint',
  ];
  const VIEWER = MASTER.map(action => action.replace('Master', 'Viewer')).sort();
  const STREAM_WRITE = ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'];

  function recording(encryptionKey?: boolean) {
    const stack = newStack();
    const stream = new Stream(stack, 'Recordings', { encryptionKey: encryptionKey ? new kms.Key(stack, 'Key') : undefined });
    const channel = new SignalingChannel(stack, 'Doorbell', { mediaStorage: { stream } });
    const role = new iam.Role(stack, 'Peer', { assumedBy: new iam.AccountRootPrincipal() });
    return { stack, stream, channel, role };
  }

  test('grantConnectAsMaster: JoinStorageSession and DescribeMediaStorageConfiguration on the channel, PutMedia on the stream', () => {
    const { stack, stream, channel, role } = recording();
    channel.grantConnectAsMaster(role);
    const statements = statementsOf(stack, role);
    expect(actionsOn(statements, stack.resolve(channel.signalingChannelArn))).toEqual(
      [...MASTER, 'kinesisvideo:DescribeMediaStorageConfiguration', 'kinesisvideo:JoinStorageSession'].sort());
    expect(actionsOn(statements, stack.resolve(stream.streamArn))).toEqual(STREAM_WRITE);
  });

  test('grantConnectAsViewer: the viewer actions, and DescribeStream, GetDataEndpoint, PutMedia on the stream; no preview action', () => {
    const { stack, stream, channel, role } = recording();
    channel.grantConnectAsViewer(role);
    const statements = statementsOf(stack, role);
    expect(actionsOn(statements, stack.resolve(channel.signalingChannelArn))).toEqual(VIEWER);
    expect(actionsOn(statements, stack.resolve(stream.streamArn))).toEqual(STREAM_WRITE);
    expect(JSON.stringify(statements)).not.toContain('JoinStorageSessionAsViewer');
  });

  test('an encrypted stream: the master may generate data keys with its key', () => {
    const { stack, stream, channel, role } = recording(true);
    channel.grantConnectAsMaster(role);
    expect(actionsOn(statementsOf(stack, role), stack.resolve(stream.encryptionKey!.keyArn))).toEqual(['kms:GenerateDataKey']);
  });

  test('a channel that does not record grants nothing on streams', () => {
    const stack = newStack();
    const channel = new SignalingChannel(stack, 'Doorbell');
    const role = new iam.Role(stack, 'Peer', { assumedBy: new iam.AccountRootPrincipal() });
    channel.grantConnectAsMaster(role);
    expect(actionsOn(statementsOf(stack, role), stack.resolve(channel.signalingChannelArn))).toEqual(MASTER);
    expect(JSON.stringify(statementsOf(stack, role))).not.toMatch(/PutMedia|JoinStorageSession|stream/);
  });

  test('an imported channel given its mediaStorage grants the same', () => {
    const stack = newStack();
    const stream = Stream.fromStreamArn(stack, 'Recordings', 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/porch/1700000000000');
    const channel = SignalingChannel.fromSignalingChannelAttributes(stack, 'Doorbell', {
      signalingChannelArn: 'arn:aws:kinesisvideo:us-east-1:123456789012:channel/porch/1700000000000',
      mediaStorage: { stream },
    });
    const role = new iam.Role(stack, 'Peer', { assumedBy: new iam.AccountRootPrincipal() });
    channel.grantConnectAsMaster(role);
    const statements = statementsOf(stack, role);
    expect(channel.mediaStorageStream).toBe(stream);
    expect(actionsOn(statements, channel.signalingChannelArn)).toContain('kinesisvideo:JoinStorageSession');
    expect(actionsOn(statements, stream.streamArn)).toEqual(STREAM_WRITE);
  });
});

describe('IoT thing grants with recordsIntoThingStream', () => {
  const THING_STREAM = ':kinesisvideo:eu-west-1:123456789012:stream/${credentials-iot:ThingName}/*';

  test.each([
    ['master', ThingChannelGrants.grantConnectAsMaster, ['kinesisvideo:DescribeMediaStorageConfiguration', 'kinesisvideo:JoinStorageSession']] as const,
    ['viewer', ThingChannelGrants.grantConnectAsViewer, []] as const,
  ])('%s: the recording actions on the thing\'s channel and PutMedia on the stream named after the thing', (_, grant, channelExtras) => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    const role = new iam.Role(stack, 'CameraRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    grant(role, { recordsIntoThingStream: true });
    const statements = statementsOf(stack, role);
    const streamStatement = statements.find(s => JSON.stringify(s.Resource).includes(THING_STREAM));
    expect(streamStatement?.Action).toEqual(['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia']);
    const channelStatement = statements.find(s => JSON.stringify(s.Resource).includes(':channel/${credentials-iot:ThingName}/*'))!;
    for (const action of channelExtras) expect(channelStatement.Action).toContain(action);
    expect(channelStatement.Action).not.toContain('kinesisvideo:PutMedia');
  });

  test('without it, nothing on streams', () => {
    const stack = newStack({ account: '123456789012', region: 'eu-west-1' });
    const role = new iam.Role(stack, 'CameraRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    ThingChannelGrants.grantConnectAsMaster(role);
    expect(JSON.stringify(statementsOf(stack, role))).not.toMatch(/stream\/|JoinStorageSession/);
  });
});
