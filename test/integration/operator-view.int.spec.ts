import { readinessCheck } from '@quorum/bootstrap';
import { createLogger } from '@quorum/observability';
import { QUEUES } from '@quorum/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHealthServer } from '../../apps/worker/src/health-server';
import { MAX_OPERATION_NAMES } from '../../apps/api/src/observability/graphql-metrics.plugin';
import { createWorkerMetrics } from '../../apps/worker/src/worker-metrics';
import { ADMIN_TOKEN, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testRedisUrl } from '../support/database-url';
import { ok, type Gql } from '../support/graphql-client';
import { metricValue, scrape } from '../support/metrics';
import { freePort } from '../support/processes';

const NOW = new Date('2026-11-20T12:00:00Z');
const RECORD = `mutation RecordProbe($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted duplicates } }`;

function activity(externalId: string, email = 'vp@ops.io') {
  return { type: 'DEMO_REQUEST', occurredAt: NOW.toISOString(), email, externalId };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the operator view of the API and worker', () => {
  let h: ApiHarness;
  let gql: Gql;
  let key: string;
  let base: string;

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true, now: NOW });
    ({ gql, key } = await h.newWorkspace('Ops'));
    base = h.server.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts GraphQL operations by name and outcome, activities ingested, and the rescores they cause', async () => {
    const before = await scrape(`${base}/metrics`, ADMIN_TOKEN);
    const recorded = await ok(gql(RECORD, { a: [activity('m-1'), activity('m-2')] }));
    expect(recorded.recordActivities).toEqual({ accepted: 2, duplicates: 0 });
    const again = await ok(gql(RECORD, { a: [activity('m-1')] }));
    expect(again.recordActivities).toEqual({ accepted: 0, duplicates: 1 });
    const failed = await gql(`query BadProbe { contact { id } }`);
    expect(failed.errors?.length).toBeGreaterThan(0);

    const after = await scrape(`${base}/metrics`, ADMIN_TOKEN);
    const success = { operation: 'RecordProbe', type: 'mutation', outcome: 'success' };
    expect(metricValue(before, 'quorum_graphql_operations_total', success)).toBeUndefined();
    expect(metricValue(after, 'quorum_graphql_operations_total', success)).toBe(2);
    expect(metricValue(after, 'quorum_graphql_operation_duration_seconds_count', success)).toBe(2);
    expect(
      metricValue(after, 'quorum_graphql_operations_total', {
        operation: 'BadProbe',
        outcome: 'error',
      }),
    ).toBe(1);
    expect(metricValue(after, 'quorum_activities_ingested_total', { result: 'accepted' })).toBe(2);
    expect(metricValue(after, 'quorum_activities_ingested_total', { result: 'duplicate' })).toBe(1);
    // Node's default process metrics are there too.
    expect(metricValue(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);

    await h.settled();
    const worker = await h.workerMetrics!.registry.metrics();
    // Contact activity queues contact jobs; each rolls its contacts' accounts up itself.
    const contactJobs = { queue: 'scoring', job: 'rescore-contacts', outcome: 'success' };
    const counted = metricValue(worker, 'quorum_jobs_processed_total', contactJobs);
    expect(counted).toBeGreaterThanOrEqual(1);
    expect(metricValue(worker, 'quorum_job_duration_seconds_count', contactJobs)).toBe(counted);
    // One set of job metrics: rescores are not counted a second time under other names.
    expect(worker).not.toContain('quorum_rescore');
    expect(
      metricValue(worker, 'quorum_job_wait_seconds_count', { job: 'rescore-contacts' }),
    ).toBeGreaterThanOrEqual(1);
    for (const type of ['LEAD_SCORE_CHANGED', 'ACCOUNT_SCORE_CHANGED'])
      expect(
        metricValue(worker, 'quorum_score_events_published_total', { type }),
        type,
      ).toBeGreaterThanOrEqual(1);
  });

  it('serves /metrics to the admin token as a Bearer token only', async () => {
    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('quorum_graphql_operations_total');
    const workspaceKey = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(workspaceKey.status).toBe(401);
    // No Basic: a browser must not be invited to remember the token for this path.
    const basic = await fetch(`${base}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
    const admin = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('# TYPE quorum_graphql_operations_total counter');
  });

  it('counts operation names only for authenticated requests, so anonymous ones cannot use up the name slots', async () => {
    const spam = Array.from({ length: MAX_OPERATION_NAMES + 1 }, (_, i) => `Spam${i}`);
    for (const name of spam) {
      // Refused before any operation runs.
      const response = await post(h.server.url, { query: `query ${name} { __typename }` });
      expect(response.status).toBe(401);
    }
    await ok(gql(`query CountedAfterSpam { __typename }`));

    const text = await scrape(`${base}/metrics`, ADMIN_TOKEN);
    expect(text).not.toContain('operation="Spam');
    expect(
      metricValue(text, 'quorum_graphql_operations_total', {
        operation: 'CountedAfterSpam',
        outcome: 'success',
      }),
    ).toBe(1);
  });

  it('returns the caller’s x-request-id, or a new one, on every response', async () => {
    const given = await post(
      h.server.url,
      { query: '{ __typename }' },
      { 'x-request-id': 'ops-given-1' },
    );
    expect(given.headers.get('x-request-id')).toBe('ops-given-1');
    const made = await post(h.server.url, { query: '{ __typename }' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await post(
      h.server.url,
      { query: '{ __typename }' },
      { 'x-request-id': 'two words "quoted"' },
    );
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${base}/healthz`)).headers.get('x-request-id')).toBeTruthy();
  });

  it('serves the queue dashboard only with the admin token (Bearer or Basic password)', async () => {
    const anonymous = await fetch(`${base}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${base}/admin/queues`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(wrong.status).toBe(401);
    const wrongBasic = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${key}`).toString('base64')}` },
    });
    expect(wrongBasic.status).toBe(401);

    const page = await fetch(`${base}/admin/queues`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Quorum queues');
    const api = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([QUEUES.maintenance, QUEUES.scoring]);
    // Read-only unless QUORUM_QUEUE_DASHBOARD_WRITABLE=true: even the admin cannot clean.
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const clean = await fetch(`${base}/admin/queues/api/queues/${QUEUES.scoring}/clean/failed`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(clean.status).toBe(405);
  });

  it('is ready only when PostgreSQL answers, Redis answers and no migration is pending', async () => {
    // The API has not probed yet in this file: its first probe finds a migration pending.
    await h.db.dataSource.undoLastMigration();
    try {
      const pending = await fetch(`${base}/readyz`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({
        status: 'not ready',
        checks: { postgres: true, migrations: false, redis: true },
      });
    } finally {
      await h.db.dataSource.runMigrations();
    }
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { postgres: true, migrations: true, redis: true },
    });
  });

  it('reads the migrations table until the check first passes, then no more', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const dataSource = h.db.dataSource;
    const reads = vi.spyOn(dataSource, 'showMigrations');
    try {
      await dataSource.undoLastMigration();
      const check = readinessCheck(dataSource, redis);
      try {
        expect((await check()).migrations).toBe(false);
        expect((await check()).migrations).toBe(false);
      } finally {
        await dataSource.runMigrations();
      }
      expect(await check()).toEqual({ postgres: true, migrations: true, redis: true });
      expect(reads).toHaveBeenCalledTimes(3);
      // Migrations run only at start-up, so a passed check is not repeated on every probe.
      for (let i = 0; i < 5; i += 1) expect((await check()).migrations).toBe(true);
      expect(reads).toHaveBeenCalledTimes(3);
    } finally {
      reads.mockRestore();
      redis.disconnect();
    }
  });
});

describe('the queue dashboard with QUORUM_QUEUE_DASHBOARD_WRITABLE=true', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ env: { QUORUM_QUEUE_DASHBOARD_WRITABLE: 'true' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers and answers the job actions', async () => {
    const base = h.server.url.replace(/\/graphql$/, '');
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers });
    const body = (await api.json()) as { queues: { readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.readOnlyMode)).toEqual([false, false]);
    const clean = await fetch(`${base}/admin/queues/api/queues/${QUEUES.scoring}/clean/failed`, {
      method: 'PUT',
      headers,
    });
    expect(clean.status).toBe(200);
  });
});

describe('readiness without Redis, and the worker health port', () => {
  let h: ApiHarness;
  let deadRedis: Redis;
  beforeAll(async () => {
    const port = await freePort();
    h = await startApiHarness({ redisUrl: `redis://127.0.0.1:${port}` });
    deadRedis = new Redis(`redis://127.0.0.1:${port}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    deadRedis.on('error', () => undefined);
  });
  afterAll(async () => {
    deadRedis?.disconnect();
    await h?.close();
  });

  it('answers 503 on the API when Redis does not answer', async () => {
    const response = await fetch(h.server.url.replace(/\/graphql$/, '/readyz'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not ready',
      checks: { postgres: true, migrations: true, redis: false },
    });
  });

  it('answers /healthz, /readyz and /metrics on the worker health port', async () => {
    const metrics = createWorkerMetrics();
    const health = await startHealthServer(
      0,
      readinessCheck(h.db.dataSource, deadRedis),
      metrics.registry,
    );
    try {
      const base = `http://127.0.0.1:${health.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
        postgres: true,
        migrations: true,
        redis: false,
      });
      const text = await scrape(`${base}/metrics`);
      expect(text).toContain('# TYPE quorum_jobs_processed_total counter');
      expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await health.close();
    }
  });
});

describe('the request id travels with the rescore jobs it queues', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ now: NOW });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('puts the request id of recordActivities in the contact and account jobs', async () => {
    const { key } = await h.newWorkspace('Trace');
    // A contact's activity queues its contact; account-level activity queues its account.
    const accountLevel = {
      type: 'INTENT_SURGE',
      occurredAt: NOW.toISOString(),
      accountDomain: 'trace.io',
      externalId: 't-2',
    };
    const response = await post(
      h.server.url,
      { query: RECORD, variables: { a: [activity('t-1', 'ceo@trace.io'), accountLevel] } },
      { authorization: `Bearer ${key}`, 'x-request-id': 'trace-req-42' },
    );
    expect(((await response.json()) as any).data.recordActivities.accepted).toBe(2);
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.scoring, { connection, prefix: h.redisPrefix });
    try {
      const jobs = await queue.getJobs(['delayed', 'waiting']);
      expect(jobs.map((j) => [j.name, j.data.requestId]).sort()).toEqual([
        ['rescore-account', 'trace-req-42'],
        ['rescore-contacts', 'trace-req-42'],
      ]);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

describe('the API’s log line per GraphQL operation', () => {
  let h: ApiHarness;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const logger = createLogger('api', 'info', {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    h = await startApiHarness({ logger });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('names the codes the client was sent, never null', async () => {
    const { gql } = await h.newWorkspace('Logs');
    const cases: [string, string[]][] = [
      // An InputError: its code comes from formatError, after the plugin's raw errors.
      [`query FirstZero { contacts(first: 0) { totalCount } }`, ['BAD_USER_INPUT']],
      [`query Invalid { contacts { nope } }`, ['GRAPHQL_VALIDATION_FAILED']],
      [`query Forbidden { apiKeys { id } }`, ['FORBIDDEN']],
    ];
    const reader = (
      await ok(gql(`mutation { createApiKey(name: "r", scopes: [READ]) { secret } }`))
    ).createApiKey.secret as string;
    for (const [query, codes] of cases) {
      const name = /query (\w+)/.exec(query)![1]!;
      const result = await (name === 'Forbidden' ? h.client(reader) : gql)(query);
      expect(result.errors?.length, name).toBeGreaterThan(0);
      // Requests go one at a time: the last operation line is this one's.
      const line = lines.filter((l) => l['msg'] === 'graphql operation').at(-1);
      expect(line, name).toMatchObject({ outcome: 'error', errorCodes: codes });
    }
    const logged = lines.filter((l) => l['msg'] === 'graphql operation' && l['errorCodes']);
    expect(logged.flatMap((l) => l['errorCodes'] as unknown[])).not.toContain(null);
  });
});
