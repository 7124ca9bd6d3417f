/**
 * End to end: the handler bundle that users deploy, run as Lambda would run it (a separate Node.js
 * process, on the Lambda runtime's Node.js major and on the test runner's), driven by CloudFormation's
 * request sequences against a local Kinesis Video control plane that keeps the service's semantics.
 *
 * Each scenario deploys properties taken from a really synthesized stack, then checks what CloudFormation
 * and the service are left with: every answer valid under the custom-resource protocol, and exactly the
 * channels the stack should have, with the TTL and tags its template says (no orphan, no lost change).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Duration, Stack, Tags } from 'aws-cdk-lib';
import { MAX_RESPONSE_BYTES } from '../../lambda/custom-resource/cfn-response';
import { ACCESS_DENIED_RETRIES } from '../../lambda/custom-resource/kinesis-video-calls';
import { FIRST_LOOK_MS } from '../../lambda/custom-resource/pacing';
import { SignalingChannel } from '../../src';
import { NO_CHANNEL_ID_PREFIX, OWNERSHIP_TAG_KEY, SIGNALING_CHANNEL_RESOURCE_TYPE, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';
import { CloudFormationDouble } from '../support/cloudformation-double';
import { CustomResourceUnderTest } from '../support/custom-resource-under-test';
import { channelResource, expectAnswer, expectProtocolKept, startDoubles } from '../support/e2e-stage';
import { KinesisVideoDouble, KinesisVideoDoubleOptions } from '../support/kinesis-video-double';
import { ChannelSnapshot } from '../support/kinesis-video-state';
import { HANDLER_RUNTIMES, LAMBDA_NODE_VERSION, LambdaInvocation } from '../support/lambda-process';
import { synthesizeStack, SynthesizedStack } from '../support/synthesized-stack';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STACK_NAME = 'DoorbellStack';
/** Short service transitions: long enough to be seen and waited for, short enough for a quick suite. */
const TRANSITION_MS = 150;
/** The function's timeout in most scenarios; the handler keeps a quarter of it to answer. */
const LAMBDA_TIMEOUT_MS = 10_000;
const CHANNEL_ARN = /^arn:aws:kinesisvideo:us-east-1:123456789012:channel\/([a-zA-Z0-9_.-]+)\/\d+$/;
const GENERATED_NAME = /^DoorbellStack\.Doorbell[0-9A-F]{8}\.[0-9a-f]{12}$/;

type Properties = Record<string, unknown>;

/**
 * The versions of the app a user deploys one after the other. Each is synthesized for real; the channel's
 * construct id stays 'Doorbell', so CloudFormation sees one resource whose properties change.
 */
const APP_VERSIONS = {
  /** Generated name, TTL 30 s, a tag of its own and one from Tags.of(stack). */
  initial: (stack: Stack) => {
    new SignalingChannel(stack, 'Doorbell', { messageTtl: Duration.seconds(30), tags: { room: 'hall' } });
    Tags.of(stack).add('project', 'doorbell');
  },
  longerTtl: (stack: Stack) => {
    new SignalingChannel(stack, 'Doorbell', { messageTtl: Duration.seconds(90), tags: { room: 'hall' } });
    Tags.of(stack).add('project', 'doorbell');
  },
  /** 'room' changes value, 'team' is added, the stack-wide 'project' tag is gone. */
  retagged: (stack: Stack) => {
    new SignalingChannel(stack, 'Doorbell', { messageTtl: Duration.seconds(30), tags: { room: 'porch', team: 'video' } });
  },
  named: (stack: Stack) => {
    new SignalingChannel(stack, 'Doorbell', { signalingChannelName: 'front-door-camera', messageTtl: Duration.seconds(30), tags: { room: 'hall' } });
  },
  /** A new name replaces the channel. */
  renamed: (stack: Stack) => {
    new SignalingChannel(stack, 'Doorbell', { signalingChannelName: 'front-door-camera-v2', messageTtl: Duration.seconds(45), tags: { room: 'hall' } });
  },
  /** The name comes from a stack parameter: the construct cannot check it at synth time, the handler must. */
  parameterizedName: (stack: Stack) => {
    const name = new CfnParameter(stack, 'ChannelName', { type: 'String' });
    new SignalingChannel(stack, 'Doorbell', { signalingChannelName: name.valueAsString });
  },
} satisfies Record<string, (stack: Stack) => void>;

type AppVersion = keyof typeof APP_VERSIONS;

interface Deployable {
  readonly stack: SynthesizedStack;
  readonly properties: Properties;
}

/** Synthesized once per test file, on first use (concurrent tests share the promise). */
let synthesized: Promise<Record<AppVersion, Deployable>> | undefined;

function synthesizeAppVersions(): Promise<Record<AppVersion, Deployable>> {
  synthesized ??= Promise.resolve().then(() => {
    const versions = {} as Record<AppVersion, Deployable>;
    for (const [version, build] of Object.entries(APP_VERSIONS) as Array<[AppVersion, (stack: Stack) => void]>) {
      const stack = synthesizeStack(STACK_NAME, { env: ENV }, build, { ChannelName: 'front door camera!' });
      const resources = Object.entries(stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE));
      if (resources.length !== 1 || !resources[0][0].startsWith('Doorbell')) {
        throw new Error(`app version ${version} should declare one channel 'Doorbell', got ${resources.map(([id]) => id).join(', ')}`);
      }
      versions[version] = { stack, properties: resources[0][1] };
    }
    return versions;
  });
  return synthesized;
}

/** As an older version of this library wrote the properties: no MessageTtlSeconds, no Tags, no ServiceTimeout. */
function olderShaped(properties: Properties): Properties {
  const { MessageTtlSeconds: _ttl, Tags: _tags, ServiceTimeout: _timeout, ...rest } = properties;
  return rest;
}

afterAll(async () => {
  const versions = await synthesized;
  for (const { stack } of Object.values(versions ?? {})) {
    fs.rmSync(stack.outdir, { recursive: true, force: true });
  }
});

test('the function deploys the handler bundle that projen builds, unchanged', async () => {
  const versions = await synthesizeAppVersions();
  const built = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'lambda', 'signaling-channel-handler', 'index', 'index.js'));
  for (const { stack } of Object.values(versions)) {
    const fn = stack.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    expect(fn.handler).toBe('index.handler');
    expect(fs.readdirSync(fn.assetDir)).toEqual(['index.js']);
    expect(fs.readFileSync(path.join(fn.assetDir, 'index.js')).equals(built)).toBe(true);
    // The runtime the template picks must not be newer than the one this suite runs the handler on.
    const major = Number(/^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1]);
    expect(major).toBeLessThanOrEqual(Number(LAMBDA_NODE_VERSION.split('.')[0]));
  }
});

/** One scenario's world: its own service, its own CloudFormation endpoint, one custom resource. */
interface Stage {
  readonly kvs: KinesisVideoDouble;
  readonly cfn: CloudFormationDouble;
  readonly resource: CustomResourceUnderTest<LambdaInvocation>;
  /** The stack's custom resources: the one above. */
  readonly resources: ReadonlyArray<CustomResourceUnderTest<LambdaInvocation>>;
  readonly versions: Record<AppVersion, Properties>;
  /** The function's timeout for the next invocations. */
  lambdaTimeoutMs: number;
  /** Channels somebody else owns: they must come out of every scenario untouched. */
  readonly foreign: ChannelSnapshot[];
}


describe.each(HANDLER_RUNTIMES)('signaling channel lifecycle on %s', (_label, loadRuntime) => {
  const stages: Stage[] = [];
  /**
   * Scenarios spend their time waiting (service transitions, backoff), not computing, and each has its own
   * doubles: running them side by side keeps the suite short. None relies on beforeAll/beforeEach, which
   * jest does not order before concurrent tests.
   */
  const scenario = test.concurrent;

  afterAll(async () => {
    await Promise.all(stages.flatMap(stage => [stage.kvs.stop(), stage.cfn.stop()]));
  });

  async function newStage(options: { kvs?: KinesisVideoDoubleOptions; lambdaTimeoutMs?: number } = {}): Promise<Stage> {
    const [runtime, versions] = await Promise.all([loadRuntime(), synthesizeAppVersions()]);
    const { kvs, cfn } = await startDoubles({ accountId: ENV.account, transitionMs: TRANSITION_MS, kvs: options.kvs });
    const created: Stage = {
      kvs,
      cfn,
      versions: Object.fromEntries(Object.entries(versions).map(([name, v]) => [name, v.properties])) as Record<AppVersion, Properties>,
      lambdaTimeoutMs: options.lambdaTimeoutMs ?? LAMBDA_TIMEOUT_MS,
      foreign: [],
      resource: channelResource({ kvs, cfn }, {
        fn: versions.initial.stack.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE),
        runtime,
        stackName: STACK_NAME,
        region: ENV.region,
        accountId: ENV.account,
        logicalResourceId: Object.keys(versions.initial.stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE))[0],
        lambdaTimeoutMs: () => created.lambdaTimeoutMs,
      }),
      get resources() {
        return [this.resource];
      },
    };
    stages.push(created);
    return created;
  }

  scenario('create, then delete', async () => {
    const s = await newStage();
    const create = await s.resource.create(s.versions.initial);
    const answer = expectAnswer(s, create.first, 'SUCCESS');
    const arn = answer.PhysicalResourceId;
    const name = CHANNEL_ARN.exec(arn)?.[1] ?? '';
    expect(name).toMatch(GENERATED_NAME);
    expect(answer.Data).toEqual({ ChannelArn: arn, ChannelName: name });
    expect(s.kvs.channels()[0].tags[OWNERSHIP_TAG_KEY]).toBe(create.first.event.RequestId);
    expectStackState(s);

    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('updates the message TTL in place', async () => {
    // A service that takes a little while to answer each call, as the real one does.
    const s = await newStage({ kvs: { latencyMs: 25 } });
    const arn = expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS').PhysicalResourceId;
    const versionBefore = s.kvs.channels()[0].version;

    const update = await s.resource.update(s.versions.longerTtl);
    expect(expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(update.exchanges).toHaveLength(1); // no replacement, so no cleanup Delete
    expect(s.kvs.channels()[0]).toMatchObject({ arn, messageTtlSeconds: 90 });
    expect(s.kvs.channels()[0].version).not.toBe(versionBefore);
    expect(s.kvs.callsTo('CreateSignalingChannel')).toHaveLength(1);
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('reconciles tags on update and leaves tags added outside the stack alone', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS').PhysicalResourceId;
    s.kvs.tagOutOfBand(arn, { 'cost-center': '42' });

    const update = await s.resource.update(s.versions.retagged);
    expect(expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(s.kvs.channels()[0].tags).toEqual({
      'room': 'porch',
      'team': 'video',
      'cost-center': '42',
      [OWNERSHIP_TAG_KEY]: expect.any(String),
      [STACK_TAG_KEY]: s.resource.stackId,
    });
    expect(s.kvs.callsTo('UpdateSignalingChannel')).toHaveLength(0); // the TTL did not change
    expectStackState(s, { tagsAddedOutside: { 'cost-center': '42' } });

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('replaces the channel on a name change; the cleanup Delete removes the old one', async () => {
    const s = await newStage();
    const oldArn = expectAnswer(s, (await s.resource.create(s.versions.named)).first, 'SUCCESS').PhysicalResourceId;
    expect(oldArn).toContain(':channel/front-door-camera/');

    const update = await s.resource.update(s.versions.renamed);
    const newArn = expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId;
    expect(newArn).toContain(':channel/front-door-camera-v2/');
    expect(update.exchanges.map(x => [x.event.RequestType, x.event.PhysicalResourceId])).toEqual([['Update', oldArn], ['Delete', oldArn]]);
    expectAnswer(s, update.exchanges[1], 'SUCCESS');
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('rolls back a replacement when a later resource fails: the new channel goes, the old one stays as it was', async () => {
    const s = await newStage();
    const oldArn = expectAnswer(s, (await s.resource.create(s.versions.named)).first, 'SUCCESS').PhysicalResourceId;
    const before = s.kvs.channels()[0];

    const update = await s.resource.update(s.versions.renamed, { laterResourceFails: true });
    const newArn = expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId;
    expect(update.exchanges.map(x => [x.event.RequestType, x.event.PhysicalResourceId])).toEqual([['Update', oldArn], ['Delete', newArn]]);
    expectAnswer(s, update.exchanges[1], 'SUCCESS');
    expect(standing(s)).toEqual([before]);
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('rolls back an in-place update to older-shaped properties (no Tags, no MessageTtlSeconds)', async () => {
    const s = await newStage();
    const written = olderShaped(s.versions.initial);
    const arn = expectAnswer(s, (await s.resource.create(written)).first, 'SUCCESS').PhysicalResourceId;
    expect(s.kvs.channels()[0]).toMatchObject({
      messageTtlSeconds: 60,
      tags: { [OWNERSHIP_TAG_KEY]: expect.any(String), [STACK_TAG_KEY]: s.resource.stackId },
    });

    const update = await s.resource.update(s.versions.longerTtl, { laterResourceFails: true });
    expectAnswer(s, update.first, 'SUCCESS');
    const rollback = update.exchanges[1];
    expect(rollback.event.RequestType).toBe('Update');
    expect(rollback.event.OldResourceProperties).toMatchObject({ MessageTtlSeconds: '90' });
    expect(rollback.event.ResourceProperties).not.toHaveProperty('MessageTtlSeconds');
    expect(expectAnswer(s, rollback, 'SUCCESS').PhysicalResourceId).toBe(arn);
    // Back to the service's default TTL; the tags the failed update added are gone again.
    expect(s.kvs.channels()[0]).toMatchObject({ arn, messageTtlSeconds: 60 });
    expect(Object.keys(s.kvs.channels()[0].tags).sort()).toEqual([OWNERSHIP_TAG_KEY, STACK_TAG_KEY].sort());
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a failed update (permission missing) answers FAILED with the same id, and the swapped rollback Update succeeds', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS').PhysicalResourceId;
    // The first try and every retry the handler gives IAM propagation.
    s.kvs.injectFault('UpdateSignalingChannel', 'accessDenied', ACCESS_DENIED_RETRIES + 1);

    const update = await s.resource.update(s.versions.longerTtl);
    const failed = expectAnswer(s, update.first, 'FAILED');
    expect(failed.PhysicalResourceId).toBe(arn);
    expect(failed.Reason).toContain('kinesisvideo:UpdateSignalingChannel');
    expectAnswer(s, update.exchanges[1], 'SUCCESS');
    expect(s.kvs.channels()[0]).toMatchObject({ arn, messageTtlSeconds: 30 });
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a Delete succeeds when the channel is being deleted or already gone, and when delivered twice', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS').PhysicalResourceId;
    // Somebody deletes it from the console first; it is still DELETING when the stack's Delete arrives.
    s.kvs.deleteOutOfBand(arn, { transitionMs: 400 });

    const deleted = await s.resource.delete();
    expectAnswer(s, deleted.first, 'SUCCESS');
    expect(standing(s)).toEqual([]);
    // Lambda delivers the same Delete again: the channel is gone by now.
    expectAnswer(s, await s.resource.send(deleted.first.event), 'SUCCESS');
    // The channel was already on its way out: no delete of the handler's was ever accepted.
    expect(s.kvs.callsTo('DeleteSignalingChannel').filter(call => call.httpStatus === 200)).toEqual([]);
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a create with an invalid property fails with a Reason naming it, and its rollback Delete deletes nothing', async () => {
    const s = await newStage();
    const create = await s.resource.create(s.versions.parameterizedName);
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(failed.Reason).toContain('ChannelName');
    expect(failed.PhysicalResourceId.startsWith(NO_CHANNEL_ID_PREFIX)).toBe(true);
    expect(create.exchanges[1].event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: failed.PhysicalResourceId });
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    expect(s.kvs.calls.filter(call => call.operation !== 'DescribeSignalingChannel')).toEqual([]);
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a service error with a 20 KB message still gives an answer within 4,096 bytes', async () => {
    const s = await newStage();
    s.kvs.injectFault('CreateSignalingChannel', 'invalidArgument', 1, { message: `The input is invalid: ${'x'.repeat(20_000)}` });
    const create = await s.resource.create(s.versions.initial);
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(failed.Reason).toContain('InvalidArgumentException');
    expect(s.cfn.responsesTo(create.first.event.RequestId)[0].bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a create whose name belongs to somebody else fails, and neither adopts nor deletes their channel', async () => {
    const s = await newStage();
    s.foreign.push(s.kvs.putChannel({ name: 'front-door-camera', region: ENV.region, tags: { owner: 'another-team' } }));

    const create = await s.resource.create(s.versions.named);
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(failed.Reason).toContain("named 'front-door-camera' already exists");
    expect(failed.PhysicalResourceId).not.toBe(s.foreign[0].arn);
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    for (const operation of ['UpdateSignalingChannel', 'DeleteSignalingChannel', 'TagResource', 'UntagResource'] as const) {
      expect(s.kvs.callsTo(operation)).toEqual([]);
    }
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('a Create delivered twice (same RequestId), at once and again later, makes one channel', async () => {
    const s = await newStage();
    const event = s.resource.newEvent('Create', s.versions.initial);
    const [first, second] = await Promise.all([s.resource.send(event), s.resource.send(event)]);
    const third = await s.resource.send(event);
    const arn = expectAnswer(s, first, 'SUCCESS').PhysicalResourceId;
    expect(expectAnswer(s, second, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(expectAnswer(s, third, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(s.kvs.callsTo('CreateSignalingChannel').filter(call => call.httpStatus === 200)).toHaveLength(1);

    // CloudFormation took the first answer.
    s.resource.properties = s.versions.initial;
    s.resource.physicalResourceId = arn;
    expectStackState(s);
    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario.each(['initial', 'named'] as const)('tags that show up late (%s): a Create delivered again finds its young channel its own', async version => {
    // For 3 s after a channel's creation the service shows none of its tags. A generated name holds a hash of
    // the request's id: the channel is the request's at once. An explicit name is looked at until its tag shows.
    const s = await newStage({ kvs: { tagsVisibleAfterMs: 3_000 } });
    const event = s.resource.newEvent('Create', s.versions[version]);
    const first = await s.resource.send(event);
    const again = await s.resource.send(event);
    const arn = expectAnswer(s, first, 'SUCCESS').PhysicalResourceId;
    expect(expectAnswer(s, again, 'SUCCESS').PhysicalResourceId).toBe(arn);
    expect(s.kvs.callsTo('CreateSignalingChannel').filter(call => call.httpStatus === 200)).toHaveLength(1);
    s.resource.properties = s.versions[version];
    s.resource.physicalResourceId = arn;
    expectStackState(s);
    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('answers FAILED with the real ARN when the service stays CREATING past the deadline; the rollback Delete removes it', async () => {
    const s = await newStage({ lambdaTimeoutMs: 4_000 });
    s.kvs.holdTransitions('CREATING');

    const create = await s.resource.create(s.versions.initial, {
      // The service finishes creating a little later, while CloudFormation turns to the rollback.
      beforeRollback: () => {
        s.kvs.setTransitions({ creatingMs: 600 });
        s.kvs.releaseTransitions();
      },
    });
    const failed = expectAnswer(s, create.first, 'FAILED');
    expect(create.first.invocation.durationMs).toBeLessThan(4_000);
    expect(failed.Reason).toMatch(/Timed out waiting for signaling channel .* ACTIVE/);
    const created = s.kvs.calls.find(call => call.operation === 'CreateSignalingChannel' && call.httpStatus === 200);
    expect(created).toBeDefined();
    expect(failed.PhysicalResourceId).toMatch(CHANNEL_ARN);
    expect(failed.PhysicalResourceId).toContain(`:channel/${String(created!.input.ChannelName)}/`);

    expect(create.exchanges[1].event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: failed.PhysicalResourceId });
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    const accepted = s.kvs.callsTo('DeleteSignalingChannel').filter(call => call.httpStatus === 200);
    expect(accepted.map(call => call.input.ChannelARN)).toEqual([failed.PhysicalResourceId]);
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('rides out throttling bursts on every operation', async () => {
    const s = await newStage();
    s.kvs.injectFault('CreateSignalingChannel', 'throttle', 3);
    s.kvs.injectFault('DescribeSignalingChannel', 'throttle', 2);
    expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('ListTagsForResource', 'throttle', 2);
    s.kvs.injectFault('UntagResource', 'throttle', 1);
    s.kvs.injectFault('TagResource', 'throttle', 2);
    expectAnswer(s, (await s.resource.update(s.versions.retagged)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('UpdateSignalingChannel', 'throttle', 2);
    expectAnswer(s, (await s.resource.update(s.versions.longerTtl)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('DeleteSignalingChannel', 'throttle', 2);
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(s.kvs.pendingFaults()).toEqual({});
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('waits out ResourceInUse while the channel is transitioning', async () => {
    const s = await newStage();
    const arn = expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS').PhysicalResourceId;
    // Right before the handler's update, another client starts one: the channel is UPDATING for a while.
    s.kvs.beforeNext('UpdateSignalingChannel', (_input, kvs) => kvs.updateOutOfBand(arn, { transitionMs: 500 }));

    expectAnswer(s, (await s.resource.update(s.versions.longerTtl)).first, 'SUCCESS');
    expect(s.kvs.callsTo('UpdateSignalingChannel').map(call => call.errorType ?? call.httpStatus)).toEqual(['ResourceInUseException', 200]);
    expectStackState(s);

    s.kvs.injectFault('DeleteSignalingChannel', 'resourceInUse', 2);
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(s.kvs.pendingFaults()).toEqual({});
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('loses no change in a VersionMismatch race with another client', async () => {
    const s = await newStage();
    expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS');
    // Between the handler's Describe and its Update, someone else sets the TTL to 45 s.
    s.kvs.raceNextUpdate(45);

    expectAnswer(s, (await s.resource.update(s.versions.longerTtl)).first, 'SUCCESS');
    expect(s.kvs.callsTo('UpdateSignalingChannel').map(call => call.errorType ?? call.httpStatus)).toEqual(['VersionMismatchException', 200]);
    expect(s.kvs.channels()[0].messageTtlSeconds).toBe(90);
    expectStackState(s);

    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('retries HTTP 500s past the SDK\'s own retries', async () => {
    const s = await newStage();
    // The SDK makes 3 attempts; the handler must go on after those.
    s.kvs.injectFault('CreateSignalingChannel', 'internalError', 4);
    s.kvs.injectFault('DescribeSignalingChannel', 'internalError', 4);
    expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('UpdateSignalingChannel', 'internalError', 4);
    expectAnswer(s, (await s.resource.update(s.versions.longerTtl)).first, 'SUCCESS');
    expectStackState(s);

    // A tag change reads the tags (and a TTL-only change does not).
    s.kvs.injectFault('ListTagsForResource', 'internalError', 4);
    expectAnswer(s, (await s.resource.update(s.versions.retagged)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('DeleteSignalingChannel', 'internalError', 4);
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(s.kvs.pendingFaults()).toEqual({});
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('survives dropped connections, including answers lost after the service applied the call', async () => {
    const s = await newStage();
    // The create is applied but its answer is lost: the retry meets its own channel, marked as its own.
    s.kvs.injectFault('CreateSignalingChannel', 'dropConnectionAfterApplying', 1);
    s.kvs.injectFault('DescribeSignalingChannel', 'dropConnection', 2);
    expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS');
    expect(s.kvs.callsTo('CreateSignalingChannel').map(call => call.errorType ?? call.httpStatus)).toEqual(['dropped', 'ResourceInUseException']);
    expectStackState(s);

    s.kvs.injectFault('UpdateSignalingChannel', 'dropConnectionAfterApplying', 1);
    s.kvs.injectFault('TagResource', 'dropConnection', 1);
    expectAnswer(s, (await s.resource.update(s.versions.longerTtl)).first, 'SUCCESS');
    expectStackState(s);
    expectAnswer(s, (await s.resource.update(s.versions.retagged)).first, 'SUCCESS');
    expectStackState(s);

    s.kvs.injectFault('DeleteSignalingChannel', 'dropConnectionAfterApplying', 1);
    expectAnswer(s, (await s.resource.delete()).first, 'SUCCESS');
    expect(s.kvs.pendingFaults()).toEqual({});
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('waits for a brand-new channel that Describe does not show yet', async () => {
    // Invisible past the handler's first look, which comes once a creation can have ended.
    const s = await newStage({ kvs: { newChannelInvisibleMs: FIRST_LOOK_MS + 500 } });
    expectAnswer(s, (await s.resource.create(s.versions.initial)).first, 'SUCCESS');
    expect(s.kvs.callsTo('DescribeSignalingChannel').some(call => call.errorType === 'ResourceNotFoundException')).toBe(true);
    expectStackState(s);
    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });

  scenario('tries its answer again when the response URL refuses it', async () => {
    const s = await newStage();
    s.cfn.refuseNextResponses(2, 503);
    const create = await s.resource.create(s.versions.initial);
    expectAnswer(s, create.first, 'SUCCESS');
    expect(s.cfn.responsesTo(create.first.event.RequestId).map(r => r.answeredStatus)).toEqual([503, 503, 200]);
    expectStackState(s);
    await s.resource.delete();
    expectStackState(s);
    expectProtocolKept(s);
  });
});

/** The answer CloudFormation took for an exchange, which must have `status`; otherwise fail with the story. */
/**
 * The channels the service holds, but those DELETING: the handler answers a Delete once the service has
 * accepted it, and DELETING cannot be undone.
 */
function standing(s: Stage): ChannelSnapshot[] {
  return s.kvs.channels().filter(channel => channel.status !== 'DELETING');
}

/**
 * The service holds exactly the channels the stack should have: the one behind the resource's physical id
 * (if it is a channel), ACTIVE, with the template's name, TTL and tags; plus the untouched foreign ones.
 */
function expectStackState(s: Stage, options: { tagsAddedOutside?: Record<string, string> } = {}): void {
  const channels = standing(s);
  const foreignArns = new Set(s.foreign.map(channel => channel.arn));
  for (const foreign of s.foreign) {
    expect(channels.find(channel => channel.arn === foreign.arn)).toEqual(foreign);
  }
  const ours = channels.filter(channel => !foreignArns.has(channel.arn));
  const id = s.resource.physicalResourceId;
  if (id === undefined || !CHANNEL_ARN.test(id)) {
    expect(ours).toEqual([]);
    return;
  }
  expect(ours.map(channel => channel.arn)).toEqual([id]);
  const [channel] = ours;
  const properties = s.resource.properties!;
  const templateTags = Object.fromEntries(((properties.Tags ?? []) as Array<{ Key: string; Value: string }>).map(t => [t.Key, t.Value]));
  expect(channel.status).toBe('ACTIVE');
  if (properties.ChannelName !== undefined) expect(channel.name).toBe(properties.ChannelName);
  expect(channel.messageTtlSeconds).toBe(Number(properties.MessageTtlSeconds ?? 60));
  const libraryTags = { [OWNERSHIP_TAG_KEY]: expect.any(String), [STACK_TAG_KEY]: s.resource.stackId };
  expect(channel.tags).toEqual({ ...templateTags, ...options.tagsAddedOutside, ...libraryTags });
}

