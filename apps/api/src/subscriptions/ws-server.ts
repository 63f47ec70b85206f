import type { Server } from 'node:http';
import type { ScoreEvent } from '@quorum/events';
import { hasScope, type AuthenticatedKey } from '@quorum/services';
import {
  GraphQLError,
  specifiedRules,
  validate,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildContext, type RequestContext } from '../context';
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

function bearer(value: unknown): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(typeof value === 'string' ? value : '');
  return match ? match[1]! : null;
}

/**
 * graphql-ws on the API's /graphql path, beside Apollo's HTTP handler. The key is checked
 * in connection_init (it needs SUBSCRIBE); a revoked key loses its open connections, on
 * every API instance, through a control message on Redis.
 */
export function startSubscriptionServer(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  /** The same operation limits as over HTTP. */
  validationRules: readonly ValidationRule[];
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

  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema: options.schema,
      isProd: options.production,
      subscribe: sharedExecutionSubscribe((contextValue) => {
        const auth = (contextValue as RequestContext).auth;
        return `${auth?.workspaceId}:${auth?.scopes.join(',')}`;
      }),
      validate: (schema, document) =>
        validate(schema, document, [...specifiedRules, ...options.validationRules]),
      onConnect: async (ctx) => {
        const token = bearer(ctx.connectionParams?.['authorization']);
        const auth = token ? await options.services.workspaces.authenticate(token) : null;
        if (!auth || !hasScope(auth.scopes, 'SUBSCRIBE')) return false;
        ctx.extra.auth = auth;
        ctx.extra.operations = new Set();
        const sockets = socketsByKey.get(auth.keyId) ?? new Set();
        sockets.add(ctx.extra.socket);
        socketsByKey.set(auth.keyId, sockets);
        return true;
      },
      onSubscribe: (ctx, id) => {
        const { auth, operations } = ctx.extra;
        if (!auth || !operations)
          return [
            new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } }),
          ];
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
        return undefined;
      },
      onComplete: (ctx, id) => release(ctx.extra, id),
      onError: (ctx, _id, _payload, errors) => {
        if (errors.some((e) => e.originalError instanceof SlowConsumerError)) {
          ctx.extra.socket.close(
            CLOSE_SLOW_CONSUMER,
            'slow consumer: events were not read in time',
          );
        }
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
