export * from './app-instance';
export * from './app-instance-user';
export * from './channel';
