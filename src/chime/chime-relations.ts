/**
 * Module-internal helpers of the Chime constructs that involve their classes: not exported from the library.
 */
import { Duration, Fn, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AppInstance, IAppInstance } from './app-instance';
import { isDuration } from '../core/property-types';
import { UniqueWithin } from '../core/unique-names';

/**
 * Whether two app instances are known to differ at synth: different ARNs that are both known, or two app
 * instances both declared in the app. An import and a declared one are never compared (the declared ARN is a
 * token until deploy time).
 */
export function appInstancesDiffer(a: IAppInstance, b: IAppInstance): boolean {
  if (a === b) return false;
  if (!Token.isUnresolved(a.appInstanceArn) && !Token.isUnresolved(b.appInstanceArn)) return a.appInstanceArn !== b.appInstanceArn;
  return AppInstance.isAppInstance(a) && AppInstance.isAppInstance(b);
}

/**
 * A Duration's days, or `undefined` when it is a token (not checked at synth) or not a Duration (a JavaScript
 * caller's mistake, which the type checks report).
 */
export function knownDays(duration: Duration | undefined): number | undefined {
  return !isDuration(duration) || duration!.isUnresolved() ? undefined : duration!.toDays({ integral: false });
}

/**
 * The app instance in a user's, bot's or channel's ARN (`<app instance ARN><separator><id>`): parsed when the
 * ARN is known, an `Fn::Select` of an `Fn::Split` on the separator when it is a token.
 */
export function appInstanceOfArn(scope: Construct, arn: string, separator: string): IAppInstance {
  const appInstanceArn = Token.isUnresolved(arn) ? Fn.select(0, Fn.split(separator, arn)) : arn.slice(0, arn.lastIndexOf(separator));
  return AppInstance.fromAppInstanceArn(scope, 'AppInstance', appInstanceArn);
}

/**
 * The app instance as the scope of its users' and channels' ids, which are unique in it: a declared app instance
 * by its construct, an imported one by its ARN when known.
 */
export function withinAppInstance(appInstance: IAppInstance, generatedWhenOmitted: boolean): UniqueWithin {
  const known = !Token.isUnresolved(appInstance.appInstanceArn) && !AppInstance.isAppInstance(appInstance);
  return {
    key: known ? appInstance.appInstanceArn : appInstance.node.path,
    description: `app instance ${known ? appInstance.appInstanceArn : appInstance.node.path}`,
    generatedWhenOmitted,
  };
}
