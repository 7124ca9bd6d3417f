/**
 * End to end, in a small account: one whose Lambda concurrency (10) is far below the stack's channel count.
 * CloudFormation invokes the function asynchronously; the events that do not fit wait in Lambda's queue
 * (test/support/lambda-async-queue.ts) while CloudFormation's clock runs: it gives up on a request its
 * ServiceTimeout (600 s) after signing it, and Lambda may still deliver it afterwards. So:
 *
 * - a stack of 60 channels still deploys and deletes: every request answered SUCCESS, none after the
 *   ServiceTimeout, none dropped from the queue, the service left exactly as the stack says;
 * - a Create whose response URL was signed longer ago than the ServiceTimeout (CloudFormation has given up
 *   on it, and rolled back or moved on) creates nothing: a channel made for it would belong to no stack.
 *
 * The doubles this relies on (the queue, the signing time of the response URLs) are checked first, on
 * their own: a test that passes because its double cannot do what it pretends would prove nothing.
 *
 * Wall times are printed, not asserted: they depend on the machine. Only what cannot fail by chance is
 * asserted; the one time bound is CloudFormation's own, the ServiceTimeout, minutes above what this takes.
 */
import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { SignalingChannel } from '../../src';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';
import { amzDate, CloudFormationDouble, RESPONSE_URL_EXPIRES_SECONDS, responseUrlSignedAt, serviceTimeoutSecondsOf } from '../support/cloudformation-double';
import { CustomResourceUnderTest } from '../support/custom-resource-under-test';
import { FleetDeployment, PhaseResult } from '../support/fleet-deployment';
import { KinesisVideoDouble } from '../support/kinesis-video-double';
import { asyncInvokeSettings, LAMBDA_ASYNC_DEFAULTS, LambdaAsyncQueue } from '../support/lambda-async-queue';
import { HANDLER_RUNTIMES, invokeLambda, LambdaInvocation } from '../support/lambda-process';
import { runOnDoubles, synthesizeStack, SynthesizedStack } from '../support/synthesized-stack';

const ENV = { account: '123456789012', region: 'us-east-1' };
const CHANNELS = 60;
/** The account's Lambda concurrency: a sixth of the stack. */
const CONCURRENCY = 10;
/**
 * Short service transitions: over before the handler's first look (1.5 s), so each request costs what it
 * costs in the service, and the wait is the queue's, which is what this file is about.
 */
const TRANSITION_MS = 200;

describe('the doubles a small account is played with', () => {
  test('response URLs carry when they were signed, as SigV4 presigned URLs do', async () => {
    const cfn = await CloudFormationDouble.start();
    try {
      const signedAt = Date.UTC(2026, 11, 2, 13, 15, 0, 678);
      const event = cfn.event({
        RequestType: 'Create',
        ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
        StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/S/1',
        RequestId: 'r',
        LogicalResourceId: 'L',
        ResourceType: SIGNALING_CHANNEL_RESOURCE_TYPE,
        ResourceProperties: {},
      }, { signedAt });
      const query = new URL(event.ResponseURL).searchParams;
      expect(query.get('X-Amz-Date')).toBe('20261202T131500Z');
      expect(query.get('X-Amz-Expires')).toBe(String(RESPONSE_URL_EXPIRES_SECONDS));
      expect(query.get('X-Amz-Credential')).toMatch(/^[A-Z0-9]+\/20261202\/eu-west-1\/s3\/aws4_request$/);
      expect([...query.keys()]).toEqual(['X-Amz-Algorithm', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires', 'X-Amz-Credential', 'X-Amz-Signature']);
      // X-Amz-Date keeps whole seconds.
      expect(responseUrlSignedAt(event.ResponseURL)).toBe(Date.UTC(2026, 11, 2, 13, 15, 0));
      expect(amzDate(Date.UTC(2027, 0, 9, 8, 7, 6))).toBe('20270109T080706Z');
      expect(serviceTimeoutSecondsOf({ ResourceProperties: { ServiceTimeout: '600' } })).toBe(600);
      expect(serviceTimeoutSecondsOf({ ResourceProperties: {} })).toBe(3600);
    } finally {
      await cfn.stop();
    }
  });

  test('the queue runs at most its concurrency at once, first in first out', async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const queue = new LambdaAsyncQueue<number, { outcome: 'returned' }>(event => {
      started.push(event);
      return new Promise(resolve => finish.push(() => resolve({ outcome: 'returned' })));
    }, { concurrency: 2 });
    const settled = () => new Promise(resolve => setImmediate(resolve));
    const deliveries = [1, 2, 3, 4, 5].map(event => queue.invoke(event));
    expect(started).toEqual([1, 2]);
    expect(queue.waitingCount).toBe(3);
    // Whichever run ends, the next event in line takes its place.
    finish[1]();
    await settled();
    expect(started).toEqual([1, 2, 3]);
    finish[0]();
    await settled();
    expect(started).toEqual([1, 2, 3, 4]);
    finish[2]();
    await settled();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    finish[3]();
    finish[4]();
    expect((await Promise.all(deliveries)).map(d => [d.event, d.outcome, d.attempts.length])).toEqual(
      [1, 2, 3, 4, 5].map(event => [event, 'succeeded', 1]));
    expect(queue.peakRunning).toBe(2);
  });

  test('the queue drops an event older than the maximum event age at its turn, unrun, and reports it', async () => {
    const started: string[] = [];
    const queue = new LambdaAsyncQueue<string, { outcome: 'returned' }>(async event => {
      started.push(event);
      return { outcome: 'returned' };
    }, { concurrency: 1, maxEventAgeSeconds: 60 });
    const [old, fresh] = await Promise.all([
      queue.invoke('waited too long', { queuedAt: Date.now() - 61_000 }),
      queue.invoke('fresh'),
    ]);
    expect(old).toMatchObject({ outcome: 'expired', attempts: [] });
    expect(old.waitedMs).toBeGreaterThan(60_000);
    expect(fresh.outcome).toBe('succeeded');
    expect(started).toEqual(['fresh']);
    expect(queue.expired().map(d => d.event)).toEqual(['waited too long']);
  });

  test('the queue retries a function error up to the maximum retry attempts, and only a function error', async () => {
    const outcomes: Array<'threw' | 'returned'> = ['threw', 'threw', 'threw', 'returned'];
    const queue = new LambdaAsyncQueue<string, { outcome: string }>(async () => ({ outcome: outcomes.shift()! }),
      { maxRetryAttempts: 2, retryDelaysMs: [0] });
    const failed = await queue.invoke('a');
    expect(failed.outcome).toBe('failed');
    expect(failed.attempts.map(attempt => attempt.result.outcome)).toEqual(['threw', 'threw', 'threw']);
    const succeeded = await queue.invoke('b');
    expect(succeeded.attempts.map(attempt => attempt.result.outcome)).toEqual(['returned']);
  });

  test("the queue's settings come from the function's EventInvokeConfig for $LATEST, else Lambda's defaults", () => {
    const template = (resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>) => ({ template: { Resources: resources } });
    const fn = { logicalId: 'Handler' };
    expect(asyncInvokeSettings(template({ Handler: { Type: 'AWS::Lambda::Function' } }), fn)).toEqual(LAMBDA_ASYNC_DEFAULTS);
    expect(asyncInvokeSettings(template({
      Other: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'Another' }, Qualifier: '$LATEST', MaximumEventAgeInSeconds: 60 } },
      Live: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'Handler' }, Qualifier: 'live', MaximumEventAgeInSeconds: 61 } },
      Config: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'Handler' }, Qualifier: '$LATEST', MaximumEventAgeInSeconds: 540 } },
    }), fn)).toEqual({ maxEventAgeSeconds: 540, maxRetryAttempts: LAMBDA_ASYNC_DEFAULTS.maxRetryAttempts });
  });
});

function report(result: PhaseResult): void {
  console.log(`small account (Lambda concurrency ${CONCURRENCY}), ${result.resources} channels, ${result.phase}: ` +
    `${(result.wallMs / 1000).toFixed(1)} s wall, longest wait in Lambda's queue ${(result.maxQueueWaitMs / 1000).toFixed(1)} s, ` +
    `latest answer ${(result.slowestAnswerMs / 1000).toFixed(1)} s after signing, peak ${result.peakConcurrency} running, ` +
    `${result.calls} calls, ${result.throttled} throttled, ${result.expired} dropped, ${result.failures.length} failed`);
}

/** Every request of the phase answered SUCCESS, none dropped from the queue, none answered after the ServiceTimeout. */
function expectDeployed(deployment: FleetDeployment, result: PhaseResult): void {
  expect({ phase: result.phase, failures: result.failures, expired: result.expired })
    .toEqual({ phase: result.phase, failures: [], expired: 0 });
  // The stack is six times the concurrency: the queue is full from the start, and never overflows.
  expect(result.peakConcurrency).toBe(CONCURRENCY);
  expect(result.slowestAnswerMs).toBeLessThanOrEqual(serviceTimeoutOf(deployment) * 1000);
}

/** The ServiceTimeout CloudFormation applies to the stack's channels: what the template says. */
function serviceTimeoutOf(deployment: FleetDeployment): number {
  const timeouts = new Set(Object.values(deployment.versions.initial.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE))
    .map(properties => serviceTimeoutSecondsOf({ ResourceProperties: properties })));
  expect(timeouts.size).toBe(1);
  return [...timeouts][0];
}

// The queue is the same whatever runs the handler: one runtime, the Lambda runtime's, keeps the suite short.
describe.each(HANDLER_RUNTIMES.slice(0, 1))('a stack of 60 channels in an account whose Lambda concurrency is 10, on %s', (_label, loadRuntime) => {
  test('create and delete: every request answered SUCCESS within the ServiceTimeout, the service as the stack says', async () => {
    const deployment = await FleetDeployment.start({
      cameras: CHANNELS, runtime: await loadRuntime(), transitionMs: TRANSITION_MS, concurrency: CONCURRENCY,
    });
    try {
      console.log(`small account: Lambda's queue keeps events ${deployment.queue.settings.maxEventAgeSeconds} s, ` +
        `retries ${deployment.queue.settings.maxRetryAttempts} times; CloudFormation waits ${serviceTimeoutOf(deployment)} s`);
      const create = await deployment.create();
      report(create);
      expectDeployed(deployment, create);
      expect(deployment.kvs.channels().map(channel => channel.status)).toEqual(Array(CHANNELS).fill('ACTIVE'));
      expect(deployment.kvs.callsTo('CreateSignalingChannel').filter(call => call.httpStatus === 200)).toHaveLength(CHANNELS);

      const remove = await deployment.delete();
      report(remove);
      expectDeployed(deployment, remove);
      await new Promise(resolve => setTimeout(resolve, TRANSITION_MS * 2));
      expect(deployment.kvs.channels()).toEqual([]);

      // CloudFormation's view: every answer valid, none arrived after it had given up, every event ran once.
      expect(deployment.cfn.problems()).toEqual([]);
      expect(deployment.cfn.responses.filter(response => response.late)).toEqual([]);
      expect(deployment.queue.deliveries.filter(delivery => delivery.outcome !== 'succeeded' || delivery.attempts.length !== 1)).toEqual([]);
    } finally {
      await deployment.stop();
    }
  }, 180_000);
});

interface Stage {
  readonly kvs: KinesisVideoDouble;
  readonly cfn: CloudFormationDouble;
  readonly resource: CustomResourceUnderTest<LambdaInvocation>;
  /** The channel's properties, as the template has them. */
  readonly properties: Record<string, unknown>;
  /** How long CloudFormation waits for the channel's answer: the template's ServiceTimeout. */
  readonly serviceTimeoutSeconds: number;
}

describe.each(HANDLER_RUNTIMES)('an event delivered after CloudFormation gave up on it, on %s', (_label, loadRuntime) => {
  let stack: SynthesizedStack | undefined;
  const stops: Array<() => Promise<void>> = [];

  afterAll(async () => {
    await Promise.all(stops.map(stop => stop()));
    if (stack) fs.rmSync(stack.outdir, { recursive: true, force: true });
  });

  /** One channel's stack, its service and its CloudFormation endpoint; the handler runs as Lambda runs it. */
  async function stage(): Promise<Stage> {
    stack ??= synthesizeStack('SmallAccountStack', { env: ENV }, s => {
      new SignalingChannel(s, 'Doorbell', { messageTtl: Duration.seconds(30) });
    });
    const runtime = await loadRuntime();
    const kvs = await KinesisVideoDouble.start({
      accountId: ENV.account,
      transitions: { creatingMs: TRANSITION_MS, updatingMs: TRANSITION_MS, deletingMs: TRANSITION_MS },
    });
    const cfn = await CloudFormationDouble.start();
    stops.push(() => kvs.stop(), () => cfn.stop());
    const fn = stack.serviceFunction(SIGNALING_CHANNEL_RESOURCE_TYPE);
    const [[logicalResourceId, properties]] = Object.entries(stack.customResources(SIGNALING_CHANNEL_RESOURCE_TYPE));
    const resource = cfn.customResource<LambdaInvocation>({
      stackName: stack.stackName,
      region: ENV.region,
      accountId: ENV.account,
      logicalResourceId,
      resourceType: SIGNALING_CHANNEL_RESOURCE_TYPE,
      serviceToken: fn.arn,
      invoke: event => invokeLambda(runOnDoubles(fn, runtime, { kvs, cfn }), event),
    });
    return { kvs, cfn, resource, properties, serviceTimeoutSeconds: serviceTimeoutSecondsOf({ ResourceProperties: properties }) };
  }

  test('a Create signed longer ago than the ServiceTimeout creates no channel', async () => {
    const s = await stage();
    // Signed a minute past the ServiceTimeout ago: it waited in Lambda's queue while CloudFormation gave up.
    const event = s.resource.newEvent('Create', s.properties, { signedAt: Date.now() - (s.serviceTimeoutSeconds + 60) * 1000 });
    const exchange = await s.resource.send(event);

    expect(s.kvs.calls.filter(call => call.operation === 'CreateSignalingChannel')).toEqual([]);
    expect(s.kvs.channels()).toEqual([]);
    // An answer, if any, must still be a valid one (FAILED, with a Reason): CloudFormation takes none this late.
    expect(s.cfn.problems()).toEqual([]);
    expect(s.cfn.responsesTo(event.RequestId).map(response => [response.body?.Status, response.late])).toEqual([['FAILED', true]]);
    expect(exchange.response).toBeUndefined();
  });

  test('a Create that waited in the queue well within the ServiceTimeout still creates its channel, answered in time', async () => {
    const s = await stage();
    // Half the ServiceTimeout ago: late, but CloudFormation still waits.
    const event = s.resource.newEvent('Create', s.properties, { signedAt: Date.now() - s.serviceTimeoutSeconds * 500 });
    const exchange = await s.resource.send(event);

    expect(exchange.response?.Status).toBe('SUCCESS');
    expect(s.kvs.channels().map(channel => [channel.arn, channel.status])).toEqual([[exchange.response!.PhysicalResourceId, 'ACTIVE']]);
    expect(s.cfn.problems()).toEqual([]);

    s.resource.properties = s.properties;
    s.resource.physicalResourceId = exchange.response!.PhysicalResourceId;
    expect((await s.resource.delete()).first.response?.Status).toBe('SUCCESS');
    await new Promise(resolve => setTimeout(resolve, TRANSITION_MS * 2));
    expect(s.kvs.channels()).toEqual([]);
  });
});
