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
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { SignalingChannel, Stream } from '../src';
import { OWNERSHIP_TAG_KEY, STACK_TAG_KEY } from '../src/handler-shared/handler-contract';

/** The CloudFormation stack both versions deploy to. */
const STACK_NAME = 'cdk-kvs-signaling-channel-integ';

/**
 * An explicit name, so the test covers both kinds. Unique per account and region: two runs of this test
 * in one region at once would collide, which integ-runner avoids by running one test per region.
 */
const EXPLICIT_CHANNEL_NAME = 'cdk-kvs-signaling-channel-integ-named';

interface ChannelSettings {
  readonly generatedTtl: Duration;
  readonly generatedTags: Record<string, string>;
  readonly namedTtl?: Duration;
  readonly namedTags: Record<string, string>;
}

/** What the stack declares first. */
const CREATED: ChannelSettings = {
  generatedTtl: Duration.seconds(30),
  generatedTags: { purpose: 'integ', stage: 'created', obsolete: 'removed-by-the-update' },
  // No TTL: the service's default, 60 seconds.
  namedTags: { purpose: 'integ' },
};

/** What the update changes it to: new TTLs, a changed, an added and a removed tag. */
const UPDATED: ChannelSettings = {
  generatedTtl: Duration.seconds(90),
  generatedTags: { purpose: 'integ', stage: 'updated' },
  namedTtl: Duration.seconds(5),
  namedTags: { purpose: 'integ', room: 'garage' },
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
  return { generated, named, recording, recordings };
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

app.synth();
