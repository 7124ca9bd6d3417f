/**
 * End to end, WebRTC ingestion: the handler bundle that users deploy, run as Lambda would run it (a separate
 * Node.js process, on the Lambda runtime's Node.js major and on the test runner's), links a channel to its
 * stream, switches and unlinks it, and refuses what the service refuses with a Reason, leaving no channel
 * behind, against the local Kinesis Video control plane (which knows streams and their retention).
 */
import * as fs from 'fs';
import { DescribeMediaStorageConfigurationCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { Stack } from 'aws-cdk-lib';
import { SignalingChannel, Stream } from '../../src';
import { ChannelProperty, SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';
import { CloudFormationDouble } from '../support/cloudformation-double';
import { CustomResourceUnderTest } from '../support/custom-resource-under-test';
import { channelResource, channelsOnceDeleted as settledChannels, expectAnswer, expectProtocolKept, startDoubles } from '../support/e2e-stage';
import { KinesisVideoDouble } from '../support/kinesis-video-double';
import { HANDLER_RUNTIMES, LambdaInvocation } from '../support/lambda-process';
import { synthesizeStack, SynthesizedStack } from '../support/synthesized-stack';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STACK_NAME = 'DoorbellStack';
const TRANSITION_MS = 150;
const LAMBDA_TIMEOUT_MS = 10_000;

/** The streams of the scenarios, by name, with the creation time that ends their ARN and their retention. */
const STREAMS = {
  'doorbell-recordings': { createdAt: 1_700_000_000_001, dataRetentionInHours: 24 },
  'doorbell-recordings-v2': { createdAt: 1_700_000_000_002, dataRetentionInHours: 168 },
  'live-only': { createdAt: 1_700_000_000_003, dataRetentionInHours: 0 },
  'porch-recordings': { createdAt: 1_700_000_000_004, dataRetentionInHours: 24 },
} as const;
type StreamName = keyof typeof STREAMS;

function streamArn(name: StreamName): string {
  return `arn:aws:kinesisvideo:${ENV.region}:${ENV.account}:stream/${name}/${STREAMS[name].createdAt}`;
}

/** App versions: the channel 'Doorbell' records into a stream, another, or none. */
function recordingInto(name: StreamName | undefined) {
  return (stack: Stack) => {
    const stream = name === undefined ? undefined : Stream.fromStreamArn(stack, 'Recordings', streamArn(name));
    new SignalingChannel(stack, 'Doorbell', { mediaStorage: stream ? { stream } : undefined });
  };
}

const APP_VERSIONS = {
  recording: recordingInto('doorbell-recordings'),
  switched: recordingInto('doorbell-recordings-v2'),
  notRecording: recordingInto(undefined),
  noRetention: recordingInto('live-only'),
  takenStream: recordingInto('porch-recordings'),
};
type AppVersion = keyof typeof APP_VERSIONS;

let synthesized: Promise<Record<AppVersion, { stack: SynthesizedStack; properties: Record<string, unknown> }>> | undefined;

function synthesizeAppVersions() {
  synthesized ??= Promise.resolve().then(() => Object.fromEntries(Object.entries(APP_VERSIONS).map(([version, build]) => {
    const stack = synthesizeStack(STACK_NAME, { env: ENV }, build);
    const [properties] = Object.values(stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE));
    return [version, { stack, properties }];
  })) as Record<AppVersion, { stack: SynthesizedStack; properties: Record<string, unknown> }>);
  return synthesized;
}

afterAll(async () => {
  for (const { stack } of Object.values(await synthesized ?? {})) {
    fs.rmSync(stack.outdir, { recursive: true, force: true });
  }
});

interface Stage {
  readonly kvs: KinesisVideoDouble;
  readonly cfn: CloudFormationDouble;
  readonly resource: CustomResourceUnderTest<LambdaInvocation>;
  readonly resources: ReadonlyArray<CustomResourceUnderTest<LambdaInvocation>>;
  readonly versions: Record<AppVersion, Record<string, unknown>>;
}


describe.each(HANDLER_RUNTIMES)('media storage on %s', (_label, loadRuntime) => {
  const stages: Stage[] = [];
  const scenario = test.concurrent;

  afterAll(async () => {
    await Promise.all(stages.flatMap(stage => [stage.kvs.stop(), stage.cfn.stop()]));
  });

  async function newStage(): Promise<Stage> {
    const [runtime, versions] = await Promise.all([loadRuntime(), synthesizeAppVersions()]);
    const { kvs, cfn } = await startDoubles({ accountId: ENV.account, transitionMs: TRANSITION_MS });
    for (const [name, stream] of Object.entries(STREAMS)) {
      kvs.putStream({ name, ...stream });
    }
    const resource = channelResource({ kvs, cfn }, {
      fn: versions.recording.stack.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE),
      runtime,
      stackName: STACK_NAME,
      region: ENV.region,
      accountId: ENV.account,
      logicalResourceId: Object.keys(versions.recording.stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE))[0],
      lambdaTimeoutMs: () => LAMBDA_TIMEOUT_MS,
    });
    const stage: Stage = {
      kvs,
      cfn,
      versions: Object.fromEntries(Object.entries(versions).map(([name, v]) => [name, v.properties])) as Record<AppVersion, Record<string, unknown>>,
      resource,
      resources: [resource],
    };
    stages.push(stage);
    return stage;
  }

  /** What a data-plane client reads back: DescribeMediaStorageConfiguration through the real SDK. */
  async function describeStorage(s: Stage, channelArn: string) {
    const client = new KinesisVideoClient({
      region: ENV.region, endpoint: s.kvs.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const output = await client.send(new DescribeMediaStorageConfigurationCommand({ ChannelARN: channelArn }));
    client.destroy();
    return output.MediaStorageConfiguration;
  }

  scenario('the template writes the stream\'s ARN, which the bundle reads', async () => {
    const s = await newStage();
    expect(s.versions.recording[ChannelProperty.MEDIA_STORAGE_STREAM_ARN]).toBe(streamArn('doorbell-recordings'));
    expect(s.versions.notRecording).not.toHaveProperty(ChannelProperty.MEDIA_STORAGE_STREAM_ARN);
  });

  scenario('enables on create, switches to another stream, disables, and deletes the channel', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.recording)).first, 'SUCCESS').PhysicalResourceId;
    expect(await describeStorage(s, arn)).toEqual({ Status: 'ENABLED', StreamARN: streamArn('doorbell-recordings') });
    expect(mappedChannel(s, 'doorbell-recordings')).toBe(arn);

    // Another stream, or the same stream replaced in the deployment: a new ARN, an Update, the same channel.
    const switched = await s.resource.update(s.versions.switched);
    expect(expectAnswer(s, switched.first, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(await describeStorage(s, arn)).toEqual({ Status: 'ENABLED', StreamARN: streamArn('doorbell-recordings-v2') });
    expect(mappedChannel(s, 'doorbell-recordings')).toBeUndefined();
    expect(mappedChannel(s, 'doorbell-recordings-v2')).toBe(arn);

    const disabled = await s.resource.update(s.versions.notRecording);
    expect(expectAnswer(s, disabled.first, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(await describeStorage(s, arn)).toEqual({ Status: 'DISABLED' });
    expect(s.kvs.streams().every(stream => stream.mappedChannelArn === undefined)).toBe(true);
    expect(s.kvs.callsTo('CreateSignalingChannel')).toHaveLength(1);

    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(await channelsOnceDeleted(s)).toEqual([]);
    expectProtocolKept(s);
  });

  scenario('a recording channel is unlinked, then deleted (the service refuses to delete a linked one), and its stream is free again', async () => {
    const s = await newStage();
    expectAnswer(s, (await s.resource.create(s.versions.recording)).first, 'SUCCESS');
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(await channelsOnceDeleted(s)).toEqual([]);
    expect(mappedChannel(s, 'doorbell-recordings')).toBeUndefined();
    expect(s.kvs.callsTo('UpdateMediaStorageConfiguration').map(call => (call.input.MediaStorageConfiguration as { Status: string }).Status))
      .toEqual(['ENABLED', 'DISABLED']);
    // Unlinked first: no Delete was refused.
    expect(s.kvs.callsTo('DeleteSignalingChannel').map(call => call.httpStatus)).toEqual([200]);
    expectProtocolKept(s);
  });

  scenario('a stream that keeps no data: FAILED with a clear Reason, and the rollback leaves no channel', async () => {
    const s = await newStage();
    const create = await s.resource.create(s.versions.noRetention);
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(failed.Reason).toContain(`cannot record into Kinesis video stream ${streamArn('live-only')}: the stream keeps no data (NoDataRetentionException)`);
    // The FAILED answer carries the channel's real ARN, so the rollback's Delete removes it.
    expect(failed.PhysicalResourceId).toMatch(/^arn:aws:kinesisvideo:us-east-1:123456789012:channel\//);
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    expect(await channelsOnceDeleted(s)).toEqual([]);
    expectProtocolKept(s);
  });

  scenario('a stream that records another channel: the Reason names that channel, which is left untouched', async () => {
    const s = await newStage();
    const porch = s.kvs.putChannel({ name: 'porch-camera', mediaStorageStreamArn: streamArn('porch-recordings') });
    const create = await s.resource.create(s.versions.takenStream);
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(failed.Reason).toContain(`Kinesis video stream ${streamArn('porch-recordings')} already records signaling channel ${porch.arn}, which is not a channel of this stack`);
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    expect(await channelsOnceDeleted(s)).toEqual([porch]);
    expect(mappedChannel(s, 'porch-recordings')).toBe(porch.arn);
    expectProtocolKept(s);
  });

  scenario('enabling storage on update to a stream that keeps no data fails, and the rollback keeps the channel as it was', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.recording)).first, 'SUCCESS').PhysicalResourceId;
    const update = await s.resource.update(s.versions.noRetention);
    expect(expectAnswer(s, update.first, 'FAILED').Reason).toContain('NoDataRetentionException');
    // The rollback Update (old and new swapped) puts the old stream back: it changed, so it is called again.
    expectAnswer(s, update.exchanges[1], 'SUCCESS');
    expect(await describeStorage(s, arn)).toEqual({ Status: 'ENABLED', StreamARN: streamArn('doorbell-recordings') });
    await s.resource.delete();
    expect(await channelsOnceDeleted(s)).toEqual([]);
    expectProtocolKept(s);
  });
});

function mappedChannel(s: Stage, name: StreamName): string | undefined {
  return s.kvs.streams().find(stream => stream.name === name)?.mappedChannelArn;
}

/** The channels once the deletions just started have ended. */
function channelsOnceDeleted(s: Stage) {
  return settledChannels(s, TRANSITION_MS);
}
