import { CfnDeletionPolicy, CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { enumProblem } from './property-types';
import { ResourceFamily } from './resource-family';

/**
 * A removal policy the family supports, given as a property: one of RemovalPolicy's values, and not SNAPSHOT
 * (no resource of this library has a snapshot).
 */
export function removalPolicyProblem(family: ResourceFamily, value: unknown, field = 'removalPolicy'): string | undefined {
  if (value === RemovalPolicy.SNAPSHOT) return snapshotProblem(family, field);
  return enumProblem(field, value, Object.values(RemovalPolicy).filter(policy => policy !== RemovalPolicy.SNAPSHOT));
}

/**
 * Refuse SNAPSHOT however it reaches the resource: `applyRemovalPolicy` on the L2 (which aws-cdk-lib's `Resource`
 * passes to `node.defaultChild`), `RemovalPolicies.of(scope)` (an aspect), or an escape hatch on the
 * CfnResource. All of them end in the resource's CloudFormation options, which are read when the app is
 * validated, so the error names the L2 whichever route was taken.
 */
export function refuseSnapshotByEveryRoute(l2: IConstruct, resource: CfnResource, family: ResourceFamily): void {
  l2.node.addValidation({
    validate: () => {
      const { deletionPolicy, updateReplacePolicy } = resource.cfnOptions;
      return deletionPolicy === CfnDeletionPolicy.SNAPSHOT || updateReplacePolicy === CfnDeletionPolicy.SNAPSHOT
        ? [snapshotProblem(family)]
        : [];
    },
  });
}

function snapshotProblem(family: ResourceFamily, field = 'removalPolicy'): string {
  return `${field} SNAPSHOT is not supported: a ${family.noun} has no snapshot (use RETAIN or DESTROY)`;
}
