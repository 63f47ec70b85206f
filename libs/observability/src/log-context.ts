import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a request or a job carries (see createLogger's mixin). */
export interface LogContext {
  requestId?: string;
  jobId?: string;
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
