/**
 * Synthesis: build one stack of N channels one way, synthesize it as `cdk synth` would, and measure the
 * wall time and the template it writes. Also works out N_max, the most channels a way fits in one stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Way } from './ways';

/** CloudFormation's limit on the resources one template declares. */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

export const STACK_NAME = 'BenchStack';
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** A CloudFormation template, as far as the benchmark reads it. */
export interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
}

export interface SynthResult {
  readonly n: number;
  /** Wall time of each timed run: new App, the stack and its channels, app.synth(). */
  readonly samplesMs: number[];
  readonly medianMs: number;
  /** CPU time (user + system, all threads) of the same runs, median: less sensitive to other load on the machine. */
  readonly cpuMedianMs: number;
  /** Size of the template file synth wrote. */
  readonly templateBytes: number;
  readonly resourceCount: number;
  /** Constructs in the app's tree: what synth walks and resolves. */
  readonly constructCount: number;
  readonly template: Template;
}

/**
 * The app a new `cdk init` project runs under `cdk synth`: the feature flags `cdk init` writes to
 * cdk.json, and the context the CLI adds by default (path and asset metadata on every resource, version
 * reporting, which adds the AWS::CDK::Metadata resource, bundling of every stack).
 */
function newApp(outdir: string): App {
  return new App({
    outdir,
    context: {
      ...cxapi.CURRENTLY_RECOMMENDED_FLAGS,
      [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
      [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
      [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
      [cxapi.BUNDLING_STACKS]: ['**'],
    },
  });
}

/** Synthesize once into a fresh directory; time everything a user's `cdk synth` does in the app. */
function synthOnce(way: Way, n: number): { ms: number; cpuMs: number; templateBytes: number; constructCount: number; template: Template } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    // A user's synth is a fresh process: no asset hash remembered from a previous run.
    AssetStaging.clearAssetHashCache();
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    const app = newApp(outdir);
    const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
    way.addChannels(stack, n);
    const assembly = app.synth();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const templateFile = path.join(assembly.directory, assembly.getStackByName(STACK_NAME).templateFile);
    const text = fs.readFileSync(templateFile, 'utf8');
    const constructCount = app.node.findAll().length;
    return { ms, cpuMs, templateBytes: Buffer.byteLength(text), constructCount, template: JSON.parse(text) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesize `runs` times after one untimed warm-up; report the median. Each run starts from a collected
 * heap, so no run pays for the garbage of the one before.
 */
export function measureSynth(way: Way, n: number, runs: number): SynthResult {
  synthOnce(way, n);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let last!: ReturnType<typeof synthOnce>;
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    last = synthOnce(way, n);
    samples.push(last.ms);
    cpuSamples.push(last.cpuMs);
  }
  return {
    n,
    samplesMs: samples,
    medianMs: median(samples),
    cpuMedianMs: median(cpuSamples),
    templateBytes: last.templateBytes,
    resourceCount: Object.keys(last.template.Resources).length,
    constructCount: last.constructCount,
    template: last.template,
  };
}

/** Run a synth untimed, so the code paths of a way are compiled and optimized before any timing. */
export function warmUp(way: Way, n: number): void {
  synthOnce(way, n);
}

/** `global.gc`, reached without restarting node with --expose-gc. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

export interface ResourceBudget {
  /** Resources a stack holds whatever N is (the provider, the AWS::CDK::Metadata resource, ...). */
  readonly fixed: number;
  readonly fixedTypes: string[];
  /** Resources each channel adds. */
  readonly perChannel: number;
  readonly perChannelTypes: string[];
  /** The most channels that keep the stack within CloudFormation's resource limit. */
  readonly nMax: number;
}

/** Count the resources of 1 and 2 channels, and derive N_max from them. */
export function resourceBudget(way: Way): ResourceBudget {
  const typesOf = (n: number) => Object.values(synthOnce(way, n).template.Resources).map(resource => resource.Type);
  const one = typesOf(1);
  const perChannelTypes = [...typesOf(2)];
  for (const type of one) perChannelTypes.splice(perChannelTypes.indexOf(type), 1);
  const fixedTypes = [...one];
  for (const type of perChannelTypes) fixedTypes.splice(fixedTypes.indexOf(type), 1);
  return {
    fixed: fixedTypes.length,
    fixedTypes: fixedTypes.sort(),
    perChannel: perChannelTypes.length,
    perChannelTypes: perChannelTypes.sort(),
    nMax: Math.floor((CLOUDFORMATION_RESOURCE_LIMIT - fixedTypes.length) / perChannelTypes.length),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
