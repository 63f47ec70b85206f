export * from './connections';
export * from './job-producer';
export * from './job-registry';
export * from './micro-batcher';
export * from './reconcile-now';
