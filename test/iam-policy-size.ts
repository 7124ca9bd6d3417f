/**
 * How many characters IAM counts for a synthesized policy document.
 *
 * IAM measures a policy as submitted, whitespace excluded, after CloudFormation has resolved its intrinsic
 * functions. A template holds `Fn::Join`, `Ref` and `Fn::GetAtt` pieces instead, so they are replaced here
 * by the longest realistic values before measuring. Any other intrinsic fails the measurement rather than
 * being counted short.
 */
import { LONGEST_ARN_PARTS, iamCountedLength } from '../src/core/iam-policy-size';

/** The values that stand in for CloudFormation's pseudo parameters and resource attributes. */
export interface DeployTimeValues {
  /** `Ref` of a pseudo parameter (`AWS::Partition`, `AWS::StackName`...) or of a resource, by name. */
  readonly refs: Record<string, string>;
  /** `Fn::GetAtt` of a resource, by `<logical id>.<attribute>`. */
  readonly attributes: Record<string, string>;
}

export { IAM_ROLE_INLINE_POLICY_LIMIT } from '../src/core/iam-policy-size';

/** The longest values the pseudo parameters can take in an ARN: the library's own estimates count with them. */
export function longestPseudoParameters(stackName: string): Record<string, string> {
  const { partition, region, account } = LONGEST_ARN_PARTS;
  return {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::StackName': stackName,
    // A stack's id is its ARN, ending in a GUID.
    'AWS::StackId': `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/4f2c1a50-0000-11ef-a1b2-0a1b2c3d4e5f`,
    'AWS::URLSuffix': 'amazonaws.com',
  };
}

/** Replace every intrinsic in `value` with the deploy-time value it stands for. */
export function resolveIntrinsics(value: unknown, values: DeployTimeValues): unknown {
  if (Array.isArray(value)) {
    return value.map(item => resolveIntrinsics(item, values));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const [firstKey, firstValue] = entries[0] ?? [];
  if (entries.length === 1 && (firstKey === 'Ref' || firstKey.startsWith('Fn::'))) {
    return resolveIntrinsic(firstKey, firstValue, values);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, values)]));
}

function resolveIntrinsic(name: string, argument: unknown, values: DeployTimeValues): string {
  switch (name) {
    case 'Ref': {
      const resolved = values.refs[argument as string];
      if (resolved === undefined) throw new Error(`no deploy-time value for Ref ${JSON.stringify(argument)}`);
      return resolved;
    }
    case 'Fn::GetAtt': {
      const key = (argument as string[]).join('.');
      const resolved = values.attributes[key];
      if (resolved === undefined) throw new Error(`no deploy-time value for Fn::GetAtt ${key}`);
      return resolved;
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map(part => resolveIntrinsics(part, values)).join(separator);
    }
    default:
      throw new Error(`cannot resolve ${name} to measure a policy`);
  }
}

/** The number of characters IAM counts for `document` once its intrinsics are resolved. */
export function iamPolicyLength(document: unknown, values: DeployTimeValues): number {
  return iamCountedLength(resolveIntrinsics(document, values));
}
