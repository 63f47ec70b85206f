import { loadConfig } from '@quorum/config';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../../apps/api/src/server';
import { testRedisUrl } from '../support/database-url';
import { ADMIN_TOKEN, startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok } from '../support/graphql-client';
import { metricValue, scrape } from '../support/metrics';

interface Result {
  status?: number;
  headers?: Headers;
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** GraphQL over HTTP from a given client address (the API trusts loopback proxies here). */
async function http(
  url: string,
  query: string,
  options: { key?: string; from?: string; variables?: Record<string, unknown> } = {},
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.from ? { 'x-forwarded-for': options.from } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    ...((await response.json()) as Omit<Result, 'status' | 'headers'>),
  };
}

/** A graphql-ws client from a given client address; records how its socket closed. */
function socket(url: string, key: string, from?: string) {
  const closes: { code: number; reason: string }[] = [];
  class FromAddress extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: from ? { 'x-forwarded-for': from } : {} });
    }
  }
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: FromAddress,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push(event as { code: number; reason: string }) },
  });
  /** One query or mutation over the socket: its result, or how the socket closed. */
  const request = (query: string, variables?: Record<string, unknown>) =>
    new Promise<Result & { closed?: { code: number; reason: string } }>((resolve) => {
      let result: Result = {};
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            result = value as Result;
          },
          error: (error) => {
            if (Array.isArray(error)) resolve({ errors: error as Result['errors'] });
            else resolve({ closed: closes.at(-1) ?? (error as { code: number; reason: string }) });
          },
          complete: () => resolve(result),
        },
      );
    });
  return { client, request, closes };
}

describe('one set of limits for HTTP and graphql-ws', () => {
  let h: ApiHarness;
  let key: string;
  let wsId: string;
  const count = async () =>
    (
      await h.db.dataSource.query(
        'SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1',
        [wsId],
      )
    )[0].n as number;

  beforeAll(async () => {
    h = await startApiHarness({
      env: {
        NODE_ENV: 'production',
        RATE_LIMIT_READS_PER_MINUTE: '4',
        RATE_LIMIT_WRITES_PER_MINUTE: '2',
      },
    });
    ({ key, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  it('spends the same per-key read and write budgets over both transports', async () => {
    const ws = socket(h.server.url, key);
    try {
      const read = `{ workspace { id } }`;
      expect((await http(h.server.url, read, { key })).headers?.get('x-ratelimit-remaining')).toBe(
        '3',
      );
      expect((await ws.request(read)).data.workspace.id).toBe(wsId);
      expect((await http(h.server.url, read, { key })).headers?.get('x-ratelimit-remaining')).toBe(
        '1',
      );
      expect((await ws.request(read)).data.workspace.id).toBe(wsId);
      const overWs = await ws.request(read);
      expect(overWs.data ?? null).toBeNull();
      expect(overWs.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        budget: 'reads',
        limit: 4,
      });
      expect((await http(h.server.url, read, { key })).status).toBe(429);

      const write = (domain: string) =>
        `mutation { upsertAccounts(accounts: [{ domain: "${domain}" }]) { created } }`;
      expect((await ws.request(write('w1.com'))).data.upsertAccounts.created).toBe(1);
      expect((await ok(h.client(key)(write('w2.com')))).upsertAccounts.created).toBe(1);
      const refused = await ws.request(write('w3.com'));
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        budget: 'writes',
      });
      expect((await http(h.server.url, write('w4.com'), { key })).status).toBe(429);
      expect(await count()).toBe(2);
    } finally {
      await ws.client.dispose();
    }
  });

  it('refuses introspection in production over both transports', async () => {
    const { key: fresh } = await h.newWorkspace();
    const ws = socket(h.server.url, fresh);
    try {
      const query = `{ __schema { queryType { name } } }`;
      const overHttp = await http(h.server.url, query, { key: fresh });
      expect(overHttp.errors?.[0]?.message).toMatch(/introspection/i);
      const overWs = await ws.request(query);
      expect(overWs.data ?? null).toBeNull();
      expect(overWs.errors?.[0]?.message).toMatch(/introspection/i);
      const typeProbe = await ws.request(`{ __type(name: "Account") { fields { name } } }`);
      expect(typeProbe.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await ws.client.dispose();
    }
  });
});

describe('argument bounds, field costs and operation limits hold over graphql-ws as over HTTP', () => {
  let h: ApiHarness;
  let key: string;
  let wsId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    ({ key, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  const deep = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i += 1) value = { a: value };
    return value;
  };
  const RECORD = `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`;
  const activity = (properties: unknown) => ({
    type: 'PAGE_VIEW',
    occurredAt: '2026-11-20T10:00:00Z',
    email: 'deep@nest.io',
    externalId: 'deep-1',
    properties,
  });

  it('refuses deep JSON, long lists and unstorable text naming the argument, and writes nothing', async () => {
    const ws = socket(h.server.url, key);
    try {
      for (const send of [
        (q: string, v: Record<string, unknown>) => http(h.server.url, q, { key, variables: v }),
        (q: string, v: Record<string, unknown>) => ws.request(q, v),
      ]) {
        const nested = await send(RECORD, { a: [activity(deep(2_000))] });
        expect(nested.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'activities[0].properties',
        });
        const literal = await send(
          `mutation { recordActivities(activities: [{ type: PAGE_VIEW, occurredAt: "2026-11-20T10:00:00Z", email: "deep@nest.io", externalId: "deep-2", properties: ${'{ a: '.repeat(40)}1${' }'.repeat(40)} }]) { accepted } }`,
          {},
        );
        expect(literal.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'activities[0].properties',
        });
        const long = await send(
          `query($d: [String!]) { accounts(filter: { domains: $d }) { totalCount } }`,
          {
            d: Array.from({ length: 1_001 }, (_, i) => `d${i}.com`),
          },
        );
        expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        const nul = await send(RECORD, { a: [activity({ url: 'a\u0000b' })] });
        expect(nul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        const brackets = await send(
          `{ accounts(filter: { domains: ${'['.repeat(5_000)}"a"${']'.repeat(5_000)} }) { totalCount } }`,
          {},
        );
        expect(brackets.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'query',
        });
      }
      const written = await h.db.dataSource.query(
        'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1',
        [wsId],
      );
      expect(written[0].n).toBe(0);
      // Just past the limit, and a second item: still named at the item's argument.
      const named = await http(h.server.url, RECORD, {
        key,
        variables: { a: [activity({}), activity(deep(33))] },
      });
      expect(named.errors?.[0]?.extensions?.['field']).toBe('activities[1].properties');
      const within = await http(h.server.url, RECORD, {
        key,
        variables: { a: [activity(deep(30))] },
      });
      expect(within.data?.recordActivities.accepted).toBe(1);
    } finally {
      await ws.client.dispose();
    }
  });

  it('refuses fifteen aliases of modelValidation before any work, over both transports', async () => {
    const ws = socket(h.server.url, key);
    try {
      const version = (await ok(h.client(key)(`{ scoringModel { id } }`))).scoringModel.id;
      const aliases = (n: number) =>
        `{ ${Array.from(
          { length: n },
          (_, i) =>
            `v${i}: modelValidation(versionId: "${version}", from: "2026-01-01T00:00:00Z", to: "2026-11-01T00:00:00Z", horizonDays: 30) { verdict }`,
        ).join(' ')} }`;
      await ws.request(`{ workspace { id } }`); // connected and authenticated
      for (const send of [
        (q: string) => ws.request(q),
        (q: string) => http(h.server.url, q, { key }),
      ]) {
        const before = h.counter.count;
        const refused = await send(aliases(15));
        expect(refused.data ?? null).toBeNull();
        expect(refused.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
        expect(refused.errors?.[0]?.message).toMatch(/modelValidation 10000/);
        // Nothing but the HTTP request's key lookup reached PostgreSQL.
        expect(h.counter.count - before).toBeLessThanOrEqual(1);
        expect((await send(aliases(3))).errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
        const two = await send(aliases(2));
        expect(two.errors).toBeUndefined();
        expect(two.data.v1.verdict).toEqual(expect.any(String));
      }
      // A backtest costs 40 per contact: 500 of them are the whole budget, and nothing more fits.
      const backtests = (first: number, more = '') =>
        `{ contacts(first: ${first}) { edges { node { scoreAsOf(at: "2026-11-01T00:00:00Z") { total } } } } ${more} }`;
      expect((await http(h.server.url, backtests(500), { key })).errors).toBeUndefined();
      const over = await http(
        h.server.url,
        backtests(500, 'tierDistribution(entity: CONTACT) { count }'),
        { key },
      );
      expect(over.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
      // With `first` from a variable, the largest page is assumed.
      const viaVariable = await http(
        h.server.url,
        `query($n: Int!) { contacts(first: $n) { edges { node { scoreAsOf(at: "2026-11-01T00:00:00Z") { total } } } } tierDistribution(entity: CONTACT) { count } }`,
        { key, variables: { n: 10 } },
      );
      expect(viaVariable.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
    } finally {
      await ws.client.dispose();
    }
  });

  it('formats errors over graphql-ws as over HTTP: codes, fields, nothing internal', async () => {
    const ws = socket(h.server.url, key);
    try {
      const bad = await ws.request(
        `mutation { upsertContacts(contacts: [{ email: "nope@" }]) { created } }`,
      );
      expect(bad.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'contacts[0].email',
      });
      let inner = 'id';
      for (let i = 0; i < 6; i += 1)
        inner = i % 2 === 0 ? `account { ${inner} }` : `contacts { edges { node { ${inner} } } }`;
      const tooDeep = await ws.request(`{ contacts { edges { node { ${inner} } } } }`);
      expect(tooDeep.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_DEEP');
    } finally {
      await ws.client.dispose();
    }
  });
});

describe('failed authentication is limited per client address, across transports and API processes', () => {
  let h: ApiHarness;
  let second: ApiServer;
  let key: string;
  beforeAll(async () => {
    const env = {
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3',
      RATE_LIMIT_AUTH_BLOCK_SECONDS: '120',
      QUORUM_TRUST_PROXY: 'loopback',
    };
    h = await startApiHarness({ env });
    ({ key } = await h.newWorkspace());
    // A second API process on the same Redis prefix and database.
    second = await startApiServer({
      config: loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        DATABASE_URL: h.db.url,
        REDIS_URL: testRedisUrl(),
        QUORUM_REDIS_PREFIX: h.redisPrefix,
        QUORUM_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'silent',
        ...env,
      }),
      dataSource: h.db.appDataSource,
    });
  });
  afterAll(async () => {
    await second?.stop();
    await h?.close();
  });

  const read = `{ workspace { id } }`;

  it('over HTTP: blocks an address after 3 wrong keys, the right key included, on every API process', async () => {
    const from = '10.0.0.1';
    for (let i = 0; i < 3; i += 1) {
      const wrong = await http(i === 1 ? second.url : h.server.url, read, {
        key: `qk_wrong_${i}`,
        from,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    const fourth = await http(second.url, read, { key: 'qk_wrong_3', from });
    expect(fourth.status).toBe(429);
    expect(fourth.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      budget: 'authFailures',
    });
    expect(Number(fourth.headers?.get('retry-after'))).toBeGreaterThan(60);
    expect((await http(h.server.url, read, { key, from })).status).toBe(429);
    // Another address is not affected, and no key at all is not an attempt.
    expect((await ok(h.client(key)(read))).workspace).toBeTruthy();
    expect((await http(h.server.url, read, { key, from: '10.0.0.9' })).status).toBe(200);
    expect((await http(h.server.url, read, { from })).errors?.[0]?.extensions?.['code']).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('over graphql-ws: wrong keys count, and a blocked address is closed with 4429, shared with HTTP', async () => {
    const from = '10.0.0.2';
    for (let i = 0; i < 4; i += 1) {
      const ws = socket(h.server.url, `qk_wrong_${i}`, from);
      // The fourth failure passes the limit of 3.
      expect((await ws.request(read)).closed?.code).toBe(i < 3 ? 4403 : 4429);
      await ws.client.dispose();
    }
    const blocked = socket(h.server.url, key, from);
    expect((await blocked.request(read)).closed?.code).toBe(4429);
    await blocked.client.dispose();
    expect((await http(second.url, read, { key, from })).status).toBe(429);
    const elsewhere = socket(h.server.url, key, '10.0.0.8');
    expect((await elsewhere.request(read)).data.workspace).toBeTruthy();
    await elsewhere.client.dispose();
  });

  it('on /admin/queues and /metrics: wrong admin tokens count and block the address', async () => {
    const from = '10.0.0.3';
    const base = h.server.url.replace(/\/graphql$/, '');
    const get = (path: string, token: string, basic = false) =>
      fetch(`${base}${path}`, {
        headers: {
          authorization: basic
            ? `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`
            : `Bearer ${token}`,
          'x-forwarded-for': from,
        },
      });
    expect((await get('/admin/queues', 'wrong-token-0000000000')).status).toBe(401);
    expect((await get('/admin/queues', 'wrong-token-0000000001', true)).status).toBe(401);
    expect((await get('/metrics', 'wrong-token-0000000002')).status).toBe(401);
    expect((await get('/metrics', 'wrong-token-0000000003')).status).toBe(429);
    const blocked = await get('/admin/queues', ADMIN_TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The admin token over GraphQL from that address is refused too.
    expect((await http(h.server.url, read, { key: ADMIN_TOKEN, from })).status).toBe(429);

    const metrics = await scrape(`${base}/metrics`, ADMIN_TOKEN);
    expect(metricValue(metrics, 'quorum_auth_failures_total', { transport: 'http' })).toBe(2);
    expect(metricValue(metrics, 'quorum_auth_failures_total', { transport: 'graphql-ws' })).toBe(4);
    expect(metricValue(metrics, 'quorum_auth_failures_total', { transport: 'admin' })).toBe(4);
    expect(metricValue(metrics, 'quorum_auth_blocked_total', { transport: 'http' })).toBe(2);
    expect(metricValue(metrics, 'quorum_auth_blocked_total', { transport: 'graphql-ws' })).toBe(2);
    expect(metricValue(metrics, 'quorum_auth_blocked_total', { transport: 'admin' })).toBe(2);
  });
});
