/**
 * A stream's images and notifications, as a kind of resource of the provider's handler: created with the
 * stream (enabled), changed in place (only the configuration that changed is called), and dropped on delete
 * (UpdateImageGenerationConfiguration / UpdateNotificationConfiguration without a configuration: "If the
 * structure is null, the configuration will be deleted from the stream", API reference).
 *
 * Calls go through KinesisVideoCalls, paced in the stack's slots shared with its channels and retried on
 * throttles and transient faults. The developer guide's quotas table gives Describe*Configuration 50 TPS per
 * account and 5 per stream (hard); it names no quota for the two Update calls, so they are paced as the
 * stack's other control-plane calls (a slot every 25 ms, 40 a second at most), at most two per request.
 */
import { UpdateImageGenerationConfigurationCommand, UpdateNotificationConfigurationCommand } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { StreamConfiguration, parseStreamConfiguration } from './stream-configuration-properties';
import {
  NO_STREAM_CONFIGURATION_ID_PREFIX,
  streamConfigurationId,
} from '../../src/handler-shared/stream-configuration-rules';
import { KinesisVideoCalls, serviceErrorName } from '../custom-resource/kinesis-video-calls';
import { ResourceKind, ResourceRequest, ResourceResult } from '../custom-resource/resource-kind';

/** How many times a stream not yet ACTIVE (ResourceInUseException) is waited for, backing off, within the deadline. */
const NOT_ACTIVE_RETRIES = 8;

async function callWhileInUse(calls: KinesisVideoCalls, what: string, call: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call();
      return;
    } catch (error) {
      if (serviceErrorName(error) !== 'ResourceInUseException' || attempt >= NOT_ACTIVE_RETRIES) throw error;
      await calls.pause(attempt, `waiting for the stream to be ACTIVE before ${what}`);
    }
  }
}

async function putImages(calls: KinesisVideoCalls, streamArn: string, images: StreamConfiguration['images']): Promise<void> {
  await callWhileInUse(calls, 'UpdateImageGenerationConfiguration', () =>
    calls.call('UpdateImageGenerationConfiguration', streamArn, signal => calls.client.send(
      new UpdateImageGenerationConfigurationCommand({ StreamARN: streamArn, ImageGenerationConfiguration: images }),
      { abortSignal: signal })));
}

async function putNotifications(calls: KinesisVideoCalls, streamArn: string, topicArn: string | undefined): Promise<void> {
  await callWhileInUse(calls, 'UpdateNotificationConfiguration', () =>
    calls.call('UpdateNotificationConfiguration', streamArn, signal => calls.client.send(
      new UpdateNotificationConfigurationCommand({
        StreamARN: streamArn,
        NotificationConfiguration: topicArn === undefined ? undefined : { Status: 'ENABLED', DestinationConfig: { Uri: topicArn } },
      }),
      { abortSignal: signal })));
}

/** Apply `next` over `previous` (nothing, on a create): only what differs is called. */
async function apply(calls: KinesisVideoCalls, next: StreamConfiguration, previous?: StreamConfiguration): Promise<void> {
  if (JSON.stringify(next.images) !== JSON.stringify(previous?.images)) {
    await putImages(calls, next.streamArn, next.images);
  }
  if (next.notificationTopicArn !== previous?.notificationTopicArn) {
    await putNotifications(calls, next.streamArn, next.notificationTopicArn);
  }
}

/** Drop what `configuration` set; a stream already deleted has nothing left to drop. */
async function drop(calls: KinesisVideoCalls, configuration: StreamConfiguration): Promise<void> {
  try {
    if (configuration.images !== undefined) await putImages(calls, configuration.streamArn, undefined);
    if (configuration.notificationTopicArn !== undefined) await putNotifications(calls, configuration.streamArn, undefined);
  } catch (error) {
    if (serviceErrorName(error) === 'ResourceNotFoundException') return;
    throw error;
  }
}

async function handleConfigurationEvent(event: CloudFormationCustomResourceEvent, request: ResourceRequest): Promise<ResourceResult> {
  const { calls } = request;
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId.startsWith(NO_STREAM_CONFIGURATION_ID_PREFIX)) {
      return { physicalResourceId: event.PhysicalResourceId };
    }
    await drop(calls, parseStreamConfiguration(event.ResourceProperties));
    return { physicalResourceId: event.PhysicalResourceId };
  }
  const next = parseStreamConfiguration(event.ResourceProperties);
  const physicalResourceId = streamConfigurationId(next.streamArn);
  if (event.RequestType === 'Create') {
    request.progress.createdPhysicalResourceId = physicalResourceId;
    await apply(calls, next);
    return { physicalResourceId };
  }
  const previous = parseStreamConfiguration(event.OldResourceProperties);
  // Another stream (a replaced one): configure it whole; CloudFormation then deletes the old id, which drops
  // the old stream's configuration.
  await apply(calls, next, previous.streamArn === next.streamArn ? previous : undefined);
  return { physicalResourceId };
}

export const streamConfigurationKind: ResourceKind = {
  noResourceIdPrefix: NO_STREAM_CONFIGURATION_ID_PREFIX,
  pluralNoun: 'streams with images or notifications',
  handle: handleConfigurationEvent,
};
