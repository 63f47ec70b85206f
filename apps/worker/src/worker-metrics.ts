import {
  Counter,
  createMetricsRegistry,
  Histogram,
  LATENCY_BUCKETS,
  type Registry,
} from '@quorum/observability';

/**
 * What a worker process reports at /metrics on its health port. Rescores are jobs: count and
 * time them by `job` (rescore-contacts, rescore-account) in the job metrics.
 */
export interface WorkerMetrics {
  registry: Registry;
  jobsProcessed: Counter<'queue' | 'job' | 'outcome'>;
  /** From when a job became due (queued + delay) to when a worker took it. */
  jobWait: Histogram<'queue' | 'job'>;
  jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  eventsPublished: Counter<'type'>;
}

export function createWorkerMetrics(registry: Registry = createMetricsRegistry()): WorkerMetrics {
  const registers = [registry];
  return {
    registry,
    jobsProcessed: new Counter({
      name: 'quorum_jobs_processed_total',
      help: 'BullMQ jobs this worker finished, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      registers,
    }),
    jobWait: new Histogram({
      name: 'quorum_job_wait_seconds',
      help: 'Time from a job being due to a worker starting it',
      labelNames: ['queue', 'job'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'quorum_job_duration_seconds',
      help: 'Time a worker spent running a job',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    eventsPublished: new Counter({
      name: 'quorum_score_events_published_total',
      help: 'Score events published on Redis pub/sub, by event type',
      labelNames: ['type'],
      registers,
    }),
  };
}
