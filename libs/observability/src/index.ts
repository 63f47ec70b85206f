export * from './log-context';
export * from './logger';
export * from './metrics-registry';
export * from './queue-depth';
export * from './request-id';
