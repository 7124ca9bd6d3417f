export * from './signaling-channel';
export * from './signaling-operation';
export * from './stream';
export type { ThingChannelGrantOptions } from './thing-channel-grant';
