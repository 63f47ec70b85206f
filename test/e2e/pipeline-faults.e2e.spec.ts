import { afterAll, describe, it, type TestContext } from 'vitest';
import {
  ActivityLedger,
  auditExact,
  createExactWorkspace,
  exactDifferences,
  fullRecomputeDifferences,
  pollUntil,
  sendBatch,
  waitUntilExact,
  type BatchResult,
  type ExactWorkspace,
} from '../support/faults/exact-scoring';
import {
  excerpt,
  startFaultStack,
  type FaultStack,
  type FaultStackOptions,
  type WorkerProcess,
} from '../support/faults/fault-stack';
import { startPgProxy } from '../support/faults/pg-proxy';
import { sendUntilAccepted } from '../support/faults/retrying-sender';

/**
 * Faults injected for real into the built API and worker processes, each test on a deployment
 * of its own (database, Redis server on its own port, API, workers), then a check that the
 * scores are exact: under the test model every EMAIL_OPEN is worth 1 point and an account is
 * the sum of its contacts, so each total must equal the number of accepted activities, match
 * an on-the-fly recompute (`scoreAsOf`) and a full backfill, with no pending marker left.
 *
 * A fault that loses jobs is caught up by a reconcile that re-queues every pending marker: the
 * API and the worker ask for one when they see Redis come back, the worker when it sees
 * PostgreSQL come back or finds its job schedules gone, and one runs on a schedule (every 30 s)
 * as the safety net. SETTLE_MS bounds the settling of faults that only the schedule catches. The
 * recovery tests set the schedule to 10 minutes, so only the processes' own noticing can
 * recover within their 10 s target. The tests run concurrently (they mostly wait), so the file
 * takes about as long as its slowest test.
 */
const SETTLE_MS = 50_000;
/** Scoring must be exact again this soon after a crashed Redis or PostgreSQL is back. */
const RECOVERY_TARGET_MS = 10_000;
/** How long PostgreSQL stays down: longer than a job's retries with their backoff (1+2+4+8 s). */
const PG_OUTAGE_MS = 17_000;
/** Takes the scheduled reconcile out of the picture. */
const NO_SCHEDULED_RECONCILE = { RECONCILE_INTERVAL_SECONDS: '600' };
const TEST_MS = 120_000;
const CONTACTS = 50;
const ACCOUNTS = 10;
const ALL = Array.from({ length: CONTACTS }, (_, i) => i);

const open = new Set<FaultStack>();

async function stackFor(
  name: string,
  onTestFinished: TestContext['onTestFinished'],
  options?: FaultStackOptions,
) {
  const stack = await startFaultStack(name, options);
  open.add(stack);
  onTestFinished(async () => {
    open.delete(stack);
    await stack.close();
  });
  return stack;
}

afterAll(async () => {
  for (const stack of open) await stack.close().catch(() => undefined);
});

/** The end state every fault must reach: exact scores, exact history, equal to a recompute. */
async function expectExactEverywhere(
  expect: TestContext['expect'],
  stack: FaultStack,
  ws: ExactWorkspace,
  ledger: ActivityLedger,
) {
  try {
    await waitUntilExact(stack, ws.id, ledger, SETTLE_MS);
  } catch (error) {
    const schedulers = await stack.maintenanceSchedulers().catch((e: Error) => e.message);
    throw new Error(
      `${(error as Error).message}\nmaintenance job schedulers in Redis: ${JSON.stringify(schedulers)}\n${stack.logs()}`,
    );
  }
  expect(await auditExact(stack, ws, ledger)).toEqual([]);
  expect(await fullRecomputeDifferences(stack, ws)).toEqual([]);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Once a crashed server is back: the time from `since` until every activity accepted is counted
 * exactly once in the stored scores, with no marker left; printed, and annotated on the test.
 * Then a new batch is queued (not delayed) and scored as usual.
 */
async function measureRecovery(
  context: Pick<TestContext, 'expect' | 'annotate'>,
  stack: FaultStack,
  ws: ExactWorkspace,
  ledger: ActivityLedger,
  since: number,
  what: string,
): Promise<number> {
  await waitUntilExact(stack, ws.id, ledger, SETTLE_MS);
  const ms = Date.now() - since;
  const line = `${what}: every score exact ${ms} ms after the restart (${ledger.totalAccepted()} activities)`;
  console.log(line);
  await context.annotate(line);
  const after = await sendBatch(ws.gql, ledger, ledger.batch(range(0, 10), 1, 0, 0));
  context.expect(after.scoringDelayed).toBe(false);
  await waitUntilExact(stack, ws.id, ledger, 5_000);
  return ms;
}

describe.concurrent('scoring pipeline under injected faults (API and worker processes)', () => {
  it(
    'a worker killed with SIGKILL while jobs run loses nothing: a new worker settles exact scores',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('sigkill', onTestFinished);
      const first = await stack.startWorker({ concurrency: 4 });
      const ws = await createExactWorkspace(stack, 'Faults: SIGKILL');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);

      // Batches keep coming while the worker is busy with the previous ones; it is killed once
      // jobs are seen running, and the API goes on accepting activities while no worker runs.
      const results: BatchResult[] = [];
      let killed = 0;
      for (let b = 0; b < 14; b++) {
        results.push(await sendBatch(ws.gql, ledger, ledger.batch(ALL, 2, b ? 10 : 0, 3)));
        if (b === 5)
          killed = await killWhileJobsRun(stack, first, async () => {
            results.push(await sendBatch(ws.gql, ledger, ledger.batch(ALL, 2, 10, 3)));
          });
      }
      expect(first.child.signalCode).toBe('SIGKILL');
      // Jobs were running when it died: they are left active, locked by a dead worker.
      expect(killed).toBeGreaterThan(0);
      expect(results.every((r) => !r.scoringDelayed)).toBe(true);

      await stack.startWorker({ concurrency: 4 });
      for (let b = 0; b < 2; b++) {
        await sendBatch(ws.gql, ledger, ledger.batch(range(0, 10), 1, 5, 1));
      }
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );

  it(
    'Redis shut down while activities are recorded, then restarted empty under the same running worker: every score settles',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('redis-outage-worker-running', onTestFinished);
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: Redis outage, worker kept running');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);

      const outage = await recordThroughRedisOutage(stack, ws, ledger);
      expect(outage.down.every((r) => r.scoringDelayed)).toBe(true);
      await stack.redis.start();
      // The worker reconnects by itself and takes new jobs again...
      await fastPathWorksAgain(stack, ws, ledger);
      expect(worker.alive()).toBe(true);
      // ...but contacts 25-49 had activity only during the outage, so no job for them was ever
      // queued: only a reconcile (the one asked for on reconnecting) can find them.
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );

  it(
    'FLUSHALL of Redis under a running worker: every queued rescore is lost, yet every score settles',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('flushall-worker-running', onTestFinished);
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: FLUSHALL, worker running');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
      for (let b = 0; b < 2; b++) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 5, 2));
      await waitUntilExact(stack, ws.id, ledger, 20_000);

      // Frozen (SIGSTOP), the worker cannot take the new jobs before the flush; it is the same
      // process, with the same connections, once thawed (SIGCONT).
      worker.child.kill('SIGSTOP');
      try {
        for (let b = 0; b < 3; b++) {
          const r = await sendBatch(ws.gql, ledger, ledger.batch(ALL, 2, 10, 3));
          expect(r.scoringDelayed).toBe(false);
        }
        const queued = await stack.scoringJobCounts();
        expect(queued['waiting']! + queued['delayed']! + queued['prioritized']!).toBeGreaterThan(0);
        await stack.redis.flushAll();
        expect(await stack.redis.dbSize()).toBe(0);
      } finally {
        worker.child.kill('SIGCONT');
      }
      expect(worker.alive()).toBe(true);
      // No worker restart, no lost connection: only a reconcile can find the contacts whose
      // rescore jobs were flushed (the worker asks for one when it finds its schedules gone).
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );

  it(
    'PostgreSQL connections of the worker terminated mid-transaction: jobs retry, scores settle exact',
    async ({ expect, onTestFinished, annotate }) => {
      const stack = await stackFor('pg-terminate', onTestFinished);
      await stack.startWorker({ concurrency: 4 });
      const ws = await createExactWorkspace(stack, 'Faults: pg_terminate_backend');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);

      let sending = true;
      const sender = (async () => {
        try {
          for (let b = 0; b < 12; b++) {
            await sendBatch(ws.gql, ledger, ledger.batch(ALL, 2, b ? 10 : 0, 3));
          }
        } finally {
          sending = false;
        }
      })();
      // Every 150 ms, every connection the worker holds is terminated, whatever it is doing.
      const terminations: { state: string; inTransaction: boolean }[] = [];
      let restarts = 0;
      while (sending) {
        const rows: { state: string; in_tx: boolean }[] = await stack.db.dataSource.query(
          `SELECT state, xact_start IS NOT NULL AS in_tx, pg_terminate_backend(pid)
           FROM pg_stat_activity WHERE datname = $1 AND application_name = 'quorum-worker'`,
          [stack.db.name],
        );
        terminations.push(...rows.map((r) => ({ state: r.state, inTransaction: r.in_tx })));
        // A worker that crashed is replaced, as its supervisor would; that it may crash at all
        // is a fault of its own, pinned down deterministically by the test after this one.
        if (!stack.workers.at(-1)!.alive()) {
          restarts += 1;
          await stack.startWorker();
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await sender;
      if (restarts) await annotate(`the worker crashed and was restarted ${restarts} time(s)`);

      expect(terminations.filter((t) => t.inTransaction).length).toBeGreaterThan(0);
      if (!stack.workers.at(-1)!.alive()) await stack.startWorker();
      await expectExactEverywhere(expect, stack, ws, ledger);
      // The interrupted jobs failed and were retried (BullMQ attempts with backoff).
      expect(stack.workers.map((w) => w.output()).join('\n')).toMatch(
        /job rescore-\w+ \S+ failed \(attempt 1\)/,
      );
    },
    TEST_MS,
  );

  it(
    'a PostgreSQL connection of the worker terminated as soon as it is established does not crash the worker',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('pg-terminate-on-connect', onTestFinished);
      const proxy = await startPgProxy(async (pid) => {
        await stack.db.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      });
      onTestFinished(() => proxy.close());
      const worker = await stack.startWorker({ databaseUrl: proxy.urlFor(stack.db.url) });
      const ws = await createExactWorkspace(stack, 'Faults: connection terminated on connect');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
      await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 0, 1));
      await waitUntilExact(stack, ws.id, ledger, 20_000);

      // The worker's connections are terminated (the idle ones just leave its pool), and the
      // next one it opens is terminated the moment PostgreSQL has accepted it.
      proxy.arm(1);
      await stack.db.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND application_name = 'quorum-worker'`,
        [stack.db.name],
      );
      await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 5, 1));
      const outcome = await pollUntil(
        'the terminated connection handled',
        async () => {
          if (!worker.alive()) return { value: 'the worker process exited', diagnosis: '' };
          const left = await exactDifferences(stack, ws.id, ledger);
          return {
            value: proxy.injected() > 0 && left.length === 0 ? 'settled' : undefined,
            diagnosis: `${proxy.injected()} connection(s) terminated on connect; ${left.length} differences`,
          };
        },
        SETTLE_MS,
        100,
      );
      expect(outcome, excerpt(worker.output())).toBe('settled');
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );

  it(
    'Redis shut down while activities are recorded, then restarted empty: the API keeps accepting them (scoringDelayed), a restarted worker settles exact scores',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('redis-outage-worker-restarted', onTestFinished);
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: Redis outage, worker restarted');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);

      const outage = await recordThroughRedisOutage(stack, ws, ledger);
      expect(outage.up.every((r) => !r.scoringDelayed)).toBe(true);
      expect(outage.down.length).toBeGreaterThanOrEqual(3);
      expect(outage.down.every((r) => r.scoringDelayed)).toBe(true);
      expect(worker.alive(), excerpt(worker.output())).toBe(true);

      await stack.redis.start();
      await fastPathWorksAgain(stack, ws, ledger);
      // A deploy after the outage, once every connection is back (stopping a worker whose Redis
      // connections are still reconnecting is another fault, tested on its own below).
      await pollUntil(
        'every Redis connection back',
        async () => {
          const connected = (await stack.redis.clients()).length - 1; // not redis-cli itself
          return {
            value: connected >= outage.clientsBefore || undefined,
            diagnosis: `${connected} of ${outage.clientsBefore} connections`,
          };
        },
        20_000,
        100,
      );
      expect(await stopWithin(worker, 'SIGTERM', 15_000), excerpt(worker.output())).toBe(0);
      await stack.startWorker();
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );

  it(
    'a worker asked to stop (SIGTERM) while Redis is down exits instead of hanging',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('sigterm-redis-down', onTestFinished);
      const worker = await stack.startWorker();
      await stack.redis.shutdown();
      await pollUntil(
        'the worker noticing the outage',
        async () => ({
          value: /worker error on queue .*ECONNREFUSED/.test(worker.output()) || undefined,
          diagnosis: excerpt(worker.output()),
        }),
        10_000,
      );
      // Docker stops with SIGKILL 10 s after SIGTERM, Kubernetes after 30 s by default.
      expect(await stopWithin(worker, 'SIGTERM', 15_000), excerpt(worker.output())).not.toBe(
        'still running',
      );
    },
    TEST_MS,
  );

  it(
    'Redis killed (SIGKILL) and restarted empty under a running worker: every activity accepted before, during and after the outage is scored within 10 s of the restart',
    async ({ expect, onTestFinished, annotate }) => {
      const stack = await stackFor('redis-kill-recovery', onTestFinished, {
        env: NO_SCHEDULED_RECONCILE,
      });
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: Redis killed, recovery time');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
      for (let b = 0; b < 2; b++) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 3, 1));
      await waitUntilExact(stack, ws.id, ledger, 20_000);

      await stack.redis.kill();
      const down: BatchResult[] = [];
      const downSince = Date.now();
      while (Date.now() - downSince < 2_000)
        down.push(await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 4, 1)));
      expect(down.every((r) => r.scoringDelayed)).toBe(true);

      await stack.redis.start();
      const restartedAt = Date.now();
      // At once, before the API has reconnected: this batch finds no queue either.
      await sendBatch(ws.gql, ledger, ledger.batch(range(0, 10), 1, 2, 1));
      const ms = await measureRecovery(
        { expect, annotate },
        stack,
        ws,
        ledger,
        restartedAt,
        'Redis killed and restarted',
      );
      expect(worker.alive()).toBe(true);
      expect(ms).toBeLessThanOrEqual(RECOVERY_TARGET_MS);
      expect(await auditExact(stack, ws, ledger)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'PostgreSQL crashed (immediate stop) with rescores queued, down longer than a job retries, then restarted: every activity accepted is scored within 10 s of the restart',
    async ({ expect, onTestFinished, annotate }) => {
      const stack = await stackFor('pg-crash-recovery', onTestFinished, {
        privatePostgres: true,
        env: NO_SCHEDULED_RECONCILE,
      });
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: PostgreSQL crashed, recovery time');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
      for (let b = 0; b < 2; b++) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 3, 1));
      await waitUntilExact(stack, ws.id, ledger, 20_000);

      // Rescores are queued when PostgreSQL crashes: the worker, frozen meanwhile, takes them
      // while it is down; they fail, are retried with backoff and run out of attempts.
      worker.child.kill('SIGSTOP');
      try {
        for (let b = 0; b < 3; b++) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 4, 1));
        await stack.postgres!.stop('immediate');
      } finally {
        worker.child.kill('SIGCONT');
      }
      // Activities keep coming, for the first ten contacts only (the other 30 have no rescore
      // queued after the crash); refused calls are retried as they were.
      let restartedAt = Infinity;
      let acceptedAgainAt = 0;
      const sender = (async () => {
        while (!acceptedAgainAt) {
          const sentAt = Date.now();
          await sendUntilAccepted(ws.gql, ledger, ledger.batch(range(0, 10), 1, 2, 1));
          if (sentAt > restartedAt) acceptedAgainAt = Date.now();
          await sleep(100);
        }
      })();
      await sleep(PG_OUTAGE_MS);
      await stack.postgres!.start();
      restartedAt = Date.now();
      await sender;
      const ms = await measureRecovery(
        { expect, annotate },
        stack,
        ws,
        ledger,
        restartedAt,
        `PostgreSQL crashed and restarted (the API accepted writes again after ${acceptedAgainAt - restartedAt} ms)`,
      );
      expect(worker.alive()).toBe(true);
      expect(ms).toBeLessThanOrEqual(RECOVERY_TARGET_MS);
      expect(await auditExact(stack, ws, ledger)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'FLUSHALL of Redis after activities were queued, before a worker took them: a new worker settles exact scores',
    async ({ expect, onTestFinished }) => {
      const stack = await stackFor('flushall-worker-stopped', onTestFinished);
      const worker = await stack.startWorker();
      const ws = await createExactWorkspace(stack, 'Faults: FLUSHALL, worker stopped');
      const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
      for (let b = 0; b < 2; b++) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 5, 2));
      await waitUntilExact(stack, ws.id, ledger, 20_000);

      expect(await stopWithin(worker, 'SIGTERM', 15_000), excerpt(worker.output())).toBe(0);
      for (let b = 0; b < 4; b++) {
        const r = await sendBatch(ws.gql, ledger, ledger.batch(ALL, 2, 10, 3));
        expect(r.scoringDelayed).toBe(false);
      }
      const queued = await stack.scoringJobCounts();
      expect(queued['waiting']! + queued['delayed']! + queued['prioritized']!).toBeGreaterThan(0);
      await stack.redis.flushAll();
      expect(await stack.redis.dbSize()).toBe(0);

      await stack.startWorker();
      await expectExactEverywhere(expect, stack, ws, ledger);
    },
    TEST_MS,
  );
});

/**
 * Records batches across a shutdown (SHUTDOWN NOSAVE) of the stack's Redis server: some before
 * (and waits until they are scored exactly), some while it goes away, and, once it is gone,
 * batches for at least 2 s. Returns the answers to batches finished before the shutdown and to
 * those started after it, and how many connections the server had before. Redis stays down.
 */
async function recordThroughRedisOutage(
  stack: FaultStack,
  ws: ExactWorkspace,
  ledger: ActivityLedger,
): Promise<{ up: BatchResult[]; down: BatchResult[]; clientsBefore: number }> {
  const up: BatchResult[] = [];
  for (let b = 0; b < 3; b++) up.push(await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 5, 2)));
  // Exact before the fault, so what follows is the fault's doing.
  await waitUntilExact(stack, ws.id, ledger, 20_000);
  const clientsBefore = (await stack.redis.clients()).length - 1; // not redis-cli itself
  // Batches in flight while the server shuts down may go either way; they count all the same.
  let stop = false;
  const during = (async () => {
    while (!stop) await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 5, 1));
  })();
  await stack.redis.shutdown();
  stop = true;
  await during;
  const down: BatchResult[] = [];
  const downSince = Date.now();
  while (down.length < 3 || Date.now() - downSince < 2_000) {
    down.push(await sendBatch(ws.gql, ledger, ledger.batch(ALL, 1, 8, 2)));
  }
  return { up, down, clientsBefore };
}

/**
 * Once Redis is back: records activities for contacts 0-24 until the API queues rescores again,
 * then waits until those contacts are exact, which counts what they did during the outage too.
 */
async function fastPathWorksAgain(stack: FaultStack, ws: ExactWorkspace, ledger: ActivityLedger) {
  const touched = range(0, CONTACTS / 2);
  await pollUntil(
    'the API queueing rescores again',
    async () => {
      const r = await sendBatch(ws.gql, ledger, ledger.batch(touched, 1, 3, 1));
      return { value: r.scoringDelayed ? undefined : true, diagnosis: 'scoringDelayed: true' };
    },
    20_000,
    250,
  );
  const emails = new Set(touched.map((i) => ledger.emails[i]!));
  await waitUntilExact(stack, ws.id, ledger, 20_000, emails);
}

/**
 * Kills the worker with SIGKILL while it runs jobs: freezes it (SIGSTOP) once jobs are seen
 * active, so they cannot finish before the kill; thaws it and tries again when none are. Returns
 * how many jobs were active when it died.
 */
/**
 * Kills the worker while it has jobs running. A worker keeps up with the batches, so when
 * none is running, `moreWork` records another batch, and the check looks again.
 */
async function killWhileJobsRun(
  stack: FaultStack,
  worker: WorkerProcess,
  moreWork: () => Promise<void>,
): Promise<number> {
  return pollUntil(
    'jobs running in the worker when it is killed',
    async () => {
      if ((await stack.scoringJobCounts())['active']! === 0) {
        await moreWork();
        return { diagnosis: 'no job active' };
      }
      worker.child.kill('SIGSTOP');
      const { active } = await stack.scoringJobCounts();
      if (active! === 0) {
        worker.child.kill('SIGCONT');
        return { diagnosis: 'the active jobs finished before the freeze' };
      }
      worker.child.kill('SIGKILL');
      await worker.exited;
      return { value: active!, diagnosis: '' };
    },
    10_000,
    5,
  );
}

/** Sends `signal` and resolves with the exit code, or 'still running' after `ms`. */
async function stopWithin(
  worker: WorkerProcess,
  signal: NodeJS.Signals,
  ms: number,
): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([worker.stop(signal), late]);
  } finally {
    clearTimeout(timer);
  }
}
