import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

// A type, not an interface, so it fits a Record<string, boolean> of checks.
export type ReadinessChecks = {
  postgres: boolean;
  /** True when every migration this build knows of has been applied. */
  migrations: boolean;
  redis: boolean;
};

const CHECK_TIMEOUT_MS = 2_000;

/**
 * What /readyz answers on the API and the worker: PostgreSQL answers a query, its schema
 * is this build's, Redis answers PING. Each check gives up after 2 s, so a hung dependency
 * makes the process not ready instead of hanging the probe.
 *
 * Migrations run only at start-up, so once this build's are all applied the answer stays
 * true: the check runs `showMigrations()` (a read of the migrations table) until it first
 * passes and never again in this process. Make one check per process and reuse it.
 */
export function readinessCheck(
  dataSource: DataSource,
  redis: Redis,
): () => Promise<ReadinessChecks> {
  let migrationsApplied = false;
  const migrationsCurrent = async (): Promise<true> => {
    if (migrationsApplied) return true;
    if (await dataSource.showMigrations()) throw new Error('migrations pending');
    migrationsApplied = true;
    return true;
  };
  return async () => {
    const [postgres, migrations, redisOk] = await Promise.all([
      passes(dataSource.query('SELECT 1')),
      passes(migrationsCurrent()),
      passes(redis.ping()),
    ]);
    return { postgres, migrations, redis: redisOk };
  };
}

function passes(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  return Promise.race([
    work.then(
      () => true,
      () => false,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}
