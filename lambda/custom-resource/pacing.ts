/**
 * How the handler shares the account's Kinesis Video quotas with the other requests of its stack, and with
 * the cameras and viewers of the account.
 *
 * CloudFormation starts the requests of a stack's channels all at once: hundreds of invocations, each unaware
 * of the others, against quotas that are per account (50 calls a second for most operations, 300 for
 * DescribeSignalingChannel, which every WebRTC client calls to connect). No invocation may spend them, and
 * there is no coordinator, so each one keeps to its share by construction:
 *
 * - **A slot per channel, on the wall clock.** The construct writes the stack's channels into the function's
 *   environment (channel-slots.ts); a request makes its first call at its channel's slot, `SLOT_SPACING_MS`
 *   apart, so a whole stack starts at most `1000 / SLOT_SPACING_MS` requests a second, evenly, whatever its
 *   size. Slots repeat on a cycle of the wall clock that all invocations share (Lambda's clocks are
 *   synchronised), not on each invocation's own start: invocations that start hundreds of milliseconds
 *   apart (cold starts, a busy queue) still keep to their slots and never bunch.
 * - **No slot for a request that waited in Lambda's queue.** In an account whose Lambda concurrency is far
 *   below the stack's channel count, events wait in the queue and Lambda's concurrency already spaces the
 *   requests: one signed (by CloudFormation) longer than a whole cycle and 10 s ago goes at once.
 * - **Few calls per request.** A request calls only what its change needs (an update that changes nothing
 *   calls nothing; a tag change calls no Describe), and a delete does not wait for the channel to go.
 * - **Looking when a transition can have ended.** After a call that starts a transition, the first look comes
 *   `FIRST_LOOK_MS` later, then the looks back off; in a big stack they never come closer than the stack's
 *   share of `DESCRIBE_BUDGET_PER_SECOND` allows. So a stack sends about two Describes per request: at most
 *   `2 × 1000 / SLOT_SPACING_MS` a second.
 * - **A slower lane for media storage.** UpdateMediaStorageConfiguration has a quota of its own, 10 calls a
 *   second per account: a request calls it at its storage turn, `STORAGE_SLOT_SPACING_MS` per slot (see
 *   `untilStorageTurn`). Requests of channels that do not record never take that lane.
 * - **Giving up its share when throttled.** ClientLimitExceededException means the account is busier than this
 *   stack alone: other callers (the cameras, another pipeline, other stacks of the same code deployed at once,
 *   whose slots fall on the same moments as this stack's) share the quota. A throttled call is not retried
 *   into it: it waits for its own slot again, in the stack's next cycle, then (throttled again) in one of the
 *   next 2, then 4, at random, so that the calls throttled together spread out (`untilRetryAfterThrottle`).
 *   So the retries of a stack come at most one per slot, and after its first pass, never on top of it. Every
 *   later look of the request comes twice as late, up to the ceiling of the looks' intervals.
 */
import { backoffMs, Clock, RETRY_BACKOFF } from './clock';
import { Deadline } from './deadline';
import { ChannelSlot } from '../../src/handler-shared/channel-slots';

/**
 * Requests of one stack start at most one per 25 ms: 40 a second, 80% of the 50-a-second account quota of
 * CreateSignalingChannel, UpdateSignalingChannel, DeleteSignalingChannel and the tag operations, each of
 * which a request calls at most once. 496 channels (the most a stack holds) start within 12.4 s.
 */
export const SLOT_SPACING_MS = 25;

/**
 * Describes a stack may send per second, all its requests together: 80, under a third of the account's 300
 * that its cameras and viewers need to connect. With two Describes per request at 40 requests a second, a
 * stack stays under it; the poll interval's ceiling keeps it there when transitions run long.
 */
export const DESCRIBE_BUDGET_PER_SECOND = 80;

/**
 * The first look at a channel after the call that started its transition. A transition takes about 1.5 s
 * (what the benchmark's double models; the service documents no figure): looking sooner would mostly find it
 * unfinished and cost a Describe more per request, later would answer CloudFormation late.
 */
export const FIRST_LOOK_MS = 1_500;

/**
 * Media storage calls of one stack come at most one per 125 ms: 8 a second, 80% of the 10-a-second account
 * quota of UpdateMediaStorageConfiguration, which a request calls at most once at its turn (twice when it
 * switches streams or takes a stream over from another channel of the stack: disable, then enable). The
 * turn is the channel's slot index times this within a cycle of the wall clock: every channel of the stack
 * has a slot, recording or not (and so does every stream configuration), so a stack whose channels all record
 * is the worst case (496 channels: a cycle of 62 s), and one with few recording channels among many is
 * spaced wider still.
 */
export const STORAGE_SLOT_SPACING_MS = 125;

/**
 * A new channel's storage turn comes no sooner than this after the invocation started: the latest its first
 * look can find it ACTIVE (`FIRST_LOOK_MS` plus its 10% jitter). Updates take the next turn from now.
 */
export const STORAGE_AFTER_CREATE_MS = Math.ceil(FIRST_LOOK_MS * 1.1);

/**
 * How much longer than a whole cycle a request must have waited in Lambda's queue to take no slot (the
 * header's second point). The margin keeps cold starts and the queue's own latency (seconds at most) from
 * counting as waiting.
 */
const QUEUED_BEYOND_CYCLE_MS = 10_000;

/** A retry planned later than this before the deadline falls back to the backoff alone. */
const LAST_CALL_BEFORE_DEADLINE_MS = 2_000;

/** Looks after the first: 500 ms apart, growing by half each time. */
const NEXT_LOOK_MS = 500;
const LOOK_GROWTH = 1.5;
/** However few the channels, a channel is never looked at less often than every 2 s... */
const MIN_LOOK_CEILING_MS = 2_000;
/**
 * ...and each look comes up to 10% later than planned, so channels that started together do not look
 * together; never earlier, so a look is never wasted on a transition that cannot have ended.
 */
const LOOK_JITTER = 0.1;

/** Each throttled call doubles the request's later looks, up to 4 times and up to the look ceiling. */
const MAX_SLOWDOWN = 4;

/**
 * A throttled call waits for its slot 1 to 2^(t-1) cycles ahead after its t-th throttle (the next cycle after
 * a first throttle; then a random one of 2, then 4: the calls that collided again spread out), at most this
 * many cycles ahead: further off, a request would wait longer than the quota makes it.
 */
const MAX_RETRY_CYCLES = 4;

/**
 * `X-Amz-Date` has whole seconds: a request was signed up to this much after the time it carries. Reading
 * the signing time as the latest it can be never takes a fresh request for one that waited.
 */
export const SIGNING_TIME_RESOLUTION_MS = 1_000;

/**
 * The first moment at or after `earliest` whose place in the wall clock's cycles of `cycleMs` is `phaseMs`:
 * every invocation that computes it for the same phase and cycle lands on the same moments.
 */
export function nextMomentInCycle(earliest: number, phaseMs: number, cycleMs: number): number {
  const start = earliest - (((earliest - phaseMs) % cycleMs) + cycleMs) % cycleMs;
  return start < earliest ? start + cycleMs : start;
}

/** The schedule of one request's calls. */
export class Pacer {
  private slowdown = 1;
  private slotReached = false;
  private storageTurnTaken = false;
  /** When the invocation started. */
  private readonly startedAt: number;
  /** How long the request waited between CloudFormation signing it and the invocation's start (0: unknown). */
  private readonly waitedMs: number;

  /**
   * @param slot the resource's place among the stack's channels and stream configurations
   * @param signedAt when CloudFormation signed the request (its ResponseURL's `X-Amz-Date`), if known: how
   *   long it waited in Lambda's queue (`QUEUED_BEYOND_CYCLE_MS`)
   */
  constructor(private readonly clock: Clock, public readonly slot: ChannelSlot, signedAt?: number) {
    this.startedAt = clock.now();
    this.waitedMs = signedAt === undefined ? 0 : this.startedAt - (signedAt + SIGNING_TIME_RESOLUTION_MS);
  }

  /** Before the request's first call: wait for its resource's slot (once). */
  public async untilSlot(deadline: Deadline): Promise<void> {
    if (this.slotReached) return;
    this.slotReached = true;
    await this.untilPhase(deadline, this.clock.now(), SLOT_SPACING_MS,
      `waiting for its turn among the stack's ${this.slot.count} channels and stream configurations`);
  }

  /**
   * Before the request's media storage call: wait for the channel's storage turn, the moment of the wall
   * clock's cycle of `slot.count × STORAGE_SLOT_SPACING_MS` at `slot.index × STORAGE_SLOT_SPACING_MS`
   * (no sooner than `STORAGE_AFTER_CREATE_MS` after the invocation started when the channel was just
   * created). Whether the request waited in Lambda's queue was decided when it started. A request's later
   * storage calls (a switch disables, then enables) go at once: the turn is taken once.
   */
  public async untilStorageTurn(deadline: Deadline, afterCreate: boolean): Promise<void> {
    if (this.storageTurnTaken) return;
    this.storageTurnTaken = true;
    const earliest = afterCreate ? Math.max(this.clock.now(), this.startedAt + STORAGE_AFTER_CREATE_MS) : this.clock.now();
    await this.untilPhase(deadline, earliest, STORAGE_SLOT_SPACING_MS,
      `waiting for this channel's media storage turn among the stack's ${this.slot.count} channels and stream configurations`);
  }

  private async untilPhase(deadline: Deadline, earliest: number, spacingMs: number, what: string): Promise<void> {
    const cycleMs = this.slot.count * spacingMs;
    const now = this.clock.now();
    // Decided from the invocation's start: the request's own work (a create, its looks) is no queueing.
    const queued = this.waitedMs > cycleMs + QUEUED_BEYOND_CYCLE_MS;
    const at = queued ? earliest : nextMomentInCycle(earliest, this.slot.index * spacingMs, cycleMs);
    if (at > now) {
      await deadline.sleep(at - now, what);
    }
  }

  /**
   * How long to wait before the `attempt`-th look (from 0) at a channel in transition. `afterOwnCall`: the
   * transition began with this request's call just now, so the first look waits for it to be able to end.
   */
  public lookDelay(attempt: number, afterOwnCall: boolean): number {
    const ceiling = Math.max(MIN_LOOK_CEILING_MS, this.slot.count * 1000 / DESCRIBE_BUDGET_PER_SECOND);
    const planned = afterOwnCall && attempt === 0
      ? FIRST_LOOK_MS
      : Math.min(ceiling, NEXT_LOOK_MS * LOOK_GROWTH ** Math.max(0, attempt - (afterOwnCall ? 1 : 0)));
    const jitter = 1 + LOOK_JITTER * this.clock.random();
    // Throttled, a look comes later, up to the ceiling: later still would only eat into the deadline.
    return Math.min(planned * this.slowdown, Math.max(planned, ceiling)) * jitter;
  }

  /**
   * The service throttled a call (the `throttles`-th of the request): the account is busier than this stack
   * alone. Wait for this channel's slot in one of the stack's next cycles (1 to 2^(throttles-1) ahead, at most
   * `MAX_RETRY_CYCLES`), and no sooner than `RETRY_BACKOFF`; later looks come later too. Where that
   * moment is past the deadline, the backoff alone.
   */
  public async untilRetryAfterThrottle(deadline: Deadline, throttles: number, what: string): Promise<void> {
    this.slowdown = Math.min(MAX_SLOWDOWN, this.slowdown * 2);
    const now = this.clock.now();
    // Never sooner than the handler's retry backoff: a small stack's cycle is short.
    const backoff = backoffMs(RETRY_BACKOFF, throttles - 1, this.clock.random());
    const cycleMs = this.slot.count * SLOT_SPACING_MS;
    const cyclesAhead = Math.floor(this.clock.random() * Math.min(MAX_RETRY_CYCLES, 2 ** (throttles - 1)));
    const atSlot = nextMomentInCycle(now + backoff, this.slot.index * SLOT_SPACING_MS, cycleMs) + cyclesAhead * cycleMs;
    const wait = atSlot < deadline.at - LAST_CALL_BEFORE_DEADLINE_MS ? atSlot - now : backoff;
    await deadline.sleep(wait, what);
  }
}
