import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '@quorum/config';
import { prepareDatabase } from '@quorum/bootstrap';
import { dropDatabase } from '@quorum/persistence';
import type { TestProject } from 'vitest/node';
import { databaseUrl, testDatabaseBaseUrl, testRedisUrl } from './database-url';
import { countRedisKeys, deleteRedisKeys, runKeyPattern } from './redis-keys';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    runId: string;
  }
}

/**
 * Migrates one template database per run; each test file clones it (CREATE DATABASE
 * ... TEMPLATE), which takes milliseconds, so files never share rows.
 */
export default async function setup(project: TestProject) {
  // Predictive training runs on a worker thread, which loads built JS
  // (libs/services/dist/predictive-training.thread-entry.js): build it, never run a stale copy.
  const root = path.resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-b', 'libs/services/tsconfig.lib.json'],
    { cwd: root, stdio: 'inherit' },
  );
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = `quorum_test_${runId}_tpl`;
  const url = databaseUrl(template);
  try {
    const dataSource = await prepareDatabase(loadConfig({ DATABASE_URL: url }));
    await dataSource.destroy();
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${testDatabaseBaseUrl()} (set TEST_DATABASE_URL): ${(error as Error).message}`,
    );
  }
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
  return async () => {
    await dropDatabase(url);
    await removeRedisKeysOf(runId, project.name);
  };
}

/**
 * Tests put everything they keep in the shared Redis (queues, job schedulers, rate-limit
 * counters) under prefixes holding the run's id (`testRedisPrefix`), and most delete their own;
 * whatever is left, e.g. by processes killed mid-test, goes here. The run's output says how many
 * keys were removed, and the run fails if any is left.
 */
async function removeRedisKeysOf(runId: string, project: string): Promise<void> {
  const url = testRedisUrl();
  const pattern = runKeyPattern(runId);
  const removed = await deleteRedisKeys(url, '', pattern);
  const left = await countRedisKeys(url, pattern);
  console.log(
    `[${project}] Redis ${url}: ${removed} key(s) this run left under ${pattern} removed, ${left} left`,
  );
  if (left > 0) throw new Error(`${left} Redis key(s) of run ${runId} are left under ${pattern}`);
}
