import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** An account and a region, either of which may be known only at deploy time (a token). */
export interface ResourceEnvironment {
  readonly account: string;
  readonly region: string;
}

/** A resource, declared or about to be imported, and where synth knows it to be: what the rules below compare. */
export interface PlacedResource {
  readonly node: { readonly path: string };
  readonly env: ResourceEnvironment;
}

/**
 * The environment an ARN names, as aws-cdk-lib's `Resource` reads `environmentFromArn`: its account and region
 * where the ARN is known at synth, `scope`'s stack's otherwise (a token, or an ARN that leaves them out).
 */
export function environmentOfArn(scope: IConstruct, arn: string | undefined): ResourceEnvironment {
  const stack = Stack.of(scope);
  const parsed = arn === undefined || Token.isUnresolved(arn) ? undefined : Arn.split(arn, ArnFormat.NO_RESOURCE_NAME);
  return { account: parsed?.account || stack.account, region: parsed?.region || stack.region };
}

/**
 * The resource an import `scope/id` will be, before it is constructed: a refused import must leave nothing in the
 * tree, so its rules run on this.
 */
export function importToBe(scope: IConstruct, id: string, arn: string | undefined): PlacedResource {
  return { node: { path: `${scope.node.path}/${id}` }, env: environmentOfArn(scope, arn) };
}

/** Whether two environments differ in region (and, with `sameAccount`, account), where both are known at synth. */
export function environmentsDiffer(a: ResourceEnvironment, b: ResourceEnvironment, sameAccount: boolean): boolean {
  const differs = (x: string, y: string) => !Token.isUnresolved(x) && !Token.isUnresolved(y) && x !== y;
  return differs(a.region, b.region) || (sameAccount && differs(a.account, b.account));
}

/**
 * The problem with `other` (a stream, a key) living in another region, or with `sameAccount` another account,
 * than `owner`, where both are known at synth: a resource's `env` is its stack's, or its ARN's for an import.
 * None, or that one, to spread into a list of problems.
 */
export function environmentProblems(
  field: string,
  owner: PlacedResource,
  other: PlacedResource,
  rule: { readonly sameAccount: boolean; readonly why: string },
): string[] {
  if (!environmentsDiffer(owner.env, other.env, rule.sameAccount)) return [];
  const where = (resource: PlacedResource) => rule.sameAccount
    ? `account ${resource.env.account}, region ${resource.env.region}`
    : `region ${resource.env.region}`;
  return [`${field} ${other.node.path} is in ${where(other)}, not in ${where(owner)} of ${owner.node.path}: ${rule.why}`];
}

/**
 * The problem with the region of `scope`'s stack, where it is known at synth: `rule` returns it for a region
 * where the feature is not offered (`undefined` where it is). A region-agnostic stack is never refused.
 */
export function stackRegionProblems(scope: IConstruct, rule: (region: string) => string | undefined): string[] {
  const region = Stack.of(scope).region;
  const problem = Token.isUnresolved(region) ? undefined : rule(region);
  return problem === undefined ? [] : [problem];
}

/**
 * A synth warning on `scope` when its stack's region is unknown (a region-agnostic stack, whose region is a
 * token): synth cannot refuse a region where the feature is not offered, so it says where it is, rather than let
 * the deployment find out. `id` is the warning's id after the library's prefix (what `acknowledgeWarning` takes).
 */
export function warnWhenStackRegionUnknown(scope: IConstruct, id: string, offeredIn: string): void {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region)) return;
  Annotations.of(scope).addWarningV2(`cdk-kvs-signaling-channel:${id}`,
    `the region of stack ${stack.node.path} is not known at synth (no env region), so synth cannot check it: ${offeredIn}. ` +
    'Give the stack env: { region } to have it checked; deployed elsewhere, the stack fails.');
}
