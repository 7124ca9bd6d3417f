/**
 * Every `metric*` method says in its docs which statistic and period it uses by default (as aws-cdk-lib's do):
 * each doc is read from the source and checked against the metric the method returns.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SignalingChannel, SignalingOperation, Stream } from '../src';

/** `name -> "<Statistic> over <N> minutes"` from the doc comment above each `metric*` declaration of a file. */
function documentedDefaults(file: string): Map<string, { statistic: string; minutes: number }> {
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8');
  const defaults = new Map<string, { statistic: string; minutes: number }>();
  for (const [, doc, name] of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n {2}(metric\w*)\(/g)) {
    const stated = /\* (Average|Sum|Maximum|Minimum)(?: \([^)]*\))? over (\d+) minutes by default/.exec(doc);
    if (!stated) throw new Error(`${file}: the doc of ${name} does not say its statistic and period`);
    defaults.set(name, { statistic: stated[1], minutes: Number(stated[2]) });
  }
  return defaults;
}

const STATISTIC_NAMES: Record<string, string> = {
  [cloudwatch.Stats.AVERAGE]: 'Average',
  [cloudwatch.Stats.SUM]: 'Sum',
  [cloudwatch.Stats.MAXIMUM]: 'Maximum',
  [cloudwatch.Stats.MINIMUM]: 'Minimum',
};

const stack = new Stack(new App(), 'MetricStack');
const channel = new SignalingChannel(stack, 'Channel');
const stream = new Stream(stack, 'Stream');

test.each([
  ['signaling-channel/signaling-channel.ts', channel, 4],
  ['stream/stream.ts', stream, 12],
  ['core/kinesis-video-resource.ts', channel, 1],
] as const)('%s: every metric method\'s doc names the statistic and period it returns', (file, resource, count) => {
  const defaults = documentedDefaults(file);
  // The interface's declarations carry the docs (the class's implementations have none of their own).
  expect(defaults.size).toBe(count);
  for (const [name, stated] of defaults) {
    const method = (resource as unknown as Record<string, (...args: unknown[]) => cloudwatch.Metric>)[name];
    const metric = name === 'metric' ? method.call(resource, 'Custom')
      : method.length === 2 ? method.call(resource, SignalingOperation.CONNECT_AS_MASTER) : method.call(resource);
    expect([name, STATISTIC_NAMES[metric.statistic]]).toEqual([name, stated.statistic]);
    expect([name, metric.period.toMinutes()]).toEqual([name, stated.minutes]);
  }
});
