/** The Kinesis Video double's quotas: calls an operation accepts in any 1,000 ms, per account and per channel. */
import { Input, KinesisVideoOperation } from './kinesis-video-wire';

/** Calls accepted in any 1,000 ms, per account and region, and per channel. */
export interface Quota {
  readonly perAccount: number;
  readonly perChannel?: number;
}

/** The service's quotas (shared/reference/kvs-signaling-api-notes.md, "Quotas"). */
export const SERVICE_QUOTAS: Readonly<Record<KinesisVideoOperation, Quota>> = {
  CreateSignalingChannel: { perAccount: 50 },
  DescribeSignalingChannel: { perAccount: 300, perChannel: 5 },
  UpdateSignalingChannel: { perAccount: 50, perChannel: 5 },
  DeleteSignalingChannel: { perAccount: 50, perChannel: 5 },
  ListTagsForResource: { perAccount: 50, perChannel: 5 },
  TagResource: { perAccount: 50, perChannel: 5 },
  UntagResource: { perAccount: 50, perChannel: 5 },
  UpdateMediaStorageConfiguration: { perAccount: 10, perChannel: 5 },
  DescribeMediaStorageConfiguration: { perAccount: 50, perChannel: 5 },
  // Not on the quota page: taken to be like the other Describe-style calls of the stream's side.
  DescribeMappedResourceConfiguration: { perAccount: 50 },
  // The developer guide's control-plane quota table: 50 TPS per account, 5 per stream (hard). The two Update calls
  // are not in the rows found: taken to be the same. Counted per stream (`perChannel` counts the stream's name).
  DescribeImageGenerationConfiguration: { perAccount: 50, perChannel: 5 },
  UpdateImageGenerationConfiguration: { perAccount: 50, perChannel: 5 },
  DescribeNotificationConfiguration: { perAccount: 50, perChannel: 5 },
  UpdateNotificationConfiguration: { perAccount: 50, perChannel: 5 },
};

const QUOTA_WINDOW_MS = 1_000;

/** The most of `calls` sent within any 1,000 ms. */
export function peakCallsPerSecond(calls: ReadonlyArray<{ readonly sentAt: number }>): number {
  const times = calls.map(call => call.sentAt).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= QUOTA_WINDOW_MS) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** The calls each quota accepted lately, and whether the next call is over one. */
export class QuotaMeter {
  /** Sent times of the calls each quota accepted in the last windows, by `<operation>` and `<operation> <channel>`. */
  private readonly accepted = new Map<string, number[]>();

  /**
   * Count the call against its operation's quotas, per account and per channel: which one it is over, or
   * undefined when both accept it (and it is counted).
   */
  public admit(operation: KinesisVideoOperation, region: string, input: Input, now: number): 'account' | 'channel' | undefined {
    const quota = SERVICE_QUOTAS[operation];
    // The calls accepted in the window that ends at this call's time. Calls may arrive out of the order they
    // were sent (by their sent time): a call sent after this one is not in its window, and is kept for later.
    const recent = (key: string) => {
      const times = (this.accepted.get(key) ?? []).filter(time => now - time < 2 * QUOTA_WINDOW_MS);
      this.accepted.set(key, times);
      return times.filter(time => time <= now && now - time < QUOTA_WINDOW_MS);
    };
    const accountCalls = recent(`${region} ${operation}`);
    if (accountCalls.length >= quota.perAccount) return 'account';
    // The channel's name, whether the call names it or gives its ARN (`...:channel/<name>/<time>`).
    // The configuration calls name a stream the same ways (StreamName, `...:stream/<name>/<time>`).
    const channelName = input.ChannelName ?? input.StreamName ?? String(input.ChannelARN ?? input.ResourceARN ?? input.StreamARN ?? '').split('/')[1];
    const channelCalls = quota.perChannel !== undefined && channelName !== undefined
      ? recent(`${region} ${operation} ${String(channelName)}`)
      : undefined;
    if (channelCalls !== undefined && channelCalls.length >= quota.perChannel!) return 'channel';
    this.accepted.get(`${region} ${operation}`)!.push(now);
    if (channelCalls !== undefined) this.accepted.get(`${region} ${operation} ${String(channelName)}`)!.push(now);
    return undefined;
  }
}
