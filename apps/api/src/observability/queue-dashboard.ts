import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { queuesWithJobs } from '@quorum/queue';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import type { Redis } from 'ioredis';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  /**
   * Retry, promote, clean, add and pause are offered (and answered) only when true: the
   * board spans every workspace's jobs, so by default it only shows them.
   */
  writable?: boolean;
}

/**
 * bull-board over every Quorum queue: counts, jobs by state with their payloads (request
 * ids included) and errors; read-only unless `writable`. Mount it behind the admin token.
 */
export function queueDashboard(
  connection: Redis,
  prefix: string,
  options: QueueDashboardOptions = {},
): { router: Router; close(): Promise<void> } {
  const queues = queuesWithJobs().map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map(
      (queue) => new BullMQAdapter(queue, { readOnlyMode: options.writable !== true }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Quorum queues' } },
  });
  return {
    router: serverAdapter.getRouter() as Router,
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
