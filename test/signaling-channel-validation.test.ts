import { App, Duration, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { SignalingChannel, SignalingChannelType } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack');
}

const validName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,256}$/);
const invalidName = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[a-zA-Z0-9_.-]{257,300}$/),
  fc.tuple(fc.stringMatching(/^[a-zA-Z0-9]{0,10}$/), fc.constantFrom(' ', '/', '!', '@', 'é', ':', '*'), fc.stringMatching(/^[a-zA-Z0-9]{0,10}$/)).map(([a, bad, b]) => `${a}${bad}${b}`),
);
const tagText = fc.stringMatching(/^[a-zA-Z0-9 _.:/=+\-@]{1,128}$/).filter(k => !k.toLowerCase().startsWith('aws:'));
const validTags = fc.dictionary(tagText, fc.stringMatching(/^[a-zA-Z0-9 _.:/=+\-@]{0,256}$/), { maxKeys: 49, noNullPrototype: true });

describe('validation at synth time', () => {
  test('every valid input synthesizes', () => {
    fc.assert(fc.property(
      fc.option(validName, { nil: undefined }),
      fc.option(fc.integer({ min: 5, max: 120 }), { nil: undefined }),
      validTags,
      (signalingChannelName, ttl, tags) => {
        const stack = newStack();
        new SignalingChannel(stack, 'Channel', {
          signalingChannelName,
          channelType: SignalingChannelType.SINGLE_MASTER,
          messageTtl: ttl === undefined ? undefined : Duration.seconds(ttl),
          tags,
        });
        expect(() => App.of(stack)!.synth()).not.toThrow();
      }), { numRuns: 60 });
  });

  test('every invalid name throws an error naming the path, the field, the value and what is allowed', () => {
    fc.assert(fc.property(invalidName, signalingChannelName => {
      const stack = newStack();
      expect(() => new SignalingChannel(stack, 'Channel', { signalingChannelName }))
        .toThrow(/TestStack\/Channel: invalid signaling channel properties:\n {2}signalingChannelName must be 1-256 characters of a-z, A-Z, 0-9, '_', '.' and '-' \(got '/);
    }), { numRuns: 100 });
  });

  test('every invalid TTL throws an error naming the field, the value and the range', () => {
    const invalidTtlMillis = fc.oneof(
      fc.integer({ min: 0, max: 4 }).map(s => s * 1000),
      fc.integer({ min: 121, max: 100_000 }).map(s => s * 1000),
      fc.integer({ min: 5_001, max: 119_999 }).filter(ms => ms % 1000 !== 0), // fractions of a second
    );
    fc.assert(fc.property(invalidTtlMillis, millis => {
      const stack = newStack();
      expect(() => new SignalingChannel(stack, 'Channel', { messageTtl: Duration.millis(millis) }))
        .toThrow(/messageTtl must be a whole number of seconds from 5 to 120 \(got [\d.]+\)/);
    }), { numRuns: 100 });
  });

  test('every invalid tag throws an error naming the tag', () => {
    const invalidTag = fc.oneof(
      fc.tuple(fc.constantFrom('aws:', 'AWS:'), tagText).map(([prefix, rest]) => [`${prefix}${rest}`.slice(0, 128), 'v'] as const),
      fc.tuple(fc.stringMatching(/^[a-zA-Z]{129,140}$/), fc.constant('v')),
      fc.tuple(tagText, fc.stringMatching(/^[a-zA-Z]{257,260}$/)),
      fc.tuple(tagText, fc.constantFrom('semi;colon', 'star*', 'hash#', 'quote"')),
      fc.constant(['cdk-kvs-signaling-channel:creation-request', 'mine'] as const),
    );
    fc.assert(fc.property(invalidTag, ([key, value]) => {
      const stack = newStack();
      expect(() => new SignalingChannel(stack, 'Channel', { tags: { [key]: value } })).toThrow(/TestStack\/Channel: .*\n {2}tags: tag (key )?'/);
    }), { numRuns: 100 });
  });

  test('FULL_MESH, which the service does not support, is refused with the reason', () => {
    expect(() => new SignalingChannel(newStack(), 'Channel', { channelType: 'FULL_MESH' as SignalingChannelType }))
      .toThrow("channelType must be one of SINGLE_MASTER (got 'FULL_MESH') (FULL_MESH is in the SDK but the service does not support it)");
  });

  test('more than 48 tags in all, counting Tags.of, fails at synth with the count', () => {
    const stack = newStack();
    const tags = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`own${i}`, 'v']));
    new SignalingChannel(stack, 'Channel', { tags });
    for (let i = 0; i < 5; i++) Tags.of(stack).add(`stack${i}`, 'v');

    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Channel.*tags: at most 48 tags are allowed .* got 49/s);
  });

  test('a tag added with Tags.of that breaks the rules fails at synth, naming it', () => {
    const stack = newStack();
    new SignalingChannel(stack, 'Channel');
    Tags.of(stack).add('cost#center', 'v');

    expect(() => App.of(stack)!.synth()).toThrow(/tag key 'cost#center' must be 1-128 letters/);
  });

  test('RemovalPolicy.SNAPSHOT is refused: a channel has no snapshot', () => {
    expect(() => new SignalingChannel(newStack(), 'Channel', { removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/TestStack\/Channel: invalid signaling channel properties:\n {2}removalPolicy SNAPSHOT is not supported/);
  });

  test('checks are skipped for unresolved tokens', () => {
    const stack = newStack();
    const token = Lazy.string({ produce: () => 'not valid!' });
    expect(Token.isUnresolved(token)).toBe(true);
    expect(() => new SignalingChannel(stack, 'Channel', {
      signalingChannelName: token,
      tags: { [Lazy.string({ produce: () => 'k' })]: Lazy.string({ produce: () => 'v' }) },
    })).not.toThrow();
  });
});
