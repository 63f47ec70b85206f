import { randomBytes } from 'node:crypto';
import { eventChannel } from '@quorum/events';
import { dropDatabase } from '@quorum/persistence';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/api-harness';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok } from '../support/graphql-client';
import { metricValue, scrape } from '../support/metrics';
import { freePort, startProcess, type RunningProcess } from '../support/processes';
import { collect, wsClient } from '../support/ws-client';
import { testRedisPrefix } from '../support/redis-prefix';

const ADMIN = 'e2e-admin-token-0123456789';

interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

/** Every line a process wrote to stdout and stderr, each of which must be a JSON object. */
function logLines(proc: RunningProcess): LogLine[] {
  return proc
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/**
 * The operator's view of the built processes: JSON logs in which one request id leads from
 * the API's recordActivities through the worker's jobs to the published score event, and
 * Prometheus metrics on both processes that move with that traffic.
 */
describe('operating Quorum: logs, request ids and metrics across the API and the worker', () => {
  const dbName = `quorum_test_${inject('runId')}_ops_${randomBytes(3).toString('hex')}`;
  const prefix = testRedisPrefix('ops');
  const requestId = `e2e-trace-${randomBytes(4).toString('hex')}`;
  let api: RunningProcess;
  let worker: RunningProcess;
  let apiBase: string;
  let workerBase: string;
  let redis: Redis;
  let deliveredEventId: string;

  beforeAll(async () => {
    const apiPort = await freePort();
    const workerPort = await freePort();
    const env = {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: testRedisUrl(),
      QUORUM_REDIS_PREFIX: prefix,
      QUORUM_ADMIN_TOKEN: ADMIN,
      PORT: String(apiPort),
      WORKER_HEALTH_PORT: String(workerPort),
      NODE_ENV: 'production',
    };
    apiBase = `http://127.0.0.1:${apiPort}`;
    workerBase = `http://127.0.0.1:${workerPort}`;
    api = startProcess('apps/api/dist/main.js', env);
    await api.waitFor('Quorum API ready');
    worker = startProcess('apps/worker/dist/main.js', env);
    await worker.waitFor('Quorum worker running');
    redis = new Redis(testRedisUrl());

    const admin = graphqlClient(`${apiBase}/graphql`, ADMIN);
    const created = await ok(
      admin(`mutation { createWorkspace(name: "Ops") { workspace { id } secret } }`),
    );
    const key = created.createWorkspace.secret as string;
    const workspaceId = created.createWorkspace.workspace.id as string;
    const gql = graphqlClient(`${apiBase}/graphql`, key);
    await ok(
      gql(
        `mutation { upsertAccounts(accounts: [{ domain: "trace.io", industry: "Software", employeeCount: 300, country: "US" }]) { created } }`,
      ),
    );

    // The upsert's own account rescore finishes first, so the event awaited below is the
    // activity's.
    await eventually(async () => {
      const data = await ok(gql(`{ account(domain: "trace.io") { score { total } } }`));
      return data.account.score ?? undefined;
    }, 15_000);
    // A partner listens for account changes while an activity arrives with a request id.
    const client = wsClient(`ws://127.0.0.1:${apiPort}/graphql`, key);
    const accounts = collect<{ accountScoreChanged: { eventId: string } }>(
      client,
      `subscription { accountScoreChanged { eventId } }`,
    );
    await eventually(async () => {
      const [, n] = (await redis.pubsub('NUMSUB', eventChannel(prefix, workspaceId))) as [
        string,
        number,
      ];
      return n >= 1 ? true : undefined;
    });
    const response = await fetch(`${apiBase}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({
        query: `mutation RecordTrace($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`,
        variables: {
          a: [
            {
              type: 'DEMO_REQUEST',
              occurredAt: new Date().toISOString(),
              email: 'vp@trace.io',
              externalId: 'trace-1',
            },
          ],
        },
      }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(((await response.json()) as any).data.recordActivities.accepted).toBe(1);
    const event = await eventually(async () => accounts.events[0]?.accountScoreChanged, 15_000);
    deliveredEventId = event.eventId;
    accounts.stop();
    await client.dispose();
  });

  afterAll(async () => {
    redis?.disconnect();
    await api?.stop();
    await worker?.stop();
    await dropDatabase(databaseUrl(dbName));
  });

  it('writes only JSON lines, startup lines included, with level, time and service', () => {
    for (const [proc, service] of [
      [api, 'api'],
      [worker, 'worker'],
    ] as const) {
      const lines = logLines(proc);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.service).toBe(service);
        expect(line.level).toMatch(/^(trace|debug|info|warn|error|fatal)$/);
        expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      }
    }
    expect(logLines(api).some((l) => l.msg.startsWith('Quorum API ready at http://'))).toBe(true);
  });

  it('follows one request id from the API through the worker job to the published events', async () => {
    // stdout is read asynchronously: wait for the lines rather than race them.
    const fromApi = await eventually(async () => {
      const lines = logLines(api).filter((l) => l.requestId === requestId);
      return lines.length > 0 ? lines : undefined;
    });
    expect(fromApi).toContainEqual(
      expect.objectContaining({
        msg: 'graphql operation',
        operation: 'RecordTrace',
        operationType: 'mutation',
        outcome: 'success',
      }),
    );
    const fromWorker = await eventually(async () => {
      const lines = logLines(worker).filter((l) => l.requestId === requestId);
      const completed = (job: string) =>
        lines.some((l) => l.msg === 'job completed' && l.job === job);
      const published = lines.some(
        (l) =>
          l.msg === 'score events published' &&
          (l['eventIds'] as string[]).includes(deliveredEventId),
      );
      return published && completed('rescore-contacts') ? lines : undefined;
    });
    // The contact's job rescored it and rolled its account up: one job, both events.
    expect(fromWorker).toContainEqual(
      expect.objectContaining({ msg: 'job completed', job: 'rescore-contacts', queue: 'scoring' }),
    );
    // One line per published batch: the lead event first, then the account event the
    // subscriber received, both under the request id.
    const published = fromWorker.filter((l) => l.msg === 'score events published');
    expect(published).toHaveLength(2);
    expect(published[0]).toMatchObject({ eventTypes: { LEAD_SCORE_CHANGED: 1 } });
    expect(published[1]).toMatchObject({
      events: 1,
      eventTypes: { ACCOUNT_SCORE_CHANGED: 1 },
      eventIds: [deliveredEventId],
    });
  });

  it('reports GraphQL operations, ingestion and subscriptions at the API’s /metrics', async () => {
    expect((await fetch(`${apiBase}/metrics`)).status).toBe(401);
    const text = await scrape(`${apiBase}/metrics`, ADMIN);
    expect(
      metricValue(text, 'quorum_graphql_operations_total', {
        operation: 'RecordTrace',
        type: 'mutation',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(
      metricValue(text, 'quorum_graphql_operation_duration_seconds_count', {
        operation: 'RecordTrace',
      }),
    ).toBe(1);
    expect(metricValue(text, 'quorum_activities_ingested_total', { result: 'accepted' })).toBe(1);
    expect(
      metricValue(text, 'quorum_subscription_events_delivered_total', {
        type: 'ACCOUNT_SCORE_CHANGED',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'quorum_subscriptions_active')).toBe(0);
    expect(metricValue(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('reports rescores, jobs, events published and queue depths at the worker’s /metrics', async () => {
    // A job counts itself just after publishing the events the test awaited.
    const text = await eventually(async () => {
      const scraped = await scrape(`${workerBase}/metrics`);
      const done = (job: string) => metricValue(scraped, 'quorum_jobs_processed_total', { job });
      return done('rescore-contacts') ? scraped : undefined;
    });
    expect(
      metricValue(text, 'quorum_jobs_processed_total', {
        queue: 'scoring',
        job: 'rescore-contacts',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(text, 'quorum_job_duration_seconds_count', { job: 'rescore-contacts' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(text, 'quorum_score_events_published_total', { type: 'ACCOUNT_SCORE_CHANGED' }),
    ).toBeGreaterThanOrEqual(1);
    for (const queue of ['scoring', 'maintenance'])
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(metricValue(text, 'quorum_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('serves the queue dashboard to the admin token only', async () => {
    expect((await fetch(`${apiBase}/admin/queues`)).status).toBe(401);
    const basic = Buffer.from(`operator:${ADMIN}`).toString('base64');
    const page = await fetch(`${apiBase}/admin/queues`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(page.status).toBe(200);
  });
});
