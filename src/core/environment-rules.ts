import { Annotations, IResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The problem with `other` (a stream, a key) living in another region, or with `sameAccount` another account,
 * than `owner`, where both are known at synth: a resource's `env` is its stack's, or its ARN's for an import.
 */
export function environmentProblem(
  field: string,
  owner: IResource,
  other: IResource,
  rule: { readonly sameAccount: boolean; readonly why: string },
): string | undefined {
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  const where = (resource: IResource) => rule.sameAccount
    ? `account ${resource.env.account}, region ${resource.env.region}`
    : `region ${resource.env.region}`;
  const regionDiffers = differs(owner.env.region, other.env.region);
  const accountDiffers = rule.sameAccount && differs(owner.env.account, other.env.account);
  if (!regionDiffers && !accountDiffers) return undefined;
  return `${field} ${other.node.path} is in ${where(other)}, not in ${where(owner)} of ${owner.node.path}: ${rule.why}`;
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
