import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { ResourceFamily } from './resource-family';
import { tagPropertyProblems } from './tag-rules';

/** A known value and the rule it must follow (a function that returns the problem, or `undefined`). */
export type ValueCheck = readonly [field: string, value: string | number | undefined, rule: (value: any) => string | undefined];

/** What a constructor checks of its properties, in the order a user can act on it. */
export interface PropertyChecks {
  /** Problems with the properties' types (`property-types.ts`): a JavaScript caller has no compiler to catch them. */
  readonly types: ReadonlyArray<string | undefined>;
  /** The `tags` property, checked by the family's tag rules. */
  readonly tags: unknown;
  /**
   * The service's rules for each value: checked when every type is right (a function, so that reading a value,
   * `messageTtl.toSeconds()` say, waits until its type is known), and skipped for tokens.
   */
  readonly values: () => readonly ValueCheck[];
  /** Rules that involve other resources (a stream's region, a key): checked with the values. */
  readonly relations?: () => string[];
}

/**
 * Refuse a resource's properties with every problem in one error, naming the construct, each field, its value
 * and what is allowed: the same message for every resource family of the library.
 */
export function checkProperties(l2: IConstruct, family: ResourceFamily, checks: PropertyChecks): void {
  const typeProblems = checks.types.filter((problem): problem is string => problem !== undefined);
  const problems = [...typeProblems, ...tagPropertyProblems(family, checks.tags)];
  if (typeProblems.length === 0) {
    for (const [field, value, rule] of checks.values()) {
      const problem = value === undefined || Token.isUnresolved(value) ? undefined : rule(value);
      if (problem) problems.push(`${field} ${problem}`);
    }
    problems.push(...checks.relations?.() ?? []);
  }
  if (problems.length > 0) {
    throw validationError(l2, `invalid ${family.noun} properties:\n  ${problems.join('\n  ')}`);
  }
}
