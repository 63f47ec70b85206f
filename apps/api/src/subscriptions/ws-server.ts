import type { Server } from 'node:http';
import type { ScoreEvent } from '@quorum/events';
import { isDatabaseUnavailable } from '@quorum/persistence';
import { hasScope, type AuthenticatedKey } from '@quorum/services';
import {
  GraphQLError,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildContext, type RequestContext } from '../context';
import type { AuthFailureGuard } from '../protection/auth-failures';
import { clientAddress, type TrustProxy } from '../protection/client-address';
import { admitOperation, type OperationGuard } from '../protection/operation-guard';
import type { Services } from '../services';
import { SlowConsumerError } from './event-stream';
import type { ScoreEventHub } from './score-event-hub';
import { sharedExecutionSubscribe } from './shared-execution';
import { WriteCoalescer } from './write-coalescer';

export interface SubscriptionLimits {
  perConnection: number;
  perKey: number;
  /** Events waiting for one slow subscriber before it is disconnected. */
  maxBufferedEvents: number;
  /** Bytes a connection may have waiting to be written before its sends wait (WriteCoalescer). */
  maxUnflushedBytes: number;
  keepAliveMs: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  perConnection: 20,
  perKey: 200,
  maxBufferedEvents: 1_000,
  maxUnflushedBytes: 16 * 1024,
  keepAliveMs: 12_000,
};

type Extra = {
  auth?: AuthenticatedKey;
  operations?: Set<string>;
};

/** Close codes a partner app can act on. */
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_SLOW_CONSUMER = 4408;
/** The client's address failed authentication too often; it may retry later. */
export const CLOSE_TOO_MANY_AUTH_FAILURES = 4429;
/** WebSocket's "try again later": PostgreSQL is unreachable. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

function bearer(value: unknown): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(typeof value === 'string' ? value : '');
  return match ? match[1]! : null;
}

/**
 * graphql-ws on the API's /graphql path, beside Apollo's HTTP handler. The key is checked
 * in connection_init (it needs SUBSCRIBE), through the same failed-authentication guard as
 * HTTP; a revoked key loses its open connections, on every API instance, through a control
 * message on Redis. Every operation, queries and mutations included, passes the same guard
 * as over HTTP (query text, validation rules, argument bounds, the key's rate budgets), and
 * its errors are formatted as over HTTP.
 */
export function startSubscriptionServer(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  /** The same operation limits as over HTTP. */
  guard: OperationGuard;
  authFailures: AuthFailureGuard;
  trustProxy: TrustProxy;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  services: Services;
  hub: ScoreEventHub;
  limits?: Partial<SubscriptionLimits>;
  production: boolean;
  onEventDelivered?: (event: ScoreEvent) => void;
}) {
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.limits };
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: 256 * 1024,
  });
  // Registered before graphql-ws's own listener, so every send of a connection is coalesced.
  const writes = new WriteCoalescer(limits.maxUnflushedBytes);
  wsServer.on('connection', (socket, request) => writes.coalesce(socket, request.socket));
  const socketsByKey = new Map<string, Set<WebSocket>>();
  const subscriptionsByKey = new Map<string, number>();

  options.hub.onControl((message) => {
    if (message.type !== 'KEY_REVOKED') return;
    for (const socket of socketsByKey.get(message.keyId) ?? [])
      socket.close(CLOSE_FORBIDDEN, 'API key revoked');
  });

  const release = (extra: Extra, id: string) => {
    if (!extra.auth || !extra.operations?.delete(id)) return;
    const keyId = extra.auth.keyId;
    subscriptionsByKey.set(keyId, Math.max(0, (subscriptionsByKey.get(keyId) ?? 1) - 1));
  };

  const format = (error: GraphQLError): GraphQLFormattedError => {
    const json = error.toJSON();
    const extensions: Record<string, unknown> = {
      ...json.extensions,
      code: json.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR',
    };
    // An HTTP status means nothing on a socket.
    delete extensions['http'];
    return options.formatError({ ...json, extensions }, error);
  };

  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema: options.schema,
      isProd: options.production,
      subscribe: sharedExecutionSubscribe((contextValue) => {
        const auth = (contextValue as RequestContext).auth;
        return `${auth?.workspaceId}:${auth?.scopes.join(',')}`;
      }),
      onConnect: async (ctx) => {
        const token = bearer(ctx.connectionParams?.['authorization']);
        if (!token) return false;
        const address = clientAddress(ctx.extra.request, options.trustProxy);
        let attempt;
        try {
          attempt = await options.authFailures.attempt(address, 'graphql-ws', () =>
            options.services.workspaces.authenticate(token),
          );
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'database unavailable; retry shortly');
          return false;
        }
        if (attempt.outcome === 'blocked') {
          ctx.extra.socket.close(
            CLOSE_TOO_MANY_AUTH_FAILURES,
            'too many failed authentications from this address; retry later',
          );
          return false;
        }
        if (attempt.outcome === 'failed') return false;
        const auth = attempt.value;
        if (!hasScope(auth.scopes, 'SUBSCRIBE')) return false;
        ctx.extra.auth = auth;
        ctx.extra.operations = new Set();
        const sockets = socketsByKey.get(auth.keyId) ?? new Set();
        sockets.add(ctx.extra.socket);
        socketsByKey.set(auth.keyId, sockets);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const { auth, operations } = ctx.extra;
        if (!auth || !operations)
          return [
            new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } }),
          ];
        const admitted = await admitOperation(options.guard, options.schema, payload, auth);
        if (Array.isArray(admitted)) return admitted;
        // Counted after the await, so operations sent together cannot pass on a stale count.
        if (operations.size >= limits.perConnection) {
          return [
            new GraphQLError(`At most ${limits.perConnection} subscriptions per connection`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        const used = subscriptionsByKey.get(auth.keyId) ?? 0;
        if (used >= limits.perKey) {
          return [
            new GraphQLError(`At most ${limits.perKey} subscriptions per API key`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        operations.add(id);
        subscriptionsByKey.set(auth.keyId, used + 1);
        // The context comes from `context` below.
        return {
          schema: options.schema,
          document: admitted.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result): FormattedExecutionResult | undefined => {
        // Shared results pass through untouched; only those with errors are formatted.
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map(format) };
      },
      onComplete: (ctx, id) => release(ctx.extra, id),
      onError: (ctx, _id, _payload, errors) => {
        if (errors.some((e) => e.originalError instanceof SlowConsumerError)) {
          ctx.extra.socket.close(
            CLOSE_SLOW_CONSUMER,
            'slow consumer: events were not read in time',
          );
          return undefined;
        }
        return errors.map(format);
      },
      onClose: (ctx) => {
        const { auth, operations } = ctx.extra;
        if (!auth) return;
        for (const id of [...(operations ?? [])]) release(ctx.extra, id);
        socketsByKey.get(auth.keyId)?.delete(ctx.extra.socket);
      },
      // A subscription's context lives as long as it does; the event payloads it serves
      // are self-contained, so nothing cached here can go stale.
      context: (ctx) => ({
        ...buildContext(options.services, ctx.extra.auth ?? null, false),
        subscriptions: {
          hub: options.hub,
          maxBufferedEvents: limits.maxBufferedEvents,
          onDelivered: options.onEventDelivered,
        },
      }),
    },
    wsServer,
    limits.keepAliveMs,
  );

  return {
    connectionCount: () => wsServer.clients.size,
    subscriptionCount: () => {
      let total = 0;
      for (const n of subscriptionsByKey.values()) total += n;
      return total;
    },
    dispose: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
