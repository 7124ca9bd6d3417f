/**
 * How one request keeps to its share of the account's quotas: its slot among the stack's channels, calls
 * only for what changed, looks at a transition once it can have ended, and slower after throttling. The
 * stack as a whole is measured in the end-to-end fleet test and the benchmark.
 */
import {
  ClientLimitExceededException,
  CreateSignalingChannelCommand,
  DescribeSignalingChannelCommand,
  KinesisVideoClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateSignalingChannelCommand,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { CHANNEL_ARN, createEvent, FakeClock, invoke, updateEvent } from './handler-test-kit';
import { Deadline } from '../../lambda/custom-resource/deadline';
import {
  DESCRIBE_BUDGET_PER_SECOND,
  FIRST_LOOK_MS,
  nextMomentInCycle,
  Pacer,
  SLOT_SPACING_MS,
  STORAGE_AFTER_CREATE_MS,
  STORAGE_SLOT_SPACING_MS,
} from '../../lambda/custom-resource/pacing';
import { renderSlotTable, slotOf } from '../../src/handler-shared/channel-slots';

const kvs = mockClient(KinesisVideoClient);
beforeEach(() => kvs.reset());

const active = (ttl = 60) => ({
  ChannelInfo: {
    ChannelARN: CHANNEL_ARN,
    ChannelStatus: 'ACTIVE' as const,
    ChannelType: 'SINGLE_MASTER' as const,
    Version: 'v1',
    SingleMasterConfiguration: { MessageTtlSeconds: ttl },
  },
});
/** A clock whose jitter is 0: each wait is exactly as planned. */
function plannedClock(): FakeClock {
  const clock = new FakeClock();
  clock.randomValue = 0;
  return clock;
}
const named = { ChannelName: 'garage-camera', MessageTtlSeconds: '60', Tags: [{ Key: 'room', Value: 'garage' }] };

describe('slots', () => {
  test('N channels take N distinct, evenly spaced slots, whatever their logical IDs', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,40}$/), { minLength: 1, maxLength: 300 }), ids => {
      const table = renderSlotTable(ids);
      const indices = ids.map(id => slotOf(table, id));
      expect(indices.every(slot => slot.count === ids.length && slot.index >= 0 && slot.index < ids.length)).toBe(true);
      // Distinct, but for two IDs whose 16-bit hashes collide (they then share a slot).
      const distinct = new Set(indices.map(slot => slot.index)).size;
      const distinctKeys = new Set(table.match(/.{4}/g)).size;
      expect(distinct).toBe(distinctKeys);
    }), { numRuns: 50 });
  });

  test('a channel missing from the table (leaving the stack) still gets a slot within the stack\'s window', () => {
    const table = renderSlotTable(['Camera1', 'Camera2', 'Camera3']);
    const slot = slotOf(table, 'RemovedCamera');
    expect(slot.count).toBe(3);
    expect(slot.index).toBeGreaterThanOrEqual(0);
    expect(slot.index).toBeLessThan(3);
    expect(slotOf(undefined, 'Anything')).toEqual({ index: 0, count: 1 });
  });

  test('a request makes its first call at its channel\'s slot, SLOT_SPACING_MS per channel before it', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `Camera${i}`);
    const table = renderSlotTable(ids);
    const logicalId = ids.find(id => slotOf(table, id).index === 17)!;
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand).resolves(active());

    const { response, clock } = await invoke(createEvent(named, { LogicalResourceId: logicalId }), { slotTable: table });

    expect(response.Status).toBe('SUCCESS');
    expect(clock.sleeps[0]).toBe(17 * SLOT_SPACING_MS);
  });
});

describe('slots on the wall clock', () => {
  test('nextMomentInCycle: the first moment at or after the earliest whose place in the cycle is the phase', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 500 }), fc.nat(), (earliest, count, rawIndex) => {
      const cycle = count * SLOT_SPACING_MS;
      const phase = (rawIndex % count) * SLOT_SPACING_MS;
      const at = nextMomentInCycle(earliest, phase, cycle);
      expect(at).toBeGreaterThanOrEqual(earliest);
      expect(at - earliest).toBeLessThan(cycle);
      expect(((at % cycle) + cycle) % cycle).toBe(phase);
    }), { numRuns: 200 });
  });

  test('invocations that start at different moments keep to their slots: never two of a stack within one spacing', async () => {
    // 40 channels, their invocations starting anywhere within 3 s (cold starts, a busy queue): each first
    // call lands on its slot of the shared cycle, so no two come closer than SLOT_SPACING_MS.
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 40, maxLength: 40 }), async starts => {
      const count = 40;
      const moments = await Promise.all(starts.map(async (start, index) => {
        const clock = new FakeClock();
        clock.time += start;
        const pacer = new Pacer(clock, { index, count });
        await pacer.untilSlot(new Deadline(clock, clock.now() + 60_000));
        return clock.now();
      }));
      const sorted = [...moments].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(SLOT_SPACING_MS);
      }
      // And no invocation waits longer than one cycle, as long as a lone request waited before.
      moments.forEach((moment, i) => expect(moment - (1_700_000_000_000 + starts[i])).toBeLessThan(count * SLOT_SPACING_MS));
    }), { numRuns: 30 });
  });

  test('a request that waited in Lambda\'s queue longer than a cycle and 10 s takes no slot; a fresh one does', async () => {
    const clock = new FakeClock();
    clock.time += 7; // not on a slot
    const slot = { index: 300, count: 496 };
    const cycle = slot.count * SLOT_SPACING_MS;
    // A cold start and the queue's latency (a few seconds) are no queueing: it keeps to its slot.
    const late = new Pacer(clock, { index: 3, count: 40 }, clock.now() - 5_000);
    await late.untilSlot(new Deadline(clock, clock.now() + 60_000));
    expect(clock.sleeps).toHaveLength(1);
    clock.sleeps.length = 0;
    clock.time += 7;
    const queued = new Pacer(clock, slot, clock.now() - cycle - 12_000);
    await queued.untilSlot(new Deadline(clock, clock.now() + 60_000));
    expect(clock.sleeps).toEqual([]);

    const fresh = new Pacer(clock, slot, Math.floor(clock.now() / 1000) * 1000);
    await fresh.untilSlot(new Deadline(clock, clock.now() + 60_000));
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.now() % cycle).toBe(300 * SLOT_SPACING_MS);
  });

  test('a storage turn after a create comes at the next place in the cycle once the channel is ACTIVE', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock, { index: 0, count: 1 }, clock.now() - 900);
    clock.time += 2_800; // the create and its first look: ACTIVE now
    const before = clock.now();
    await pacer.untilStorageTurn(new Deadline(clock, clock.now() + 60_000), true);
    // No STORAGE_AFTER_CREATE_MS on top: that counts from the invocation's start, long past. Nor is the
    // request's own work taken for waiting in Lambda's queue (a turn skipped).
    expect(clock.now() - before).toBeLessThan(STORAGE_SLOT_SPACING_MS);
    expect(clock.now() % STORAGE_SLOT_SPACING_MS).toBe(0);
  });

  test('storage turns: on their own cycle, after the creation, and taken once', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock, { index: 3, count: 10 });
    const deadline = new Deadline(clock, clock.now() + 60_000);
    const before = clock.now();
    await pacer.untilStorageTurn(deadline, true);
    expect(clock.now() - before).toBeGreaterThanOrEqual(STORAGE_AFTER_CREATE_MS);
    expect(clock.now() % (10 * STORAGE_SLOT_SPACING_MS)).toBe(3 * STORAGE_SLOT_SPACING_MS);
    const taken = clock.now();
    await pacer.untilStorageTurn(deadline, false);
    expect(clock.now()).toBe(taken);
  });
});

describe('throttled: the quota is shared, so the call gives up its share until a later cycle', () => {
  const slot = { index: 10, count: 250 };
  const cycle = slot.count * SLOT_SPACING_MS;

  test('the retry comes at the channel\'s own slot of the next cycle, never on top of the first pass', async () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    const pacer = new Pacer(clock, slot);
    const deadline = new Deadline(clock, clock.now() + 300_000);
    await pacer.untilSlot(deadline);
    const firstCall = clock.now();
    await pacer.untilRetryAfterThrottle(deadline, 1, 'retrying');
    expect(clock.now() - firstCall).toBe(cycle);
    expect(clock.now() % cycle).toBe(slot.index * SLOT_SPACING_MS);
  });

  test('each throttle may put it further off: up to 2^(t-1) cycles, at most 4 past the backoff', async () => {
    // After the 9th, the backoff itself (8 s) outlasts a cycle (6.25 s): its slot after that, and 3 more.
    for (const [throttles, most] of [[1, 1], [2, 2], [3, 4], [4, 4], [9, 5]]) {
      const clock = new FakeClock();
      clock.randomValue = 0.999;
      const pacer = new Pacer(clock, slot);
      const deadline = new Deadline(clock, clock.now() + 300_000);
      await pacer.untilSlot(deadline);
      const firstCall = clock.now();
      await pacer.untilRetryAfterThrottle(deadline, throttles, 'retrying');
      expect({ throttles, cycles: (clock.now() - firstCall) / cycle }).toEqual({ throttles, cycles: most });
    }
  });

  test('a small stack still backs off: never sooner than the throttle backoff', async () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    const pacer = new Pacer(clock, { index: 0, count: 1 });
    const deadline = new Deadline(clock, clock.now() + 300_000);
    const before = clock.now();
    await pacer.untilRetryAfterThrottle(deadline, 3, 'retrying');
    expect(clock.now() - before).toBe(800); // 400 ms × 2^2, at its least jitter (half)
  });

  test('a slot past the deadline: the backoff alone', async () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    const pacer = new Pacer(clock, { index: 0, count: 496 });
    const deadline = new Deadline(clock, clock.now() + 5_000);
    const before = clock.now();
    await pacer.untilRetryAfterThrottle(deadline, 1, 'retrying');
    expect(clock.now() - before).toBe(200);
  });
});

describe('calls only for what changed', () => {
  test('an update that changes nothing the channel holds calls nothing (an upgrade that only drops ChannelType)', async () => {
    const { response, clock } = await invoke(updateEvent(CHANNEL_ARN, named, { ...named, ChannelType: 'SINGLE_MASTER' }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: CHANNEL_ARN });
    expect(kvs.calls()).toHaveLength(0);
    expect(clock.sleeps).toEqual([]);
  });

  test('a tag change (Tags.of) reads and writes tags only: no Describe', async () => {
    kvs.on(ListTagsForResourceCommand).resolves({ Tags: { room: 'garage' } });
    kvs.on(TagResourceCommand).resolves({});

    const { response } = await invoke(updateEvent(CHANNEL_ARN,
      { ...named, Tags: [{ Key: 'room', Value: 'garage' }, { Key: 'project', Value: 'doorbell' }] }, named));

    expect(response.Status).toBe('SUCCESS');
    expect(kvs.calls().map(call => call.args[0].constructor.name)).toEqual(['ListTagsForResourceCommand', 'TagResourceCommand']);
  });

  test('a TTL change: Describe for the version, Update, and one look once the transition can have ended', async () => {
    kvs.on(DescribeSignalingChannelCommand).resolvesOnce(active(60)).resolves(active(30));
    kvs.on(UpdateSignalingChannelCommand).resolves({});

    const { response, clock } = await invoke(updateEvent(CHANNEL_ARN, { ...named, MessageTtlSeconds: '30' }, named), { clock: plannedClock() });

    expect(response.Status).toBe('SUCCESS');
    expect(kvs.calls().map(call => call.args[0].constructor.name))
      .toEqual(['DescribeSignalingChannelCommand', 'UpdateSignalingChannelCommand', 'DescribeSignalingChannelCommand']);
    expect(clock.sleeps).toEqual([FIRST_LOOK_MS]);
  });
});

describe('looks', () => {
  test('a create looks once the transition can have ended, then sooner and backing off', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    const creating = { ChannelInfo: { ...active().ChannelInfo, ChannelStatus: 'CREATING' as const } };
    kvs.on(DescribeSignalingChannelCommand).resolvesOnce(creating).resolvesOnce(creating).resolvesOnce(creating).resolves(active());

    const { clock } = await invoke(createEvent(named), { clock: plannedClock() });

    expect(clock.sleeps).toEqual([FIRST_LOOK_MS, 500, 750, 1125]);
  });

  test('looks come up to 10% late, never early, so that channels started together do not look together', () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock, { index: 0, count: 1 });
    clock.randomValue = 0;
    expect(pacer.lookDelay(0, true)).toBe(FIRST_LOOK_MS);
    clock.randomValue = 0.999;
    expect(pacer.lookDelay(0, true)).toBeCloseTo(FIRST_LOOK_MS * 1.0999);
  });

  test('in a big stack, looks never come closer than the stack\'s share of the Describe budget', () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    const pacer = new Pacer(clock, { index: 0, count: 496 });
    const ceiling = 496 * 1000 / DESCRIBE_BUDGET_PER_SECOND;
    expect(pacer.lookDelay(30, true)).toBeCloseTo(ceiling);
    const few = new Pacer(clock, { index: 0, count: 3 });
    expect(few.lookDelay(30, true)).toBeCloseTo(2_000);
  });

  test('throttling slows every later look of the request', async () => {
    kvs.on(CreateSignalingChannelCommand).resolves({ ChannelARN: CHANNEL_ARN });
    kvs.on(DescribeSignalingChannelCommand)
      .rejectsOnce(new ClientLimitExceededException({ message: 'slow down', $metadata: {} }))
      .resolvesOnce({ ChannelInfo: { ...active().ChannelInfo, ChannelStatus: 'CREATING' as const } })
      .resolves(active());

    const { response, clock } = await invoke(createEvent(named), { clock: plannedClock() });

    expect(response.Status).toBe('SUCCESS');
    // The first look; the retry's backoff (400 ms × 0.5, its least jitter); the next look, doubled.
    expect(clock.sleeps).toEqual([FIRST_LOOK_MS, 200, 1000]);
  });
});
