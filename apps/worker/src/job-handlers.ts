import { withLogContext, type LogContext, type Logger } from '@quorum/observability';
import { trustedWorkspaceId, type WorkspaceId } from '@quorum/persistence';
import { MicroBatcher, QUEUES, type JobHandlers, type QueueName } from '@quorum/queue';
import {
  CONTACTS_PER_JOB,
  isUuid,
  type AccountRescoreRequest,
  type ContactRescoreRequest,
  type ScoringPipeline,
  type TierCutoffService,
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
 * What a batch logs (its events, above all) under: the request id when every job of the
 * batch came from one request, all of them otherwise; not the context of whichever job
 * happened to start the batch.
 */
function batchLogContext(job: string, items: readonly { requestId?: string }[]): LogContext {
  const ids = [...new Set(items.flatMap((i) => (i.requestId ? [i.requestId] : [])))];
  return {
    job,
    queue: QUEUES.scoring,
    jobId: undefined,
    batchSize: items.length,
    requestId: ids.length === 1 ? ids[0] : undefined,
    requestIds: ids.length > 1 ? ids : undefined,
  };
}

/**
 * How many jobs each queue's worker holds at once. On the scoring queue, as many as the
 * running batches hold of single-entity jobs: a held job waits for its batch, not for a
 * connection. (A rescore-contacts job holds up to 1,000 contacts: at most ~200,000 waiting
 * contacts, some 40 MB, with the defaults.)
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
export function createJobHandlers(
  pipeline: ScoringPipeline,
  options: BatchOptions,
  tierCutoffs: TierCutoffService,
  logger?: Pick<Logger, 'info'>,
): JobHandlers {
  const contacts = new MicroBatcher<ContactRescoreRequest & { ws: WorkspaceId }>({
    maxBatch: options.batchSize,
    maxConcurrent: options.concurrency,
    keyOf: (r) => r.ws,
    run: (ws, requests) =>
      withLogContext(batchLogContext('rescore-contacts', requests), async () => {
        await pipeline.rescoreContacts(trustedWorkspaceId(ws), requests);
      }),
  });
  const accounts = new MicroBatcher<AccountRescoreRequest & { ws: WorkspaceId }>({
    maxBatch: options.batchSize,
    maxConcurrent: options.concurrency,
    keyOf: (r) => r.ws,
    run: (ws, requests) =>
      withLogContext(batchLogContext('rescore-account', requests), async () => {
        await pipeline.rescoreAccounts(trustedWorkspaceId(ws), requests);
      }),
  });
  return {
    // A contact or account erased after its job was queued has nothing left to score.
    // The job ends once its contacts are rescored and their accounts rolled up.
    'rescore-contacts': async ({ workspaceId, contactIds, cause, requestId }) => {
      if (!Array.isArray(contactIds) || contactIds.length > CONTACTS_PER_JOB)
        throw new UnrecoverableError(
          `contactIds must be a list of at most ${CONTACTS_PER_JOB} ids in job payload`,
        );
      ids(workspaceId, ...contactIds);
      const ws = trustedWorkspaceId(workspaceId);
      await Promise.all(
        contactIds.map((contactId) =>
          contacts.add({ ws, contactId, cause, requestId, onlyIfMarked: true }),
        ),
      );
    },
    'rescore-contact': async ({ workspaceId, contactId, cause, requestId }) => {
      ids(workspaceId, contactId);
      await contacts.add({ ws: trustedWorkspaceId(workspaceId), contactId, cause, requestId });
    },
    // The request id is in the log context of this job (and of the events it publishes);
    // an account rescore queues no further job to pass it to.
    'rescore-account': async ({ workspaceId, accountId, cause, withContacts, requestId }) => {
      ids(workspaceId, accountId);
      await accounts.add({
        ws: trustedWorkspaceId(workspaceId),
        accountId,
        cause,
        withContacts,
        requestId,
      });
    },
    'backfill-workspace': async ({ workspaceId, backfillId }) => {
      ids(workspaceId, backfillId);
      const ws = trustedWorkspaceId(workspaceId);
      const backfill = await pipeline.runBackfill(ws, backfillId);
      // A new version's tiers set by share are placed as soon as it has scores, not at the
      // next scheduled refresh.
      if (backfill?.status === 'COMPLETED') await tierCutoffs.refresh(ws);
    },
    // A reconcile asked for because Redis or PostgreSQL came back takes every marker (grace 0).
    'reconcile-pending': async ({ graceMs, reason }) => {
      const grace =
        typeof graceMs === 'number' && Number.isFinite(graceMs) && graceMs >= 0
          ? graceMs
          : undefined;
      const queued = await pipeline.reconcile(grace);
      if (reason || queued.contacts + queued.accounts + queued.backfills > 0)
        logger?.info(
          { reason: reason ?? 'schedule', ...queued },
          `reconcile (${reason ?? 'schedule'}) queued ${queued.contacts} contact(s), ${queued.accounts} account(s), ${queued.backfills} backfill(s)`,
        );
    },
    'decay-sweep': async () => {
      await pipeline.decaySweep();
    },
    'refresh-tier-cutoffs': async () => {
      await tierCutoffs.refreshAll();
    },
  };
}
