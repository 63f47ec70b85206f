import 'reflect-metadata';
import {
  checkRedis,
  describeStartupError,
  exitWith,
  onShutdownSignal,
  prepareDatabase,
} from '@quorum/bootstrap';
import { loadConfig, systemClock, type QuorumConfig } from '@quorum/config';
import type { DataSource } from 'typeorm';
import { startHealthServer } from './health-server';
import { createJobHandlers } from './job-handlers';
import { startQueueWorkers } from './queue-workers';
import { keepSchedulesAlive, registerSchedules } from './job-schedules';
import { createScoringRuntime } from './scoring-runtime';

async function main(): Promise<void> {
  let config: QuorumConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    exitWith(describeStartupError(error, {}, 'other'));
  }
  let dataSource: DataSource;
  try {
    dataSource = await prepareDatabase(config, { applicationName: 'quorum-worker' });
  } catch (error) {
    exitWith(describeStartupError(error, config, 'postgres'));
  }
  try {
    await checkRedis(config.redisUrl);
  } catch (error) {
    exitWith(describeStartupError(error, config, 'redis'));
  }
  const scoring = createScoringRuntime(
    dataSource,
    systemClock,
    config.redisUrl,
    config.redisPrefix,
  );
  const queues = startQueueWorkers({
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    concurrency: config.workerConcurrency,
    handlers: createJobHandlers(scoring.pipeline),
  });
  await registerSchedules(scoring.producer);
  const stopSchedules = keepSchedulesAlive(scoring.producer, (line) => console.log(line));
  const health = await startHealthServer(config.workerHealthPort, async () => ({
    postgres: await dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    migrations: !(await dataSource.showMigrations().catch(() => true)),
    redis: queues.workers().every((w) => w.isRunning()),
  }));
  console.log(
    `Quorum worker running (concurrency ${config.workerConcurrency}); health at http://localhost:${health.port}/healthz`,
  );
  onShutdownSignal(async () => {
    stopSchedules();
    await queues.close();
    await scoring.close();
    await health.close();
    await dataSource.destroy();
    console.log('Quorum worker stopped');
  });
}

void main();
