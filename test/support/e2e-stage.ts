/**
 * What every end-to-end suite checks after a scenario, written once: the answers CloudFormation took, the
 * custom-resource protocol kept by every delivery, and the story of a failure (each request, its answer, the
 * function's log and the service calls) in the assertion's message.
 *
 * A stage is the doubles of one scenario and the custom resources it drives (one stack may hold several).
 */
import { CloudFormationDouble } from './cloudformation-double';
import { CustomResourceUnderTest, Exchange } from './custom-resource-under-test';
import { KinesisVideoDouble, KinesisVideoDoubleOptions } from './kinesis-video-double';
import { ChannelSnapshot } from './kinesis-video-state';
import { invokeLambda, LambdaInvocation, NodeRuntime } from './lambda-process';
import { DeployedFunction, runOnDoubles } from './synthesized-stack';
import { MAX_RESPONSE_BYTES } from '../../lambda/custom-resource/cfn-response';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';

export interface E2eStage {
  readonly kvs: KinesisVideoDouble;
  readonly cfn: CloudFormationDouble;
  readonly resources: ReadonlyArray<CustomResourceUnderTest<LambdaInvocation>>;
}

/** The doubles of one scenario: an account's Kinesis Video control plane, with every transition as long. */
export async function startDoubles(options: { accountId: string; transitionMs: number; kvs?: KinesisVideoDoubleOptions }) {
  const { transitionMs } = options;
  const [kvs, cfn] = await Promise.all([
    KinesisVideoDouble.start({
      accountId: options.accountId,
      transitions: { creatingMs: transitionMs, updatingMs: transitionMs, deletingMs: transitionMs },
      ...options.kvs,
    }),
    CloudFormationDouble.start(),
  ]);
  return { kvs, cfn };
}

/**
 * A signaling channel of a stack, as CloudFormation drives it: each event runs `fn` (the synthesized stack's
 * provider function, its bundle and environment) in a process of its own on `runtime`, against the doubles.
 */
export function channelResource(
  doubles: { kvs: KinesisVideoDouble; cfn: CloudFormationDouble },
  options: {
    fn: DeployedFunction;
    runtime: NodeRuntime;
    stackName: string;
    region: string;
    accountId: string;
    logicalResourceId: string;
    /** A second resource of the same stack. @default a new stack */
    stackId?: string;
    /** The function's timeout for each invocation (read at each one). */
    lambdaTimeoutMs: () => number;
  },
): CustomResourceUnderTest<LambdaInvocation> {
  const { fn, runtime } = options;
  return doubles.cfn.customResource<LambdaInvocation>({
    stackName: options.stackName,
    stackId: options.stackId,
    region: options.region,
    accountId: options.accountId,
    logicalResourceId: options.logicalResourceId,
    resourceType: SIGNALING_CHANNEL_RESOURCE_TYPE,
    serviceToken: fn.arn,
    invoke: event => invokeLambda(runOnDoubles(fn, runtime, doubles, options.lambdaTimeoutMs()), event),
  });
}

/** The answer CloudFormation took for `exchange`, which must have `status`; else a failure with the story. */
export function expectAnswer(s: E2eStage, exchange: Exchange<LambdaInvocation> | undefined, status: 'SUCCESS' | 'FAILED') {
  const response = exchange?.response;
  if (response?.Status !== status) {
    throw new Error(`expected ${exchange?.event.RequestType} to answer ${status}, got ${response?.Status ?? 'no answer'}` +
      `${response?.Reason ? ` (${response.Reason})` : ''}\n${story(s)}`);
  }
  return response;
}

/**
 * Every delivery got exactly one accepted answer, valid and within 4,096 bytes; every invocation ended by
 * returning (never thrown, never timed out); no log holds a response URL's signature (it is a credential).
 */
export function expectProtocolKept(s: E2eStage): void {
  expect(s.cfn.problems()).toEqual([]);
  for (const response of s.cfn.responses) {
    expect(response.bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  }
  const signatures = s.cfn.issuedUrls().map(url => new URL(url).searchParams.get('X-Amz-Signature')!);
  const deliveries = new Map<string, number>();
  for (const exchange of s.resources.flatMap(resource => resource.history)) {
    const key = `${exchange.event.RequestType} ${exchange.event.RequestId}`;
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    expect({ request: key, outcome: exchange.invocation.outcome, error: exchange.invocation.error })
      .toEqual({ request: key, outcome: 'returned', error: undefined });
    for (const signature of signatures) {
      expect(exchange.invocation.logs).not.toContain(signature);
    }
  }
  for (const [key, count] of deliveries) {
    const requestId = key.split(' ')[1];
    expect({ request: key, answers: s.cfn.responsesTo(requestId).filter(r => r.answeredStatus === 200).length })
      .toEqual({ request: key, answers: count });
  }
}

/** What happened in a scenario, for a failure message: each request, its answer, and the function's log. */
export function story(s: E2eStage): string {
  return s.resources.flatMap(resource => resource.history).map(({ event, invocation, response }) => [
    `--- ${event.LogicalResourceId} ${event.RequestType} ${event.PhysicalResourceId ?? ''} -> ${response?.Status ?? 'no answer'} ${response?.Reason ?? ''}`,
    `    invocation: ${invocation.outcome} after ${invocation.durationMs} ms ${invocation.error ?? ''}`,
    ...invocation.logs.trim().split('\n').slice(-40).map(line => `    | ${line.slice(0, 400)}`),
  ].join('\n')).join('\n') + `\n--- service calls:\n${s.kvs.calls.map(c =>
    `    ${c.operation} ${c.errorType ?? c.httpStatus}${c.fault ? ` (${c.fault})` : ''}${c.deniedBy ? ` (denied by ${c.deniedBy})` : ''}`).join('\n')}`;
}

/** The channels once the deletions just started have ended (a Delete does not wait for DELETING to end). */
export async function channelsOnceDeleted(s: Pick<E2eStage, 'kvs'>, transitionMs: number): Promise<ChannelSnapshot[]> {
  await new Promise(resolve => setTimeout(resolve, transitionMs + 100));
  return s.kvs.channels();
}
