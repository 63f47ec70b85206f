import type { EntityManager } from 'typeorm';
import { AccountScoreHistoryEntity } from '../entities/account-score-history.entity';
import { AccountScoreEntity } from '../entities/account-score.entity';
import { BuyingGroupScoreEntity } from '../entities/buying-group-score.entity';
import { keysetSql, NEWEST_FIRST, toPage, type Page, type PageRequest } from '../keyset';
import { preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';
import { storedTotalsBy, type StoredTotal } from './scoring.repository';

export type AccountScoreWrite = Omit<
  AccountScoreEntity,
  'workspaceId' | 'account' | 'tierSince' | 'scoreChange'
>;
export type BuyingGroupScoreWrite = Omit<BuyingGroupScoreEntity, 'workspaceId' | 'buyingGroup'>;

export interface TrendPoint {
  bucket: Date;
  total: number;
  tier: string;
}

/** Current account and buying-group scores, and the account score history. */
export class AccountScoreRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByAccountIds(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): Promise<AccountScoreEntity[]> {
    if (accountIds.length === 0) return [];
    return runQuery(this.manager, this.byAccountIdsRead(ws, accountIds));
  }

  byAccountIdsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<AccountScoreEntity[]> {
    return preparedQuery(
      'SELECT * FROM account_scores WHERE workspace_id = $1 AND account_id = ANY($2::uuid[])',
      [ws, accountIds],
      (rows) => mapRows(this.manager, AccountScoreEntity, rows),
    );
  }

  /** The stored total, tier and model version of each account (not the reasons: see `upsert`). */
  storedTotalsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<Map<string, StoredTotal>> {
    return preparedQuery(
      `SELECT account_id, total, tier, model_version_id FROM account_scores
       WHERE workspace_id = $1 AND account_id = ANY($2::uuid[])`,
      [ws, accountIds],
      (rows) => storedTotalsBy(rows, 'account_id'),
    );
  }

  /**
   * Stores the scores of a batch of accounts and appends history for those in `history`
   * (whose total, tier or model moved), in one statement; returns each such account's new
   * history id. History takes the new total, tier, model and reasons from the rows just
   * written. A stored score equal to the new one in everything but `computed_at` is left as
   * it is.
   */
  async store(
    ws: WorkspaceId,
    scores: readonly AccountScoreWrite[],
    history: readonly Pick<
      AccountScoreHistoryEntity,
      'accountId' | 'oldTotal' | 'oldTier' | 'cause' | 'at'
    >[],
  ): Promise<Map<string, string>> {
    if (scores.length === 0) return new Map();
    const rows: { id: string; account_id: string }[] = await this.manager.query(
      `WITH stored AS (
       INSERT INTO account_scores (workspace_id, account_id, model_version_id, fit, rollup, committee, intent,
         engagement, total, tier, quadrant, action, engaged_contacts, coverage, decision_maker_engaged, surging,
         signals, reasons, last_activity_at, computed_at, tier_since, score_change)
       SELECT $1, x.account_id, x.model_version_id, x.fit, x.rollup, x.committee, x.intent, x.engagement,
         x.total, x.tier, x.quadrant, x.action, x.engaged_contacts, x.coverage, x.decision_maker_engaged,
         x.surging, x.signals, x.reasons, x.last_activity_at, x.computed_at, x.computed_at, x.total
       FROM jsonb_to_recordset($2::jsonb) AS x(account_id uuid, model_version_id uuid, fit double precision,
         rollup double precision, committee double precision, intent double precision,
         engagement double precision, total double precision, tier text, quadrant text, action text,
         engaged_contacts integer, coverage double precision, decision_maker_engaged boolean, surging boolean,
         signals jsonb, reasons jsonb, last_activity_at timestamptz, computed_at timestamptz)
       ORDER BY x.account_id
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         model_version_id = EXCLUDED.model_version_id, fit = EXCLUDED.fit, rollup = EXCLUDED.rollup,
         committee = EXCLUDED.committee, intent = EXCLUDED.intent, engagement = EXCLUDED.engagement,
         total = EXCLUDED.total, tier = EXCLUDED.tier, quadrant = EXCLUDED.quadrant, action = EXCLUDED.action,
         engaged_contacts = EXCLUDED.engaged_contacts, coverage = EXCLUDED.coverage,
         decision_maker_engaged = EXCLUDED.decision_maker_engaged, surging = EXCLUDED.surging,
         signals = EXCLUDED.signals, reasons = EXCLUDED.reasons, last_activity_at = EXCLUDED.last_activity_at,
         computed_at = EXCLUDED.computed_at,
         tier_since = CASE WHEN account_scores.tier = EXCLUDED.tier THEN account_scores.tier_since ELSE EXCLUDED.computed_at END,
         score_change = CASE WHEN account_scores.total = EXCLUDED.total THEN account_scores.score_change
                             ELSE EXCLUDED.total - account_scores.total END
       WHERE (account_scores.model_version_id, account_scores.fit, account_scores.rollup, account_scores.committee,
              account_scores.intent, account_scores.engagement, account_scores.total, account_scores.tier,
              account_scores.quadrant, account_scores.action, account_scores.engaged_contacts,
              account_scores.coverage, account_scores.decision_maker_engaged, account_scores.surging,
              account_scores.signals, account_scores.reasons, account_scores.last_activity_at)
         IS DISTINCT FROM (EXCLUDED.model_version_id, EXCLUDED.fit, EXCLUDED.rollup, EXCLUDED.committee,
              EXCLUDED.intent, EXCLUDED.engagement, EXCLUDED.total, EXCLUDED.tier, EXCLUDED.quadrant,
              EXCLUDED.action, EXCLUDED.engaged_contacts, EXCLUDED.coverage, EXCLUDED.decision_maker_engaged,
              EXCLUDED.surging, EXCLUDED.signals, EXCLUDED.reasons, EXCLUDED.last_activity_at)
       RETURNING account_id, model_version_id, total, tier, reasons)
       INSERT INTO account_score_history (workspace_id, account_id, model_version_id, old_total, new_total,
         old_tier, new_tier, cause, at, reasons)
       SELECT $1, s.account_id, s.model_version_id, h.old_total, s.total, h.old_tier, s.tier, h.cause, h.at,
         s.reasons
       FROM jsonb_to_recordset($3::jsonb) AS h(account_id uuid, old_total double precision, old_tier text,
         cause text, at timestamptz)
       JOIN stored s ON s.account_id = h.account_id
       RETURNING id, account_id`,
      [
        ws,
        JSON.stringify(
          scores.map((s) => ({
            account_id: s.accountId,
            model_version_id: s.modelVersionId,
            fit: s.fit,
            rollup: s.rollup,
            committee: s.committee,
            intent: s.intent,
            engagement: s.engagement,
            total: s.total,
            tier: s.tier,
            quadrant: s.quadrant,
            action: s.action,
            engaged_contacts: s.engagedContacts,
            coverage: s.coverage,
            decision_maker_engaged: s.decisionMakerEngaged,
            surging: s.surging,
            signals: s.signals,
            reasons: s.reasons,
            last_activity_at: s.lastActivityAt?.toISOString() ?? null,
            computed_at: s.computedAt.toISOString(),
          })),
        ),
        JSON.stringify(
          history.map((h) => ({
            account_id: h.accountId,
            old_total: h.oldTotal,
            old_tier: h.oldTier,
            cause: h.cause,
            at: h.at.toISOString(),
          })),
        ),
      ],
    );
    return new Map(rows.map((r) => [r.account_id, String(r.id)]));
  }

  async historyOf(
    ws: WorkspaceId,
    accountId: string,
    page: PageRequest,
  ): Promise<Page<AccountScoreHistoryEntity>> {
    const k = keysetSql(NEWEST_FIRST, page, 3);
    const rows = await this.manager.query(
      `SELECT * FROM account_score_history WHERE workspace_id = $1 AND account_id = $2
       ${k.where ? `AND ${k.where}` : ''} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [ws, accountId, ...k.params],
    );
    return toPage(mapRows(this.manager, AccountScoreHistoryEntity, rows), page.first);
  }

  async countHistory(ws: WorkspaceId, accountId: string): Promise<number> {
    const [row] = await this.manager.query(
      'SELECT count(*)::int AS n FROM account_score_history WHERE workspace_id = $1 AND account_id = $2',
      [ws, accountId],
    );
    return row.n;
  }

  /** The last total of each bucket between from and to, carried forward from before `from`. */
  async trend(
    ws: WorkspaceId,
    accountId: string,
    from: Date,
    to: Date,
    bucket: 'day' | 'week',
  ): Promise<TrendPoint[]> {
    const rows: { bucket: Date; total: number | null; tier: string | null }[] =
      await this.manager.query(
        `WITH buckets AS (
         SELECT generate_series(date_trunc($5, $3::timestamptz), date_trunc($5, $4::timestamptz), ('1 ' || $5)::interval) AS bucket
       )
       SELECT b.bucket, h.new_total AS total, h.new_tier AS tier
       FROM buckets b
       LEFT JOIN LATERAL (
         SELECT new_total, new_tier FROM account_score_history
         WHERE workspace_id = $1 AND account_id = $2 AND at < b.bucket + ('1 ' || $5)::interval
         ORDER BY at DESC, id DESC LIMIT 1
       ) h ON true
       ORDER BY b.bucket`,
        [ws, accountId, from, to, bucket],
      );
    return rows
      .filter((r) => r.total !== null)
      .map((r) => ({ bucket: r.bucket, total: r.total!, tier: r.tier! }));
  }

  /** Accounts whose total moved most since `since`, comparing now with the last total before it. */
  async movers(ws: WorkspaceId, since: Date, direction: 'UP' | 'DOWN', limit: number) {
    const rows: { account_id: string; previous: number | null; total: number; delta: number }[] =
      await this.manager.query(
        `SELECT s.account_id, prev.new_total AS previous, s.total, s.total - coalesce(prev.new_total, 0) AS delta
       FROM account_scores s
       LEFT JOIN LATERAL (
         SELECT new_total FROM account_score_history h
         WHERE h.workspace_id = s.workspace_id AND h.account_id = s.account_id AND h.at < $2
         ORDER BY at DESC, id DESC LIMIT 1
       ) prev ON true
       WHERE s.workspace_id = $1
         AND EXISTS (SELECT 1 FROM account_score_history h2 WHERE h2.workspace_id = s.workspace_id
                     AND h2.account_id = s.account_id AND h2.at >= $2)
         AND s.total ${direction === 'UP' ? '>' : '<'} coalesce(prev.new_total, 0)
       ORDER BY delta ${direction === 'UP' ? 'DESC' : 'ASC'}, s.account_id LIMIT $3`,
        [ws, since, limit],
      );
    return rows.map((r) => ({
      accountId: r.account_id,
      previousTotal: r.previous,
      total: r.total,
      delta: r.delta,
    }));
  }

  async tierDistribution(
    ws: WorkspaceId,
    entity: 'ACCOUNT' | 'CONTACT',
  ): Promise<{ tier: string; count: number }[]> {
    const table = entity === 'ACCOUNT' ? 'account_scores' : 'lead_scores';
    return this.manager.query(
      `SELECT tier, count(*)::int AS count FROM ${table} WHERE workspace_id = $1 GROUP BY tier ORDER BY count DESC, tier`,
      [ws],
    );
  }

  async upsertBuyingGroupScores(
    ws: WorkspaceId,
    scores: readonly BuyingGroupScoreWrite[],
  ): Promise<void> {
    if (scores.length === 0) return;
    await this.manager.query(
      `INSERT INTO buying_group_scores (workspace_id, buying_group_id, account_id, engagement, completeness,
         engaged_completeness, missing_roles, engaged_roles, members, computed_at)
       SELECT $1, x.buying_group_id, x.account_id, x.engagement, x.completeness, x.engaged_completeness,
         x.missing_roles, x.engaged_roles, x.members, x.computed_at
       FROM jsonb_to_recordset($2::jsonb) AS x(buying_group_id uuid, account_id uuid, engagement double precision,
         completeness double precision, engaged_completeness double precision, missing_roles text[],
         engaged_roles text[], members jsonb, computed_at timestamptz)
       ON CONFLICT (workspace_id, buying_group_id) DO UPDATE SET
         engagement = EXCLUDED.engagement, completeness = EXCLUDED.completeness,
         engaged_completeness = EXCLUDED.engaged_completeness, missing_roles = EXCLUDED.missing_roles,
         engaged_roles = EXCLUDED.engaged_roles, members = EXCLUDED.members, computed_at = EXCLUDED.computed_at`,
      [
        ws,
        JSON.stringify(
          scores.map((s) => ({
            buying_group_id: s.buyingGroupId,
            account_id: s.accountId,
            engagement: s.engagement,
            completeness: s.completeness,
            engaged_completeness: s.engagedCompleteness,
            missing_roles: s.missingRoles,
            engaged_roles: s.engagedRoles,
            members: s.members,
            computed_at: s.computedAt.toISOString(),
          })),
        ),
      ],
    );
  }

  async buyingGroupScores(
    ws: WorkspaceId,
    groupIds: readonly string[],
  ): Promise<BuyingGroupScoreEntity[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM buying_group_scores WHERE workspace_id = $1 AND buying_group_id = ANY($2::uuid[])',
      [ws, groupIds],
    );
    return mapRows(this.manager, BuyingGroupScoreEntity, rows);
  }

  /**
   * An owner's top-tier accounts and top-tier contacts of their accounts, each with when
   * it entered that tier.
   */
  async workQueue(
    ws: WorkspaceId,
    ownerId: string,
    accountTier: string,
    leadTier: string,
    limit: number,
  ) {
    const rows: {
      kind: 'ACCOUNT' | 'CONTACT';
      account_id: string;
      contact_id: string | null;
      total: number;
      tier: string;
      tier_since: Date;
    }[] = await this.manager.query(
      `(SELECT 'ACCOUNT' AS kind, s.account_id, NULL::uuid AS contact_id, s.total, s.tier, s.tier_since
          FROM account_scores s JOIN accounts a ON a.workspace_id = s.workspace_id AND a.id = s.account_id
          WHERE s.workspace_id = $1 AND a.owner_id = $2 AND s.tier = $3
          ORDER BY s.total DESC LIMIT $5)
         UNION ALL
         (SELECT 'CONTACT' AS kind, c.account_id, ls.contact_id, ls.total, ls.tier, ls.tier_since
          FROM lead_scores ls
          JOIN contacts c ON c.workspace_id = ls.workspace_id AND c.id = ls.contact_id
          JOIN accounts a ON a.workspace_id = c.workspace_id AND a.id = c.account_id
          WHERE ls.workspace_id = $1 AND a.owner_id = $2 AND ls.tier = $4
          ORDER BY ls.total DESC LIMIT $5)`,
      [ws, ownerId, accountTier, leadTier, limit],
    );
    return rows.map((r) => ({
      kind: r.kind,
      accountId: r.account_id,
      contactId: r.contact_id,
      total: r.total,
      tier: r.tier,
      tierSince: r.tier_since,
    }));
  }

  /** For each group, the contacts of its account that are not members, with stored totals. */
  async nonMembersOfGroups(ws: WorkspaceId, groupIds: readonly string[]) {
    if (groupIds.length === 0) return [];
    const rows: {
      group_id: string;
      id: string;
      title: string | null;
      department: string | null;
      total: number | null;
    }[] = await this.manager.query(
      `SELECT g.id AS group_id, c.id, c.title, c.department, s.total
         FROM buying_groups g
         JOIN contacts c ON c.workspace_id = g.workspace_id AND c.account_id = g.account_id
         LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
         WHERE g.workspace_id = $1 AND g.id = ANY($2::uuid[])
           AND NOT EXISTS (SELECT 1 FROM buying_group_members m
                           WHERE m.workspace_id = g.workspace_id AND m.buying_group_id = g.id AND m.contact_id = c.id)`,
      [ws, groupIds],
    );
    return rows.map((r) => ({
      groupId: r.group_id,
      contactId: r.id,
      title: r.title,
      department: r.department,
      total: r.total ?? 0,
    }));
  }

  /** Account ids of a workspace in id order, a chunk at a time (for a full rescore). */
  async accountIdsAfter(ws: WorkspaceId, afterId: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM accounts WHERE workspace_id = $1 ${afterId ? 'AND id > $3' : ''} ORDER BY id LIMIT $2`,
      afterId ? [ws, limit, afterId] : [ws, limit],
    );
    return rows.map((r) => r.id);
  }
}
