/**
 * Proof, over the synthesized template, that a device reaches only its own channel (and stream).
 *
 * The AWS IoT credentials provider puts the name of the thing the device names in the `x-amzn-iot-thingname`
 * header into the credentials as `credentials-iot:ThingName`, and gives credentials only if that thing is attached
 * to the certificate of the TLS handshake ("AWS IoT checks that the thingName is attached to the certificate
 * presented during the TLS handshake and will not provide temporary credentials unless it is":
 * https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html). The fleet attaches each
 * certificate to one thing, exclusively (EXCLUSIVE_THING). Without the header the variable is absent and a
 * statement that uses it matches nothing (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 * So if every statement of the role reaches only `.../channel/${credentials-iot:ThingName}/*` and
 * `.../stream/${credentials-iot:ThingName}/*`, a device reaches its own thing's channel and stream and nothing else.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Resources, flatten, ofType, resourcesOf } from './fleet-template';
import { CameraFleet } from '../../src';

const CERTIFICATE = `arn:aws:iot:eu-west-1:123456789012:cert/${'cd'.repeat(32)}`;
const THING_SCOPED = /^arn:(<AWS::Partition>|aws):kinesisvideo:(<AWS::Region>|eu-west-1):(<AWS::AccountId>|123456789012):(channel|stream)\/\$\{credentials-iot:ThingName\}\/\*$/;

/** Every problem with what the role the credentials provider assumes may do, and with the IoT policy. */
function isolationProblems(resources: Resources): string[] {
  const problems: string[] = [];
  const roles = ofType(resources, 'AWS::IAM::Role')
    .filter(([, role]) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('credentials.iot.amazonaws.com'));
  if (roles.length !== 1) problems.push(`${roles.length} roles trust the credentials provider`);
  for (const [roleId, role] of roles) {
    if (role.Properties.ManagedPolicyArns !== undefined) problems.push('the role has managed policies');
    const statements = [
      ...(role.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement),
      // Any AWS::IAM::Policy attached to the role counts too.
      ...ofType(resources, 'AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties.Roles ?? []).includes(`"${roleId}"`))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement),
    ];
    for (const statement of statements) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotResource || statement.NotAction) problems.push(`NotResource/NotAction: ${JSON.stringify(statement)}`);
      for (const action of [statement.Action].flat()) {
        if (typeof action !== 'string' || !action.startsWith('kinesisvideo:') || action.includes('*')) problems.push(`action ${JSON.stringify(action)}`);
      }
      for (const resource of [statement.Resource].flat().map(flatten)) {
        if (!THING_SCOPED.test(resource)) problems.push(`resource ${resource}`);
      }
    }
  }

  // The IoT policy: iot:AssumeRoleWithCertificate on this fleet's role alias, and nothing else.
  const aliases = ofType(resources, 'AWS::IoT::RoleAlias').filter(([, alias]) => roles.some(([roleId]) =>
    JSON.stringify(alias.Properties.RoleArn) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] })));
  for (const [, policy] of ofType(resources, 'AWS::IoT::Policy')) {
    const statements = policy.Properties.PolicyDocument.Statement;
    const expected = aliases.map(([aliasId]) => ({ Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: { 'Fn::GetAtt': [aliasId, 'RoleAliasArn'] } }));
    if (!equal(statements, expected)) problems.push(`IoT policy ${JSON.stringify(statements)}`);
  }
  // Each certificate is attached to one thing only.
  for (const [, attachment] of ofType(resources, 'AWS::IoT::ThingPrincipalAttachment')) {
    if (attachment.Properties.ThingPrincipalType !== 'EXCLUSIVE_THING') problems.push(`attachment ${JSON.stringify(attachment.Properties)}`);
  }
  return problems;
}

/** Deep equality, whatever the order of keys. */
function equal(a: unknown, b: unknown): boolean {
  try {
    expect(a).toStrictEqual(b);
    return true;
  } catch {
    return false;
  }
}

function fleetStack(env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'CameraFleetStack', { env });
  const fleet = new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.hours(1) });
  fleet.addCamera('front-door', { certificateArn: CERTIFICATE });
  fleet.addCamera('garage', { record: true });
  fleet.grantViewer(new iam.Role(stack, 'ViewerApp', { assumedBy: new iam.AccountRootPrincipal() }));
  return { stack, fleet };
}

describe('a device reaches only its own channel and stream', () => {
  test.each([
    ['an environment-agnostic stack', undefined],
    ['a stack with a known account and region', { account: '123456789012', region: 'eu-west-1' }],
  ])('%s: every statement of the role is thing-scoped; the IoT policy allows AssumeRoleWithCertificate on the alias only', (_, env) => {
    const { stack } = fleetStack(env);
    const resources = resourcesOf(stack);
    expect(isolationProblems(resources)).toEqual([]);
    // And the role does name both thing-scoped resources (the check above is not vacuous).
    const role = ofType(resources, 'AWS::IAM::Role').find(([id]) => id.startsWith('CamerasRole'))![1];
    const named = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement).flatMap((s: any) => [s.Resource].flat().map(flatten));
    expect(named.map((arn: string) => arn.replace(/^.*:(channel|stream)\//, '$1/')).sort()).toEqual([
      'channel/${credentials-iot:ThingName}/*', 'stream/${credentials-iot:ThingName}/*',
    ]);
  });

  test.each([
    ['another camera\'s channel', (fleet: CameraFleet, stack: Stack) =>
      fleet.role.addToPolicy(new iam.PolicyStatement({
        actions: ['kinesisvideo:ConnectAsMaster'],
        resources: [stack.formatArn({ service: 'kinesisvideo', resource: 'channel', resourceName: 'garage/*' })],
      })), /^resource .*channel\/garage\/\*$/],
    ['every channel', (fleet: CameraFleet, stack: Stack) =>
      fleet.role.addToPolicy(new iam.PolicyStatement({
        actions: ['kinesisvideo:ConnectAsMaster'],
        resources: [stack.formatArn({ service: 'kinesisvideo', resource: 'channel', resourceName: '*' })],
      })), /^resource .*channel\/\*$/],
    ['a wildcard action', (fleet: CameraFleet) =>
      fleet.role.addToPolicy(new iam.PolicyStatement({ actions: ['kinesisvideo:*'], resources: ['*'] })), /^action "kinesisvideo:\*"$/],
    ['a second statement in the IoT policy', (fleet: CameraFleet) => {
      const policy = fleet.node.findChild('Policy') as unknown as { addPropertyOverride(path: string, value: unknown): void };
      policy.addPropertyOverride('PolicyDocument.Statement.1', { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' });
    }, /^IoT policy/],
  ])('the check catches %s', (_, widen, problem) => {
    const { stack, fleet } = fleetStack();
    widen(fleet, stack);
    expect(isolationProblems(resourcesOf(stack))).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});
