/**
 * The contract between the `SignalingChannel` construct and its custom-resource handler.
 *
 * Both sides import these names from here, so a property the construct writes is always the property the
 * handler reads. This module must stay free of aws-cdk-lib imports: esbuild bundles it into the handler.
 */

/** The CloudFormation resource type of every signaling channel this library declares. */
export const SIGNALING_CHANNEL_RESOURCE_TYPE = 'Custom::KinesisVideoSignalingChannel';

/**
 * Keys of the custom resource's `ResourceProperties`.
 *
 * CloudFormation delivers every scalar as a string: the handler parses and validates them again.
 */
export const ChannelProperty = {
  /** Present only when the user chose a name; absent means "generate one at deploy time". */
  CHANNEL_NAME: 'ChannelName',
  /** Absent means SINGLE_MASTER, the only type the service supports (written only for another type). */
  CHANNEL_TYPE: 'ChannelType',
  /** Absent means the service's default (60 seconds). */
  MESSAGE_TTL_SECONDS: 'MessageTtlSeconds',
  /** A list of `{ Key, Value }`, as aws-cdk-lib's `TagManager` renders key/value tags. */
  TAGS: 'Tags',
  /**
   * The ARN of the Kinesis video stream the channel records into (WebRTC ingestion). Absent or empty means
   * "no media storage": a channel written by an older version of this construct (a rollback) records nothing.
   */
  MEDIA_STORAGE_STREAM_ARN: 'MediaStorageStreamArn',
} as const;

/** Keys of the custom resource's response `Data`, read with `CustomResource.getAttString`. */
export const ChannelAttribute = {
  CHANNEL_ARN: 'ChannelArn',
  CHANNEL_NAME: 'ChannelName',
} as const;

/**
 * The tag the handler puts on every channel it creates, valued with the CloudFormation RequestId of the
 * request that created it. A Create delivered twice (Lambda retries) recognises its own channel by it and
 * never adopts a channel that somebody else created under the same name.
 */
export const OWNERSHIP_TAG_KEY = 'cdk-kvs-signaling-channel:creation-request';

/**
 * The tag the handler puts on every channel it creates, valued with the stack's id (its ARN, which ends in a
 * GUID: a stack deleted and created again under the same name has another). The provider's role may manage
 * any channel that carries its own stack's id, whatever the channel's name: so a later version of the stack,
 * or a rollback to an earlier one, can still update, unlink and delete every channel an earlier version
 * created, with a policy written for the template in force (the name-scoped statements alone cannot: they
 * list only the current template's names).
 */
export const STACK_TAG_KEY = 'cdk-kvs-signaling-channel:stack';

/** Tag keys the library writes itself; users may not declare them. Each counts toward the 50-tag limit. */
export const RESERVED_TAG_KEYS: readonly string[] = [OWNERSHIP_TAG_KEY, STACK_TAG_KEY];

/**
 * How long CloudFormation waits for a channel's answer (the custom resource's `ServiceTimeout`). The handler
 * reads when CloudFormation signed the request's ResponseURL: past this, CloudFormation has given up on the
 * request (and moved on, or rolled back), so the handler does nothing for it.
 */
export const SERVICE_TIMEOUT_SECONDS = 600;

/**
 * PhysicalResourceId of a Create that failed before any channel existed. It is not a channel ARN, so the
 * Delete that CloudFormation sends next recognises it and deletes nothing.
 */
export const NO_CHANNEL_ID_PREFIX = 'no-signaling-channel:';

/** Environment variables the construct sets on the provider's function. */
export const ProviderEnvironment = {
  /**
   * The stack's channels, as `renderSlotTable` (channel-slots.ts) writes them: the handler spaces the
   * stack's requests by it. Set on the function, not on the channels, so adding a channel updates no other.
   */
  CHANNEL_SLOTS: 'CHANNEL_SLOTS',
} as const;
