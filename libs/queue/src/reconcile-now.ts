import type { Redis } from 'ioredis';
import type { JobProducer } from './job-producer';

/**
 * Asks for a reconcile of every pending marker, however young, at once. Deduplicated: while one
 * waits, more requests are absorbed by it; while one runs, exactly one more is kept, since the
 * running one may have read the markers before the writes this request is about.
 */
export async function requestReconcileNow(producer: JobProducer, reason: string): Promise<void> {
  await producer.enqueue(
    'reconcile-pending',
    { graceMs: 0, reason },
    { deduplication: { id: 'reconcile-now', keepLastIfActive: true } },
  );
}

/**
 * Calls `onBack` each time `connection` is ready again after it was lost; not when it first
 * connects. Returns a function that stops listening.
 */
export function onReconnected(connection: Redis, onBack: () => void): () => void {
  let wasReady = connection.status === 'ready';
  let lost = false;
  const closed = () => {
    if (wasReady) lost = true;
  };
  const ready = () => {
    wasReady = true;
    if (!lost) return;
    lost = false;
    onBack();
  };
  connection.on('close', closed);
  connection.on('ready', ready);
  return () => {
    connection.off('close', closed);
    connection.off('ready', ready);
  };
}

/**
 * Once Redis is back after an outage, this process asks for a reconcile: jobs it could not
 * queue meanwhile (scoringDelayed) and jobs a Redis restart lost exist only as PostgreSQL's
 * markers, and waiting for the scheduled reconcile would leave them unscored for up to its
 * interval. `before` runs first (a worker restores its job schedules). Retried a few times, since
 * a connection that has just come back may drop again. Returns a function that stops listening.
 */
export function reconcileWhenRedisReturns(
  connection: Redis,
  producer: JobProducer,
  log: (line: string, error?: unknown) => void,
  before: () => Promise<void> = async () => undefined,
): () => void {
  return onReconnected(connection, () => {
    void (async () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          await before();
          await requestReconcileNow(producer, 'Redis reconnected');
          log('Redis is back: reconcile of every pending rescore queued');
          return;
        } catch (error) {
          if (attempt === 5) log('Redis is back but no reconcile could be queued', error);
          else await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
    })();
  });
}
