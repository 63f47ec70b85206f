import type { JobProducer } from '@quorum/queue';

export const RECONCILE_EVERY_MS = 30_000;
export const DECAY_SWEEP_EVERY_MS = 3_600_000;

/**
 * Repeating jobs, registered idempotently by every worker (BullMQ job schedulers are
 * keyed by id, so several workers share one schedule). A reconcile also runs at start.
 */
export async function registerSchedules(producer: JobProducer): Promise<void> {
  await producer.schedule('reconcile-pending', { every: RECONCILE_EVERY_MS });
  await producer.schedule('decay-sweep', { every: DECAY_SWEEP_EVERY_MS });
  await producer.enqueue('reconcile-pending', {}, { jobId: `reconcile-on-start-${Date.now()}` });
}
