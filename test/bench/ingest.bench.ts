import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { expect, inject, test } from 'vitest';
import { dropDatabase } from '@quorum/persistence';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok } from '../support/graphql-client';
import { freePort, startProcess, type RunningProcess } from '../support/processes';
import { envInt } from './support/latency';
import {
  profileOf,
  summariseProfile,
  writeProfilerPreload,
} from './support/ingest/cpu-profile-summary';
import {
  cpuBetween,
  memoryOf,
  ProcessSampler,
  type CpuSnapshot,
} from './support/ingest/proc-stats';
import { QueueDepth, QueueEventCounter } from './support/ingest/queue-events';
import { timeRawCopy, timeReplayedInsert } from './support/ingest/raw-copy';
import { fmtMs, int, mb, met, msStats, pct, row, sec } from './support/ingest/report';
import { ScoreWatcher } from './support/ingest/score-watcher';
import {
  planBatches,
  seedAccounts,
  seedContacts,
  toActivityInputs,
  type PlannedBatch,
} from './support/ingest/workload';
import { deleteRedisKeys } from '../support/redis-keys';
import { testRedisPrefix } from '../support/redis-prefix';

/**
 * Ingest end to end: activities posted through `recordActivities` in batches by concurrent
 * clients to the built API, with one built worker process rescoring, until every lead and
 * account score has settled. Next to it, in the same run, a raw PostgreSQL COPY of the same
 * rows into a table shaped like `activities`: the end-to-end / COPY ratio is the figure that
 * matters. Targets (2 cores): ≥ 10,000 activities/s sustained and ≥ half the COPY rate.
 *
 *   npm run build
 *   BENCH_ACTIVITIES=10000 npx vitest run --config vitest.bench.config.mts test/bench/ingest.bench.ts
 *
 * BENCH_ACTIVITIES (default 100,000), BENCH_CLIENTS (4), BENCH_BATCH_SIZE (1,000, at most
 * 1,000), BENCH_WORKER_CONCURRENCY (2), BENCH_INGEST_ACCOUNTS (200), BENCH_INGEST_CONTACTS
 * (2,000), BENCH_POLL_MS (200: score polling, the resolution of the latency figures),
 * BENCH_SETTLE_TIMEOUT_S (1,500), BENCH_WORKER_AFTER_INGEST=1 (stop the worker while
 * posting and start it after the last accept: HTTP ingest and rescoring measured apart),
 * BENCH_INGEST_BREAKDOWN=0 (skip the per-unit statement and time breakdown, and the two
 * 11 s pauses that let PostgreSQL's table statistics catch up),
 * BENCH_KEEP_DATABASE=1 (leave the database for inspection; drop it yourself),
 * BENCH_ANALYZE=0 (skip the VACUUM ANALYZE after seeding: see below),
 * BENCH_DB_POOL_SIZE (DB_POOL_SIZE for both processes; their default otherwise),
 * BENCH_CPU_PROFILE=1 (profile the API and worker with the inspector and print where their
 * CPU time went; sampling costs a few per cent).
 *
 * After seeding, the bench runs VACUUM ANALYZE on its database, as autovacuum would have done
 * for an existing workspace: a server with autovacuum off (as this development server is)
 * never gathers statistics, and without them PostgreSQL looks contacts up by id through the
 * (workspace_id, email) index, scanning every contact of the workspace, in the foreign-key
 * check of each activity row among others (measured: ~200 µs per check instead of ~7 µs).
 */
const ACTIVITIES = envInt('BENCH_ACTIVITIES', 100_000);
const CLIENTS = envInt('BENCH_CLIENTS', 4);
const BATCH_SIZE = Math.min(1000, envInt('BENCH_BATCH_SIZE', 1000));
const WORKER_CONCURRENCY = envInt('BENCH_WORKER_CONCURRENCY', 2);
const ACCOUNTS = envInt('BENCH_INGEST_ACCOUNTS', 200);
const CONTACTS = envInt('BENCH_INGEST_CONTACTS', 2000);
const POLL_MS = envInt('BENCH_POLL_MS', 200);
const SETTLE_TIMEOUT_MS = envInt('BENCH_SETTLE_TIMEOUT_S', 1500) * 1000;
const WORKER_AFTER_INGEST = process.env['BENCH_WORKER_AFTER_INGEST'] === '1';
const BREAKDOWN = process.env['BENCH_INGEST_BREAKDOWN'] !== '0';
const KEEP_DATABASE = process.env['BENCH_KEEP_DATABASE'] === '1';
const ANALYZE = process.env['BENCH_ANALYZE'] !== '0';
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'] === '1';
const TARGET_RATE = 10_000;
const TARGET_COPY_SHARE = 0.5;
/** Pending markers all gone but some scores not rewritten since their last accept: how long to wait for them. */
const UNCHANGED_GRACE_MS = 3_000;
const ADMIN = 'bench-admin-token-0123456789';
/** PostgreSQL backends flush their table and database statistics when idle for 10 s at most. */
const STATS_FLUSH_MS = 11_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const INGEST = `mutation Ingest($activities: [ActivityInput!]!) {
  recordActivities(activities: $activities) { accepted duplicates contactsCreated scoringDelayed } }`;

interface BatchResult {
  batch: PlannedBatch;
  client: number;
  sentAt: number;
  acceptedAt: number;
}

async function stopWithin(p: RunningProcess | undefined, ms = 15_000): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  await p.stop('SIGTERM');
  clearTimeout(timer);
}

async function pgCounters(pool: Pool, db: string): Promise<Record<string, number>> {
  const [stats] = (
    await pool.query(
      `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated,
              tup_deleted, blks_read, blks_hit, deadlocks,
              pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS wal_bytes
       FROM pg_stat_database WHERE datname = $1`,
      [db],
    )
  ).rows;
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Number(v)]));
}

async function tableCounters(pool: Pool): Promise<Map<string, Record<string, number>>> {
  const rows = (
    await pool.query(
      `SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, n_dead_tup, autovacuum_count, autoanalyze_count
       FROM pg_stat_user_tables
       WHERE relname IN ('activities', 'pending_rescores', 'lead_scores', 'lead_score_history',
         'account_scores', 'account_score_history', 'buying_group_scores', 'contacts', 'accounts', 'lifecycle_events')`,
    )
  ).rows as Record<string, unknown>[];
  return new Map(
    rows.map((r) => [
      String(r['relname']),
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k !== 'relname')
          .map(([k, v]) => [k, Number(v)]),
      ),
    ]),
  );
}

test(`ingest: ${ACTIVITIES.toLocaleString('en-US')} activities through recordActivities until every score settles, vs raw COPY`, async () => {
  const out = (line = '') => console.log(line);
  const runTag = `i${randomBytes(3).toString('hex')}`;
  const dbName = `quorum_test_${inject('runId')}_ingest_${randomBytes(3).toString('hex')}`;
  const url = databaseUrl(dbName);
  const redisUrl = testRedisUrl();
  const prefix = testRedisPrefix('bench-ingest');
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    QUORUM_REDIS_PREFIX: prefix,
    QUORUM_ADMIN_TOKEN: ADMIN,
    PORT: String(apiPort),
    WORKER_HEALTH_PORT: String(await freePort()),
    WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    NODE_ENV: 'production',
    ...(process.env['BENCH_DB_POOL_SIZE']
      ? { DB_POOL_SIZE: process.env['BENCH_DB_POOL_SIZE'] }
      : {}),
  };
  const profileDir = CPU_PROFILE ? mkdtempSync(path.join(tmpdir(), 'quorum-ingest-prof-')) : '';
  if (CPU_PROFILE) env['NODE_OPTIONS'] = `--require ${writeProfilerPreload(profileDir)}`;
  const profiled: { name: string; pid: number }[] = [];
  let api: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let pool: Pool | undefined;
  let sampler: ProcessSampler | undefined;
  let queueEvents: QueueEventCounter | undefined;
  const startWorker = async () => {
    worker = startProcess('apps/worker/dist/main.js', env);
    await worker.waitFor('Quorum worker running', 60_000);
    sampler?.setProcess('worker', worker.child.pid!);
    profiled.push({ name: 'worker', pid: worker.child.pid! });
    // Started while measuring: its profile starts now.
    if (CPU_PROFILE && sampler) worker.child.kill('SIGUSR2');
  };

  try {
    // 1. The built API (it creates the database and migrates it) and one worker.
    out(`\n[ingest] database ${dbName}, redis prefix ${prefix}`);
    api = startProcess('apps/api/dist/main.js', env);
    await api.waitFor('Quorum API ready', 60_000);
    profiled.push({ name: 'api', pid: api.child.pid! });
    await startWorker();
    pool = new Pool({ connectionString: url, max: 6, application_name: 'quorum-bench' });
    // Dropping the database at the end terminates any connection still closing.
    pool.on('error', () => undefined);
    const graphqlUrl = `http://127.0.0.1:${apiPort}/graphql`;
    const admin = graphqlClient(graphqlUrl, ADMIN);
    const created = await ok(
      admin(
        `mutation { createWorkspace(name: "Ingest bench ${runTag}") { workspace { id } secret } }`,
      ),
    );
    const workspaceId: string = created.createWorkspace.workspace.id;
    const key: string = created.createWorkspace.secret;
    const gql = graphqlClient(graphqlUrl, key);

    // 2. Accounts and contacts, and their first scores.
    const seedStart = performance.now();
    const accounts = seedAccounts(runTag, ACCOUNTS);
    const contacts = seedContacts(runTag, CONTACTS, ACCOUNTS);
    for (let i = 0; i < accounts.length; i += 1000) {
      await ok(
        gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
          a: accounts.slice(i, i + 1000),
        }),
      );
    }
    for (let i = 0; i < contacts.length; i += 1000) {
      await ok(
        gql(`mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { created } }`, {
          c: contacts.slice(i, i + 1000),
        }),
      );
    }
    const seedDeadline = Date.now() + 600_000;
    for (;;) {
      const { rows } = await pool.query<{ pending: number; leads: number; scored: number }>(
        `SELECT (SELECT count(*) FROM pending_rescores WHERE workspace_id = $1)::int AS pending,
                (SELECT count(*) FROM lead_scores WHERE workspace_id = $1)::int AS leads,
                (SELECT count(*) FROM account_scores WHERE workspace_id = $1)::int AS scored`,
        [workspaceId],
      );
      const r = rows[0]!;
      if (r.pending === 0 && r.leads === CONTACTS && r.scored === ACCOUNTS) break;
      if (Date.now() > seedDeadline)
        throw new Error(`initial scores did not settle: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 250));
    }
    out(
      `[ingest] seeded ${int(ACCOUNTS)} accounts, ${int(CONTACTS)} contacts and their first scores in ${sec(performance.now() - seedStart)}`,
    );
    const autovacuum = (await pool.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]!
      .autovacuum;
    if (ANALYZE) await pool.query('VACUUM ANALYZE');
    out(
      `[ingest] server autovacuum: ${autovacuum}; ${ANALYZE ? 'ran VACUUM ANALYZE after seeding' : 'no VACUUM ANALYZE (BENCH_ANALYZE=0): tables have no statistics'}`,
    );
    const contactIdByEmail = new Map(
      (
        await pool.query<{ id: string; email: string }>(
          'SELECT id, email FROM contacts WHERE workspace_id = $1',
          [workspaceId],
        )
      ).rows.map((r) => [r.email, r.id]),
    );
    const accountIdByDomain = new Map(
      (
        await pool.query<{ id: string; domain: string }>(
          'SELECT id, domain FROM accounts WHERE workspace_id = $1',
          [workspaceId],
        )
      ).rows.map((r) => [r.domain, r.id]),
    );
    const contactIds = contacts.map((c) => contactIdByEmail.get(c.email)!);
    const accountIds = accounts.map((a) => accountIdByDomain.get(a.domain)!);
    expect(contactIds.every(Boolean) && accountIds.every(Boolean)).toBe(true);

    // 3. The workload, planned before the clock starts.
    const batches = planBatches({
      total: ACTIVITIES,
      batchSize: BATCH_SIZE,
      contacts: CONTACTS,
      accounts: ACCOUNTS,
    });
    if (WORKER_AFTER_INGEST) {
      await stopWithin(worker);
      worker = undefined;
    }
    await pool.query('CHECKPOINT').catch(() => undefined);

    sampler = new ProcessSampler({
      processes: { api: api.child.pid!, ...(worker ? { worker: worker.child.pid! } : {}) },
      monitor: pool,
      database: dbName,
      intervalMs: 250,
    });
    sampler.start();
    queueEvents = new QueueEventCounter(redisUrl, prefix, ['scoring', 'maintenance']);
    await queueEvents.start();
    const watcher = new ScoreWatcher(pool, workspaceId);
    await watcher.poll();
    const depth = new QueueDepth(redisUrl, prefix, 'scoring');
    const pendingSeries: [number, number, number][] = [];
    let polling = true;
    let pollError: unknown;
    const pollLoop = (async () => {
      let queued = 0;
      while (polling) {
        const started = Date.now();
        try {
          await watcher.poll();
          if (watcher.polls % 5 === 0) {
            const d = await depth.read();
            queued = d.waiting + d.delayed + d.active;
          }
          pendingSeries.push([Date.now(), watcher.pending, queued]);
        } catch (error) {
          pollError = error;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (Date.now() - started))));
      }
    })();
    if (BREAKDOWN) await sleep(STATS_FLUSH_MS);
    const counters0 = await pgCounters(pool, dbName);
    const tables0 = await tableCounters(pool);
    sampler.watchWaits(true);
    const cpu0: CpuSnapshot = await sampler.snapshot();
    // Profiles cover the measured window only: from here to settled.
    if (CPU_PROFILE) for (const p of [api, worker]) p?.child.kill('SIGUSR2');

    // 4. C clients post the batches, each taking the next one as soon as its last returned.
    out(
      `[ingest] posting ${int(ACTIVITIES)} activities in ${int(batches.length)} batches of ${int(BATCH_SIZE)} from ${CLIENTS} clients` +
        (WORKER_AFTER_INGEST ? ' (worker stopped until the last accept)' : ''),
    );
    const results: BatchResult[] = [];
    let next = 0;
    const firstPostAt = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let b = next++; b < batches.length; b = next++) {
          const batch = batches[b]!;
          const sentAt = Date.now();
          const body = JSON.stringify({
            query: INGEST,
            variables: { activities: toActivityInputs(batch, contacts, runTag, sentAt) },
          });
          const response = await fetch(graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body,
          });
          const json = (await response.json()) as {
            data?: {
              recordActivities: { accepted: number; duplicates: number; scoringDelayed: boolean };
            };
            errors?: unknown[];
          };
          const acceptedAt = Date.now();
          const r = json.data?.recordActivities;
          if (!r || json.errors?.length)
            throw new Error(
              `batch ${b} failed (${response.status}): ${JSON.stringify(json.errors)}`,
            );
          if (r.accepted !== batch.activities.length || r.duplicates !== 0 || r.scoringDelayed)
            throw new Error(`batch ${b}: unexpected result ${JSON.stringify(r)}`);
          results.push({ batch, client, sentAt, acceptedAt });
        }
      }),
    );
    const lastAcceptAt = Math.max(...results.map((r) => r.acceptedAt));
    const cpu1 = await sampler.snapshot();
    const pendingAtLastAccept = watcher.pending;
    const httpMs = lastAcceptAt - firstPostAt;
    out(
      `[ingest] last batch accepted after ${sec(httpMs)} (${int((ACTIVITIES * 1000) / httpMs)} activities/s); waiting for scores to settle`,
    );
    if (WORKER_AFTER_INGEST) await startWorker();

    // 5. Settled: no pending markers, and every touched score stored after its last accept.
    const lastAcceptContact = new Map<string, number>();
    const lastAcceptAccount = new Map<string, number>();
    for (const r of results) {
      for (const c of r.batch.contacts) {
        const id = contactIds[c]!;
        lastAcceptContact.set(id, Math.max(lastAcceptContact.get(id) ?? 0, r.acceptedAt));
      }
      for (const a of r.batch.accounts) {
        const id = accountIds[a]!;
        lastAcceptAccount.set(id, Math.max(lastAcceptAccount.get(id) ?? 0, r.acceptedAt));
      }
    }
    let settledAt: number | undefined;
    let emptySince: number | undefined;
    let writesAtEmpty = 0;
    let unchanged = { leads: 0, accounts: 0 };
    const settleDeadline = lastAcceptAt + SETTLE_TIMEOUT_MS;
    let lastPolls = watcher.polls;
    while (settledAt === undefined && Date.now() < settleDeadline) {
      if (pollError) throw pollError;
      await new Promise((r) => setTimeout(r, 20));
      if (watcher.polls === lastPolls) continue;
      lastPolls = watcher.polls;
      const observedAt = Date.now();
      if (watcher.pending !== 0) {
        emptySince = undefined;
        continue;
      }
      const leadsBehind = watcher.behind('lead', lastAcceptContact);
      const accountsBehind = watcher.behind('account', lastAcceptAccount);
      if (leadsBehind.length === 0 && accountsBehind.length === 0) {
        settledAt = observedAt;
        break;
      }
      // Markers all claimed, yet some scores older than their last accept: a rescore whose
      // result equalled the stored score writes nothing. Give in-flight work a moment.
      const writes = watcher.writesSince('lead', 0) + watcher.writesSince('account', 0);
      if (emptySince === undefined || writes !== writesAtEmpty) {
        emptySince = observedAt;
        writesAtEmpty = writes;
      } else if (observedAt - emptySince >= UNCHANGED_GRACE_MS) {
        settledAt = emptySince;
        unchanged = { leads: leadsBehind.length, accounts: accountsBehind.length };
      }
    }
    polling = false;
    await pollLoop;
    const settled = settledAt !== undefined;
    const endAt = settledAt ?? Date.now();
    sampler.watchWaits(false);
    const cpu2 = await sampler.snapshot();
    if (CPU_PROFILE) for (const p of [api, worker]) p?.child.kill('SIGUSR2');
    const leftAtSettle = await depth.read();
    depth.close();
    await queueEvents.stop();
    const memory = {
      api: {
        hwm: (memoryOf(api.child.pid!)?.hwmKb ?? 0) / 1024,
        sampled: sampler.peakRssMb('api'),
      },
      worker: {
        hwm: worker ? (memoryOf(worker.child.pid!)?.hwmKb ?? 0) / 1024 : 0,
        sampled: sampler.peakRssMb('worker'),
      },
    };
    await sampler.stop();
    // Jobs still queued at settle have nothing left to do; the worker stops before they run.
    await stopWithin(worker);
    worker = undefined;
    if (BREAKDOWN) await sleep(STATS_FLUSH_MS);
    const counters2 = await pgCounters(pool, dbName);
    const tables2 = await tableCounters(pool);

    // 6. Stored exactly once.
    const [stored] = (
      await pool.query<{ n: number; distinct_ids: number; ours: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS distinct_ids,
                count(*) FILTER (WHERE external_id LIKE $2)::int AS ours
         FROM activities WHERE workspace_id = $1`,
        [workspaceId, `${runTag}-b%`],
      )
    ).rows;
    const lastWriteAt = Math.max(
      ...[...watcher.leadWrites.values(), ...watcher.accountWrites.values()].flat(),
    );

    // 7. Latency from accept to the score being stored, per (batch, account) and (batch, contact).
    const accountLatency: number[] = [];
    const batchLatency: number[] = [];
    const leadLatency: number[] = [];
    let accountNoWrite = 0;
    let leadNoWrite = 0;
    for (const r of results) {
      let worst = 0;
      for (const a of r.batch.accounts) {
        const w = watcher.firstWriteAfter('account', accountIds[a]!, r.acceptedAt);
        if (w === undefined) accountNoWrite++;
        else {
          accountLatency.push(w - r.acceptedAt);
          worst = Math.max(worst, w - r.acceptedAt);
        }
      }
      batchLatency.push(worst);
      for (const c of r.batch.contacts) {
        const w = watcher.firstWriteAfter('lead', contactIds[c]!, r.acceptedAt);
        if (w === undefined) leadNoWrite++;
        else leadLatency.push(w - r.acceptedAt);
      }
    }
    const httpLatency = results.map((r) => r.acceptedAt - r.sentAt);

    // 8. The reference: the same rows by raw COPY, with the processes idle (worker stopped).
    out(`[ingest] timing a raw COPY of the same ${int(stored!.n)} rows`);
    const copy = await timeRawCopy({ url, pool, workspaceId, runs: 3 });
    const replay = await timeReplayedInsert({
      pool,
      workspaceId,
      clients: CLIENTS,
      batchSize: BATCH_SIZE,
    });

    // 9. The figures.
    const sustainedMs = endAt - firstPostAt;
    const sustained = (ACTIVITIES * 1000) / sustainedMs;
    const accepted = (ACTIVITIES * 1000) / httpMs;
    const ratio = sustained / copy.rowsPerSecond;
    const acc = msStats(accountLatency);
    out('');
    out(`[ingest] ===== ingest end to end (${settled ? 'settled' : 'NOT SETTLED'}) =====`);
    out(
      row(
        'activities',
        `${int(ACTIVITIES)} (stored ${int(stored!.ours)}, distinct external ids ${int(stored!.distinct_ids)})`,
      ),
    );
    out(row('batches × size', `${int(batches.length)} × ${int(BATCH_SIZE)}`));
    out(row('clients', String(CLIENTS)));
    out(
      row(
        'worker concurrency',
        `${WORKER_CONCURRENCY}${WORKER_AFTER_INGEST ? ' (worker started after the last accept)' : ''}`,
      ),
    );
    out(row('accounts / contacts', `${int(ACCOUNTS)} / ${int(CONTACTS)}`));
    out(row('accepted/s (HTTP ingest, to last accept)', `${int(accepted)} /s in ${sec(httpMs)}`));
    out(
      row(
        'sustained end to end/s (to settled)',
        `${int(sustained)} /s in ${sec(sustainedMs)} (drain after last accept ${sec(endAt - lastAcceptAt)}; last score write +${sec(lastWriteAt - firstPostAt)})`,
      ),
    );
    out(row('accept → account score stored', fmtMs(acc)));
    out(row("accept → all of a batch's accounts stored", fmtMs(msStats(batchLatency))));
    out(row('accept → lead score stored', fmtMs(msStats(leadLatency))));
    out(row('HTTP round trip per batch', fmtMs(msStats(httpLatency))));
    out(
      row(
        'peak RSS API',
        `${mb(memory.api.hwm)} (VmHWM; sampled post → settled ${mb(memory.api.sampled)})`,
      ),
    );
    out(
      row(
        'peak RSS worker',
        `${mb(memory.worker.hwm)} (VmHWM; sampled post → settled ${mb(memory.worker.sampled)})`,
      ),
    );
    out(
      row(
        'raw COPY of the same rows',
        `${int(copy.rowsPerSecond)} rows/s (median of ${copy.runsMs.map((m) => `${m.toFixed(0)}`).join(', ')} ms; ${(copy.fileBytes / 1048576).toFixed(1)} MiB; ` +
          `without the 2 foreign keys ${int(copy.withoutForeignKeys.rowsPerSecond)} rows/s)`,
      ),
    );
    out(row('ratio end to end / COPY', `${ratio.toFixed(3)} (${pct(ratio)})`));
    out(
      row(
        `target ≥ ${int(TARGET_RATE)} activities/s sustained`,
        `${met(settled && sustained >= TARGET_RATE)} (${int(sustained)} /s)`,
      ),
    );
    out(
      row(
        `target ≥ ${TARGET_COPY_SHARE}× the raw COPY rate`,
        `${met(settled && ratio >= TARGET_COPY_SHARE)} (${ratio.toFixed(3)}×)`,
      ),
    );
    if (unchanged.leads || unchanged.accounts)
      out(
        row(
          'settled without rewrite (score unchanged)',
          `${int(unchanged.leads)} leads, ${int(unchanged.accounts)} accounts`,
        ),
      );
    out(
      row(
        'accept → score: pairs with no later write',
        `${int(accountNoWrite)} (batch, account), ${int(leadNoWrite)} (batch, contact); poll every ${POLL_MS} ms`,
      ),
    );

    // 10. Where the time goes.
    out('');
    out('[ingest] ----- where the time goes -----');
    out(
      row(
        "the API's INSERT alone, replayed through pg",
        `${int(replay.rowsPerSecond)} rows/s (${int(replay.rows)} rows, ${CLIENTS} connections, ${BATCH_SIZE}/statement, ${sec(replay.ms)})`,
      ),
    );
    out(row('pending markers at last accept', int(pendingAtLastAccept)));
    {
      const done = [
        ...queueEvents.completedJobs('rescore-contacts'),
        ...queueEvents.completedJobs('rescore-account'),
      ];
      const meanRun = done.reduce((t, j) => t + j.run, 0) / Math.max(1, done.length);
      const left = leftAtSettle.waiting + leftAtSettle.delayed;
      out(
        row(
          'jobs still queued when settled (redundant)',
          `${int(leftAtSettle.waiting)} waiting, ${int(leftAtSettle.delayed)} delayed, ${int(leftAtSettle.active)} active` +
            (left
              ? ` ≈ ${sec((left * meanRun) / WORKER_CONCURRENCY)} more of the worker at ${meanRun.toFixed(0)} ms a job`
              : ''),
        ),
      );
    }
    const series = pendingSeries.filter(([t]) => t <= endAt);
    const step = Math.max(1, Math.floor(series.length / 12));
    out(
      row(
        'pending markers / queued jobs over time',
        series
          .filter((_, i) => i % step === 0)
          .map(
            ([t, n, queued]) =>
              `${((t - firstPostAt) / 1000).toFixed(sustainedMs < 60_000 ? 1 : 0)} s: ${int(n)}/${int(queued)}`,
          )
          .join(', '),
      ),
    );
    const phases: [string, CpuSnapshot, CpuSnapshot, number][] = [
      ['ingest (first post → last accept)', cpu0, cpu1, httpMs],
      ['drain (last accept → settled)', cpu1, cpu2, endAt - lastAcceptAt],
    ];
    for (const [label, a, b, wallMs] of phases) {
      const all = cpuBetween(a, b);
      const machineBusy = all.find(([g]) => g.startsWith('machine busy'))?.[1] ?? 0;
      const machineTotal = all.find(([g]) => g.startsWith('machine total'))?.[1] ?? 1;
      const known = all.filter(([g]) => !g.startsWith('machine')).reduce((t, [, x]) => t + x, 0);
      const cpu = [
        ...all.filter(([g, x]) => x >= 0.05 && !g.startsWith('machine')),
        ['everything else on the machine (not ours)', Math.max(0, machineBusy - known)] as [
          string,
          number,
        ],
      ];
      out(
        `  CPU during ${label}, ${sec(wallMs)} wall; machine busy ${pct(machineBusy / machineTotal)} of ${(machineTotal / (wallMs / 1000)).toFixed(1)} cores:`,
      );
      for (const [group, seconds] of cpu) {
        if (group.startsWith('machine')) continue;
        out(
          `      ${group.padEnd(48)} ${seconds.toFixed(1).padStart(7)} s  (${((seconds * 1000) / Math.max(1, wallMs)).toFixed(2)} cores)`,
        );
      }
    }
    const waitTotals = new Map<string, Map<string, number>>();
    for (const s of sampler.waits)
      for (const [app, states] of s.byApp) {
        const t = waitTotals.get(app) ?? new Map<string, number>();
        for (const [state, n] of states) t.set(state, (t.get(state) ?? 0) + n);
        waitTotals.set(app, t);
      }
    out(
      `  PostgreSQL backends by state, mean over ${sampler.waits.length} samples (ingest + drain):`,
    );
    for (const [app, states] of waitTotals) {
      out(
        `      ${app.padEnd(16)} ${[...states]
          .sort((x, y) => y[1] - x[1])
          .map(([state, n]) => `${state} ${(n / sampler!.waits.length).toFixed(2)}`)
          .join(', ')}`,
      );
    }
    const delta = (k: string, a: Record<string, number>, b: Record<string, number>) =>
      (b[k] ?? 0) - (a[k] ?? 0);
    {
      const [a, b] = [counters0, counters2];
      out(
        `  PostgreSQL, ingest + drain${BREAKDOWN ? '' : ' (statistics may lag up to 10 s: BENCH_INGEST_BREAKDOWN=0)'}: ` +
          `${int(delta('xact_commit', a, b))} commits (${(delta('xact_commit', a, b) / ACTIVITIES).toFixed(2)} per activity), ${int(delta('xact_rollback', a, b))} rollbacks, ` +
          `${int(delta('tup_inserted', a, b))} rows inserted, ${int(delta('tup_updated', a, b))} updated, ${int(delta('tup_deleted', a, b))} deleted, ` +
          `${int(delta('tup_returned', a, b) + delta('tup_fetched', a, b))} read; WAL ${(delta('wal_bytes', a, b) / 1048576).toFixed(0)} MiB (whole server)`,
      );
    }
    for (const [table, after] of tables2) {
      const before = tables0.get(table) ?? {};
      const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
      if (d('n_tup_ins') + d('n_tup_upd') + d('n_tup_del') === 0) continue;
      out(
        `      ${table.padEnd(22)} +${int(d('n_tup_ins'))} ins, ${int(d('n_tup_upd'))} upd (${int(d('n_tup_hot_upd'))} HOT), ${int(d('n_tup_del'))} del; ` +
          `dead now ${int(after['n_dead_tup'] ?? 0)}; autovacuum ${d('autovacuum_count')}, autoanalyze ${d('autoanalyze_count')}`,
      );
    }
    const q = queueEvents;
    const added = (name: string) => q.addedByName.get(name) ?? 0;
    out(
      `  queue: ${int(added('rescore-contacts'))} rescore-contacts and ${int(added('rescore-account'))} rescore-account jobs added ` +
        `for ${int(ACTIVITIES)} activities (${(ACTIVITIES / Math.max(1, added('rescore-contacts'))).toFixed(1)} activities per contact job); ` +
        `${int(q.events.get('deduplicated') ?? 0)} requests deduplicated; ${int(q.events.get('completed') ?? 0)} completed, ` +
        `${int(q.events.get('failed') ?? 0)} failed; reconcile runs ${int(added('reconcile-pending'))}` +
        (q.missed
          ? `; ${int(q.missed)} events trimmed before they were read (counts are low)`
          : ''),
    );
    const pairs = results.reduce((s, r) => s + r.batch.contacts.length, 0);
    out(
      `      (batch, contact) pairs: ${int(pairs)}; (batch, account) pairs: ${int(results.reduce((s, r) => s + r.batch.accounts.length, 0))}; ` +
        `lead score writes seen ${int(watcher.writesSince('lead', firstPostAt))}, account score writes ${int(watcher.writesSince('account', firstPostAt))}`,
    );
    for (const name of ['rescore-contacts', 'rescore-account']) {
      const jobs = q.completedJobs(name);
      if (!jobs.length) continue;
      const busyMs = jobs.reduce((s, j) => s + j.run, 0);
      out(
        `      ${name}: queued→active ${fmtMs(msStats(jobs.map((j) => j.wait)))}; ` +
          `run ${fmtMs(msStats(jobs.map((j) => j.run)))}; ${sec(busyMs)} of handler time in total`,
      );
    }
    out(
      `  score watcher: ${watcher.polls} polls, ${(watcher.pollMs / Math.max(1, watcher.polls)).toFixed(1)} ms each`,
    );
    {
      // CPU per activity, from post to settle, by stage; the ceiling a dedicated machine with
      // this many cores would reach if nothing but these processes ran and none waited.
      const all = new Map(cpuBetween(cpu0, cpu2));
      const get = (g: string) => all.get(g) ?? 0;
      const ingestCpu = get('api') + get('postgres backends of quorum-api');
      const rescoreCpu = get('worker') + get('postgres backends of quorum-worker');
      const sharedCpu =
        get('redis-server (shared)') + get('postgres: background (wal, checkpoint, vacuum)');
      const total = ingestCpu + rescoreCpu + sharedCpu;
      const perActivity = (x: number) => `${((x * 1000) / ACTIVITIES).toFixed(3)} ms`;
      const cores = availableParallelism();
      const jobs = added('rescore-contacts') + added('rescore-account');
      out(
        `  CPU per activity, post → settled: ${perActivity(total)} in all = ingest (API + its PostgreSQL) ${perActivity(ingestCpu)}` +
          ` + rescoring (worker + its PostgreSQL) ${perActivity(rescoreCpu)} + Redis and PostgreSQL background ${perActivity(sharedCpu)}` +
          `; rescoring ${((rescoreCpu * 1000) / Math.max(1, jobs)).toFixed(2)} ms CPU per job`,
      );
      out(
        `  ceiling on ${cores} dedicated cores at this CPU cost: ${int((cores * ACTIVITIES) / Math.max(1e-9, total))} activities/s end to end ` +
          `(ingest alone ${int((cores * ACTIVITIES) / Math.max(1e-9, ingestCpu + get('redis-server (shared)')))} /s); ` +
          `the ${int(TARGET_RATE)}/s target leaves ${((cores * 1000) / TARGET_RATE).toFixed(2)} ms of CPU per activity`,
      );
    }

    if (BREAKDOWN) {
      try {
        const { measurePipelineCosts } = await import('./support/ingest/rescore-costs.js');
        const extra = planBatches({
          total: BATCH_SIZE * 4,
          batchSize: BATCH_SIZE,
          contacts: CONTACTS,
          accounts: ACCOUNTS,
          seed: 7,
        });
        // The same batches over HTTP, one at a time (worker stopped): HTTP + GraphQL's share.
        const httpOne: number[] = [];
        for (const b of extra.slice(0, 2)) {
          const started = performance.now();
          await ok(
            gql(INGEST, { activities: toActivityInputs(b, contacts, `${runTag}x`, Date.now()) }),
          );
          httpOne.push(performance.now() - started);
        }
        const costs = await measurePipelineCosts({
          url,
          workspaceId,
          contactIds: contactIds.slice(0, 40),
          accountIds: accountIds.slice(0, 20),
          activityBatches: extra
            .slice(2)
            .map((b) => toActivityInputs(b, contacts, `${runTag}y`, Date.now())),
        });
        out(
          `  one batch of ${BATCH_SIZE} over HTTP, alone (no other clients, worker stopped): ` +
            httpOne.map((m) => `${m.toFixed(0)} ms`).join(', '),
        );
        for (const c of costs) {
          out(
            `  ${c.label}: ${c.msPerUnit.mean.toFixed(1)} ms mean (p50 ${c.msPerUnit.p50.toFixed(1)}), ` +
              `${c.statementsPerUnit.toFixed(1)} statements, n=${c.samples}`,
          );
          for (const s of c.statements.slice(0, 8))
            out(
              `      ${s.perUnit.toFixed(1)}× ${s.msPerUnit.toFixed(2).padStart(7)} ms  ${s.sql}`,
            );
        }
      } catch (error) {
        out(`  (breakdown skipped: ${(error as Error).message.split('\n')[0]})`);
      }
    }
    if (CPU_PROFILE) {
      await stopWithin(api);
      for (const { name, pid } of profiled) {
        const file = profileOf(profileDir, pid);
        if (!file) {
          out(`  (no CPU profile for ${name} ${pid})`);
          continue;
        }
        const p = summariseProfile(file);
        out(
          `  CPU profile of ${name} (pid ${pid}, ${p.window === 'between signals' ? 'first post → settled' : p.window}): ${sec(p.totalMs)} on the main thread, ${sec(p.idleMs)} idle`,
        );
        out(
          `      by area: ${p.byArea.map(([a, ms]) => `${a} ${((ms / p.totalMs) * 100).toFixed(0)}%`).join(', ')}`,
        );
        for (const [fn, ms] of p.topFunctions.slice(0, 10))
          out(`      ${((ms / p.totalMs) * 100).toFixed(1).padStart(5)}%  ${fn}`);
      }
    }
    out('');

    // Work was done: every activity stored exactly once, and the scores settled.
    expect(stored!.ours).toBe(ACTIVITIES);
    expect(stored!.distinct_ids).toBe(stored!.n);
    expect(settled, `scores did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`).toBe(true);
    expect(copy.rows).toBe(stored!.n);
  } finally {
    await sampler?.stop();
    await queueEvents?.stop().catch(() => undefined);
    await stopWithin(worker);
    await stopWithin(api);
    await pool?.end().catch(() => undefined);
    if (KEEP_DATABASE)
      out(`[ingest] kept database ${dbName} (BENCH_KEEP_DATABASE=1): drop it when done`);
    else
      await dropDatabase(url).catch((e) => out(`[ingest] could not drop ${dbName}: ${e.message}`));
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
});
