import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ThingChannelGrants } from '../iot/thing-channel-grants';

/**
 * A grantee that only collects the statements granted to it into a policy document: what lets the fleet build
 * the role's policy with `ThingChannelGrants.grantConnectAsMaster` twice (without and with recording) and write
 * the one that applies when the template is written, whatever order cameras were added in.
 *
 * A construct (with no resources) so that the grants' ARNs carry the stack's partition, region and account, as
 * they would on the role itself.
 */
class StatementCollector extends Construct implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction = 'sts:AssumeRole';
  public readonly policyFragment = new iam.PrincipalPolicyFragment({});
  public readonly principalAccount = undefined;
  public readonly document = new iam.PolicyDocument();

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * The policy of the role the credentials provider hands to the fleet's cameras: each thing may connect as master
 * to the channel named after it (`channel/${credentials-iot:ThingName}/*`) and, when `recording`, record into the
 * stream named after it (`stream/${credentials-iot:ThingName}/*`). Nothing else.
 */
export function thingScopedPolicies(scope: Construct): { readonly live: iam.PolicyDocument; readonly recording: iam.PolicyDocument } {
  const live = new StatementCollector(scope, 'LiveGrants');
  ThingChannelGrants.grantConnectAsMaster(live);
  const recording = new StatementCollector(scope, 'RecordingGrants');
  ThingChannelGrants.grantConnectAsMaster(recording, { recordsIntoThingStream: true });
  return { live: live.document, recording: recording.document };
}

/** cdk-nag's rendering of a thing-scoped ARN: `${credentials-iot:ThingName}` becomes `<credentials-iot:ThingName>`. */
const thingFinding = (resource: string) =>
  `/^Resource::arn:(<AWS::Partition>|[a-z-]+):kinesisvideo:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):${resource}\\/<credentials-iot:ThingName>\\/\\*$/`;

/**
 * cdk-nag's AwsSolutions-IAM5 reports the trailing `*` of the thing-scoped ARNs: suppressed for those two ARNs
 * only (a wildcard anywhere else is still reported), as `cdk_nag` metadata so that nobody else pays for cdk-nag.
 */
export function suppressThingScopedWildcards(role: iam.CfnRole): void {
  role.addMetadata('cdk_nag', {
    rules_to_suppress: [{
      id: 'AwsSolutions-IAM5',
      reason: 'Each camera reaches only the channel and stream named after its own IoT thing (${credentials-iot:ThingName}, ' +
        'filled by the IoT credentials provider from the thing attached to the certificate); the trailing * is the creation ' +
        'time every Kinesis Video ARN ends with.',
      applies_to: [{ regex: thingFinding('channel') }, { regex: thingFinding('stream') }],
    }],
  });
}
