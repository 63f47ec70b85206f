import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { dropDatabase } from '@quorum/persistence';
import { eventually } from '../support/api-harness';
import { databaseUrl, testDatabaseBaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok } from '../support/graphql-client';
import { freePort, REPO_ROOT, startProcess, type RunningProcess } from '../support/processes';
import { testRedisPrefix } from '../support/redis-prefix';

const ADMIN = 'e2e-admin-token-0123456789';

/** The built API and worker as separate processes, driven over HTTP. */
describe('Quorum end to end: API and worker processes on PostgreSQL and Redis', () => {
  const dbName = `quorum_test_${inject('runId')}_e2e_${randomBytes(3).toString('hex')}`;
  let api: RunningProcess;
  let worker: RunningProcess;
  let apiPort: number;
  let workerPort: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    apiPort = await freePort();
    workerPort = await freePort();
    env = {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: testRedisUrl(),
      QUORUM_REDIS_PREFIX: testRedisPrefix('e2e'),
      QUORUM_ADMIN_TOKEN: ADMIN,
      PORT: String(apiPort),
      WORKER_HEALTH_PORT: String(workerPort),
      NODE_ENV: 'production',
    };
    // The database does not exist yet: the API creates it and applies migrations.
    api = startProcess('apps/api/dist/main.js', env);
    await api.waitFor('Quorum API ready');
    worker = startProcess('apps/worker/dist/main.js', env);
    await worker.waitFor('Quorum worker running');
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await dropDatabase(databaseUrl(dbName));
  });

  it('answers health and readiness checks on both processes', async () => {
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${apiPort}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { postgres: true, migrations: true, redis: true },
    });
    const ready = await (await fetch(`http://127.0.0.1:${workerPort}/readyz`)).json();
    expect(ready).toEqual({
      status: 'ready',
      checks: { postgres: true, migrations: true, redis: true, workers: true },
    });
  });

  it('takes a workspace from creation to a lead score computed by the worker', async () => {
    const url = `http://127.0.0.1:${apiPort}/graphql`;
    const admin = graphqlClient(url, ADMIN);
    const created = await ok(admin(`mutation { createWorkspace(name: "E2E") { secret } }`));
    const gql = graphqlClient(url, created.createWorkspace.secret);
    await ok(
      gql(
        `mutation { upsertAccounts(accounts: [{ domain: "e2e-corp.com", industry: "Software", employeeCount: 400, country: "US" }]) { created } }`,
      ),
    );
    const now = new Date().toISOString();
    const recorded = await ok(
      gql(
        `mutation($at: DateTimeISO!) { recordActivities(activities: [
        { type: DEMO_REQUEST, occurredAt: $at, email: "vp@e2e-corp.com", externalId: "e2e-1" },
        { type: PAGE_VIEW, occurredAt: $at, email: "vp@e2e-corp.com", externalId: "e2e-2", properties: { url: "/pricing" } }
      ]) { accepted contactsCreated scoringDelayed } }`,
        { at: now },
      ),
    );
    expect(recorded.recordActivities).toEqual({
      accepted: 2,
      contactsCreated: 1,
      scoringDelayed: false,
    });
    const score = await eventually(async () => {
      const data = await ok(
        gql(
          `{ contact(email: "vp@e2e-corp.com") { account { domain } score { total tier override { ruleId } reasons { points } } } }`,
        ),
      );
      return data.contact.score ?? undefined;
    });
    expect(score.tier).toBe('SALES_READY');
    expect(score.override).not.toBeNull();
    const sum = score.reasons.reduce(
      (s: number, r: { points: number }) => s + Math.round(r.points * 100),
      0,
    );
    expect(sum).toBe(Math.round(score.total * 100));
  });

  it('hides introspection and stack traces in production mode', async () => {
    const result = await graphqlClient(
      `http://127.0.0.1:${apiPort}/graphql`,
      ADMIN,
    )(`{ __schema { types { name } } }`);
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('stops both processes cleanly on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM'), worker.output()).toBe(0);
    expect(worker.output()).toContain('Quorum worker stopped');
    expect(await api.stop('SIGTERM'), api.output()).toBe(0);
  });
});

describe('Quorum start-up errors', () => {
  it('exits non-zero with one clear line when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const api = startProcess('apps/api/dist/main.js', {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/quorum`,
      PORT: String(await freePort()),
    });
    expect(await api.exited).toBe(1);
    const lines = api.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Cannot reach PostgreSQL at postgres://postgres@127.0.0.1:${port}/quorum`,
    );
    expect(lines[0]).toContain('docker compose up -d postgres redis');
  });

  it('exits non-zero with one clear line when Redis cannot be reached, having created nothing', async () => {
    const port = await freePort();
    const dbName = `quorum_test_${inject('runId')}_e2e_redis`;
    const worker = startProcess('apps/worker/dist/main.js', {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: `redis://127.0.0.1:${port}`,
      WORKER_HEALTH_PORT: String(await freePort()),
    });
    expect(await worker.exited).toBe(1);
    const lines = worker.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Cannot reach Redis at redis://127.0.0.1:${port}`);
    // Every service is checked first: the database was not created, let alone migrated.
    expect(await databaseExists(dbName)).toBe(false);
    await dropDatabase(databaseUrl(dbName));
  });

  it('names every service it cannot reach, one line each', async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const api = startProcess('apps/api/dist/main.js', {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/quorum`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(await freePort()),
    });
    expect(await api.exited).toBe(1);
    const lines = api.output().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(
      `Cannot reach PostgreSQL at postgres://postgres@127.0.0.1:${pgPort}`,
    );
    expect(lines[1]).toContain(`Cannot reach Redis at redis://127.0.0.1:${redisPort}`);
  });
});

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: testDatabaseBaseUrl() });
  await client.connect();
  try {
    return (
      (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
    );
  } finally {
    await client.end();
  }
}

describe('npm start (scripts/start.mjs)', () => {
  it('drains API and worker on Ctrl-C: each one’s log ends with its "stopped" line, exit 0', async () => {
    const dbName = `quorum_test_${inject('runId')}_e2e_start_${randomBytes(3).toString('hex')}`;
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const start = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '',
        DATABASE_URL: databaseUrl(dbName),
        REDIS_URL: testRedisUrl(),
        QUORUM_REDIS_PREFIX: testRedisPrefix('e2e-start'),
        QUORUM_ADMIN_TOKEN: ADMIN,
        PORT: String(await freePort()),
        WORKER_HEALTH_PORT: String(await freePort()),
      },
    });
    let out = '';
    start.stdout!.on('data', (chunk) => (out += chunk));
    start.stderr!.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => start.on('exit', resolve));
    try {
      await eventually(
        async () => (out.includes('Quorum worker running') ? true : undefined),
        60_000,
      );
      process.kill(-start.pid!, 'SIGINT');
      expect(await exited, out).toBe(0);
      const lines = out.trim().split('\n');
      const last = (name: string) =>
        JSON.parse(
          lines
            .filter((l) => l.startsWith(`[${name}] {`))
            .at(-1)!
            .slice(name.length + 3),
        );
      expect(last('api')).toMatchObject({ service: 'api', msg: 'Quorum API stopped' });
      expect(last('worker')).toMatchObject({ service: 'worker', msg: 'Quorum worker stopped' });
      // Both drained on the one signal each: nothing was cut short.
      expect(out).not.toMatch(/did not finish within|exited \(/);
    } finally {
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGKILL');
      await dropDatabase(databaseUrl(dbName));
    }
  }, 90_000);
});
