/**
 * Shared pieces of the handler's unit tests: CloudFormation events as CloudFormation sends them (every
 * scalar a string), a clock that advances only when the handler sleeps, and a captured response.
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CfnResponse } from '../../lambda/custom-resource/cfn-response';
import { Clock } from '../../lambda/custom-resource/clock';
import { handleRequest } from '../../lambda/signaling-channel-handler/index';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/DoorbellStack/4f2c1a50-0000-11ef-a1b2-0a1b2c3d4e5f';
export const REQUEST_ID = 'e2a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5b';
export const CHANNEL_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:channel/garage-camera/1700000000000';

export function channelArn(name: string, createdAt = 1700000000000): string {
  return `arn:aws:kinesisvideo:us-east-1:123456789012:channel/${name}/${createdAt}`;
}

const common = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/secret-signature',
  StackId: STACK_ID,
  RequestId: REQUEST_ID,
  LogicalResourceId: 'Garage4A49DB4E',
  ResourceType: 'Custom::KinesisVideoSignalingChannel',
};

type Props = Record<string, unknown>;

export function createEvent(props: Props, overrides: Partial<CloudFormationCustomResourceEvent> = {}): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Create', ResourceProperties: { ServiceToken: common.ServiceToken, ...props }, ...overrides } as CloudFormationCustomResourceEvent;
}

export function updateEvent(physicalResourceId: string, props: Props, oldProps: Props): CloudFormationCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: common.ServiceToken, ...props },
    OldResourceProperties: { ServiceToken: common.ServiceToken, ...oldProps },
  } as CloudFormationCustomResourceEvent;
}

export function deleteEvent(physicalResourceId: string, props: Props = {}): CloudFormationCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Delete',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: common.ServiceToken, ...props },
  } as CloudFormationCustomResourceEvent;
}

/** A clock that moves only when the handler sleeps, so retries and deadlines run instantly. */
export class FakeClock implements Clock {
  public time = 1_700_000_000_000;
  public readonly sleeps: number[] = [];
  /** What `random()` answers: 0.5 by default, 0 for the shortest jittered delays. */
  public randomValue = 0.5;
  public now(): number {
    return this.time;
  }
  public async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
  public random(): number {
    return this.randomValue;
  }
}

export interface Invocation {
  readonly response: CfnResponse;
  readonly body: string;
  readonly puts: number;
  readonly logs: string[];
  readonly clock: FakeClock;
}

/** Run the handler on one event and return what it answered CloudFormation. */
export async function invoke(
  event: CloudFormationCustomResourceEvent,
  options: {
    remainingTimeMs?: number;
    clock?: FakeClock;
    put?: (url: string, body: string, timeoutMs: number) => Promise<number>;
    /** The stack's slot table, as the function's environment holds it. */
    slotTable?: string;
  } = {},
): Promise<Invocation> {
  const clock = options.clock ?? new FakeClock();
  const bodies: string[] = [];
  const logs: string[] = [];
  let puts = 0;
  await handleRequest(event, options.remainingTimeMs ?? 300_000, {
    client: new KinesisVideoClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    clock,
    log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
    put: async (url, body, timeoutMs) => {
      puts++;
      const status = options.put ? await options.put(url, body, timeoutMs) : 200;
      if (status === 200) bodies.push(body);
      return status;
    },
    slotTable: options.slotTable,
  });
  if (bodies.length !== 1) {
    throw new Error(`expected exactly one accepted response, got ${bodies.length}`);
  }
  return { response: JSON.parse(bodies[0]) as CfnResponse, body: bodies[0], puts, logs, clock };
}
