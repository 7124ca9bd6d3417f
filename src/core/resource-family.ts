/**
 * What the rules shared by every resource of this library need to know of one family of resources (signaling
 * channels, streams, cameras, ...), split by the rules that read it: a family declares only what it has.
 *
 * - `NamedFamily`: how messages name it (property checks, removal policies, unique names);
 * - `ArnFamily`: how its ARN reads and how it is imported (`imported-resource.ts`, `resource-arn.ts`);
 * - `TaggedFamily`: its rules for tags (`tag-rules.ts`).
 *
 * A family is described once, next to its L2, and handed to the shared rules in this folder. Every L2 over a
 * CfnResource takes the same steps with them, in this order, and its constructor says nothing else of them:
 * 1. `validateProps`: one `checkProperties` call, every problem in one error naming the construct's path;
 * 2. `claimUniqueName` for each explicit name;
 * 3. the tag manager, `keyValueTagManager` with the props' map (or the L1's own, given to
 *    `checkTagsWhenValidated`), and the CfnResource with `renderedTags` as its tag property;
 * 4. `applyRemovalPolicy`: the family's default, SNAPSHOT refused by every route.
 * An import is checked (`checkImportAttributes`, `importToBe`) before its construct exists.
 */
export interface NamedFamily {
  /** How messages name one resource of the family: 'signaling channel', 'Kinesis video stream'. */
  readonly noun: string;

  /**
   * Whether a resource of the family gets a generated name when none is given: messages about a duplicate name
   * then suggest leaving it out.
   *
   * @default false
   */
  readonly nameGeneratedWhenOmitted?: boolean;
}

/** A family whose resources have ARNs that this library builds from a name, parses, or imports. */
export interface ArnFamily extends NamedFamily {
  /** The ARN's service and resource type: `arn:<partition>:<service>:<region>:<account>:<arnResourceType>/...`. */
  readonly service: string;
  readonly arnResourceType: string;

  /** The names of the family's ARN and name attributes, as users write them: 'signalingChannelArn'. */
  readonly arnAttribute: string;
  readonly nameAttribute: string;

  /** The family's ARNs (group 1 is the name), and how messages describe them. */
  readonly arnPattern: RegExp;
  readonly arnFormat: string;

  /**
   * Whether the ARN ends with something after the name that only the service knows (a creation time): an
   * import by name then has no ARN, and its grants name `<type>/<name>/*`.
   */
  readonly arnEndsAfterName: boolean;

  /**
   * Whether a resource of the family can be imported by its name alone (`fromStreamName`): messages about an
   * import then offer the name as well as the ARN.
   *
   * @default false
   */
  readonly importsByName?: boolean;

  /** The static methods that import one with its ARN, for messages: 'fromSignalingChannelArn'. */
  readonly importsWithArn: readonly string[];

  /** What a name must be, or `undefined` when it is valid. */
  nameProblem(name: string): string | undefined;
}

/** A family whose resources carry tags. */
export interface TaggedFamily extends NamedFamily {
  /** Problems with one tag (key and value), and with a number of tags. */
  tagProblems(key: string, value: string): string[];
  tagCountProblem(count: number): string | undefined;
}

/** A family with ARNs and tags: every L2 of this library over a CfnResource that users import and tag. */
export interface ResourceFamily extends ArnFamily, TaggedFamily {}

/** Whether the family has tag rules (`checkProperties` checks a `tags` property only then). */
export function isTaggedFamily(family: NamedFamily): family is TaggedFamily {
  return typeof (family as Partial<TaggedFamily>).tagProblems === 'function';
}
