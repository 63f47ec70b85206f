import { trustedWorkspaceId } from '@quorum/persistence';
import type { JobHandlers } from '@quorum/queue';
import { isUuid, type ScoringPipeline } from '@quorum/services';
import { UnrecoverableError } from 'bullmq';
import type { RescoreKind, WorkerMetrics } from './worker-metrics';

/** A payload that can never succeed fails at once and stays in the failed set for inspection. */
function ids(...values: string[]): void {
  const bad = values.find((v) => typeof v !== 'string' || !isUuid(v));
  if (bad !== undefined)
    throw new UnrecoverableError(`invalid id in job payload: ${JSON.stringify(bad)}`);
}

/** One handler per registered job. Payloads carry ids; handlers re-read current state. */
export function createJobHandlers(pipeline: ScoringPipeline, metrics?: WorkerMetrics): JobHandlers {
  const timed = async (kind: RescoreKind, work: () => Promise<unknown>): Promise<void> => {
    if (!metrics) {
      await work();
      return;
    }
    const end = metrics.rescoreDuration.startTimer({ kind });
    try {
      await work();
      end({ outcome: 'success' });
      metrics.rescores.inc({ kind, outcome: 'success' });
    } catch (error) {
      end({ outcome: 'error' });
      metrics.rescores.inc({ kind, outcome: 'error' });
      throw error;
    }
  };
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    'rescore-contact': async ({ workspaceId, contactId, cause, requestId }) => {
      ids(workspaceId, contactId);
      await timed('contact', () =>
        pipeline.rescoreContact(trustedWorkspaceId(workspaceId), contactId, cause, requestId),
      );
    },
    'rescore-account': async ({ workspaceId, accountId, cause, withContacts }) => {
      ids(workspaceId, accountId);
      await timed('account', () =>
        pipeline.rescoreAccount(trustedWorkspaceId(workspaceId), accountId, cause, withContacts),
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
