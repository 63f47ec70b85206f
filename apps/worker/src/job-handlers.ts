import { trustedWorkspaceId } from '@quorum/persistence';
import type { JobHandlers } from '@quorum/queue';
import type { LeadScoringService } from '@quorum/services';

/** One handler per registered job. Payloads carry ids; handlers re-read current state. */
export function createJobHandlers(scoring: LeadScoringService): JobHandlers {
  return {
    'rescore-contact': async ({ workspaceId, contactId, cause }) => {
      // A contact erased after the job was queued has nothing left to score.
      await scoring.rescoreContact(trustedWorkspaceId(workspaceId), contactId, cause);
    },
    'rescore-workspace': async ({ workspaceId, cause }) => {
      await scoring.rescoreWorkspace(trustedWorkspaceId(workspaceId), cause);
    },
  };
}
