import { Fn, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { typeProblem } from './property-types';
import { ResourceFamily } from './resource-family';
import { describeString } from '../handler-shared/describe-string';

/** Who an imported resource is: what its attributes and grants name. */
export interface ImportedIdentity {
  /**
   * The ARN given; without one, where the family's ARN ends with something only the service knows, a token
   * whose use in a template is a validation error of the import (see `arnUnknownToken`).
   */
  readonly arn: string;
  /** The name given, or the one read from the ARN. */
  readonly name: string;
  /** What grants on it name: its ARN, or `<type>/<name>/*` when only its name is known. */
  readonly grantResourceArns: string[];
}

/**
 * Refuse an import that names nothing, or whose ARN or name the family's rules refuse (checked before the
 * import's construct exists, so that a refused import adds nothing to the tree). Tokens are not checked.
 */
export function checkImportAttributes(scope: IConstruct, id: string, family: ResourceFamily, arn: unknown, name: unknown): void {
  const where = `${scope.node.path}/${id}`;
  if (arn === undefined && name === undefined) {
    throw validationError(scope, family.importsByName
      ? `give ${family.arnAttribute}, ${family.nameAttribute} or both to import a ${family.noun}`
      : `give ${family.arnAttribute} to import a ${family.noun}`, where);
  }
  const problems = [
    typeProblem(family.arnAttribute, arn, 'string'),
    typeProblem(family.nameAttribute, name, 'string'),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length === 0 && typeof arn === 'string' && !Token.isUnresolved(arn) && !family.arnPattern.test(arn)) {
    problems.push(`${family.arnAttribute} ${describeString(arn)} is not a ${family.noun} ARN; expected ${family.arnFormat}`);
  }
  if (problems.length === 0 && typeof name === 'string' && !Token.isUnresolved(name)) {
    const problem = family.nameProblem(name);
    if (problem) problems.push(`${family.nameAttribute} ${problem}`);
  }
  if (problems.length > 0) {
    throw validationError(scope, problems.join('; '), where);
  }
}

/** The identity of an imported resource, from the attributes `checkImportAttributes` accepted. */
export function importedIdentity(resource: Resource, family: ResourceFamily, arn?: string, name?: string): ImportedIdentity {
  const resourceName = name ?? nameFromArn(family, arn!);
  const byName = arnOfName(resource, family, resourceName);
  return {
    arn: arn ?? (family.arnEndsAfterName ? arnUnknownToken(resource, family) : byName),
    name: resourceName,
    grantResourceArns: [arn ?? byName],
  };
}

/**
 * What names a resource of the family known by its name only, in `scope`'s account and region: its ARN, or
 * `<type>/<name>/*` where the ARN ends after the name (a channel's or stream's creation time).
 */
export function arnOfName(scope: IConstruct, family: ResourceFamily, name: string): string {
  return Stack.of(scope).formatArn({
    service: family.service,
    resource: family.arnResourceType,
    resourceName: family.arnEndsAfterName ? `${name}/*` : name,
  });
}

/** The name in an ARN: parsed when the ARN is known, an `Fn::Select` of its path when it is a token. */
function nameFromArn(family: ResourceFamily, arn: string): string {
  if (Token.isUnresolved(arn)) {
    // arn:<partition>:<service>:<region>:<account>:<type>/<name>[/<suffix>]
    return Fn.select(1, Fn.split('/', arn));
  }
  return family.arnPattern.exec(arn)![1];
}

/**
 * The ARN of a resource imported by name, which has none. A token, so that reading the attribute (or the
 * resource's `...Ref`) works in every jsii language; using it in a template is reported as a validation error
 * of the import, which the CDK prints first and short. An error thrown while the template resolves would
 * surface deep inside aws-cdk-lib's resolver, under pages of its minified source.
 */
function arnUnknownToken(resource: Resource, family: ResourceFamily): string {
  let used = false;
  resource.node.addValidation({
    validate: () => used ? [
      `${family.arnAttribute} is used, but a ${family.noun} imported by name has no ARN (its ARN ends with its ` +
      `creation time): import it with ${family.importsWithArn.join(' or ')} to use its ARN`,
    ] : [],
  });
  // Resolved before validation (aws-cdk-lib resolves every template element to find references), so the
  // placeholder never reaches a template that synthesizes.
  return Lazy.uncachedString({
    produce: () => {
      used = true;
      return `<no ARN: ${resource.node.path} was imported by name>`;
    },
  });
}
