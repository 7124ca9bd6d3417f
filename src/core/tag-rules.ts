import { IResolvable, Lazy, TagManager, TagType, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { stringMapProblem } from './property-types';
import { TaggedFamily } from './resource-family';

/** One tag, as the family's rules read it. */
interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Problems with the `tags` property: its type, then each tag by the family's rules (tokens are not checked). */
export function tagPropertyProblems(family: TaggedFamily, tags: unknown): string[] {
  const typeProblem = stringMapProblem('tags', tags);
  if (typeProblem) return [typeProblem];
  return tagListProblems(family, Object.entries((tags ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value })), false);
}

/**
 * The tags of an L2 whose CfnResource has no tag manager of its own (a custom resource, a resource aws-cdk-lib
 * has no L1 for): `[{ Key, Value }]` under `tagPropertyName`, from the props' map, so that `Tags.of(scope)`
 * reaches it as it reaches aws-cdk-lib's resources. Write `renderedTags(manager)` as the property.
 *
 * Its tags are checked by the family's rules again when the app is validated (`checkTagsWhenValidated`).
 */
export function keyValueTagManager(
  l2: IConstruct,
  family: TaggedFamily,
  resourceType: string,
  tags: { [key: string]: string } | undefined,
  tagPropertyName: string,
): TagManager {
  const manager = new TagManager(TagType.KEY_VALUE, resourceType, tags, { tagPropertyName });
  checkTagsWhenValidated(l2, family, manager);
  return manager;
}

/** The tag property of a CfnResource: the manager's tags when the template is written, left out when there are none. */
export function renderedTags(manager: TagManager): IResolvable {
  return Lazy.any({ produce: () => manager.renderTags() }, { omitEmptyArray: true });
}

/**
 * Check the resource's tags again when the app is validated: `Tags.of(scope)` applies its tags through an aspect,
 * after the constructor, and they count toward the family's limit like the property's. Read from the manager
 * (whatever case its renderer writes keys in), the tags the template gets.
 */
export function checkTagsWhenValidated(l2: IConstruct, family: TaggedFamily, manager: TagManager): void {
  l2.node.addValidation({
    validate: () => tagListProblems(family, Object.entries(manager.tagValues()).map(([key, value]) => ({ key, value })), true),
  });
}

function tagListProblems(family: TaggedFamily, tags: Tag[], countThem: boolean): string[] {
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
