export type { IKinesisVideoResource } from './core/kinesis-video-resource';
export * from './signaling-channel/signaling-channel';
export * from './signaling-channel/signaling-operation';
export * from './stream/stream';
export * from './iot/thing-channel-grants';
export * as chime from './chime';
