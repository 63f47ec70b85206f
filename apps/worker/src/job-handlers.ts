import { trustedWorkspaceId } from '@quorum/persistence';
import type { JobHandlers } from '@quorum/queue';
import { isUuid, type ScoringPipeline } from '@quorum/services';
import { UnrecoverableError } from 'bullmq';

/** A payload that can never succeed fails at once and stays in the failed set for inspection. */
function ids(...values: string[]): void {
  const bad = values.find((v) => typeof v !== 'string' || !isUuid(v));
  if (bad !== undefined)
    throw new UnrecoverableError(`invalid id in job payload: ${JSON.stringify(bad)}`);
}

/**
 * One handler per registered job. Payloads carry ids; handlers re-read current state.
 * Timing and counting are queue-workers.ts's (quorum_jobs_processed_total and
 * quorum_job_duration_seconds, by job name), as is the log context with the job's request id.
 */
export function createJobHandlers(pipeline: ScoringPipeline): JobHandlers {
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    'rescore-contact': async ({ workspaceId, contactId, cause, requestId }) => {
      ids(workspaceId, contactId);
      // The request id goes on to the account job a score change queues.
      await pipeline.rescoreContact(trustedWorkspaceId(workspaceId), contactId, cause, requestId);
    },
    // The request id is in the log context of this job (and of the events it publishes);
    // an account rescore queues no further job to pass it to.
    'rescore-account': async ({ workspaceId, accountId, cause, withContacts }) => {
      ids(workspaceId, accountId);
      await pipeline.rescoreAccount(
        trustedWorkspaceId(workspaceId),
        accountId,
        cause,
        withContacts,
      );
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
