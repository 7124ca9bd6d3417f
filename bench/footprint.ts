/**
 * Footprint: what one stack costs in Lambda functions and IAM, read from its synthesized template.
 *
 * Policy sizes are measured the way IAM counts them: the policy document with every CloudFormation
 * intrinsic resolved to the value it takes at deploy time, as JSON without whitespace.
 */
import { ACCOUNT, REGION, STACK_NAME, Template } from './synth';

/** IAM's limit on the inline policies of one role, all of them together, in characters. */
export const IAM_ROLE_INLINE_POLICY_LIMIT = 10_240;

export interface Footprint {
  readonly lambdaFunctions: number;
  readonly iamRoles: number;
  /** AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources, and the inline policies of AWS::IAM::Role. */
  readonly iamPolicies: number;
  /** The largest single policy document, resolved, in characters. */
  readonly largestPolicyChars: number;
  /** The largest total of inline policies attached to one role: what IAM's 10,240-character limit caps. */
  readonly largestRoleInlineChars: number;
}

export function measureFootprint(template: Template): Footprint {
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const resolver = new TemplateResolver(template);

  /** Each policy document in the stack, with the roles it is an inline policy of. */
  const policies: Array<{ chars: number; roles: string[] }> = [];
  for (const [, policy] of ofType('AWS::IAM::Policy')) {
    const roles = (policy.Properties?.Roles ?? []).map((role: unknown) => resolver.roleLogicalId(role));
    policies.push({ chars: resolver.policySize(policy.Properties?.PolicyDocument), roles });
  }
  for (const [, policy] of ofType('AWS::IAM::ManagedPolicy')) {
    policies.push({ chars: resolver.policySize(policy.Properties?.PolicyDocument), roles: [] });
  }
  for (const [roleId, role] of ofType('AWS::IAM::Role')) {
    for (const inline of role.Properties?.Policies ?? []) {
      policies.push({ chars: resolver.policySize(inline.PolicyDocument), roles: [roleId] });
    }
  }

  const inlineCharsPerRole = ofType('AWS::IAM::Role').map(([roleId]) => policies
    .filter(policy => policy.roles.includes(roleId))
    .reduce((total, policy) => total + policy.chars, 0));

  return {
    lambdaFunctions: ofType('AWS::Lambda::Function').length,
    iamRoles: ofType('AWS::IAM::Role').length,
    iamPolicies: policies.length,
    largestPolicyChars: Math.max(0, ...policies.map(policy => policy.chars)),
    largestRoleInlineChars: Math.max(0, ...inlineCharsPerRole),
  };
}

/**
 * Resolves the intrinsics these templates use (Ref, Fn::GetAtt ... Arn, Fn::Join) to deploy-time values.
 * A resource's generated physical name is modelled as CloudFormation makes them:
 * `<stack name>-<logical id, at most 40 characters>-<13 random characters>`.
 */
class TemplateResolver {
  constructor(private readonly template: Template) {}

  public policySize(document: unknown): number {
    return JSON.stringify(this.resolve(document)).length;
  }

  /** The logical id behind `{ Ref: role }` in a policy's Roles. */
  public roleLogicalId(role: unknown): string {
    const ref = (role as { Ref?: string }).Ref;
    if (ref === undefined) throw new Error(`unexpected role reference ${JSON.stringify(role)}`);
    return ref;
  }

  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(item => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref') return this.ref(argument as string);
      if (key === 'Fn::GetAtt') return this.getAtt(...(argument as [string, string]));
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map(part => this.resolve(part)).join(separator);
      }
      if (key.startsWith('Fn::')) throw new Error(`the benchmark does not resolve ${key}`);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }

  private ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': REGION,
      'AWS::Partition': 'aws',
      'AWS::StackName': STACK_NAME,
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/4f2c1a50-0000-11ef-a1b2-0a1b2c3d4e5f`,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name in pseudo) return pseudo[name];
    if (!(name in this.template.Resources)) throw new Error(`Ref to unknown ${name}`);
    return `${STACK_NAME}-${name.slice(0, 40)}-ABCDEFGHIJKLM`;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.template.Resources[logicalId];
    const name = this.ref(logicalId);
    if (attribute === 'Arn') {
      switch (resource?.Type) {
        case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
        case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
        case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      }
    }
    throw new Error(`the benchmark does not resolve Fn::GetAtt ${logicalId}.${attribute} (${resource?.Type})`);
  }
}
