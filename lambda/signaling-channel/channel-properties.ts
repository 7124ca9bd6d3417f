import { describeString } from '../../src/handler-shared/describe-string';
import { ChannelProperty } from '../../src/handler-shared/handler-contract';
import {
  channelNameProblem,
  channelTagCountProblem,
  channelTagProblems,
  channelTypeProblem,
  MESSAGE_TTL_DEFAULT_SECONDS,
  messageTtlProblem,
} from '../../src/handler-shared/signaling-channel-rules';
import { STREAM_ARN_PATTERN } from '../../src/handler-shared/stream-rules';
import { ReasonError } from '../custom-resource/reason-error';

/** A channel as the template declares it, parsed from ResourceProperties. */
export interface DesiredChannel {
  /** Undefined: generate one at create time. */
  readonly explicitName?: string;
  readonly channelType: string;
  readonly messageTtlSeconds: number;
  readonly tags: Record<string, string>;
  /** The stream the channel records into (media storage ENABLED); undefined: no media storage. */
  readonly mediaStorageStreamArn?: string;
}

/** A property CloudFormation sent that the handler cannot accept; the message names it. */
export class InvalidPropertyError extends ReasonError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPropertyError';
  }
}

/**
 * Parse the properties of a request. Every scalar arrives as a string ("60"): parse, then validate with the
 * same rules the construct applies at synth time (`lenient` reads the previous properties of an update
 * without judging them). Fields that an older version of the construct did not
 * write take their defaults, so a rollback to older-shaped properties works.
 */
export function parseChannelProperties(
  properties: Record<string, unknown> | undefined,
  options: { lenient?: boolean } = {},
): DesiredChannel {
  const props = properties ?? {};
  const problems: string[] = [];

  const rawName = props[ChannelProperty.CHANNEL_NAME];
  let explicitName: string | undefined;
  if (rawName !== undefined && rawName !== '') {
    explicitName = String(rawName);
    const problem = channelNameProblem(explicitName);
    if (problem) problems.push(`${ChannelProperty.CHANNEL_NAME} ${problem}`);
  }

  const channelType = props[ChannelProperty.CHANNEL_TYPE] === undefined
    ? 'SINGLE_MASTER'
    : String(props[ChannelProperty.CHANNEL_TYPE]);
  const typeProblem = channelTypeProblem(channelType);
  if (typeProblem) problems.push(`${ChannelProperty.CHANNEL_TYPE} ${typeProblem}`);

  const rawTtl = props[ChannelProperty.MESSAGE_TTL_SECONDS];
  let messageTtlSeconds = MESSAGE_TTL_DEFAULT_SECONDS;
  if (rawTtl !== undefined && rawTtl !== '') {
    messageTtlSeconds = typeof rawTtl === 'number' ? rawTtl : /^\s*-?\d+(\.\d+)?\s*$/.test(String(rawTtl)) ? Number(rawTtl) : NaN;
    const problem = messageTtlProblem(messageTtlSeconds, `'${String(rawTtl)}'`);
    if (problem) problems.push(`${ChannelProperty.MESSAGE_TTL_SECONDS} ${problem}`);
  }

  const tags = parseTags(props[ChannelProperty.TAGS], problems);

  // Absent (older-shaped properties, a rollback) or empty: no media storage.
  const rawStream = props[ChannelProperty.MEDIA_STORAGE_STREAM_ARN];
  let mediaStorageStreamArn: string | undefined;
  if (rawStream !== undefined && rawStream !== '') {
    mediaStorageStreamArn = String(rawStream);
    if (!STREAM_ARN_PATTERN.test(mediaStorageStreamArn)) {
      problems.push(`${ChannelProperty.MEDIA_STORAGE_STREAM_ARN} must be a Kinesis video stream ARN, ` +
        `arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time> (got ${describeString(mediaStorageStreamArn)})`);
    }
  }

  // The properties a resource had before an update were accepted then; rules may have tightened since.
  if (problems.length > 0 && !options.lenient) {
    throw new InvalidPropertyError(`Invalid signaling channel properties: ${problems.join('; ')}`);
  }
  return { explicitName, channelType, messageTtlSeconds, tags, mediaStorageStreamArn };
}

/** Tags arrive as `[{ Key, Value }]` (TagManager's rendering); a `{ key: value }` map is accepted too. */
function parseTags(raw: unknown, problems: string[]): Record<string, string> {
  if (raw === undefined || raw === '') {
    return {};
  }
  const entries: Array<[string, string]> = [];
  if (Array.isArray(raw)) {
    for (const tag of raw) {
      if (tag === null || typeof tag !== 'object' || !('Key' in tag)) {
        problems.push(`${ChannelProperty.TAGS} must be a list of { Key, Value } (got ${JSON.stringify(tag)})`);
        continue;
      }
      const { Key, Value } = tag as { Key: unknown; Value?: unknown };
      entries.push([String(Key), Value === undefined ? '' : String(Value)]);
    }
  } else if (typeof raw === 'object' && raw !== null) {
    entries.push(...Object.entries(raw).map(([k, v]) => [k, String(v)] as [string, string]));
  } else {
    problems.push(`${ChannelProperty.TAGS} must be a list of { Key, Value } (got ${JSON.stringify(raw)})`);
  }
  const countProblem = channelTagCountProblem(entries.length);
  if (countProblem) problems.push(`${ChannelProperty.TAGS}: ${countProblem}`);
  for (const [key, value] of entries) {
    problems.push(...channelTagProblems(key, value).map(problem => `${ChannelProperty.TAGS}: ${problem}`));
  }
  return Object.fromEntries(entries);
}
