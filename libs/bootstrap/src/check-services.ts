import type { QuorumConfig } from '@quorum/config';
import { Client } from 'pg';
import { checkRedis } from './check-redis';
import { describeStartupError } from './startup-errors';

/** Connects to the server (its `postgres` database: ours may not exist yet), once. */
export async function checkPostgres(url: string): Promise<void> {
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new Client({
    connectionString: server.toString(),
    connectionTimeoutMillis: 3_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether every service Quorum needs answers, checked together before anything is created or
 * migrated: one line per service that does not (empty when all do). So a missing Redis is
 * reported before the database is created, and both are named when both are down.
 */
export async function unreachableServices(config: QuorumConfig): Promise<string[]> {
  const [postgres, redis] = await Promise.allSettled([
    checkPostgres(config.databaseUrl),
    checkRedis(config.redisUrl),
  ]);
  return [
    ...(postgres.status === 'rejected'
      ? [describeStartupError(postgres.reason, config, 'postgres')]
      : []),
    ...(redis.status === 'rejected' ? [describeStartupError(redis.reason, config, 'redis')] : []),
  ];
}
