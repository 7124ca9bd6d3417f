/**
 * The provider's CloudFormation custom resource handler: one Lambda function per stack for every resource
 * of this library that calls the Kinesis Video API. What a request needs whatever its resource is in
 * custom-resource/ (run-request.ts); each kind of resource is a folder beside it, named in `RESOURCE_KINDS`.
 * (The folder keeps its name: the bundle's asset path is built from it.)
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { ProviderEnvironment, SIGNALING_CHANNEL_RESOURCE_TYPE } from '../../src/handler-shared/handler-contract';
import { STREAM_CONFIGURATION_RESOURCE_TYPE } from '../../src/handler-shared/stream-configuration-rules';
import { systemClock } from '../custom-resource/clock';
import { jsonLogger } from '../custom-resource/logger';
import { ReasonError } from '../custom-resource/reason-error';
import { ResourceKind } from '../custom-resource/resource-kind';
import { HandlerDependencies, runRequest } from '../custom-resource/run-request';
import { signalingChannelKind } from '../signaling-channel/signaling-channel-kind';
import { streamConfigurationKind } from '../stream-configuration/stream-configuration-kind';

export type { HandlerDependencies };

/** Each kind of resource the provider serves, by the CloudFormation resource type the construct writes. */
const RESOURCE_KINDS: Readonly<Record<string, ResourceKind>> = {
  [SIGNALING_CHANNEL_RESOURCE_TYPE]: signalingChannelKind,
  [STREAM_CONFIGURATION_RESOURCE_TYPE]: streamConfigurationKind,
};

let defaultClient: KinesisVideoClient | undefined;

function defaultDependencies(): HandlerDependencies {
  // One client per container; the SDK retries server errors and dropped connections 3 times before we see
  // them (not ClientLimitExceededException, an HTTP 400: KinesisVideoCalls retries that itself, paced).
  defaultClient ??= new KinesisVideoClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
  });
  return { client: defaultClient, clock: systemClock, log: jsonLogger, slotTable: process.env[ProviderEnvironment.CHANNEL_SLOTS] };
}

export async function handler(event: CloudFormationCustomResourceEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> {
  await handleRequest(event, context.getRemainingTimeInMillis(), defaultDependencies());
}

/** The handler with its dependencies injected: what the unit tests drive. */
export async function handleRequest(
  event: CloudFormationCustomResourceEvent,
  remainingTimeMs: number,
  deps: HandlerDependencies,
): Promise<void> {
  await runRequest(event, RESOURCE_KINDS[event.ResourceType] ?? unknownKind(event.ResourceType), remainingTimeMs, deps);
}

/** A resource type this provider does not serve: every request fails, saying which types it serves. */
function unknownKind(resourceType: string): ResourceKind {
  return {
    noResourceIdPrefix: 'no-resource:',
    pluralNoun: 'resources',
    handle: async () => {
      throw new ReasonError(`Unknown ResourceType '${resourceType}': this provider serves ${Object.keys(RESOURCE_KINDS).join(', ')}`);
    },
  };
}
