export * from './signaling-channel';
export * from './signaling-operation';
