export * from './follow-account-changes';
export * from './format-change';
export * from './options';
export * from './state-file';
