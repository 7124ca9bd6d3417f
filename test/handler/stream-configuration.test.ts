/**
 * A stream's images and notifications as the handler applies them: enabled on create, only what changed on
 * update, dropped on delete, and the service's refusals turned into a Reason.
 */
import {
  ClientLimitExceededException,
  InvalidArgumentException,
  KinesisVideoClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateImageGenerationConfigurationCommand,
  UpdateNotificationConfigurationCommand,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import { createEvent, deleteEvent, invoke, updateEvent } from './handler-test-kit';
import { STREAM_CONFIGURATION_RESOURCE_TYPE, streamConfigurationId } from '../../src/handler-shared/stream-configuration-rules';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => {
  kvs.reset();
  kvs.on(UpdateImageGenerationConfigurationCommand).resolves({});
  kvs.on(UpdateNotificationConfigurationCommand).resolves({});
});

const STREAM_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/doorbell/1700000000001';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:doorbell-events';
const meta = { $metadata: {} };
const type = { ResourceType: STREAM_CONFIGURATION_RESOURCE_TYPE, LogicalResourceId: 'DoorbellImagesAndNotifications1A2B3C4D' };

// As CloudFormation delivers them: every scalar a string.
const images = {
  ImageSelectorType: 'SERVER_TIMESTAMP',
  DestinationUri: 's3://thumbnails-bucket/doorbell/',
  DestinationRegion: 'us-east-1',
  SamplingInterval: '1000',
  Format: 'JPEG',
  JPEGQuality: '60',
  WidthPixels: '320',
};
const props = { StreamArn: STREAM_ARN, ImageGeneration: images, NotificationTopicArn: TOPIC_ARN };

const imageCalls = () => kvs.commandCalls(UpdateImageGenerationConfigurationCommand).map(call => call.args[0].input);
const notificationCalls = () => kvs.commandCalls(UpdateNotificationConfigurationCommand).map(call => call.args[0].input);

function withType<T extends object>(event: T): T {
  return { ...event, ...type };
}

test('create enables both, with the API\'s shapes and numbers, and answers the stream\'s configuration id', async () => {
  const { response } = await invoke(withType(createEvent(props)));
  expect(response.Status).toBe('SUCCESS');
  expect(response.PhysicalResourceId).toBe(streamConfigurationId(STREAM_ARN));
  expect(imageCalls()).toEqual([{
    StreamARN: STREAM_ARN,
    ImageGenerationConfiguration: {
      Status: 'ENABLED',
      ImageSelectorType: 'SERVER_TIMESTAMP',
      DestinationConfig: { Uri: 's3://thumbnails-bucket/doorbell/', DestinationRegion: 'us-east-1' },
      SamplingInterval: 1000,
      Format: 'JPEG',
      FormatConfig: { JPEGQuality: '60' },
      WidthPixels: 320,
      HeightPixels: undefined,
    },
  }]);
  expect(notificationCalls()).toEqual([{
    StreamARN: STREAM_ARN,
    NotificationConfiguration: { Status: 'ENABLED', DestinationConfig: { Uri: TOPIC_ARN } },
  }]);
});

test('create with notifications only calls only UpdateNotificationConfiguration', async () => {
  await invoke(withType(createEvent({ StreamArn: STREAM_ARN, NotificationTopicArn: TOPIC_ARN })));
  expect(imageCalls()).toHaveLength(0);
  expect(notificationCalls()).toHaveLength(1);
});

test.each([
  ['SamplingInterval', { SamplingInterval: '1500' }],
  ['Format', { Format: 'PNG', JPEGQuality: undefined }],
  ['WidthPixels', { WidthPixels: '640' }],
  ['HeightPixels', { HeightPixels: '240' }],
  ['JPEGQuality', { JPEGQuality: '90' }],
  ['ImageSelectorType', { ImageSelectorType: 'PRODUCER_TIMESTAMP' }],
  ['DestinationUri', { DestinationUri: 's3://thumbnails-bucket/front-door/' }],
])('an update of %s calls UpdateImageGenerationConfiguration alone, in place', async (_, change) => {
  const { response } = await invoke(withType(updateEvent(streamConfigurationId(STREAM_ARN),
    { ...props, ImageGeneration: { ...images, ...change } }, props)));
  expect(response.Status).toBe('SUCCESS');
  expect(response.PhysicalResourceId).toBe(streamConfigurationId(STREAM_ARN));
  expect(imageCalls()).toHaveLength(1);
  expect(notificationCalls()).toHaveLength(0);
});

test('a new topic calls UpdateNotificationConfiguration alone; an update that changes nothing calls nothing', async () => {
  const otherTopic = 'arn:aws:sns:us-east-1:123456789012:other-events';
  await invoke(withType(updateEvent(streamConfigurationId(STREAM_ARN), { ...props, NotificationTopicArn: otherTopic }, props)));
  expect(notificationCalls()).toEqual([{ StreamARN: STREAM_ARN, NotificationConfiguration: { Status: 'ENABLED', DestinationConfig: { Uri: otherTopic } } }]);
  expect(imageCalls()).toHaveLength(0);
  kvs.resetHistory();
  await invoke(withType(updateEvent(streamConfigurationId(STREAM_ARN), props, props)));
  expect(kvs.calls()).toHaveLength(0);
});

test('removing images on update drops their configuration (an Update without one)', async () => {
  await invoke(withType(updateEvent(streamConfigurationId(STREAM_ARN), { StreamArn: STREAM_ARN, NotificationTopicArn: TOPIC_ARN }, props)));
  expect(imageCalls()).toEqual([{ StreamARN: STREAM_ARN, ImageGenerationConfiguration: undefined }]);
  expect(notificationCalls()).toHaveLength(0);
});

test('another stream (a replaced one) is configured whole under a new id; the old one is dropped by its Delete', async () => {
  const newArn = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/doorbell/1700000000999';
  const { response } = await invoke(withType(updateEvent(streamConfigurationId(STREAM_ARN), { ...props, StreamArn: newArn }, props)));
  expect(response.PhysicalResourceId).toBe(streamConfigurationId(newArn));
  expect(imageCalls().map(input => input.StreamARN)).toEqual([newArn]);
  expect(notificationCalls().map(input => input.StreamARN)).toEqual([newArn]);
});

test('delete drops what the resource set; a stream already deleted is success', async () => {
  const { response } = await invoke(withType(deleteEvent(streamConfigurationId(STREAM_ARN), props)));
  expect(response.Status).toBe('SUCCESS');
  expect(imageCalls()).toEqual([{ StreamARN: STREAM_ARN, ImageGenerationConfiguration: undefined }]);
  expect(notificationCalls()).toEqual([{ StreamARN: STREAM_ARN, NotificationConfiguration: undefined }]);

  kvs.reset();
  kvs.on(UpdateImageGenerationConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'The requested stream was not found', ...meta }));
  const gone = await invoke(withType(deleteEvent(streamConfigurationId(STREAM_ARN), props)));
  expect(gone.response.Status).toBe('SUCCESS');
});

test('the Delete of a create that failed before anything was configured calls nothing', async () => {
  const { response } = await invoke(withType(deleteEvent('no-stream-configuration:abc', props)));
  expect(response.Status).toBe('SUCCESS');
  expect(kvs.calls()).toHaveLength(0);
});

test('a stream not ACTIVE yet is waited for; a throttle is retried', async () => {
  kvs.on(UpdateImageGenerationConfigurationCommand)
    .rejectsOnce(new ResourceInUseException({ message: 'The stream is UPDATING', ...meta }))
    .rejectsOnce(new ClientLimitExceededException({ message: 'slow down', ...meta }))
    .resolves({});
  const { response } = await invoke(withType(createEvent(props)));
  expect(response.Status).toBe('SUCCESS');
  expect(imageCalls()).toHaveLength(3);
});

test('the service\'s refusal reaches CloudFormation as a Reason naming the call and the stream', async () => {
  kvs.on(UpdateNotificationConfigurationCommand).rejects(new InvalidArgumentException({ message: 'Invalid SNS topic', ...meta }));
  const { response } = await invoke(withType(createEvent(props)));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(/UpdateNotificationConfiguration failed: InvalidArgumentException: Invalid SNS topic \(arn:aws:kinesisvideo:.*stream\/doorbell/);
  // Created (the images are on): the Delete CloudFormation sends next drops them.
  expect(response.PhysicalResourceId).toBe(streamConfigurationId(STREAM_ARN));
});

test.each([
  [{ SamplingInterval: '100' }, /ImageGeneration\.SamplingInterval is 100: must be a whole number of milliseconds, at least 200/],
  [{ WidthPixels: '4000' }, /ImageGeneration\.WidthPixels is 4000/],
  [{ JPEGQuality: '0' }, /ImageGeneration\.JPEGQuality is 0/],
  [{ Format: 'GIF' }, /ImageGeneration\.Format is GIF: must be one of JPEG, PNG/],
  [{ DestinationUri: 's3://bucket/a*b' }, /ImageGeneration\.DestinationUri/],
])('properties the construct would refuse are refused again by the handler, before any call: %j', async (change, reason) => {
  const { response } = await invoke(withType(createEvent({ ...props, ImageGeneration: { ...images, ...change } })));
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(reason);
  expect(kvs.calls()).toHaveLength(0);
});
