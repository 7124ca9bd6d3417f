/**
 * End to end, the biggest fleet of recording cameras with images one stack can hold: a `CameraFleet` whose
 * every camera records into its stream, which sends thumbnails to a bucket and notifications to a topic (per
 * camera: a thing, a stream, its images and notifications, a channel). CloudFormation creates the streams,
 * then every channel and stream configuration at once; then re-tags the channels, changes the fleet's
 * sampling interval (every stream configuration updated in place) and deletes them all. The handler bundle
 * users deploy runs them under the provider role's policy against a Kinesis Video double that enforces the
 * service's quotas: 0 failures, nothing throttled or denied, every operation within its account quota.
 */
import { FleetDeployment, PhaseResult } from '../support/fleet-deployment';
import { SERVICE_QUOTAS } from '../support/kinesis-video-quotas';
import { HANDLER_RUNTIMES } from '../support/lambda-process';

/** 9 resources for the stack, 4 for each camera: 122 is the most that fit in CloudFormation's 500. */
const CAMERAS = 122;
/** The most resources one CloudFormation template may declare. */
const CLOUDFORMATION_RESOURCE_LIMIT = 500;
const TRANSITION_MS = 1_500;
const START_JITTER_MS = 1_000;
/** A third of the account's 300 DescribeSignalingChannel a second: the rest is the cameras'. */
const DESCRIBE_PEAK_LIMIT = 100;

function expectWithinQuotas(result: PhaseResult): void {
  expect({ phase: result.phase, failures: result.failures }).toEqual({ phase: result.phase, failures: [] });
  expect({ phase: result.phase, throttled: result.throttled, summary: JSON.stringify(result) }).toMatchObject({ throttled: 0 });
  expect(result.peakPerSecond.DescribeSignalingChannel ?? 0).toBeLessThanOrEqual(DESCRIBE_PEAK_LIMIT);
  for (const [operation, peak] of Object.entries(result.peakPerSecond)) {
    expect({ operation, peak: peak! <= SERVICE_QUOTAS[operation as keyof typeof SERVICE_QUOTAS].perAccount })
      .toEqual({ operation, peak: true });
  }
}

describe.each(HANDLER_RUNTIMES)(`a CameraFleet of ${CAMERAS} recording cameras with images, on %s`, (_label, loadRuntime) => {
  test('deploys, re-tags, changes its images in place and deletes with 0 failures inside the quotas', async () => {
    const deployment = await FleetDeployment.start({
      cameras: 'recordingWithImages', channels: CAMERAS, runtime: await loadRuntime(), transitionMs: TRANSITION_MS, startJitterMs: START_JITTER_MS,
    });
    try {
      const resourceCount = Object.keys(deployment.versions.initial.template.Resources).length;
      expect(resourceCount).toBeLessThanOrEqual(CLOUDFORMATION_RESOURCE_LIMIT);
      expect(resourceCount + 4).toBeGreaterThan(CLOUDFORMATION_RESOURCE_LIMIT);

      const create = await deployment.create();
      expectWithinQuotas(create);
      expect(create.channels).toBe(2 * CAMERAS);
      expect(create.callsByOperation).toMatchObject({
        CreateSignalingChannel: CAMERAS, UpdateImageGenerationConfiguration: CAMERAS, UpdateNotificationConfiguration: CAMERAS,
      });
      expect(deployment.kvs.calls.filter(call => call.deniedBy !== undefined)).toEqual([]);
      const streams = deployment.kvs.streams();
      expect(streams).toHaveLength(CAMERAS);
      expect(streams.filter(stream => stream.imageGeneration?.Status === 'ENABLED' && stream.imageGeneration.SamplingInterval === 1000 &&
        stream.notification?.Status === 'ENABLED')).toHaveLength(CAMERAS);
      expect(deployment.kvs.channels().filter(channel => channel.status === 'ACTIVE')).toHaveLength(CAMERAS);

      const retag = await deployment.update('retagged');
      expectWithinQuotas(retag);
      // Only the channels carry tags; the stream configurations are left alone.
      expect(retag.channels).toBe(CAMERAS);
      expect(retag.callsByOperation.UpdateImageGenerationConfiguration).toBeUndefined();

      const images = await deployment.update('imagesChanged');
      expectWithinQuotas(images);
      expect(images.channels).toBe(CAMERAS);
      // Only the images changed: one call a stream, no notification call.
      expect(images.callsByOperation).toEqual({ UpdateImageGenerationConfiguration: CAMERAS });
      expect(deployment.kvs.streams().every(stream => stream.imageGeneration?.SamplingInterval === 5000)).toBe(true);

      const remove = await deployment.delete();
      expectWithinQuotas(remove);
      await new Promise(resolve => setTimeout(resolve, TRANSITION_MS));
      expect(deployment.kvs.channels()).toEqual([]);
      expect(deployment.kvs.streams().filter(stream => stream.imageGeneration !== undefined || stream.notification !== undefined)).toEqual([]);
      expect(deployment.kvs.calls.filter(call => call.deniedBy !== undefined)).toEqual([]);
      expect(deployment.cfn.problems()).toEqual([]);
    } finally {
      await deployment.stop();
    }
  }, 240_000);
});
