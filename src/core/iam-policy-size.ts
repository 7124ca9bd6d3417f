import { Token } from 'aws-cdk-lib';
import { ArnFamily } from './resource-family';

/**
 * How IAM measures a policy, for the library's estimates (the provider's policy, a fleet viewer's) and for the
 * tests that measure synthesized policies: one limit, one set of longest values, one way of counting.
 */

/** IAM's limit on the inline policies of one role, added up, whitespace excluded. */
export const IAM_ROLE_INLINE_POLICY_LIMIT = 10_240;

/**
 * The longest values the parts of an ARN that CloudFormation fills in at deploy time can take: an estimate made
 * at synth counts a token as these, so that it is never short.
 */
export const LONGEST_ARN_PARTS = {
  /** The longest partition name. */
  partition: 'aws-us-gov',
  /** 14 characters, as long as any region name (`us-gov-west-1` has 13). */
  region: 'ap-southeast-7',
  /** Every account id has 12 digits. */
  account: '123456789012',
} as const;

/** The characters IAM counts for a policy (or a piece of one) whose values are all known: its JSON, whitespace excluded. */
export function iamCountedLength(resolved: unknown): number {
  return JSON.stringify(resolved).replace(/\s/g, '').length;
}

/**
 * The characters one ARN of the family costs in a statement's list of resources: the ARN with its quotes and the
 * comma before the next, `"arn:<partition>:<service>:<region>:<account>:<type>/<resourceName>",`. Partition and
 * account are counted at their longest; the region too unless it is given and known at synth.
 */
export function listedArnLength(family: ArnFamily, resourceName: string, region?: string): number {
  const knownRegion = region === undefined || Token.isUnresolved(region) ? LONGEST_ARN_PARTS.region : region;
  const arn = `arn:${LONGEST_ARN_PARTS.partition}:${family.service}:${knownRegion}:${LONGEST_ARN_PARTS.account}:` +
    `${family.arnResourceType}/${resourceName}`;
  return iamCountedLength([arn]) - '[]'.length + ','.length;
}
