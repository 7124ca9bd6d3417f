/**
 * The Kinesis Video double refuses what the real service refuses: a recording channel cannot be deleted or
 * switched to another stream before its media storage is DISABLED, tags lag behind a channel's creation, and
 * while the caller has an identity policy every call is authorized as IAM would (actions, channel and stream
 * ARNs, aws:ResourceTag / aws:RequestTag / aws:TagKeys). Driven through the real `@aws-sdk/client-kinesis-video`,
 * as the handler bundle drives it.
 */
import {
  CreateSignalingChannelCommand,
  DeleteSignalingChannelCommand,
  DescribeMappedResourceConfigurationCommand,
  DescribeMediaStorageConfigurationCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMediaStorageConfigurationCommand,
} from '@aws-sdk/client-kinesis-video';
import { IamAuthorizer, isAllowed } from '../support/iam-authorizer';
import { KinesisVideoDouble, KinesisVideoDoubleOptions } from '../support/kinesis-video-double';
import { SENT_AT_HEADER } from '../support/kinesis-video-wire';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const ARN_PREFIX = `arn:aws:kinesisvideo:${REGION}:${ACCOUNT}`;
/** Long enough that the calls right after a create land inside it on a loaded 2-core machine. */
const TAG_LAG_MS = 1_000;

let kvs: KinesisVideoDouble;
let client: KinesisVideoClient;

async function startDouble(options: KinesisVideoDoubleOptions = {}): Promise<void> {
  kvs = await KinesisVideoDouble.start({
    accountId: ACCOUNT,
    // No transitions: a created channel is ACTIVE on the next call, so each test reads as a sequence of calls.
    transitions: { creatingMs: 0, updatingMs: 0, deletingMs: 0 },
    ...options,
  });
  client = new KinesisVideoClient({
    region: REGION,
    endpoint: kvs.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // Each refusal is the double's answer, not the SDK's retries of it.
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  // The simulator loads the Service Authorization Reference on its first use: do it before any test times
  // calls against the tag lag.
  await isAllowed(policy({ Effect: 'Allow', Action: '*', Resource: '*' }), {
    action: 'kinesisvideo:DescribeSignalingChannel', resource: `${ARN_PREFIX}:channel/warm-up/1`,
  });
});

afterEach(async () => {
  client?.destroy();
  await kvs?.stop();
});

function policy(...statements: object[]) {
  return { Version: '2012-10-17', Statement: statements };
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function createChannel(name: string, tags: Record<string, string> = {}): Promise<string> {
  const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const { ChannelARN } = await client.send(new CreateSignalingChannelCommand({
    ChannelName: name,
    ...(tagList.length > 0 ? { Tags: tagList } : {}),
  }));
  return ChannelARN!;
}

function deleteChannel(arn: string) {
  return client.send(new DeleteSignalingChannelCommand({ ChannelARN: arn }));
}

function setStorage(channelArn: string, status: 'ENABLED' | 'DISABLED', streamArn?: string) {
  return client.send(new UpdateMediaStorageConfigurationCommand({
    ChannelARN: channelArn,
    MediaStorageConfiguration: { Status: status, ...(streamArn === undefined ? {} : { StreamARN: streamArn }) },
  }));
}

async function listTags(arn: string): Promise<Record<string, string>> {
  return (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? {};
}

function accessDenied(action: string, resource: string | RegExp) {
  const message = typeof resource === 'string'
    ? `User is not authorized to perform: ${action} on resource: ${resource}`
    : expect.stringMatching(new RegExp(`^User is not authorized to perform: ${action} on resource: ${resource.source}$`));
  return { name: 'AccessDeniedException', message, $metadata: expect.objectContaining({ httpStatusCode: 401 }) };
}

describe('media storage', () => {
  beforeEach(() => startDouble());

  test('a channel that records into a stream cannot be deleted until its media storage is DISABLED', async () => {
    const stream = kvs.putStream({ name: 'recordings', dataRetentionInHours: 24 });
    const arn = await createChannel('doorbell');
    await setStorage(arn, 'ENABLED', stream.arn);

    await expect(deleteChannel(arn)).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: `The signaling channel ${arn} is in CLOUD_STORAGE_MODE: disable its media storage (UpdateMediaStorageConfiguration DISABLED) before deleting it`,
    });
    expect(kvs.channels().map(channel => channel.arn)).toEqual([arn]);
    expect(kvs.streams()[0].mappedChannelArn).toBe(arn);

    await setStorage(arn, 'DISABLED');
    await deleteChannel(arn);
    await sleep(5);
    expect(kvs.channels()).toEqual([]);
    expect(kvs.streams()[0].mappedChannelArn).toBeUndefined();
  });

  test('a channel that does not record is deleted as before', async () => {
    const arn = await createChannel('doorbell');
    await setStorage(arn, 'DISABLED');
    await deleteChannel(arn);
    await sleep(5);
    expect(kvs.channels()).toEqual([]);
  });

  test('a recording channel cannot be mapped to another stream until DISABLED; the same stream again is fine', async () => {
    const first = kvs.putStream({ name: 'recordings', dataRetentionInHours: 24 });
    const second = kvs.putStream({ name: 'recordings-v2', dataRetentionInHours: 168 });
    const arn = await createChannel('doorbell');
    await setStorage(arn, 'ENABLED', first.arn);
    await setStorage(arn, 'ENABLED', first.arn);

    await expect(setStorage(arn, 'ENABLED', second.arn)).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: `The signaling channel ${arn} is already mapped to stream ${first.arn}: disable it first (UpdateMediaStorageConfiguration DISABLED)`,
    });
    const described = await client.send(new DescribeMediaStorageConfigurationCommand({ ChannelARN: arn }));
    expect(described.MediaStorageConfiguration).toEqual({ Status: 'ENABLED', StreamARN: first.arn });

    await setStorage(arn, 'DISABLED');
    await setStorage(arn, 'ENABLED', second.arn);
    expect(kvs.streams().map(stream => [stream.name, stream.mappedChannelArn])).toEqual([
      ['recordings', undefined],
      ['recordings-v2', arn],
    ]);
  });
});

describe('lagging tags', () => {
  test('ListTagsForResource answers no tags until tagsVisibleAfterMs after creation, though the channel has them', async () => {
    await startDouble({ tagsVisibleAfterMs: TAG_LAG_MS });
    const arn = await createChannel('doorbell', { owner: 'me' });
    expect(await listTags(arn)).toEqual({});
    expect(kvs.channels()[0].tags).toEqual({ owner: 'me' });

    await sleep(TAG_LAG_MS + 50);
    expect(await listTags(arn)).toEqual({ owner: 'me' });
  });

  test('by default tags are visible at once', async () => {
    await startDouble();
    const arn = await createChannel('doorbell', { owner: 'me' });
    expect(await listTags(arn)).toEqual({ owner: 'me' });
  });

  test('aws:ResourceTag conditions do not see lagging tags either', async () => {
    await startDouble({ tagsVisibleAfterMs: TAG_LAG_MS });
    const arn = await createChannel('doorbell', { owner: 'me' });
    kvs.setIdentityPolicy(policy({
      Effect: 'Allow',
      Action: 'kinesisvideo:DeleteSignalingChannel',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/owner': 'me' } },
    }));

    await expect(deleteChannel(arn)).rejects.toMatchObject(accessDenied('kinesisvideo:DeleteSignalingChannel', arn));
    expect(kvs.deniedCalls[0].authorization).toEqual([
      { action: 'kinesisvideo:DeleteSignalingChannel', resource: arn, context: {}, allowed: false },
    ]);

    await sleep(TAG_LAG_MS + 50);
    await deleteChannel(arn);
    expect(kvs.callsTo('DeleteSignalingChannel').at(-1)?.authorization?.[0].context).toEqual({ 'aws:ResourceTag/owner': 'me' });
  });
});

describe('IAM', () => {
  beforeEach(() => startDouble());

  test('without a policy every call is allowed and none is authorized', async () => {
    const arn = await createChannel('doorbell', { owner: 'me' });
    await deleteChannel(arn);
    expect(kvs.calls.every(call => call.authorization === undefined && call.deniedBy === undefined)).toBe(true);
    expect(kvs.deniedCalls).toEqual([]);
  });

  test('Delete allowed only on channels tagged owner=me lets the tagged one go and refuses another', async () => {
    const mine = kvs.putChannel({ name: 'mine', tags: { owner: 'me' } });
    const theirs = kvs.putChannel({ name: 'theirs', tags: { owner: 'you' } });
    const untagged = kvs.putChannel({ name: 'untagged' });
    kvs.setIdentityPolicy(policy({
      Effect: 'Allow',
      Action: 'kinesisvideo:DeleteSignalingChannel',
      Resource: `${ARN_PREFIX}:channel/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/owner': 'me' } },
    }));

    await expect(deleteChannel(theirs.arn)).rejects.toMatchObject(accessDenied('kinesisvideo:DeleteSignalingChannel', theirs.arn));
    await expect(deleteChannel(untagged.arn)).rejects.toMatchObject(accessDenied('kinesisvideo:DeleteSignalingChannel', untagged.arn));
    await deleteChannel(mine.arn);
    await sleep(5);

    expect(kvs.channels().map(channel => channel.name)).toEqual(['theirs', 'untagged']);
    expect(kvs.deniedCalls).toEqual([
      expect.objectContaining({
        operation: 'DeleteSignalingChannel',
        httpStatus: 401,
        errorType: 'AccessDeniedException',
        deniedBy: 'iam',
        authorization: [{
          action: 'kinesisvideo:DeleteSignalingChannel',
          resource: theirs.arn,
          context: { 'aws:ResourceTag/owner': 'you' },
          allowed: false,
        }],
      }),
      expect.objectContaining({ deniedBy: 'iam', input: { ChannelARN: untagged.arn } }),
    ]);
  });

  test('a policy scoped to channel/foo/* allows creating foo and refuses bar', async () => {
    kvs.setIdentityPolicy(policy({
      Effect: 'Allow',
      Action: ['kinesisvideo:CreateSignalingChannel', 'kinesisvideo:DescribeSignalingChannel'],
      Resource: `${ARN_PREFIX}:channel/foo/*`,
    }));

    const foo = await createChannel('foo');
    expect(foo).toMatch(new RegExp(`^${ARN_PREFIX}:channel/foo/\\d+$`));
    // The ARN authorized is the ARN the channel got.
    expect(kvs.callsTo('CreateSignalingChannel')[0].authorization).toEqual([
      { action: 'kinesisvideo:CreateSignalingChannel', resource: foo, context: {}, allowed: true },
    ]);
    await expect(createChannel('bar')).rejects.toMatchObject(
      accessDenied('kinesisvideo:CreateSignalingChannel', new RegExp(`${ARN_PREFIX}:channel/bar/\\d+`)));
    expect(kvs.channels().map(channel => channel.name)).toEqual(['foo']);
  });

  test('Create with tags also needs TagResource on the new channel, with the request-tag conditions', async () => {
    const allowCreate = {
      Effect: 'Allow',
      Action: 'kinesisvideo:CreateSignalingChannel',
      Resource: '*',
    };
    kvs.setIdentityPolicy(policy(allowCreate));
    await createChannel('untagged');
    await expect(createChannel('tagged', { owner: 'me' })).rejects.toMatchObject(
      accessDenied('kinesisvideo:TagResource', new RegExp(`${ARN_PREFIX}:channel/tagged/\\d+`)));
    expect(kvs.deniedCalls[0].authorization).toEqual([
      expect.objectContaining({ action: 'kinesisvideo:CreateSignalingChannel', allowed: true }),
      expect.objectContaining({
        action: 'kinesisvideo:TagResource',
        context: { 'aws:RequestTag/owner': 'me', 'aws:TagKeys': ['owner'] },
        allowed: false,
      }),
    ]);

    kvs.setIdentityPolicy(policy(allowCreate, {
      Effect: 'Allow',
      Action: 'kinesisvideo:TagResource',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/owner': 'me' } },
    }));
    const tagged = await createChannel('tagged', { owner: 'me' });
    await expect(createChannel('theirs', { owner: 'you' })).rejects.toMatchObject(
      accessDenied('kinesisvideo:TagResource', new RegExp(`${ARN_PREFIX}:channel/theirs/\\d+`)));
    expect(kvs.channels().map(channel => [channel.name, channel.arn, channel.tags])).toEqual([
      ['tagged', tagged, { owner: 'me' }],
      ['untagged', expect.any(String), {}],
    ]);
  });

  test('aws:RequestTag and aws:TagKeys decide TagResource, aws:TagKeys UntagResource', async () => {
    const channel = kvs.putChannel({ name: 'doorbell', tags: { owner: 'me' } });
    kvs.setIdentityPolicy(policy(
      {
        Effect: 'Allow',
        Action: ['kinesisvideo:TagResource', 'kinesisvideo:UntagResource'],
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost-centre'] } },
      },
      {
        // Nobody re-assigns a channel: an explicit Deny wins over the Allow above.
        Effect: 'Deny',
        Action: 'kinesisvideo:TagResource',
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:RequestTag/team': ['video', 'doorbell'] } },
      },
    ));
    const tag = (tags: Record<string, string>) => client.send(new TagResourceCommand({
      ResourceARN: channel.arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }));
    const untag = (keys: string[]) => client.send(new UntagResourceCommand({ ResourceARN: channel.arn, TagKeyList: keys }));

    await tag({ 'team': 'video', 'cost-centre': '42' });
    await expect(tag({ owner: 'you' })).rejects.toMatchObject(accessDenied('kinesisvideo:TagResource', channel.arn));
    await expect(tag({ team: 'sales' })).rejects.toMatchObject(accessDenied('kinesisvideo:TagResource', channel.arn));
    await expect(untag(['owner'])).rejects.toMatchObject(accessDenied('kinesisvideo:UntagResource', channel.arn));
    await untag(['cost-centre']);

    expect(kvs.channels()[0].tags).toEqual({ owner: 'me', team: 'video' });
    expect(kvs.callsTo('TagResource')[0].authorization?.[0].context).toEqual({
      'aws:ResourceTag/owner': 'me',
      'aws:RequestTag/team': 'video',
      'aws:RequestTag/cost-centre': '42',
      'aws:TagKeys': ['team', 'cost-centre'],
    });
    expect(kvs.callsTo('UntagResource').map(call => call.authorization?.[0].context['aws:TagKeys'])).toEqual([['owner'], ['cost-centre']]);
  });

  test('a Describe by the name of a channel that does not exist is authorized on channel/<name>/*', async () => {
    kvs.setIdentityPolicy(policy({
      Effect: 'Allow',
      Action: ['kinesisvideo:DescribeSignalingChannel', 'kinesisvideo:DescribeMediaStorageConfiguration'],
      Resource: `${ARN_PREFIX}:channel/foo/*`,
    }));

    await expect(client.send(new DescribeSignalingChannelCommand({ ChannelName: 'foo' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DescribeMediaStorageConfigurationCommand({ ChannelName: 'foo' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DescribeSignalingChannelCommand({ ChannelName: 'bar' })))
      .rejects.toMatchObject(accessDenied('kinesisvideo:DescribeSignalingChannel', `${ARN_PREFIX}:channel/bar/*`));
    // By ARN, the ARN given.
    const missing = `${ARN_PREFIX}:channel/bar/1700000000000`;
    await expect(client.send(new DescribeSignalingChannelCommand({ ChannelARN: missing })))
      .rejects.toMatchObject(accessDenied('kinesisvideo:DescribeSignalingChannel', missing));

    const foo = kvs.putChannel({ name: 'foo' });
    const described = await client.send(new DescribeSignalingChannelCommand({ ChannelName: 'foo' }));
    expect(described.ChannelInfo?.ChannelARN).toBe(foo.arn);
    expect(kvs.callsTo('DescribeSignalingChannel').at(-1)?.authorization?.[0].resource).toBe(foo.arn);
  });

  test('DescribeMappedResourceConfiguration is authorized on the stream', async () => {
    const recordings = kvs.putStream({ name: 'recordings', dataRetentionInHours: 24 });
    const other = kvs.putStream({ name: 'other', dataRetentionInHours: 24 });
    kvs.setIdentityPolicy(policy({
      Effect: 'Allow',
      Action: 'kinesisvideo:DescribeMappedResourceConfiguration',
      Resource: `${ARN_PREFIX}:stream/recordings/*`,
    }));

    const mapped = await client.send(new DescribeMappedResourceConfigurationCommand({ StreamName: 'recordings' }));
    expect(mapped.MappedResourceConfigurationList).toEqual([]);
    expect(kvs.calls[0].authorization?.[0].resource).toBe(recordings.arn);
    await expect(client.send(new DescribeMappedResourceConfigurationCommand({ StreamARN: other.arn })))
      .rejects.toMatchObject(accessDenied('kinesisvideo:DescribeMappedResourceConfiguration', other.arn));
  });

  test('a denied call consumes no injected fault and changes nothing; clearing the policy allows again', async () => {
    const channel = kvs.putChannel({ name: 'doorbell' });
    kvs.setIdentityPolicy(policy({ Effect: 'Allow', Action: 'kinesisvideo:Describe*', Resource: '*' }));
    kvs.injectFault('DeleteSignalingChannel', 'throttle');

    await expect(deleteChannel(channel.arn)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(kvs.pendingFaults()).toEqual({ DeleteSignalingChannel: ['throttle'] });
    expect(kvs.channels()).toHaveLength(1);

    kvs.setIdentityPolicy(undefined);
    await expect(deleteChannel(channel.arn)).rejects.toMatchObject({ name: 'ClientLimitExceededException' });
    await deleteChannel(channel.arn);
    expect(kvs.callsTo('DeleteSignalingChannel').map(call => call.errorType ?? call.httpStatus))
      .toEqual(['AccessDeniedException', 'ClientLimitExceededException', 200]);
  });

  test('the identityPolicy option sets the policy from the start; another account\'s ARN is denied', async () => {
    client.destroy();
    await kvs.stop();
    await startDouble({ identityPolicy: policy({ Effect: 'Allow', Action: 'kinesisvideo:*', Resource: '*' }) });

    const arn = await createChannel('doorbell', { owner: 'me' });
    expect(await listTags(arn)).toEqual({ owner: 'me' });
    const elsewhere = 'arn:aws:kinesisvideo:us-east-1:210987654321:channel/doorbell/1700000000000';
    await expect(client.send(new DescribeSignalingChannelCommand({ ChannelARN: elsewhere })))
      .rejects.toMatchObject(accessDenied('kinesisvideo:DescribeSignalingChannel', elsewhere));
    expect(kvs.calls.map(call => call.deniedBy)).toEqual([undefined, undefined, 'iam']);
  });
});

describe('IamAuthorizer', () => {
  const request = {
    action: 'kinesisvideo:UpdateSignalingChannel',
    resource: `${ARN_PREFIX}:channel/doorbell/1700000000000`,
  };

  test('NotAction, wildcards in Resource and Null conditions', async () => {
    const iam = new IamAuthorizer(policy({
      Effect: 'Allow',
      NotAction: 'kinesisvideo:Delete*',
      Resource: `${ARN_PREFIX}:channel/door?ell/*`,
      Condition: { Null: { 'aws:ResourceTag/owner': 'false' } },
    }));
    expect(await iam.authorize({ ...request, context: { 'aws:ResourceTag/owner': 'me' } }))
      .toEqual({ allowed: true, result: 'Allowed', ignoredContextKeys: [] });
    expect((await iam.authorize(request)).result).toBe('ImplicitlyDenied');
    expect(await isAllowed(iam.policy, { ...request, action: 'kinesisvideo:DeleteSignalingChannel', context: { 'aws:ResourceTag/owner': 'me' } }))
      .toBe(false);
  });

  test('reports a service key the Service Authorization Reference does not list for the action', async () => {
    // iam-simulate keeps every global `aws:` key for every action (its README): only service keys are dropped.
    const decision = await new IamAuthorizer(policy({ Effect: 'Allow', Action: '*', Resource: '*' }))
      .authorize({ ...request, context: { 's3:prefix': 'recordings/', 'aws:RequestTag/owner': 'me' } });
    expect(decision.ignoredContextKeys).toEqual(['s3:prefix']);
  });

  test('refuses a policy that still holds CloudFormation intrinsics', async () => {
    const unresolved = policy({ Effect: 'Allow', Action: 'kinesisvideo:*', Resource: { 'Fn::GetAtt': ['Channel', 'Arn'] } });
    await expect(new IamAuthorizer(unresolved).authorize(request)).rejects.toThrow(/cannot evaluate/);
  });
});

describe('quotas count calls when they were sent', () => {
  /** A client whose requests carry the given sent times, one per call, in order. */
  function stampedClient(sentTimes: number[]): KinesisVideoClient {
    const stamped = new KinesisVideoClient({
      region: REGION, endpoint: kvs.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
    });
    stamped.middlewareStack.add(next => async args => {
      (args.request as { headers: Record<string, string> }).headers[SENT_AT_HEADER] = String(sentTimes.shift());
      return next(args);
    }, { step: 'finalizeRequest', name: 'stampSentAt' });
    return stamped;
  }

  test('calls sent 1.2 s apart that arrive together are in different windows; sent together, the quota refuses', async () => {
    await startDouble();
    const now = Date.now();
    // Describe's quota per channel is 5 a second: 5 calls sent in one second, then 5 more 1.2 s later.
    const sentApart = stampedClient([...Array(5).fill(now - 1_500), ...Array(5).fill(now - 300)]);
    const arn = await createChannel('stamped');
    for (let i = 0; i < 10; i++) await sentApart.send(new DescribeSignalingChannelCommand({ ChannelARN: arn }));
    expect(kvs.calls.filter(call => call.throttledBy !== undefined)).toEqual([]);

    const sentTogether = stampedClient(Array(6).fill(now));
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await sentTogether.send(new DescribeSignalingChannelCommand({ ChannelARN: arn })).catch(e => e.name));
    expect(answers[5]).toBe('ClientLimitExceededException');
    sentApart.destroy();
    sentTogether.destroy();
  });
});
