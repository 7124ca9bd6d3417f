import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { ResourceFamily } from './resource-family';

/** The id of the warning that two stacks of one app, in one account and region, declare the same name. */
const DUPLICATE_NAME_WARNING = 'cdk-kvs-signaling-channel:duplicateName';

/** A scope narrower than an account and region in which a name is unique (a Chime app instance's ids). */
export interface UniqueWithin {
  /** What identifies the scope among others of the stack (a construct path). */
  readonly key: string;
  /** How messages name it: 'app instance Stack/Chat'. */
  readonly description: string;
  /** Whether the resource gets a generated value when none is given (a channel id does, a user id does not). */
  readonly generatedWhenOmitted: boolean;
}

/** The explicit names claimed in each app, per family and name: the resources that hold each. */
const claimsByApp = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/**
 * Claim an explicit name for a resource of a family whose names are unique in an account and region.
 *
 * A second resource of the same stack with the same name is refused, naming both: the service would refuse it
 * at deploy time, with half of the stack deployed by then. A resource of another stack of the app, in the same
 * account and region, gets a warning when the app is validated (whichever stack deploys second fails; the
 * stacks may also never be deployed together). Names that are unresolved tokens, and stacks whose account or
 * region is known only at deploy time, are not compared.
 */
export function claimUniqueName(
  resource: IConstruct,
  family: ResourceFamily,
  field: string,
  name: string | undefined,
  within?: UniqueWithin,
): void {
  if (typeof name !== 'string' || Token.isUnresolved(name)) return;
  const app = resource.node.root;
  const claims = claimsByApp.get(app) ?? new Map<string, IConstruct[]>();
  claimsByApp.set(app, claims);
  const key = `${family.noun}\u0000${within?.key ?? ''}\u0000${name}`;
  // Only a name the resource would otherwise generate can be left out.
  const otherwise = (within?.generatedWhenOmitted ?? family.nameGeneratedWhenOmitted) ? `choose another name, or leave ${field} out to have one generated` : 'choose another';
  const holders = claims.get(key) ?? [];
  claims.set(key, holders);

  const stack = Stack.of(resource);
  const holderInStack = holders.find(holder => Stack.of(holder) === stack);
  if (holderInStack !== undefined) {
    throw validationError(resource, within
      ? `${field} '${name}' is already that of ${holderInStack.node.path} in ${within.description}; ` +
        `it is unique there: ${otherwise}`
      : `${field} '${name}' is already the name of ${holderInStack.node.path} in this stack; ` +
        `a ${family.noun}'s name is unique in its account and region: ${otherwise}`);
  }
  holders.push(resource);

  resource.node.addValidation({
    validate: () => {
      const { account, region } = stack;
      if (Token.isUnresolved(account) || Token.isUnresolved(region)) return [];
      for (const other of holders) {
        const otherStack = Stack.of(other);
        if (otherStack === stack || otherStack.account !== account || otherStack.region !== region) continue;
        Annotations.of(resource).addWarningV2(DUPLICATE_NAME_WARNING,
          `${field} '${name}' is also the name of ${other.node.path}, in the same account (${account}) and ` +
          `region (${region}): whichever stack deploys second fails. ${otherwise.charAt(0).toUpperCase()}${otherwise.slice(1)}.`);
      }
      return [];
    },
  });
}
