/**
 * The library's targets, judged against the measurements. Not assertions: the report says met or missed,
 * and why for a miss.
 */
import type { AssetSize } from './asset';
import { IAM_ROLE_INLINE_POLICY_LIMIT } from './footprint';
import type { LifecycleResult } from './lifecycle';
import type { WayResult } from './results';

export const SYNTH_PER_CHANNEL_RATIO_TARGET = 1.5;
export const N_MAX_SHORTFALL_TARGET = 3;
/** 150 kB as 150,000 bytes; the report says whether 150 KiB (153,600 bytes) would be met. */
export const ASSET_GZIP_TARGET_BYTES = 150_000;
const ASSET_GZIP_TARGET_KIB = 150;
/** The bundle's origins that are the AWS SDK and its dependencies (see asset.ts). */
const SDK_ORIGINS = ['@smithy/*', '@aws-sdk/*', '@aws-crypto/*', '@aws/*', 'bowser', 'tslib', 'fast-xml-parser', 'strnum', 'uuid'];
export const RESPONSE_AFTER_TRANSITION_TARGET_MS = 300;

export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** For a miss: what the numbers show is the cause. */
  readonly why?: string;
}

export interface TargetInputs {
  readonly library: WayResult;
  readonly native: WayResult;
  readonly asset: AssetSize;
  readonly lifecycle?: LifecycleResult;
}

export function judgeTargets({ library, native, asset, lifecycle }: TargetInputs): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const perChannelWhy = 'each channel is ' +
    `${library.trend.constructsPerChannel.toFixed(0)} constructs against the native ${native.trend.constructsPerChannel.toFixed(0)}, ` +
    `and its resource is ${library.anatomy[0].bytes} bytes against ${native.anatomy[0].bytes}: ` +
    extraKeys(library, native);

  const timeRatio = library.trend.time.perChannel / native.trend.time.perChannel;
  verdicts.push({
    target: `synth time per channel at N_max ≤ ${SYNTH_PER_CHANNEL_RATIO_TARGET}× native`,
    measured: `${library.trend.time.perChannel.toFixed(3)} ms vs ${native.trend.time.perChannel.toFixed(3)} ms wall ` +
      `(${timeRatio.toFixed(2)}×); CPU ${(library.trend.cpu.perChannel / native.trend.cpu.perChannel).toFixed(2)}×`,
    met: timeRatio <= SYNTH_PER_CHANNEL_RATIO_TARGET,
    why: `synth builds and resolves more per channel: ${perChannelWhy}`,
  });

  const bytesRatio = library.trend.bytes.perChannel / native.trend.bytes.perChannel;
  verdicts.push({
    target: `template bytes per channel at N_max ≤ ${SYNTH_PER_CHANNEL_RATIO_TARGET}× native`,
    measured: `${library.trend.bytes.perChannel.toFixed(0)} B vs ${native.trend.bytes.perChannel.toFixed(0)} B (${bytesRatio.toFixed(2)}×)`,
    met: bytesRatio <= SYNTH_PER_CHANNEL_RATIO_TARGET,
    why: `a custom resource carries what the native one does not: ${extraKeys(library, native)}`,
  });

  const shortfall = native.budget.nMax - library.budget.nMax;
  verdicts.push({
    target: `N_max within ${N_MAX_SHORTFALL_TARGET} of native`,
    measured: `${library.budget.nMax} vs ${native.budget.nMax} (${shortfall} fewer)`,
    met: shortfall <= N_MAX_SHORTFALL_TARGET,
    why: `the provider adds ${library.budget.fixed - native.budget.fixed} fixed resources ` +
      `(${without(library.budget.fixedTypes, native.budget.fixedTypes).join(', ')}), one channel costs one resource in both`,
  });

  const lambdas = new Set(library.footprints.map(footprint => footprint.lambdaFunctions));
  const roles = new Set(library.footprints.map(footprint => footprint.iamRoles));
  verdicts.push({
    target: 'one Lambda function and one IAM role at every N',
    measured: `Lambda functions ${[...lambdas].join('/')}, roles ${[...roles].join('/')} at N = ${library.synth.map(s => s.n).join(', ')}`,
    met: lambdas.size === 1 && lambdas.has(1) && roles.size === 1 && roles.has(1),
  });

  const largestInline = Math.max(...library.footprints.map(footprint => footprint.largestRoleInlineChars));
  verdicts.push({
    target: `role's inline policies < ${IAM_ROLE_INLINE_POLICY_LIMIT.toLocaleString('en-US')} characters (IAM's limit)`,
    measured: `at most ${largestInline.toLocaleString('en-US')} characters`,
    met: largestInline < IAM_ROLE_INLINE_POLICY_LIMIT,
  });

  const sdkBytes = asset.origins.filter(origin => SDK_ORIGINS.includes(origin.origin)).reduce((total, origin) => total + origin.bytes, 0);
  const ownBytes = asset.origins.filter(origin => origin.origin.endsWith('(this project)')).reduce((total, origin) => total + origin.bytes, 0);
  verdicts.push({
    target: `asset < ${ASSET_GZIP_TARGET_BYTES.toLocaleString('en-US')} bytes (150 kB) gzipped`,
    measured: `${asset.gzipBytes.toLocaleString('en-US')} bytes gzipped = ${(asset.gzipBytes / 1024).toFixed(1)} KiB ` +
      `(${asset.rawBytes.toLocaleString('en-US')} raw)`,
    met: asset.gzipBytes < ASSET_GZIP_TARGET_BYTES,
    why: `${percent(sdkBytes, asset.rawBytes)} of the raw bundle is the AWS SDK for JavaScript v3 and what it pulls in ` +
      `(${SDK_ORIGINS.join(', ')}), ${percent(ownBytes, asset.rawBytes)} is this project's code` +
      (asset.gzipBytes < ASSET_GZIP_TARGET_KIB * 1024 ? `; read as 150 KiB (${(ASSET_GZIP_TARGET_KIB * 1024).toLocaleString('en-US')} bytes) it would be met` : ''),
  });

  if (lifecycle === undefined) {
    verdicts.push({
      target: `response within ${RESPONSE_AFTER_TRANSITION_TARGET_MS} ms of the channel turning ACTIVE`,
      measured: 'not measured',
      met: false,
      why: 'the lifecycle benchmark did not run (see above)',
    });
  } else {
    const waits = lifecycle.scenarios.filter(scenario => scenario.waitsForActive);
    const worst = waits.reduce((a, b) => (b.afterTransitionMaxMs > a.afterTransitionMaxMs ? b : a));
    verdicts.push({
      target: `response within ${RESPONSE_AFTER_TRANSITION_TARGET_MS} ms of the channel turning ACTIVE (worst of ${lifecycle.rounds} rounds)`,
      measured: waits.map(scenario =>
        `${scenario.name} ${scenario.afterTransitionMs.toFixed(0)} ms median, ${scenario.afterTransitionMaxMs.toFixed(0)} ms worst`).join('; '),
      met: worst.afterTransitionMaxMs <= RESPONSE_AFTER_TRANSITION_TARGET_MS,
      why: `${worst.name}: ${worst.afterTransitionWhy}`,
    });
  }
  return verdicts.map(verdict => (verdict.met ? { ...verdict, why: undefined } : verdict));
}

/** The native resource's names for the library's channel properties. */
const NATIVE_KEY: Record<string, string> = {
  'Properties.ChannelName': 'Properties.Name',
  'Properties.ChannelType': 'Properties.Type',
};

/** What the library's channel resource writes beyond the native one's, key by key, largest first. */
function extraKeys(library: WayResult, native: WayResult): string {
  const nativeBytes = new Map(native.anatomy[0].keys.map(key => [key.key, key.bytes]));
  return library.anatomy[0].keys
    .map(key => ({ key: key.key, extra: key.bytes - (nativeBytes.get(NATIVE_KEY[key.key] ?? key.key) ?? 0) }))
    .filter(key => key.extra > 0)
    .sort((a, b) => b.extra - a.extra)
    .map(key => `${key.key} +${key.extra} B`)
    .join(', ');
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)}%`;
}

function without(items: string[], remove: string[]): string[] {
  const rest = [...items];
  for (const item of remove) {
    const index = rest.indexOf(item);
    if (index >= 0) rest.splice(index, 1);
  }
  return rest;
}
