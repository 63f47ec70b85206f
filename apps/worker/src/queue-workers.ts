import {
  createWorkerConnection,
  queuesWithJobs,
  verifyHandlers,
  type JobHandlers,
  type JobName,
} from '@quorum/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';

export interface QueueWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for running ones to finish. */
  close(): Promise<void>;
}

/** One BullMQ worker per queue in the registry, dispatching by job name. */
export function startQueueWorkers(options: {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  handlers: JobHandlers;
  log?: (line: string) => void;
}): QueueWorkers {
  verifyHandlers(options.handlers);
  const log = options.log ?? ((line: string) => console.log(line));
  const workers = queuesWithJobs().map((queue) => {
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
      },
    );
    worker.on('error', (error) => log(`worker error on queue ${queue}: ${error.message}`));
    worker.on('failed', (job, error) =>
      log(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    return worker;
  });
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
