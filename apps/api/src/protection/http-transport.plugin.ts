import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { RequestContext } from '../context';
import { DATABASE_RETRY_AFTER_SECONDS } from '../format-error';

/**
 * What only GraphQL over HTTP needs: a subscription is refused (graphql-ws serves them; over
 * HTTP it would run as a query with no event and fail as a server error), and a response that
 * failed because PostgreSQL is unreachable is a 503 with retry-after, so clients and load
 * balancers retry it.
 */
export function httpTransportPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          const [first] = operation.selectionSet.selections;
          const field = first?.kind === Kind.FIELD ? first.name.value : 'subscription';
          const message = 'subscriptions are served over graphql-ws (WebSocket) at /graphql';
          throw new GraphQLError(`${field}: ${message}`, {
            extensions: {
              code: 'BAD_USER_INPUT',
              field,
              issues: [{ path: field, message }],
              http: { status: 400 },
            },
          });
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.some((e) => e.extensions?.['code'] === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
