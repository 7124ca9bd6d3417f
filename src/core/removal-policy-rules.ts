import { CfnDeletionPolicy, CfnResource, RemovalPolicy, Resource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { enumProblem } from './property-types';
import { NamedFamily } from './resource-family';

/** A family's default removal policy, and whether its template writes DESTROY. */
export interface RemovalPolicyDefault {
  /** The policy of a resource whose props give none. */
  readonly policy: RemovalPolicy;
  /**
   * Leave DESTROY out of the template, given or by default, where it is CloudFormation's own behaviour (a custom
   * resource's): bytes saved in every resource of a big template.
   *
   * @default false
   */
  readonly leaveOutDestroy?: boolean;
}

/**
 * The removal policy of an L2's resource: the one its props give, or the family's default (checked as a
 * property by `removalPolicyProblem`), and SNAPSHOT refused by every route it could take later.
 */
export function applyRemovalPolicy(
  l2: Resource,
  resource: CfnResource,
  family: NamedFamily,
  given: RemovalPolicy | undefined,
  byDefault: RemovalPolicyDefault,
): void {
  const policy = given ?? byDefault.policy;
  if (!(policy === RemovalPolicy.DESTROY && byDefault.leaveOutDestroy)) {
    // aws-cdk-lib's Resource passes it to `node.defaultChild`: the resource, as `RemovalPolicies.of(scope)` would.
    l2.applyRemovalPolicy(policy);
  }
  refuseSnapshotByEveryRoute(l2, resource, family);
}

/**
 * A removal policy the family supports, given as a property: one of RemovalPolicy's values, and not SNAPSHOT
 * (no resource of this library has a snapshot).
 */
export function removalPolicyProblem(family: NamedFamily, value: unknown, field = 'removalPolicy'): string | undefined {
  if (value === RemovalPolicy.SNAPSHOT) return snapshotProblem(family, field);
  return enumProblem(field, value, Object.values(RemovalPolicy).filter(policy => policy !== RemovalPolicy.SNAPSHOT));
}

/**
 * Refuse SNAPSHOT however it reaches the resource: `applyRemovalPolicy` on the L2 (which aws-cdk-lib's `Resource`
 * passes to `node.defaultChild`), `RemovalPolicies.of(scope)` (an aspect), or an escape hatch on the
 * CfnResource. All of them end in the resource's CloudFormation options, which are read when the app is
 * validated, so the error names the L2 whichever route was taken.
 */
export function refuseSnapshotByEveryRoute(l2: IConstruct, resource: CfnResource, family: NamedFamily): void {
  l2.node.addValidation({
    validate: () => {
      const { deletionPolicy, updateReplacePolicy } = resource.cfnOptions;
      return deletionPolicy === CfnDeletionPolicy.SNAPSHOT || updateReplacePolicy === CfnDeletionPolicy.SNAPSHOT
        ? [snapshotProblem(family)]
        : [];
    },
  });
}

function snapshotProblem(family: NamedFamily, field = 'removalPolicy'): string {
  return `${field} SNAPSHOT is not supported: a ${family.noun} has no snapshot (use RETAIN or DESTROY)`;
}
