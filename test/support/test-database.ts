import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { guardPoolClients, migrateDatabase } from '@quorum/bootstrap';
import { appDatabaseUrlFor, loadConfig } from '@quorum/config';
import { ALL_MIGRATIONS } from '@quorum/migrations';
import { createDataSource, dropDatabase, type QueryCounter } from '@quorum/persistence';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { databaseUrl, testDatabaseBaseUrl } from './database-url';

export interface TestDatabase {
  name: string;
  url: string;
  /** Connected as the owner: bypasses row-level security, for setup and assertions. */
  dataSource: DataSource;
  /** Connected as the application role, as the API and the worker are: RLS applies. */
  appDataSource: DataSource;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(
  options: { logger?: QueryCounter } = {},
): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `quorum_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: testDatabaseBaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return connectTestDatabase(name, databaseUrl(name), options);
}

/**
 * A database created and migrated on another server than the shared one (a fault test's own
 * PostgreSQL), as `npm start` does on first start; its data sources reconnect after a restart.
 */
export async function createMigratedDatabase(serverUrl: string): Promise<TestDatabase> {
  const url = new URL(serverUrl);
  url.pathname = '/quorum';
  await migrateDatabase(loadConfig({ DATABASE_URL: url.toString() }));
  const db = await connectTestDatabase('quorum', url.toString());
  guardPoolClients(db.dataSource);
  guardPoolClients(db.appDataSource);
  return db;
}

async function connectTestDatabase(
  name: string,
  url: string,
  options: { logger?: QueryCounter } = {},
): Promise<TestDatabase> {
  const dataSource = createDataSource({
    url,
    migrations: ALL_MIGRATIONS,
    poolSize: 5,
    logger: options.logger,
  });
  const appDataSource = createDataSource({
    url: appDatabaseUrlFor(url),
    migrations: ALL_MIGRATIONS,
    poolSize: 5,
    logger: options.logger,
  });
  await Promise.all([dataSource.initialize(), appDataSource.initialize()]);
  return {
    name,
    url,
    dataSource,
    appDataSource,
    drop: async () => {
      if (appDataSource.isInitialized) await appDataSource.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(url);
    },
  };
}
