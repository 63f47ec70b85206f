import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { GRAPHQL_PATH } from './api-key';

/** The API closes a socket with 4403 when the key lacks SUBSCRIBE or was revoked. */
const CLOSE_FORBIDDEN = 4403;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'forbidden';

/** The state of the graphql-ws connection, readable with useSyncExternalStore. */
export class LiveConnection {
  private status: LiveStatus = 'connecting';
  private readonly listeners = new Set<() => void>();
  private readonly reconnectListeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getStatus = (): LiveStatus => this.status;

  /** Called after a dropped connection comes back: events may have been missed meanwhile. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  set(status: LiveStatus, reconnected = false): void {
    this.status = status;
    this.listeners.forEach((l) => l());
    if (reconnected) this.reconnectListeners.forEach((l) => l());
  }
}

export interface Session {
  client: ApolloClient;
  live: LiveConnection;
  dispose(): void;
}

function webSocketUrl(): string {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * One signed-in session: queries over HTTP and subscriptions over graphql-ws on the same
 * origin, both carrying the key as a Bearer token.
 */
export function createSession(apiKey: string): Session {
  const authorization = `Bearer ${apiKey}`;
  const live = new LiveConnection();
  const socket = createClient({
    url: webSocketUrl(),
    connectionParams: { authorization },
    // A dashboard stays open for hours: keep reconnecting, unless the key is refused.
    retryAttempts: Infinity,
    shouldRetry: (event) =>
      !(typeof event === 'object' && event !== null && 'code' in event) ||
      event.code !== CLOSE_FORBIDDEN,
    on: {
      connected: (_socket, _payload, wasRetry) => live.set('live', wasRetry),
      closed: (event) => {
        const code = (event as { code?: number } | undefined)?.code;
        live.set(code === CLOSE_FORBIDDEN ? 'forbidden' : 'reconnecting');
      },
    },
  });
  const http = new HttpLink({ uri: GRAPHQL_PATH, headers: { authorization } });
  const client = new ApolloClient({
    link: ApolloLink.split(
      ({ query }) => isSubscriptionOperation(query),
      new GraphQLWsLink(socket),
      http,
    ),
    cache: new InMemoryCache({
      // Scores have no id of their own: merge what the list and the account view each ask for.
      typePolicies: {
        Account: { fields: { score: { merge: true } } },
        AccountScore: { fields: { signals: { merge: true } } },
        AccountSignals: { fields: { velocity: { merge: true } } },
      },
    }),
  });
  return {
    client,
    live,
    dispose() {
      void socket.dispose();
      client.stop();
    },
  };
}
