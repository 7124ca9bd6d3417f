/**
 * One CloudFormation request to the provider, whatever the kind of resource: work out the deadline, pace
 * the request with the rest of its stack, do it (the kind's `handle`), and always answer CloudFormation,
 * whatever happened, before Lambda's timeout.
 */
import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { renderResponse, sendResponse } from './cfn-response';
import { Clock, systemClock } from './clock';
import { Deadline, DeadlineExceededError } from './deadline';
import { KinesisVideoCalls } from './kinesis-video-calls';
import { Logger } from './logger';
import { Pacer } from './pacing';
import { ReasonError } from './reason-error';
import { answerDeadlineOf, serviceTimeoutSecondsOf, signedAtOf } from './request-age';
import { RequestProgress, ResourceKind } from './resource-kind';
import { slotOf } from '../../src/handler-shared/channel-slots';

/**
 * Time kept back from Lambda's remaining time, after the work's deadline: a last look (did a failed create
 * make its resource?) and the response PUT with its retries. At most 30 s; a quarter of short budgets.
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

/** Do `event` as `kind` says, within `remainingTimeMs` and CloudFormation's wait, and answer CloudFormation. */
export async function runRequest(
  event: CloudFormationCustomResourceEvent,
  kind: ResourceKind,
  remainingTimeMs: number,
  deps: HandlerDependencies,
): Promise<void> {
  const { clock, log } = deps;
  const startedAt = clock.now();
  // Whichever ends first: Lambda's timeout, or CloudFormation's wait for this request (request-age.ts).
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
    // did now would be answered to nobody, and a resource it made would belong to no stack. Do nothing; the
    // answer below is sent for the record, and ignored.
    log('WARN', 'CloudFormation has given up on this request: doing nothing', { signedAt, answerDeadline });
    body = renderResponse(event, {
      status: 'FAILED',
      physicalResourceId: failedPhysicalResourceId(event, kind, progress),
      reason: `The request waited in Lambda's queue until CloudFormation's ServiceTimeout (signed at ${new Date(signedAt ?? 0).toISOString()}) ` +
        `had passed: nothing was done. Raise the account's Lambda concurrency, or deploy fewer ${kind.pluralNoun} per stack.`,
    });
    await sendResponse(event.ResponseURL, body, { clock, log, until: startedAt + Math.max(0, remainingTimeMs - 1_000), put: deps.put });
    return;
  }
  try {
    const calls = new KinesisVideoCalls(deps.client, deadline, log, pacer);
    const outcome = await stopWaitingAfter(
      kind.handle(event, { calls, log, progress, lastLookMs, now: () => clock.now() }),
      deadline.remainingMs() + lastLookMs, clock);
    body = renderResponse(event, { status: 'SUCCESS', physicalResourceId: outcome.physicalResourceId, data: outcome.data });
  } catch (error) {
    log('ERROR', 'request failed', { error: errorDetails(error) });
    body = renderResponse(event, {
      status: 'FAILED',
      physicalResourceId: failedPhysicalResourceId(event, kind, progress),
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
 * The id a FAILED answer carries. Create: the resource's id if it exists (so the Delete that follows
 * removes it), else an id the Delete recognises as "no resource". Update and Delete: the id they were given.
 */
function failedPhysicalResourceId(event: CloudFormationCustomResourceEvent, kind: ResourceKind, progress: RequestProgress): string {
  if (event.RequestType === 'Create') {
    return progress.createdPhysicalResourceId ?? `${kind.noResourceIdPrefix}${event.RequestId}`;
  }
  return event.PhysicalResourceId;
}

function reasonFor(error: unknown): string {
  if (error instanceof ReasonError) {
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
 * The work checks the deadline before every wait and aborts SDK calls at it; this is the last line: if
 * anything still runs `limitMs` from now, stop waiting for it and answer. Real time only: tests that inject
 * a clock drive time through the work's own checks.
 */
async function stopWaitingAfter<T>(work: Promise<T>, limitMs: number, clock: Clock): Promise<T> {
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
