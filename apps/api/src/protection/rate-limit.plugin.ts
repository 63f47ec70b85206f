import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { rateLimitedError, type OperationBudgets } from './operation-budgets';

/**
 * The per-key budgets over HTTP: each response carries the limit and what is left; a request
 * over budget is refused with RATE_LIMITED (HTTP 429) and a retry time.
 */
export function rateLimitPlugin(budgets: OperationBudgets): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, response }) {
          const auth = contextValue.auth;
          if (!auth || !operation) return;
          const state = await budgets.consume(auth.keyId, operation.operation);
          const headers = response.http.headers;
          headers.set('x-ratelimit-budget', state.budget);
          headers.set('x-ratelimit-limit', String(state.limit));
          headers.set('x-ratelimit-remaining', String(state.remaining));
          headers.set('x-ratelimit-reset', String(state.resetSeconds));
          if (state.limited) {
            headers.set('retry-after', String(state.resetSeconds));
            throw rateLimitedError(state);
          }
        },
      };
    },
  };
}
