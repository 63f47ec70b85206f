export * from './check-redis';
export * from './prepare-database';
export * from './shutdown';
export * from './startup-errors';
export * from './readiness';
export * from './check-services';
export * from './node-version';
