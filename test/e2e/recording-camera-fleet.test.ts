/**
 * End to end, the biggest fleet of recording cameras with images one stack can hold: a `CameraFleet` whose
 * every camera records into its stream, which sends thumbnails to a bucket and notifications to a topic (per
 * camera: a thing, a stream, its images and notifications, a channel). CloudFormation creates the streams,
 * then every channel and stream configuration at once; then re-tags the channels, changes the fleet's
 * sampling interval (every stream configuration updated in place) and deletes them all. The handler bundle
 * users deploy runs them under the provider role's policy against a Kinesis Video double that enforces the
 * service's quotas: 0 failures, nothing throttled or denied, every operation within its account quota.
 */
import { FleetDeployment } from '../support/fleet-deployment';
import { expectWithinQuotas } from '../support/fleet-expectations';
import { HANDLER_RUNTIMES } from '../support/lambda-process';

/**
 * The most that fit in CloudFormation's 500 resources: 9 for the stack (10 with the CLI's CDKMetadata), 4 for
 * each camera; camera-fleet-rules.test.ts proves the 123rd is refused.
 */
const CAMERAS = 122;
/** The fleet's role, role alias and IoT policy, the provider's function, role and log group, the bucket, the topic, the fleet role's policy. */
const STACK_OWN_RESOURCES = 9;
/** A thing, a channel, a stream and its configuration. */
const RESOURCES_PER_CAMERA = 4;
const TRANSITION_MS = 1_500;
const START_JITTER_MS = 1_000;

describe.each(HANDLER_RUNTIMES)(`a CameraFleet of ${CAMERAS} recording cameras with images, on %s`, (_label, loadRuntime) => {
  test('deploys, re-tags, changes its images in place and deletes with 0 failures inside the quotas', async () => {
    const deployment = await FleetDeployment.start({
      camera: 'recordingWithImages', cameras: CAMERAS, runtime: await loadRuntime(), transitionMs: TRANSITION_MS, startJitterMs: START_JITTER_MS,
    });
    try {
      expect(Object.keys(deployment.versions.initial.template.Resources)).toHaveLength(STACK_OWN_RESOURCES + RESOURCES_PER_CAMERA * CAMERAS);

      const create = await deployment.create();
      expectWithinQuotas(create);
      expect(create.resources).toBe(2 * CAMERAS);
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
      expect(retag.resources).toBe(CAMERAS);
      expect(retag.callsByOperation).toEqual({ ListTagsForResource: CAMERAS, TagResource: CAMERAS });
      expect(deployment.kvs.channels().filter(channel => channel.tags.firmware === '2.1' && channel.tags.fleet === 'cameras')).toHaveLength(CAMERAS);

      const images = await deployment.update('imagesChanged');
      expectWithinQuotas(images);
      expect(images.resources).toBe(CAMERAS);
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
