import { Writable } from 'node:stream';
import { appDatabaseUrlFor, loadConfig } from '@quorum/config';
import { createLogger } from '@quorum/observability';
import { createDataSource } from '@quorum/persistence';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../apps/api/src/server';
import { ADMIN_TOKEN, eventually, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testRedisUrl } from '../support/database-url';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';
import { collect, wsClient } from '../support/ws-client';

/** Log lines written by the API under test. */
function capture() {
  const lines: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('api', 'info', stream) };
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** What an answer must never show: stack frames, file paths, internal addresses. */
const INTERNAL = /\n\s+at |node_modules|\/work\/|\.ts:\d|\.js:\d|127\.0\.0\.1|localhost|ECONN|5432/;

describe('requests that never reach GraphQL are answered as GraphQL errors, logged as JSON lines', () => {
  let h: ApiHarness;
  let log: ReturnType<typeof capture>;
  let key: string;
  beforeAll(async () => {
    log = capture();
    h = await startApiHarness({ logger: log.logger });
    ({ key } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  it('answers a malformed JSON body with BAD_REQUEST and an oversized one with PAYLOAD_TOO_LARGE', async () => {
    const auth = { authorization: `Bearer ${key}` };
    for (const [body, status, code] of [
      ['{"query": ', 400, 'BAD_REQUEST'],
      ['{"query": "{ workspace { id } }", "variables": {"a": tru}}', 400, 'BAD_REQUEST'],
      [
        JSON.stringify({
          query: '{ workspace { id } }',
          variables: { pad: 'x'.repeat(2_100_000) },
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ] as const) {
      const response = await post(h.server.url, body, auth);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const json = JSON.parse(response.text);
      expect(json.errors[0].extensions).toEqual({ code });
      expect(response.text).not.toMatch(INTERNAL);
    }
    const refusals = log.lines.map((line) => JSON.parse(line)).filter((l) => l.code);
    expect(refusals.map((l) => l.code)).toEqual([
      'BAD_REQUEST',
      'BAD_REQUEST',
      'PAYLOAD_TOO_LARGE',
    ]);
    expect(refusals.every((l) => l.level === 'warn' && l.service === 'api' && l.requestId)).toBe(
      true,
    );
    // Every line is one JSON object; no raw stack was written between them.
    for (const line of log.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('a database outage is a retryable 503 that names nothing internal', () => {
  let h: ApiHarness;
  let gate: TcpGate;
  let dataSource: DataSource;
  let server: ApiServer;
  let key: string;
  beforeAll(async () => {
    h = await startApiHarness();
    ({ key } = await h.newWorkspace());
    const target = new URL(h.db.url);
    gate = await startTcpGate(target.hostname, Number(target.port || 5432));
    dataSource = createDataSource({ url: gate.urlFor(appDatabaseUrlFor(h.db.url)), poolSize: 2 });
    await dataSource.initialize();
    server = await startApiServer({
      config: loadConfig({
        NODE_ENV: 'production',
        PORT: '0',
        DATABASE_URL: h.db.url,
        REDIS_URL: testRedisUrl(),
        QUORUM_REDIS_PREFIX: h.redisPrefix,
        QUORUM_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'silent',
      }),
      dataSource,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await gate?.restore().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    await gate?.close();
    await h?.close();
  });

  const query = (token: string, body: string) =>
    post(server.url, body, { authorization: `Bearer ${token}` });

  it('answers 503 SERVICE_UNAVAILABLE with retry-after, over HTTP and graphql-ws, and recovers', async () => {
    const read = JSON.stringify({ query: '{ workspace { id } }' });
    expect((await query(key, read)).status).toBe(200);
    await gate.cut();

    // The key lookup fails (context), and a resolver's statement fails (admin token, no lookup).
    for (const [token, body] of [
      [key, read],
      [
        ADMIN_TOKEN,
        JSON.stringify({ query: 'mutation { createWorkspace(name: "x") { secret } }' }),
      ],
    ] as const) {
      const response = await query(token, body);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const json = JSON.parse(response.text);
      expect(json.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(response.text).not.toMatch(INTERNAL);
      expect(response.text).not.toContain(String(gate.port));
    }

    let closed: { code: number; reason: string } | null = null;
    const client = wsClient(server.wsUrl, key, (code, reason) => (closed = { code, reason }));
    collect(client, '{ workspace { id } }');
    const close = await eventually(async () => closed ?? undefined);
    expect(close.code).toBe(1013);
    expect(close.reason).not.toMatch(INTERNAL);
    await client.dispose();

    await gate.restore();
    await eventually(async () => ((await query(key, read)).status === 200 ? true : undefined));
  });
});
