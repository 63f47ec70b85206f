import 'reflect-metadata';
import { fixedClock, loadConfig } from '@quorum/config';
import { createLogger, type Logger } from '@quorum/observability';
import { QueryCounter } from '@quorum/persistence';
import { QUEUES } from '@quorum/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startApiServer, type ApiServer } from '../../apps/api/src/server';
import type { SubscriptionLimits } from '../../apps/api/src/subscriptions/ws-server';
import {
  createJobHandlers,
  queueConcurrency,
  type BatchOptions,
} from '../../apps/worker/src/job-handlers';
import { startQueueWorkers, type QueueWorkers } from '../../apps/worker/src/queue-workers';
import { createScoringRuntime } from '../../apps/worker/src/scoring-runtime';
import { createWorkerMetrics, type WorkerMetrics } from '../../apps/worker/src/worker-metrics';
import { testRedisUrl } from './database-url';
import { graphqlClient, ok, type Gql } from './graphql-client';
import { createTestDatabase, type TestDatabase } from './test-database';
import { deleteRedisKeys } from './redis-keys';
import { testRedisPrefix } from './redis-prefix';

/** Small batches, so tests exercise batching with few contacts. */
export const TEST_BATCHES: BatchOptions = { batchSize: 20, concurrency: 2 };

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface ApiHarness {
  db: TestDatabase;
  server: ApiServer;
  counter: QueryCounter;
  clock: ReturnType<typeof fixedClock>;
  redisPrefix: string;
  workers: QueueWorkers | null;
  runtime: ReturnType<typeof createScoringRuntime> | null;
  /** The in-process worker's metrics (with `withWorker`). */
  workerMetrics: WorkerMetrics | null;
  admin: Gql;
  client(key?: string): Gql;
  /** Creates a workspace through the API and returns a client holding its ADMIN key. */
  newWorkspace(name?: string): Promise<{ id: string; key: string; gql: Gql }>;
  /** Resolves once the scoring queue has nothing waiting, delayed or running. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API in this process, on a fresh database, a random port and a Redis key prefix of
 * its own; with `withWorker`, the queue workers run in this process too.
 */
export async function startApiHarness(
  options: {
    now?: Date;
    withWorker?: boolean;
    redisUrl?: string;
    env?: Record<string, string>;
    subscriptionLimits?: Partial<SubscriptionLimits>;
    /** The API's logger; silent unless the test sets LOG_LEVEL or gives one. */
    logger?: Logger;
  } = {},
): Promise<ApiHarness> {
  const counter = new QueryCounter();
  const db = await createTestDatabase({ logger: counter });
  const clock = fixedClock(options.now ?? new Date('2026-11-20T12:00:00Z'));
  const redisPrefix = testRedisPrefix('t');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: options.redisUrl ?? testRedisUrl(),
    QUORUM_REDIS_PREFIX: redisPrefix,
    QUORUM_ADMIN_TOKEN: ADMIN_TOKEN,
    // Tests make many calls with one key; the rate-limit test sets its own budgets.
    RATE_LIMIT_READS_PER_MINUTE: '1000000',
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    // Tests send wrong keys on purpose; the failed-authentication test sets its own limit.
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
    // Quiet even when a test runs in production mode; a test may set its own level.
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const server = await startApiServer({
    config,
    dataSource: db.appDataSource,
    clock,
    subscriptionLimits: options.subscriptionLimits,
    logger: options.logger,
  });
  // Silent unless the test sets LOG_LEVEL in `env`.
  const logger = createLogger('worker', config.logLevel);
  const workerMetrics = options.withWorker ? createWorkerMetrics() : null;
  const runtime = options.withWorker
    ? createScoringRuntime(db.appDataSource, clock, config.redisUrl, redisPrefix, {
        logger,
        metrics: workerMetrics ?? undefined,
      })
    : null;
  const workers = runtime
    ? startQueueWorkers({
        redisUrl: config.redisUrl,
        prefix: redisPrefix,
        concurrency: queueConcurrency(TEST_BATCHES),
        handlers: createJobHandlers(runtime.pipeline, TEST_BATCHES, runtime.tierCutoffs),
        logger,
        metrics: workerMetrics ?? undefined,
      })
    : null;
  const client = (key?: string) => graphqlClient(server.url, key);
  const admin = client(ADMIN_TOKEN);
  return {
    db,
    server,
    counter,
    clock,
    redisPrefix,
    workers,
    runtime,
    workerMetrics,
    admin,
    client,
    async newWorkspace(name = 'Workspace') {
      const data = await ok(
        admin(
          `mutation($name: String!) { createWorkspace(name: $name) { workspace { id } secret } }`,
          { name },
        ),
      );
      const key = data.createWorkspace.secret as string;
      return { id: data.createWorkspace.workspace.id as string, key, gql: client(key) };
    },
    async settled(timeoutMs = 15_000) {
      const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUES.scoring, { connection, prefix: redisPrefix });
      try {
        await eventually(async () => {
          const counts = await queue.getJobCounts(
            'waiting',
            'delayed',
            'active',
            'prioritized',
            'waiting-children',
          );
          return Object.values(counts).every((n) => n === 0) ? true : undefined;
        }, timeoutMs);
      } finally {
        await queue.close();
        connection.disconnect();
      }
    },
    async close() {
      await workers?.close();
      await runtime?.close();
      await server.stop();
      await db.drop();
      await deleteRedisKeys(testRedisUrl(), redisPrefix);
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
