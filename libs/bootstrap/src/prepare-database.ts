import type { QuorumConfig } from '@quorum/config';
import { ALL_MIGRATIONS } from '@quorum/migrations';
import { createDataSource, ensureDatabase, type DataSourceOptions } from '@quorum/persistence';
import type { DataSource } from 'typeorm';

/**
 * First start on a fresh machine: create the database if needed, connect, and apply
 * pending migrations (the only way the schema changes). Safe to run from several
 * processes at once: TypeORM runs migrations inside transactions, and a second runner
 * finds nothing left to do.
 */
export async function prepareDatabase(
  config: QuorumConfig,
  options: Partial<DataSourceOptions> = {},
): Promise<DataSource> {
  await ensureDatabase(config.databaseUrl);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    migrations: ALL_MIGRATIONS,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    ...options,
  });
  await dataSource.initialize();
  guardPoolClients(dataSource);
  await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
  return dataSource;
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
function guardPoolClients(dataSource: DataSource): void {
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
