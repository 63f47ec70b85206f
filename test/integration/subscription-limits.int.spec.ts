import { randomUUID } from 'node:crypto';
import { eventChannel, type AccountScoreChangedEvent } from '@quorum/events';
import { Database, trustedWorkspaceId } from '@quorum/persistence';
import { EventIdCodec } from '@quorum/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testRedisUrl } from '../support/database-url';
import { collect, wsClient } from '../support/ws-client';

const SUBSCRIPTION = `subscription { accountScoreChanged { eventId reasons { label } } }`;
const MAX_BUFFERED_EVENTS = 5;

/**
 * The subscription limits of one API process: subscriptions per connection and per key; a
 * subscriber that stops reading is cut off (4408) instead of growing the API's memory, and
 * what it did receive is every event up to the cut, in order; keep-alive pings drop a
 * connection whose other end is gone.
 */
describe('subscription limits', () => {
  let h: ApiHarness;
  let redis: Redis;
  let workspace: { id: string; key: string };

  beforeAll(async () => {
    h = await startApiHarness({
      subscriptionLimits: {
        perConnection: 2,
        perKey: 3,
        maxBufferedEvents: MAX_BUFFERED_EVENTS,
        maxUnflushedBytes: 1024,
        keepAliveMs: 300,
      },
    });
    workspace = await h.newWorkspace('Limits');
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  const channel = () => eventChannel(h.redisPrefix, workspace.id);
  const listening = (count: number) =>
    eventually(async () => (h.server.hub.listenerCount() === count ? true : undefined));

  it('refuses a third subscription on a connection and a fourth for a key, and frees a slot on complete', async () => {
    const errorCode = (errors: unknown[]) =>
      (errors[0] as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code;
    const first = wsClient(h.server.url, workspace.key);
    const second = wsClient(h.server.url, workspace.key);
    try {
      const a = collect(first, SUBSCRIPTION);
      const b = collect(first, SUBSCRIPTION);
      await listening(2);
      const c = collect(first, SUBSCRIPTION);
      await eventually(async () => (c.errors.length ? true : undefined));
      expect(errorCode(c.errors)).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(String((c.errors[0] as { message: string }[])[0]!.message)).toMatch(/per connection/);

      const d = collect(second, SUBSCRIPTION);
      await listening(3);
      const e = collect(second, SUBSCRIPTION);
      await eventually(async () => (e.errors.length ? true : undefined));
      expect(errorCode(e.errors)).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(String((e.errors[0] as { message: string }[])[0]!.message)).toMatch(/per API key/);

      a.stop();
      await listening(2);
      const f = collect(second, SUBSCRIPTION);
      await listening(3);
      expect(f.errors).toEqual([]);
      for (const s of [b, d, f]) s.stop();
      await listening(0);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('cuts off a subscriber that stops reading, after a gap-free prefix of the events', async () => {
    const socket = new WebSocket(h.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const received: string[] = [];
    let closed: { code: number; reason: string } | null = null;
    socket.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { data?: { accountScoreChanged: { eventId: string } } };
      };
      if (message.type === 'connection_ack')
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }),
        );
      const event = message.payload?.data?.accountScoreChanged;
      if (event) received.push(event.eventId);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${workspace.key}` },
      }),
    );
    await listening(1);

    // The subscriber stops reading; events of ~8 KB each arrive until the API gives up on
    // it: the kernel's socket buffers fill first, then the API's, then its event buffer.
    socket.pause();
    const label = 'x'.repeat(8_000);
    let published = 0;
    for (let message = 0; message < 2_000 && h.server.hub.listenerCount() > 0; message++) {
      const events = Array.from({ length: 4 }, () => accountEvent(++published, label));
      await redis.publish(channel(), JSON.stringify(events));
      if (message % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(h.server.hub.listenerCount()).toBe(0);

    socket.resume();
    await eventually(async () => closed ?? undefined);
    expect(closed).toEqual({
      code: 4408,
      reason: 'slow consumer: events were not read in time',
    });
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(published);
    // Event ids reach partners encrypted: read them back to the published ones.
    const codec = new EventIdCodec(new Database(h.db.dataSource));
    const ws = trustedWorkspaceId(workspace.id);
    await codec.prepare(ws);
    expect(received.map((id) => codec.decode(ws, id, 'account'))).toEqual(
      received.map((_, i) => String(i + 1)),
    );
  });

  it('pings every connection, and drops one that stops answering', async () => {
    const url = h.server.url.replace(/^http/, 'ws');
    const answering = new WebSocket(url, 'graphql-transport-ws');
    const silent = new WebSocket(url, 'graphql-transport-ws', { autoPong: false });
    let pings = 0;
    answering.on('ping', () => pings++);
    const silentClosed = new Promise<number>((resolve) => silent.once('close', resolve));
    try {
      await Promise.all(
        [answering, silent].map((socket) => new Promise((resolve) => socket.once('open', resolve))),
      );
      for (const socket of [answering, silent])
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${workspace.key}` },
          }),
        );
      // The silent one misses its first pong: closed abnormally (1006), the connection cut.
      expect(await silentClosed).toBe(1006);
      await eventually(async () => (pings >= 3 ? true : undefined));
      expect(answering.readyState).toBe(WebSocket.OPEN);
    } finally {
      answering.terminate();
      silent.terminate();
    }
  });

  function accountEvent(n: number, label: string): AccountScoreChangedEvent {
    return {
      type: 'ACCOUNT_SCORE_CHANGED',
      eventId: `account:${n}`,
      workspaceId: workspace.id,
      at: new Date().toISOString(),
      cause: 'ACTIVITY',
      modelVersionId: randomUUID(),
      accountId: randomUUID(),
      old: null,
      new: { total: 50, tier: 'WARM', fit: 20, engagement: 30 },
      reasons: [
        { ruleId: 'r', label, category: 'ROLLUP', points: 50, activityCount: 1, kind: 'RULE' },
      ],
    };
  }
});
