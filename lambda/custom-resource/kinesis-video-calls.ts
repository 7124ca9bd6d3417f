import { KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { RETRY_BACKOFF } from './clock';
import { Deadline } from './deadline';
import { Logger } from './logger';
import { Pacer } from './pacing';
import { ReasonError } from './reason-error';

/**
 * How many times AccessDenied is retried: right after a deployment it can be IAM propagating the role's new
 * policy. Five retries back off for about 6-12 seconds in all.
 */
export const ACCESS_DENIED_RETRIES = 5;

/** The service's answer to a caller over a quota. */
const THROTTLING_ERRORS = new Set(['ClientLimitExceededException', 'ThrottlingException', 'TooManyRequestsException']);

/** Errors that go away by themselves: throttling, faults of the service and of the network. */
const ALWAYS_RETRIED = new Set([
  ...THROTTLING_ERRORS,
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

export function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? 'Error';
}

/** The service's error name behind a ServiceCallError (`ResourceInUseException`...), else the error's own. */
export function serviceErrorName(error: unknown): string {
  return errorName(error instanceof ServiceCallError ? error.cause : error);
}

function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (ALWAYS_RETRIED.has(e?.name ?? '')) return true;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (e?.code && NETWORK_ERROR_CODES.has(e.code)) return true;
  return e?.$retryable !== undefined || /socket hang up|ECONNRESET|EPIPE/.test(String((error as Error)?.message));
}

/** A call the service refused for good; its message names the operation, the IAM action and the cause. */
export class ServiceCallError extends ReasonError {
  constructor(public readonly operation: string, public readonly cause: unknown, detail: string) {
    super(`${operation} failed: ${detail}`);
    this.name = 'ServiceCallError';
  }
}

/**
 * How the handler calls Kinesis Video, whatever the resource: paced with the rest of the stack (pacing.ts)
 * and each call retried within the deadline: throttling and transient faults always, AccessDenied briefly
 * (IAM propagation). Domain errors (ResourceInUse, VersionMismatch, ResourceNotFound) go to the caller, which
 * knows what they mean for its step.
 */
export class KinesisVideoCalls {
  constructor(
    public readonly client: KinesisVideoClient,
    private readonly bound: Deadline,
    public readonly log: Logger,
    public readonly pacer: Pacer,
  ) {}

  /** The same calls, bounded by another deadline (an earlier one, or a grace period after it). */
  public withDeadline(deadline: Deadline): KinesisVideoCalls {
    return new KinesisVideoCalls(this.client, deadline, this.log, this.pacer);
  }

  public get deadline(): Deadline {
    return this.bound;
  }

  public async call<T>(operation: string, resource: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.pacer.untilSlot(this.bound);
    let accessDenied: unknown;
    let throttles = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(this.bound.signal());
      } catch (error) {
        const name = errorName(error);
        const retry = isTransient(error) || (name === 'AccessDeniedException' && attempt < ACCESS_DENIED_RETRIES);
        if (!retry || this.bound.expired()) {
          // A missing permission says more than a call cut off at the deadline while retrying it: name it.
          throw this.explain(operation, resource, name === 'AbortError' && accessDenied !== undefined ? accessDenied : error);
        }
        if (name === 'AccessDeniedException') {
          accessDenied = error;
        }
        this.log('WARN', 'retrying', { operation, error: name, attempt });
        try {
          if (THROTTLING_ERRORS.has(name)) {
            // The quota is shared: give up this share, come back at this channel's slot of a later cycle.
            await this.pacer.untilRetryAfterThrottle(this.bound, ++throttles, `retrying ${operation} on ${resource} after ${name}`);
          } else {
            await this.bound.backoff(RETRY_BACKOFF, attempt, `retrying ${operation} on ${resource} after ${name}`);
          }
        } catch (deadlineError) {
          this.log('ERROR', 'gave up retrying at the deadline', { operation, error: name });
          // A missing permission says more than "timed out": name it.
          throw name === 'AccessDeniedException' ? this.explain(operation, resource, error) : deadlineError;
        }
      }
    }
  }

  /** Back off before trying a step again (a busy or changed channel), or throw at the deadline. */
  public async pause(attempt: number, what: string): Promise<void> {
    await this.bound.backoff(RETRY_BACKOFF, attempt, what);
  }

  private explain(operation: string, resource: string, error: unknown): Error {
    const name = errorName(error);
    const message = (error as Error)?.message ?? String(error);
    if (name === 'AccessDeniedException') {
      return new ServiceCallError(operation, error,
        `access denied. The handler's role needs kinesisvideo:${operation} on ${resource}; right after a ` +
        `deployment IAM may still be propagating, so retry it. The service said: ${message}`);
    }
    if (name === 'AbortError') {
      return new ServiceCallError(operation, error, `no answer from the service before the handler's deadline (${resource})`);
    }
    return new ServiceCallError(operation, error, `${name}: ${message} (${resource})`);
  }
}
