import type { WorkspaceId } from '@quorum/persistence';
import type { JobProducer } from '@quorum/queue';

/** Asks for contacts, accounts or a whole workspace to be rescored. */
export interface RescoreScheduler {
  /**
   * Returns false when the request could not be queued (scoring is delayed, not lost).
   * `requestId` travels in the job for logs: the worker logs the job and its events with it.
   */
  contacts(
    ws: WorkspaceId,
    contactIds: readonly string[],
    cause: string,
    requestId?: string,
  ): Promise<boolean>;
  accounts(
    ws: WorkspaceId,
    accountIds: readonly string[],
    cause: string,
    withContacts?: boolean,
    requestId?: string,
  ): Promise<boolean>;
  /** Runs (or resumes) a stored backfill: every contact, then every account. */
  backfill(ws: WorkspaceId, backfillId: string): Promise<boolean>;
}

/** For tools that score inline themselves (the demo seed) and need no queue. */
export const NO_RESCORE: RescoreScheduler = {
  contacts: async () => true,
  accounts: async () => true,
  backfill: async () => true,
};

/** Contacts per rescore-contacts job. */
export const CONTACTS_PER_JOB = 1_000;

/**
 * Contacts are queued as one job per write (per 1,000 contacts), not one per contact: the
 * worker batches them anyway, and a job per contact cost more in Redis and in the worker
 * than the rescore itself. A contact in several jobs is rescored once if the jobs meet in
 * one batch, and skipped by the later ones otherwise (its marker is gone: the rescore that
 * claimed it read the writes). An account keeps one debounced job (a burst of
 * account-level activity becomes one roll-up); while it waits, further requests are
 * absorbed by it, and while it runs BullMQ keeps exactly one follow-up (keepLastIfActive).
 * A job's request id is the request that queued it (for a deduplicated account job, the
 * first of its burst).
 */
export class QueuedRescoreScheduler implements RescoreScheduler {
  constructor(
    private readonly producer: JobProducer,
    private readonly delayMs = 20,
  ) {}

  async contacts(
    ws: WorkspaceId,
    contactIds: readonly string[],
    cause: string,
    requestId?: string,
  ): Promise<boolean> {
    try {
      const ids = [...new Set(contactIds)];
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += CONTACTS_PER_JOB)
        chunks.push(ids.slice(i, i + CONTACTS_PER_JOB));
      await Promise.all(
        chunks.map((chunk) =>
          this.producer.enqueue(
            'rescore-contacts',
            { workspaceId: ws, contactIds: chunk, cause, ...(requestId && { requestId }) },
            // Their payloads are larger: keep fewer of them once done.
            { removeOnComplete: { age: 3_600, count: 1_000 } },
          ),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Debounced per account: a burst of changes becomes one account rescore. */
  async accounts(
    ws: WorkspaceId,
    accountIds: readonly string[],
    cause: string,
    withContacts = false,
    requestId?: string,
  ): Promise<boolean> {
    try {
      await Promise.all(
        accountIds.map((accountId) =>
          this.producer.enqueue(
            'rescore-account',
            { workspaceId: ws, accountId, cause, withContacts, ...(requestId && { requestId }) },
            {
              delay: this.delayMs * 2,
              deduplication: {
                id: `rescore-account-${ws}-${accountId}${withContacts ? '-full' : ''}`,
                keepLastIfActive: true,
              },
            },
          ),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** The job id is the backfill's, so a backfill is never queued twice. */
  async backfill(ws: WorkspaceId, backfillId: string): Promise<boolean> {
    try {
      await this.producer.enqueueOnce(
        'backfill-workspace',
        { workspaceId: ws, backfillId },
        `backfill-${backfillId}`,
      );
      return true;
    } catch {
      return false;
    }
  }
}
