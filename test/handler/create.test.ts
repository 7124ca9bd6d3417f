import {
  AccessDeniedException,
  ClientLimitExceededException,
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNEL_ARN, createEvent, FakeClock, invoke, REQUEST_ID, STACK_ID } from './handler-test-kit';
import { ACCESS_DENIED_RETRIES } from '../../lambda/custom-resource/kinesis-video-calls';
import { signedAtOf } from '../../lambda/custom-resource/request-age';
import { generateChannelName } from '../../lambda/signaling-channel/channel-names';
import { NO_CHANNEL_ID_PREFIX, OWNERSHIP_TAG_KEY, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

const active = { ChannelInfo: { ChannelARN: CHANNEL_ARN, ChannelName: 'garage-camera', ChannelStatus: 'ACTIVE' as const, Version: 'v1' } };

describe('Create', () => {
  test('creates the channel with its properties and the ownership tag, waits for ACTIVE, answers its ARN', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand)
      .resolvesOnce({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'CREATING' } })
      .resolves(active);

    const { response } = await invoke(createEvent({
      ChannelName: 'garage-camera', ChannelType: 'SINGLE_MASTER', MessageTtlSeconds: '30', Tags: [{ Key: 'room', Value: 'garage' }],
    }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)[0].args[0].input).toEqual({
      ChannelName: 'garage-camera',
      ChannelType: 'SINGLE_MASTER',
      SingleMasterConfiguration: { MessageTtlSeconds: 30 },
      Tags: [{ Key: 'room', Value: 'garage' }, { Key: OWNERSHIP_TAG_KEY, Value: REQUEST_ID }, { Key: STACK_TAG_KEY, Value: STACK_ID }],
    });
    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(2);
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: CHANNEL_ARN,
      Data: { ChannelArn: CHANNEL_ARN, ChannelName: 'garage-camera' },
    });
  });

  test('generates a name from the stack, the logical id and the request when none is given; the service default TTL applies', async () => {
    kvs.on(CreateSignalingChannelCommand).callsFake(input => ({ ChannelARN: `arn:aws:kinesisvideo:us-east-1:123456789012:channel/${input.ChannelName}/1` }));
    kvs.on(DescribeSignalingChannelCommand).callsFake(input => ({ ChannelInfo: { ChannelARN: input.ChannelARN, ChannelStatus: 'ACTIVE' } }));

    const { response } = await invoke(createEvent({ ChannelType: 'SINGLE_MASTER' }));

    const input = kvs.commandCalls(CreateSignalingChannelCommand)[0].args[0].input;
    expect(input.ChannelName).toBe(generateChannelName(STACK_ID, 'Garage4A49DB4E', REQUEST_ID));
    expect(input.ChannelName).toMatch(/^DoorbellStack\.Garage4A49DB4E\.[0-9a-f]{12}$/);
    expect(input.SingleMasterConfiguration).toEqual({ MessageTtlSeconds: 60 });
    expect(response.Data?.ChannelName).toBe(input.ChannelName);
  });

  test('a Create delivered twice finds the channel it created by the ownership tag, and creates no second one', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: REQUEST_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(1);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('never adopts a channel of the same name created by someone else, and answers an id the Delete will skip', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: 'another-request' } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
    expect(response.Reason).toContain("A signaling channel named 'garage-camera' already exists");
    expect(response.Reason).toContain('Choose another channelName');
  });

  test('waits for a channel of the same name that is being deleted, then creates', async () => {
    kvs.on(CreateSignalingChannelCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'name in use', $metadata: {} }))
      .resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand, { ChannelName: 'garage-camera' })
      .resolvesOnce({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'DELETING' } })
      .resolvesOnce({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'DELETING' } })
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: CHANNEL_ARN }).resolves(active);

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(2);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('a channel that never becomes ACTIVE before the deadline: FAILED with its real ARN, so the next Delete removes it', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'CREATING' } });

    const clock = new FakeClock();
    clock.randomValue = 0; // the shortest jittered delays
    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { remainingTimeMs: 60_000, clock });

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(CHANNEL_ARN);
    expect(response.Reason).toContain('Timed out waiting for signaling channel');
    expect(response.Reason).toContain('last status: CREATING');
    // It gave up before Lambda's own timeout, keeping time to answer.
    expect(clock.time - 1_700_000_000_000).toBeLessThan(60_000 - 10_000);
    // Polls are jittered and bounded: even the shortest delay keeps under the service's 5 Describe calls per
    // second per channel.
    expect(Math.min(...clock.sleeps)).toBeGreaterThanOrEqual(250);
  });

  test('retries throttling, then succeeds', async () => {
    kvs.on(CreateSignalingChannelCommand)
      .rejectsOnce(new ClientLimitExceededException({ message: 'slow down', $metadata: {} }))
      .rejectsOnce(new ClientLimitExceededException({ message: 'slow down', $metadata: {} }))
      .resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand).resolves(active);

    const { response, clock } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(response.Status).toBe('SUCCESS');
    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(3);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0]); // exponential
  });

  test('retries AccessDenied briefly (IAM propagation), then fails with a Reason naming the missing permission', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(ACCESS_DENIED_RETRIES + 1);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('kinesisvideo:CreateSignalingChannel');
    expect(response.Reason).toContain('IAM may still be propagating');
    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
  });

  test('a retry of an AccessDenied call cut off at the deadline still names the missing permission', async () => {
    const clock = new FakeClock();
    const startedAt = clock.time;
    // Lambda gives 20 s; the handler's work ends 5 s before (a quarter), leaving the rest to answer.
    const remainingTimeMs = 20_000;
    kvs.on(CreateSignalingChannelCommand)
      .rejectsOnce(new AccessDeniedException({ message: 'not authorized', $metadata: {} }))
      .callsFake(async () => {
        // The retry is still waiting for its answer when the deadline comes: the SDK call is aborted.
        clock.time = startedAt + 16_000;
        throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { clock, remainingTimeMs });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('kinesisvideo:CreateSignalingChannel');
    expect(response.Reason).toContain('IAM may still be propagating');
  });

  test('rejects invalid string-typed properties before calling the service, naming the property', async () => {
    const { response } = await invoke(createEvent({ ChannelName: 'bad name!', MessageTtlSeconds: '600', ChannelType: 'FULL_MESH' }));

    expect(kvs.calls()).toHaveLength(0);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('ChannelName must be 1-256 characters');
    expect(response.Reason).toContain("MessageTtlSeconds must be a whole number of seconds from 5 to 120 (got '600')");
    expect(response.Reason).toContain('FULL_MESH is in the SDK but the service does not support it');
    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
  });

  test('an unexpected error still answers FAILED, with the message and without the stack trace', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(new TypeError('boom'));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('boom');
    expect(response.Reason).not.toMatch(/\n\s+at /);
  });

  test('a Create whose answer never came back, though the service made the channel: FAILED with that channel\'s ARN', async () => {
    // Every Create call times out on our side (the service applied the first one).
    kvs.on(CreateSignalingChannelCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: REQUEST_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { remainingTimeMs: 60_000 });

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(CHANNEL_ARN);
  });

  test('... and does not claim a channel of that name that another request made', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: 'another-request' } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { remainingTimeMs: 60_000 });

    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
  });
});

describe('ownership when tags show up late (the service is eventually consistent)', () => {
  const young = (clock: FakeClock) => ({ ChannelInfo: { ...active.ChannelInfo, CreationTime: new Date(clock.time - 2_000) } });

  test('a Create delivered twice, its channel\'s tags not visible yet: looks again, finds its tag, creates no second one', async () => {
    const clock = new FakeClock();
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).callsFake(() => young(clock));
    kvs.on(ListTagsForResourceCommand).resolvesOnce({ Tags: {} }).resolvesOnce({ Tags: {} }).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: REQUEST_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { clock });

    expect(kvs.commandCalls(ListTagsForResourceCommand)).toHaveLength(3);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('an explicit name: an old channel with no tags is somebody else\'s, at once', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...active.ChannelInfo, CreationTime: new Date(0) } });
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(kvs.commandCalls(ListTagsForResourceCommand)).toHaveLength(1);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('already exists');
  });

  test('an explicit name: a young channel whose tags never show is not adopted once it is no longer young', async () => {
    const clock = new FakeClock();
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    const createdAt = clock.time - 2_000;
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...active.ChannelInfo, CreationTime: new Date(createdAt) } });
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { clock });

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
    // It looked until the channel was 30 s old, not beyond.
    expect(clock.time - createdAt).toBeGreaterThanOrEqual(30_000);
    expect(clock.time - createdAt).toBeLessThan(40_000);
  });

  test('a generated name (it holds a hash of this request\'s id): a young channel with no tags yet is this request\'s', async () => {
    const clock = new FakeClock();
    kvs.on(CreateSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'name in use', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).callsFake(() => young(clock));
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(createEvent({}), { clock });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('a Create whose answer never came back, its tags not visible yet: the ARN is still answered for deletion', async () => {
    const clock = new FakeClock();
    kvs.on(CreateSignalingChannelCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    kvs.on(DescribeSignalingChannelCommand).callsFake(() => young(clock));
    kvs.on(ListTagsForResourceCommand).resolvesOnce({ Tags: {} }).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: REQUEST_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }), { clock, remainingTimeMs: 60_000 });

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(CHANNEL_ARN);
  });
});

describe('a request CloudFormation has given up on', () => {
  const signedUrl = (signedAt: number) => {
    const date = new Date(signedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    return `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=7199&X-Amz-Signature=abc`;
  };

  test('signed longer ago than the ServiceTimeout (it waited in Lambda\'s queue): creates nothing, answers FAILED', async () => {
    const clock = new FakeClock();
    const event = createEvent({ ChannelName: 'garage-camera', ServiceTimeout: '600' }, { ResponseURL: signedUrl(clock.time - 601_000) });

    const { response } = await invoke(event, { clock });

    expect(kvs.calls()).toHaveLength(0);
    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`);
    expect(response.Reason).toContain('waited in Lambda\'s queue until CloudFormation\'s ServiceTimeout');
  });

  test('signed a while ago: the work is bounded by what is left of CloudFormation\'s wait, not by Lambda\'s timeout', async () => {
    const clock = new FakeClock();
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    // Never ACTIVE: the request runs until its deadline.
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'CREATING' } });
    const signedAt = clock.time - 560_000;
    const event = createEvent({ ChannelName: 'garage-camera', ServiceTimeout: '600' }, { ResponseURL: signedUrl(signedAt) });

    const { response } = await invoke(event, { clock, remainingTimeMs: 300_000 });

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    // Answered before CloudFormation stops waiting (600 s after signing), though Lambda had 300 s more.
    expect(clock.time).toBeLessThan(signedAt + 600_000);
  });

  test('signedAtOf reads X-Amz-Date; URLs without one are not judged', () => {
    expect(signedAtOf(signedUrl(Date.UTC(2026, 11, 2, 13, 15, 0)))).toBe(Date.UTC(2026, 11, 2, 13, 15, 0));
    expect(signedAtOf('https://example.com/key?AWSAccessKeyId=x&Expires=1&Signature=y')).toBeUndefined();
    expect(signedAtOf('not a url')).toBeUndefined();
  });
});

describe('the provider serves its resource types only', () => {
  test('a request for another resource type fails, calls nothing, and names the types the provider serves', async () => {
    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera' }, { ResourceType: 'Custom::Other' }));

    expect(kvs.calls()).toHaveLength(0);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `no-resource:${REQUEST_ID}` });
    expect(response.Reason).toBe("Unknown ResourceType 'Custom::Other': this provider serves Custom::KinesisVideoSignalingChannel, Custom::KinesisVideoStreamConfiguration");
  });
});
