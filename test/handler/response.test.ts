import { CreateSignalingChannelCommand, DescribeSignalingChannelCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { CHANNEL_ARN, createEvent, deleteEvent, FakeClock, invoke } from './handler-test-kit';
import { RESPONSE_BODY_BUDGET_BYTES, renderResponse, sendResponse } from '../../lambda/custom-resource/cfn-response';
import { jsonLogger } from '../../lambda/custom-resource/logger';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

describe('the response to CloudFormation', () => {
  test('stays under 4,096 bytes whatever the Reason, and says it was cut', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20_000 }), reason => {
      const body = renderResponse(createEvent({}), { status: 'FAILED', physicalResourceId: CHANNEL_ARN, reason });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(RESPONSE_BODY_BUDGET_BYTES);
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
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(RESPONSE_BODY_BUDGET_BYTES);
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
    }
  });

  test('the production logger writes one JSON line per entry, through the console method of its level', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      jsonLogger('INFO', 'created', { channelArn: CHANNEL_ARN });
      jsonLogger('WARN', 'retrying', { attempt: 1 });
      jsonLogger('ERROR', 'failed');

      expect(JSON.parse(info.mock.calls[0][0])).toEqual({ level: 'INFO', message: 'created', channelArn: CHANNEL_ARN });
      expect(JSON.parse(warn.mock.calls[0][0])).toEqual({ level: 'WARN', message: 'retrying', attempt: 1 });
      expect(JSON.parse(error.mock.calls[0][0])).toEqual({ level: 'ERROR', message: 'failed' });
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('each PUT attempt is bounded so that the last one ends before Lambda\'s timeout', async () => {
    const clock = new FakeClock();
    const until = clock.now() + 7_000;
    const timeouts: number[] = [];
    await sendResponse('https://example.invalid/', '{}', {
      clock,
      log: () => undefined,
      until,
      put: async (_url, _body, timeoutMs) => {
        timeouts.push(timeoutMs);
        clock.time += timeoutMs; // the attempt hangs for as long as it is allowed
        throw Object.assign(new Error('response PUT timed out'), { code: 'ETIMEDOUT' });
      },
    });

    expect(timeouts[0]).toBe(5_000);
    expect(clock.now()).toBeLessThanOrEqual(until);
  });
});
