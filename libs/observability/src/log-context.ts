import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a request or a job carries (see createLogger's mixin). */
export interface LogContext {
  requestId?: string;
  /** A batch of jobs from several requests: all of their ids. */
  requestIds?: string[];
  jobId?: string;
  /** Jobs done together in one batch. */
  batchSize?: number;
  job?: string;
  queue?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
