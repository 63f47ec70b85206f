import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * `quorum_queue_jobs{queue,state}`, read from Redis when Prometheus scrapes. Every
 * process sees the same queues: aggregate with max(), not sum(). When Redis does not
 * answer, the series are left out of that scrape rather than reported stale.
 */
export function registerQueueDepthGauge(
  registry: Registry,
  queues: readonly Queue[],
  onError: (error: Error) => void = () => undefined,
): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'quorum_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await queue.getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES)
              this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch (error) {
            onError(error as Error);
          }
        }),
      );
    },
  });
}
