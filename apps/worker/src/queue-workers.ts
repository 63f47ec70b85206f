import {
  createWorkerConnection,
  queuesWithJobs,
  verifyHandlers,
  type JobHandlers,
  type JobName,
  type QueueName,
} from '@quorum/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';

export const WATCHDOG_EVERY_MS = 15_000;

export interface QueueWorkers {
  workers(): Worker[];
  /** Stops taking jobs and waits for running ones to finish. */
  close(): Promise<void>;
}

interface Options {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  handlers: JobHandlers;
  log?: (line: string) => void;
  watchdogEveryMs?: number;
}

/**
 * One BullMQ worker per queue in the registry, dispatching by job name. A watchdog
 * re-creates a worker whose run loop has stopped (e.g. after a Redis failure it did not
 * recover from), so the process keeps taking jobs without a restart.
 */
export function startQueueWorkers(options: Options): QueueWorkers {
  verifyHandlers(options.handlers);
  const log = options.log ?? ((line: string) => console.log(line));
  let closing = false;

  const create = (queue: QueueName): Worker => {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const handler = options.handlers[job.name as JobName] as
          | ((payload: unknown, meta: { jobId: string; attempt: number }) => Promise<void>)
          | undefined;
        if (!handler)
          throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
        await handler(job.data, { jobId: job.id!, attempt: job.attemptsMade + 1 });
      },
      {
        connection: createWorkerConnection(options.redisUrl),
        prefix: options.prefix,
        concurrency: options.concurrency,
        // A killed worker's jobs (and the deduplication keys they hold) come back within
        // ~15 s instead of a minute: locks are short and renewed while a job runs.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 2,
      },
    );
    worker.on('error', (error) => log(`worker error on queue ${queue}: ${error.message}`));
    worker.on('failed', (job, error) =>
      log(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    return worker;
  };

  const workers = new Map<QueueName, Worker>(queuesWithJobs().map((q) => [q, create(q)]));
  const watchdog = setInterval(() => {
    for (const [queue, worker] of workers) {
      if (!closing && !worker.isRunning() && !worker.closing) {
        log(`watchdog: worker on queue ${queue} stopped taking jobs; re-creating it`);
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
    },
  };
}
