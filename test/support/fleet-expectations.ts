/**
 * What every phase of a fleet deployed at once must keep to, in the end-to-end fleet tests: however big the
 * stack, the deployment leaves the account's quotas to its cameras.
 */
import type { PhaseResult } from './fleet-deployment';
import { SERVICE_QUOTAS } from './kinesis-video-quotas';

/** A third of the account's 300 DescribeSignalingChannel a second (which every viewer and master calls to connect): the rest is the cameras'. */
export const DESCRIBE_PEAK_LIMIT = 100;
/** A create needs two calls (Create, one Describe), a recording channel's three; nothing may need more than four. */
export const MAX_CALLS_PER_RESOURCE = 4;

/** No failure, no call throttled, Describe under its share, every operation within its account quota, few calls per resource. */
export function expectWithinQuotas(result: PhaseResult): void {
  const summary = JSON.stringify(result);
  expect({ phase: result.phase, failures: result.failures }).toEqual({ phase: result.phase, failures: [] });
  expect({ phase: result.phase, throttled: result.throttled, summary }).toMatchObject({ throttled: 0 });
  expect(result.peakPerSecond.DescribeSignalingChannel ?? 0).toBeLessThanOrEqual(DESCRIBE_PEAK_LIMIT);
  for (const [operation, peak] of Object.entries(result.peakPerSecond)) {
    expect({ operation, peak: peak! <= SERVICE_QUOTAS[operation as keyof typeof SERVICE_QUOTAS].perAccount })
      .toEqual({ operation, peak: true });
  }
  expect(result.maxCallsPerResource).toBeLessThanOrEqual(MAX_CALLS_PER_RESOURCE);
}
