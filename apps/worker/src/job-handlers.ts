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

/** One handler per registered job. Payloads carry ids; handlers re-read current state. */
export function createJobHandlers(pipeline: ScoringPipeline): JobHandlers {
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    'rescore-contact': async ({ workspaceId, contactId, cause }) => {
      ids(workspaceId, contactId);
      await pipeline.rescoreContact(trustedWorkspaceId(workspaceId), contactId, cause);
    },
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
