/**
 * Each channel's place in its stack's schedule, shared by the construct (which writes the table into the
 * provider function's environment) and the handler (which finds its channel in it).
 *
 * CloudFormation starts the requests of a stack's channels all at once, and the Kinesis Video quotas are per
 * account: the handler spaces its requests out, each channel at its own slot. A slot is the channel's rank
 * among the stack's channels, so N channels fill N evenly spaced slots, where hashing each channel to a
 * random moment would bunch some of them together. The construct cannot give a channel its rank as a
 * property (adding a channel would shift the others' ranks and update them all); it writes the sorted
 * hashes of the logical IDs once, in the function's environment, and the handler ranks its own among them.
 *
 * A stream's configuration (images and notifications) takes a slot in the same table as a channel: "channel"
 * here stands for every custom resource the function serves.
 *
 * No aws-cdk-lib imports: esbuild bundles this module into the handler.
 */
import { createHash } from 'crypto';

/** Hex digits of a logical ID's hash in the table: 4 (65,536 values) keep 496 channels in under 2 KB. */
const KEY_DIGITS = 4;

/** The table's entry for a logical ID. */
export function slotKeyOf(logicalId: string): string {
  return createHash('sha256').update(logicalId).digest('hex').slice(0, KEY_DIGITS);
}

/** The table for a stack's channels: their keys, sorted, concatenated. */
export function renderSlotTable(logicalIds: readonly string[]): string {
  return logicalIds.map(slotKeyOf).sort().join('');
}

/** Where a channel stands in the table. */
export interface ChannelSlot {
  /** 0 to count - 1; a channel missing from the table (being removed from the stack) gets where it would sort. */
  readonly index: number;
  /** How many channels (and stream configurations) the stack holds (at least 1). */
  readonly count: number;
}

/** The slot of `logicalId` in `table`, or a lone slot when there is no table. */
export function slotOf(table: string | undefined, logicalId: string): ChannelSlot {
  const count = Math.floor((table ?? '').length / KEY_DIGITS);
  if (count === 0) {
    return { index: 0, count: 1 };
  }
  const key = slotKeyOf(logicalId);
  // The number of keys that sort before this one: a binary search over the fixed-width entries.
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (table!.slice(middle * KEY_DIGITS, (middle + 1) * KEY_DIGITS) < key) low = middle + 1;
    else high = middle;
  }
  return { index: Math.min(low, count - 1), count };
}
