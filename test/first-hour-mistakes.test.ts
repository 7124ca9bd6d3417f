/**
 * The mistakes a new user makes in the first hour (issue 24), each refused at synth with the library's own
 * message, naming the construct path and the field or argument, as an aws-cdk-lib `ValidationError` (so the
 * CDK CLI prints the message, a few frames of this library and the construct tree, no minified source); or,
 * for a Chime resource in a stack of unknown region, warned.
 */
import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CameraFleet, SignalingChannel, SignalingOperation, Stream, chime } from '../src';
import { LIBRARY_VALIDATION_ERROR } from '../src/core/errors';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** The error `action` throws: it must be one. */
function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal, got none');
}

/** A refusal of the library: a ValidationError with its code, whose message starts with the path and says `expected`. */
function expectRefusal(action: () => unknown, path: string, expected: string | RegExp): void {
  const error = errorOf(action);
  expect(Errors.isValidationError(error)).toBe(true);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  expect(error.message).toMatch(expected);
  // The stack the CLI prints: the message, this library's frames and the construct tree, never aws-cdk-lib's source.
  expect(error.stack).not.toMatch(/node_modules\/aws-cdk-lib\/.*\.js:\d+/);
}

function channelStack() {
  const stack = new Stack(new App(), 'CameraStack', { env: ENV });
  const channel = new SignalingChannel(stack, 'Doorbell');
  const role = new iam.Role(stack, 'Phone', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, channel, role };
}

describe('metric methods check their operation', () => {
  test.each(['metricFailure', 'metricLatency'] as const)('%s with no operation: "operation is required", naming the channel', method => {
    const { channel } = channelStack();
    expectRefusal(() => (channel[method] as (operation?: unknown) => unknown)(), 'CameraStack/Doorbell',
      `${method}: operation is required: a SignalingOperation, such as SignalingOperation.CONNECT_AS_VIEWER ('ConnectAsViewer')`);
  });

  test.each([
    ['connectAsViewer', 'ConnectAsViewer'],
    ['CONNECT_AS_VIEWER', 'ConnectAsViewer'],
    ['sendsdpoffer', 'SendSdpOffer'],
  ])('a string in the wrong case (%s) is named with the right spelling (%s)', (given, right) => {
    const { channel } = channelStack();
    expectRefusal(() => channel.metricFailure(given as SignalingOperation), 'CameraStack/Doorbell',
      `metricFailure: operation must be one of ${Object.values(SignalingOperation).join(', ')} (got the string '${given}': did you mean '${right}'?`);
  });

  test('an unknown operation lists the allowed ones, with no guess', () => {
    const { channel } = channelStack();
    const error = errorOf(() => channel.metricLatency('Connect' as SignalingOperation));
    expect(error.message).toContain("(got the string 'Connect')");
    expect(error.message).not.toContain('did you mean');
  });

  test('every enum value is accepted, on a declared and an imported channel', () => {
    const { stack, channel } = channelStack();
    const imported = SignalingChannel.fromSignalingChannelName(stack, 'Imported', 'front-door');
    for (const operation of Object.values(SignalingOperation)) {
      expect(channel.metricFailure(operation).dimensions).toEqual({ SignalingChannelName: channel.signalingChannelName, Operation: operation });
      expect(imported.metricLatency(operation).dimensions).toEqual({ SignalingChannelName: 'front-door', Operation: operation });
    }
  });
});

describe('grant checks each action against the Service Authorization Reference', () => {
  test('a missing prefix: "did you mean" with the prefix', () => {
    const { channel, role } = channelStack();
    expectRefusal(() => channel.grant(role, 'ConnectAsViewer'), 'CameraStack/Doorbell',
      "grant: actions[0] 'ConnectAsViewer' has no service prefix, an action is 'kinesisvideo:<action>': did you mean 'kinesisvideo:ConnectAsViewer'?");
  });

  test('a near miss: "did you mean" the action, and the reference\'s page', () => {
    const { channel, role } = channelStack();
    expectRefusal(() => channel.grant(role, 'kinesisvideo:GetIceServerConfig', 'kinesisvideo:ConnectAsViewr'), 'CameraStack/Doorbell',
      /^CameraStack\/Doorbell: grant: actions\[1\] 'kinesisvideo:ConnectAsViewr' is not an action of kinesisvideo: did you mean 'kinesisvideo:ConnectAsViewer'\? \(the actions of kinesisvideo: https:\/\/docs\.aws\.amazon\.com\/service-authorization\/latest\/reference\/list_amazonkinesisvideostreams\.html\)$/);
  });

  test('an action of another service grants nothing on a channel: refused', () => {
    const { channel, role } = channelStack();
    expectRefusal(() => channel.grant(role, 'kms:Decrypt'), 'CameraStack/Doorbell', "'kms:Decrypt' is not an action of kinesisvideo, the service of this resource");
  });

  test('an unrelated name gets no guess; a non-string is named by type', () => {
    const { channel, role } = channelStack();
    expect(errorOf(() => channel.grant(role, 'kinesisvideo:FlyToTheMoon')).message).not.toContain('did you mean');
    expectRefusal(() => channel.grant(role, 42 as unknown as string), 'CameraStack/Doorbell', 'actions[0] must be a string');
  });

  test('real actions pass, in any case (IAM ignores case), and wildcards that match one; tokens are left to IAM', () => {
    const { stack, channel, role } = channelStack();
    expect(() => channel.grant(role, 'kinesisvideo:SendAlexaOfferToMaster', 'kinesisvideo:connectasviewer', 'kinesisvideo:Get*', 'kinesisvideo:*')).not.toThrow();
    expect(() => channel.grant(role, stack.resolve('kinesisvideo:JoinStorageSession') as string)).not.toThrow();
    expect(() => channel.grant(role, 'kinesisvideo:Nothing*')).toThrow("'kinesisvideo:Nothing*' is not an action of kinesisvideo");
  });

  test('on a stream, declared or imported', () => {
    const { stack, role } = channelStack();
    const stream = new Stream(stack, 'Recordings');
    expectRefusal(() => stream.grant(role, 'kinesisvideo:GetMeda'), 'CameraStack/Recordings', "did you mean 'kinesisvideo:GetMedia'?");
    const imported = Stream.fromStreamName(stack, 'Old', 'old');
    expectRefusal(() => imported.grant(role, 'GetClip'), 'CameraStack/Old', "did you mean 'kinesisvideo:GetClip'?");
  });

  test('on a Chime channel: chime actions', () => {
    const stack = new Stack(new App(), 'ChatStack', { env: ENV });
    const appInstance = new chime.AppInstance(stack, 'Chat');
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
    const lobby = new chime.Channel(stack, 'Lobby', { appInstance, bearer: user, channelName: 'lobby' });
    const role = new iam.Role(stack, 'Service', { assumedBy: new iam.AccountRootPrincipal() });
    expectRefusal(() => lobby.grant(role, [user], 'SendChannelMessage'), 'ChatStack/Lobby', "did you mean 'chime:SendChannelMessage'?");
    expectRefusal(() => lobby.grant(role, [user], 'chime:SendChanelMessage'), 'ChatStack/Lobby', "did you mean 'chime:SendChannelMessage'?");
    expect(() => lobby.grant(role, [user], 'chime:PutChannelMembershipPreferences')).not.toThrow();
  });
});

describe('a Chime resource in a stack whose region is unknown', () => {
  const WARNING = Match.stringLikeRegexp(
    '^the region of stack ChatStack is not known at synth.*Amazon Chime SDK messaging is offered only in us-east-1 and eu-central-1.*cdk-kvs-signaling-channel:chimeRegionUnknown');

  test('gets a synth warning on each resource, saying where the service is offered', () => {
    const stack = new Stack(new App(), 'ChatStack');
    const appInstance = new chime.AppInstance(stack, 'Chat');
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
    new chime.Channel(stack, 'Lobby', { appInstance, bearer: user, channelName: 'lobby' });
    const annotations = Annotations.fromStack(stack);
    for (const path of ['/ChatStack/Chat', '/ChatStack/User', '/ChatStack/Lobby']) annotations.hasWarning(path, WARNING);
  });

  test('none where the region is known (and a region without the service is refused, as before)', () => {
    const stack = new Stack(new App(), 'ChatStack', { env: { region: 'eu-central-1' } });
    new chime.AppInstance(stack, 'Chat');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    const elsewhere = new Stack(new App(), 'ChatStack', { env: { region: 'eu-west-1' } });
    expectRefusal(() => new chime.AppInstance(elsewhere, 'Chat'), 'ChatStack/Chat', 'offered only in us-east-1 and eu-central-1');
  });
});

describe('a missing required prop says "required"', () => {
  function chimeBase() {
    const stack = new Stack(new App(), 'ChatStack', { env: ENV });
    const appInstance = new chime.AppInstance(stack, 'Chat');
    const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
    return { stack, appInstance, user };
  }

  test.each([
    ['bearer', 'bearer is required: an IChannelBearer (an AppInstanceUser, or a bot from ChannelBearer.fromAppInstanceBotArn)'],
    ['channelName', 'channelName is required: a string of 1-256 characters'],
    ['appInstance', 'appInstance is required: an IAppInstance (an AppInstance, or an imported one)'],
  ])('chime.Channel without %s', (prop, expected) => {
    const { stack, appInstance, user } = chimeBase();
    const props: Record<string, unknown> = { appInstance, bearer: user, channelName: 'lobby' };
    delete props[prop];
    expectRefusal(() => new chime.Channel(stack, 'Lobby', props as unknown as chime.ChannelProps), 'ChatStack/Lobby', expected);
  });

  test('chime.Channel: the fields of expiration and elasticConfiguration', () => {
    const { stack, appInstance, user } = chimeBase();
    const base = { appInstance, bearer: user, channelName: 'lobby' };
    expectRefusal(() => new chime.Channel(stack, 'A', { ...base, expiration: { expireAfter: Duration.days(1) } } as unknown as chime.ChannelProps),
      'ChatStack/A', 'expiration.criterion is required: a ChannelExpirationCriterion: CREATED_TIMESTAMP, LAST_MESSAGE_TIMESTAMP');
    expectRefusal(() => new chime.Channel(stack, 'B', { ...base, elasticConfiguration: { maximumSubChannels: 2, targetMembershipsPerSubChannel: 2 } } as unknown as chime.ChannelProps),
      'ChatStack/B', 'elasticConfiguration.minimumMembershipPercentage is required: a number');
  });

  test('chime.AppInstanceUser without appInstance or appInstanceUserId', () => {
    const { stack, appInstance } = chimeBase();
    expectRefusal(() => new chime.AppInstanceUser(stack, 'A', { appInstanceUserId: 'a' } as chime.AppInstanceUserProps), 'ChatStack/A', 'appInstance is required');
    expectRefusal(() => new chime.AppInstanceUser(stack, 'B', { appInstance } as unknown as chime.AppInstanceUserProps), 'ChatStack/B',
      'appInstanceUserId is required: a string of 1-64 characters');
  });

  test('mediaStorage without its stream; a camera without a name; a fleet import without its role alias', () => {
    const { stack } = channelStack();
    expectRefusal(() => new SignalingChannel(stack, 'Garage', { mediaStorage: {} as { stream: Stream } }), 'CameraStack/Garage',
      'mediaStorage.stream is required: an IStream');
    const fleet = new CameraFleet(stack, 'Cameras');
    expectRefusal(() => fleet.addCamera(undefined as unknown as string), 'CameraStack/Cameras', 'cameraName is required: a string of 1-128 characters');
    expectRefusal(() => CameraFleet.fromCameraFleetAttributes(stack, 'Same', {} as { roleAliasName: string }), 'CameraStack/Same', 'roleAliasName is required');
  });
});

describe('every refusal is a ValidationError carrying the library\'s code', () => {
  test.each<[string, (stack: Stack) => unknown]>([
    ['a property', stack => new SignalingChannel(stack, 'Bad', { messageTtl: Duration.seconds(1) })],
    ['a duplicate name', stack => {
      new SignalingChannel(stack, 'One', { signalingChannelName: 'same' });
      new SignalingChannel(stack, 'Two', { signalingChannelName: 'same' });
    }],
    ['an import', stack => SignalingChannel.fromSignalingChannelAttributes(stack, 'Nothing', {})],
    ['a stream recorded into twice', stack => {
      const stream = new Stream(stack, 'S');
      new SignalingChannel(stack, 'A', { mediaStorage: { stream } });
      new SignalingChannel(stack, 'B', { mediaStorage: { stream } });
    }],
    ['a camera twice', stack => {
      const fleet = new CameraFleet(stack, 'Cameras');
      fleet.addCamera('door');
      fleet.addCamera('door');
    }],
  ])('%s', (_, action) => {
    const error = errorOf(() => action(new Stack(new App(), 'CameraStack', { env: ENV })));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/^CameraStack\//);
    expect(error.name).toBe(LIBRARY_VALIDATION_ERROR);
    expect(String(error.stack)).toContain(`«${LIBRARY_VALIDATION_ERROR}»`);
  });
});
