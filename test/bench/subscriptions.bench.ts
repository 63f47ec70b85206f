import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventChannel } from '@quorum/events';
import { dropDatabase } from '@quorum/persistence';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { expect, inject, test } from 'vitest';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok, type Gql } from '../support/graphql-client';
import { freePort, startProcess, type RunningProcess } from '../support/processes';
import { envInt } from './support/latency';
import {
  analyse,
  distribution,
  readDeliveries,
  type AcceptedBatch,
  type Distribution,
} from './support/subscriptions/analysis';
import {
  forkFleet,
  inProcessFleet,
  type Fleet,
  type FleetStatus,
} from './support/subscriptions/fleet-client';
import { PgWaitSampler } from './support/subscriptions/pg-waits';
import { ScoringQueueStats } from './support/subscriptions/queue-stats';
import { cpuBetween, cpuSnapshot, memoryOf, pidsNamed } from './support/subscriptions/proc';
import {
  profileFile,
  summariseProfile,
  writeProfilerPreload,
} from './support/subscriptions/profile';
import {
  activityInputs,
  benchModel,
  contactEmail,
  followedAccounts,
  planBatches,
  probeDomain,
  seedAccounts,
  seedContacts,
} from './support/subscriptions/workload';
import { deleteRedisKeys } from '../support/redis-keys';
import { testRedisPrefix } from '../support/redis-prefix';

/**
 * Subscriptions under load: N graphql-ws subscribers of `accountScoreChanged` (by default no
 * filter: every account event goes to all N; see BENCH_FOLLOW_ACCOUNTS) on ONE built API
 * process, with one built worker rescoring, while activities arrive through `recordActivities`
 * at a set rate. Prints the latency from a batch's accept (its recordActivities call returned)
 * to each subscriber receiving the account event that reflects it, the deliveries per second,
 * and the API's and worker's peak memory.
 * Target (2 cores): p99 ≤ 250 ms at 1,000 activities/s with 1,000 subscribers.
 *
 *   npm run build
 *   BENCH_SUBSCRIBERS=100 BENCH_SECONDS=5 npx vitest run --config vitest.bench.config.mts test/bench/subscriptions.bench.ts
 *
 * BENCH_SUBSCRIBERS (default 1,000), BENCH_RATE (activities/s, 1,000), BENCH_SECONDS (20),
 * BENCH_BATCH_MS (100: a batch of RATE·BATCH_MS/1000 activities every BATCH_MS),
 * BENCH_SUB_ACCOUNTS (200), BENCH_SUB_CONTACTS_PER_ACCOUNT (10),
 * BENCH_SUBS_PER_CONNECTION (1, at most 20: the API's per-connection limit),
 * BENCH_TIMED_SUBSCRIBERS (all: how many subscribers' deliveries are timed one by one; every
 * delivery is counted), BENCH_SUBSCRIBERS_IN_PROCESS=1 (run the subscribers in the bench's own
 * process instead of a child process: for comparison), BENCH_WORKER_CONCURRENCY (2),
 * BENCH_WORKERS (1: worker processes; memory is the first one's, CPU all of theirs),
 * BENCH_WORKER_BATCH_SIZE (the worker's default WORKER_BATCH_SIZE), BENCH_INGEST_API=1 (the
 * stream's recordActivities go to a second API process; the subscribers stay on the first),
 * BENCH_DRAIN_TIMEOUT_S (300), BENCH_CPU_PROFILE=1 (profile the API and the worker with V8's
 * sampling profiler, from the stream's start until it has drained, and print where their CPU
 * went), BENCH_FOLLOW_ACCOUNTS (0: no filter; k > 0: subscriber i subscribes with
 * `accountScoreChanged(filter: { accountIds: $ids })` following k of the bench's accounts,
 * (i·k + j) mod BENCH_SUB_ACCOUNTS for j < k, so every account has about N·k/ACCOUNTS
 * followers, plus the probe account; k is capped at BENCH_SUB_ACCOUNTS. Each subscriber is then
 * expected to receive only its accounts' events, and a delivery for any other account is
 * counted as "unfollowed").
 *
 * The API reads its subscription limits from code defaults (200 per key, 20 per connection),
 * so subscribers are spread over several SUBSCRIBE keys, 100 subscriptions each.
 *
 * Subscriptions are known to be active when each has received an event: after Redis reports
 * the API's subscriber on the channel (PUBSUB NUMSUB), the bench records a probe activity for
 * a probe account (excluded from the figures) until every subscription has had its event.
 *
 * The stream is open loop: batch k is sent at start + k·BATCH_MS whatever happened to the
 * earlier ones (at most 64 outstanding); a refused batch is counted and reported, not retried.
 * The run then drains until no delivery has arrived for 3 s and nothing is left to rescore.
 *
 * The subscribers run in a child process (support/subscriptions/subscriber-fleet.mjs) so that
 * receiving N× the event rate does not delay the bench's own batches and accept times; a Redis
 * "tap" there also records when each event was published. Latency is over every delivery to
 * every subscriber (or BENCH_TIMED_SUBSCRIBERS of them), matched to batches by the rule in
 * support/subscriptions/analysis.ts (the headline "simple" rule, and a "strict" one that checks
 * the event's roll-up actually read the batch's leads). The workload and scoring model (every
 * activity moves its account's score): support/subscriptions/workload.ts.
 *
 * Besides the figures, it prints where the time went (accept → rescore → publish → first
 * subscriber → each subscriber), the scoring queue's backlog and job timings, what the API's
 * and worker's PostgreSQL sessions were doing, and the CPU of every process involved and of
 * the rest of the machine (other work on a shared machine shows up there and in CPU pressure).
 */
const SUBSCRIBERS = envInt('BENCH_SUBSCRIBERS', 1000);
const RATE = envInt('BENCH_RATE', 1000);
const SECONDS = envInt('BENCH_SECONDS', 20);
const BATCH_MS = envInt('BENCH_BATCH_MS', 100);
const ACCOUNTS = envInt('BENCH_SUB_ACCOUNTS', 200);
const CONTACTS_PER_ACCOUNT = envInt('BENCH_SUB_CONTACTS_PER_ACCOUNT', 10);
const PER_CONNECTION = Math.min(20, envInt('BENCH_SUBS_PER_CONNECTION', 1));
const TIMED = envInt('BENCH_TIMED_SUBSCRIBERS', Number.MAX_SAFE_INTEGER);
const IN_PROCESS = process.env['BENCH_SUBSCRIBERS_IN_PROCESS'] === '1';
const WORKER_CONCURRENCY = envInt('BENCH_WORKER_CONCURRENCY', 2);
const WORKERS = envInt('BENCH_WORKERS', 1);
const SEPARATE_INGEST = process.env['BENCH_INGEST_API'] === '1';
const DRAIN_TIMEOUT_MS = envInt('BENCH_DRAIN_TIMEOUT_S', 300) * 1000;
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'] === '1';
/** 0 (the default): no filter. envInt takes positive integers only, hence the explicit 0. */
const FOLLOW = Math.min(
  ACCOUNTS,
  process.env['BENCH_FOLLOW_ACCOUNTS']?.trim() === '0' ? 0 : envInt('BENCH_FOLLOW_ACCOUNTS', 0),
);
const TARGET_P99_MS = 250;
/** Under the API's default of 200 per key. */
const SUBSCRIPTIONS_PER_KEY = 100;
/** Deliveries unchanged this long, and nothing left to rescore: the run has drained. */
const QUIET_MS = 3_000;
const MAX_IN_FLIGHT = 64;
const ADMIN = 'bench-admin-token-0123456789';

const SUBSCRIPTION = `subscription { accountScoreChanged { eventId accountId cause at new { total tier } } }`;
/** BENCH_FOLLOW_ACCOUNTS > 0: the same selection, filtered on the subscriber's accounts. */
const FOLLOW_SUBSCRIPTION = `subscription Follow($ids: [ID!]) { accountScoreChanged(filter: { accountIds: $ids }) { eventId accountId cause at new { total tier } } }`;
const MODE = FOLLOW > 0 ? `each follows ${FOLLOW} of ${ACCOUNTS} accounts` : 'no filter';
const RECORD = `mutation Record($a: [ActivityInput!]!) {
  recordActivities(activities: $a) { accepted duplicates scoringDelayed } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : '–');
const dist = (d: Distribution) =>
  d.n === 0
    ? 'n=0'
    : `p50 ${fmt(d.p50)}, p90 ${fmt(d.p90)}, p99 ${fmt(d.p99)}, max ${fmt(d.max)} (mean ${fmt(d.mean)}, n=${int(d.n)})`;

async function stopWithin(p: RunningProcess | undefined, ms = 15_000): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  await p.stop('SIGTERM');
  clearTimeout(timer);
}

async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

test(`subscriptions: ${int(SUBSCRIBERS)} subscribers of accountScoreChanged (${MODE}) on one API while ${int(RATE)} activities/s flow for ${SECONDS} s`, async () => {
  const out = (line = '') => console.log(line);
  const tag = `s${randomBytes(3).toString('hex')}`;
  const dbName = `quorum_test_${inject('runId')}_subsbench_${randomBytes(3).toString('hex')}`;
  const url = databaseUrl(dbName);
  const redisUrl = testRedisUrl();
  const prefix = testRedisPrefix('bench-subs');
  const workDir = mkdtempSync(path.join(tmpdir(), 'quorum-subs-bench-'));
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    QUORUM_REDIS_PREFIX: prefix,
    QUORUM_ADMIN_TOKEN: ADMIN,
    PORT: String(apiPort),
    WORKER_HEALTH_PORT: String(await freePort()),
    WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    ...(process.env['BENCH_WORKER_BATCH_SIZE']
      ? { WORKER_BATCH_SIZE: process.env['BENCH_WORKER_BATCH_SIZE'] }
      : {}),
    // One key posts every batch (10/s by default): above the default write budget.
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    RATE_LIMIT_READS_PER_MINUTE: '1000000',
    NODE_ENV: 'production',
    ...(CPU_PROFILE ? { NODE_OPTIONS: `--require ${writeProfilerPreload(workDir)}` } : {}),
  };
  let api: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let ingestApi: RunningProcess | undefined;
  const moreWorkers: RunningProcess[] = [];
  let fleet: Fleet | undefined;
  let pool: Pool | undefined;
  let redis: Redis | undefined;
  let waits: PgWaitSampler | undefined;
  let queueStats: ScoringQueueStats | undefined;

  try {
    // 1. The built API (it creates and migrates the database) and one worker.
    out(`\n[subs] database ${dbName}, redis prefix ${prefix}`);
    api = startProcess('apps/api/dist/main.js', env);
    await api.waitFor('Quorum API ready', 60_000);
    const ingestPort = SEPARATE_INGEST ? await freePort() : apiPort;
    if (SEPARATE_INGEST) {
      ingestApi = startProcess('apps/api/dist/main.js', { ...env, PORT: String(ingestPort) });
      await ingestApi.waitFor('Quorum API ready', 60_000);
    }
    worker = startProcess('apps/worker/dist/main.js', env);
    await worker.waitFor('Quorum worker running', 60_000);
    for (let w = 1; w < WORKERS; w++) {
      const extra = startProcess('apps/worker/dist/main.js', {
        ...env,
        WORKER_HEALTH_PORT: String(await freePort()),
      });
      moreWorkers.push(extra);
      await extra.waitFor('Quorum worker running', 60_000);
    }
    pool = new Pool({ connectionString: url, max: 2, application_name: 'quorum-subs-bench' });
    pool.on('error', () => undefined);
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const httpUrl = `http://127.0.0.1:${apiPort}/graphql`;
    const wsUrl = `ws://127.0.0.1:${apiPort}/graphql`;
    const admin = graphqlClient(httpUrl, ADMIN);

    // 2. A workspace with the bench's model, its accounts and contacts, their first scores.
    const setupStart = Date.now();
    const created = await ok(
      admin(
        `mutation { createWorkspace(name: "Subscription bench ${tag}") { workspace { id } secret } }`,
      ),
    );
    const workspaceId: string = created.createWorkspace.workspace.id;
    const gql: Gql = graphqlClient(httpUrl, created.createWorkspace.secret);
    // The stream's recordActivities calls (the subscribers stay on the first API process).
    const ingest: Gql = SEPARATE_INGEST
      ? graphqlClient(`http://127.0.0.1:${ingestPort}/graphql`, created.createWorkspace.secret)
      : gql;
    const draft = await ok(
      gql(
        `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d, description: "subscription bench") { id } }`,
        {
          d: benchModel(CONTACTS_PER_ACCOUNT),
        },
      ),
    );
    await ok(
      gql(`mutation($id: ID!) { publishScoringModel(versionId: $id) { id } }`, {
        id: draft.createScoringModelDraft.id,
      }),
    );
    const accounts = [...seedAccounts(tag, ACCOUNTS), { domain: probeDomain(tag), name: 'Probe' }];
    const contacts = [
      ...seedContacts(tag, ACCOUNTS, CONTACTS_PER_ACCOUNT),
      { email: `probe@${probeDomain(tag)}`, country: 'US' },
    ];
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
    await until('the first scores', 600_000, async () => {
      const { rows } = await pool!.query<{
        pending: number;
        leads: number;
        scored: number;
        backfills: number;
      }>(
        `SELECT (SELECT count(*) FROM pending_rescores WHERE workspace_id = $1)::int AS pending,
                (SELECT count(*) FROM lead_scores WHERE workspace_id = $1)::int AS leads,
                (SELECT count(*) FROM account_scores WHERE workspace_id = $1)::int AS scored,
                (SELECT count(*) FROM scoring_backfills WHERE workspace_id = $1
                   AND status IN ('PENDING', 'RUNNING'))::int AS backfills`,
        [workspaceId],
      );
      const r = rows[0]!;
      return r.pending === 0 &&
        r.backfills === 0 &&
        r.leads === contacts.length &&
        r.scored === accounts.length
        ? true
        : undefined;
    });
    // Setup's own jobs (e.g. account roll-ups with their contacts) must not run into the stream.
    queueStats = new ScoringQueueStats(redisUrl, prefix);
    await until('the scoring queue to empty', 600_000, async () =>
      (await queueStats!.idle()) ? true : undefined,
    );
    // As autovacuum would have for an existing workspace (the dev server runs without it).
    await pool.query('VACUUM ANALYZE');
    const accountIdByDomain = new Map(
      (
        await pool.query<{ id: string; domain: string }>(
          'SELECT id, domain FROM accounts WHERE workspace_id = $1',
          [workspaceId],
        )
      ).rows.map((r) => [r.domain, r.id]),
    );
    const accountIds = seedAccounts(tag, ACCOUNTS).map((a) => accountIdByDomain.get(a.domain)!);
    const contactIdByEmail = new Map(
      (
        await pool.query<{ id: string; email: string }>(
          'SELECT id, email FROM contacts WHERE workspace_id = $1',
          [workspaceId],
        )
      ).rows.map((r) => [r.email, r.id]),
    );
    const contactIds = Array.from({ length: ACCOUNTS * CONTACTS_PER_ACCOUNT }, (_, c) =>
      contactIdByEmail.get(contactEmail(tag, ACCOUNTS, c))!,
    );
    expect(accountIds.every(Boolean) && contactIds.every(Boolean)).toBe(true);

    // 3. SUBSCRIBE keys, 100 subscriptions each; the subscribers.
    const connections = Math.ceil(SUBSCRIBERS / PER_CONNECTION);
    const connectionsPerKey = Math.max(1, Math.floor(SUBSCRIPTIONS_PER_KEY / PER_CONNECTION));
    const keys: string[] = [];
    for (let k = 0; k < Math.ceil(connections / connectionsPerKey); k++) {
      const key = await ok(
        gql(`mutation($n: String!) { createApiKey(name: $n, scopes: [SUBSCRIBE]) { secret } }`, {
          n: `subs-bench-${k}`,
        }),
      );
      keys.push(key.createApiKey.secret);
    }
    const subscriptions = connections * PER_CONNECTION;
    const timed = Math.min(TIMED, subscriptions);
    // BENCH_FOLLOW_ACCOUNTS: each subscription's accounts, and the probe account (step 4);
    // per bench account, how many subscriptions follow it (the deliveries to expect).
    const probeAccountId = accountIdByDomain.get(probeDomain(tag))!;
    const followers = new Map<string, number>();
    const follow =
      FOLLOW > 0
        ? Array.from({ length: subscriptions }, (_, i) => {
            const ids = followedAccounts(i, FOLLOW, ACCOUNTS).map((a) => accountIds[a]!);
            for (const id of ids) followers.set(id, (followers.get(id) ?? 0) + 1);
            return [...ids, probeAccountId];
          })
        : undefined;
    fleet = IN_PROCESS ? await inProcessFleet() : forkFleet();
    const channel = eventChannel(prefix, workspaceId);
    const opened = await fleet.start({
      url: wsUrl,
      keys,
      connections,
      connectionsPerKey,
      perConnection: PER_CONNECTION,
      query: follow ? FOLLOW_SUBSCRIPTION : SUBSCRIPTION,
      ...(follow ? { follow } : {}),
      timed,
      concurrency: 25,
      tapRedisUrl: redisUrl,
      tapChannel: channel,
    });
    if (opened.failed > 0)
      throw new Error(`${opened.failed} connections failed: ${opened.firstErrors.join('; ')}`);
    out(
      `[subs] setup ${((Date.now() - setupStart) / 1000).toFixed(1)} s: ${int(ACCOUNTS)} accounts × ${CONTACTS_PER_ACCOUNT} contacts scored; ` +
        `${int(connections)} connections (${PER_CONNECTION} subscription${PER_CONNECTION > 1 ? 's' : ''} each, ${keys.length} keys) opened in ${fmt(opened.ms)} ` +
        `from ${fleet.inProcess ? 'the bench process' : `a child process (pid ${fleet.pid})`}`,
    );

    // 4. Active: Redis sees the API's subscriber (and the tap), then every subscription has had
    // a probe event.
    await until('the API to subscribe on Redis', 30_000, async () => {
      const [, n] = (await redis!.pubsub('NUMSUB', channel)) as [string, number];
      return n >= 2 ? true : undefined;
    });
    const probeStart = Date.now();
    let probes = 0;
    let status: FleetStatus = await fleet.status();
    while (status.withEvents < subscriptions) {
      if (Date.now() - probeStart > 120_000)
        throw new Error(
          `only ${status.withEvents}/${subscriptions} subscriptions got a probe event: ${JSON.stringify(status)}`,
        );
      await ok(
        gql(RECORD, {
          a: [
            {
              type: 'EMAIL_OPEN',
              occurredAt: new Date(Date.now() - 1000).toISOString(),
              externalId: `${tag}-probe-${probes++}`,
              email: `probe@${probeDomain(tag)}`,
            },
          ],
        }),
      );
      const roundEnd = Date.now() + 2_000;
      do {
        await sleep(100);
        status = await fleet.status();
      } while (status.withEvents < subscriptions && Date.now() < roundEnd);
    }
    out(
      `[subs] all ${int(subscriptions)} subscriptions active after ${probes} probe event(s), ${fmt(Date.now() - probeStart)}`,
    );

    // 5. The stream: a batch every BATCH_MS, open loop (at most MAX_IN_FLIGHT outstanding).
    const perBatch = Math.max(1, Math.round((RATE * BATCH_MS) / 1000));
    const batchCount = Math.max(1, Math.round((SECONDS * 1000) / BATCH_MS));
    const plan = planBatches({
      batches: batchCount,
      size: perBatch,
      contacts: ACCOUNTS * CONTACTS_PER_ACCOUNT,
      accounts: ACCOUNTS,
    });
    // Which accounts, and which of their contacts, each batch touches (by id).
    const touched = plan.map((batch) => {
      const byAccount = new Map<number, Set<string>>();
      for (const c of batch.contacts) {
        const set = byAccount.get(c % ACCOUNTS) ?? new Set<string>();
        set.add(contactIds[c]!);
        byAccount.set(c % ACCOUNTS, set);
      }
      return {
        accounts: [...byAccount.keys()].map((a) => accountIds[a]!),
        contacts: [...byAccount.values()].map((set) => [...set]),
      };
    });
    out(
      `[subs] driving ${int(perBatch * batchCount)} activities: ${int(batchCount)} batches of ${perBatch} every ${BATCH_MS} ms ` +
        `(${int((perBatch * 1000) / BATCH_MS)}/s, ~${Math.round(plan.reduce((s, b) => s + b.accounts.length, 0) / batchCount)} accounts per batch)`,
    );
    const statusAtStart = await fleet.status();
    // Redis is one server, shared with anything else; the database's backends: see PgWaitSampler.
    const cpuPids = () => ({
      api: [api!.child.pid!],
      ...(ingestApi ? { 'ingest api': [ingestApi.child.pid!] } : {}),
      worker: [worker!.child.pid!, ...moreWorkers.map((w) => w.child.pid!)],
      ...(fleet!.inProcess ? {} : { subscribers: [fleet!.pid] }),
      'bench process': [process.pid],
      'redis-server': pidsNamed(['redis-server'], `:${new URL(redisUrl).port || 6379}`),
    });
    waits = new PgWaitSampler(pool, dbName);
    waits.start();
    queueStats.startSampling();
    const cpu0 = cpuSnapshot(cpuPids());
    const driveStart = Date.now();
    // Profiles cover the stream and its drain.
    if (CPU_PROFILE) for (const p of [api, worker]) p.child.kill('SIGUSR2');
    const accepted: AcceptedBatch[] = [];
    const failed: { index: number; ms: number; error: string }[] = [];
    const inFlight = new Set<Promise<void>>();
    let lateSends = 0;
    for (const batch of plan) {
      const due = driveStart + batch.index * BATCH_MS;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const sentAt = Date.now();
      if (sentAt - due > BATCH_MS) lateSends += 1;
      const request = (async () => {
        // A refused batch is an outcome to report, not a reason to stop the stream.
        try {
          const result = await ok<{
            recordActivities: { accepted: number; duplicates: number; scoringDelayed: boolean };
          }>(ingest(RECORD, { a: activityInputs(batch, tag, ACCOUNTS, sentAt) }));
          const acceptedAt = Date.now();
          const r = result.recordActivities;
          if (r.accepted !== perBatch || r.duplicates !== 0 || r.scoringDelayed)
            throw new Error(`unexpected result ${JSON.stringify(r)}`);
          accepted.push({ scheduledAt: due, sentAt, acceptedAt, ...touched[batch.index]! });
        } catch (error) {
          failed.push({ index: batch.index, ms: Date.now() - sentAt, error: String(error) });
        }
      })();
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request)).catch(() => undefined);
    }
    await Promise.all(inFlight);
    const driveEnd = Date.now();
    const statusAtDriveEnd = await fleet.status();
    const memoryAtDriveEnd = memoryOf(api.child.pid!);

    // 6. Drain: until deliveries stop and nothing is left to rescore.
    let lastCount = statusAtDriveEnd.deliveries;
    let lastChange = Date.now();
    let drained = false;
    while (Date.now() - driveEnd < DRAIN_TIMEOUT_MS) {
      await sleep(500);
      const s = await fleet.status();
      if (s.deliveries !== lastCount) {
        lastCount = s.deliveries;
        lastChange = Date.now();
        continue;
      }
      if (Date.now() - lastChange < QUIET_MS) continue;
      const { rows } = await pool.query<{ pending: number }>(
        'SELECT count(*)::int AS pending FROM pending_rescores WHERE workspace_id = $1',
        [workspaceId],
      );
      if (rows[0]!.pending === 0) {
        drained = true;
        break;
      }
    }
    const drainEnd = lastChange;
    if (CPU_PROFILE) for (const p of [api, worker]) p.child.kill('SIGUSR2');
    const cpu1 = cpuSnapshot(cpuPids());
    await waits.stop();
    const pgCpu = waits.backendCpuMs();
    await queueStats.stopSampling();
    const jobTimings = await queueStats.completedTimings(driveStart, drainEnd);
    const memory = {
      api: memoryOf(api.child.pid!),
      worker: memoryOf(worker.child.pid!),
      subscribers: memoryOf(fleet.pid),
    };

    // 7. The deliveries, matched to the batches.
    const dumpFile = path.join(workDir, 'deliveries.bin');
    const dump = await fleet.dump(dumpFile);
    const a = analyse({
      events: dump.events,
      leads: dump.leads,
      deliveries: readDeliveries(dumpFile),
      batches: accepted,
      subscriptions,
      ...(follow ? { followers } : {}),
    });
    const final = dump.status;
    const delivered = final.deliveries - statusAtStart.deliveries;
    const deliveredDuringDrive = statusAtDriveEnd.deliveries - statusAtStart.deliveries;
    const activeSeconds = (Math.max(a.lastDeliveryAt, driveEnd) - driveStart) / 1000;
    const driveSeconds = (driveEnd - driveStart) / 1000;
    const http = distribution(accepted.map((b) => b.acceptedAt - b.sentAt));
    const lag = distribution(accepted.map((b) => b.sentAt - b.scheduledAt));

    // 8. The figures.
    const rate = (perBatch * 1000) / BATCH_MS;
    const over =
      timed === subscriptions
        ? 'every delivery'
        : `the deliveries to ${int(timed)} of the ${int(subscriptions)} subscribers (sampled)`;
    out('');
    out(
      `Subscriptions: ${int(subscriptions)} subscribers (${MODE}) on one API process, ${int(perBatch * batchCount)} activities ` +
        `${SEPARATE_INGEST ? '(recorded through a second API process) ' : ''}` +
        `at ${int(rate)}/s for ${SECONDS} s, ${int(ACCOUNTS)} accounts × ${CONTACTS_PER_ACCOUNT} contacts, ${WORKERS > 1 ? `${WORKERS} workers, ` : ''}worker concurrency ${WORKER_CONCURRENCY}, ` +
        `subscribers in ${fleet.inProcess ? 'the bench process' : 'a child process'}`,
    );
    out(
      `  stream: ${int(accepted.length)} batches accepted in ${driveSeconds.toFixed(1)} s ` +
        `(${int((accepted.length * perBatch) / driveSeconds)} activities/s); recordActivities ${dist(http)}; ` +
        `send lag behind schedule p99 ${fmt(lag.p99)}${lateSends ? `, ${lateSends} batches sent > ${BATCH_MS} ms late` : ''}`,
    );
    if (failed.length)
      out(
        `  FAILED: ${failed.length} of ${batchCount} recordActivities calls, after ${dist(distribution(failed.map((f) => f.ms)))}; ` +
          `first: ${failed[0]!.error.replace(/\s+/g, ' ').slice(0, 200)}`,
      );
    out(`  LATENCY accept → subscriber received the account event, over ${over}:`);
    out(`      ${dist(a.simple.latency)}`);
    out(`      first subscriber per event: ${dist(a.simple.firstDelivery)}`);
    out(`      last subscriber per event:  ${dist(a.simple.lastDelivery)}`);
    out(
      `      strict rule (the event's roll-up read the batch's leads): ${dist(a.strict.latency)}; ` +
        `${int(a.strict.unmatchedTouches)} of ${int(a.touches)} batch×account pairs unmatched`,
    );
    out(`  where it goes (per timed event; the spread per delivery):`);
    out(
      `      accept → account rescore began (debounce, queue, worker):   ${dist(a.stages.acceptToRescore)}`,
    );
    out(
      `        strict: accept → the batch's leads rescored and published: ${dist(a.strictStages.acceptToLeadsPublished)}`,
    );
    out(
      `        strict: leads published → account event published:        ${dist(a.strictStages.leadsToAccountPublished)}`,
    );
    out(
      `      rescore began → published on Redis (rescore, commit):        ${dist(a.stages.rescoreToPublish)}`,
    );
    out(
      `      published → first subscriber (API hub, GraphQL, WebSocket):  ${dist(a.stages.publishToFirst)}`,
    );
    out(
      `      first subscriber → each delivery (fan-out spread):           ${dist(a.stages.fanOutSpread)}`,
    );
    const leadEvents = dump.leads.tap.filter((t) => t >= driveStart && t <= drainEnd).length;
    const peak = queueStats.peak;
    out(
      `  worker: ${int(leadEvents)} lead events (${int(leadEvents / activeSeconds)}/s); ` +
        (peak.at === 0
          ? 'the scoring queue held no waiting job in any sample (every 500 ms)'
          : `scoring queue backlog peaked at ${int(peak.waiting)} ready + ${int(peak.delayed)} delayed (${int(peak.active)} running), ${((peak.at - driveStart) / 1000).toFixed(1)} s into the stream`),
    );
    for (const j of jobTimings)
      out(
        `      ${j.name} (${int(j.n)} of the ${int(j.kept)} completed jobs BullMQ kept): waited past its delay ${dist(j.wait)}; ran ${dist(j.run)}`,
      );
    out(
      `  events: ${int(a.events)} account events (${(a.events / activeSeconds).toFixed(0)}/s), ${int(a.simple.timedEvents)} timed, ` +
        `${int(a.simple.followUps)} follow-ups; ${int(a.touches)} batch×account pairs, ${int(a.simple.matchedTouches)} matched ` +
        `(${a.simple.batchesPerEvent.toFixed(2)} per timed event), ${int(a.simple.unmatchedTouches)} unmatched`,
    );
    out(
      `  DELIVERED: ${int(delivered)} deliveries in ${activeSeconds.toFixed(1)} s = ${int(delivered / activeSeconds)}/s ` +
        `(${int(deliveredDuringDrive / driveSeconds)}/s while activities flowed); ${int(a.deliveries)} of ${int(a.expectedDeliveries)} ` +
        `expected for the bench's account events (${((a.deliveries / Math.max(1, a.expectedDeliveries)) * 100).toFixed(1)}%)` +
        (follow
          ? `; ${(a.deliveries / subscriptions).toFixed(1)} per subscriber of the ${int(a.events)} events ` +
            `(${(a.expectedDeliveries / subscriptions).toFixed(1)} expected), ${int(final.unfollowed)} for unfollowed accounts`
          : '') +
        `${drained ? '' : `; NOT drained after ${DRAIN_TIMEOUT_MS / 1000} s`}`,
    );
    out(
      `  subscriptions: ${final.open} of ${int(connections)} connections open at the end; closes ${JSON.stringify(final.closes)}; ` +
        `${final.errors} errors${final.errorSamples.length ? ` (${final.errorSamples[0]})` : ''}; ${final.completed} completed`,
    );
    const mb = (m: { peakMb: number; rssMb: number } | null) =>
      m ? `${m.peakMb.toFixed(0)} MB peak (VmHWM), ${m.rssMb.toFixed(0)} MB now` : 'n/a';
    out(
      `  MEMORY: API ${mb(memory.api)}${memoryAtDriveEnd ? ` (${memoryAtDriveEnd.rssMb.toFixed(0)} MB when the stream ended)` : ''}; ` +
        `worker ${mb(memory.worker)}; ${fleet.inProcess ? 'bench process (with the subscribers)' : "subscribers' process"} ${mb(memory.subscribers)}`,
    );
    out(
      `  CPU, % of one core (the machine has 2: 200%), stream start → last delivery: ` +
        cpuBetween(cpu0, cpu1, { 'postgres (this database)': pgCpu.ms })
          .map((r) => `${r.name} ${r.percent.toFixed(0)}%`)
          .join(', ') +
        ` (${pgCpu.backends} PostgreSQL backends)`,
    );
    out(
      `  PostgreSQL sessions, average number in each state (sampled every 200 ms): ` +
        waits
          .summary()
          .map(
            ({ app, states }) =>
              `${app}: ${states.map(([label, n]) => `${label} ${n.toFixed(2)}`).join(', ')}`,
          )
          .join('; '),
    );
    const met = a.simple.latency.n > 0 && a.simple.latency.p99 <= TARGET_P99_MS;
    out(
      `  TARGET p99 ≤ ${TARGET_P99_MS} ms at 1,000 activities/s with 1,000 subscribers: ${met ? 'MET' : 'MISSED'} ` +
        `(p99 ${fmt(a.simple.latency.p99)}, strict ${fmt(a.strict.latency.p99)}, at ${int(rate)}/s with ${int(subscriptions)} subscribers` +
        `${rate < 1000 || subscriptions < 1000 ? ': below the target load' : ''})`,
    );

    if (CPU_PROFILE) {
      await sleep(1_000); // the profiles are written on the second signal
      for (const [name, proc] of [
        ['API', api],
        ['worker', worker],
      ] as const) {
        const file = profileFile(workDir, proc.child.pid!);
        if (!file) {
          out(`  (no CPU profile for the ${name})`);
          continue;
        }
        const p = summariseProfile(file);
        const busy = p.totalMs - p.idleMs;
        out(
          `  CPU profile of the ${name}, stream start → drained: ${(busy / 1000).toFixed(1)} s busy of ${(p.totalMs / 1000).toFixed(1)} s`,
        );
        out(
          `      by area: ${p.byArea
            .slice(0, 8)
            .map(([k, ms]) => `${k} ${((ms / busy) * 100).toFixed(0)}%`)
            .join(', ')}`,
        );
        for (const [fn, ms] of p.topFunctions.slice(0, 12))
          out(`      ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${fn}`);
      }
    }
    out('');

    // Work was done: batches accepted, events delivered and matched.
    expect(accepted.length).toBeGreaterThan(0);
    expect(a.simple.timedEvents).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThan(0);
  } finally {
    await waits?.stop();
    await queueStats?.close();
    await fleet?.close().catch(() => undefined);
    await stopWithin(worker);
    for (const extra of moreWorkers) await stopWithin(extra);
    await stopWithin(api);
    await stopWithin(ingestApi);
    await pool?.end().catch(() => undefined);
    redis?.disconnect();
    await dropDatabase(url).catch((e) => out(`[subs] could not drop ${dbName}: ${e.message}`));
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
});
