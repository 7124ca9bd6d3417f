/**
 * What the rules shared by every resource of this library need to know of one family of resources (signaling
 * channels, streams, ...): how to name it in messages, how its ARN reads, and its own rules for names and tags.
 *
 * A family is described once, next to its L2, and handed to the shared rules in this folder: imports
 * (`imported-resource.ts`), removal policies, tags, unique names, property types and environments.
 */
export interface ResourceFamily {
  /** How messages name one resource of the family: 'signaling channel', 'Kinesis video stream'. */
  readonly noun: string;

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

  /**
   * Whether a resource of the family gets a generated name when none is given: messages about a duplicate name
   * then suggest leaving it out.
   *
   * @default false
   */
  readonly nameGeneratedWhenOmitted?: boolean;

  /** What a name must be, or `undefined` when it is valid. */
  nameProblem(name: string): string | undefined;

  /** Problems with one tag (key and value), and with a number of tags. */
  tagProblems(key: string, value: string): string[];
  tagCountProblem(count: number): string | undefined;
}
