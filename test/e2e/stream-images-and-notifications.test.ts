/**
 * End to end, a stream's images and notifications: the handler bundle that users deploy, run as Lambda would
 * run it (a process of its own), under the provider role's own policy (the double authorizes every call with
 * it), against the Kinesis Video double: enabled on create, each setting changed in place, dropped on delete,
 * a failed update rolled back, and a fleet of recording cameras with images deployed inside the quotas.
 */
import * as fs from 'fs';
import { DescribeImageGenerationConfigurationCommand, DescribeNotificationConfigurationCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CameraFleet, Stream, StreamImageFormat, StreamImages, StreamImageTimestamps } from '../../src';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';
import { STREAM_CONFIGURATION_RESOURCE_TYPE } from '../../src/handler-shared/stream-configuration-rules';
import { CloudFormationDouble } from '../support/cloudformation-double';
import { CustomResourceUnderTest } from '../support/custom-resource-under-test';
import { channelResource, expectAnswer, expectProtocolKept, startDoubles } from '../support/e2e-stage';
import { KinesisVideoDouble } from '../support/kinesis-video-double';
import { peakCallsPerSecond } from '../support/kinesis-video-quotas';
import { HANDLER_RUNTIMES, invokeLambda, LambdaInvocation, NodeRuntime } from '../support/lambda-process';
import { DEPLOYED_STREAM_CREATED_AT, runOnDoubles, synthesizeStack, SynthesizedStack } from '../support/synthesized-stack';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STACK_NAME = 'DoorbellStack';
const STREAM_ARN = `arn:aws:kinesisvideo:${ENV.region}:${ENV.account}:stream/doorbell/${DEPLOYED_STREAM_CREATED_AT}`;
const LAMBDA_TIMEOUT_MS = 20_000;
const FLEET_CAMERAS = 12;

/** App versions of the doorbell: its stream with images (one setting changed per version) and notifications. */
function doorbell(images: Partial<StreamImages> | undefined, topic: 'Events' | 'Alerts' | undefined) {
  return (stack: Stack) => {
    const bucket = new s3.Bucket(stack, 'Thumbnails');
    const topics = { Events: new sns.Topic(stack, 'Events'), Alerts: new sns.Topic(stack, 'Alerts') };
    new Stream(stack, 'Doorbell', {
      streamName: 'doorbell',
      images: images === undefined ? undefined : { bucket, keyPrefix: 'doorbell/', widthPixels: 320, ...images },
      notificationTopic: topic === undefined ? undefined : topics[topic],
    });
  };
}

const APP_VERSIONS = {
  base: doorbell({}, 'Events'),
  samplingInterval: doorbell({ samplingInterval: Duration.seconds(5) }, 'Events'),
  format: doorbell({ format: StreamImageFormat.PNG }, 'Events'),
  jpegQuality: doorbell({ jpegQuality: 50 }, 'Events'),
  size: doorbell({ widthPixels: 640, heightPixels: 480 }, 'Events'),
  timestamps: doorbell({ timestamps: StreamImageTimestamps.PRODUCER }, 'Events'),
  keyPrefix: doorbell({ keyPrefix: 'front-door/' }, 'Events'),
  topic: doorbell({}, 'Alerts'),
  noImages: doorbell(undefined, 'Events'),
};
type AppVersion = keyof typeof APP_VERSIONS;

function fleetApp(stack: Stack): void {
  const fleet = new CameraFleet(stack, 'Fleet', {
    cameraImages: { bucket: new s3.Bucket(stack, 'Thumbnails'), keyPrefix: 'cameras/' },
    cameraNotificationTopic: new sns.Topic(stack, 'Events'),
  });
  for (let i = 0; i < FLEET_CAMERAS; i++) fleet.addCamera(`camera-${String(i).padStart(2, '0')}`, { record: true });
}

let synthesized: Promise<{ versions: Record<AppVersion, SynthesizedStack>; fleet: SynthesizedStack }> | undefined;
function synthesizeApps() {
  synthesized ??= Promise.resolve().then(() => ({
    versions: Object.fromEntries(Object.entries(APP_VERSIONS)
      .map(([version, build]) => [version, synthesizeStack(STACK_NAME, { env: ENV }, build)])) as Record<AppVersion, SynthesizedStack>,
    fleet: synthesizeStack('FleetStack', { env: ENV }, fleetApp),
  }));
  return synthesized;
}

afterAll(async () => {
  const apps = await synthesized;
  for (const stack of [...Object.values(apps?.versions ?? {}), ...apps ? [apps.fleet] : []]) {
    fs.rmSync(stack.outdir, { recursive: true, force: true });
  }
});

const propertiesOf = (stack: SynthesizedStack) => Object.values(stack.customResources(STREAM_CONFIGURATION_RESOURCE_TYPE))[0];

function configurationResource(
  doubles: { kvs: KinesisVideoDouble; cfn: CloudFormationDouble },
  stack: SynthesizedStack,
  runtime: NodeRuntime,
  logicalResourceId: string,
  stackId?: string,
): CustomResourceUnderTest<LambdaInvocation> {
  const fn = stack.serviceFunction(STREAM_CONFIGURATION_RESOURCE_TYPE);
  return doubles.cfn.customResource<LambdaInvocation>({
    stackName: stack.stackName,
    stackId,
    region: ENV.region,
    accountId: ENV.account,
    logicalResourceId,
    resourceType: STREAM_CONFIGURATION_RESOURCE_TYPE,
    serviceToken: fn.arn,
    invoke: event => invokeLambda(runOnDoubles(fn, runtime, doubles, LAMBDA_TIMEOUT_MS), event),
  });
}

describe.each(HANDLER_RUNTIMES)('stream images and notifications on %s', (_label, loadRuntime) => {
  const doubles: Array<{ kvs: KinesisVideoDouble; cfn: CloudFormationDouble }> = [];
  const scenario = test.concurrent;
  afterAll(async () => {
    await Promise.all(doubles.flatMap(d => [d.kvs.stop(), d.cfn.stop()]));
  });

  async function newStage() {
    const [runtime, apps] = await Promise.all([loadRuntime(), synthesizeApps()]);
    const { kvs, cfn } = await startDoubles({ accountId: ENV.account, transitionMs: 100 });
    doubles.push({ kvs, cfn });
    kvs.putStream({ name: 'doorbell', createdAt: DEPLOYED_STREAM_CREATED_AT, dataRetentionInHours: 24 });
    const logicalId = Object.keys(apps.versions.base.customResources(STREAM_CONFIGURATION_RESOURCE_TYPE))[0];
    const resource = configurationResource({ kvs, cfn }, apps.versions.base, runtime, logicalId);
    // Every call is authorized with the provider role's policy, as IAM would hold it for this stack.
    kvs.setIdentityPolicy(apps.versions.base.functionRolePolicy(STREAM_CONFIGURATION_RESOURCE_TYPE, resource.stackId));
    const versions = Object.fromEntries(Object.entries(apps.versions).map(([name, stack]) => [name, propertiesOf(stack)])) as
      Record<AppVersion, Record<string, unknown>>;
    return { kvs, cfn, resource, resources: [resource], versions, apps, runtime };
  }

  /** What the service holds, read back through the real SDK. */
  async function described(kvs: KinesisVideoDouble) {
    const client = new KinesisVideoClient({ region: ENV.region, endpoint: kvs.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    kvs.setIdentityPolicy(undefined);
    const images = (await client.send(new DescribeImageGenerationConfigurationCommand({ StreamARN: STREAM_ARN }))).ImageGenerationConfiguration;
    const notifications = (await client.send(new DescribeNotificationConfigurationCommand({ StreamARN: STREAM_ARN }))).NotificationConfiguration;
    client.destroy();
    return { images, notifications };
  }

  scenario('create enables both; each setting is then updated in place, calling only its own API; delete drops both', async () => {
    const s = await newStage();
    const id = expectAnswer(s, (await s.resource.create(s.versions.base)).first, 'SUCCESS').PhysicalResourceId;
    const policy = s.apps.versions.base.functionRolePolicy(STREAM_CONFIGURATION_RESOURCE_TYPE, s.resource.stackId);
    const created = await described(s.kvs);
    expect(created.images).toEqual({
      Status: 'ENABLED',
      ImageSelectorType: 'SERVER_TIMESTAMP',
      DestinationConfig: { Uri: expect.stringMatching(/^s3:\/\/doorbellstack-thumbnails[0-9a-f]+\/doorbell\/$/), DestinationRegion: 'us-east-1' },
      SamplingInterval: 1000,
      Format: 'JPEG',
      WidthPixels: 320,
    });
    expect(created.notifications).toEqual({
      Status: 'ENABLED', DestinationConfig: { Uri: expect.stringMatching(/^arn:aws:sns:us-east-1:123456789012:DoorbellStack-Events/) },
    });

    // The Update calls the double accepted. Back-to-back updates of one stream can reach the per-stream quota
    // (5 a second); a throttled call is retried by the handler and counts once, when it is accepted.
    const accepted = () => {
      const count = (operation: 'UpdateImageGenerationConfiguration' | 'UpdateNotificationConfiguration') =>
        s.kvs.callsTo(operation).filter(call => call.throttledBy === undefined).length;
      return { images: count('UpdateImageGenerationConfiguration'), notifications: count('UpdateNotificationConfiguration') };
    };
    const imageSettings: AppVersion[] = ['samplingInterval', 'format', 'jpegQuality', 'size', 'timestamps', 'keyPrefix'];
    for (const version of [...imageSettings, 'topic' as const]) {
      s.kvs.setIdentityPolicy(policy);
      const before = accepted();
      const update = await s.resource.update(s.versions[version]);
      expect(expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId).toBe(id);
      const after = accepted();
      // Each version differs from the previous in its own setting and goes back on the next: one call each way.
      expect({ version, images: after.images - before.images, notifications: after.notifications - before.notifications })
        .toEqual({ version, images: version === 'topic' ? 0 : 1, notifications: version === 'topic' ? 1 : 0 });
      const { images, notifications } = await described(s.kvs);
      const expected: Record<string, (i: any, n: any) => unknown> = {
        samplingInterval: i => i.SamplingInterval === 5000,
        format: i => i.Format === 'PNG',
        jpegQuality: i => i.FormatConfig?.JPEGQuality === '50',
        size: i => i.WidthPixels === 640 && i.HeightPixels === 480,
        timestamps: i => i.ImageSelectorType === 'PRODUCER_TIMESTAMP',
        keyPrefix: i => /\/front-door\/$/.test(i.DestinationConfig.Uri),
        topic: (_i, n) => /DoorbellStack-Alerts/.test(n.DestinationConfig.Uri),
      };
      expect({ version, applied: expected[version](images, notifications) }).toEqual({ version, applied: true });
      s.kvs.setIdentityPolicy(policy);
      expectAnswer(s, (await s.resource.update(s.versions.base)).first, 'SUCCESS');
    }

    s.kvs.setIdentityPolicy(policy);
    expectAnswer(s, (await s.resource.update(s.versions.noImages)).first, 'SUCCESS');
    expect((await described(s.kvs)).images).toBeUndefined();

    s.kvs.setIdentityPolicy(policy);
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(await described(s.kvs)).toEqual({ images: undefined, notifications: undefined });
    expect(s.kvs.deniedCalls).toEqual([]);
    expectProtocolKept(s);
  });

  scenario('a refused update fails with the service\'s reason, and the rollback puts the previous configuration back', async () => {
    const s = await newStage();
    expectAnswer(s, (await s.resource.create(s.versions.base)).first, 'SUCCESS');
    s.kvs.injectFault('UpdateImageGenerationConfiguration', 'invalidArgument', 1, { message: 'The S3 bucket is not accessible' });
    const update = await s.resource.update(s.versions.format);
    expect(expectAnswer(s, update.first, 'FAILED').Reason)
      .toMatch(/UpdateImageGenerationConfiguration failed: InvalidArgumentException: The S3 bucket is not accessible \(arn:aws:kinesisvideo:.*stream\/doorbell\//);
    expectAnswer(s, update.exchanges[1], 'SUCCESS');
    expect((await described(s.kvs)).images?.Format).toBe('JPEG');
    expectProtocolKept(s);
  });

  scenario('a stream not ACTIVE yet is waited for; an unknown stream fails the create, and its rollback Delete succeeds', async () => {
    const s = await newStage();
    s.kvs.putStream({ name: 'doorbell', createdAt: DEPLOYED_STREAM_CREATED_AT, dataRetentionInHours: 24, status: 'UPDATING' });
    // The first call finds it UPDATING; it is ACTIVE again 300 ms later.
    s.kvs.beforeNext('UpdateImageGenerationConfiguration', () => setTimeout(() =>
      s.kvs.putStream({ name: 'doorbell', createdAt: DEPLOYED_STREAM_CREATED_AT, dataRetentionInHours: 24 }), 300));
    expectAnswer(s, (await s.resource.create(s.versions.base)).first, 'SUCCESS');
    expect(s.kvs.callsTo('UpdateImageGenerationConfiguration').some(call => call.errorType === 'ResourceInUseException')).toBe(true);

    const other = await newStage();
    other.kvs.setIdentityPolicy(undefined);
    const failed = await other.resource.create({ ...other.versions.base, StreamArn: STREAM_ARN.replace('doorbell/', 'gone/') });
    expect(expectAnswer(other, failed.first, 'FAILED').Reason).toMatch(/ResourceNotFoundException: The requested stream .*stream\/gone\//);
    expectAnswer(other, failed.exchanges[1], 'SUCCESS');
    expectProtocolKept(s);
    expectProtocolKept(other);
  });

  scenario('the role may configure only this stack\'s streams: another stack\'s stream is refused by IAM and left untouched', async () => {
    const s = await newStage();
    const elsewhere = s.kvs.putStream({ name: 'another-stacks-stream', dataRetentionInHours: 24 });
    const failed = await s.resource.create({ ...s.versions.base, StreamArn: elsewhere.arn });
    expect(expectAnswer(s, failed.first, 'FAILED').Reason).toMatch(/access denied\. The handler's role needs kinesisvideo:Update\w+Configuration on .*another-stacks-stream/);
    expect(s.kvs.streams().find(stream => stream.name === 'another-stacks-stream')).toMatchObject({ imageGeneration: undefined, notification: undefined });
    expectProtocolKept(s);
  });

  scenario(`a fleet of ${FLEET_CAMERAS} recording cameras with images deploys with 0 failures inside the quotas`, async () => {
    const { kvs, cfn } = await startDoubles({ accountId: ENV.account, transitionMs: 100 });
    doubles.push({ kvs, cfn });
    const [runtime, { fleet }] = await Promise.all([loadRuntime(), synthesizeApps()]);
    for (const stream of fleet.deployedStreams()) kvs.putStream(stream);
    expect(kvs.streams()).toHaveLength(FLEET_CAMERAS);
    const stackId = `arn:aws:cloudformation:${ENV.region}:${ENV.account}:stack/FleetStack/0f1e2d3c-0000-11ef-a1b2-0a1b2c3d4e5f`;
    const channels = Object.entries(fleet.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE)).map(([logicalId, properties]) => ({
      resource: channelResource({ kvs, cfn }, {
        fn: fleet.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE),
        runtime,
        stackName: 'FleetStack',
        stackId,
        region: ENV.region,
        accountId: ENV.account,
        logicalResourceId: logicalId,
        lambdaTimeoutMs: () => LAMBDA_TIMEOUT_MS,
      }),
      properties,
    }));
    const configurations = Object.entries(fleet.customResources(STREAM_CONFIGURATION_RESOURCE_TYPE)).map(([logicalId, properties]) => ({
      resource: configurationResource({ kvs, cfn }, fleet, runtime, logicalId, stackId),
      properties,
    }));
    expect(configurations).toHaveLength(FLEET_CAMERAS);
    kvs.setIdentityPolicy(fleet.functionRolePolicy(STREAM_CONFIGURATION_RESOURCE_TYPE, stackId));
    // CloudFormation starts them all at once.
    const results = await Promise.all([...channels, ...configurations].map(({ resource, properties }) => resource.create(properties)));
    const s = { kvs, cfn, resources: [...channels, ...configurations].map(({ resource }) => resource) };
    expect(results.filter(result => result.first.response?.Status !== 'SUCCESS')).toHaveLength(0);
    expect(kvs.streams().filter(stream => stream.imageGeneration?.Status === 'ENABLED' && stream.notification?.Status === 'ENABLED'))
      .toHaveLength(FLEET_CAMERAS);
    expect(kvs.calls.filter(call => call.throttledBy !== undefined || call.deniedBy !== undefined)).toEqual([]);
    for (const operation of ['UpdateImageGenerationConfiguration', 'UpdateNotificationConfiguration'] as const) {
      expect(peakCallsPerSecond(kvs.callsTo(operation))).toBeLessThanOrEqual(50);
    }
    expectProtocolKept(s);
  });
});
