import 'reflect-metadata';
import {
  readinessCheck,
  describeStartupError,
  exitWith,
  onShutdownSignal,
  prepareDatabase,
  unreachableServices,
  unsupportedNode,
} from '@quorum/bootstrap';
import { loadConfig, systemClock, type QuorumConfig } from '@quorum/config';
import { createLogger, registerQueueDepthGauge } from '@quorum/observability';
import { queuesWithJobs, reconcileWhenRedisReturns, requestReconcileNow } from '@quorum/queue';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { startHealthServer } from './health-server';
import { createJobHandlers, queueConcurrency } from './job-handlers';
import { startQueueWorkers } from './queue-workers';
import { ensureSchedules, keepSchedulesAlive, registerSchedules } from './job-schedules';
import { watchPostgresRecovery } from './postgres-recovery';
import { createScoringRuntime } from './scoring-runtime';
import { createWorkerMetrics } from './worker-metrics';

async function main(): Promise<void> {
  const unsupported = unsupportedNode();
  if (unsupported) exitWith(unsupported);
  let config: QuorumConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    exitWith(describeStartupError(error, {}, 'other'));
  }
  // Every service first: nothing is created or migrated while another one is missing.
  const unreachable = await unreachableServices(config);
  if (unreachable.length > 0) exitWith(unreachable.join('\n'));
  let dataSource: DataSource;
  try {
    dataSource = await prepareDatabase(config, { applicationName: 'quorum-worker' });
  } catch (error) {
    exitWith(describeStartupError(error, config, 'postgres'));
  }
  const logger = createLogger('worker', config.logLevel);
  const metrics = createWorkerMetrics();
  const scoring = createScoringRuntime(
    dataSource,
    systemClock,
    config.redisUrl,
    config.redisPrefix,
    { logger, metrics },
  );
  const batches = { batchSize: config.workerBatchSize, concurrency: config.workerConcurrency };
  const postgresBack = watchPostgresRecovery({
    probe: () => dataSource.query('SELECT 1'),
    onBack: () => requestReconcileNow(scoring.producer, 'PostgreSQL reachable again'),
    log: (line, error) => logger.warn({ err: error }, line),
  });
  const queues = startQueueWorkers({
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    concurrency: queueConcurrency(batches),
    handlers: createJobHandlers(scoring.pipeline, batches, scoring.tierCutoffs, logger),
    logger,
    metrics,
    onJobFailed: (error) => postgresBack.noteError(error),
  });
  const observed = queuesWithJobs().map(
    (name) => new Queue(name, { connection: scoring.redis, prefix: config.redisPrefix }),
  );
  for (const queue of observed) queue.on('error', () => undefined);
  registerQueueDepthGauge(metrics.registry, observed, (error) =>
    logger.warn({ err: error }, 'could not read queue depths'),
  );
  await registerSchedules(scoring.producer, config.reconcileIntervalMs);
  const stopSchedules = keepSchedulesAlive(
    scoring.producer,
    (line) => logger.warn(line),
    config.reconcileIntervalMs,
  );
  // Redis restarted empty loses the schedules and every queued job: restore the schedules, then
  // reconcile at once rather than at the next check.
  const stopRedisWatch = reconcileWhenRedisReturns(
    scoring.redis,
    scoring.producer,
    (line, error) => (error ? logger.warn({ err: error }, line) : logger.info(line)),
    () => ensureSchedules(scoring.producer, config.reconcileIntervalMs),
  );
  const readiness = readinessCheck(dataSource, scoring.redis);
  const health = await startHealthServer(
    config.workerHealthPort,
    async () => ({
      ...(await readiness()),
      workers: queues.workers().every((w) => w.isRunning()),
    }),
    metrics.registry,
  );
  logger.info(
    `Quorum worker running (concurrency ${config.workerConcurrency}, batches of up to ${config.workerBatchSize}); health at http://localhost:${health.port}/healthz`,
  );
  onShutdownSignal(
    async () => {
      stopSchedules();
      stopRedisWatch();
      postgresBack.stop();
      await queues.close();
      await Promise.all(observed.map((q) => q.close()));
      await scoring.close();
      await health.close();
      await dataSource.destroy();
      logger.info('Quorum worker stopped');
    },
    (line) => logger.info(line),
  );
}

void main();
