import type { Clock } from '@quorum/config';
import {
  backfillProgressEventId,
  type ScoreEventPublisher,
  type ScoringBackfillProgressEvent,
} from '@quorum/events';
import {
  trustedWorkspaceId,
  type Database,
  type ScoringBackfillEntity,
  type WorkspaceId,
} from '@quorum/persistence';
import type { ScoringModelDefinition } from '@quorum/scoring';
import type { AccountScoringService } from './account-scoring.service';
import type { ContactRescore, LeadScoringService } from './lead-scoring.service';
import type { RescoreScheduler } from './rescore-scheduler';

const BACKFILL_CHUNK = 500;
/** Contacts rescored in one transaction when a step rescores many (backfills, account changes). */
const CONTACT_BATCH = 100;
/** Markers younger than this are left to the job that the write itself queued. */
const RECONCILE_GRACE_MS = 10_000;
const RECONCILE_BATCH = 5_000;
const DAY_MS = 86_400_000;

export interface ContactRescoreRequest extends ContactRescore {
  requestId?: string;
}

export interface AccountRescoreRequest {
  accountId: string;
  cause: string;
  withContacts: boolean;
  requestId?: string;
}

/**
 * What the worker runs for each scoring job. A contact whose score moved asks for its
 * account to be rolled up again; events are published after each transaction commits.
 */
export class ScoringPipeline {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly leads: LeadScoringService,
    private readonly accounts: AccountScoringService,
    private readonly schedule: RescoreScheduler,
    private readonly events: ScoreEventPublisher,
    /** Told when an account roll-up failed and was queued instead (for the logs). */
    private readonly onRollUpQueued: (error: unknown, accountIds: string[]) => void = () =>
      undefined,
  ) {}

  /** `requestId`: the request that caused this rescore, passed on to the account job. */
  async rescoreContact(
    ws: WorkspaceId,
    contactId: string,
    cause: string,
    requestId?: string,
  ): Promise<boolean> {
    const [found] = await this.rescoreContacts(ws, [{ contactId, cause, requestId }]);
    return found ?? false;
  }

  /**
   * Rescores a batch of contacts in one transaction and publishes their events, then rolls
   * up at once, in a second transaction, every account whose contacts' scores moved or
   * were marked stale (account engagement reads the contacts' activity too). Rolling up here
   * rather than in a queued job saves a queue hop per change; if the roll-up fails, it is
   * queued instead (its markers are stored either way). Returns, per request, whether its
   * contact still exists.
   */
  async rescoreContacts(
    ws: WorkspaceId,
    requests: readonly ContactRescoreRequest[],
  ): Promise<boolean[]> {
    const results = await this.leads.rescoreContacts(ws, requests);
    // Published while the roll-up runs; the account events go out after (same connection,
    // so in order).
    const published = this.events.publish(results.flatMap((r) => r.events));
    const byContact = new Map(requests.map((r) => [r.contactId, r]));
    // Account → the cause of its roll-up and the request that first asked for it.
    const accounts = new Map<string, { cause: string; requestId?: string }>();
    for (const r of results) {
      const request = byContact.get(r.contactId)!;
      const active = request.cause === 'ACTIVITY';
      if (!r.accountId || !(r.changed || r.marked)) continue;
      const seen = accounts.get(r.accountId);
      if (!seen)
        accounts.set(r.accountId, {
          cause: active ? 'ACTIVITY' : 'CONTACT_SCORE_CHANGED',
          requestId: request.requestId,
        });
      else if (active) seen.cause = 'ACTIVITY';
    }
    if (accounts.size > 0) await this.rollUp(ws, accounts);
    await published;
    const found = new Set(results.map((r) => r.contactId));
    return requests.map((r) => found.has(r.contactId));
  }

  private async rollUp(
    ws: WorkspaceId,
    accounts: Map<string, { cause: string; requestId?: string }>,
  ): Promise<void> {
    const results = await this.accounts
      .rescoreAccounts(
        ws,
        [...accounts].map(([accountId, { cause }]) => ({ accountId, cause })),
      )
      .catch((error: unknown) => {
        this.onRollUpQueued(error, [...accounts.keys()]);
        return null;
      });
    if (!results) {
      const queued = new Map<string, { cause: string; requestId?: string; ids: string[] }>();
      for (const [accountId, { cause, requestId }] of accounts) {
        const key = `${cause} ${requestId ?? ''}`;
        const entry = queued.get(key) ?? { cause, requestId, ids: [] };
        entry.ids.push(accountId);
        queued.set(key, entry);
      }
      for (const { cause, requestId, ids } of queued.values())
        await this.schedule.accounts(ws, ids, cause, false, requestId);
      return;
    }
    await this.events.publish(results.flatMap((r) => r.events));
  }

  /**
   * Rolls up a batch of accounts. Those asked `withContacts` (their attributes changed,
   * which the contacts' fit reads) have all their contacts rescored first, 100 per
   * transaction, then every account of the batch is rolled up in one.
   */
  async rescoreAccounts(
    ws: WorkspaceId,
    requests: readonly AccountRescoreRequest[],
  ): Promise<void> {
    const full = new Map(requests.filter((r) => r.withContacts).map((r) => [r.accountId, r]));
    if (full.size > 0) {
      const contacts = await this.leads.contactsOfAccounts(ws, [...full.keys()]);
      for (let i = 0; i < contacts.length; i += CONTACT_BATCH) {
        const results = await this.leads.rescoreContacts(
          ws,
          contacts.slice(i, i + CONTACT_BATCH).map(({ contactId, accountId }) => ({
            contactId,
            cause: full.get(accountId)!.cause,
          })),
        );
        await this.events.publish(results.flatMap((r) => r.events));
      }
    }
    const results = await this.accounts.rescoreAccounts(ws, requests);
    await this.events.publish(results.flatMap((r) => r.events));
  }

  async rescoreAccount(
    ws: WorkspaceId,
    accountId: string,
    cause: string,
    withContacts: boolean,
  ): Promise<void> {
    await this.rescoreAccounts(ws, [{ accountId, cause, withContacts }]);
  }

  /** Inline full rescore (demo seed, tools): every contact, then every account. */
  async rescoreWorkspace(
    ws: WorkspaceId,
    cause: string,
  ): Promise<{ contacts: number; accounts: number }> {
    const contacts = await this.leads.rescoreWorkspace(ws, cause);
    const accounts = await this.accounts.rescoreAllAccounts(ws, cause);
    return { contacts: contacts.scored, accounts: accounts.scored };
  }

  /**
   * Runs a stored backfill in chunks, saving a cursor after each, so a retried or resumed
   * job continues where the last one stopped and memory stays bounded.
   */
  async runBackfill(ws: WorkspaceId, backfillId: string): Promise<ScoringBackfillEntity | null> {
    const repos = this.db.repos;
    let [backfill] = await repos.pending.findBackfills(ws, [backfillId]);
    if (!backfill || backfill.status === 'COMPLETED') return backfill ?? null;
    if (backfill.status === 'PENDING') {
      const [{ n }] = await this.db.query<{ n: string }[]>(
        ws,
        `SELECT (SELECT count(*) FROM contacts WHERE workspace_id = $1) + (SELECT count(*) FROM accounts WHERE workspace_id = $1) AS n`,
        [ws],
      );
      await repos.pending.updateBackfill(ws, backfillId, {
        status: 'RUNNING',
        total: Number(n),
        startedAt: this.clock.now(),
      });
      [backfill] = await repos.pending.findBackfills(ws, [backfillId]);
    }
    let { phase, cursor, done, failed } = backfill!;
    const total = backfill!.total;
    for (;;) {
      const ids =
        phase === 'CONTACT'
          ? await repos.leadScores.contactIdsAfter(ws, cursor, BACKFILL_CHUNK)
          : await repos.accountScores.accountIdsAfter(ws, cursor, BACKFILL_CHUNK);
      if (ids.length === 0) {
        if (phase === 'ACCOUNT') break;
        phase = 'ACCOUNT';
        cursor = null;
        continue;
      }
      for (let i = 0; i < ids.length; i += CONTACT_BATCH) {
        const outcome = await this.backfillBatch(
          ws,
          phase,
          ids.slice(i, i + CONTACT_BATCH),
          backfill!.cause,
        );
        done += outcome.done;
        failed += outcome.failed;
      }
      cursor = ids[ids.length - 1]!;
      await repos.pending.updateBackfill(ws, backfillId, { phase, cursor, done, failed });
      await this.events.publish([
        progressEvent(ws, backfillId, 'RUNNING', total, done, failed, this.clock.now()),
      ]);
    }
    const status = failed > 0 ? 'FAILED' : 'COMPLETED';
    await repos.pending.updateBackfill(ws, backfillId, {
      status,
      done,
      failed,
      finishedAt: this.clock.now(),
    });
    await this.events.publish([
      progressEvent(ws, backfillId, status, total, done, failed, this.clock.now()),
    ]);
    return (await repos.pending.findBackfills(ws, [backfillId]))[0] ?? null;
  }

  /**
   * One transaction for the batch; if it fails, one per entity, so an entity that cannot
   * be scored is counted as failed alone. Within a backfill the account phase follows, so
   * contacts queue no account roll-ups.
   */
  private async backfillBatch(
    ws: WorkspaceId,
    phase: string,
    ids: string[],
    cause: string,
  ): Promise<{ done: number; failed: number }> {
    const rescore = async (batch: string[]) => {
      const requests = batch.map((id) =>
        phase === 'CONTACT' ? { contactId: id, cause } : { accountId: id, cause },
      );
      const results =
        phase === 'CONTACT'
          ? await this.leads.rescoreContacts(ws, requests as { contactId: string; cause: string }[])
          : await this.accounts.rescoreAccounts(
              ws,
              requests as { accountId: string; cause: string }[],
            );
      await this.events.publish(results.flatMap((r) => r.events));
    };
    try {
      await rescore(ids);
      return { done: ids.length, failed: 0 };
    } catch {
      let failed = 0;
      for (const id of ids) await rescore([id]).catch(() => (failed += 1));
      return { done: ids.length - failed, failed };
    }
  }

  /**
   * PostgreSQL remembers every stale score (pending markers) and every unfinished backfill;
   * this queues them again. It runs on a schedule and when a worker starts, so a flushed
   * Redis or a lost job only delays scoring.
   */
  async reconcile(
    graceMs = RECONCILE_GRACE_MS,
  ): Promise<{ contacts: number; accounts: number; backfills: number }> {
    const stale = await this.db.system.stalePendingRescores(graceMs, RECONCILE_BATCH);
    const byWorkspace = new Map<string, { CONTACT: string[]; ACCOUNT: string[] }>();
    for (const p of stale) {
      const entry = byWorkspace.get(p.workspaceId) ?? { CONTACT: [], ACCOUNT: [] };
      entry[p.entityType].push(p.entityId);
      byWorkspace.set(p.workspaceId, entry);
    }
    let contacts = 0;
    let accounts = 0;
    for (const [workspaceId, ids] of byWorkspace) {
      const ws = trustedWorkspaceId(workspaceId);
      for (let i = 0; i < ids.CONTACT.length; i += 1000) {
        const chunk = ids.CONTACT.slice(i, i + 1000);
        if (await this.schedule.contacts(ws, chunk, 'RECONCILED')) contacts += chunk.length;
      }
      for (let i = 0; i < ids.ACCOUNT.length; i += 1000) {
        const chunk = ids.ACCOUNT.slice(i, i + 1000);
        if (await this.schedule.accounts(ws, chunk, 'RECONCILED')) accounts += chunk.length;
      }
    }
    let backfills = 0;
    for (const b of await this.db.system.unfinishedBackfills()) {
      if (await this.schedule.backfill(trustedWorkspaceId(b.workspaceId), b.id)) backfills += 1;
    }
    // Counts what was queued: markers that could not be queued stay for the next run.
    return { contacts, accounts, backfills };
  }

  /**
   * Scores change with time alone (decay, inactivity, recency, overrides that expire):
   * marks and queues every contact and account whose last activity is within the
   * horizon where time can still move its score.
   */
  async decaySweep(): Promise<{ contacts: number; accounts: number }> {
    const now = this.clock.now();
    let contacts = 0;
    let accounts = 0;
    for (const workspaceId of await this.db.system.workspacesWithActiveModel()) {
      const ws = trustedWorkspaceId(workspaceId);
      const model = await this.db.repos.models.findActive(ws);
      if (!model) continue;
      const since = new Date(
        now.getTime() -
          decayHorizonDays(model.definition as unknown as ScoringModelDefinition) * DAY_MS,
      );
      const contactIds = (
        await this.db.query<{ contact_id: string }[]>(
          ws,
          'SELECT contact_id FROM lead_scores WHERE workspace_id = $1 AND last_activity_at > $2',
          [ws, since],
        )
      ).map((r) => r.contact_id);
      const accountIds = (
        await this.db.query<{ account_id: string }[]>(
          ws,
          'SELECT account_id FROM account_scores WHERE workspace_id = $1 AND last_activity_at > $2',
          [ws, since],
        )
      ).map((r) => r.account_id);
      for (let i = 0; i < contactIds.length; i += 1000) {
        const chunk = contactIds.slice(i, i + 1000);
        await this.db.repos.pending.mark(ws, 'CONTACT', chunk);
        await this.schedule.contacts(ws, chunk, 'DECAY');
      }
      for (let i = 0; i < accountIds.length; i += 1000) {
        const chunk = accountIds.slice(i, i + 1000);
        await this.db.repos.pending.mark(ws, 'ACCOUNT', chunk);
        await this.schedule.accounts(ws, chunk, 'DECAY');
      }
      contacts += contactIds.length;
      accounts += accountIds.length;
    }
    return { contacts, accounts };
  }
}

/** How far back an activity can still change a score as time passes, in days. */
export function decayHorizonDays(model: ScoringModelDefinition): number {
  const windows = [
    model.engagement.lookbackDays ?? 365,
    ...model.negative.rules.flatMap((r) => (r.kind === 'INACTIVITY' ? [r.inactiveDays + 1] : [])),
    ...model.engagement.rules.flatMap((r) => (r.overrideDays ? [r.overrideDays + 1] : [])),
    model.account?.intent.lookbackDays ?? 365,
    model.account?.committee.windowDays ?? 0,
    35,
  ];
  return Math.max(...windows);
}

function progressEvent(
  ws: WorkspaceId,
  backfillId: string,
  status: string,
  total: number,
  done: number,
  failed: number,
  at: Date,
): ScoringBackfillProgressEvent {
  return {
    type: 'SCORING_BACKFILL_PROGRESS',
    eventId: backfillProgressEventId(backfillId, status, done, failed),
    workspaceId: ws,
    backfillId,
    status,
    total,
    done,
    failed,
    at: at.toISOString(),
  };
}
