import {
  createWorkerConnection,
  queuesWithJobs,
  verifyHandlers,
  type JobHandlers,
  type JobName,
  type QueueName,
} from '@quorum/queue';
import { withLogContext, type Logger } from '@quorum/observability';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { WorkerMetrics } from './worker-metrics';

export const WATCHDOG_EVERY_MS = 15_000;

export interface QueueWorkers {
  workers(): Worker[];
  /** Stops taking jobs and waits for running ones to finish. */
  close(): Promise<void>;
}

interface Options {
  redisUrl: string;
  prefix: string;
  /** Jobs each queue's worker holds at once. */
  concurrency: Record<QueueName, number>;
  handlers: JobHandlers;
  logger: Logger;
  metrics?: WorkerMetrics;
  watchdogEveryMs?: number;
  /** Told of every job failure (e.g. to notice that PostgreSQL is down). */
  onJobFailed?: (error: Error) => void;
}

/**
 * How long a worker waits before it asks Redis for the next job again after the connection
 * failed (BullMQ's default is 15 s). The command it retries waits in ioredis's offline queue
 * until the connection is back, so a short wait does not spin: it only stops the worker from
 * sleeping through a Redis that has long been back.
 */
export const FETCH_RETRY_DELAY_MS = 500;

/** The API request a job was queued for, when its payload names one. */
function requestIdOf(job: Job): string | undefined {
  const id = (job.data as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * One BullMQ worker per queue in the registry, dispatching by job name. A watchdog
 * re-creates a worker whose run loop has stopped (e.g. after a Redis failure it did not
 * recover from), so the process keeps taking jobs without a restart.
 */
export function startQueueWorkers(options: Options): QueueWorkers {
  verifyHandlers(options.handlers);
  const { logger, metrics } = options;
  let closing = false;
  // Every job this process is running, whichever worker took it: a worker the watchdog
  // replaced is closed without waiting, and its job must still end before the process stops.
  const running = new Set<Promise<unknown>>();

  const create = (queue: QueueName): Worker => {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const handler = options.handlers[job.name as JobName] as
          | ((payload: unknown, meta: { jobId: string; attempt: number }) => Promise<void>)
          | undefined;
        if (!handler)
          throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
        const context = { requestId: requestIdOf(job), jobId: job.id!, job: job.name, queue };
        // Every line logged while the job runs (its events too) carries its request id.
        const run = withLogContext(context, async () => {
          const started = Date.now();
          const due = job.timestamp + (job.opts.delay ?? 0);
          metrics?.jobWait.observe({ queue, job: job.name }, Math.max(0, started - due) / 1000);
          const attempt = job.attemptsMade + 1;
          let outcome: 'success' | 'error' = 'error';
          try {
            await handler(job.data, { jobId: job.id!, attempt });
            outcome = 'success';
          } finally {
            const ms = Date.now() - started;
            metrics?.jobsProcessed.inc({ queue, job: job.name, outcome });
            metrics?.jobDuration.observe({ queue, job: job.name, outcome }, ms / 1000);
            if (outcome === 'success') logger.info({ attempt, durationMs: ms }, 'job completed');
          }
        });
        running.add(run);
        try {
          await run;
        } finally {
          running.delete(run);
        }
      },
      {
        connection: createWorkerConnection(options.redisUrl),
        prefix: options.prefix,
        concurrency: options.concurrency[queue],
        // A killed worker's jobs (and the deduplication keys they hold) come back within
        // ~15 s instead of a minute: locks are short and renewed while a job runs.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 2,
        runRetryDelay: FETCH_RETRY_DELAY_MS,
      },
    );
    worker.on('error', (error) =>
      logger.error({ queue, err: error }, `worker error on queue ${queue}: ${error.message}`),
    );
    worker.on('failed', (job, error) => {
      options.onJobFailed?.(error);
      logger.warn(
        {
          queue,
          job: job?.name,
          jobId: job?.id,
          requestId: job ? requestIdOf(job) : undefined,
          attempt: job?.attemptsMade,
          err: error,
        },
        `job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`,
      );
    });
    return worker;
  };

  const workers = new Map<QueueName, Worker>(queuesWithJobs().map((q) => [q, create(q)]));
  const watchdog = setInterval(() => {
    for (const [queue, worker] of workers) {
      if (!closing && !worker.isRunning() && !worker.closing) {
        logger.warn(
          { queue },
          `watchdog: worker on queue ${queue} stopped taking jobs; re-creating it`,
        );
        void worker.close(true).catch(() => undefined);
        workers.set(queue, create(queue));
      }
    }
  }, options.watchdogEveryMs ?? WATCHDOG_EVERY_MS);
  watchdog.unref();

  return {
    workers: () => [...workers.values()],
    close: async () => {
      closing = true;
      clearInterval(watchdog);
      await Promise.all([...workers.values()].map((w) => w.close()));
      await Promise.allSettled([...running]);
    },
  };
}
