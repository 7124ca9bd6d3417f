/**
 * Images and notifications of a fleet's recording cameras: per camera and fleet-wide, and the fleet role's
 * scoped grants for their delivery.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CameraFleet } from '../../src';
import { STREAM_CONFIGURATION_RESOURCE_TYPE } from '../../src/handler-shared/stream-configuration-rules';

function newStack(): Stack {
  return new Stack(new App(), 'FleetStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

function fleetRoleStatements(stack: Stack): Array<Record<string, any>> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter(policy => JSON.stringify(policy.Properties.Roles).includes('FleetRole'))
    .flatMap(policy => policy.Properties.PolicyDocument.Statement);
}

test('the fleet\'s defaults reach every recording camera; a camera\'s own replace them; a live camera has none', () => {
  const stack = newStack();
  const thumbnails = new s3.Bucket(stack, 'Thumbnails');
  const frontDoorBucket = new s3.Bucket(stack, 'FrontDoorThumbnails');
  const events = new sns.Topic(stack, 'Events');
  const fleet = new CameraFleet(stack, 'Fleet', { cameraImages: { bucket: thumbnails, keyPrefix: 'fleet/' }, cameraNotificationTopic: events });
  fleet.addCamera('garage', { record: true });
  fleet.addCamera('front-door', { record: true, images: { bucket: frontDoorBucket } });
  fleet.addCamera('hallway');
  const template = Template.fromStack(stack);
  const configurations = Object.entries(template.findResources(STREAM_CONFIGURATION_RESOURCE_TYPE));
  expect(configurations.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort())
    .toEqual(['FleetfrontdoorStreamImagesAndNotifications', 'FleetgarageStreamImagesAndNotifications']);
  const uriOf = (prefix: string) =>
    JSON.stringify(configurations.find(([id]) => id.startsWith(prefix))![1].Properties.ImageGeneration.DestinationUri);
  expect(uriOf('Fleetgarage')).toMatch(/Thumbnails.*\/fleet\//);
  expect(uriOf('Fleetfrontdoor')).toMatch(/FrontDoorThumbnails/);
  for (const [, configuration] of configurations) {
    expect(configuration.Properties.NotificationTopicArn).toEqual({ Ref: expect.stringMatching(/^Events/) });
  }
});

test('the fleet\'s role may put objects under each prefix used and publish to the topic: nothing more', () => {
  const stack = newStack();
  const thumbnails = new s3.Bucket(stack, 'Thumbnails');
  const events = new sns.Topic(stack, 'Events');
  const fleet = new CameraFleet(stack, 'Fleet', { cameraImages: { bucket: thumbnails, keyPrefix: 'fleet/' }, cameraNotificationTopic: events });
  for (let i = 0; i < 3; i++) fleet.addCamera(`camera-${i}`, { record: true });
  const statements = fleetRoleStatements(stack);
  expect(statements).toEqual([
    { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Thumbnails/), 'Arn'] }, '/fleet/*']] } },
    { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Events/) } },
  ]);
});

test('a fleet without images or notifications grants no S3 or SNS', () => {
  const stack = newStack();
  const fleet = new CameraFleet(stack, 'Fleet');
  fleet.addCamera('garage', { record: true });
  expect(fleetRoleStatements(stack)).toEqual([]);
  Template.fromStack(stack).resourceCountIs(STREAM_CONFIGURATION_RESOURCE_TYPE, 0);
});

test('images or a topic on a camera that does not record are refused, naming the camera and the field', () => {
  const stack = newStack();
  const fleet = new CameraFleet(stack, 'Fleet');
  expect(() => fleet.addCamera('hallway', { images: { bucket: new s3.Bucket(stack, 'Thumbnails') } }))
    .toThrow(/FleetStack\/Fleet\/hallway: invalid camera properties:\n {2}images is given but record is not true/);
  expect(() => fleet.addCamera('porch', { notificationTopic: new sns.Topic(stack, 'Events') }))
    .toThrow(/porch: invalid camera properties:\n {2}notificationTopic is given but record is not true/);
});

test('a camera of an imported fleet cannot be given them: its role is in another stack', () => {
  const stack = newStack();
  const fleet = CameraFleet.fromCameraFleetAttributes(stack, 'Fleet', { roleAliasName: 'cameras', recordingAllowed: true });
  expect(() => fleet.addCamera('garage', { record: true, notificationTopic: new sns.Topic(stack, 'Events') }))
    .toThrow(/notificationTopic is given to a camera of an imported fleet, whose role is in another stack/);
});

test('a camera\'s out-of-range image value is refused under its stream\'s path; a fleet default of the wrong type under the fleet\'s', () => {
  const stack = newStack();
  const fleet = new CameraFleet(stack, 'Fleet');
  expect(() => fleet.addCamera('garage', { record: true, images: { bucket: new s3.Bucket(stack, 'Thumbnails'), widthPixels: 5000 } }))
    .toThrow(/FleetStack\/Fleet\/garage\/Stream: invalid Kinesis video stream properties:\n {2}images\.widthPixels is 5000/);
  expect(() => new CameraFleet(stack, 'Fleet2', { cameraNotificationTopic: 'events' as any }))
    .toThrow(/FleetStack\/Fleet2: invalid camera fleet properties:\n {2}cameraNotificationTopic/);
});
