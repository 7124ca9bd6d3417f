/**
 * CloudFormation custom resource handler for Kinesis Video Streams WebRTC signaling channels.
 *
 * A small async handler: work out the deadline, do the request (channel-lifecycle.ts), and always answer
 * CloudFormation (cfn-response.ts), whatever happened, before Lambda's timeout.
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { renderResponse, sendResponse } from './cfn-response';
import { ChannelRequestError, handleChannelEvent, RequestProgress } from './channel-lifecycle';
import { InvalidPropertyError } from './channel-properties';
import { ChannelService, ServiceCallError } from './channel-service';
import { Clock, Deadline, DeadlineExceededError, systemClock } from './clock';
import { jsonLogger, Logger } from './logger';
import { Pacer } from './pacing';
import { answerDeadlineOf, serviceTimeoutSecondsOf, signedAtOf } from './request-age';
import { slotOf } from '../../src/handler-shared/channel-slots';
import { NO_CHANNEL_ID_PREFIX, ProviderEnvironment } from '../../src/handler-shared/handler-contract';

/**
 * Time kept back from Lambda's remaining time, after the work's deadline: a last look (did a failed create
 * make its channel?) and the response PUT with its retries. At most 30 s; a quarter of short budgets.
 */
const MAX_SAFETY_MARGIN_MS = 30_000;
const SAFETY_MARGIN_FRACTION = 0.25;
/** The last look takes at most a third of the margin, 5 s at most; the PUT gets the rest. */
const MAX_LAST_LOOK_MS = 5_000;
/** Less time than this before CloudFormation stops waiting: too little to do anything and answer. */
const MIN_BUDGET_MS = 10_000;

export interface HandlerDependencies {
  readonly client: KinesisVideoClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly put?: (url: string, body: string, timeoutMs: number) => Promise<number>;
  /** The stack's slot table (channel-slots.ts). @default - none: the request is paced as the only one */
  readonly slotTable?: string;
}

let defaultClient: KinesisVideoClient | undefined;

function defaultDependencies(): HandlerDependencies {
  // One client per container; the SDK retries server errors and dropped connections 3 times before we see
  // them (not ClientLimitExceededException, an HTTP 400: ChannelService retries that itself, paced).
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
  const { clock, log } = deps;
  const startedAt = clock.now();
  // Whichever ends first: Lambda's timeout, or CloudFormation's wait for this request (an event that waited
  // in Lambda's queue has less of it left).
  const signedAt = signedAtOf(event.ResponseURL);
  const answerDeadline = signedAt === undefined ? Infinity : answerDeadlineOf(signedAt, serviceTimeoutSecondsOf(event.ResourceProperties));
  const budgetMs = Math.min(remainingTimeMs, answerDeadline - startedAt);
  const lambdaEndsAt = startedAt + budgetMs;
  const margin = Math.min(MAX_SAFETY_MARGIN_MS, Math.max(0, budgetMs) * SAFETY_MARGIN_FRACTION);
  const lastLookMs = Math.min(MAX_LAST_LOOK_MS, margin / 3);
  const deadline = new Deadline(clock, lambdaEndsAt - margin);
  const pacer = new Pacer(clock, slotOf(deps.slotTable, event.LogicalResourceId), signedAt);
  const { ResponseURL: _responseUrl, ...loggable } = event;
  log('INFO', 'request', { event: loggable, deadlineInMs: deadline.remainingMs(), slot: pacer.slot, signedAt });

  const progress: RequestProgress = {};
  let body: string;
  if (answerDeadline - startedAt < MIN_BUDGET_MS) {
    // CloudFormation has given up on this request (or will before any answer could reach it): whatever it
    // did now would be answered to nobody, and a channel it made would belong to no stack. Do nothing; the
    // answer below is sent for the record, and ignored.
    log('WARN', 'CloudFormation has given up on this request: doing nothing', { signedAt, answerDeadline });
    body = renderResponse(event, {
      status: 'FAILED',
      physicalResourceId: event.RequestType === 'Create' ? `${NO_CHANNEL_ID_PREFIX}${event.RequestId}` : event.PhysicalResourceId,
      reason: `The request waited in Lambda's queue until CloudFormation's ServiceTimeout (signed at ${new Date(signedAt ?? 0).toISOString()}) ` +
        'had passed: nothing was done. Raise the account\'s Lambda concurrency, or deploy fewer channels per stack.',
    });
    await sendResponse(event.ResponseURL, body, { clock, log, until: startedAt + Math.max(0, remainingTimeMs - 1_000), put: deps.put });
    return;
  }
  try {
    const service = new ChannelService(deps.client, deadline, log, pacer);
    const outcome = await withDeadline(
      handleChannelEvent(event, { service, log, progress, lastLookMs, now: () => clock.now() }),
      deadline.remainingMs() + lastLookMs, clock);
    body = renderResponse(event, { status: 'SUCCESS', physicalResourceId: outcome.physicalResourceId, data: outcome.data });
  } catch (error) {
    log('ERROR', 'request failed', { error: errorDetails(error) });
    body = renderResponse(event, {
      status: 'FAILED',
      physicalResourceId: failedPhysicalResourceId(event, progress),
      reason: reasonFor(error),
    });
  } finally {
    // Whatever still runs (only after the last-line timer below fired) stops at its next step: nothing may
    // go on in a container that Lambda freezes and may reuse.
    deadline.cancel();
  }
  // Keep a little of Lambda's own time: a PUT still being retried at the timeout would be lost anyway.
  await sendResponse(event.ResponseURL, body, { clock, log, until: lambdaEndsAt - Math.min(1_000, margin / 10), put: deps.put });
}

/**
 * The id a FAILED answer carries. Create: the channel's ARN if it exists (so the Delete that follows
 * removes it), else an id the Delete recognises as "no channel". Update and Delete: the id they were given.
 */
function failedPhysicalResourceId(event: CloudFormationCustomResourceEvent, progress: RequestProgress): string {
  if (event.RequestType === 'Create') {
    return progress.createdChannelArn ?? `${NO_CHANNEL_ID_PREFIX}${event.RequestId}`;
  }
  return event.PhysicalResourceId;
}

function reasonFor(error: unknown): string {
  if (error instanceof ChannelRequestError || error instanceof InvalidPropertyError
    || error instanceof ServiceCallError || error instanceof DeadlineExceededError) {
    return error.message;
  }
  // Unexpected: the message, not the stack trace (that is in the log).
  return `Unexpected error: ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
}

function errorDetails(error: unknown): Record<string, unknown> {
  const e = error as Error;
  return { name: e?.name, message: e?.message, stack: e?.stack };
}

/**
 * The lifecycle checks the deadline before every wait and aborts SDK calls at it; this is the last line:
 * if anything still runs `limitMs` from now, stop waiting for it and answer. Real time only: tests that
 * inject a clock drive time through the lifecycle's own checks.
 */
async function withDeadline<T>(work: Promise<T>, limitMs: number, clock: Clock): Promise<T> {
  if (clock !== systemClock) {
    return work;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError('waiting for the request to finish')), limitMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
