import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { stringMapProblem } from './property-types';
import { ResourceFamily } from './resource-family';

/** One tag, whatever the case of the keys its renderer uses. */
export interface RenderedTag {
  readonly key: string;
  readonly value: string;
}

/** Problems with the `tags` property: its type, then each tag by the family's rules (tokens are not checked). */
export function tagPropertyProblems(family: ResourceFamily, tags: unknown): string[] {
  const typeProblem = stringMapProblem('tags', tags);
  if (typeProblem) return [typeProblem];
  return tagListProblems(family, Object.entries((tags ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value })), false);
}

/**
 * Check the resource's tags again when the app is validated: `Tags.of(scope)` applies its tags through an aspect,
 * after the constructor, and they count toward the family's limit like the property's.
 */
export function checkTagsWhenValidated(l2: IConstruct, family: ResourceFamily, renderTags: () => RenderedTag[]): void {
  l2.node.addValidation({ validate: () => tagListProblems(family, renderTags(), true) });
}

function tagListProblems(family: ResourceFamily, tags: RenderedTag[], countThem: boolean): string[] {
  const problems: string[] = [];
  const countProblem = countThem ? family.tagCountProblem(tags.length) : undefined;
  if (countProblem) problems.push(`tags: ${countProblem}`);
  for (const { key, value } of tags) {
    if (!Token.isUnresolved(key) && !Token.isUnresolved(value)) {
      problems.push(...family.tagProblems(key, value).map(problem => `tags: ${problem}`));
    }
  }
  return problems;
}
