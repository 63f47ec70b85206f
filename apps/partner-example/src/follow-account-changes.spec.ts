import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountChange } from './format-change';
import { followAccountChanges } from './follow-account-changes';

/**
 * A graphql-ws endpoint whose every subscription ends at once, cleanly, after sending the
 * given events (as a server does when it drains, or one that keeps refusing to stream).
 */
async function endingServer(
  events: unknown[],
): Promise<{ url: string; subscriptions: () => number; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  let subscriptions = 0;
  const schema = buildSchema('type Query { ok: Boolean }');
  const cleanup = useServer(
    {
      schema,
      onSubscribe: (_ctx, _id, payload) => ({
        schema,
        document: parse(payload.query),
        variableValues: payload.variables,
      }),
      subscribe: async () => {
        subscriptions += 1;
        return (async function* (): AsyncGenerator<ExecutionResult> {
          for (const event of events) yield { data: { accountScoreChanged: event } };
        })();
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    subscriptions: () => subscriptions,
    close: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

describe('followAccountChanges', () => {
  let server: Awaited<ReturnType<typeof endingServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function follow(events: unknown[], runs: number) {
    server = await endingServer(events);
    const stop = new AbortController();
    const delaysAskedFor: number[] = [];
    const changes: AccountChange[] = [];
    await followAccountChanges({
      connection: { url: server.url, apiKey: 'qk_test' },
      lastEventId: () => changes.at(-1)?.eventId ?? null,
      onChange: (change) => changes.push(change),
      log: () => undefined,
      signal: stop.signal,
      retryDelayMs: (failures) => {
        delaysAskedFor.push(failures);
        if (delaysAskedFor.length >= runs) stop.abort();
        return 1;
      },
    });
    return { delaysAskedFor, changes };
  }

  it('backs off further each time the server ends a subscription at once', async () => {
    const { delaysAskedFor } = await follow([], 4);
    expect(delaysAskedFor).toEqual([1, 2, 3, 4]);
    expect(server!.subscriptions()).toBe(4);
  });

  it('starts the backoff again after a subscription that delivered changes', async () => {
    const { delaysAskedFor, changes } = await follow([{ eventId: 'account:1' }], 3);
    expect(delaysAskedFor).toEqual([0, 0, 0]);
    expect(changes.map((c) => c.eventId)).toEqual(['account:1', 'account:1', 'account:1']);
  });
});
