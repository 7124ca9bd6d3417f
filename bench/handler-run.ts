/**
 * Running the bundled handler as Lambda would, against the local doubles, and timing it: a fresh Node.js
 * process per event (test/support/lambda-process.ts), Kinesis Video answered by the local double
 * (test/support/kinesis-video-double.ts), the response PUT received by the CloudFormation double
 * (test/support/cloudformation-double.ts).
 */
import { ASSET_DIR } from './asset';
import { ACCOUNT, REGION } from './synth';
import { SIGNALING_CHANNEL_RESOURCE_TYPE } from '../src/handler-shared/handler-contract';
import { CloudFormationDouble, CustomResourceEvent } from '../test/support/cloudformation-double';
import { CustomResourceUnderTest } from '../test/support/custom-resource-under-test';
import { KinesisVideoDouble, KinesisVideoDoubleOptions, RecordedCall } from '../test/support/kinesis-video-double';
import { invokeLambda, LambdaInvocation, NodeRuntime } from '../test/support/lambda-process';

/** The function's timeout, as the provider declares it. */
const FUNCTION_TIMEOUT_MS = 5 * 60_000;

/** One event delivered to the handler, timed. */
export interface TimedInvocation {
  readonly invocation: LambdaInvocation;
  /** Epoch ms when the event was handed to Lambda (the process is spawned). */
  readonly eventAt: number;
  /** Epoch ms when the CloudFormation double received the first response PUT, if any came. */
  readonly respondedAt?: number;
  /** The Kinesis Video calls the handler made for this event. */
  readonly calls: RecordedCall[];
}

export class HandlerBench {
  public static async start(kinesisVideo: KinesisVideoDoubleOptions): Promise<HandlerBench> {
    const [kvs, cfn] = await Promise.all([KinesisVideoDouble.start(kinesisVideo), CloudFormationDouble.start()]);
    return new HandlerBench(kvs, cfn);
  }

  private constructor(public readonly kvs: KinesisVideoDouble, public readonly cfn: CloudFormationDouble) {}

  /** A custom resource of one stack (a channel unless `resourceType` says), every event run by the bundled handler on `runtime`. */
  public resource(
    logicalResourceId: string, runtime: NodeRuntime, resourceType = SIGNALING_CHANNEL_RESOURCE_TYPE,
  ): CustomResourceUnderTest<TimedInvocation> {
    return this.cfn.customResource({
      stackName: 'BenchStack',
      logicalResourceId,
      resourceType,
      serviceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:signaling-channel-handler`,
      invoke: event => this.invoke(event, runtime),
    });
  }

  public async stop(): Promise<void> {
    await Promise.all([this.kvs.stop(), this.cfn.stop()]);
  }

  private async invoke(event: CustomResourceEvent, runtime: NodeRuntime): Promise<TimedInvocation> {
    const callsBefore = this.kvs.calls.length;
    const response = this.whenResponded(event.RequestId);
    const eventAt = Date.now();
    const invocation = await invokeLambda({
      assetDir: ASSET_DIR,
      handler: 'index.handler',
      runtime,
      timeoutMs: FUNCTION_TIMEOUT_MS,
      region: REGION,
      environment: {
        AWS_ENDPOINT_URL_KINESIS_VIDEO: this.kvs.endpoint,
        NODE_EXTRA_CA_CERTS: this.cfn.caCertPath,
      },
    }, event);
    const respondedAt = response.stop();
    return { invocation, eventAt, respondedAt, calls: this.kvs.calls.slice(callsBefore) };
  }

  /**
   * Note when the first response to `requestId` arrives. The double keeps no arrival time, so look every
   * millisecond: its server runs in this process, and the check costs next to nothing.
   */
  private whenResponded(requestId: string): { stop(): number | undefined } {
    let respondedAt: number | undefined;
    const timer = setInterval(() => {
      if (respondedAt === undefined && this.cfn.responsesTo(requestId).length > 0) respondedAt = Date.now();
    }, 1);
    return {
      stop: () => {
        clearInterval(timer);
        if (respondedAt === undefined && this.cfn.responsesTo(requestId).length > 0) respondedAt = Date.now();
        return respondedAt;
      },
    };
  }
}

/** A description of an invocation that did not answer SUCCESS, for an error message. */
export function describeFailure(what: string, timed: TimedInvocation, status: string | undefined, reason?: string): string {
  return `${what}: the handler answered ${status ?? 'nothing'}${reason ? ` (${reason})` : ''}; ` +
    `invocation ${timed.invocation.outcome}${timed.invocation.error ? `: ${timed.invocation.error}` : ''}; ` +
    `last log lines: ${timed.invocation.logs.trim().split('\n').slice(-3).join(' | ')}`;
}

/** How many calls of each operation an invocation made. */
export function callsByOperation(timed: TimedInvocation): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of timed.calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}
