import { trustedWorkspaceId } from '@quorum/persistence';
import type { JobHandlers } from '@quorum/queue';
import type { ScoringPipeline } from '@quorum/services';

/** One handler per registered job. Payloads carry ids; handlers re-read current state. */
export function createJobHandlers(pipeline: ScoringPipeline): JobHandlers {
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    'rescore-contact': ({ workspaceId, contactId, cause }) =>
      pipeline.rescoreContact(trustedWorkspaceId(workspaceId), contactId, cause),
    'rescore-account': ({ workspaceId, accountId, cause, withContacts }) =>
      pipeline.rescoreAccount(trustedWorkspaceId(workspaceId), accountId, cause, withContacts),
    'rescore-workspace': async ({ workspaceId, cause }) => {
      await pipeline.rescoreWorkspace(trustedWorkspaceId(workspaceId), cause);
    },
  };
}
