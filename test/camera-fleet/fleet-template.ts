/** Helpers over a synthesized fleet stack's template JSON. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export type Resources = Record<string, { Type: string; Properties?: any; Metadata?: any }>;

export function resourcesOf(stack: Stack): Resources {
  return Template.fromStack(stack).toJSON().Resources;
}

export function ofType(resources: Resources, type: string): Array<[string, any]> {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/**
 * A template value as a string: Fn::Join of literals and pseudo parameters, pseudo parameters as `<AWS::Region>`.
 * Any other intrinsic is returned as JSON, which matches no ARN pattern.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (typeof ref === 'string' && ref.startsWith('AWS::')) return `<${ref}>`;
  return JSON.stringify(value);
}
