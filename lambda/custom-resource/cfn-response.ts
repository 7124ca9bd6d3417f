import * as https from 'https';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Clock } from './clock';
import { Logger } from './logger';

/**
 * "The total size of the response body can't exceed 4096 bytes" (CloudFormation's custom resource response
 * reference). The CloudFormation double of the tests refuses a body over it.
 */
export const MAX_RESPONSE_BYTES = 4096;
/** What the handler keeps a body to: clear of CloudFormation's edge. */
export const RESPONSE_BODY_BUDGET_BYTES = 4000;
/** A PhysicalResourceId "can be up to 1 KB in size". */
export const MAX_PHYSICAL_ID_BYTES = 1024;

export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data?: Record<string, string>;
}

/**
 * The response body, under CloudFormation's size limit whatever the Reason: a long Reason (a stack trace, a
 * verbose service message) is cut, with a marker, so the body always fits.
 */
export function renderResponse(
  event: CloudFormationCustomResourceEvent,
  outcome: { status: 'SUCCESS' | 'FAILED'; physicalResourceId: string; reason?: string; data?: Record<string, string> },
): string {
  const response: CfnResponse = {
    Status: outcome.status,
    Reason: outcome.reason,
    PhysicalResourceId: truncateBytes(outcome.physicalResourceId, MAX_PHYSICAL_ID_BYTES),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: outcome.data,
  };
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body) <= RESPONSE_BODY_BUDGET_BYTES || outcome.reason === undefined) {
    return body;
  }
  // Cut the Reason by what the whole body is over, plus room for JSON escaping of what remains.
  const withoutReason = Buffer.byteLength(JSON.stringify({ ...response, Reason: '' }));
  const marker = ' [truncated: see the function logs]';
  let room = RESPONSE_BODY_BUDGET_BYTES - withoutReason - Buffer.byteLength(marker);
  let reason = outcome.reason;
  do {
    reason = truncateBytes(outcome.reason, room) + marker;
    room -= 64;
  } while (Buffer.byteLength(JSON.stringify({ ...response, Reason: reason })) > RESPONSE_BODY_BUDGET_BYTES && room > 0);
  return JSON.stringify({ ...response, Reason: reason });
}

function truncateBytes(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value) <= maxBytes) return value;
  let cut = value.slice(0, Math.max(0, maxBytes));
  while (Buffer.byteLength(cut) > maxBytes) cut = cut.slice(0, -1);
  return cut;
}

/** How often the PUT is tried before giving up, and how long one attempt may take at most. */
const PUT_ATTEMPTS = 6;
const PUT_ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * PUT the body to the pre-signed ResponseURL, retrying failures with backoff until `until` (epoch ms). The
 * URL is a credential: it is never logged.
 */
export async function sendResponse(
  responseUrl: string,
  body: string,
  options: { clock: Clock; log: Logger; until: number; put?: (url: string, body: string, timeoutMs: number) => Promise<number> },
): Promise<boolean> {
  const put = options.put ?? httpsPut;
  for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
    // Every attempt ends by `until`, however the connection behaves.
    const timeoutMs = Math.min(PUT_ATTEMPT_TIMEOUT_MS, options.until - options.clock.now());
    if (timeoutMs <= 0) break;
    try {
      const status = await put(responseUrl, body, timeoutMs);
      if (status >= 200 && status < 300) {
        options.log('INFO', 'answered CloudFormation', { attempt, bytes: Buffer.byteLength(body) });
        return true;
      }
      options.log('WARN', 'CloudFormation refused the response', { attempt, httpStatus: status });
    } catch (error) {
      options.log('WARN', 'could not reach CloudFormation', { attempt, error: (error as Error).name, code: (error as { code?: string }).code });
    }
    const delay = Math.min(4_000, 200 * 2 ** attempt) * (0.5 + 0.5 * options.clock.random());
    if (options.clock.now() + delay >= options.until) break;
    await options.clock.sleep(delay);
  }
  options.log('ERROR', 'gave up answering CloudFormation');
  return false;
}

function httpsPut(responseUrl: string, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(responseUrl, {
      method: 'PUT',
      // The pre-signed URL is signed for an empty content type.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, response => {
      response.resume();
      response.on('end', () => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
      });
      response.on('error', reject);
    });
    // A whole-request timer, not a socket idle timeout: a trickling connection cannot hold the answer.
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('response PUT timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    request.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
