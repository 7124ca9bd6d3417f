import {
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  ResourceInUseException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSignalingChannelCommand,
  VersionMismatchException,
  DeleteSignalingChannelCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import { channelArn, CHANNEL_ARN, invoke, updateEvent } from './handler-test-kit';
import { FIRST_LOOK_MS } from '../../lambda/custom-resource/pacing';
import { OWNERSHIP_TAG_KEY } from '../../src/handler-shared/handler-contract';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

function channel(ttl: number, version = 'v1', status: 'ACTIVE' | 'UPDATING' = 'ACTIVE') {
  return {
    ChannelInfo: {
      ChannelARN: CHANNEL_ARN,
      ChannelName: 'garage-camera',
      ChannelStatus: status,
      Version: version,
      ChannelType: 'SINGLE_MASTER' as const,
      SingleMasterConfiguration: { MessageTtlSeconds: ttl },
    },
  };
}

const named = { ChannelName: 'garage-camera', ChannelType: 'SINGLE_MASTER' };

describe('Update in place', () => {
  test('a TTL change reads CurrentVersion, updates, waits for ACTIVE, keeps the ARN', async () => {
    kvs.on(DescribeSignalingChannelCommand)
      .resolvesOnce(channel(60))
      .resolvesOnce(channel(30, 'v2', 'UPDATING'))
      .resolves(channel(30, 'v2'));
    kvs.on(UpdateSignalingChannelCommand).resolves({});
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { [OWNERSHIP_TAG_KEY]: 'r1' } });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, { ...named, MessageTtlSeconds: '60' }));

    expect(kvs.commandCalls(UpdateSignalingChannelCommand)[0].args[0].input).toEqual({
      ChannelARN: CHANNEL_ARN, CurrentVersion: 'v1', SingleMasterConfiguration: { MessageTtlSeconds: 30 },
    });
    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(3);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN, Data: { ChannelName: 'garage-camera' } });
    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(0);
  });

  test('no call to UpdateSignalingChannel when the TTL already matches (a rollback after a partial update, a re-run)', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves(channel(30));
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, { ...named, MessageTtlSeconds: '60' }));

    expect(kvs.commandCalls(UpdateSignalingChannelCommand)).toHaveLength(0);
    expect(response.Status).toBe('SUCCESS');
  });

  test('VersionMismatch (someone updated in between) and ResourceInUse: reads the version again and retries', async () => {
    kvs.on(DescribeSignalingChannelCommand)
      .resolvesOnce(channel(60, 'v1'))
      .resolvesOnce(channel(45, 'v2'))
      .resolvesOnce(channel(45, 'v3'))
      .resolves(channel(30, 'v4'));
    kvs.on(UpdateSignalingChannelCommand)
      .rejectsOnce(new VersionMismatchException({ message: 'stale', $metadata: {} }))
      .rejectsOnce(new ResourceInUseException({ message: 'updating', $metadata: {} }))
      .resolves({});
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, { ...named, MessageTtlSeconds: '60' }));

    const versions = kvs.commandCalls(UpdateSignalingChannelCommand).map(c => c.args[0].input.CurrentVersion);
    expect(versions).toEqual(['v1', 'v2', 'v3']);
    expect(response.Status).toBe('SUCCESS');
  });

  test('tags: applies only the difference, never removes the ownership tag or tags added outside the stack', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves(channel(60));
    kvs.on(ListTagsForResourceCommand)
      .resolvesOnce({ Tags: { [OWNERSHIP_TAG_KEY]: 'r1', keep: 'same', change: 'old', drop: 'x' }, NextToken: 'page2' })
      .resolves({ Tags: { outside: 'someone' } });
    kvs.on(TagResourceCommand).resolves({});
    kvs.on(UntagResourceCommand).resolves({});

    const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
    const { response } = await invoke(updateEvent(CHANNEL_ARN,
      { ...named, Tags: tags({ keep: 'same', change: 'new', added: 'yes' }) },
      { ...named, Tags: tags({ keep: 'same', change: 'old', drop: 'x' }) }));

    expect(kvs.commandCalls(ListTagsForResourceCommand)[1].args[0].input.NextToken).toBe('page2');
    expect(kvs.commandCalls(UntagResourceCommand).map(c => c.args[0].input.TagKeyList)).toEqual([['drop']]);
    expect(kvs.commandCalls(TagResourceCommand).map(c => c.args[0].input.Tags)).toEqual([
      [{ Key: 'change', Value: 'new' }, { Key: 'added', Value: 'yes' }],
    ]);
    expect(response.Status).toBe('SUCCESS');
  });

  test('tags: at most 50 per TagResource and UntagResource call', async () => {
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: 'v' }));
    kvs.on(DescribeSignalingChannelCommand).resolves(channel(60));
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: Object.fromEntries(many('old', 48).map(t => [t.Key, t.Value])) });
    kvs.on(TagResourceCommand).resolves({});
    kvs.on(UntagResourceCommand).resolves({});

    // 48 declared tags (the most a user has) replaced by 48 others: one untag call and one tag call, each within the limit.
    await invoke(updateEvent(CHANNEL_ARN, { ...named, Tags: many('new', 48) }, { ...named, Tags: many('old', 48) }));

    for (const call of kvs.commandCalls(TagResourceCommand)) expect(call.args[0].input.Tags!.length).toBeLessThanOrEqual(50);
    for (const call of kvs.commandCalls(UntagResourceCommand)) expect(call.args[0].input.TagKeyList!.length).toBeLessThanOrEqual(50);
    expect(kvs.commandCalls(TagResourceCommand).flatMap(c => c.args[0].input.Tags)).toHaveLength(48);
    expect(kvs.commandCalls(UntagResourceCommand).flatMap(c => c.args[0].input.TagKeyList)).toHaveLength(48);
  });

  test('rollback: old and new properties swapped, and older-shaped properties without Tags or TTL, both work', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolvesOnce(channel(30)).resolves(channel(60, 'v2'));
    kvs.on(UpdateSignalingChannelCommand).resolves({});
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { team: 'a' } });
    kvs.on(UntagResourceCommand).resolves({});

    // Rolling back to properties an older version wrote: no TTL (the default, 60) and no Tags.
    const { response } = await invoke(updateEvent(CHANNEL_ARN,
      { ChannelName: 'garage-camera' },
      { ...named, MessageTtlSeconds: '30', Tags: [{ Key: 'team', Value: 'a' }] }));

    expect(kvs.commandCalls(UpdateSignalingChannelCommand)[0].args[0].input.SingleMasterConfiguration).toEqual({ MessageTtlSeconds: 60 });
    expect(kvs.commandCalls(UntagResourceCommand)[0].args[0].input.TagKeyList).toEqual(['team']);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('a failed update answers FAILED with the unchanged id, so CloudFormation rolls back cleanly', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves(channel(60));
    kvs.on(UpdateSignalingChannelCommand).rejects(Object.assign(new Error('bad'), { name: 'InvalidArgumentException' }));

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, named));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain('UpdateSignalingChannel failed: InvalidArgumentException');
  });
});

describe('Update that replaces the channel', () => {
  test('a name change creates the new channel and answers its ARN; the old one is left for CloudFormation to delete', async () => {
    const newArn = channelArn('garage-camera-2');
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: newArn });
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: CHANNEL_ARN }).resolves(channel(60));
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: newArn }).resolves({ ChannelInfo: { ChannelARN: newArn, ChannelStatus: 'ACTIVE' } });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, ChannelName: 'garage-camera-2' }, named));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)[0].args[0].input.ChannelName).toBe('garage-camera-2');
    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(0);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newArn, Data: { ChannelName: 'garage-camera-2' } });
  });

  test('a generated name stays stable across in-place updates', async () => {
    const generated = channelArn('DoorbellStack.Doorbell988F5652.0123456789ab');
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...channel(30).ChannelInfo, ChannelARN: generated } });
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    const { response } = await invoke(updateEvent(generated, { MessageTtlSeconds: '30' }, { MessageTtlSeconds: '60' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(0);
    expect(response).toMatchObject({ PhysicalResourceId: generated, Data: { ChannelName: 'DoorbellStack.Doorbell988F5652.0123456789ab' } });
  });

  test('dropping an explicit name replaces the channel with a generated name', async () => {
    kvs.on(CreateSignalingChannelCommand).callsFake(input => ({ ChannelARN: channelArn(input.ChannelName) }));
    kvs.on(DescribeSignalingChannelCommand).callsFake(input => ({
      ChannelInfo: { ChannelARN: input.ChannelARN, ChannelStatus: 'ACTIVE', ChannelType: 'SINGLE_MASTER' },
    }));

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ChannelType: 'SINGLE_MASTER' }, named));

    expect(response.Status).toBe('SUCCESS');
    expect(response.Data?.ChannelName).toMatch(/^DoorbellStack\.Garage4A49DB4E\.[0-9a-f]{12}$/);
  });

  test('old properties of another ChannelType change nothing: SINGLE_MASTER is the only type, so no type change replaces a channel', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...channel(60).ChannelInfo, ChannelType: 'FULL_MESH' } });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, ChannelType: 'SINGLE_MASTER' }, { ...named, ChannelType: 'FULL_MESH' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(0);
    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(0);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN, Data: { ChannelName: 'garage-camera' } });
  });

  test('a replacement that fails after its channel exists deletes that channel: CloudFormation would never learn of it', async () => {
    const newArn = channelArn('garage-camera-2');
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: newArn });
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: CHANNEL_ARN }).resolves(channel(60));
    // The new channel stays CREATING past the time the replacement is given...
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: newArn })
      .resolves({ ChannelInfo: { ChannelARN: newArn, ChannelStatus: 'CREATING' } });
    // ... and the service refuses to delete it until it is ACTIVE; then it goes.
    kvs.on(DeleteSignalingChannelCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'creating', $metadata: {} }))
      .callsFake(() => {
        kvs.on(DescribeSignalingChannelCommand, { ChannelARN: newArn }).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
        return {};
      });

    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ...named, ChannelName: 'garage-camera-2' }, named), { remainingTimeMs: 60_000 });

    expect(kvs.commandCalls(DeleteSignalingChannelCommand).map(c => c.args[0].input.ChannelARN)).toEqual([newArn, newArn]);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain('Timed out waiting for signaling channel');
  });

  test('rolling back a failed rename (the channel still has its generated name) changes nothing', async () => {
    const generated = channelArn('DoorbellStack.Garage4A49DB4E.0123456789ab');
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...channel(60).ChannelInfo, ChannelARN: generated } });
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });

    // The update to channelName 'front-door' failed; the rollback asks for the generated name back.
    const { response } = await invoke(updateEvent(generated, { ChannelType: 'SINGLE_MASTER' }, { ...named, ChannelName: 'front-door' }));

    expect(kvs.commandCalls(CreateSignalingChannelCommand)).toHaveLength(0);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: generated });
  });

  test('a channel deleted outside the stack is created again on update, under a new ARN', async () => {
    const newArn = channelArn('garage-camera', 1800000000000);
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: CHANNEL_ARN }).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand, { ChannelARN: newArn }).resolves({ ChannelInfo: { ChannelARN: newArn, ChannelStatus: 'ACTIVE' } });
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: newArn });

    const { response, clock } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, named));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newArn });
    // No polling for the channel that is not there: one look at the new one, once its creation can be done.
    expect(clock.sleeps).toEqual([FIRST_LOOK_MS * 1.05]); // the FakeClock's jitter: 5% late
  });

  test('an Update of a resource whose create made no channel creates it, and deletes it if that fails', async () => {
    const newArn = channelArn('garage-camera');
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: newArn });
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ChannelARN: newArn, ChannelStatus: 'CREATING' } });
    kvs.on(DeleteSignalingChannelCommand).callsFake(() => {
      kvs.on(DescribeSignalingChannelCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
      return {};
    });

    const { response } = await invoke(updateEvent('no-signaling-channel:abc', named, named), { remainingTimeMs: 60_000 });

    expect(kvs.commandCalls(DeleteSignalingChannelCommand).map(c => c.args[0].input.ChannelARN)).toEqual([newArn]);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'no-signaling-channel:abc' });
  });
});
