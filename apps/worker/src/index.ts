export * from './job-handlers';
export * from './queue-workers';
export * from './health-server';
export * from './scoring-runtime';
export * from './job-schedules';
export * from './worker-metrics';
export * from './observed-event-publisher';
