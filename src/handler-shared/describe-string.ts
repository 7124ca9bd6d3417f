/**
 * How every error message of the library, at synth and in the handler, shows a value it refuses. Bundled into
 * the handler with the rest of this folder.
 */

/** Quote a value for an error message, shortening very long ones so the message stays readable. */
export function describeString(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `'${shown}'${value.length > 80 ? ` (${value.length} characters)` : ''}`;
}
