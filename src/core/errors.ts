import { ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The one way the library refuses a value: aws-cdk-lib's own `ValidationError`, which its L2s throw.
 *
 * Why that type and not a plain `Error`: it rewrites the error's stack as `«code» message`, the caller's frames
 * (aws-cdk-lib's own folded away) and the construct tree ("Relates to construct"), so the CDK CLI prints what is
 * wrong and where, never a line of aws-cdk-lib's minified source; `Errors.isValidationError` recognises it; and jsii passes its message to every language.
 * aws-cdk-lib marks the class `@internal` in its docs but exports it from its entry point (and its `.d.ts`),
 * checked on 2.245, the library's floor, by the tests of every refusal.
 *
 * The message starts with the path the user reads first (`path: ...`); `path` differs from the scope's own
 * path where the construct does not exist yet (an import refused before it is constructed: `scope/id`).
 */
export function validationError(scope: IConstruct, message: string, path: string = scope.node.path): Error {
  return new ValidationError(LIBRARY_VALIDATION_ERROR, `${path}: ${message}`, scope);
}

/** The code every refusal of the library carries, shown by the CLI as `«CdkKvsValidationError»`. */
export const LIBRARY_VALIDATION_ERROR = 'CdkKvsValidationError';
