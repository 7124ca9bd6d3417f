/**
 * End to end, with IAM: the Kinesis Video double evaluates every call the handler bundle makes against the
 * provider role's policy as the synthesized template writes it (iam-authorizer.ts), the policy in force
 * being the one CloudFormation would have put in place at that moment.
 *
 * CloudFormation updates the role (its inline policy) before the channels, which depend on the function and
 * so on the role; it deletes removed and replaced channels in its cleanup phase, after every update, under
 * the new policy; and a rollback runs under the policy it returns to. So the calls a deployment makes for
 * what an earlier version created (a renamed channel, a removed one, one that no longer records) must be
 * allowed by a policy written for another template. And the service's own rules apply: a channel linked to a
 * stream cannot be deleted, nor linked to another stream, until it is unlinked.
 */
import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import { SignalingChannel, Stream } from '../../src';
import { SIGNALING_CHANNEL_RESOURCE_TYPE, STACK_TAG_KEY } from '../../src/handler-shared/handler-contract';
import { CustomResourceUnderTest } from '../support/custom-resource-under-test';
import { channelResource, channelsOnceDeleted, E2eStage, expectAnswer, expectProtocolKept, startDoubles } from '../support/e2e-stage';
import { IamAuthorizer } from '../support/iam-authorizer';
import { HANDLER_RUNTIMES, LambdaInvocation } from '../support/lambda-process';
import { synthesizeStack, SynthesizedStack } from '../support/synthesized-stack';

const ENV = { account: '123456789012', region: 'us-east-1' };
const STACK_NAME = 'FrontDoorStack';
const TRANSITION_MS = 150;
const LAMBDA_TIMEOUT_MS = 20_000;
const STREAM = { name: 'front-door-recordings', createdAt: 1_700_000_000_001, dataRetentionInHours: 24 };
const STREAM_ARN = `arn:aws:kinesisvideo:${ENV.region}:${ENV.account}:stream/${STREAM.name}/${STREAM.createdAt}`;

/**
 * App versions. Every version keeps the channel 'Porch' (a generated name), so that the stack keeps its
 * provider when 'Doorbell' leaves it; 'Doorbell' is named and records in `v1`.
 */
function app(doorbell: { name: string; records: boolean } | undefined, porchRecords = false) {
  return (stack: Stack) => {
    const stream = Stream.fromStreamArn(stack, 'Recordings', STREAM_ARN);
    if (doorbell) {
      new SignalingChannel(stack, 'Doorbell', { signalingChannelName: doorbell.name, mediaStorage: doorbell.records ? { stream } : undefined });
    }
    new SignalingChannel(stack, 'Porch', { mediaStorage: porchRecords ? { stream } : undefined });
  };
}

const APP_VERSIONS = {
  v1: app({ name: 'front-door', records: true }),
  renamed: app({ name: 'front-door-v2', records: true }),
  removed: app(undefined),
  notRecording: app({ name: 'front-door', records: false }),
  streamMovedToPorch: app({ name: 'front-door', records: false }, true),
  doorbellRemovedPorchRecords: app(undefined, true),
};
type AppVersion = keyof typeof APP_VERSIONS;
type Synthesized = Record<AppVersion, { stack: SynthesizedStack; doorbell?: Record<string, unknown>; porch: Record<string, unknown> }>;

let synthesized: Promise<Synthesized> | undefined;
function synthesizeAppVersions(): Promise<Synthesized> {
  synthesized ??= Promise.resolve().then(() => Object.fromEntries(Object.entries(APP_VERSIONS).map(([version, build]) => {
    const stack = synthesizeStack(STACK_NAME, { env: ENV }, build);
    const resources = stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const byId = (prefix: string) => Object.entries(resources).find(([id]) => id.startsWith(prefix))?.[1];
    return [version, { stack, doorbell: byId('Doorbell'), porch: byId('Porch')! }];
  })) as Synthesized);
  return synthesized;
}

afterAll(async () => {
  for (const { stack } of Object.values(await synthesized ?? {})) {
    fs.rmSync(stack.outdir, { recursive: true, force: true });
  }
});

interface Stage extends E2eStage {
  readonly doorbell: CustomResourceUnderTest<LambdaInvocation>;
  readonly porch: CustomResourceUnderTest<LambdaInvocation>;
  readonly versions: Synthesized;
  /** Put the role's policy of `version` in force, as CloudFormation does when it updates the role. */
  policyOf(version: AppVersion): void;
}

describe.each(HANDLER_RUNTIMES)('permissions across versions of a stack, on %s', (_label, loadRuntime) => {
  const stages: Stage[] = [];
  const scenario = test.concurrent;

  afterAll(async () => {
    await Promise.all(stages.flatMap(stage => [stage.kvs.stop(), stage.cfn.stop()]));
  });

  async function newStage(): Promise<Stage> {
    const [runtime, versions] = await Promise.all([loadRuntime(), synthesizeAppVersions()]);
    const { kvs, cfn } = await startDoubles({ accountId: ENV.account, transitionMs: TRANSITION_MS });
    kvs.putStream(STREAM);
    const fn = versions.v1.stack.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const resource = (logicalResourceId: string, stackId?: string) => channelResource({ kvs, cfn }, {
      fn,
      runtime,
      stackName: STACK_NAME,
      stackId,
      region: ENV.region,
      accountId: ENV.account,
      logicalResourceId,
      lambdaTimeoutMs: () => LAMBDA_TIMEOUT_MS,
    });
    const ids = Object.keys(versions.v1.stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE));
    const doorbell = resource(ids.find(id => id.startsWith('Doorbell'))!);
    const porch = resource(ids.find(id => id.startsWith('Porch'))!, doorbell.stackId);
    const stage: Stage = {
      kvs,
      cfn,
      doorbell,
      porch,
      resources: [doorbell, porch],
      versions,
      policyOf: version => kvs.setIdentityPolicy(versions[version].stack.functionRolePolicy(SIGNALING_CHANNEL_RESOURCE_TYPE, doorbell.stackId)),
    };
    stages.push(stage);
    return stage;
  }

  /** Deploy v1: 'front-door' recording into the stream, and 'Porch'. */
  async function deployV1(s: Stage): Promise<string> {
    s.policyOf('v1');
    const arn = expectAnswer(s, (await s.doorbell.create(s.versions.v1.doorbell!)).first, 'SUCCESS').PhysicalResourceId;
    expectAnswer(s, (await s.porch.create(s.versions.v1.porch)).first, 'SUCCESS');
    expect(mappedChannel(s)).toBe(arn);
    return arn;
  }

  function expectNothingDenied(s: Stage): void {
    expect(s.kvs.deniedCalls.map(call => `${call.operation} ${JSON.stringify(call.input)}`)).toEqual([]);
  }

  scenario('a rename: the new channel takes the stream, and the cleanup deletes the old name the new policy does not list', async () => {
    const s = await newStage();
    const old = await deployV1(s);
    s.policyOf('renamed');
    const update = await s.doorbell.update(s.versions.renamed.doorbell!);
    const renamed = expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId;
    expect(renamed).toContain(':channel/front-door-v2/');
    expectAnswer(s, update.exchanges[1], 'SUCCESS'); // the cleanup Delete of 'front-door'
    expect((await channelsOnceDeleted(s, TRANSITION_MS)).map(channel => channel.arn)).not.toContain(old);
    expect(mappedChannel(s)).toBe(renamed);
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('a rename that rolls back: the rollback deletes the new channel under the old policy, which does not list its name', async () => {
    const s = await newStage();
    const old = await deployV1(s);
    s.policyOf('renamed');
    const update = await s.doorbell.update(s.versions.renamed.doorbell!, { laterResourceFails: true, beforeRollback: () => s.policyOf('v1') });
    const renamed = expectAnswer(s, update.first, 'SUCCESS').PhysicalResourceId;
    expectAnswer(s, update.exchanges[1], 'SUCCESS'); // the rollback's cleanup Delete of 'front-door-v2'
    const left = await channelsOnceDeleted(s, TRANSITION_MS);
    expect(left.map(channel => channel.arn)).toContain(old);
    expect(left.map(channel => channel.arn)).not.toContain(renamed);
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('a removed recording channel: unlinked and deleted under a policy that names it not and grants no storage', async () => {
    const s = await newStage();
    const old = await deployV1(s);
    s.policyOf('removed');
    expectAnswer(s, (await s.doorbell.delete()).first, 'SUCCESS');
    expect((await channelsOnceDeleted(s, TRANSITION_MS)).map(channel => channel.arn)).not.toContain(old);
    expect(mappedChannel(s)).toBeUndefined();
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('the last recording channel stops recording: unlinked under a policy with no recording channel', async () => {
    const s = await newStage();
    await deployV1(s);
    s.policyOf('notRecording');
    expectAnswer(s, (await s.doorbell.update(s.versions.notRecording.doorbell!)).first, 'SUCCESS');
    expect(mappedChannel(s)).toBeUndefined();
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('the first recording channel, then a failure: the rollback unlinks it under the policy that had no recording channel', async () => {
    const s = await newStage();
    s.policyOf('notRecording');
    const arn = expectAnswer(s, (await s.doorbell.create(s.versions.notRecording.doorbell!)).first, 'SUCCESS').PhysicalResourceId;
    s.policyOf('v1');
    const update = await s.doorbell.update(s.versions.v1.doorbell!, { laterResourceFails: true, beforeRollback: () => s.policyOf('notRecording') });
    expectAnswer(s, update.first, 'SUCCESS');
    expectAnswer(s, update.exchanges[1], 'SUCCESS'); // UPDATE_ROLLBACK_COMPLETE, not _FAILED
    expect(s.doorbell.physicalResourceId).toBe(arn);
    expect(mappedChannel(s)).toBeUndefined();
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('a stream moved from one channel to another of the stack in one deployment, both updated at once', async () => {
    const s = await newStage();
    await deployV1(s);
    s.policyOf('streamMovedToPorch');
    const [doorbell, porch] = await Promise.all([
      s.doorbell.update(s.versions.streamMovedToPorch.doorbell!),
      s.porch.update(s.versions.streamMovedToPorch.porch),
    ]);
    expectAnswer(s, doorbell.first, 'SUCCESS');
    expectAnswer(s, porch.first, 'SUCCESS');
    expect(mappedChannel(s)).toBe(s.porch.physicalResourceId);
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('a stream moved to another channel while its channel is removed: taken over before the cleanup deletes the old one', async () => {
    const s = await newStage();
    const old = await deployV1(s);
    s.policyOf('doorbellRemovedPorchRecords');
    // The update first; the removed channel's Delete only in the cleanup phase, after it.
    expectAnswer(s, (await s.porch.update(s.versions.doorbellRemovedPorchRecords.porch)).first, 'SUCCESS');
    expectAnswer(s, (await s.doorbell.delete()).first, 'SUCCESS');
    expect(mappedChannel(s)).toBe(s.porch.physicalResourceId);
    expect((await channelsOnceDeleted(s, TRANSITION_MS)).map(channel => channel.arn)).not.toContain(old);
    expectNothingDenied(s);
    expectProtocolKept(s);
  });

  scenario('a stream recording a channel of another stack is never taken, and that channel is never touched', async () => {
    const s = await newStage();
    const foreign = s.kvs.putChannel({
      name: 'neighbour',
      mediaStorageStreamArn: STREAM_ARN,
      tags: { [STACK_TAG_KEY]: `arn:aws:cloudformation:${ENV.region}:${ENV.account}:stack/Neighbour/1` },
    });
    s.policyOf('v1');
    const create = await s.doorbell.create(s.versions.v1.doorbell!);
    expect(expectAnswer(s, create.first, 'FAILED').Reason).toContain(`already records signaling channel ${foreign.arn}, which is not a channel of this stack`);
    expectAnswer(s, create.exchanges[1], 'SUCCESS');
    expect(await channelsOnceDeleted(s, TRANSITION_MS)).toEqual([foreign]);
    expectProtocolKept(s);
  });
});

describe('the role of every version reaches the stack\'s channels and nothing else', () => {
  const STACK_ID = `arn:aws:cloudformation:${ENV.region}:${ENV.account}:stack/${STACK_NAME}/4f2c1a50-0000-11ef-a1b2-0a1b2c3d4e5f`;
  const OTHER_STACK_ID = `arn:aws:cloudformation:${ENV.region}:${ENV.account}:stack/${STACK_NAME}/0b7e5c1d-1111-11ef-b2c3-0a1b2c3d4e5f`;
  const channelArn = (name: string) => `arn:aws:kinesisvideo:${ENV.region}:${ENV.account}:channel/${name}/1700000000000`;
  const AFTER_CREATE = ['DescribeSignalingChannel', 'UpdateSignalingChannel', 'DeleteSignalingChannel', 'ListTagsForResource',
    'TagResource', 'UntagResource', 'UpdateMediaStorageConfiguration'].map(action => `kinesisvideo:${action}`);

  test.each(Object.keys(APP_VERSIONS) as AppVersion[])('%s', async version => {
    const versions = await synthesizeAppVersions();
    const iam = new IamAuthorizer(versions[version].stack.functionRolePolicy(SIGNALING_CHANNEL_RESOURCE_TYPE, STACK_ID));
    const allowed = async (action: string, name: string, tags: Record<string, string>) => (await iam.authorize({
      action, resource: channelArn(name), context: Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
    })).allowed;

    for (const action of AFTER_CREATE) {
      // Any channel this stack created, whatever name an earlier version gave it.
      expect({ action, allowed: await allowed(action, 'front-door', { [STACK_TAG_KEY]: STACK_ID }) }).toEqual({ action, allowed: true });
      expect({ action, allowed: await allowed(action, 'named-by-v0', { [STACK_TAG_KEY]: STACK_ID }) }).toEqual({ action, allowed: true });
      // Nothing of another stack, even one of the same name created again (another id), nor untagged channels.
      expect({ action, allowed: await allowed(action, 'named-by-v0', { [STACK_TAG_KEY]: OTHER_STACK_ID }) }).toEqual({ action, allowed: false });
      expect({ action, allowed: await allowed(action, 'someone-elses', {}) }).toEqual({ action, allowed: false });
    }
    // Creating takes a name the template gives (or the stack's generated prefix), never a tag alone.
    expect(await allowed('kinesisvideo:CreateSignalingChannel', 'named-by-v0', { [STACK_TAG_KEY]: STACK_ID })).toBe(false);
    expect(await allowed('kinesisvideo:CreateSignalingChannel', `${STACK_NAME}.Porch.0123456789ab`, {})).toBe(true);
  });
});

function mappedChannel(s: Stage): string | undefined {
  return s.kvs.streams().find(stream => stream.name === STREAM.name)?.mappedChannelArn;
}
