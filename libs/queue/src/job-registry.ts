/**
 * Every queue and job Quorum runs. Names are stored data (they live in Redis keys and
 * in jobs already queued): they are string literals here, never derived from class
 * names, and must not be renamed without a migration of the queued jobs.
 */
export const QUEUES = {
  scoring: 'scoring',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Job name → payload. Payloads carry ids only; handlers re-read current state.
 * `requestId`: the API request that asked for the rescore (for logs only). A deduplicated
 * job keeps the id of the request that queued it.
 */
export interface JobPayloads {
  /**
   * Rescores the contacts (up to 1,000) that one write marked stale; contacts whose marker a
   * rescore has claimed meanwhile are skipped (that rescore saw the write).
   */
  'rescore-contacts': {
    workspaceId: string;
    contactIds: string[];
    cause: string;
    requestId?: string;
  };
  /** One contact (jobs queued before rescore-contacts existed; nothing queues it now). */
  'rescore-contact': { workspaceId: string; contactId: string; cause: string; requestId?: string };
  /** `withContacts`: account attributes changed, so its contacts' fit must be rescored first. */
  'rescore-account': {
    workspaceId: string;
    accountId: string;
    cause: string;
    withContacts: boolean;
    requestId?: string;
  };
  'backfill-workspace': { workspaceId: string; backfillId: string };
  /**
   * Finds stale scores from PostgreSQL's pending markers and queues them: on a schedule, when a
   * worker starts, and when a process sees Redis or PostgreSQL come back (`graceMs: 0`: every
   * marker, however young, since the jobs queued for them may be lost). `reason` is for logs.
   */
  'reconcile-pending': { graceMs?: number; reason?: string };
  /** Rescores scores that decay with time alone (on a schedule). */
  'decay-sweep': Record<string, never>;
  /** Moves the cut-offs of tiers set by share to where the scores now are (on a schedule). */
  'refresh-tier-cutoffs': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [K in JobName]: QueueName } = {
  'rescore-contacts': QUEUES.scoring,
  'rescore-contact': QUEUES.scoring,
  'rescore-account': QUEUES.scoring,
  'backfill-workspace': QUEUES.scoring,
  'reconcile-pending': QUEUES.maintenance,
  'decay-sweep': QUEUES.maintenance,
  'refresh-tier-cutoffs': QUEUES.maintenance,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

export type JobHandlers = {
  [K in JobName]: (
    payload: JobPayloads[K],
    meta: { jobId: string; attempt: number },
  ) => Promise<void>;
};

/** Fails fast at boot when a job has no handler, or a handler has no job. */
export function verifyHandlers(handlers: Record<string, unknown>): void {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !(name in JOB_QUEUE));
  if (missing.length || unknown.length) {
    throw new Error(
      `Job registry mismatch: ${missing.length ? `no handler for ${missing.join(', ')}` : ''}${
        unknown.length ? ` handlers for unknown jobs ${unknown.join(', ')}` : ''
      }`.trim(),
    );
  }
}

export function queuesWithJobs(): QueueName[] {
  return [...new Set(Object.values(JOB_QUEUE))];
}
