import type { QuorumConfig } from '@quorum/config';
import { ALL_MIGRATIONS } from '@quorum/migrations';
import { createDataSource, ensureDatabase, type DataSourceOptions } from '@quorum/persistence';
import type { DataSource } from 'typeorm';

/**
 * First start on a fresh machine: create the database if needed and apply pending
 * migrations (the only way the schema changes) as the owner; then connect as the
 * application role, which owns no table, so row-level security applies to everything the
 * process runs. Safe to run from several processes at once: an advisory lock makes one of
 * them migrate, and the others find nothing left to do.
 */
export async function prepareDatabase(
  config: QuorumConfig,
  options: Partial<DataSourceOptions> = {},
): Promise<DataSource> {
  await migrateDatabase(config, options.applicationName);
  const dataSource = createDataSource({
    url: config.appDatabaseUrl,
    migrations: ALL_MIGRATIONS,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    ...options,
  });
  await dataSource.initialize();
  guardPoolClients(dataSource);
  return dataSource;
}

/** Creates the database if needed and applies pending migrations, as the owner role. */
export async function migrateDatabase(config: QuorumConfig, applicationName?: string) {
  await ensureDatabase(config.databaseUrl);
  const owner = createDataSource({
    url: config.databaseUrl,
    migrations: ALL_MIGRATIONS,
    poolSize: 2, // the advisory lock holds one connection while migrations use the other
    statementTimeoutMs: 0,
    applicationName: `${applicationName ?? 'quorum'}-migrate`,
  });
  await owner.initialize();
  guardPoolClients(owner);
  try {
    await withMigrationLock(owner, async () => {
      await owner.runMigrations({ transaction: 'each' });
      if (config.appDatabasePassword) {
        // ALTER ROLE takes no parameters: format() quotes the password as a literal.
        const [{ sql }] = await owner.query(
          `SELECT format('ALTER ROLE quorum_app WITH LOGIN PASSWORD %L', $1::text) AS sql`,
          [config.appDatabasePassword],
        );
        await owner.query(sql);
      }
    });
  } finally {
    await owner.destroy();
  }
}

/** The API and the worker may start together; an advisory lock makes one of them migrate. */
async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(4242001)');
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock(4242001)').catch(() => undefined);
    await runner.release();
  }
}

/**
 * pg-pool stops listening for a client's errors while it hands the client out, and TypeORM
 * starts one step later: a connection terminated in between (a PostgreSQL restart, an
 * administrator's pg_terminate_backend) would raise an unhandled 'error' and kill the
 * process. Every pooled client gets a permanent listener; the failed query is retried.
 */
export function guardPoolClients(dataSource: DataSource): void {
  const pool = (
    dataSource.driver as unknown as {
      master?: {
        on(
          event: 'connect',
          cb: (client: { on(event: 'error', cb: (e: Error) => void): void }) => void,
        ): void;
      };
    }
  ).master;
  pool?.on('connect', (client) => client.on('error', () => undefined));
}
