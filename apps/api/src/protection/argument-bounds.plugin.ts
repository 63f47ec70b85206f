import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { checkArgumentBounds } from './argument-bounds';

/**
 * Checks the arguments of every operation over HTTP once, before execution (graphql-ws runs
 * the same check in its onSubscribe). Done here rather than as a type-graphql global
 * middleware, which would wrap every field of every response in an async call.
 */
export function argumentBoundsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          checkArgumentBounds(schema, document, request.variables);
        },
      };
    },
  };
}
