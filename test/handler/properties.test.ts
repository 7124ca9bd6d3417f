import * as fc from 'fast-check';
import { generateChannelName } from '../../lambda/signaling-channel/channel-names';
import { parseChannelProperties } from '../../lambda/signaling-channel/channel-properties';
import { channelNameProblem } from '../../src/handler-shared/signaling-channel-rules';

describe('ResourceProperties as CloudFormation delivers them', () => {
  test('string-typed scalars are parsed', () => {
    expect(parseChannelProperties({ ChannelName: 'a', ChannelType: 'SINGLE_MASTER', MessageTtlSeconds: '5' })).toEqual({
      explicitName: 'a', channelType: 'SINGLE_MASTER', messageTtlSeconds: 5, tags: {},
    });
  });

  test('missing fields take their defaults (properties written by an older version)', () => {
    expect(parseChannelProperties({})).toEqual({ explicitName: undefined, channelType: 'SINGLE_MASTER', messageTtlSeconds: 60, tags: {} });
  });

  test.each([
    ['MessageTtlSeconds', { MessageTtlSeconds: 'sixty' }, "MessageTtlSeconds must be a whole number of seconds from 5 to 120 (got 'sixty')"],
    ['MessageTtlSeconds', { MessageTtlSeconds: '4' }, "(got '4')"],
    ['MessageTtlSeconds', { MessageTtlSeconds: '7.5' }, "(got '7.5')"],
    ['ChannelName', { ChannelName: 'x'.repeat(257) }, 'ChannelName must be 1-256 characters'],
    ['ChannelType', { ChannelType: 'FULL_MESH' }, 'ChannelType must be one of SINGLE_MASTER'],
    ['Tags', { Tags: [{ Key: 'aws:owner', Value: 'me' }] }, "Tags: tag key 'aws:owner' starts with 'aws:'"],
    ['Tags', { Tags: 'oops' }, 'Tags must be a list of { Key, Value }'],
    ['Tags', { Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, 'Tags: at most 48 tags are allowed (the service\'s 50, less the 2 this library adds)'],
  ])('an invalid %s is refused with a message that names it: %j', (_field, props, message) => {
    expect(() => parseChannelProperties(props)).toThrow(message);
  });

  test('generated names are valid channel names, start with the stack name, and are stable per request', () => {
    fc.assert(fc.property(
      fc.stringMatching(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/),
      fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,254}$/),
      fc.uuid(),
      (stackName, logicalId, requestId) => {
        const stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${stackName}/guid`;
        const name = generateChannelName(stackId, logicalId, requestId);
        expect(channelNameProblem(name)).toBeUndefined();
        expect(name.startsWith(`${stackName}.`)).toBe(true);
        expect(generateChannelName(stackId, logicalId, requestId)).toBe(name);
      }));
  });

  test('a different request (a replacement) generates a different name', () => {
    const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/guid';
    expect(generateChannelName(stackId, 'Doorbell', 'request-1')).not.toBe(generateChannelName(stackId, 'Doorbell', 'request-2'));
  });
});
