import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './job-registry';

/** Finished jobs are kept for inspection, but bounded. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 50_000 },
};

export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly timeoutMs = 2_000,
  ) {}

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<K extends JobName>(
    name: K,
    payload: JobPayloads[K],
    options: JobsOptions = {},
  ): Promise<string> {
    await this.assertConnected();
    const job = await withTimeout(
      this.queue(JOB_QUEUE[name]).add(name, payload, options),
      this.timeoutMs,
    );
    return job.id!;
  }

  /**
   * BullMQ waits for a connection that is not ready; a producer in a request path must
   * fail fast instead, so the caller can say scoring is delayed.
   */
  private async assertConnected(): Promise<void> {
    const status = this.connection.status;
    if (status === 'ready') return;
    if (status === 'wait' || status === 'connecting' || status === 'connect') {
      // A fresh connection: give it the usual time to come up.
      await withTimeout(
        new Promise<void>((resolve) => this.connection.once('ready', () => resolve())),
        this.timeoutMs,
      );
      return;
    }
    throw new Error(`Redis is not connected (status ${status})`);
  }

  /** A repeating job; the scheduler id is the job name, so registering twice is harmless. */
  async schedule<K extends JobName>(
    name: K,
    repeat: { every: number },
    payload?: JobPayloads[K],
  ): Promise<void> {
    await this.assertConnected();
    await this.queue(JOB_QUEUE[name]).upsertJobScheduler(name, repeat, {
      name,
      data: payload ?? {},
    });
  }

  async hasSchedule(name: JobName): Promise<boolean> {
    await this.assertConnected();
    return (
      (await withTimeout(this.queue(JOB_QUEUE[name]).getJobScheduler(name), this.timeoutMs)) != null
    );
  }

  /** Adds a job with a fixed id, first removing a finished one that still holds the id. */
  async enqueueOnce<K extends JobName>(
    name: K,
    payload: JobPayloads[K],
    jobId: string,
  ): Promise<void> {
    await this.assertConnected();
    const queue = this.queue(JOB_QUEUE[name]);
    const existing = await withTimeout(queue.getJob(jobId), this.timeoutMs);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') return;
      await existing.remove();
    }
    await queue.add(name, payload, { jobId });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
