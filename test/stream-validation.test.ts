import { App, Duration, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { Stream, StreamStorageTier } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack');
}

const HEADER = /TestStack\/Stream: invalid Kinesis video stream properties:\n {2}/;

const validName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,256}$/);
const invalidName = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[a-zA-Z0-9_.-]{257,300}$/),
  fc.tuple(fc.stringMatching(/^[a-zA-Z0-9]{0,10}$/), fc.constantFrom(' ', '/', '!', '@', 'é', ':', '*'), fc.stringMatching(/^[a-zA-Z0-9]{0,10}$/)).map(([a, bad, b]) => `${a}${bad}${b}`),
);
const validDeviceName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,128}$/);
const mediaTypePart = fc.stringMatching(/^[\w\-.+]{1,10}$/);
const validMediaType = fc.array(fc.tuple(mediaTypePart, mediaTypePart).map(([type, subtype]) => `${type}/${subtype}`), { minLength: 1, maxLength: 5 })
  .map(types => types.join(','))
  .filter(mediaType => mediaType.length <= 128);
const tagText = fc.stringMatching(/^[a-zA-Z0-9 _.:/=+\-@]{1,128}$/).filter(k => !k.toLowerCase().startsWith('aws:'));
const validTags = fc.dictionary(tagText, fc.stringMatching(/^[a-zA-Z0-9 _.:/=+\-@]{0,256}$/), { maxKeys: 50, noNullPrototype: true });

describe('validation at synth time', () => {
  test('every valid input synthesizes', () => {
    fc.assert(fc.property(
      fc.option(validName, { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 87_600 }), { nil: undefined }),
      fc.option(validMediaType, { nil: undefined }),
      fc.option(validDeviceName, { nil: undefined }),
      fc.option(fc.constantFrom(StreamStorageTier.HOT, StreamStorageTier.WARM), { nil: undefined }),
      validTags,
      (streamName, hours, mediaType, deviceName, storageTier, tags) => {
        const stack = newStack();
        new Stream(stack, 'Stream', {
          streamName,
          dataRetention: hours === undefined ? undefined : Duration.hours(hours),
          mediaType,
          deviceName,
          storageTier,
          tags,
        });
        expect(() => App.of(stack)!.synth()).not.toThrow();
      }), { numRuns: 60 });
  });

  test('every invalid name throws an error naming the path, the field, the value and what is allowed', () => {
    fc.assert(fc.property(invalidName, streamName => {
      expect(() => new Stream(newStack(), 'Stream', { streamName }))
        .toThrow(new RegExp(`${HEADER.source}streamName must be 1-256 characters of a-z, A-Z, 0-9, '_', '.' and '-' \\(got '`));
    }), { numRuns: 100 });
  });

  test('every invalid retention throws an error naming the field, the value and the range', () => {
    const invalidRetentionMinutes = fc.oneof(
      fc.integer({ min: 87_601, max: 1_000_000 }).map(hours => hours * 60),
      fc.integer({ min: 1, max: 87_600 * 60 }).filter(minutes => minutes % 60 !== 0), // fractions of an hour
    );
    fc.assert(fc.property(invalidRetentionMinutes, minutes => {
      expect(() => new Stream(newStack(), 'Stream', { dataRetention: Duration.minutes(minutes) }))
        .toThrow(new RegExp(`${HEADER.source}dataRetention must be a whole number of hours from 0 \\(keep no data\\) to 87600 \\(got [\\d.]+\\)`));
    }), { numRuns: 100 });
  });

  test.each([0, 87_600])('the retention bounds are accepted: %d hours', hours => {
    expect(() => new Stream(newStack(), 'Stream', { dataRetention: Duration.hours(hours) })).not.toThrow();
  });

  test('every invalid device name throws an error naming the field and the value', () => {
    const invalidDeviceName = fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[a-zA-Z0-9_.-]{129,140}$/),
      fc.tuple(fc.stringMatching(/^[a-z]{0,5}$/), fc.constantFrom(' ', '/', ':', '+', 'é'), fc.stringMatching(/^[a-z]{0,5}$/)).map(([a, bad, b]) => `${a}${bad}${b}`),
    );
    fc.assert(fc.property(invalidDeviceName, deviceName => {
      expect(() => new Stream(newStack(), 'Stream', { deviceName }))
        .toThrow(new RegExp(`${HEADER.source}deviceName must be 1-128 characters of a-z, A-Z, 0-9, '_', '.' and '-' \\(got '`));
    }), { numRuns: 100 });
  });

  test('every invalid media type throws an error naming the field and the value', () => {
    const invalidMediaType = fc.oneof(
      fc.constantFrom('', 'h264', 'video/', '/h264', 'video/h264,', 'video/h264, audio/aac', 'video h264', 'video/h/264', 'vidéo/h264'),
      // Well formed but longer than 128 characters.
      fc.tuple(fc.stringMatching(/^[a-z]{64,70}$/), fc.stringMatching(/^[a-z]{64,70}$/)).map(([type, subtype]) => `${type}/${subtype}`),
    );
    fc.assert(fc.property(invalidMediaType, mediaType => {
      expect(() => new Stream(newStack(), 'Stream', { mediaType }))
        .toThrow(new RegExp(`${HEADER.source}mediaType must be 1-128 characters: one or more comma-separated type/subtype pairs .* \\(got '`));
    }), { numRuns: 50 });
  });

  test('every invalid tag throws an error naming the tag', () => {
    const invalidTag = fc.oneof(
      fc.tuple(fc.constantFrom('aws:', 'AWS:'), tagText).map(([prefix, rest]) => [`${prefix}${rest}`.slice(0, 128), 'v'] as const),
      fc.tuple(fc.stringMatching(/^[a-zA-Z]{129,140}$/), fc.constant('v')),
      fc.tuple(tagText, fc.stringMatching(/^[a-zA-Z]{257,260}$/)),
      fc.tuple(tagText, fc.constantFrom('semi;colon', 'star*', 'hash#', 'quote"')),
    );
    fc.assert(fc.property(invalidTag, ([key, value]) => {
      expect(() => new Stream(newStack(), 'Stream', { tags: { [key]: value } })).toThrow(new RegExp(`${HEADER.source}tags: tag (key )?'`));
    }), { numRuns: 100 });
  });

  test('more than 50 tags in all, counting Tags.of, fails at synth with the count', () => {
    const stack = newStack();
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`own${i}`, 'v']));
    new Stream(stack, 'Stream', { tags });
    for (let i = 0; i < 3; i++) Tags.of(stack).add(`stack${i}`, 'v');

    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Stream.*tags: at most 50 tags are allowed on a stream, got 51/s);
  });

  test('a tag added with Tags.of that breaks the rules fails at synth, naming it', () => {
    const stack = newStack();
    new Stream(stack, 'Stream');
    Tags.of(stack).add('cost#center', 'v');

    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Stream.*tag key 'cost#center' must be 1-128 letters/s);
  });

  test('a storage tier that is not HOT or WARM is refused', () => {
    expect(() => new Stream(newStack(), 'Stream', { storageTier: 'COLD' as StreamStorageTier }))
      .toThrow(new RegExp(`${HEADER.source}storageTier must be one of HOT, WARM \\(got the string 'COLD'\\)`));
  });

  test('RemovalPolicy.SNAPSHOT is refused: a stream has no snapshot', () => {
    expect(() => new Stream(newStack(), 'Stream', { removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(new RegExp(`${HEADER.source}removalPolicy SNAPSHOT is not supported: a Kinesis video stream has no snapshot`));
  });

  test('every problem is reported at once', () => {
    expect(() => new Stream(newStack(), 'Stream', { streamName: 'a b', dataRetention: Duration.minutes(30), deviceName: '' }))
      .toThrow(/streamName must be .*\n {2}dataRetention must be .*\n {2}deviceName must be /);
  });

  test('checks are skipped for unresolved tokens', () => {
    const stack = newStack();
    const token = Lazy.string({ produce: () => 'not valid!' });
    expect(Token.isUnresolved(token)).toBe(true);
    expect(() => new Stream(stack, 'Stream', {
      streamName: token,
      dataRetention: Duration.hours(Lazy.number({ produce: () => -1 })),
      mediaType: token,
      deviceName: token,
      tags: { [Lazy.string({ produce: () => 'k' })]: Lazy.string({ produce: () => 'v' }) },
    })).not.toThrow();
  });

  test('from JavaScript: a number for dataRetention gets the message of a wrong value', () => {
    expect(() => new Stream(newStack(), 'Stream', { dataRetention: 24 as any }))
      .toThrow(new RegExp(`${HEADER.source}dataRetention must be a Duration, such as Duration.hours\\(24\\) \\(got the number 24\\)`));
  });

  test('a KMS key of another region is refused, naming both', () => {
    const stack = new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new Stream(stack, 'Stream', { encryptionKey: key })).toThrow(
      'encryptionKey TestStack/Key is in region eu-west-1, not in region us-east-1 of TestStack/Stream: ' +
      'a stream is encrypted with a KMS key of its own region');
  });

  test('an alias imported by name, whose grants add nothing, is refused; an alias with its key is accepted and granted', () => {
    const stack = newStack();
    const byName = kms.Alias.fromAliasName(stack, 'ByName', 'alias/cameras');
    expect(() => new Stream(stack, 'Stream', { encryptionKey: byName })).toThrow(
      'encryptionKey TestStack/ByName is an alias imported by name, whose grants add nothing');
    expect(() => Stream.fromStreamAttributes(stack, 'Imported', { streamName: 'cam', encryptionKey: byName })).toThrow(
      'TestStack/Imported: encryptionKey TestStack/ByName is an alias imported by name, whose grants add nothing');

    const key = new kms.Key(stack, 'Key');
    const withKey = kms.Alias.fromAliasAttributes(stack, 'WithKey', { aliasName: 'alias/cameras', aliasTargetKey: key });
    const stream = new Stream(stack, 'Encrypted', { encryptionKey: withKey });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    stream.grantRead(reader);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).toContain('kms:Decrypt');
  });
});
