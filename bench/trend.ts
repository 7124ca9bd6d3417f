/**
 * Trend: how synth time and template size grow from N = 1 to N_max, per channel, and whether the growth
 * is linear. Also the anatomy of one channel's resource, which explains a per-channel byte cost.
 */
import { SynthResult, Template } from './synth';

/** A growth segment whose per-channel cost is within this factor of the previous one counts as linear. */
export const LINEAR_TOLERANCE = 1.25;

export interface Segment {
  readonly from: number;
  readonly to: number;
  /** Added cost per added channel over the segment. */
  readonly perChannel: number;
}

export interface Growth {
  /** (value at N_max - value at 1) / (N_max - 1). */
  readonly perChannel: number;
  readonly segments: Segment[];
  /** The last two segments (10→100 and 100→N_max) cost the same per channel, within LINEAR_TOLERANCE. */
  readonly linear: boolean;
  /** Last segment's per-channel cost over the one before it. */
  readonly lastSegmentsRatio: number;
}

export interface Trend {
  readonly nMax: number;
  /** Synth wall time. */
  readonly time: Growth;
  /** Synth CPU time. */
  readonly cpu: Growth;
  readonly bytes: Growth;
  readonly constructsPerChannel: number;
}

/** `results` sorted by N, the first at N = 1 and the last at N_max. */
export function trendOf(results: SynthResult[]): Trend {
  const first = results[0];
  const last = results[results.length - 1];
  return {
    nMax: last.n,
    time: growth(results, result => result.medianMs),
    cpu: growth(results, result => result.cpuMedianMs),
    bytes: growth(results, result => result.templateBytes),
    constructsPerChannel: (last.constructCount - first.constructCount) / (last.n - first.n),
  };
}

function growth(results: SynthResult[], value: (result: SynthResult) => number): Growth {
  const segments: Segment[] = [];
  for (let i = 1; i < results.length; i++) {
    const [a, b] = [results[i - 1], results[i]];
    segments.push({ from: a.n, to: b.n, perChannel: (value(b) - value(a)) / (b.n - a.n) });
  }
  const first = results[0];
  const last = results[results.length - 1];
  const [before, lastSegment] = segments.slice(-2);
  const lastSegmentsRatio = lastSegment.perChannel / before.perChannel;
  return {
    perChannel: (value(last) - value(first)) / (last.n - first.n),
    segments,
    linear: lastSegmentsRatio <= LINEAR_TOLERANCE && lastSegmentsRatio >= 1 / LINEAR_TOLERANCE,
    lastSegmentsRatio,
  };
}

export interface ResourceAnatomy {
  readonly type: string;
  /** Bytes of the resource as synth writes it (JSON, one-space indentation). */
  readonly bytes: number;
  /** Bytes each top-level or `Properties` key adds, e.g. `Properties.ServiceToken`. */
  readonly keys: Array<{ key: string; bytes: number }>;
}

/** One channel's own resource(s) of the given type: what every extra channel writes to the template. */
export function anatomyOf(template: Template, type: string): ResourceAnatomy {
  const resource = Object.values(template.Resources).find(candidate => candidate.Type === type);
  if (resource === undefined) throw new Error(`no ${type} in the template`);
  const size = (value: unknown) => JSON.stringify(value, undefined, 1).length;
  const bytes = size(resource);
  const keys: Array<{ key: string; bytes: number }> = [];
  for (const key of Object.keys(resource)) {
    if (key === 'Properties') continue;
    const { [key]: _, ...without } = resource as Record<string, unknown>;
    keys.push({ key, bytes: bytes - size(without) });
  }
  for (const key of Object.keys(resource.Properties ?? {})) {
    const { [key]: _, ...properties } = resource.Properties!;
    keys.push({ key: `Properties.${key}`, bytes: bytes - size({ ...resource, Properties: properties }) });
  }
  return { type, bytes, keys };
}
