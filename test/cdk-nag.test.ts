/**
 * The library's own resources pass cdk-nag's AwsSolutions pack, its provider role stays least privilege, and
 * the role's policy stays under IAM's inline size limit in the largest stack CloudFormation accepts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, CfnElement, Duration, Environment, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { CameraFleet, SignalingChannel, Stream, ThingChannelGrants, chime } from '../src';
import { IAM_ROLE_INLINE_POLICY_LIMIT, iamPolicyLength, longestPseudoParameters, resolveIntrinsics } from './iam-policy-size';
import { SIGNALING_CHANNEL_RESOURCE_TYPE, STACK_TAG_KEY } from '../src/handler-shared/handler-contract';
import { CHANNEL_NAME_MAX_LENGTH } from '../src/handler-shared/signaling-channel-rules';
import { SignalingChannelProvider } from '../src/signaling-channel/signaling-channel-provider';

/**
 * Findings cdk-nag reports on the library's own resources that are still open, as `<rule> <construct path>`:
 * none.
 */
const OPEN_FINDINGS: string[] = [];

/** Every Kinesis Video action the handler calls, and nothing else. */
const HANDLER_ACTIONS = [
  'kinesisvideo:CreateSignalingChannel',
  'kinesisvideo:DeleteSignalingChannel',
  'kinesisvideo:DescribeSignalingChannel',
  'kinesisvideo:ListTagsForResource',
  'kinesisvideo:TagResource',
  'kinesisvideo:UntagResource',
  'kinesisvideo:UpdateSignalingChannel',
];

/** What the handler calls only for channels that record into a stream: on the channels, on the streams. */
const MEDIA_STORAGE_CHANNEL_ACTIONS = ['kinesisvideo:UpdateMediaStorageConfiguration'];
const MEDIA_STORAGE_STREAM_ACTIONS = ['kinesisvideo:DescribeMappedResourceConfiguration'];
/** What the handler calls only for streams with images or notifications, on those streams. */
const STREAM_CONFIGURATION_ACTIONS = ['kinesisvideo:UpdateImageGenerationConfiguration', 'kinesisvideo:UpdateNotificationConfiguration'];

const HANDLER_SOURCE_DIR = path.join(__dirname, '..', 'lambda');

/** CloudFormation's limit on the resources of one stack. */
const CLOUDFORMATION_MAX_RESOURCES = 500;

/** The longest stack name CloudFormation accepts; generated channel names and the log group's name start with it. */
const LONGEST_STACK_NAME = 'S'.repeat(128);

const ENVIRONMENTS: Array<[string, Environment | undefined]> = [
  ['an environment-agnostic stack', undefined],
  ['a stack with a known account and region', { account: '111111111111', region: 'us-east-1' }],
];

/** A stack like a user's: generated and explicit names, TTLs, tags, and peers granted to connect. */
function buildUserStack(app: App, env: Environment | undefined): Stack {
  const stack = new Stack(app, 'DoorbellStack', { env });
  const frontDoor = new SignalingChannel(stack, 'FrontDoor', { messageTtl: Duration.seconds(30) });
  const garage = new SignalingChannel(stack, 'Garage', { signalingChannelName: 'garage-camera', tags: { room: 'garage' } });
  new SignalingChannel(stack, 'Nursery', { messageTtl: Duration.minutes(2), tags: { room: 'nursery' } });
  new SignalingChannel(stack, 'Porch', { signalingChannelName: 'porch.camera_2', messageTtl: Duration.seconds(5) });
  Tags.of(stack).add('project', 'doorbell');

  const camera = new iam.Role(stack, 'CameraRole', { assumedBy: new iam.AccountRootPrincipal() });
  frontDoor.grantConnectAsMaster(camera);
  garage.grantConnectAsMaster(camera);
  const phone = new iam.Role(stack, 'PhoneRole', { assumedBy: new iam.AccountRootPrincipal() });
  frontDoor.grantConnectAsViewer(phone);
  garage.grantConnectAsViewer(phone);
  return stack;
}

/** `<rule> <path below the stack>` of every error and warning on the stack. */
function unsuppressedFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  const findings = [
    // Every error and warning, not only AwsSolutions-*: a rule that cannot evaluate a resource reports
    // CdkNagValidationFailure instead, and aws-cdk-lib's own warnings count too.
    ...annotations.findError('*', Match.anyValue()),
    ...annotations.findWarning('*', Match.anyValue()),
  ];
  // A message reads `<rule>[<finding>]: <text>`; a finding holds `::` but never `: `.
  return findings.map(finding => `${String(finding.entry.data).split(': ')[0]} ${finding.id.replace(`/${stack.stackName}/`, '')}`).sort();
}

/** The finding ids of the rules cdk-nag found and a suppression silenced (needs `logIgnores`). */
function suppressedFindings(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findInfo('*', Match.stringLikeRegexp('^CdkNagSuppression\\['))
    .map(info => String(info.entry.data).trim())
    .sort();
}

/** The provider role's inline policy. */
function providerPolicyDocument(template: Template): { Statement: Array<Record<string, unknown>> } {
  const roles = Object.values(template.findResources('AWS::IAM::Role'))
    .flatMap(role => (role.Properties.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: { Statement: Array<Record<string, unknown>> } }>)
    .filter(policy => policy.PolicyName === 'KinesisVideoSignalingChannels');
  expect(roles).toHaveLength(1);
  return roles[0].PolicyDocument;
}

/** The provider role's L1, whose inline policy a test can resolve or replace. */
function providerCfnRole(stack: Stack): iam.CfnRole {
  return SignalingChannelProvider.of(stack).node.findChild('Role').node.defaultChild as iam.CfnRole;
}

/** The logical id of a child of the stack's provider: `LogGroup`, `Role` or `Handler`. */
function providerLogicalId(stack: Stack, child: string): string {
  const construct = SignalingChannelProvider.of(stack).node.findChild(child);
  return stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** The deploy-time values of a stack's pseudo parameters and provider log group, as long as they get. */
function longestDeployTimeValues(stack: Stack) {
  const logGroupId = providerLogicalId(stack, 'LogGroup');
  const refs = longestPseudoParameters(LONGEST_STACK_NAME);
  // CloudFormation names an unnamed log group `<stack name>-<logical id>-<12 random characters>`.
  const logGroupName = `${LONGEST_STACK_NAME}-${logGroupId}-ABCDEFGHIJKL`;
  const logGroupArn = `arn:${refs['AWS::Partition']}:logs:${refs['AWS::Region']}:${refs['AWS::AccountId']}:log-group:${logGroupName}:*`;
  return { refs, attributes: { [`${logGroupId}.Arn`]: logGroupArn } };
}

describe('cdk-nag AwsSolutions checks', () => {
  test.each(ENVIRONMENTS)('%s with channels and grants has no unsuppressed errors or warnings', (_, env) => {
    const app = new App();
    const stack = buildUserStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks());

    expect(unsuppressedFindings(stack)).toEqual(OPEN_FINDINGS);
  });

  test.each(ENVIRONMENTS)('%s: suppressions silence only the wildcard channel ARNs of the provider policy', (_, env) => {
    const app = new App();
    const stack = buildUserStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));

    const arnPrefix = env
      ? `arn:<AWS::Partition>:kinesisvideo:${env.region}:${env.account}:channel/`
      : 'arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:channel/';
    const suppressed = (finding: string) =>
      `CdkNagSuppression[Resource::${arnPrefix}${finding}]: AwsSolutions-IAM5 was triggered but suppressed.`;
    expect(suppressedFindings(stack)).toEqual([
      // In ManageThisStacksChannels only: conditioned on the stack's tag (tested below).
      suppressed('*'),
      suppressed('<AWS::StackName>.*'),
      suppressed('garage-camera/*'),
      suppressed('porch.camera_2/*'),
    ].sort());
  });

  test('too many explicit names to list: the suppression covers every channel of the account and region', () => {
    const app = new App();
    const stack = new Stack(app, 'ManyNamesStack', { env: { account: '111111111111', region: 'us-east-1' } });
    for (let index = 0; index < 40; index++) {
      new SignalingChannel(stack, `Channel${index}`, { signalingChannelName: `channel-${index}-`.padEnd(CHANNEL_NAME_MAX_LENGTH, 'x') });
    }
    Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));

    // The library's own warning that the role was widened, and nothing from cdk-nag.
    expect(unsuppressedFindings(stack)).toEqual([
      "40 explicit channel names do not fit IAM's policy size limit KinesisVideoSignalingChannelProvider",
    ]);
    const arnPrefix = 'arn:<AWS::Partition>:kinesisvideo:us-east-1:111111111111:channel/';
    expect(suppressedFindings(stack)).toEqual([
      `CdkNagSuppression[Resource::${arnPrefix}*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[Resource::${arnPrefix}<AWS::StackName>.*]: AwsSolutions-IAM5 was triggered but suppressed.`,
    ].sort());
  });

  test('a wildcard the suppressions do not name is still reported on the provider policy', () => {
    const app = new App();
    const stack = new Stack(app, 'WidenedStack', { env: { account: '111111111111', region: 'us-east-1' } });
    new SignalingChannel(stack, 'Channel', { signalingChannelName: 'kept-narrow' });
    // What a careless change to the provider would do: a wildcard action and a wildcard resource.
    providerCfnRole(stack).policies = [{
      policyName: 'KinesisVideoSignalingChannels',
      policyDocument: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['kinesisvideo:*'],
            resources: [stack.formatArn({ service: 'kinesisvideo', resource: 'channel', resourceName: 'kept-narrow/*' })],
          }),
          new iam.PolicyStatement({ actions: ['kinesisvideo:DescribeSignalingChannel'], resources: ['*'] }),
        ],
      }),
    }];
    Aspects.of(app).add(new AwsSolutionsChecks());

    const iam5 = Annotations.fromStack(stack)
      .findError('/WidenedStack/KinesisVideoSignalingChannelProvider/Role/Resource', Match.stringLikeRegexp('^AwsSolutions-IAM5'))
      .map(finding => String(finding.entry.data).split(': ')[0]);
    expect(iam5.sort()).toEqual(['AwsSolutions-IAM5[Action::kinesisvideo:*]', 'AwsSolutions-IAM5[Resource::*]']);
  });
});

/** A doorbell that records into a stream, its camera and phone granted, beside a channel that does not record. */
function buildRecordingStack(app: App, env: Environment | undefined): { stack: Stack; stream: Stream } {
  const stack = new Stack(app, 'RecordingStack', { env });
  const stream = new Stream(stack, 'Recordings', { dataRetention: Duration.days(7) });
  const doorbell = new SignalingChannel(stack, 'Doorbell', { mediaStorage: { stream } });
  new SignalingChannel(stack, 'Garage', { signalingChannelName: 'garage-camera' });
  doorbell.grantConnectAsMaster(new iam.Role(stack, 'CameraRole', { assumedBy: new iam.AccountRootPrincipal() }));
  doorbell.grantConnectAsViewer(new iam.Role(stack, 'PhoneRole', { assumedBy: new iam.AccountRootPrincipal() }));
  return { stack, stream };
}

describe('a stack with a channel that records into a stream', () => {
  test.each(ENVIRONMENTS)('%s has no unsuppressed cdk-nag errors or warnings', (_, env) => {
    const app = new App();
    const { stack } = buildRecordingStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks());

    expect(unsuppressedFindings(stack)).toEqual(OPEN_FINDINGS);
  });

  test('the role may also configure media storage on the stack\'s channels, and find the channel of its streams only', () => {
    const { stack, stream } = buildRecordingStack(new App(), undefined);
    const document = providerPolicyDocument(Template.fromStack(stack));
    expect(document.Statement.map(s => s.Sid)).toEqual(['ManageSignalingChannels', 'ManageThisStacksChannels', 'FindStreamChannels', 'WriteHandlerLogs']);
    const [manage, , find] = document.Statement;
    expect([manage.Action].flat().sort()).toEqual([...HANDLER_ACTIONS, ...MEDIA_STORAGE_CHANNEL_ACTIONS].sort());
    expect(find.Action).toEqual(MEDIA_STORAGE_STREAM_ACTIONS[0]);
    expect(find.Resource).toEqual(stack.resolve(stream.streamArn));
  });
});

describe('the provider role is least privilege', () => {
  const app = new App();
  const stack = buildUserStack(app, undefined);
  const template = Template.fromStack(stack);
  const roleId = providerLogicalId(stack, 'Role');
  const document = providerPolicyDocument(template);
  const values = longestDeployTimeValues(stack);
  const statement = (sid: string) => {
    const found = document.Statement.find(s => s.Sid === sid);
    expect(found).toBeDefined();
    return resolveIntrinsics(found, values) as { Effect: string; Action: string[]; Resource: string[] };
  };

  test('the role trusts Lambda only and has no managed policies and no other policy', () => {
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    // One inline policy, and no AWS::IAM::Policy attached to it.
    expect(role.Properties.Policies.map((policy: { PolicyName: string }) => policy.PolicyName)).toEqual(['KinesisVideoSignalingChannels']);
    const policiesOnRole = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(policy => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`));
    expect(policiesOnRole).toHaveLength(0);
    expect(document.Statement.map(s => s.Sid)).toEqual(['ManageSignalingChannels', 'ManageThisStacksChannels', 'WriteHandlerLogs']);
  });

  test('every channel of the account and region only on the condition that it carries this stack\'s id; never Create', () => {
    const owned = document.Statement.find(s => s.Sid === 'ManageThisStacksChannels') as unknown as {
      Action: string[]; Resource: unknown; Condition: Record<string, Record<string, unknown>>;
    };
    expect(owned.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEY}`]: { Ref: 'AWS::StackId' } } });
    expect(owned.Action).not.toContain('kinesisvideo:CreateSignalingChannel');
    // What the handler does to a channel after creating it: the name-scoped actions, and unlinking it.
    expect([...owned.Action].sort()).toEqual([...HANDLER_ACTIONS.filter(a => a !== 'kinesisvideo:CreateSignalingChannel'), ...MEDIA_STORAGE_CHANNEL_ACTIONS].sort());
  });

  test('it may call exactly the Kinesis Video actions the handler calls', () => {
    const channels = statement('ManageSignalingChannels');
    expect(channels.Effect).toEqual('Allow');
    expect([...channels.Action].sort()).toEqual(HANDLER_ACTIONS);

    // The handler's SDK commands, read from its source: a command added there without its action here fails.
    const commands = new Set<string>();
    for (const file of fs.readdirSync(HANDLER_SOURCE_DIR, { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(HANDLER_SOURCE_DIR, file), 'utf8');
      for (const match of source.matchAll(/new (\w+)Command\(/g)) {
        commands.add(`kinesisvideo:${match[1]}`);
      }
    }
    // The media storage commands are granted only in stacks whose channels record (below), the stream
    // configuration commands only in stacks with streams that have images or notifications (stream-images.test.ts).
    expect([...commands].sort()).toEqual([
      ...HANDLER_ACTIONS, ...MEDIA_STORAGE_CHANNEL_ACTIONS, ...MEDIA_STORAGE_STREAM_ACTIONS, ...STREAM_CONFIGURATION_ACTIONS,
    ].sort());
  });

  test('it reaches only the stack\'s generated names and the channels named in the stack', () => {
    const { refs } = values;
    const channelArn = (name: string) =>
      `arn:${refs['AWS::Partition']}:kinesisvideo:${refs['AWS::Region']}:${refs['AWS::AccountId']}:channel/${name}`;
    expect(statement('ManageSignalingChannels').Resource).toEqual([
      channelArn(`${LONGEST_STACK_NAME}.*`),
      channelArn('garage-camera/*'),
      channelArn('porch.camera_2/*'),
    ]);
  });

  test('it writes logs to its own log group only', () => {
    const logs = statement('WriteHandlerLogs');
    expect(logs.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    // The log group's ARN attribute ends in `:*` already, which covers its log streams: nothing wider.
    expect([logs.Resource].flat()).toEqual([Object.values(values.attributes)[0]]);
  });

  test('no statement allows a wildcard action or a bare `*` resource', () => {
    for (const s of document.Statement) {
      const resolved = resolveIntrinsics(s, values) as { Action: string[] | string; Resource: string[] | string };
      expect([resolved.Action].flat().filter(action => action.includes('*'))).toEqual([]);
      expect([resolved.Resource].flat()).not.toContain('*');
    }
  });
});

describe('the provider policy fits IAM\'s inline policy limit', () => {
  /**
   * How many channels one stack can hold: CloudFormation's 500 resources less the provider's own (measured
   * from a one-channel stack) and the CDKMetadata resource the CDK CLI adds.
   */
  function maxChannelsPerStack(): number {
    const app = new App();
    const stack = new Stack(app, 'OneChannel', { analyticsReporting: true });
    new SignalingChannel(stack, 'Channel');
    const types = Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type as string);
    const others = types.filter(type => type !== SIGNALING_CHANNEL_RESOURCE_TYPE).sort();
    expect(others).toEqual([
      'AWS::CDK::Metadata',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Logs::LogGroup',
    ]);
    return CLOUDFORMATION_MAX_RESOURCES - others.length;
  }

  const maxChannels = maxChannelsPerStack();

  /** A distinct name of exactly 256 characters. */
  const longName = (index: number) => `channel-${index}-`.padEnd(CHANNEL_NAME_MAX_LENGTH, 'x');

  function fullStack(channelName: (index: number) => string | undefined): { stack: Stack; template: Template } {
    const app = new App();
    const stack = new Stack(app, 'FullStack', { analyticsReporting: true });
    for (let index = 0; index < maxChannels; index++) {
      new SignalingChannel(stack, `Channel${index}`, { signalingChannelName: channelName(index) });
    }
    const template = Template.fromStack(stack);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(CLOUDFORMATION_MAX_RESOURCES);
    return { stack, template };
  }

  test('the stack holds 496 channels', () => {
    expect(maxChannels).toEqual(496);
  });

  test('with generated names', () => {
    const { stack, template } = fullStack(() => undefined);
    const length = iamPolicyLength(providerPolicyDocument(template), longestDeployTimeValues(stack));
    expect(length).toBeLessThan(IAM_ROLE_INLINE_POLICY_LIMIT);
  });

  test('with explicit 256-character names', () => {
    const { stack, template } = fullStack(longName);
    const values = longestDeployTimeValues(stack);
    const document = providerPolicyDocument(template);
    expect(iamPolicyLength(document, values)).toBeLessThan(IAM_ROLE_INLINE_POLICY_LIMIT);
    // Too many to list: they collapse into the account's and region's channels.
    const channels = resolveIntrinsics(document.Statement[0], values) as { Resource: string[] };
    expect(channels.Resource.map(arn => arn.split(':channel/')[1])).toEqual([`${LONGEST_STACK_NAME}.*`, '*']);
  });

  /**
   * A stack of as many channels recording into streams of their own as it holds (a stream takes one channel,
   * and the service allows 100 recording channels per account), every name `name(index)` when given.
   */
  function recordingStack(count: number, channelName: (index: number) => string | undefined, streamName: (index: number) => string | undefined) {
    const stack = new Stack(new App(), 'RecordingFleet', { analyticsReporting: true });
    const streams: Stream[] = [];
    for (let index = 0; index < count; index++) {
      const stream = new Stream(stack, `Stream${index}`, { streamName: streamName(index), dataRetention: Duration.hours(1) });
      new SignalingChannel(stack, `Channel${index}`, { signalingChannelName: channelName(index), mediaStorage: { stream } });
      streams.push(stream);
    }
    const base = longestDeployTimeValues(stack);
    // A stream's ARN as CloudFormation resolves it, its name as long as a name can be.
    const streamArn = (index: number) => `arn:${base.refs['AWS::Partition']}:kinesisvideo:${base.refs['AWS::Region']}:` +
      `${base.refs['AWS::AccountId']}:stream/${streamName(index) ?? 's'.repeat(CHANNEL_NAME_MAX_LENGTH)}/1700000000000`;
    const values = {
      refs: base.refs,
      attributes: {
        ...base.attributes,
        ...Object.fromEntries(streams.map((stream, index) => [`${stack.getLogicalId(stream.node.defaultChild as CfnElement)}.Arn`, streamArn(index)])),
      },
    };
    const document = providerPolicyDocument(Template.fromStack(stack));
    const resources = (sid: string) =>
      [(resolveIntrinsics(document.Statement.find(s => s.Sid === sid), values) as { Resource: string[] | string }).Resource].flat();
    return { stack, length: iamPolicyLength(document, values), channels: resources('ManageSignalingChannels'), streams: resources('FindStreamChannels') };
  }

  test('with 100 recording channels and their streams, all named with 256 characters: both collapse, and say so', () => {
    const { stack, length, channels, streams } = recordingStack(100, longName, index => `stream-${index}-`.padEnd(256, 'y'));
    expect(length).toBeLessThan(IAM_ROLE_INLINE_POLICY_LIMIT);
    expect(channels.map(arn => arn.split(':channel/')[1])).toEqual([`${LONGEST_STACK_NAME}.*`, '*']);
    expect(streams.map(arn => arn.split(':stream/')[1])).toEqual(['*']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('100 streams recorded into do not fit'))).toHaveLength(1);
  });

  test('the widened stack\'s role passes cdk-nag: stream/* is suppressed, only in stacks whose channels record', () => {
    const { stack } = recordingStack(30, () => undefined, () => undefined);
    Aspects.of(stack.node.root).add(new AwsSolutionsChecks());
    // Only the widening warnings the library gives: cdk-nag reports nothing of its own.
    expect(unsuppressedFindings(stack)).toEqual(["30 streams recorded into do not fit IAM's policy size limit KinesisVideoSignalingChannelProvider"]);
    const plain = new Stack(new App(), 'Plain');
    new SignalingChannel(plain, 'Channel');
    expect(JSON.stringify(Template.fromStack(plain).toJSON())).not.toContain(':stream');
  });

  test('with recording channels whose streams CloudFormation names, as many as are listed one by one', () => {
    let listed = 0;
    for (let count = 1; count <= 100; count++) {
      const { length, streams } = recordingStack(count, () => undefined, () => undefined);
      if (streams.some(arn => arn.endsWith(':stream/*'))) break;
      expect(streams).toHaveLength(count);
      expect(length).toBeLessThan(IAM_ROLE_INLINE_POLICY_LIMIT);
      listed = count;
    }
    expect(listed).toBeGreaterThan(10);
    expect(listed).toBeLessThan(100);
  });

  test('with the most explicit 256-character names that are still listed one by one', () => {
    // Add names until they collapse into `channel/*`: the policy is longest just before that. A new stack
    // each time, since the provider renders its policy once per stack.
    let longest = 0;
    let listed = 0;
    for (let count = 1; count <= maxChannels; count++) {
      const stack = new Stack(new App(), 'GrowingStack');
      for (let index = 1; index <= count; index++) {
        new SignalingChannel(stack, `Channel${index}`, { signalingChannelName: longName(index) });
      }
      const values = longestDeployTimeValues(stack);
      const document = stack.resolve((stack.resolve(providerCfnRole(stack).policies) as Array<{ policyDocument: unknown }>)[0].policyDocument);
      const channels = resolveIntrinsics(document.Statement[0], values) as { Resource: string[] };
      if (channels.Resource.some(arn => arn.endsWith(':channel/*'))) break;
      expect(channels.Resource).toHaveLength(count + 1);
      listed = count;
      longest = Math.max(longest, iamPolicyLength(document, values));
    }
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(maxChannels);
    expect(longest).toBeLessThan(IAM_ROLE_INLINE_POLICY_LIMIT);
  });
});

describe('the provider function\'s runtime', () => {
  test('AwsSolutions-L1 is suppressed only while determineLatestNodeRuntime lags Runtime.ALL, naming both runtimes', () => {
    const stack = new Stack(new App(), 'RuntimeStack');
    new SignalingChannel(stack, 'Channel');

    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    const runtime: string = fn.Properties.Runtime;
    expect(runtime).toBe(lambda.determineLatestNodeRuntime(stack).name);
    const newest = `nodejs${Math.max(...lambda.Runtime.ALL.map(r => Number(/^nodejs(\d+)\.x$/.exec(r.name)?.[1] ?? 0)))}.x`;
    const suppressions = fn.Metadata?.cdk_nag?.rules_to_suppress ?? [];
    if (runtime === newest) {
      expect(suppressions).toEqual([]);
    } else {
      expect(suppressions).toEqual([{ id: 'AwsSolutions-L1', reason: expect.stringMatching(new RegExp(`^${runtime} .*; ${newest} `)) }]);
    }
  });
});

describe('cdk-nag AwsSolutions checks on streams and camera fleets', () => {
  /**
   * The IAM5 finding the thing-name grant raises: one channel per thing, whose creation time is unknown.
   * cdk-nag writes the policy variable `${credentials-iot:ThingName}` as `<credentials-iot:ThingName>`.
   */
  const thingChannelFinding = (env: Environment | undefined) => env
    ? `Resource::arn:<AWS::Partition>:kinesisvideo:${env.region}:${env.account}:channel/<credentials-iot:ThingName>/*`
    : 'Resource::arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:channel/<credentials-iot:ThingName>/*';

  /** Streams with and without a customer managed key, a producer and a viewer, and an IoT camera fleet. */
  function buildStreamStack(app: App, env: Environment | undefined): Stack {
    const stack = new Stack(app, 'CameraFleetStack', { env });
    const key = new kms.Key(stack, 'MediaKey', { enableKeyRotation: true });
    const recorded = new Stream(stack, 'Recorded', { encryptionKey: key, mediaType: 'video/h264', dataRetention: Duration.days(30) });
    const live = new Stream(stack, 'Live', { streamName: 'front-door-live' });
    const channel = new SignalingChannel(stack, 'FrontDoor');

    const producer = new iam.Role(stack, 'ProducerRole', { assumedBy: new iam.AccountRootPrincipal() });
    recorded.grantWrite(producer);
    live.grantWrite(producer);
    channel.grantConnectAsMaster(producer);
    const viewer = new iam.Role(stack, 'ViewerRole', { assumedBy: new iam.AccountRootPrincipal() });
    recorded.grantRead(viewer);
    live.grantRead(viewer);
    channel.grantConnectAsViewer(viewer);

    const cameras = new iam.Role(stack, 'CameraFleetRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    ThingChannelGrants.grantConnectAsMaster(cameras);
    new iot.CfnRoleAlias(stack, 'CameraFleetRoleAlias', { roleArn: cameras.roleArn });
    // The user's decision, not the library's: each thing reaches only the channel named after it, and a
    // channel ARN ends with a creation time no policy can know.
    NagSuppressions.addResourceSuppressions(cameras, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Each camera may connect only to the channel named after its IoT thing; the trailing * is the channel\'s creation time.',
      appliesTo: [thingChannelFinding(env)],
    }], true);
    return stack;
  }

  test.each(ENVIRONMENTS)('%s has no unsuppressed errors or warnings', (_, env) => {
    const app = new App();
    const stack = buildStreamStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks());

    expect(unsuppressedFindings(stack)).toEqual(OPEN_FINDINGS);
  });

  test.each(ENVIRONMENTS)('%s: streams and their grants need no suppression; the fleet needs only its thing-name wildcard', (_, env) => {
    const app = new App();
    const stack = buildStreamStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));

    const arnPrefix = env
      ? `arn:<AWS::Partition>:kinesisvideo:${env.region}:${env.account}:channel/`
      : 'arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:channel/';
    expect(suppressedFindings(stack)).toEqual([
      // The provider's own, as in a stack with channels only.
      `CdkNagSuppression[Resource::${arnPrefix}*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[Resource::${arnPrefix}<AWS::StackName>.*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[${thingChannelFinding(env)}]: AwsSolutions-IAM5 was triggered but suppressed.`,
    ].sort());
  });
});

describe('cdk-nag AwsSolutions checks on a stream with images and notifications', () => {
  /** A doorbell whose stream sends thumbnails to a bucket and notifications to a topic, and its producer. */
  function buildDoorbellStack(app: App, env: Environment | undefined): Stack {
    const stack = new Stack(app, 'ImagesStack', { env });
    const key = new kms.Key(stack, 'MediaKey', { enableKeyRotation: true });
    const accessLogs = new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true });
    // The user's decision, not the library's: the access log bucket logs nowhere.
    NagSuppressions.addResourceSuppressions(accessLogs, [{ id: 'AwsSolutions-S1', reason: 'The access log bucket itself.' }]);
    const bucket = new s3.Bucket(stack, 'Thumbnails', {
      enforceSSL: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      serverAccessLogsBucket: accessLogs,
    });
    const topic = new sns.Topic(stack, 'Events', { enforceSSL: true, masterKey: key });
    const stream = new Stream(stack, 'Doorbell', { encryptionKey: key, images: { bucket, keyPrefix: 'doorbell/' }, notificationTopic: topic });
    stream.grantWrite(new iam.Role(stack, 'ProducerRole', { assumedBy: new iam.AccountRootPrincipal() }));
    return stack;
  }

  test.each(ENVIRONMENTS)('%s: the only finding is the images\' key prefix in the producer\'s grant, as for aws-cdk-lib\'s own object grants', (_, env) => {
    const app = new App();
    const stack = buildDoorbellStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks());
    const findings = Annotations.fromStack(stack).findError('*', Match.anyValue()).map(finding => String(finding.entry.data));
    // The provider, the stream and its configuration resource: nothing. The producer's grant: s3:PutObject on
    // `<bucket>/doorbell/*` (a prefix names objects yet to be written) and the KMS key's GenerateDataKey*
    // that aws-cdk-lib's grantPublish writes.
    expect(unsuppressedFindings(stack).filter(finding => !finding.includes('ProducerRole'))).toEqual(OPEN_FINDINGS);
    expect(findings.filter(finding => !/doorbell\/\*|kms:GenerateDataKey\*/.test(finding))).toEqual([]);
    expect(findings.some(finding => /AwsSolutions-IAM5\[Resource::<Thumbnails[0-9A-F]+\.Arn>\/doorbell\/\*\]/.test(finding))).toBe(true);
  });
});

describe('cdk-nag AwsSolutions checks on a CameraFleet', () => {
  const thingFinding = (env: Environment | undefined, resource: string) => env
    ? `Resource::arn:<AWS::Partition>:kinesisvideo:${env.region}:${env.account}:${resource}/<credentials-iot:ThingName>/*`
    : `Resource::arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:${resource}/<credentials-iot:ThingName>/*`;

  function buildFleetStack(app: App, env: Environment | undefined): Stack {
    const stack = new Stack(app, 'CameraFleetStack', { env });
    const fleet = new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.hours(1) });
    fleet.addCamera('front-door', { certificateArn: `arn:aws:iot:us-east-1:111111111111:cert/${'ab'.repeat(32)}` });
    fleet.addCamera('garage', { record: true });
    return stack;
  }

  test.each(ENVIRONMENTS)('%s has no unsuppressed errors or warnings', (_, env) => {
    const app = new App();
    const stack = buildFleetStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks());

    expect(unsuppressedFindings(stack)).toEqual(OPEN_FINDINGS);
  });

  test.each(ENVIRONMENTS)('%s: the fleet role\'s suppressions silence only its thing-scoped channel and stream ARNs', (_, env) => {
    const app = new App();
    const stack = buildFleetStack(app, env);
    Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));

    const arnPrefix = env
      ? `arn:<AWS::Partition>:kinesisvideo:${env.region}:${env.account}:channel/`
      : 'arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:channel/';
    expect(suppressedFindings(stack)).toEqual([
      // The provider's own, as in a stack with channels only.
      `CdkNagSuppression[Resource::${arnPrefix}*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[Resource::${arnPrefix}<AWS::StackName>.*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[Resource::${arnPrefix}front-door/*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[Resource::${arnPrefix}garage/*]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[${thingFinding(env, 'channel')}]: AwsSolutions-IAM5 was triggered but suppressed.`,
      `CdkNagSuppression[${thingFinding(env, 'stream')}]: AwsSolutions-IAM5 was triggered but suppressed.`,
    ].sort());
  });

  test('a wildcard added to the fleet role is still reported', () => {
    const app = new App();
    const stack = buildFleetStack(app, undefined);
    const fleet = stack.node.findChild('Cameras') as CameraFleet;
    fleet.role.addToPolicy(new iam.PolicyStatement({ actions: ['kinesisvideo:ConnectAsMaster'], resources: ['*'] }));
    Aspects.of(app).add(new AwsSolutionsChecks());

    expect(unsuppressedFindings(stack)).toEqual(['AwsSolutions-IAM5[Resource::*] Cameras/Role/DefaultPolicy/Resource']);
  });
});

describe('cdk-nag on Chime SDK messaging channels', () => {
  test.each(ENVIRONMENTS)('%s with an app instance, users, a channel and its grants has no errors or warnings but the library\'s region one', (_, env) => {
    const app = new App();
    const stack = new Stack(app, 'ChatStack', { env });
    const appInstance = new chime.AppInstance(stack, 'Chat', { appInstanceName: 'chat' });
    const backend = new chime.AppInstanceUser(stack, 'Backend', { appInstance, appInstanceUserId: 'backend-worker' });
    const alice = new chime.AppInstanceUser(stack, 'Alice', { appInstance, appInstanceUserId: 'alice' });
    const lobby = new chime.Channel(stack, 'Lobby', { appInstance, bearer: backend, channelName: 'Lobby', members: [alice] });
    const service = new iam.Role(stack, 'ChatService', { assumedBy: new iam.AccountRootPrincipal() });
    lobby.grantSendMessages(service, backend, alice);
    lobby.grantRead(service, backend, alice);
    lobby.grantModerate(service, backend);
    backend.grantConnect(service);
    Aspects.of(app).add(new AwsSolutionsChecks({ logIgnores: true }));

    // Without a region, each Chime resource carries the library's chimeRegionUnknown warning (test/first-hour-mistakes.test.ts).
    const regionWarnings = env === undefined
      ? ['Alice', 'Backend', 'Chat', 'Lobby'].map(id => `the region of stack ChatStack is not known at synth (no env region), so synth cannot check it ${id}`)
      : [];
    expect(unsuppressedFindings(stack)).toEqual(regionWarnings);
    expect(suppressedFindings(stack)).toEqual([]);
  });
});
