import { CreateSignalingChannelCommand, DescribeSignalingChannelCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { CHANNEL_ARN, createEvent, deleteEvent, FakeClock, invoke } from './handler-test-kit';
import { MAX_RESPONSE_BYTES, renderResponse, sendResponse } from '../../lambda/signaling-channel-handler/cfn-response';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

describe('the response to CloudFormation', () => {
  test('stays under 4,096 bytes whatever the Reason, and says it was cut', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20_000 }), reason => {
      const body = renderResponse(createEvent({}), { status: 'FAILED', physicalResourceId: CHANNEL_ARN, reason });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
      const parsed = JSON.parse(body);
      expect(parsed.PhysicalResourceId).toBe(CHANNEL_ARN);
      if (Buffer.byteLength(JSON.stringify(reason)) > 3_500) {
        expect(parsed.Reason).toContain('[truncated: see the function logs]');
      }
    }), { numRuns: 200 });
  });

  test('a huge service error still produces one valid, small FAILED response', async () => {
    kvs.on(CreateSignalingChannelCommand).rejects(Object.assign(new Error('x'.repeat(100_000)), { name: 'InvalidArgumentException' }));

    const { response, body } = await invoke(createEvent({ ChannelName: 'garage-camera' }));

    expect(response.Status).toBe('FAILED');
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('echoes the request identifiers CloudFormation matches it by', async () => {
    const event = deleteEvent('not-a-channel');
    const { response } = await invoke(event);

    expect(response).toMatchObject({ StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: false });
  });

  test('retries the PUT with backoff until CloudFormation takes it', async () => {
    const statuses = [500, 503];
    const { puts, response } = await invoke(deleteEvent('not-a-channel'), {
      put: async () => statuses.shift() ?? 200,
    });

    expect(puts).toBe(3);
    expect(response.Status).toBe('SUCCESS');
  });

  test('gives up the PUT before Lambda\'s own timeout', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    let puts = 0;
    const answered = await sendResponse('https://example.invalid/', '{}', {
      clock,
      log: () => undefined,
      until: clock.now() + 1_000,
      put: async () => {
        puts++;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });

    expect(answered).toBe(false);
    expect(puts).toBeGreaterThan(1);
    expect(clock.now() - start).toBeLessThan(1_000); // never slept past `until`
  });

  test('never logs the ResponseURL: it is a pre-signed credential', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand).resolves({ ChannelInfo: { ChannelARN: CHANNEL_ARN, ChannelStatus: 'ACTIVE' } });
    const event = createEvent({ ChannelName: 'garage-camera' });

    const { logs } = await invoke(event);

    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toContain(event.ResponseURL);
      expect(line).not.toContain('secret-signature');
      expect(() => JSON.parse(line)).not.toThrow(); // structured
    }
  });
});
