import { Aws, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ArnFamily } from './resource-family';

/**
 * What names a resource of the family known by its name only: its ARN, or `<type>/<name>/*` where the ARN ends
 * after the name (a channel's or stream's creation time). The name may be an IAM policy variable
 * (`${credentials-iot:ThingName}`), which IAM substitutes per request.
 *
 * In `scope`'s partition and account, and its region unless one is given; with no scope (a grantee that is no
 * construct), the pseudo parameters of the stack the ARN lands in.
 */
export function arnOfName(scope: IConstruct | undefined, family: ArnFamily, name: string, region?: string): string {
  return arnOfNamesLike(scope, family, family.arnEndsAfterName ? `${name}/*` : name, region);
}

/**
 * What names every resource of the family whose name part matches `pattern` (`*`, `<stack name>.*`), in the same
 * account and region as `arnOfName`.
 */
export function arnOfNamesLike(scope: IConstruct | undefined, family: ArnFamily, pattern: string, region?: string): string {
  if (scope === undefined) {
    return `arn:${Aws.PARTITION}:${family.service}:${region ?? Aws.REGION}:${Aws.ACCOUNT_ID}:${family.arnResourceType}/${pattern}`;
  }
  return Stack.of(scope).formatArn({ service: family.service, resource: family.arnResourceType, resourceName: pattern, region });
}
