import type { Clock } from '@quorum/config';
import type { ScoreEvent } from '@quorum/events';
import type {
  AccountScoreEntity,
  Database,
  Repositories,
  ScoringModelVersionEntity,
  WorkspaceId,
} from '@quorum/persistence';
import { scoreAccount, type AccountScore } from '@quorum/scoring';
import { NotFoundError } from './errors';
import { rescoreAll } from './rescore-all';
import { accountFacts, activityFacts, modelOf } from './lead-scoring.service';

const VELOCITY_WINDOW_MS = 35 * 86_400_000;

export interface AccountRescoreResult {
  /** What to publish once the transaction has committed. */
  events: ScoreEvent[];
  accountId: string;
  previous: { total: number; tier: string } | null;
  score: AccountScore;
  changed: boolean;
}

/** Rolls the stored lead scores of an account up into its account and buying-group scores. */
export class AccountScoringService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Idempotent: the same state gives the same stored score, and history is appended only
   * when the total or tier moved. Concurrent rescores of one account serialise on its row.
   */
  rescoreAccount(
    ws: WorkspaceId,
    accountId: string,
    cause: string,
  ): Promise<AccountRescoreResult | null> {
    return this.db.transaction(ws, async (repos) => {
      const locked = await repos.manager.query(
        'SELECT id FROM accounts WHERE workspace_id = $1 AND id = $2 FOR NO KEY UPDATE',
        [ws, accountId],
      );
      await repos.pending.claim(ws, 'ACCOUNT', accountId);
      if (locked.length === 0) return null;
      return this.rescoreLocked(repos, ws, accountId, cause);
    });
  }

  private async rescoreLocked(
    repos: Repositories,
    ws: WorkspaceId,
    accountId: string,
    cause: string,
  ): Promise<AccountRescoreResult> {
    const now = this.clock.now();
    const version = await repos.models.findActive(ws);
    if (!version) throw new NotFoundError('ActiveScoringModel', ws);
    const score = await this.compute(repos, ws, accountId, version, now);
    const [stored] = await repos.accountScores.findByAccountIds(ws, [accountId]);
    const previous = stored ? { total: stored.total, tier: stored.tier } : null;
    const changed =
      !stored ||
      stored.total !== score.total ||
      stored.tier !== score.tier ||
      stored.modelVersionId !== version.id;
    if (!stored || changed || !sameAccountScore(stored, score)) {
      await repos.accountScores.upsert(ws, {
        accountId,
        modelVersionId: version.id,
        fit: score.fit,
        rollup: score.rollup,
        committee: score.committee,
        intent: score.intent,
        engagement: score.engagement,
        total: score.total,
        tier: score.tier,
        quadrant: score.quadrant,
        action: score.action,
        engagedContacts: score.signals.engagedContacts,
        coverage: score.signals.coverage,
        decisionMakerEngaged: score.signals.decisionMakerEngaged,
        surging: score.signals.velocity.surging,
        signals: score.signals as unknown as Record<string, unknown>,
        reasons: score.reasons,
        lastActivityAt: score.signals.lastActivityAt,
        computedAt: now,
      });
    }
    const events: ScoreEvent[] = [];
    if (changed) {
      const historyId = await repos.accountScores.insertHistory(ws, {
        accountId,
        modelVersionId: version.id,
        oldTotal: previous?.total ?? null,
        newTotal: score.total,
        oldTier: previous?.tier ?? null,
        newTier: score.tier,
        cause,
        at: now,
        reasons: score.reasons,
      });
      events.push({
        type: 'ACCOUNT_SCORE_CHANGED',
        eventId: `account:${historyId}`,
        workspaceId: ws,
        at: now.toISOString(),
        cause,
        modelVersionId: version.id,
        accountId,
        old: previous,
        new: { total: score.total, tier: score.tier, fit: score.fit, engagement: score.engagement },
        reasons: score.reasons,
      });
    }
    await repos.accountScores.upsertBuyingGroupScores(
      ws,
      score.buyingGroups.map((g) => ({
        buyingGroupId: g.id,
        accountId,
        engagement: g.engagement,
        completeness: g.completeness,
        engagedCompleteness: g.engagedCompleteness,
        missingRoles: g.missingRoles,
        engagedRoles: g.engagedRoles,
        members: g.members,
        computedAt: now,
      })),
    );
    return { accountId, previous, score, changed, events };
  }

  /** Scores an account from what is stored now, writing nothing. */
  async compute(
    repos: Repositories,
    ws: WorkspaceId,
    accountId: string,
    version: Pick<ScoringModelVersionEntity, 'id' | 'status' | 'definition'>,
    now: Date,
  ): Promise<AccountScore> {
    const [account] = await repos.accounts.findByIds(ws, [accountId]);
    if (!account) throw new NotFoundError('Account', accountId, 'accountId');
    const contactRows: {
      contact_id: string;
      total: number | null;
      engagement: number | null;
      last_activity_at: Date | null;
    }[] = await repos.manager.query(
      `SELECT c.id AS contact_id, s.total, s.engagement, s.last_activity_at
         FROM contacts c LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
         WHERE c.workspace_id = $1 AND c.account_id = $2`,
      [ws, accountId],
    );
    const groups = await repos.buyingGroups.findByAccountIds(ws, [accountId]);
    const members = await repos.buyingGroups.membersOf(
      ws,
      groups.map((g) => g.id),
    );
    const accountActivities = await repos.activities.accountLevel(ws, accountId);
    const times = await repos.activities.contactActivityTimes(
      ws,
      accountId,
      new Date(now.getTime() - VELOCITY_WINDOW_MS),
    );
    return scoreAccount(
      modelOf(version),
      accountFacts(account)!,
      contactRows.map((r) => ({
        contactId: r.contact_id,
        total: r.total ?? 0,
        engagement: r.engagement ?? 0,
        lastActivityAt: r.last_activity_at,
      })),
      groups.map((g) => ({
        id: g.id,
        name: g.name,
        requiredRoles: g.requiredRoles,
        members: members
          .filter((m) => m.buyingGroupId === g.id)
          .map((m) => ({ contactId: m.contactId, role: m.role })),
      })),
      accountActivities.map(activityFacts),
      times,
      now,
    );
  }

  /** Rescores every account of a workspace in chunks, each account in its own transaction. */
  rescoreAllAccounts(
    ws: WorkspaceId,
    cause: string,
    chunkSize = 500,
  ): Promise<{ scored: number; changed: number }> {
    return rescoreAll(
      (after, limit) => this.db.repos.accountScores.accountIdsAfter(ws, after, limit),
      (id) => this.rescoreAccount(ws, id, cause),
      chunkSize,
    );
  }
}

function sameAccountScore(stored: AccountScoreEntity, score: AccountScore): boolean {
  return (
    stored.fit === score.fit &&
    stored.rollup === score.rollup &&
    stored.committee === score.committee &&
    stored.intent === score.intent &&
    stored.quadrant === score.quadrant &&
    JSON.stringify(stored.reasons) === JSON.stringify(score.reasons) &&
    JSON.stringify(stored.signals) === JSON.stringify(JSON.parse(JSON.stringify(score.signals)))
  );
}
