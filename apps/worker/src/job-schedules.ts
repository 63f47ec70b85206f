import type { JobProducer } from '@quorum/queue';

/** The default of RECONCILE_INTERVAL_SECONDS. */
export const RECONCILE_EVERY_MS = 30_000;
export const DECAY_SWEEP_EVERY_MS = 3_600_000;
export const TIER_CUTOFFS_EVERY_MS = 300_000;
/** How often a worker checks that Redis still holds the schedules. */
export const SCHEDULE_CHECK_EVERY_MS = 10_000;

/**
 * Repeating jobs, registered idempotently by every worker (BullMQ job schedulers are
 * keyed by id, so several workers share one schedule). A reconcile also runs at start.
 * The scheduled reconcile is the safety net: a process that sees Redis or PostgreSQL come
 * back asks for one at once (reconcile-now.ts, postgres-recovery.ts).
 */
export async function registerSchedules(
  producer: JobProducer,
  reconcileEveryMs = RECONCILE_EVERY_MS,
): Promise<void> {
  await producer.schedule('reconcile-pending', { every: reconcileEveryMs });
  await producer.schedule('decay-sweep', { every: DECAY_SWEEP_EVERY_MS });
  await producer.schedule('refresh-tier-cutoffs', { every: TIER_CUTOFFS_EVERY_MS });
  await producer.enqueue('reconcile-pending', {}, { jobId: `reconcile-on-start-${Date.now()}` });
}

/**
 * Idempotent: re-creates the schedulers when Redis lost them (FLUSHALL, a restart without
 * persistence) and then reconciles at once, since the jobs queued before were lost too.
 */
export async function ensureSchedules(
  producer: JobProducer,
  reconcileEveryMs = RECONCILE_EVERY_MS,
): Promise<void> {
  const lost = !(await producer.hasSchedule('reconcile-pending'));
  await producer.schedule('reconcile-pending', { every: reconcileEveryMs });
  await producer.schedule('decay-sweep', { every: DECAY_SWEEP_EVERY_MS });
  await producer.schedule('refresh-tier-cutoffs', { every: TIER_CUTOFFS_EVERY_MS });
  if (lost)
    await producer.enqueue(
      'reconcile-pending',
      { graceMs: 0, reason: 'job schedules lost' },
      { jobId: `reconcile-restored-${Date.now()}` },
    );
}

/** Keeps the schedules alive for as long as the worker runs; returns a stop function. */
export function keepSchedulesAlive(
  producer: JobProducer,
  log: (line: string) => void,
  reconcileEveryMs = RECONCILE_EVERY_MS,
  everyMs = SCHEDULE_CHECK_EVERY_MS,
): () => void {
  const timer = setInterval(() => {
    ensureSchedules(producer, reconcileEveryMs).catch((error: Error) =>
      log(`could not ensure job schedules: ${error.message}`),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
