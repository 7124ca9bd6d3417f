/**
 * The benchmark: `npx projen bench` bundles the handler, then runs this. It measures synth, footprint,
 * the handler asset, cold start, lifecycle latency, a fleet deployed at once, media storage and stream images,
 * judges the targets, prints the report and writes it to docs/benchmarks.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureAssetSize } from './asset';
import { measureColdStart } from './cold-start';
import { fleetTargets, measureFleet } from './fleet';
import { measureFootprint } from './footprint';
import { measureLifecycle } from './lifecycle';
import { measureMediaStorage } from './media-storage';
import { BenchResults, renderReport } from './report';
import type { WayResult } from './results';
import { measureStreamImages, streamImagesTargets } from './stream-images';
import { measureSynth, resourceBudget, warmUp } from './synth';
import { judgeTargets } from './targets';
import { anatomyOf, trendOf } from './trend';
import { Way, WAYS } from './ways';

/** The channel counts measured besides N_max. */
const N_VALUES = [1, 10, 100];
/** The fleet's size besides N_max. */
const FLEET_N = 100;
/** Timed synth runs per way and N (after one warm-up): the median is reported. */
const SYNTH_RUNS = 9;
const REPORT_FILE = path.join(__dirname, '..', 'docs', 'benchmarks.md');

function benchWay(way: Way): WayResult {
  const budget = resourceBudget(way);
  warmUp(way, budget.nMax);
  const synth = [...N_VALUES, budget.nMax].map(n => {
    const result = measureSynth(way, n, SYNTH_RUNS);
    progress(`synth ${way.id} N=${n}: ${result.medianMs.toFixed(1)} ms, ${result.templateBytes} bytes`);
    return result;
  });
  const oneChannel = synth[0].template;
  return {
    way,
    budget,
    synth,
    footprints: synth.map(result => measureFootprint(result.template)),
    trend: trendOf(synth),
    anatomy: [...new Set(budget.perChannelTypes)].map(type => anatomyOf(oneChannel, type)),
  };
}

async function optional<T>(what: string, measure: () => Promise<T>): Promise<{ value?: T; skipped?: string }> {
  try {
    return { value: await measure() };
  } catch (error) {
    progress(`${what} not measured: ${(error as Error).message}`);
    return { skipped: (error as Error).message };
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const ways = WAYS.map(benchWay);
  const asset = await measureAssetSize();
  progress(`asset: ${asset.rawBytes} bytes, ${asset.gzipBytes} gzipped`);
  const coldStart = await optional('cold start', measureColdStart);
  const lifecycle = await optional('lifecycle', measureLifecycle);
  const mediaStorage = await optional('media storage', measureMediaStorage);
  const streamImages = await optional('stream images', () => measureStreamImages(progress));
  const library = ways.find(result => result.way.id === 'library')!;
  const fleet = await optional('fleet', () => measureFleet([FLEET_N, library.budget.nMax], progress));

  const byId = (id: Way['id']) => ways.find(result => result.way.id === id)!;
  const results: BenchResults = {
    startedAt,
    synthRuns: SYNTH_RUNS,
    ways,
    asset,
    coldStart: coldStart.value,
    coldStartSkipped: coldStart.skipped,
    lifecycle: lifecycle.value,
    lifecycleSkipped: lifecycle.skipped,
    fleet: fleet.value,
    fleetSkipped: fleet.skipped,
    mediaStorage: mediaStorage.value,
    mediaStorageSkipped: mediaStorage.skipped,
    streamImages: streamImages.value,
    streamImagesSkipped: streamImages.skipped,
    targets: [
      ...judgeTargets({ library: byId('library'), native: byId('native'), asset, lifecycle: lifecycle.value }),
      ...fleetTargets(fleet.value),
      ...streamImagesTargets(streamImages.value),
    ],
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  const report = renderReport(results);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, `${report}\n`);
  console.log(report);
  progress(`wrote ${path.relative(process.cwd(), REPORT_FILE)}`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
