/**
 * Time, waiting and randomness, injected so that unit tests run the handler's retries and deadlines
 * without real sleeps.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise(resolve => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Exponential backoff with jitter: the n-th delay is between `jitterFloor` and 100% of min(cap, base * 2^n). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  readonly jitterFloor: number;
}

/** The attempt-th delay of `policy` (from 0), given a `random` number in [0, 1) for its jitter. */
export function backoffMs(policy: BackoffPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 20));
  return ceiling * (policy.jitterFloor + (1 - policy.jitterFloor) * random);
}

/** Retrying throttling, transient and in-use errors: back off harder, spread concurrent handlers apart. */
export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 400, capMs: 8_000, jitterFloor: 0.5 };
