/**
 * Lambda's asynchronous invocation, as CloudFormation uses it: events go into the function's queue, and
 * Lambda runs them as the function's concurrency allows.
 *
 * What it plays, and why the tests need it: in an account whose Lambda concurrency is low (say 10) a stack
 * of hundreds of channels cannot have all its requests running at once; the rest wait in the queue, while
 * CloudFormation's clock (the ServiceTimeout, counted from when it signed each event) runs. So:
 *
 * - at most `concurrency` invocations run at once (the function's reserved concurrency, or what is left of
 *   the account's); further events wait, first in first out;
 * - an event older than the maximum event age when its turn comes (age counted from when it was queued) is
 *   dropped, never invoked, and reported, as Lambda discards it;
 * - an invocation that ends in a function error (the handler threw, timed out or crashed) is retried, up to
 *   the maximum retry attempts, after Lambda's waits (1 minute, then 2), going back into the queue;
 * - the settings come from the template's `AWS::Lambda::EventInvokeConfig` for the function
 *   (`asyncInvokeSettings`), else Lambda's defaults (6 hours, 2 retries).
 *
 * What it leaves out: Lambda's queue is not strictly ordered, and its throttled retries back off; here the
 * wait is the plain FIFO the test can reason about. Delivering an event more than once (which Lambda may do
 * even without an error) is a test's own business: it calls `invoke` again.
 *
 *   const queue = new LambdaAsyncQueue(event => fleet.invoke(event), { concurrency: 10, ...asyncInvokeSettings(stack, fn) });
 *   const delivery = await queue.invoke(event);   // delivery.outcome: 'succeeded' | 'failed' | 'expired'
 *   queue.expired(), queue.peakRunning, queue.maxWaitMs
 */
import type { DeployedFunction, SynthesizedStack } from './synthesized-stack';

/** How Lambda treats the function's asynchronous events. */
export interface AsyncInvokeSettings {
  /** MaximumEventAgeInSeconds: an event older than this when its turn comes is dropped. */
  readonly maxEventAgeSeconds: number;
  /** MaximumRetryAttempts: how many times an invocation that failed is run again. */
  readonly maxRetryAttempts: number;
}

/** Lambda's defaults, for a function with no EventInvokeConfig: 6 hours, 2 retries. */
export const LAMBDA_ASYNC_DEFAULTS: AsyncInvokeSettings = { maxEventAgeSeconds: 6 * 3600, maxRetryAttempts: 2 };

/** Lambda's waits before the first and the second retry of a failed asynchronous invocation. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/**
 * The settings Lambda applies to the function's asynchronous events: those of the template's
 * `AWS::Lambda::EventInvokeConfig` for the function's unqualified ARN ($LATEST, what a ServiceToken of
 * `Fn::GetAtt [fn, Arn]` invokes), each setting it leaves out at Lambda's default.
 */
export function asyncInvokeSettings(stack: Pick<SynthesizedStack, 'template'>, fn: Pick<DeployedFunction, 'logicalId'>): AsyncInvokeSettings {
  const configs = Object.values(stack.template.Resources).filter(resource => resource.Type === 'AWS::Lambda::EventInvokeConfig'
    && JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ Ref: fn.logicalId })
    && (resource.Properties?.Qualifier ?? '$LATEST') === '$LATEST');
  if (configs.length > 1) throw new Error(`${configs.length} EventInvokeConfigs for ${fn.logicalId} $LATEST: CloudFormation would refuse the second`);
  const properties = configs[0]?.Properties ?? {};
  return {
    maxEventAgeSeconds: Number(properties.MaximumEventAgeInSeconds ?? LAMBDA_ASYNC_DEFAULTS.maxEventAgeSeconds),
    maxRetryAttempts: Number(properties.MaximumRetryAttempts ?? LAMBDA_ASYNC_DEFAULTS.maxRetryAttempts),
  };
}

export interface AsyncQueueOptions<R> extends Partial<AsyncInvokeSettings> {
  /** The most invocations running at once. @default Infinity (no limit: every event starts when queued) */
  readonly concurrency?: number;
  /** The waits before each retry; the last one repeats. @default LAMBDA_RETRY_DELAYS_MS */
  readonly retryDelaysMs?: readonly number[];
  /**
   * Whether an invocation ended in a function error, which Lambda retries.
   * @default - its `outcome` is anything but 'returned' (LambdaInvocation, FleetInvocation)
   */
  readonly isFunctionError?: (result: R) => boolean;
}

/** One run of the function for a queued event. */
export interface AsyncAttempt<R> {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: R;
}

/** What became of one queued event. */
export interface AsyncDelivery<E, R> {
  readonly event: E;
  /** Epoch milliseconds when it entered the queue: its age counts from here. */
  readonly queuedAt: number;
  /** Every run, in order; empty when it expired before its first turn. */
  readonly attempts: Array<AsyncAttempt<R>>;
  /**
   * - 'succeeded': a run ended without a function error;
   * - 'failed': every run ended in a function error, and no retry is left;
   * - 'expired': dropped at its turn, older than the maximum event age: that turn never ran.
   */
  readonly outcome: 'succeeded' | 'failed' | 'expired';
  /** How long it waited in the queue before its first run (or before it was dropped). */
  readonly waitedMs: number;
  /** Epoch milliseconds when it was settled (its last run ended, or it was dropped). */
  readonly settledAt: number;
}

interface Queued<E, R> {
  readonly event: E;
  readonly queuedAt: number;
  readonly attempts: Array<AsyncAttempt<R>>;
  firstTurnAt?: number;
  readonly settle: (delivery: AsyncDelivery<E, R>) => void;
  /** The invoker itself failed (the test's machinery, not the function): the test should see it. */
  readonly fail: (error: unknown) => void;
}

export class LambdaAsyncQueue<E, R> {
  /** Every event settled so far, in the order they settled. */
  public readonly deliveries: Array<AsyncDelivery<E, R>> = [];
  /** Invocations running now. */
  public running = 0;
  public readonly concurrency: number;
  public readonly settings: AsyncInvokeSettings;
  private readonly waiting: Array<Queued<E, R>> = [];
  private peak = 0;
  private readonly retryDelaysMs: readonly number[];
  private readonly isFunctionError: (result: R) => boolean;

  constructor(private readonly invoker: (event: E) => Promise<R>, options: AsyncQueueOptions<R> = {}) {
    this.concurrency = options.concurrency ?? Infinity;
    if (!(this.concurrency >= 1)) throw new Error(`concurrency must be at least 1, got ${this.concurrency}`);
    this.settings = {
      maxEventAgeSeconds: options.maxEventAgeSeconds ?? LAMBDA_ASYNC_DEFAULTS.maxEventAgeSeconds,
      maxRetryAttempts: options.maxRetryAttempts ?? LAMBDA_ASYNC_DEFAULTS.maxRetryAttempts,
    };
    this.retryDelaysMs = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
    this.isFunctionError = options.isFunctionError ?? (result => (result as { outcome?: unknown }).outcome !== 'returned');
  }

  /**
   * Queue `event` (Lambda's `InvocationType: Event`) and resolve when it is settled: run until a run ends
   * without a function error or no retry is left, or dropped. `queuedAt` queues it as if it had entered the
   * queue earlier, as an event that has already waited.
   */
  public invoke(event: E, options: { queuedAt?: number } = {}): Promise<AsyncDelivery<E, R>> {
    return new Promise((settle, fail) => {
      this.waiting.push({ event, queuedAt: options.queuedAt ?? Date.now(), attempts: [], settle, fail });
      this.dispatch();
    });
  }

  /** The most invocations that ran at once since the queue started, or since `resetPeak()`. */
  public get peakRunning(): number {
    return this.peak;
  }

  /** Start measuring the peak afresh (e.g. for a new phase of a deployment) from what runs now. */
  public resetPeak(): void {
    this.peak = this.running;
  }

  /** Events waiting for their turn now. */
  public get waitingCount(): number {
    return this.waiting.length;
  }

  /** The events dropped unrun (or not run again) because they were too old at their turn. */
  public expired(): Array<AsyncDelivery<E, R>> {
    return this.deliveries.filter(delivery => delivery.outcome === 'expired');
  }

  /** The longest any settled event waited before its first run. */
  public get maxWaitMs(): number {
    return Math.max(0, ...this.deliveries.map(delivery => delivery.waitedMs));
  }

  /** Start waiting events while a run is free; drop the ones too old when their turn comes. */
  private dispatch(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const now = Date.now();
      next.firstTurnAt ??= now;
      if (now - next.queuedAt > this.settings.maxEventAgeSeconds * 1000) {
        this.settle(next, 'expired', now);
        continue;
      }
      void this.run(next, now);
    }
  }

  private async run(queued: Queued<E, R>, startedAt: number): Promise<void> {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    let result: R;
    try {
      result = await this.invoker(queued.event);
    } catch (error) {
      queued.fail(error);
      return;
    } finally {
      this.running--;
      // The run is free again, for whatever waits (also when this one goes on to a retry or fails).
      queueMicrotask(() => this.dispatch());
    }
    const endedAt = Date.now();
    queued.attempts.push({ startedAt, endedAt, result });
    const retriesDone = queued.attempts.length - 1;
    if (!this.isFunctionError(result)) {
      this.settle(queued, 'succeeded', endedAt);
    } else if (retriesDone >= this.settings.maxRetryAttempts) {
      this.settle(queued, 'failed', endedAt);
    } else {
      // Back into the queue after Lambda's wait; its age keeps counting from the first queuing, so a retry
      // that would come too late is dropped at its turn. No point waiting past that moment, though.
      const delay = this.retryDelaysMs[Math.min(retriesDone, this.retryDelaysMs.length - 1)] ?? 0;
      const untilTooOld = queued.queuedAt + this.settings.maxEventAgeSeconds * 1000 + 1 - endedAt;
      // unref: a retry still waiting when a test ends must not keep jest's process alive.
      setTimeout(() => {
        this.waiting.push(queued);
        this.dispatch();
      }, Math.max(0, Math.min(delay, untilTooOld))).unref();
    }
  }

  private settle(queued: Queued<E, R>, outcome: AsyncDelivery<E, R>['outcome'], settledAt: number): void {
    const delivery: AsyncDelivery<E, R> = {
      event: queued.event,
      queuedAt: queued.queuedAt,
      attempts: queued.attempts,
      outcome,
      waitedMs: (queued.firstTurnAt ?? settledAt) - queued.queuedAt,
      settledAt,
    };
    this.deliveries.push(delivery);
    queued.settle(delivery);
  }
}
