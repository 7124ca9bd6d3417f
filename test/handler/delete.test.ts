import {
  DeleteSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ResourceInUseException,
  ResourceNotFoundException,
  AccessDeniedException,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNEL_ARN, deleteEvent, invoke, REQUEST_ID } from './handler-test-kit';
import { NO_CHANNEL_ID_PREFIX } from '../../src/handler-shared/handler-contract';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

const info = (status: 'ACTIVE' | 'CREATING' | 'DELETING') => ({ ChannelInfo: { ChannelARN: CHANNEL_ARN, ChannelStatus: status } });
const notFound = () => new ResourceNotFoundException({ message: 'gone', $metadata: {} });

describe('Delete', () => {
  test('deletes the channel with one call: DELETING cannot be undone, so it does not wait for it to go', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolves(info('DELETING'));
    kvs.on(DeleteSignalingChannelCommand).resolves({});

    const { response, clock } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(kvs.commandCalls(DeleteSignalingChannelCommand)[0].args[0].input).toEqual({ ChannelARN: CHANNEL_ARN });
    expect(kvs.calls()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
  });

  test.each([
    [`${NO_CHANNEL_ID_PREFIX}${REQUEST_ID}`, 'the id of a failed create'],
    ['DoorbellStack-Garage-1A2B3C4D5E6F', 'an id CloudFormation invented for an interrupted create'],
    ['', 'an empty id'],
  ])('succeeds without calling the service for %s (%s)', async (id) => {
    const { response } = await invoke(deleteEvent(id));

    expect(kvs.calls()).toHaveLength(0);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  });

  test('succeeds for a channel that no longer exists', async () => {
    kvs.on(DeleteSignalingChannelCommand).rejects(notFound());

    const { response } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(0);
    expect(response.Status).toBe('SUCCESS');
  });

  test('succeeds when the channel disappears between a refused Delete and the Describe', async () => {
    kvs.on(DeleteSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'busy', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).rejects(notFound());

    const { response } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(response.Status).toBe('SUCCESS');
  });

  test('succeeds for a channel already DELETING (a Delete delivered twice)', async () => {
    kvs.on(DeleteSignalingChannelCommand).rejects(new ResourceInUseException({ message: 'deleting', $metadata: {} }));
    kvs.on(DescribeSignalingChannelCommand).resolves(info('DELETING'));

    const { response } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(1);
    expect(kvs.commandCalls(DescribeSignalingChannelCommand)).toHaveLength(1);
    expect(response.Status).toBe('SUCCESS');
  });

  test('a channel still CREATING (a failed create\'s channel) is deleted as soon as the service accepts it', async () => {
    kvs.on(DescribeSignalingChannelCommand)
      .resolvesOnce(info('CREATING'))
      .resolvesOnce(info('CREATING'))
      .rejects(notFound());
    kvs.on(DeleteSignalingChannelCommand)
      .rejectsOnce(new ResourceInUseException({ message: 'busy', $metadata: {} }))
      .rejectsOnce(new ResourceInUseException({ message: 'busy', $metadata: {} }))
      .resolves({});

    const { response, clock } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(kvs.commandCalls(DeleteSignalingChannelCommand)).toHaveLength(3);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2); // backed off between tries
    expect(response.Status).toBe('SUCCESS');
  });

  test('access denied fails the delete, naming the permission: the channel would leak otherwise', async () => {
    kvs.on(DeleteSignalingChannelCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));

    const { response } = await invoke(deleteEvent(CHANNEL_ARN));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CHANNEL_ARN });
    expect(response.Reason).toContain('kinesisvideo:DeleteSignalingChannel');
  });
});
