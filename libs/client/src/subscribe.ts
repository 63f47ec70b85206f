import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { webSocketUrl, type QuorumConnection } from './connection';
import { QuorumConnectionClosedError, QuorumRequestError } from './errors';
import { operationText } from './request';

/**
 * A graphql-ws client for Quorum's subscriptions: the key goes in `connection_init`, and Node
 * gets `ws` as its WebSocket. Options (retries, lazy, keepAlive, on) pass through to graphql-ws.
 */
export function createSubscriptionClient(
  connection: QuorumConnection,
  options: Omit<Partial<ClientOptions>, 'url' | 'connectionParams'> = {},
): Client {
  return createClient({
    webSocketImpl: WebSocket,
    ...options,
    url: webSocketUrl(connection.url),
    connectionParams: { authorization: `Bearer ${connection.apiKey}` },
  });
}

export interface SubscriptionSink<TData> {
  next(data: TData): void;
  error(error: Error): void;
  complete(): void;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

/** graphql-ws reports errors as arrays, close events or errors: make each an Error. */
export function subscriptionError(error: unknown): Error {
  if (Array.isArray(error)) return new QuorumRequestError(error as GraphQLFormattedError[]);
  if (isCloseEvent(error)) return new QuorumConnectionClosedError(error.code, error.reason);
  if (error instanceof Error) return error;
  // A WebSocket ErrorEvent (e.g. the connection was refused) carries the cause in `error`.
  const cause = (error as { error?: unknown } | null)?.error;
  if (cause instanceof Error) return cause;
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' && message ? message : String(error));
}

/**
 * Subscribes with a generated document and typed variables; `next` receives typed data.
 * Returns the function that unsubscribes.
 */
export function subscribe<TData, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  sink: SubscriptionSink<TData>,
): () => void {
  return client.subscribe<TData>(
    { query: operationText(document), variables },
    {
      next: (result) => {
        if (result.errors?.length) sink.error(new QuorumRequestError(result.errors));
        else if (result.data) sink.next(result.data as TData);
      },
      error: (error) => sink.error(subscriptionError(error)),
      complete: () => sink.complete(),
    },
  );
}
