/**
 * The rules of a camera fleet that synth can check, as pure functions that return a problem (what is allowed)
 * or `undefined`: camera names, the role alias, the credentials' duration, thing attributes, certificate ARNs,
 * and how many resources a stack can hold.
 */
import { describeString } from '../handler-shared/describe-string';
import { dataRetentionProblem } from '../handler-shared/stream-rules';

/**
 * A camera's name is the name of its IoT thing, of its signaling channel and of its stream, so it must be valid
 * as all three. Thing names are 1-128 of `[a-zA-Z0-9:_-]` (they allow ':' but not '.'); channel and stream names
 * are 1-256 of `[a-zA-Z0-9_.-]` (they allow '.' but not ':'). What both allow:
 * https://docs.aws.amazon.com/iot/latest/apireference/API_CreateThing.html,
 * https://docs.aws.amazon.com/kinesisvideostreams/latest/dg/API_CreateSignalingChannel.html
 */
const CAMERA_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

export function cameraNameProblem(name: string): string | undefined {
  if (CAMERA_NAME.test(name)) return undefined;
  const why = name.includes('.') ? ": '.' is allowed in channel names but not in thing names"
    : name.includes(':') ? ": ':' is allowed in thing names but not in channel names" : '';
  return 'must be 1-128 characters of a-z, A-Z, 0-9, \'_\' and \'-\', valid both as an IoT thing name and as a ' +
    `signaling channel name (got ${describeString(name)})${why}`;
}

/** `AWS::IoT::RoleAlias` RoleAlias: 1-128 characters of `[\w=,@-]` (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateRoleAlias.html). */
const ROLE_ALIAS_NAME = /^[\w=,@-]{1,128}$/;

export function roleAliasNameProblem(name: string): string | undefined {
  return ROLE_ALIAS_NAME.test(name)
    ? undefined
    : `must be 1-128 characters of a-z, A-Z, 0-9, '_', '=', ',', '@' and '-' (got ${describeString(name)})`;
}

/**
 * `CredentialDurationSeconds` of a role alias: 900-43,200 whole seconds
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateRoleAlias.html).
 */
export const MIN_CREDENTIAL_SECONDS = 900;
export const MAX_CREDENTIAL_SECONDS = 43_200;

export function credentialDurationProblem(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds >= MIN_CREDENTIAL_SECONDS && seconds <= MAX_CREDENTIAL_SECONDS) return undefined;
  return `must be 900-43,200 whole seconds, 15 minutes to 12 hours (got ${seconds} seconds)`;
}

/** IAM's bounds of a role's MaxSessionDuration: 1 to 12 hours. */
export const MIN_ROLE_SESSION_SECONDS = 3_600;

/**
 * A thing without a thing type has at most 3 attributes, and `AWS::IoT::Thing` cannot give one a type
 * (https://docs.aws.amazon.com/iot/latest/developerguide/thing-types.html; the resource has only ThingName and
 * AttributePayload). Names are up to 128 of `[a-zA-Z0-9_.,@/:#-]`, values up to 800 of `[a-zA-Z0-9_.,@/:#=\[\]-]`
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_AttributePayload.html).
 */
export const MAX_THING_ATTRIBUTES = 3;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;

export function thingAttributesProblems(attributes: { [key: string]: string }, isUnresolved: (value: string) => boolean): string[] {
  const problems: string[] = [];
  const entries = Object.entries(attributes);
  if (entries.length > MAX_THING_ATTRIBUTES) {
    problems.push(`attributes has ${entries.length} entries; a thing without a thing type has at most ${MAX_THING_ATTRIBUTES} ` +
      '(AWS::IoT::Thing cannot give a thing a type)');
  }
  for (const [name, value] of entries) {
    if (!isUnresolved(name) && !ATTRIBUTE_NAME.test(name)) {
      problems.push(`attributes key ${describeString(name)} must be 1-128 characters of a-z, A-Z, 0-9 and _ . , @ / : # -`);
    }
    if (!isUnresolved(value) && !ATTRIBUTE_VALUE.test(value)) {
      problems.push(`attributes[${describeString(name)}] is ${describeString(value)}; values must be 0-800 characters of ` +
        'a-z, A-Z, 0-9 and _ . , @ / : # = [ ] -');
    }
  }
  return problems;
}

/**
 * `arn:<partition>:iot:<region>:<account>:cert/<certificate id>`, the id 64 hexadecimal characters
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_Certificate.html).
 */
const CERTIFICATE_ARN = /^arn:[\w-]+:iot:[\w-]+:\d{12}:cert\/[a-fA-F0-9]{64}$/;

export function certificateArnProblem(arn: string): string | undefined {
  return CERTIFICATE_ARN.test(arn)
    ? undefined
    : `must be an IoT certificate ARN, arn:<partition>:iot:<region>:<account>:cert/<64 hexadecimal characters> (got ${describeString(arn)})`;
}

/** The resources one camera adds to its stack. */
export interface CameraResourceCount {
  readonly records: boolean;
  /** Its stream has images or a notification topic. */
  readonly configuresStream: boolean;
  readonly hasCertificate: boolean;
}

/**
 * An `AWS::IoT::Thing` and a `Custom::KinesisVideoSignalingChannel`; an `AWS::KinesisVideo::Stream` when it
 * records, and a `Custom::KinesisVideoStreamConfiguration` when that stream has images or notifications; an
 * `AWS::IoT::ThingPrincipalAttachment` and an `AWS::IoT::PolicyPrincipalAttachment` when it has a certificate.
 */
export function resourcesPerCamera(camera: CameraResourceCount): number {
  return 2 + (camera.records ? 1 : 0) + (camera.configuresStream ? 1 : 0) + (camera.hasCertificate ? 2 : 0);
}

/** CloudFormation's quota of resources in one stack, which aws-cdk-lib also enforces at synth. */
export const STACK_RESOURCE_LIMIT = 500;

/** `AWS::IoT::Policy` PolicyName: 1-128 characters of `[\w+=,.@-]` (https://docs.aws.amazon.com/iot/latest/apireference/API_CreatePolicy.html). */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function policyNameProblem(name: string): string | undefined {
  return POLICY_NAME.test(name)
    ? undefined
    : `must be 1-128 characters of a-z, A-Z, 0-9, '_', '+', '=', ',', '.', '@' and '-' (got ${describeString(name)})`;
}

/**
 * A recording camera's stream keeps whole hours of media, at least one: a channel records only into a stream
 * that keeps data (`dataRetentionProblem` gives the upper bound).
 */
export function cameraRetentionProblem(hours: number): string | undefined {
  if (hours === 0) {
    return 'must be at least 1 hour: a camera records only into a stream that keeps data (got 0 hours)';
  }
  return dataRetentionProblem(hours);
}
