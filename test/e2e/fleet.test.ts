/**
 * End to end, at fleet scale: a stack of 100 channels, created, re-tagged (a `Tags.of` change) and deleted
 * by CloudFormation all at once (each invocation starting up to a second late, as Lambda's cold starts
 * spread them), through the handler bundle users deploy, against a Kinesis Video double
 * that enforces the service's quotas. However big the stack, the deployment must leave the account's
 * quotas to its cameras: no call throttled, DescribeSignalingChannel (which every viewer and master calls
 * to connect) at most a third of the account's 300 a second, every other operation within its quota, and a
 * few calls per channel. Wall time is the benchmark's business (`npx projen bench`), not a test's.
 */
import { FleetDeployment } from '../support/fleet-deployment';
import { expectWithinQuotas } from '../support/fleet-expectations';
import { HANDLER_RUNTIMES } from '../support/lambda-process';

const CHANNELS = 100;
/** The service's transitions, as the benchmark models them. */
const TRANSITION_MS = 1_500;
/**
 * Invocations start up to this much after their events, as Lambda's cold starts spread them: the stack's
 * requests must keep to their slots however late each one starts.
 */
const START_JITTER_MS = 1_000;

describe.each(HANDLER_RUNTIMES)('a stack of 100 channels deployed at once, on %s', (_label, loadRuntime) => {
  test('create, Tags.of change and delete stay within the quotas, and leave the service as the stack says', async () => {
    const deployment = await FleetDeployment.start({
      cameras: CHANNELS, runtime: await loadRuntime(), transitionMs: TRANSITION_MS, startJitterMs: START_JITTER_MS,
    });
    try {
      const create = await deployment.create();
      expectWithinQuotas(create);
      expect(create.callsByOperation.CreateSignalingChannel).toBe(CHANNELS);
      expect(deployment.kvs.channels().map(channel => channel.status)).toEqual(Array(CHANNELS).fill('ACTIVE'));

      const retag = await deployment.update('retagged');
      expectWithinQuotas(retag);
      expect(retag.resources).toBe(CHANNELS);
      expect(deployment.kvs.channels().every(channel => channel.tags.firmware === '2.1' && channel.tags.fleet === 'cameras')).toBe(true);

      const remove = await deployment.delete();
      expectWithinQuotas(remove);
      await new Promise(resolve => setTimeout(resolve, TRANSITION_MS));
      expect(deployment.kvs.channels()).toEqual([]);
      expect(deployment.cfn.problems()).toEqual([]);
    } finally {
      await deployment.stop();
    }
  }, 120_000);
});
