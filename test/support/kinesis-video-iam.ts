/**
 * What a call to the Kinesis Video double is authorized as, for the IAM policy simulator (iam-authorizer.ts):
 * the action `kinesisvideo:<Operation>` (CreateSignalingChannel with Tags also needs TagResource), the
 * resource (an existing channel's ARN; the ARN a new channel gets; `channel/<name>/*` for a Describe by the
 * name of no channel) and the tag context (aws:ResourceTag, aws:RequestTag, aws:TagKeys). The header of
 * kinesis-video-double.ts says why each.
 */
import { AuthorizationRequest } from './iam-authorizer';
import { CHANNEL_ARN, CHANNEL_NAME, STREAM_ARN } from './kinesis-video-input-rules';
import { KinesisVideoState, partitionOf } from './kinesis-video-state';
import { Input, KinesisVideoOperation } from './kinesis-video-wire';

/** One IAM request a call was authorized as, and whether the identity policy allowed it. */
export interface AuthorizationCheck extends AuthorizationRequest {
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly allowed: boolean;
}

/** The IAM requests of a call, and for CreateSignalingChannel the creation time its ARN was authorized with. */
export interface AuthorizationPlan {
  readonly requests: AuthorizationRequest[];
  readonly createdAt?: number;
}

/**
 * The IAM requests that authorize a call (see the header), and for CreateSignalingChannel the creation time
 * its ARN was authorized with, reserved so that the channel gets exactly that ARN even when other calls are
 * served while this one is being authorized. A call that names no valid resource has nothing to authorize:
 * validation (or ResourceNotFoundException) refuses it without changing anything.
 */
export function authorizationPlan(
  state: KinesisVideoState,
  operation: KinesisVideoOperation,
  input: Input,
  region: string,
  now: number,
): AuthorizationPlan {
  const action = `kinesisvideo:${operation}`;
  const arnPrefix = `arn:${partitionOf(region)}:kinesisvideo:${region}:${state.accountId}`;

  if (operation === 'CreateSignalingChannel') {
    const name = input.ChannelName;
    if (typeof name !== 'string' || !CHANNEL_NAME.test(name)) return { requests: [] };
    const createdAt = state.nextCreationTime(now);
    const resource = `${arnPrefix}:channel/${name}/${createdAt}`;
    const tags = lenientTagsOf(input.Tags);
    const context = requestTagContext(tags);
    // The Service Authorization Reference's table of API operations maps CreateSignalingChannel to two IAM
    // actions: creating a channel with tags also needs TagResource on it, with the same request-tag conditions.
    const tagging = tags.length > 0 ? [{ action: 'kinesisvideo:TagResource', resource, context }] : [];
    return { createdAt, requests: [{ action, resource, context }, ...tagging] };
  }

  // The stream's configuration calls act on the stream, named as DescribeMappedResourceConfiguration names it.
  if (operation === 'DescribeMappedResourceConfiguration' || /^(Describe|Update)(ImageGeneration|Notification)Configuration$/.test(operation)) {
    const name = stringOrUndefined(input.StreamName);
    const arn = stringOrUndefined(input.StreamARN);
    const stream = state.findStream(region, arn, name);
    const resource = stream?.arn
      ?? (arn !== undefined && STREAM_ARN.test(arn) ? arn : undefined)
      ?? (arn === undefined && name !== undefined && CHANNEL_NAME.test(name) ? `${arnPrefix}:stream/${name}/*` : undefined);
    // The double keeps no tags on streams: there is no aws:ResourceTag to give.
    return { requests: resource === undefined ? [] : [{ action, resource, context: {} }] };
  }

  // Every other operation acts on one channel, named by its ARN or (the two Describes) by its name.
  const isTagging = operation === 'ListTagsForResource' || operation === 'TagResource' || operation === 'UntagResource';
  const arn = stringOrUndefined(isTagging ? input.ResourceARN : input.ChannelARN);
  const name = isTagging ? undefined : stringOrUndefined(input.ChannelName);
  const channel = arn !== undefined ? state.findByArn(region, arn) : name !== undefined ? state.findByName(region, name) : undefined;
  // A channel that does not exist: by ARN, the ARN given. By name (the Describes), the service's resource
  // for the authorization is undocumented; `channel/<name>/*` is how policies name a channel known only by
  // name (kvs-signaling-api-notes.md, "IAM"), so the call is allowed when the policy allows the action on
  // some channel of that name, and a policy scoped to other names refuses it.
  const resource = channel?.arn
    ?? (arn !== undefined && CHANNEL_ARN.test(arn) ? arn : undefined)
    ?? (arn === undefined && name !== undefined && CHANNEL_NAME.test(name) ? `${arnPrefix}:channel/${name}/*` : undefined);
  if (resource === undefined) return { requests: [] };
  const context: Record<string, string | string[]> = channel === undefined ? {} : resourceTagContext(state.visibleTags(channel, now));
  if (operation === 'TagResource') {
    Object.assign(context, requestTagContext(lenientTagsOf(input.Tags)));
  } else if (operation === 'UntagResource') {
    const keys = Array.isArray(input.TagKeyList) ? input.TagKeyList.filter((key): key is string => typeof key === 'string') : [];
    if (keys.length > 0) context['aws:TagKeys'] = keys;
  }
  return { requests: [{ action, resource, context }] };
}

/** The well-formed `{ Key, Value }` tags of a request, for IAM context: validation refuses the rest later. */
function lenientTagsOf(list: unknown): Array<[string, string]> {
  if (!Array.isArray(list)) return [];
  return list
    .filter((tag): tag is { Key: string; Value: string } => typeof tag?.Key === 'string' && typeof tag?.Value === 'string')
    .map(tag => [tag.Key, tag.Value]);
}

/** `aws:RequestTag/<key>` for each tag a request sets, and `aws:TagKeys` (absent when it sets none). */
function requestTagContext(tags: ReadonlyArray<[string, string]>): Record<string, string | string[]> {
  if (tags.length === 0) return {};
  return {
    ...Object.fromEntries(tags.map(([key, value]) => [`aws:RequestTag/${key}`, value])),
    'aws:TagKeys': tags.map(([key]) => key),
  };
}

/** `aws:ResourceTag/<key>` for each tag the resource has. */
function resourceTagContext(tags: ReadonlyMap<string, string>): Record<string, string | string[]> {
  return Object.fromEntries([...tags].map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
