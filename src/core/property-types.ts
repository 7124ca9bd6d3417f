/**
 * Checks of a property's type, for callers without a compiler to catch a wrong one (JavaScript, or values
 * built at run time): a number where a Duration belongs, a string where a map of tags belongs. Each returns a
 * problem that names the field, what it got and what is allowed, or `undefined`. An absent value (optional
 * property) is never a problem here.
 */
import { describeString } from '../handler-shared/describe-string';

/** A value of a primitive type: 'string', 'number' or 'boolean'. */
export function typeProblem(field: string, value: unknown, type: 'string' | 'number' | 'boolean'): string | undefined {
  if (value === undefined || typeof value === type) return undefined;
  return `${field} must be a ${type} (got ${describeValue(value)})`;
}

/** A `Duration` (by its methods: a Duration of another copy of aws-cdk-lib is one too). */
export function durationProblem(field: string, value: unknown, example: string): string | undefined {
  if (value === undefined || isDuration(value)) return undefined;
  return `${field} must be a Duration, such as ${example} (got ${describeValue(value)})`;
}

/** A map of strings to strings, such as tags. */
export function stringMapProblem(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    return `${field} must be a map of strings to strings, such as { room: 'garage' } (got ${describeValue(value)})`;
  }
  const notString = Object.entries(value).find(([, entry]) => typeof entry !== 'string');
  return notString === undefined
    ? undefined
    : `${field} must map strings to strings: ${field}[${describeString(notString[0])}] is ${describeValue(notString[1])}`;
}

/**
 * One of an enum's values. A string that differs from one only in case, `_` or `-` (`connectAsViewer`, the
 * member's name `CONNECT_AS_VIEWER`) is named with the right spelling: JavaScript callers type these by hand.
 */
export function enumProblem(field: string, value: unknown, allowed: readonly string[]): string | undefined {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return undefined;
  const spelling = (text: string) => text.replace(/[_-]/g, '').toLowerCase();
  const meant = typeof value === 'string' ? allowed.find(candidate => spelling(candidate) === spelling(value)) : undefined;
  return `${field} must be one of ${allowed.join(', ')} (got ${describeValue(value)}` +
    (meant === undefined ? ')' : `: did you mean '${meant}'? The values are case-sensitive)`);
}

/**
 * A value that must be given (a required property, or an argument a JavaScript caller left out): said as
 * "required", with what belongs there, rather than as the shape `undefined` lacks.
 */
export function requiredProblem(field: string, value: unknown, typeName: string): string | undefined {
  return value === undefined || value === null ? `${field} is required: ${typeName}` : undefined;
}

/**
 * An object that has the members a type of this library has (`streamArn`, `grantWrite`, ...): what an
 * interface can be checked by in JavaScript.
 */
export function shapeProblem(field: string, value: unknown, typeName: string, members: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  const missing = typeof value === 'object' && value !== null
    ? members.filter(member => !(member in value))
    : members;
  return missing.length === 0
    ? undefined
    : `${field} must be ${typeName} (got ${describeValue(value)}, which has no ${missing.join(', ')})`;
}

/**
 * A property given under the name it had before a rename: TypeScript refuses it, JavaScript would ignore it and
 * build something else (a channel with a generated name, say) without a word.
 */
export function renamedProblem(props: object, oldName: string, newName: string): string | undefined {
  if (!(oldName in props) || newName in props) return undefined;
  return `${oldName} is now ${newName} (the attribute's name, as in aws-cdk-lib): rename it`;
}

export function isDuration(value: unknown): boolean {
  const candidate = value as { toSeconds?: unknown; toHumanString?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null
    && typeof candidate.toSeconds === 'function' && typeof candidate.toHumanString === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a message shows a value of the wrong type: its type, and the value where it is short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string': return `the string ${describeString(value)}`;
    case 'number':
    case 'boolean': return `the ${typeof value} ${String(value)}`;
    case 'function': return 'a function';
    case 'object': {
      const constructorName = (value as object).constructor?.name;
      const keys = Object.keys(value as object);
      const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', ...' : '');
      return constructorName && constructorName !== 'Object'
        ? `a ${constructorName}`
        : `an object with ${keys.length === 0 ? 'no keys' : `keys ${shown}`}`;
    }
    default: return `a ${typeof value}`;
  }
}
