import { randomBytes } from 'node:crypto';
import { QUEUES } from '@quorum/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { GraphQLResponse } from '../graphql-client';
import { freePort, startProcess, type RunningProcess } from '../processes';
import { createMigratedDatabase, createTestDatabase, type TestDatabase } from '../test-database';
import { startPostgresServer, type TestPostgresServer } from './postgres-server';
import { killOnExit } from './process-registry';
import { startRedisServer, type TestRedisServer } from './redis-server';

export const FAULT_ADMIN_TOKEN = 'fault-e2e-admin-token-0123456789';

export type TimedGql = <T = any>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLResponse<T>>;

/** A GraphQL client whose every request is bounded, so a hung API fails the test, not the run. */
export function timedClient(url: string, key?: string, timeoutMs = 20_000): TimedGql {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return (await response.json()) as GraphQLResponse;
  };
}

export interface WorkerProcess extends RunningProcess {
  alive(): boolean;
}

/**
 * One isolated deployment for one fault test: a database cloned from the run's template, a
 * Redis server of its own, the built API as a process, and built worker processes started on
 * demand. `close()` kills every process, stops the Redis server and drops the database.
 */
export interface FaultStack {
  db: TestDatabase;
  /** The stack's own PostgreSQL server, when it was asked for one (`privatePostgres`). */
  postgres: TestPostgresServer | null;
  redis: TestRedisServer;
  redisPrefix: string;
  api: RunningProcess;
  apiUrl: string;
  admin: TimedGql;
  client(key: string): TimedGql;
  /** `databaseUrl`: how this worker reaches PostgreSQL, e.g. through a `PgProxy`. */
  startWorker(options?: { concurrency?: number; databaseUrl?: string }): Promise<WorkerProcess>;
  workers: WorkerProcess[];
  /** Job counts of the scoring queue, read from the stack's own Redis. */
  scoringJobCounts(): Promise<Record<string, number>>;
  /** Ids of the repeating jobs (reconcile, decay sweep) registered in the stack's Redis. */
  maintenanceSchedulers(): Promise<string[]>;
  /** The last lines of every process's output, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

/** The end of a process's output, without stack frames, object dumps and repeated lines. */
export function excerpt(text: string, lines = 20): string {
  return text
    .trim()
    .split('\n')
    .filter((line, i, all) => !/^\s+(at |\w+: )/.test(line) && all.indexOf(line) === i)
    .slice(-lines)
    .join('\n');
}

function track(proc: RunningProcess): RunningProcess {
  const unregister = killOnExit(proc.child);
  void proc.exited.then(unregister);
  return proc;
}

export interface FaultStackOptions {
  /**
   * Runs PostgreSQL as a server of the stack's own (so a test may crash and restart it), with
   * the database created and migrated there, instead of a clone on the shared server.
   */
  privatePostgres?: boolean;
  /** More environment for the API and every worker (e.g. a longer reconcile interval). */
  env?: Record<string, string>;
}

export async function startFaultStack(
  name: string,
  options: FaultStackOptions = {},
): Promise<FaultStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error) => errors.push(error));
    }
    cleanups.length = 0;
    if (errors.length) throw new AggregateError(errors, `cleanup of fault stack ${name} failed`);
  };
  try {
    let postgres: TestPostgresServer | null = null;
    let db: TestDatabase;
    if (options.privatePostgres) {
      const server = await startPostgresServer();
      postgres = server;
      cleanups.push(() => server.close());
      db = await createMigratedDatabase(server.url);
      cleanups.push(async () => {
        await db.appDataSource.destroy().catch(() => undefined);
        await db.dataSource.destroy().catch(() => undefined);
      });
    } else {
      db = await createTestDatabase();
      cleanups.push(() => db.drop());
    }
    const redis = await startRedisServer();
    cleanups.push(() => redis.close());
    const redisPrefix = `{qf-${randomBytes(3).toString('hex')}}`;
    const apiPort = await freePort();
    const baseEnv = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUORUM_REDIS_PREFIX: redisPrefix,
      QUORUM_ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
      NODE_ENV: 'production',
      // Several stacks run side by side on one PostgreSQL: keep the pools small.
      DB_POOL_SIZE: '4',
      ...options.env,
    };
    const api = track(startProcess('apps/api/dist/main.js', { ...baseEnv, PORT: String(apiPort) }));
    cleanups.push(async () => {
      await api.stop('SIGKILL');
    });
    await api.waitFor('Quorum API ready', 30_000);
    const apiUrl = `http://127.0.0.1:${apiPort}/graphql`;
    const workers: WorkerProcess[] = [];
    let inspector: { connection: Redis; queue: Queue } | null = null;
    cleanups.push(async () => {
      for (const w of workers) {
        // A SIGSTOPped worker still dies on SIGKILL.
        await w.stop('SIGKILL');
      }
    });

    const stack: FaultStack = {
      db,
      postgres,
      redis,
      redisPrefix,
      api,
      apiUrl,
      admin: timedClient(apiUrl, FAULT_ADMIN_TOKEN),
      client: (key) => timedClient(apiUrl, key),
      workers,
      async startWorker(options = {}) {
        const healthPort = await freePort();
        const proc = track(
          startProcess('apps/worker/dist/main.js', {
            ...baseEnv,
            DATABASE_URL: options.databaseUrl ?? db.url,
            WORKER_HEALTH_PORT: String(healthPort),
            WORKER_CONCURRENCY: String(options.concurrency ?? 4),
          }),
        );
        const worker: WorkerProcess = Object.assign(proc, {
          alive: () => proc.child.exitCode === null && proc.child.signalCode === null,
        });
        workers.push(worker);
        await worker.waitFor('Quorum worker running', 30_000);
        return worker;
      },
      async scoringJobCounts() {
        if (!inspector) {
          // Fails fast while the server is down and reconnects once it is back.
          const connection = new Redis(redis.url, {
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
            lazyConnect: true,
          });
          connection.on('error', () => undefined);
          await connection.connect().catch(() => undefined);
          const queue = new Queue(QUEUES.scoring, { connection, prefix: redisPrefix });
          queue.on('error', () => undefined);
          inspector = { connection, queue };
          cleanups.push(async () => {
            await queue.close().catch(() => undefined);
            connection.disconnect();
          });
        }
        return inspector.queue.getJobCounts(
          'active',
          'waiting',
          'delayed',
          'prioritized',
          'completed',
          'failed',
        );
      },
      async maintenanceSchedulers() {
        const connection = new Redis(redis.url, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: true,
        });
        connection.on('error', () => undefined);
        try {
          await connection.connect();
          const queue = new Queue(QUEUES.maintenance, { connection, prefix: redisPrefix });
          const schedulers = await queue.getJobSchedulers();
          await queue.close();
          return schedulers.map((s) => s.key);
        } finally {
          connection.disconnect();
        }
      },
      logs() {
        return [
          `--- api ---\n${excerpt(api.output(), 10)}`,
          ...workers.map((w, i) => `--- worker ${i + 1} ---\n${excerpt(w.output())}`),
          `--- redis ---\n${excerpt(redis.output(), 6)}`,
          ...(postgres ? [`--- postgres ---\n${excerpt(postgres.output(), 6)}`] : []),
        ].join('\n');
      },
      close: closeAll,
    };
    return stack;
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
