export * from './event-publisher';
export * from './score-events';
