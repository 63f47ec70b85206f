import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Collected<T> {
  events: T[];
  errors: unknown[];
  completed: boolean;
  stop(): void;
}

/** A partner's graphql-ws client: Authorization goes in connection_init. */
export function wsClient(
  url: string,
  key: string | null,
  onClosed?: (code: number, reason: string) => void,
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed?.(e.code, e.reason);
      },
    },
  });
}

export function collect<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Collected<T> {
  const result: Collected<T> = { events: [], errors: [], completed: false, stop: () => undefined };
  result.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) result.errors.push(...value.errors);
        else if (value.data) result.events.push(value.data as T);
      },
      error: (error) => result.errors.push(error),
      complete: () => {
        result.completed = true;
      },
    },
  );
  return result;
}
