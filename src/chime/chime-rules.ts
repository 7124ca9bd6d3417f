/**
 * The Amazon Chime SDK messaging API's constraints on app instances, app instance users and channels, as pure
 * functions that return a problem (what is allowed) or `undefined`. Sources: the CloudFormation resource
 * schemas of AWS::Chime::AppInstance, AppInstanceUser and Channel, and the chime-sdk-identity (2021-04-20) and
 * chime-sdk-messaging (2021-05-15) API models. The constructs check them at synth, skipping tokens.
 */
import { describeString } from '../handler-shared/describe-string';

/** AppInstance, channel names: 1-256 characters (`NonEmptyResourceName`). */
export const RESOURCE_NAME_MAX_LENGTH = 256;
/** AppInstanceUser names: 1-100 characters, not only blanks (`UserName`, `.*\S.*`). */
export const USER_NAME_MAX_LENGTH = 100;
/** AppInstanceUserId and ChannelId: 1-64 characters. */
export const ID_MAX_LENGTH = 64;
/** Metadata of every resource: "Limited to a 1KB string in UTF-8". */
export const METADATA_MAX_BYTES = 1024;
/** ExpirationDays of users and channels: 1 day to 15 years. */
export const EXPIRATION_MIN_DAYS = 1;
export const EXPIRATION_MAX_DAYS = 5475;
/** MemberArns and ModeratorArns of CreateChannel: at most 10 each. */
export const MAX_INITIAL_MEMBERS = 10;
/** ElasticChannelConfiguration: sub-channels and target memberships at least 2; minimum membership 1-40 %. */
export const ELASTIC_MIN_SUB_CHANNELS = 2;
export const ELASTIC_MIN_TARGET_MEMBERSHIPS = 2;
export const ELASTIC_MIN_MEMBERSHIP_PERCENTAGE = 1;
export const ELASTIC_MAX_MEMBERSHIP_PERCENTAGE = 40;
/** Tags: at most 50 per resource; keys 1-128 characters, values up to 256. */
export const MAX_TAGS = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

/**
 * The regions with Chime SDK messaging and identity endpoints (botocore endpoints.json, services
 * `messaging-chime` and `identity-chime`; the developer guide's "Messaging Regions" table).
 */
export const MESSAGING_REGIONS: readonly string[] = ['us-east-1', 'eu-central-1'];
/** "You can use elastic channels only in the US East (N. Virginia) region" (developer guide, elastic channels). */
export const ELASTIC_CHANNEL_REGIONS: readonly string[] = ['us-east-1'];

/** The characters the API allows in names (the schema's pattern, astral planes included). */
const NAME_CHARACTERS = /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** AppInstanceUserId and ChannelId. */
export const ID_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9:\-_.@]{0,62}[A-Za-z0-9])?$/;

const ARN_PREFIX = 'arn:[\\w-]+:chime:[\\w-]+:\\d{12}:app-instance\\/([^/\\s]+)';
/** `arn:<partition>:chime:<region>:<account>:app-instance/<id>`; group 1 is the app instance id. */
export const APP_INSTANCE_ARN_PATTERN = new RegExp(`^${ARN_PREFIX}$`);
/** `.../app-instance/<id>/user/<user id>`; group 1 is the app instance id, group 2 the user id. */
export const APP_INSTANCE_USER_ARN_PATTERN = new RegExp(`^${ARN_PREFIX}\\/user\\/([^/\\s]+)$`);
/** `.../app-instance/<id>/bot/<bot id>`. */
export const APP_INSTANCE_BOT_ARN_PATTERN = new RegExp(`^${ARN_PREFIX}\\/bot\\/([^/\\s]+)$`);
/** `.../app-instance/<id>/channel/<channel id>`. */
export const CHANNEL_ARN_PATTERN = new RegExp(`^${ARN_PREFIX}\\/channel\\/([^/\\s]+)$`);

/** The name of an app instance or a channel: 1-256 characters of the API's set. */
export function resourceNameProblem(name: string): string | undefined {
  if (name.length >= 1 && name.length <= RESOURCE_NAME_MAX_LENGTH && NAME_CHARACTERS.test(name)) return undefined;
  return `must be 1-${RESOURCE_NAME_MAX_LENGTH} characters, without control characters other than tab and newlines (got ${describeString(name)})`;
}

/** The name of an app instance user: 1-100 characters of the API's set, not all blank. */
export function userNameProblem(name: string): string | undefined {
  if (name.length >= 1 && name.length <= USER_NAME_MAX_LENGTH && NAME_CHARACTERS.test(name) && /\S/.test(name)) return undefined;
  return `must be 1-${USER_NAME_MAX_LENGTH} characters, not all blank, without control characters other than tab and newlines ` +
    `(got ${describeString(name)})`;
}

/** An AppInstanceUserId or a ChannelId. */
export function idProblem(id: string): string | undefined {
  if (ID_PATTERN.test(id)) return undefined;
  return `must be 1-${ID_MAX_LENGTH} characters of A-Z, a-z, 0-9 and : - _ . @, starting and ending with a letter or digit ` +
    `(got ${describeString(id)})`;
}

/** Metadata: at most 1 KB once encoded in UTF-8. */
export function metadataProblem(metadata: string): string | undefined {
  const bytes = Buffer.byteLength(metadata, 'utf8');
  if (bytes <= METADATA_MAX_BYTES) return undefined;
  return `must be at most ${METADATA_MAX_BYTES} bytes in UTF-8 (got ${bytes} bytes)`;
}

/** ExpirationDays: a whole number of days from 1 to 5475. */
export function expirationDaysProblem(days: number): string | undefined {
  if (Number.isInteger(days) && days >= EXPIRATION_MIN_DAYS && days <= EXPIRATION_MAX_DAYS) return undefined;
  return `must be a whole number of days from ${EXPIRATION_MIN_DAYS} to ${EXPIRATION_MAX_DAYS} (15 years) (got ${days} days)`;
}

/** A whole number of at least `min`. */
export function atLeastProblem(min: number): (value: number) => string | undefined {
  return value => Number.isInteger(value) && value >= min ? undefined : `must be a whole number of at least ${min} (got ${value})`;
}

/** MinimumMembershipPercentage: 1-40. */
export function minimumMembershipPercentageProblem(value: number): string | undefined {
  if (Number.isInteger(value) && value >= ELASTIC_MIN_MEMBERSHIP_PERCENTAGE && value <= ELASTIC_MAX_MEMBERSHIP_PERCENTAGE) return undefined;
  return `must be a whole number from ${ELASTIC_MIN_MEMBERSHIP_PERCENTAGE} to ${ELASTIC_MAX_MEMBERSHIP_PERCENTAGE} (got ${value})`;
}

/** MemberArns, ModeratorArns: at most 10 at creation. */
export function initialMemberCountProblem(count: number): string | undefined {
  if (count <= MAX_INITIAL_MEMBERS) return undefined;
  return `can name at most ${MAX_INITIAL_MEMBERS} at creation (got ${count}): add the others with CreateChannelMembership once the channel exists`;
}

/** The regions Chime SDK messaging is offered in. */
export function messagingRegionProblem(region: string): string | undefined {
  if (MESSAGING_REGIONS.includes(region)) return undefined;
  return `Amazon Chime SDK messaging is offered only in ${MESSAGING_REGIONS.join(' and ')} (the stack's region is '${region}')`;
}

/**
 * Problems with one tag: key 1-128 characters, not starting with `aws:` (AWS reserves it); value at most 256
 * characters, and at least `valueMinLength` (the AppInstanceUser schema allows an empty value, the others 1).
 */
export function chimeTagProblems(key: string, value: string, valueMinLength: number): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
    problems.push(`tag key ${describeString(key)} must be 1-${TAG_KEY_MAX_LENGTH} characters`);
  }
  if (key.toLowerCase().startsWith('aws:')) {
    problems.push(`tag key ${describeString(key)} starts with 'aws:', which AWS reserves`);
  }
  if (value.length < valueMinLength || value.length > TAG_VALUE_MAX_LENGTH) {
    problems.push(`tag ${describeString(key)} has value ${describeString(value)}; values must be ${valueMinLength}-${TAG_VALUE_MAX_LENGTH} characters`);
  }
  return problems;
}

export function chimeTagCountProblem(count: number): string | undefined {
  return count <= MAX_TAGS ? undefined : `at most ${MAX_TAGS} tags are allowed, got ${count}`;
}
