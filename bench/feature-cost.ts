/**
 * What a feature adds to a stack, measured and reported the same way for each (section 7, media storage;
 * section 8, stream images and notifications): template bytes and synth time of N resources with it against
 * the same N without it, and the requests it makes the handler serve, each the median of a few rounds.
 */
import { callsByOperation, describeFailure, TimedInvocation } from './handler-run';
import { measureSynth, median } from './synth';
import type { Way } from './ways';
import type { Exchange } from '../test/support/custom-resource-under-test';

export interface SynthWithAndWithout {
  readonly n: number;
  readonly withoutBytes: number;
  readonly withBytes: number;
  readonly withoutMs: number;
  readonly withMs: number;
}

export interface RequestScenario {
  readonly name: string;
  readonly apiCalls: number;
  readonly callsByOperation: Record<string, number>;
  readonly responseMs: number;
}

/** Synth of `without` and `withFeature` for each N, the median of `runs` each. */
export function measureSynthWithAndWithout(
  without: Way, withFeature: Way, ns: readonly number[], runs: number, progress?: (message: string) => void,
): SynthWithAndWithout[] {
  return ns.map(n => {
    const plain = measureSynth(without, n, runs);
    const featured = measureSynth(withFeature, n, runs);
    progress?.(`${withFeature.id} N=${n}: ${plain.templateBytes} / ${featured.templateBytes} bytes`);
    return { n, withoutBytes: plain.templateBytes, withBytes: featured.templateBytes, withoutMs: plain.medianMs, withMs: featured.medianMs };
  });
}

/** The invocations of each named request, over the rounds; a request that did not answer SUCCESS ends the run. */
export class RequestSamples {
  private readonly samples = new Map<string, TimedInvocation[]>();

  public record(name: string, exchange: Exchange<TimedInvocation>): void {
    if (exchange.response?.Status !== 'SUCCESS' || exchange.invocation.respondedAt === undefined) {
      throw new Error(describeFailure(name, exchange.invocation, exchange.response?.Status, exchange.response?.Reason));
    }
    this.samples.set(name, [...(this.samples.get(name) ?? []), exchange.invocation]);
  }

  /** Each request in the order first recorded: median calls and event-to-response time, the first round's calls by operation. */
  public scenarios(): RequestScenario[] {
    return [...this.samples].map(([name, runs]) => ({
      name,
      apiCalls: median(runs.map(run => run.calls.length)),
      callsByOperation: callsByOperation(runs[0]),
      responseMs: median(runs.map(run => run.respondedAt! - run.eventAt)),
    }));
  }
}

/** The synth table; `resource` names what N counts and what each byte is added to ("recording channel"). */
export function synthTable(rows: readonly SynthWithAndWithout[], n: string, resource: string): string[] {
  const lines = [
    `| ${n} | template bytes without / with | bytes per ${resource} | synth ms without / with | synth ms per ${resource} |`,
    '|---:|---:|---:|---:|---:|',
  ];
  for (const s of rows) {
    lines.push(`| ${s.n} | ${s.withoutBytes} / ${s.withBytes} | ${((s.withBytes - s.withoutBytes) / s.n).toFixed(0)} | ` +
      `${s.withoutMs.toFixed(1)} / ${s.withMs.toFixed(1)} | ${((s.withMs - s.withoutMs) / s.n).toFixed(2)} |`);
  }
  return lines;
}

/** The requests table; `request` heads the first column. */
export function requestTable(scenarios: readonly RequestScenario[], request: string): string[] {
  const lines = [`| ${request} | API calls | calls by operation | event to response (ms) |`, '|---|---:|---|---:|'];
  for (const scenario of scenarios) {
    const byOperation = Object.entries(scenario.callsByOperation).map(([op, count]) => `${op} ${count}`).join(', ');
    lines.push(`| ${scenario.name} | ${scenario.apiCalls} | ${byOperation} | ${scenario.responseMs.toFixed(0)} |`);
  }
  return lines;
}
