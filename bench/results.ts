/**
 * What one way of declaring channels measured: shared by the report (report.ts) and the targets
 * (targets.ts), which import it from here rather than from each other.
 */
import type { Footprint } from './footprint';
import type { ResourceBudget, SynthResult } from './synth';
import type { ResourceAnatomy, Trend } from './trend';
import type { Way } from './ways';

/** Everything one way of declaring channels measured. */
export interface WayResult {
  readonly way: Way;
  readonly budget: ResourceBudget;
  /** At N = 1, 10, 100 and N_max, in that order. */
  readonly synth: SynthResult[];
  /** Of the same templates, in the same order. */
  readonly footprints: Footprint[];
  readonly trend: Trend;
  /** One channel's resources, one per resource type it adds. */
  readonly anatomy: ResourceAnatomy[];
}
