import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { describeValue } from './property-types';
import { SERVICE_ACTIONS } from './service-actions';

/**
 * Refuse, at the `grant(...)` call, an action that is not one of the resource's service: IAM accepts any string
 * as an action, so a typo (`ConnectAsViewr`) or a missing prefix would otherwise deploy a policy that grants
 * nothing, or fail deep inside aws-cdk-lib. The actions are those of the Service Authorization Reference
 * (`service-actions.ts`); IAM matches them without regard to case, and `*` and `?` as wildcards, so those are
 * accepted when they match an action. Tokens are left to IAM.
 *
 * `method` is how the message names the call (`grant`), `prefix` the service of the resource (`kinesisvideo`).
 */
export function checkGrantActions(scope: IConstruct, method: string, prefix: string, actions: readonly unknown[]): void {
  const service = SERVICE_ACTIONS[prefix];
  const problems = actions
    .map((action, index) => actionProblem(`actions[${index}]`, action, prefix, service.actions))
    .filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw validationError(scope, `${method}: ${problems.join('; ')} (the actions of ${prefix}: ${service.reference})`);
  }
}

function actionProblem(field: string, action: unknown, prefix: string, known: readonly string[]): string | undefined {
  if (typeof action !== 'string') return `${field} must be a string such as '${prefix}:${known[0]}' (got ${describeValue(action)})`;
  if (Token.isUnresolved(action)) return undefined;
  const separator = action.indexOf(':');
  if (separator < 0) {
    const named = nearest(action, known);
    const hint = named !== undefined ? `: did you mean '${prefix}:${named}'?` : '';
    return `${field} '${action}' has no service prefix, an action is '${prefix}:<action>'${hint}`;
  }
  const [actionPrefix, name] = [action.slice(0, separator), action.slice(separator + 1)];
  if (actionPrefix.toLowerCase() !== prefix) {
    const hint = known.some(candidate => candidate.toLowerCase() === name.toLowerCase()) ? `: did you mean '${prefix}:${name}'?` : '';
    return `${field} '${action}' is not an action of ${prefix}, the service of this resource, so it would grant nothing here${hint}`;
  }
  if (matches(name, known)) return undefined;
  const near = nearest(name, known);
  return `${field} '${action}' is not an action of ${prefix}` + (near === undefined ? '' : `: did you mean '${prefix}:${near}'?`);
}

/** Whether `name` (with IAM's `*` and `?` wildcards, in any case) matches one of `known`. */
function matches(name: string, known: readonly string[]): boolean {
  const escaped = name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const pattern = new RegExp(`^${escaped}$`, 'i');
  return known.some(candidate => pattern.test(candidate));
}

/**
 * The known action closest to `name` in edit distance (case ignored), if close enough to be the one meant:
 * at most a third of its length away, so that an unrelated name gets no suggestion.
 */
function nearest(name: string, known: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
