/**
 * Integration test: deploys signaling channels, updates them in place, and checks them through the Kinesis
 * Video API. Run by `integ-runner` (see docs/integ-notes.md): without AWS credentials it only compares the
 * synthesized app with the committed snapshot in `integ.signaling-channel.ts.snapshot/`.
 *
 * The update is part of the test: two stacks of this app share one CloudFormation stack name. The second
 * depends on the first, so the CLI deploys the first (create) and then the second over it (update), which
 * changes TTLs and tags. The assertions then read the channels as the update left them.
 *
 * A third channel records into a stream that keeps a day of media (WebRTC ingestion): enabled when it is
 * created, left as it is by the update.
 *
 * A stream with images (to a bucket) and notifications (to a topic): enabled when it is created; the update
 * changes the images' format, sampling interval and width in place.
 *
 * A camera fleet of two cameras (one recording) and a Chime SDK messaging channel (with its app instance and
 * bearer) are declared the same way by both versions: the update leaves them as they are. Chime SDK messaging
 * is offered in us-east-1 and eu-central-1 only: run the test there (docs/integ-notes.md).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CameraFleet, SignalingChannel, Stream, StreamImageFormat, StreamImages, chime } from '../src';
import { OWNERSHIP_TAG_KEY, STACK_TAG_KEY } from '../src/handler-shared/handler-contract';

/** The CloudFormation stack both versions deploy to. */
const STACK_NAME = 'cdk-kvs-signaling-channel-integ';

/**
 * An explicit name, so the test covers both kinds. Unique per account and region: two runs of this test
 * in one region at once would collide, which integ-runner avoids by running one test per region.
 */
const EXPLICIT_CHANNEL_NAME = 'cdk-kvs-signaling-channel-integ-named';
const CAMERA_NAME_PREFIX = 'cdk-kvs-integ';

interface ChannelSettings {
  readonly generatedTtl: Duration;
  readonly generatedTags: Record<string, string>;
  readonly namedTtl?: Duration;
  readonly namedTags: Record<string, string>;
  readonly images: Omit<StreamImages, 'bucket'>;
}

/** What the stack declares first. */
const CREATED: ChannelSettings = {
  generatedTtl: Duration.seconds(30),
  generatedTags: { purpose: 'integ', stage: 'created', obsolete: 'removed-by-the-update' },
  // No TTL: the service's default, 60 seconds.
  namedTags: { purpose: 'integ' },
  images: { format: StreamImageFormat.JPEG, samplingInterval: Duration.seconds(1) },
};

/** What the update changes it to: new TTLs, a changed, an added and a removed tag. */
const UPDATED: ChannelSettings = {
  generatedTtl: Duration.seconds(90),
  generatedTags: { purpose: 'integ', stage: 'updated' },
  namedTtl: Duration.seconds(5),
  namedTags: { purpose: 'integ', room: 'garage' },
  images: { format: StreamImageFormat.PNG, samplingInterval: Duration.seconds(2), widthPixels: 320 },
};

function declareChannels(stack: Stack, settings: ChannelSettings) {
  const generated = new SignalingChannel(stack, 'Generated', {
    messageTtl: settings.generatedTtl,
    tags: settings.generatedTags,
  });
  const named = new SignalingChannel(stack, 'Named', {
    signalingChannelName: EXPLICIT_CHANNEL_NAME,
    messageTtl: settings.namedTtl,
    tags: settings.namedTags,
  });
  // Deleted with the test's stacks: a stream is retained by default, which would leave one per run.
  const recordings = new Stream(stack, 'Recordings', { dataRetention: Duration.hours(24), removalPolicy: RemovalPolicy.DESTROY });
  const recording = new SignalingChannel(stack, 'Recording', { mediaStorage: { stream: recordings } });
  // No producer tags fragments here, so the bucket stays empty and is deleted with the stack.
  const thumbnails = new s3.Bucket(stack, 'Thumbnails', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
  const events = new sns.Topic(stack, 'Events', { enforceSSL: true });
  const thumbnailed = new Stream(stack, 'Thumbnailed', {
    dataRetention: Duration.hours(24),
    removalPolicy: RemovalPolicy.DESTROY,
    images: { bucket: thumbnails, keyPrefix: 'integ/', ...settings.images },
    notificationTopic: events,
  });

  // Camera names are explicit (a thing and its channel share them): unique per account and region, like the above.
  const fleet = new CameraFleet(stack, 'Cameras', { credentialDuration: Duration.hours(1) });
  const frontDoor = fleet.addCamera(`${CAMERA_NAME_PREFIX}-front-door`);
  fleet.addCamera(`${CAMERA_NAME_PREFIX}-garage`, { record: true, streamRemovalPolicy: RemovalPolicy.DESTROY });

  // Chime keeps its resources by default (deleting them deletes users' messages): the test's go with the stack.
  const appInstance = new chime.AppInstance(stack, 'ChatApp', { removalPolicy: RemovalPolicy.DESTROY });
  const bearer = new chime.AppInstanceUser(stack, 'ChatBackend', {
    appInstance, appInstanceUserId: 'integ-backend', removalPolicy: RemovalPolicy.DESTROY,
  });
  const chat = new chime.Channel(stack, 'Chat', {
    appInstance, bearer, channelName: 'integ', removalPolicy: RemovalPolicy.DESTROY,
  });
  return { generated, named, recording, recordings, thumbnailed, events, frontDoor, chat, bearer };
}

const app = new App();
const created = new Stack(app, 'SignalingChannelCreate', { stackName: STACK_NAME });
declareChannels(created, CREATED);
const updated = new Stack(app, 'SignalingChannelUpdate', { stackName: STACK_NAME });
const channels = declareChannels(updated, UPDATED);
updated.addDependency(created, 'the update deploys over the created stack');

const integ = new IntegTest(app, 'SignalingChannelIntegTest', {
  testCases: [created, updated],
  // The app performs its own update (created, then updated). integ-runner's update workflow would deploy
  // the committed snapshot first and then the app again, redeploying `created` over `updated` while the
  // assertion stack still imports from it.
  stackUpdateWorkflow: false,
});

/** The channel is ACTIVE, of the only type, with the TTL and the tags of the update. */
function assertChannel(channel: SignalingChannel, ttl: Duration, tags: Record<string, string>, name?: string) {
  integ.assertions
    .awsApiCall('KinesisVideo', 'DescribeSignalingChannel', { ChannelARN: channel.signalingChannelArn })
    .expect(ExpectedResult.objectLike({
      ChannelInfo: {
        ChannelARN: channel.signalingChannelArn,
        ...(name ? { ChannelName: name } : {}),
        ChannelStatus: 'ACTIVE',
        ChannelType: 'SINGLE_MASTER',
        SingleMasterConfiguration: { MessageTtlSeconds: ttl.toSeconds() },
      },
    }));
  // Exactly these tags: the removed one is gone. The handler's ownership tag holds a CloudFormation RequestId.
  integ.assertions
    .awsApiCall('KinesisVideo', 'ListTagsForResource', { ResourceARN: channel.signalingChannelArn })
    .expect(ExpectedResult.exact({
      // The library's two: the request that created the channel, and the id (ARN) of the stack it belongs to.
      Tags: { ...tags, [OWNERSHIP_TAG_KEY]: Match.stringLikeRegexp('.+'), [STACK_TAG_KEY]: Match.stringLikeRegexp(`^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:[0-9]{12}:stack/${STACK_NAME}/.+$`) },
    }));
}

assertChannel(channels.generated, UPDATED.generatedTtl, UPDATED.generatedTags);
assertChannel(channels.named, UPDATED.namedTtl!, UPDATED.namedTags, EXPLICIT_CHANNEL_NAME);

// The recording channel records into its stream.
integ.assertions
  .awsApiCall('KinesisVideo', 'DescribeMediaStorageConfiguration', { ChannelARN: channels.recording.signalingChannelArn })
  .expect(ExpectedResult.objectLike({
    MediaStorageConfiguration: { Status: 'ENABLED', StreamARN: channels.recordings.streamArn },
  }));

// The stream's images, as the update changed them in place, and its notifications.
integ.assertions
  .awsApiCall('KinesisVideo', 'DescribeImageGenerationConfiguration', { StreamARN: channels.thumbnailed.streamArn })
  .expect(ExpectedResult.objectLike({
    ImageGenerationConfiguration: { Status: 'ENABLED', Format: 'PNG', SamplingInterval: 2000, WidthPixels: 320, ImageSelectorType: 'SERVER_TIMESTAMP' },
  }));
integ.assertions
  .awsApiCall('KinesisVideo', 'DescribeNotificationConfiguration', { StreamARN: channels.thumbnailed.streamArn })
  .expect(ExpectedResult.objectLike({
    NotificationConfiguration: { Status: 'ENABLED', DestinationConfig: { Uri: channels.events.topicArn } },
  }));

// The camera's thing and its channel bear the same name.
integ.assertions
  .awsApiCall('Iot', 'DescribeThing', { thingName: channels.frontDoor.cameraName })
  .expect(ExpectedResult.objectLike({ thingName: channels.frontDoor.cameraName }));
integ.assertions
  .awsApiCall('KinesisVideo', 'DescribeSignalingChannel', { ChannelName: channels.frontDoor.cameraName })
  .expect(ExpectedResult.objectLike({ ChannelInfo: { ChannelName: channels.frontDoor.cameraName, ChannelStatus: 'ACTIVE' } }));

// The Chime channel, read as its bearer.
integ.assertions
  .awsApiCall('ChimeSDKMessaging', 'DescribeChannel', { ChannelArn: channels.chat.channelArn, ChimeBearer: channels.bearer.appInstanceUserArn })
  .expect(ExpectedResult.objectLike({ Channel: { Name: 'integ' } }));

app.synth();
