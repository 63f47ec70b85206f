import { trustedWorkspaceId, type WorkspaceId } from '@quorum/persistence';
import { MicroBatcher, QUEUES, type JobHandlers, type QueueName } from '@quorum/queue';
import {
  isUuid,
  type AccountRescoreRequest,
  type ContactRescoreRequest,
  type ScoringPipeline,
} from '@quorum/services';
import { UnrecoverableError } from 'bullmq';

/** A payload that can never succeed fails at once and stays in the failed set for inspection. */
function ids(...values: string[]): void {
  const bad = values.find((v) => typeof v !== 'string' || !isUuid(v));
  if (bad !== undefined)
    throw new UnrecoverableError(`invalid id in job payload: ${JSON.stringify(bad)}`);
}

export interface BatchOptions {
  /** The most contacts (or accounts) one transaction rescores. */
  batchSize: number;
  /** Rescore transactions of each kind (contacts, accounts) in flight at once. */
  concurrency: number;
}

/**
 * How many jobs each queue's worker holds at once: on the scoring queue enough to fill
 * every batch (a held job waits for its batch, not for a connection).
 */
export function queueConcurrency(options: BatchOptions): Record<QueueName, number> {
  return {
    [QUEUES.scoring]: options.batchSize * options.concurrency,
    [QUEUES.maintenance]: options.concurrency,
  };
}

/**
 * One handler per registered job. Payloads carry ids; handlers re-read current state.
 * Timing and counting are queue-workers.ts's (quorum_jobs_processed_total and
 * quorum_job_duration_seconds, by job name), as is the log context with the job's request id.
 *
 * Rescore jobs go through micro-batchers: the jobs the worker holds while a rescore
 * transaction runs are rescored together in the next one. Each job still completes (or
 * fails and is retried) on its own; a batch that fails is retried one job at a time.
 */
export function createJobHandlers(pipeline: ScoringPipeline, options: BatchOptions): JobHandlers {
  const contacts = new MicroBatcher<ContactRescoreRequest & { ws: WorkspaceId }>({
    maxBatch: options.batchSize,
    maxConcurrent: options.concurrency,
    keyOf: (r) => r.ws,
    run: async (ws, requests) => {
      await pipeline.rescoreContacts(trustedWorkspaceId(ws), requests);
    },
  });
  const accounts = new MicroBatcher<AccountRescoreRequest & { ws: WorkspaceId }>({
    maxBatch: options.batchSize,
    maxConcurrent: options.concurrency,
    keyOf: (r) => r.ws,
    run: async (ws, requests) => {
      await pipeline.rescoreAccounts(trustedWorkspaceId(ws), requests);
    },
  });
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    'rescore-contact': async ({ workspaceId, contactId, cause, requestId }) => {
      ids(workspaceId, contactId);
      // The request id goes on to the account job a score change queues.
      await contacts.add({ ws: trustedWorkspaceId(workspaceId), contactId, cause, requestId });
    },
    // The request id is in the log context of this job (and of the events it publishes);
    // an account rescore queues no further job to pass it to.
    'rescore-account': async ({ workspaceId, accountId, cause, withContacts }) => {
      ids(workspaceId, accountId);
      await accounts.add({ ws: trustedWorkspaceId(workspaceId), accountId, cause, withContacts });
    },
    'backfill-workspace': async ({ workspaceId, backfillId }) => {
      ids(workspaceId, backfillId);
      await pipeline.runBackfill(trustedWorkspaceId(workspaceId), backfillId);
    },
    'reconcile-pending': async () => {
      await pipeline.reconcile();
    },
    'decay-sweep': async () => {
      await pipeline.decaySweep();
    },
  };
}
