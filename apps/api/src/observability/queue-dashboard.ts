import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { queuesWithJobs } from '@quorum/queue';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import type { Redis } from 'ioredis';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over every Quorum queue: counts, jobs by state with their payloads (request
 * ids included) and errors; retry, promote and clean. Mount it behind the admin token.
 */
export function queueDashboard(
  connection: Redis,
  prefix: string,
): { router: Router; close(): Promise<void> } {
  const queues = queuesWithJobs().map((name) => new Queue(name, { connection, prefix }));
  for (const queue of queues) queue.on('error', () => undefined);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
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
