export * from './connection';
export * from './errors';
export * from './generated/graphql';
export { request, type VariablesOf } from './request';
export {
  createSubscriptionClient,
  subscribe,
  subscriptionError,
  type SubscriptionSink,
} from './subscribe';
