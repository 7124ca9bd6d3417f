import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import { chime } from '../../src';
import { ID_PATTERN } from '../../src/chime/chime-rules';

const ACCOUNT = '123456789012';
const APP_INSTANCE_ARN = `arn:aws:chime:us-east-1:${ACCOUNT}:app-instance/aaaa`;
const OTHER_APP_INSTANCE_ARN = `arn:aws:chime:us-east-1:${ACCOUNT}:app-instance/bbbb`;

function newStack(region: string | undefined = 'us-east-1'): Stack {
  return new Stack(new App(), 'ChatStack', { env: { account: ACCOUNT, region } });
}

function base(stack = newStack()) {
  const appInstance = new chime.AppInstance(stack, 'Chat');
  const user = new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1' });
  return { stack, appInstance, user };
}

function channel(props: Partial<chime.ChannelProps> | Record<string, unknown>, stack = newStack()) {
  const { appInstance, user } = base(stack);
  return () => new chime.Channel(stack, 'Channel', { appInstance, bearer: user, channelName: 'general', ...props } as chime.ChannelProps);
}

const invalid = (noun: string, path: string, ...problems: string[]) => `${path}: invalid ${noun} properties:\n  ${problems.join('\n  ')}`;

describe('ids unique in their app instance', () => {
  test('a second user with the same id in one app instance is refused, naming both; in another app instance it is fine', () => {
    const { stack, appInstance } = base();
    expect(() => new chime.AppInstanceUser(stack, 'Again', { appInstance, appInstanceUserId: 'u1' })).toThrow(
      "ChatStack/Again: appInstanceUserId 'u1' is already that of ChatStack/User in app instance ChatStack/Chat; it is unique there: choose another");
    const other = new chime.AppInstance(stack, 'Other');
    expect(() => new chime.AppInstanceUser(stack, 'Elsewhere', { appInstance: other, appInstanceUserId: 'u1' })).not.toThrow();
  });

  test('a second channel with the same channelId in one app instance is refused, and leaving it out is suggested', () => {
    const { stack, appInstance, user } = base();
    new chime.Channel(stack, 'Lobby', { appInstance, bearer: user, channelName: 'lobby', channelId: 'lobby' });
    expect(() => new chime.Channel(stack, 'Hall', { appInstance, bearer: user, channelName: 'hall', channelId: 'lobby' })).toThrow(
      "ChatStack/Hall: channelId 'lobby' is already that of ChatStack/Lobby in app instance ChatStack/Chat; it is unique there: " +
      'choose another name, or leave channelId out to have one generated');
  });
});

describe('Channel rules', () => {
  test.each([
    ['an empty name', { channelName: '' }, "channelName must be 1-256 characters, without control characters other than tab and newlines (got '')"],
    ['a name of 257 characters', { channelName: 'x'.repeat(257) }, 'channelName must be 1-256 characters'],
    ['a name with a control character', { channelName: 'a\u0001b' }, 'channelName must be 1-256 characters'],
    ['an id that ends with a dash', { channelId: 'lobby-' }, "channelId must be 1-64 characters of A-Z, a-z, 0-9 and : - _ . @, starting and ending with a letter or digit (got 'lobby-')"],
    ['an id of 65 characters', { channelId: 'a'.repeat(65) }, 'channelId must be 1-64 characters'],
    ['metadata over 1 KB in UTF-8', { metadata: 'é'.repeat(513) }, 'metadata must be at most 1024 bytes in UTF-8 (got 1026 bytes)'],
    ['a mode that is not one', { mode: 'OPEN' }, "mode must be one of UNRESTRICTED, RESTRICTED (got the string 'OPEN')"],
    ['a privacy that is not one', { privacy: 'SECRET' }, "privacy must be one of PUBLIC, PRIVATE (got the string 'SECRET')"],
    ['expiration of 0 days', { expiration: { expireAfter: Duration.hours(0), criterion: chime.ChannelExpirationCriterion.CREATED_TIMESTAMP } },
      'expiration.expireAfter must be a whole number of days from 1 to 5475 (15 years) (got 0 days)'],
    ['expiration over 15 years', { expiration: { expireAfter: Duration.days(5476), criterion: chime.ChannelExpirationCriterion.CREATED_TIMESTAMP } },
      'expiration.expireAfter must be a whole number of days from 1 to 5475'],
    ['expiration in part of a day', { expiration: { expireAfter: Duration.hours(36), criterion: chime.ChannelExpirationCriterion.CREATED_TIMESTAMP } },
      'expiration.expireAfter must be a whole number of days from 1 to 5475 (15 years) (got 1.5 days)'],
    ['an expiration criterion that is not one', { expiration: { expireAfter: Duration.days(1), criterion: 'NEVER' } },
      "expiration.criterion must be one of CREATED_TIMESTAMP, LAST_MESSAGE_TIMESTAMP (got the string 'NEVER')"],
    ['a channelName that is a number (JavaScript)', { channelName: 42 }, 'channelName must be a string (got the number 42)'],
    ['a bearer that is not one (JavaScript)', { bearer: 'arn:aws:chime:...' }, 'bearer must be an IChannelBearer'],
    ['members that are not a list (JavaScript)', { members: 'alice' }, "members must be an array of IChannelBearer (got the string 'alice')"],
    ['an elastic size that is not a number (JavaScript)',
      { mode: chime.ChannelMode.RESTRICTED, elasticConfiguration: { maximumSubChannels: '10', targetMembershipsPerSubChannel: 2, minimumMembershipPercentage: 1 } },
      "elasticConfiguration.maximumSubChannels must be a number (got the string '10')"],
  ])('%s is refused', (_, props, message) => {
    expect(channel(props)).toThrow(message);
  });

  test('every problem is reported in one error naming the construct', () => {
    expect(channel({ channelName: '', channelId: '-', metadata: 'x'.repeat(1025) })).toThrow(invalid('Chime channel', 'ChatStack/Channel',
      "channelName must be 1-256 characters, without control characters other than tab and newlines (got '')",
      "channelId must be 1-64 characters of A-Z, a-z, 0-9 and : - _ . @, starting and ending with a letter or digit (got '-')",
      'metadata must be at most 1024 bytes in UTF-8 (got 1025 bytes)'));
  });

  test('at most 10 members and 10 moderators at creation', () => {
    const stack = newStack();
    const { appInstance, user } = base(stack);
    const users = Array.from({ length: 11 }, (_, i) => new chime.AppInstanceUser(stack, `U${i}`, { appInstance, appInstanceUserId: `user${i}` }));
    expect(() => new chime.Channel(stack, 'Ten', { appInstance, bearer: user, channelName: 'ten', members: users.slice(0, 10), moderators: users.slice(1) }))
      .not.toThrow();
    expect(() => new chime.Channel(stack, 'Eleven', { appInstance, bearer: user, channelName: 'x', members: users, moderators: users })).toThrow(invalid(
      'Chime channel', 'ChatStack/Eleven',
      'members can name at most 10 at creation (got 11): add the others with CreateChannelMembership once the channel exists',
      'moderators can name at most 10 at creation (got 11): add the others with CreateChannelMembership once the channel exists'));
  });

  describe('elastic channels', () => {
    const elasticConfiguration = { maximumSubChannels: 2, targetMembershipsPerSubChannel: 2, minimumMembershipPercentage: 1 };

    test('the smallest configuration is accepted', () => {
      expect(channel({ elasticConfiguration })).not.toThrow();
    });

    test.each([
      ['maximumSubChannels', { ...elasticConfiguration, maximumSubChannels: 1 }, 'elasticConfiguration.maximumSubChannels must be a whole number of at least 2 (got 1)'],
      ['targetMembershipsPerSubChannel', { ...elasticConfiguration, targetMembershipsPerSubChannel: 2.5 },
        'elasticConfiguration.targetMembershipsPerSubChannel must be a whole number of at least 2 (got 2.5)'],
      ['minimumMembershipPercentage over 40', { ...elasticConfiguration, minimumMembershipPercentage: 41 },
        'elasticConfiguration.minimumMembershipPercentage must be a whole number from 1 to 40 (got 41)'],
      ['minimumMembershipPercentage 0', { ...elasticConfiguration, minimumMembershipPercentage: 0 },
        'elasticConfiguration.minimumMembershipPercentage must be a whole number from 1 to 40 (got 0)'],
    ])('%s out of range is refused', (_, config, message) => {
      expect(channel({ elasticConfiguration: config })).toThrow(message);
    });

    test('UNRESTRICTED is refused', () => {
      expect(channel({ elasticConfiguration, mode: chime.ChannelMode.UNRESTRICTED }))
        .toThrow('mode UNRESTRICTED is refused for an elastic channel (elasticConfiguration is given): elastic channels are RESTRICTED');
    });

    test('members are refused, moderators accepted', () => {
      const stack = newStack();
      const { appInstance, user } = base(stack);
      const alice = new chime.AppInstanceUser(stack, 'Alice', { appInstance, appInstanceUserId: 'alice' });
      expect(() => new chime.Channel(stack, 'Mods', { appInstance, bearer: user, channelName: 'x', elasticConfiguration, moderators: [alice] })).not.toThrow();
      expect(() => new chime.Channel(stack, 'Members', { appInstance, bearer: user, channelName: 'x', elasticConfiguration, members: [alice] }))
        .toThrow('members cannot be given for an elastic channel (got 1): add members once it exists; moderators may be given');
    });

    test('only in us-east-1; not checked when the region is unknown', () => {
      expect(channel({ elasticConfiguration }, newStack('eu-central-1')))
        .toThrow("elasticConfiguration: elastic channels are offered only in us-east-1 (the stack's region is 'eu-central-1')");
      expect(channel({ elasticConfiguration }, new Stack(new App(), 'Agnostic'))).not.toThrow();
    });
  });

  describe('regions', () => {
    test.each(['us-east-1', 'eu-central-1'])('%s offers messaging', region => {
      expect(channel({}, newStack(region))).not.toThrow();
    });

    test.each([
      ['AppInstance', (stack: Stack) => new chime.AppInstance(stack, 'X')],
      ['AppInstanceUser', (stack: Stack) => new chime.AppInstanceUser(stack, 'X', {
        appInstance: chime.AppInstance.fromAppInstanceArn(stack, 'I', 'arn:aws:chime:us-west-2:123456789012:app-instance/a'), appInstanceUserId: 'u',
      })],
      ['Channel', (stack: Stack) => new chime.Channel(stack, 'X', {
        appInstance: chime.AppInstance.fromAppInstanceArn(stack, 'I', 'arn:aws:chime:us-west-2:123456789012:app-instance/a'),
        bearer: chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'U', 'arn:aws:chime:us-west-2:123456789012:app-instance/a/user/u'),
        channelName: 'x',
      })],
    ])('a %s in us-west-2 is refused; an environment-agnostic stack is not checked', (_, declare) => {
      expect(() => declare(newStack('us-west-2'))).toThrow(
        'ChatStack/X: invalid Chime app instance'.slice(0, 0) + "Amazon Chime SDK messaging is offered only in us-east-1 and eu-central-1 (the stack's region is 'us-west-2')");
      expect(() => declare(new Stack(new App(), 'Agnostic'))).not.toThrow();
    });

    test('an app instance of another region is refused', () => {
      const stack = newStack();
      const appInstance = chime.AppInstance.fromAppInstanceArn(stack, 'Frankfurt', 'arn:aws:chime:eu-central-1:123456789012:app-instance/a');
      expect(() => new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u' })).toThrow(
        'appInstance ChatStack/Frankfurt is in account 123456789012, region eu-central-1, not in account 123456789012, region us-east-1 of ' +
        'ChatStack/User: a user belongs to an app instance of its own account and region');
    });
  });

  describe('the bearer, members and moderators belong to the channel\'s app instance', () => {
    test('two declared app instances: refused, naming both', () => {
      const stack = newStack();
      const { appInstance, user } = base(stack);
      const other = new chime.AppInstance(stack, 'Other');
      expect(() => new chime.Channel(stack, 'Channel', { appInstance: other, bearer: user, channelName: 'x' })).toThrow(
        'bearer ChatStack/User belongs to app instance ChatStack/Chat, not to the channel\'s app instance ChatStack/Other: ' +
        'a channel\'s users and bots are those of its app instance');
      expect(appInstance).toBeDefined();
    });

    test('imports with known ARNs: refused, naming both ARNs; members and moderators too', () => {
      const stack = newStack();
      const appInstance = chime.AppInstance.fromAppInstanceArn(stack, 'Chat', APP_INSTANCE_ARN);
      const bot = chime.ChannelBearer.fromAppInstanceBotArn(stack, 'Bot', `${OTHER_APP_INSTANCE_ARN}/bot/b`);
      const stranger = chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'Stranger', `${OTHER_APP_INSTANCE_ARN}/user/s`);
      const friend = chime.AppInstanceUser.fromAppInstanceUserArn(stack, 'Friend', `${APP_INSTANCE_ARN}/user/f`);
      expect(() => new chime.Channel(stack, 'Channel', { appInstance, bearer: bot, channelName: 'x', members: [friend, stranger], moderators: [stranger] }))
        .toThrow(invalid('Chime channel', 'ChatStack/Channel',
          `bearer ChatStack/Bot belongs to app instance ChatStack/Bot/AppInstance (${OTHER_APP_INSTANCE_ARN}), not to the channel's app instance ` +
          `ChatStack/Chat (${APP_INSTANCE_ARN}): a channel's users and bots are those of its app instance`,
          `members[1] ChatStack/Stranger belongs to app instance ChatStack/Stranger/AppInstance (${OTHER_APP_INSTANCE_ARN}), not to the channel's ` +
          `app instance ChatStack/Chat (${APP_INSTANCE_ARN}): a channel's users and bots are those of its app instance`,
          `moderators[0] ChatStack/Stranger belongs to app instance ChatStack/Stranger/AppInstance (${OTHER_APP_INSTANCE_ARN}), not to the channel's ` +
          `app instance ChatStack/Chat (${APP_INSTANCE_ARN}): a channel's users and bots are those of its app instance`));
    });

    test('a declared app instance and an imported bearer cannot be compared: accepted', () => {
      const stack = newStack();
      const { appInstance } = base(stack);
      const bot = chime.ChannelBearer.fromAppInstanceBotArn(stack, 'Bot', `${OTHER_APP_INSTANCE_ARN}/bot/b`);
      expect(() => new chime.Channel(stack, 'Channel', { appInstance, bearer: bot, channelName: 'x' })).not.toThrow();
    });
  });
});

describe('AppInstance rules', () => {
  test.each([
    [{ appInstanceName: '' }, "appInstanceName must be 1-256 characters, without control characters other than tab and newlines (got '')"],
    [{ appInstanceName: 'x'.repeat(257) }, 'appInstanceName must be 1-256 characters'],
    [{ metadata: 'x'.repeat(1025) }, 'metadata must be at most 1024 bytes in UTF-8 (got 1025 bytes)'],
    [{ metadata: 7 }, 'metadata must be a string (got the number 7)'],
  ])('%j is refused', (props, message) => {
    expect(() => new chime.AppInstance(newStack(), 'Chat', props as chime.AppInstanceProps)).toThrow(message);
  });

  test('a name of 256 characters and 1 KB of metadata are accepted', () => {
    expect(() => new chime.AppInstance(newStack(), 'Chat', { appInstanceName: 'x'.repeat(256), metadata: 'x'.repeat(1024) })).not.toThrow();
  });
});

describe('AppInstanceUser rules', () => {
  const user = (props: Record<string, unknown>) => () => {
    const stack = newStack();
    const appInstance = new chime.AppInstance(stack, 'Chat');
    return new chime.AppInstanceUser(stack, 'User', { appInstance, appInstanceUserId: 'u1', ...props } as chime.AppInstanceUserProps);
  };

  test.each([
    [{ appInstanceUserId: 'bad id' }, "appInstanceUserId must be 1-64 characters of A-Z, a-z, 0-9 and : - _ . @, starting and ending with a letter or digit (got 'bad id')"],
    [{ appInstanceUserId: undefined }, 'appInstanceUserId is required'],
    [{ appInstanceUserName: '   ' }, "appInstanceUserName must be 1-100 characters, not all blank, without control characters other than tab and newlines (got '   ')"],
    [{ appInstanceUserName: 'x'.repeat(101) }, 'appInstanceUserName must be 1-100 characters'],
    [{ metadata: 'x'.repeat(1025) }, 'metadata must be at most 1024 bytes in UTF-8 (got 1025 bytes)'],
    [{ expireAfter: Duration.days(0) }, 'expireAfter must be a whole number of days from 1 to 5475 (15 years) (got 0 days)'],
    [{ expireAfter: Duration.days(5476) }, 'expireAfter must be a whole number of days from 1 to 5475'],
    [{ expireAfter: 30 }, 'expireAfter must be a Duration, such as Duration.days(365) (got the number 30)'],
    [{ appInstance: 'arn:aws:chime:us-east-1:123456789012:app-instance/a' }, 'appInstance must be an IAppInstance'],
  ])('%j is refused', (props, message) => {
    expect(user(props)).toThrow(message);
  });

  test('the longest id and name, and 15 years, are accepted', () => {
    expect(user({ appInstanceUserId: `a${'-'.repeat(62)}z`, appInstanceUserName: 'x'.repeat(100), expireAfter: Duration.days(5475) })).not.toThrow();
  });

  test('property: ids the pattern allows are accepted, and only those', () => {
    const idCharacter = fc.constantFrom(...'Aa09:-_.@ /#é'.split(''));
    fc.assert(fc.property(fc.array(idCharacter, { minLength: 1, maxLength: 70 }).map(chars => chars.join('')), id => {
      const allowed = id.length <= 64 && /^[A-Za-z0-9]([A-Za-z0-9:\-_.@]*[A-Za-z0-9])?$/.test(id);
      expect(ID_PATTERN.test(id)).toBe(allowed);
      if (allowed) expect(user({ appInstanceUserId: id })).not.toThrow();
      else expect(user({ appInstanceUserId: id })).toThrow('appInstanceUserId must be 1-64 characters');
    }), { numRuns: 60 });
  });
});

describe('grants', () => {
  function granted() {
    const stack = newStack();
    const { appInstance, user } = base(stack);
    const alice = new chime.AppInstanceUser(stack, 'Alice', { appInstance, appInstanceUserId: 'alice' });
    const lobby = new chime.Channel(stack, 'Lobby', { appInstance, bearer: user, channelName: 'lobby' });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    return { stack, appInstance, user, alice, lobby, role };
  }
  const statementOf = (stack: Stack, grant: iam.Grant) => stack.resolve(grant.principalStatements[0].toStatementJson());
  const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(construct.node.defaultChild as any) });
  const arn = (stack: Stack, lobby: chime.Channel) => ({ 'Fn::GetAtt': [stack.getLogicalId(lobby.node.defaultChild as any), 'Arn'] });

  test.each([
    ['grantSendMessages', ['chime:SendChannelMessage']],
    ['grantRead', ['chime:DescribeChannel', 'chime:GetChannelMessage', 'chime:ListChannelMessages']],
    ['grantModerate', [
      'chime:BatchCreateChannelMembership', 'chime:CreateChannelBan', 'chime:CreateChannelMembership', 'chime:CreateChannelModerator',
      'chime:DeleteChannelBan', 'chime:DeleteChannelMembership', 'chime:DeleteChannelMessage', 'chime:DeleteChannelModerator',
      'chime:DescribeChannelBan', 'chime:DescribeChannelMembership', 'chime:DescribeChannelModerator', 'chime:ListChannelBans',
      'chime:ListChannelMemberships', 'chime:ListChannelModerators', 'chime:RedactChannelMessage', 'chime:UpdateChannelMessage',
    ]],
  ] as const)('%s: exactly its actions, on the channel ARN and each bearer ARN', (method, actions) => {
    const { stack, user, alice, lobby, role } = granted();
    const grant = lobby[method](role, user, alice, user);
    expect(statementOf(stack, grant)).toEqual({
      Effect: 'Allow',
      Action: actions.length === 1 ? actions[0] : [...actions],
      Resource: [arn(stack, lobby), ref(stack, user), ref(stack, alice)],
    });
  });

  test('grant: any actions, on the channel and the bearers', () => {
    const { stack, alice, lobby, role } = granted();
    expect(statementOf(stack, lobby.grant(role, [alice], 'chime:UpdateChannelReadMarker'))).toEqual({
      Effect: 'Allow', Action: 'chime:UpdateChannelReadMarker', Resource: [arn(stack, lobby), ref(stack, alice)],
    });
  });

  test('AppInstanceUser.grantConnect: chime:Connect on the user only', () => {
    const { stack, alice, role } = granted();
    expect(statementOf(stack, alice.grantConnect(role))).toEqual({ Effect: 'Allow', Action: 'chime:Connect', Resource: ref(stack, alice) });
  });

  test('no bearer, no action, or a bearer of another app instance: refused', () => {
    const { stack, lobby, role } = granted();
    expect(() => lobby.grantSendMessages(role)).toThrow('ChatStack/Lobby: grant: name at least one bearer');
    expect(() => lobby.grant(role, [lobby.bearer])).toThrow('ChatStack/Lobby: grant: name at least one action');
    const otherInstance = new chime.AppInstance(stack, 'Other');
    const stranger = new chime.AppInstanceUser(stack, 'Stranger', { appInstance: otherInstance, appInstanceUserId: 's' });
    expect(() => lobby.grantRead(role, stranger)).toThrow(
      "ChatStack/Lobby: grant: bearer ChatStack/Stranger belongs to app instance ChatStack/Other, not to the channel's app instance ChatStack/Chat");
  });

  test('never a wildcard resource', () => {
    const { stack, user, lobby, role } = granted();
    lobby.grantSendMessages(role, user);
    lobby.grantRead(role, user);
    lobby.grantModerate(role, user);
    expect(JSON.stringify(stack.resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document))).not.toContain('*');
  });
});
