export type { IKinesisVideoResource } from './core/kinesis-video-resource';
export { KinesisVideoResourceBase } from './core/kinesis-video-resource';
export * from './signaling-channel/signaling-channel';
export * from './signaling-channel/signaling-operation';
export * from './stream/stream';
export * from './iot/thing-channel-grants';
export * from './camera-fleet/camera-fleet';
export { Camera } from './camera-fleet/camera';
export type { CameraOptions } from './camera-fleet/camera';
