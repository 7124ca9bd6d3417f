/**
 * The one deadline a request's work runs to: every wait refuses to pass it and every SDK call is aborted at
 * it, so the handler always has time left to answer CloudFormation.
 */
import { backoffMs, BackoffPolicy, Clock } from './clock';
import { ReasonError } from './reason-error';

/** Thrown when the next wait would pass the handler's deadline. */
export class DeadlineExceededError extends ReasonError {
  constructor(what: string) {
    super(`Timed out ${what}: the handler answers before its Lambda timeout so the stack is not left waiting`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Waits bounded by one deadline: every sleep refuses to run past it, and every SDK call is aborted at it.
 * `cancel()` stops the work at its next step (the handler has answered; nothing may run on afterwards).
 */
export class Deadline {
  private readonly cancellation: AbortController;

  constructor(private readonly clock: Clock, public readonly at: number, cancellation?: AbortController) {
    this.cancellation = cancellation ?? new AbortController();
  }

  /** The same work, ending `ms` earlier: what a step that must leave time for another gets. */
  public earlier(ms: number): Deadline {
    return new Deadline(this.clock, this.at - ms, this.cancellation);
  }

  /** A short extension from now, for a last look after the deadline passed (what to answer with). */
  public grace(ms: number): Deadline {
    return new Deadline(this.clock, this.clock.now() + ms, this.cancellation);
  }

  public cancel(): void {
    this.cancellation.abort();
  }

  public remainingMs(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  public expired(): boolean {
    return this.cancellation.signal.aborted || this.clock.now() >= this.at;
  }

  /** Sleep the attempt-th backoff delay, or throw if it would end past the deadline. */
  public async backoff(policy: BackoffPolicy, attempt: number, what: string): Promise<void> {
    await this.sleep(backoffMs(policy, attempt, this.clock.random()), what);
  }

  /** Sleep `ms`, or throw if that would end past the deadline. */
  public async sleep(ms: number, what: string): Promise<void> {
    if (this.cancellation.signal.aborted || this.clock.now() + ms >= this.at) {
      throw new DeadlineExceededError(what);
    }
    await this.clock.sleep(ms);
  }

  /** A signal that aborts an SDK call still running at the deadline, or when the work is cancelled. */
  public signal(): AbortSignal {
    return AbortSignal.any([
      AbortSignal.timeout(Math.max(1, Math.ceil(this.remainingMs()))),
      this.cancellation.signal,
    ]);
  }
}
