import { isDatabaseUnavailable } from '@quorum/persistence';

export const PROBE_EVERY_MS = 500;

export interface PostgresRecoveryWatch {
  /** Tell it about a failure; one that says PostgreSQL is unreachable starts the watch. */
  noteError(error: unknown): void;
  stop(): void;
}

/**
 * Jobs that fail while PostgreSQL is down are retried with backoff and may run out of attempts;
 * their markers stay in PostgreSQL, but only a reconcile finds them again. So once a failure
 * says PostgreSQL is unreachable, this probes it every `everyMs` and, as soon as it answers,
 * calls `onBack` (which queues a reconcile): scoring catches up within moments of the restart
 * instead of at the next scheduled reconcile. It probes only while PostgreSQL is down.
 */
export function watchPostgresRecovery(options: {
  probe: () => Promise<unknown>;
  onBack: () => Promise<void>;
  log: (line: string, error?: unknown) => void;
  everyMs?: number;
}): PostgresRecoveryWatch {
  const everyMs = options.everyMs ?? PROBE_EVERY_MS;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let since = 0;

  const check = async () => {
    timer = null;
    if (stopped) return;
    try {
      await options.probe();
    } catch {
      timer = setTimeout(() => void check(), everyMs);
      timer.unref();
      return;
    }
    options.log(`PostgreSQL answers again after ${Date.now() - since} ms: reconciling`);
    since = 0;
    try {
      await options.onBack();
    } catch (error) {
      options.log('PostgreSQL is back but no reconcile could be queued', error);
    }
  };

  return {
    noteError(error) {
      if (stopped || since !== 0 || !isDatabaseUnavailable(error)) return;
      since = Date.now();
      options.log('PostgreSQL unreachable: watching for it to come back', error);
      timer = setTimeout(() => void check(), everyMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
