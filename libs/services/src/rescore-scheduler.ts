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

/**
 * A burst of activity for one contact becomes one rescore: while a contact's job waits,
 * further requests are absorbed by it (it reads the latest state when it runs); while it
 * runs, BullMQ keeps exactly one follow-up job (keepLastIfActive), so a change committed
 * during a rescore is never missed and never queued twice. At most two jobs per contact.
 * So the request id a job carries is that of the first request of a burst (or, for the
 * follow-up, of the last request made while the rescore ran).
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
      await Promise.all(
        contactIds.map((contactId) =>
          this.producer.enqueue(
            'rescore-contact',
            { workspaceId: ws, contactId, cause, ...(requestId && { requestId }) },
            {
              delay: this.delayMs,
              deduplication: { id: `rescore-contact-${ws}-${contactId}`, keepLastIfActive: true },
            },
          ),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Debounced per account: a burst of contact changes becomes one account rescore. */
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
