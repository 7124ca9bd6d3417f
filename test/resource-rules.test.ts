/**
 * The rules every resource family of the library shares (`src/core/`), proven on each family the same way:
 * what is true of a signaling channel is true of a stream. A new family joins the table below.
 */
import { App, CfnDeletionPolicy, CfnOutput, CfnResource, IResource, RemovalPolicies, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { SignalingChannel, Stream, chime } from '../src';

interface Family {
  /** How the library's messages name one. */
  readonly noun: string;
  readonly nameField: string;
  readonly arnField: string;
  readonly validArn: string;
  readonly maxTags: number;
  /** How the family's ARN format starts, in the message that refuses a malformed one. */
  readonly arnFormatStart: string;
  /** Whether its explicit names are unique in an account and region (Chime names are not). */
  readonly uniqueNames: boolean;
  /** Declare one, with an explicit name when given, and with extra props (as a JavaScript caller might). */
  declare(scope: Construct, id: string, name?: string, props?: Record<string, unknown>): IResource & { node: Construct['node'] };
  /** Import one by name, and read its ARN (families imported by ARN only have none). */
  importByName?(scope: Construct, id: string, name: string): string;
  /** Import one by ARN. */
  importByArn(scope: Construct, id: string, arn: string): unknown;
}

const FAMILIES: Family[] = [
  {
    noun: 'signaling channel',
    nameField: 'signalingChannelName',
    arnField: 'signalingChannelArn',
    declare: (scope, id, name, props) => new SignalingChannel(scope, id, { signalingChannelName: name, ...props }),
    importByName: (scope, id, name) => SignalingChannel.fromSignalingChannelName(scope, id, name).signalingChannelArn,
    importByArn: (scope, id, arn) => SignalingChannel.fromSignalingChannelArn(scope, id, arn),
    validArn: 'arn:aws:kinesisvideo:us-east-1:123456789012:channel/front-door/1700000000000',
    maxTags: 48,
    arnFormatStart: 'arn:<partition>:kinesisvideo:',
    uniqueNames: true,
  },
  {
    noun: 'Kinesis video stream',
    nameField: 'streamName',
    arnField: 'streamArn',
    declare: (scope, id, name, props) => new Stream(scope, id, { streamName: name, ...props }),
    importByName: (scope, id, name) => Stream.fromStreamName(scope, id, name).streamArn,
    importByArn: (scope, id, arn) => Stream.fromStreamArn(scope, id, arn),
    validArn: 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/1700000000000',
    maxTags: 50,
    arnFormatStart: 'arn:<partition>:kinesisvideo:',
    uniqueNames: true,
  },
  {
    noun: 'Chime app instance',
    nameField: 'appInstanceName',
    arnField: 'appInstanceArn',
    declare: (scope, id, name, props) => new chime.AppInstance(scope, id, { appInstanceName: name, ...props }),
    importByArn: (scope, id, arn) => chime.AppInstance.fromAppInstanceArn(scope, id, arn),
    validArn: 'arn:aws:chime:us-east-1:123456789012:app-instance/11111111-2222-3333-4444-555555555555',
    maxTags: 50,
    arnFormatStart: 'arn:<partition>:chime:',
    uniqueNames: false,
  },
  {
    noun: 'Chime channel',
    nameField: 'channelName',
    arnField: 'channelArn',
    declare: (scope, id, name, props) => {
      // The channel's app instance and bearer, imported: they add no resource (nor tags) to the stack.
      const appInstanceArn = 'arn:aws:chime:us-east-1:123456789012:app-instance/chat';
      const appInstance = chime.AppInstance.fromAppInstanceArn(scope, `${id}AppInstance`, appInstanceArn);
      const bearer = chime.AppInstanceUser.fromAppInstanceUserArn(scope, `${id}Bearer`, `${appInstanceArn}/user/backend`);
      return new chime.Channel(scope, id, { appInstance, bearer, channelName: name ?? 'lobby', ...props });
    },
    importByArn: (scope, id, arn) => chime.Channel.fromChannelArn(scope, id, arn),
    validArn: 'arn:aws:chime:us-east-1:123456789012:app-instance/chat/channel/lobby',
    maxTags: 50,
    arnFormatStart: 'arn:<partition>:chime:',
    uniqueNames: false,
  },
];

function newStack(app = new App(), id = 'TestStack'): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
}

describe.each(FAMILIES)('every $noun', family => {
  const snapshotRefused = new RegExp(`removalPolicy SNAPSHOT is not supported: a ${family.noun} has no snapshot \\(use RETAIN or DESTROY\\)`);

  test('SNAPSHOT is refused as a prop, by applyRemovalPolicy, by RemovalPolicies.of and by an escape hatch', () => {
    expect(() => family.declare(newStack(), 'Prop', undefined, { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(snapshotRefused);

    const byMethod = newStack();
    family.declare(byMethod, 'Method').applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    expect(() => App.of(byMethod)!.synth()).toThrow(new RegExp(`\\[TestStack/Method\\] ${snapshotRefused.source}`));

    const byAspect = newStack();
    family.declare(byAspect, 'Aspect');
    RemovalPolicies.of(byAspect).snapshot();
    expect(() => App.of(byAspect)!.synth()).toThrow(new RegExp(`\\[TestStack/Aspect\\] ${snapshotRefused.source}`));

    const byHatch = newStack();
    const hatched = family.declare(byHatch, 'Hatch');
    (hatched.node.defaultChild as CfnResource).cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    expect(() => App.of(byHatch)!.synth()).toThrow(new RegExp(`\\[TestStack/Hatch\\] ${snapshotRefused.source}`));
  });

  test('RETAIN and DESTROY reach the template by every route', () => {
    const stack = newStack();
    const resource = family.declare(stack, 'Kept');
    resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect((resource.node.defaultChild as CfnResource).cfnOptions.deletionPolicy).toBe(CfnDeletionPolicy.RETAIN);
    RemovalPolicies.of(stack).destroy();
    expect(() => App.of(stack)!.synth()).not.toThrow();
    expect((resource.node.defaultChild as CfnResource).cfnOptions.deletionPolicy).toBe(CfnDeletionPolicy.DELETE);
  });

  // A rule that does not apply to a family (Chime names are not unique; Chime resources are imported by ARN
  // only) defines no test for it.
  const notApplicable = ((() => undefined) as unknown) as jest.It;
  const uniqueNamesTest = family.uniqueNames ? test : notApplicable;
  const importByNameTest = family.importByName ? test : notApplicable;

  uniqueNamesTest('two of the same explicit name in one stack are refused, naming both', () => {
    const stack = newStack();
    family.declare(stack, 'First', 'garage');
    expect(() => family.declare(stack, 'Second', 'garage')).toThrow(
      `TestStack/Second: ${family.nameField} 'garage' is already the name of TestStack/First in this stack; ` +
      `a ${family.noun}'s name is unique in its account and region: choose another name, or leave ${family.nameField} out`);
  });

  uniqueNamesTest('the same explicit name in two stacks of one account and region: a warning on each, naming the other', () => {
    const app = new App();
    const a = newStack(app, 'A');
    const b = newStack(app, 'B');
    family.declare(a, 'Garage', 'garage');
    family.declare(b, 'Garage', 'garage');
    app.synth();
    const warning = (other: string) => Match.stringLikeRegexp(
      `${family.nameField} 'garage' is also the name of ${other}, in the same account \\(123456789012\\) and region \\(us-east-1\\)`);
    Annotations.fromStack(a).hasWarning('/A/Garage', warning('B/Garage'));
    Annotations.fromStack(b).hasWarning('/B/Garage', warning('A/Garage'));
  });

  importByNameTest('the ARN of one imported by name, used in a template: a short validation error naming the import and the fix', () => {
    const stack = newStack();
    new CfnOutput(stack, 'Arn', { value: family.importByName!(stack, 'ByName', 'front-door') });
    expect(() => App.of(stack)!.synth()).toThrow(new RegExp(
      `^Validation failed with the following errors:\\n {2}\\[TestStack/ByName\\] ${family.arnField} is used, but a ${family.noun} ` +
      'imported by name has no ARN \\(its ARN ends with its creation time\\): import it with from\\w+Arn or from\\w+Attributes to use its ARN$'));
  });

  test('an import by ARN keeps the ARN, and a malformed ARN is refused naming the field and the format', () => {
    const imported = family.importByArn(newStack(), 'Good', family.validArn) as Record<string, unknown>;
    expect(imported[family.arnField]).toBe(family.validArn);
    expect(() => family.importByArn(newStack(), 'Bad', 'front-door')).toThrow(
      new RegExp(`TestStack/Bad: ${family.arnField} 'front-door' is not a ${family.noun} ARN; expected ${family.arnFormatStart}`));
  });

  test('tags: the family\'s limit counts Tags.of too, and a key AWS reserves is refused', () => {
    const stack = newStack();
    const tags = Object.fromEntries(Array.from({ length: family.maxTags }, (_, i) => [`k${i}`, 'v']));
    family.declare(stack, 'Full', undefined, { tags });
    Tags.of(stack).add('one-more', 'v');
    expect(() => App.of(stack)!.synth()).toThrow(new RegExp(`\\[TestStack/Full\\] tags: at most ${family.maxTags} tags are allowed`));

    expect(() => family.declare(newStack(), 'Reserved', undefined, { tags: { 'aws:owner': 'me' } }))
      .toThrow("tags: tag key 'aws:owner' starts with 'aws:', which AWS reserves");
  });

  describe('a JavaScript caller\'s wrong types get the message of a wrong value, with the construct path', () => {
    test.each([
      ['a name that is a number', { NAME: 123 }, 'NAME must be a string (got the number 123)'],
      ['tags as a string', { tags: 'room=garage' }, 'tags must be a map of strings to strings, such as { room: \'garage\' } (got the string \'room=garage\')'],
      ['a tag value that is a number', { tags: { floor: 2 } }, 'tags must map strings to strings: tags[\'floor\'] is the number 2'],
      ['a removal policy that is not one', { removalPolicy: 'keep' }, 'removalPolicy must be one of destroy, retain, retain-on-update-or-delete (got the string \'keep\')'],
    ])('%s', (_case, props, message) => {
      const named = Object.fromEntries(Object.entries(props).map(([key, value]) => [key === 'NAME' ? family.nameField : key, value]));
      expect(() => family.declare(newStack(), 'Typed', undefined, named))
        .toThrow(`TestStack/Typed: invalid ${family.noun} properties:\n  ${message.replace('NAME', family.nameField)}`);
    });
  });
});
