/**
 * WebRTC ingestion: the handler links a channel to its stream after create, switches or unlinks it on
 * update, and turns each refusal of the service into a Reason that says what to do.
 */
import {
  AccessDeniedException,
  ClientLimitExceededException,
  CreateSignalingChannelCommand,
  DeleteSignalingChannelCommand,
  DescribeMappedResourceConfigurationCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  NoDataRetentionException,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateMediaStorageConfigurationCommand,
  UpdateSignalingChannelCommand,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNEL_ARN, channelArn, createEvent, deleteEvent, FakeClock, invoke, STACK_ID, updateEvent } from './handler-test-kit';
import { FIRST_LOOK_MS, STORAGE_AFTER_CREATE_MS, STORAGE_SLOT_SPACING_MS } from '../../lambda/custom-resource/pacing';
import { parseChannelProperties } from '../../lambda/signaling-channel/channel-properties';
import { renderSlotTable, slotOf } from '../../src/handler-shared/channel-slots';
import { ChannelProperty, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

const STREAM_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/doorbell-recordings/1700000000001';
const OTHER_STREAM_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/doorbell-recordings-v2/1700000000002';
const STORAGE = ChannelProperty.MEDIA_STORAGE_STREAM_ARN;
const active = { ChannelInfo: { ChannelARN: CHANNEL_ARN, ChannelName: 'garage-camera', ChannelStatus: 'ACTIVE' as const, Version: 'v1' } };
const meta = { $metadata: {} };

function creatable(): void {
  kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
  kvs.on(DescribeSignalingChannelCommand).resolves(active);
}

function storageCalls() {
  return kvs.commandCalls(UpdateMediaStorageConfigurationCommand).map(call => call.args[0].input);
}

describe('properties', () => {
  test('the stream ARN is read as is; absent or empty (older-shaped properties, a rollback) means no storage', () => {
    expect(parseChannelProperties({ [STORAGE]: STREAM_ARN }).mediaStorageStreamArn).toBe(STREAM_ARN);
    expect(parseChannelProperties({}).mediaStorageStreamArn).toBeUndefined();
    expect(parseChannelProperties({ [STORAGE]: '' }).mediaStorageStreamArn).toBeUndefined();
  });

  test('anything but a stream ARN is refused, naming the property, the value and what is allowed', () => {
    expect(() => parseChannelProperties({ [STORAGE]: CHANNEL_ARN })).toThrow(
      `Invalid signaling channel properties: ${STORAGE} must be a Kinesis video stream ARN, ` +
      `arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time> (got '${CHANNEL_ARN}')`);
    // The previous properties of an update are read leniently.
    expect(parseChannelProperties({ [STORAGE]: 'nonsense' }, { lenient: true }).mediaStorageStreamArn).toBe('nonsense');
  });
});

describe('Create with media storage', () => {
  test('enables it once the channel is ACTIVE, with the stream\'s ARN', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand)
      .resolvesOnce({ ChannelInfo: { ...active.ChannelInfo, ChannelStatus: 'CREATING' } })
      .resolves(active);
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
    expect(storageCalls()).toEqual([{ ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } }]);
    // After the channel was seen ACTIVE, never before.
    const order = kvs.calls().map(call => call.args[0].constructor.name);
    expect(order.lastIndexOf('DescribeSignalingChannelCommand')).toBeLessThan(order.indexOf('UpdateMediaStorageConfigurationCommand'));
  });

  test('a channel without media storage never calls it', async () => {
    creatable();
    await invoke(createEvent({ ChannelName: 'garage-camera' }));
    expect(storageCalls()).toHaveLength(0);
    expect(kvs.commandCalls(DescribeMappedResourceConfigurationCommand)).toHaveLength(0);
  });

  test('a stream that keeps no data: FAILED with the channel\'s real ARN (the Delete removes it) and a Reason that says what to do', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new NoDataRetentionException({ message: 'no data retention', ...meta }));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(CHANNEL_ARN);
    expect(response.Reason).toBe(`Signaling channel ${CHANNEL_ARN} cannot record into Kinesis video stream ${STREAM_ARN}: the stream ` +
      'keeps no data (NoDataRetentionException). WebRTC ingestion needs a stream with a data retention period: give the ' +
      'stream a dataRetention of at least 1 hour (DataRetentionInHours > 0).');
  });

  test('a stream that records a channel of another stack: the Reason names that channel; the failed channel is answered for deletion', async () => {
    const other = channelArn('porch-camera');
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new ResourceInUseException({ message: 'stream in use', ...meta }));
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [{ Type: 'SIGNALING_CHANNEL', ARN: other }] });
    kvs.on(ListTagsForResourceCommand, { ResourceARN: other }).resolves({ Tags: { [STACK_TAG_KEY]: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Porch/1' } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(kvs.commandCalls(DescribeMappedResourceConfigurationCommand)[0].args[0].input).toEqual({ StreamARN: STREAM_ARN });
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain(`Kinesis video stream ${STREAM_ARN} already records signaling channel ${other}, which is not a channel of this stack (ResourceInUseException`);
    // Another stack's channel is never touched.
    expect(storageCalls().filter(call => call.ChannelARN === other)).toEqual([]);
  });

  test('another channel of this stack that moved to another stream meanwhile is not unlinked (DISABLED would drop its new link)', async () => {
    const other = channelArn('porch-camera');
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand, { ChannelARN: CHANNEL_ARN })
      .rejectsOnce(new ResourceInUseException({ message: 'stream in use', ...meta }))
      .resolves({});
    // It held the stream when first read; by the time its tags are read, its own request has moved it.
    kvs.on(DescribeMappedResourceConfigurationCommand)
      .resolvesOnce({ MappedResourceConfigurationList: [{ Type: 'SIGNALING_CHANNEL', ARN: other }] })
      .resolves({ MappedResourceConfigurationList: [] });
    kvs.on(ListTagsForResourceCommand, { ResourceARN: other }).resolves({ Tags: { [STACK_TAG_KEY]: STACK_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
    expect(storageCalls().filter(call => call.ChannelARN === other)).toEqual([]);
  });

  test('a stream that records another channel of this stack (moved in the same deployment): unlinked from it, linked here', async () => {
    const other = channelArn('porch-camera');
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand, { ChannelARN: CHANNEL_ARN })
      .rejectsOnce(new ResourceInUseException({ message: 'stream in use', ...meta }))
      .resolves({});
    kvs.on(UpdateMediaStorageConfigurationCommand, { ChannelARN: other }).resolves({});
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [{ Type: 'SIGNALING_CHANNEL', ARN: other }] });
    kvs.on(ListTagsForResourceCommand, { ResourceARN: other }).resolves({ Tags: { [STACK_TAG_KEY]: STACK_ID } });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
    expect(storageCalls()).toEqual([
      { ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } },
      { ChannelARN: other, MediaStorageConfiguration: { Status: 'DISABLED' } },
      { ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } },
    ]);
  });

  test('delivered twice: the stream already records this very channel, which is success', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new ResourceInUseException({ message: 'stream in use', ...meta }));
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [{ ARN: CHANNEL_ARN }] });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test('ResourceInUse with the stream mapped to nothing (channel not ACTIVE for it yet): waits and tries again', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'channel not active', ...meta }))
      .resolves({});
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [] });

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toHaveLength(2);
  });

  test('throttling and IAM propagation are retried within the deadline', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand)
      .rejectsOnce(new ClientLimitExceededException({ message: 'slow down', ...meta }))
      .rejectsOnce(new AccessDeniedException({ message: 'not yet', ...meta }))
      .resolves({});

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toHaveLength(3);
  });

  test('a missing permission, past its retries, is named in the Reason', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new AccessDeniedException({ message: 'denied', ...meta }));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain(`needs kinesisvideo:UpdateMediaStorageConfiguration on ${CHANNEL_ARN}`);
  });

  test('a stream that does not exist: a Reason that says so', async () => {
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'stream not found', ...meta }));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain(`cannot record into Kinesis video stream ${STREAM_ARN}: the service did not find it`);
  });

  test('the enable call waits for the channel\'s storage turn: its place in the wall clock\'s storage cycle, after the first look could end', async () => {
    const logicalIds = Array.from({ length: 200 }, (_, i) => `Camera${i}`).concat('Garage4A49DB4E');
    const table = renderSlotTable(logicalIds);
    const slot = slotOf(table, 'Garage4A49DB4E');
    const clock = new FakeClock();
    const startedAt = clock.time;
    let enabledAt = 0;
    creatable();
    kvs.on(UpdateMediaStorageConfigurationCommand).callsFake(() => {
      enabledAt = clock.time;
      return {};
    });

    await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }), { clock, slotTable: table });

    expect(slot.index).toBeGreaterThan(10);
    const cycle = slot.count * STORAGE_SLOT_SPACING_MS;
    expect(enabledAt % cycle).toBe(slot.index * STORAGE_SLOT_SPACING_MS);
    // No sooner than the first look could find the channel ACTIVE, no later than one cycle after that.
    expect(enabledAt - startedAt).toBeGreaterThanOrEqual(STORAGE_AFTER_CREATE_MS);
    expect(enabledAt - startedAt).toBeLessThan(FIRST_LOOK_MS * 1.1 + STORAGE_AFTER_CREATE_MS + cycle);
    // Later than the latest first look (FIRST_LOOK_MS + 10% jitter): new channels keep to their turns.
    expect(STORAGE_AFTER_CREATE_MS).toBeGreaterThanOrEqual(Math.floor(FIRST_LOOK_MS * 1.1));
    expect(1000 / STORAGE_SLOT_SPACING_MS).toBeLessThanOrEqual(10 * 0.8);
  });

  test('on update the storage turn is the next of the channel\'s places in the storage cycle', async () => {
    const table = renderSlotTable(Array.from({ length: 200 }, (_, i) => `Camera${i}`).concat('Garage4A49DB4E'));
    const slot = slotOf(table, 'Garage4A49DB4E');
    const clock = new FakeClock();
    const startedAt = clock.time;
    let enabledAt = 0;
    kvs.on(UpdateMediaStorageConfigurationCommand).callsFake(() => {
      enabledAt = clock.time;
      return {};
    });
    await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }, { ChannelName: 'garage-camera' }), { clock, slotTable: table });
    const cycle = slot.count * STORAGE_SLOT_SPACING_MS;
    expect(enabledAt % cycle).toBe(slot.index * STORAGE_SLOT_SPACING_MS);
    expect(enabledAt - startedAt).toBeLessThan(cycle);
  });
});

describe('Update of media storage', () => {
  test('added: enabled, with no Describe (nothing else changed)', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});
    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }, { ChannelName: 'garage-camera' }));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
    expect(storageCalls()).toEqual([{ ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } }]);
    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(0);
  });

  test('switched to another stream (or the stream was replaced: a new ARN): unlinked from the old one, then enabled with the new', async () => {
    // The service refuses to link a channel that records into another stream (ResourceInUseException).
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});
    await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera', [STORAGE]: OTHER_STREAM_ARN }, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(storageCalls()).toEqual([
      { ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'DISABLED' } },
      { ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: OTHER_STREAM_ARN } },
    ]);
  });

  test('removed, or a rollback to older-shaped properties without the field: disabled, naming no stream (it may be gone)', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});
    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera' }, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toEqual([{ ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'DISABLED' } }]);
  });

  test('unchanged: no call at all, even when the TTL changes', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(UpdateSignalingChannelCommand).resolves({});
    await invoke(updateEvent(CHANNEL_ARN,
      { ChannelName: 'garage-camera', MessageTtlSeconds: '30', [STORAGE]: STREAM_ARN },
      { ChannelName: 'garage-camera', MessageTtlSeconds: '60', [STORAGE]: STREAM_ARN }));
    expect(storageCalls()).toHaveLength(0);
  });

  test('a busy channel is waited for before disabling', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'UPDATING', ...meta }))
      .resolves({});
    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera' }, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toHaveLength(2);
  });

  test('a failed enable on update answers FAILED with the unchanged id (CloudFormation rolls back)', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new NoDataRetentionException({ message: 'no retention', ...meta }));
    const { response } = await invoke(updateEvent(CHANNEL_ARN, { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }, { ChannelName: 'garage-camera' }));
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain('NoDataRetentionException');
  });

  test('a rename of a recording channel moves the stream from the channel it replaces to the new one', async () => {
    const renamed = channelArn('garage-camera-v2', 1700000000500);
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: renamed });
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ...active.ChannelInfo, ChannelARN: renamed } });
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: {} });
    kvs.on(TagResourceCommand).resolves({});
    kvs.on(UpdateMediaStorageConfigurationCommand, { ChannelARN: renamed })
      .rejectsOnce(new ResourceInUseException({ message: 'stream in use', ...meta }))
      .resolves({});
    kvs.on(UpdateMediaStorageConfigurationCommand, { ChannelARN: CHANNEL_ARN }).resolves({});
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [{ ARN: CHANNEL_ARN }] });

    const { response } = await invoke(updateEvent(CHANNEL_ARN,
      { ChannelName: 'garage-camera-v2', [STORAGE]: STREAM_ARN },
      { ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: renamed });
    expect(storageCalls()).toEqual([
      { ChannelARN: renamed, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } },
      { ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'DISABLED' } },
      { ChannelARN: renamed, MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: STREAM_ARN } },
    ]);
  });
});

describe('Delete of a recording channel', () => {
  test('unlinks it from its stream first (the service refuses to delete a linked channel), then deletes it', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});
    kvs.on(DeleteSignalingChannelCommand).resolves({});
    const { response } = await invoke(deleteEvent(CHANNEL_ARN, { [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toEqual([{ ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'DISABLED' } }]);
    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(1);
  });

  test('a channel the template did not say records, refused while ACTIVE (linked by an earlier version): unlinked, then deleted', async () => {
    kvs.on(DeleteSignalingChannelCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'CLOUD_STORAGE_MODE', ...meta }))
      .resolves({});
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(UpdateMediaStorageConfigurationCommand).resolves({});
    const { response } = await invoke(deleteEvent(CHANNEL_ARN, { ChannelName: 'garage-camera' }));
    expect(response.Status).toBe('SUCCESS');
    expect(storageCalls()).toEqual([{ ChannelARN: CHANNEL_ARN, MediaStorageConfiguration: { Status: 'DISABLED' } }]);
    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(2);
  });

  test('a recording channel already gone: nothing to unlink or delete', async () => {
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
    const { response } = await invoke(deleteEvent(CHANNEL_ARN, { [STORAGE]: STREAM_ARN }));
    expect(response.Status).toBe('SUCCESS');
    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(0);
  });

  test('a channel without media storage is deleted with one call', async () => {
    kvs.on(DeleteSignalingChannelCommand).resolves({});
    const { response } = await invoke(deleteEvent(CHANNEL_ARN, { ChannelName: 'garage-camera' }));
    expect(response.Status).toBe('SUCCESS');
    expect(kvs.calls()).toHaveLength(1);
  });
});

describe('a stream taken by a channel whose tags the role may not read', () => {
  test('is another stack\'s (the role reads the tags of its own stack\'s channels only): refused, naming it, never touched', async () => {
    const other = channelArn('neighbour');
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand).resolves(active);
    kvs.on(UpdateMediaStorageConfigurationCommand).rejects(new ResourceInUseException({ message: 'stream in use', ...meta }));
    kvs.on(DescribeMappedResourceConfigurationCommand).resolves({ MappedResourceConfigurationList: [{ ARN: other }] });
    kvs.on(ListTagsForResourceCommand, { ResourceARN: other }).rejects(new AccessDeniedException({ message: 'not yours', ...meta }));

    const { response } = await invoke(createEvent({ ChannelName: 'garage-camera', [STORAGE]: STREAM_ARN }));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain(`already records signaling channel ${other}, which is not a channel of this stack`);
    expect(storageCalls().filter(call => call.ChannelARN === other)).toEqual([]);
  });
});
