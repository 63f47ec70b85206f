export * from './config';
export * from './clock';
