import type { EntityManager } from 'typeorm';
import { LeadScoreHistoryEntity } from '../entities/lead-score-history.entity';
import { LeadScoreEntity } from '../entities/lead-score.entity';
import { type LifecycleEventEntity } from '../entities/lifecycle-event.entity';
import { ScoringModelAuditEntity } from '../entities/scoring-model-audit.entity';
import { ScoringModelVersionEntity } from '../entities/scoring-model-version.entity';
import { keysetSql, NEWEST_FIRST, toPage, type Page, type PageRequest } from '../keyset';
import { EPOCH_MS, preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import { contactsToScoreSql } from './pending-rescore.repository';
import type { WorkspaceId } from '../workspace-id';

export type LeadScoreWrite = Omit<LeadScoreEntity, 'workspaceId' | 'contact' | 'tierSince'>;

/** A stored score's total, tier and model version (see `storedTotalsRead`). */
export interface StoredTotal {
  total: number;
  tier: string;
  modelVersionId: string;
}

/** Rows of total, tier and model_version_id, by the id in `key`. */
export function storedTotalsBy(
  rows: Record<string, unknown>[],
  key: 'contact_id' | 'account_id',
): Map<string, StoredTotal> {
  return new Map(
    rows.map((r) => [
      r[key] as string,
      {
        total: r['total'] as number,
        tier: r['tier'] as string,
        modelVersionId: r['model_version_id'] as string,
      },
    ]),
  );
}

export interface ContactScoreOfAccount {
  accountId: string;
  contactId: string;
  total: number | null;
  engagement: number | null;
  lastActivityAt: Date | null;
}

/** The active version, with the kept cut-offs of its tiers set by share (null: none yet). */
export type ActiveVersion = ScoringModelVersionEntity & {
  tierCutoffs: { lead: Record<string, number>; account: Record<string, number> } | null;
};

/** Scoring model versions and their audit log. */
export class ScoringModelRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ws: WorkspaceId, ids: readonly string[]): Promise<ScoringModelVersionEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM scoring_model_versions WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [ws, ids],
    );
    return mapRows(this.manager, ScoringModelVersionEntity, rows);
  }

  /** The active version; `forUpdate` serialises publish and rollback per workspace. */
  async findActive(ws: WorkspaceId, forUpdate = false): Promise<ActiveVersion | null> {
    return runQuery(this.manager, this.activeRead(ws, forUpdate));
  }

  /** With the cut-offs its share-based tiers are kept at, in the same statement. */
  activeRead(ws: WorkspaceId, forUpdate = false): PreparedQuery<ActiveVersion | null> {
    return preparedQuery(
      `SELECT v.*, c.lead AS cutoffs_lead, c.account AS cutoffs_account FROM scoring_model_versions v
       LEFT JOIN tier_cutoffs c ON c.workspace_id = v.workspace_id AND c.model_version_id = v.id
       WHERE v.workspace_id = $1 AND v.is_active ${forUpdate ? 'FOR UPDATE OF v' : ''}`,
      [ws],
      (rows) => {
        const row = rows[0];
        if (!row) return null;
        const version = mapRows(this.manager, ScoringModelVersionEntity, [row])[0]!;
        const lead = row['cutoffs_lead'] as Record<string, number> | null;
        const account = row['cutoffs_account'] as Record<string, number> | null;
        return Object.assign(version, {
          tierCutoffs: lead === null || account === null ? null : { lead, account },
        });
      },
    );
  }

  async list(ws: WorkspaceId): Promise<ScoringModelVersionEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM scoring_model_versions WHERE workspace_id = $1 ORDER BY version DESC',
      [ws],
    );
    return mapRows(this.manager, ScoringModelVersionEntity, rows);
  }

  async insert(
    ws: WorkspaceId,
    v: Pick<
      ScoringModelVersionEntity,
      'id' | 'status' | 'description' | 'definition' | 'basedOnId'
    >,
  ): Promise<ScoringModelVersionEntity> {
    // The version number comes from a per-workspace advisory lock so concurrent drafts never collide.
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`model-version:${ws}`]);
    const rows = await this.manager.query(
      `INSERT INTO scoring_model_versions (workspace_id, id, version, status, description, definition, based_on_id)
       VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM scoring_model_versions WHERE workspace_id = $1),
               $3, $4, $5, $6)
       RETURNING *`,
      [ws, v.id, v.status, v.description, JSON.stringify(v.definition), v.basedOnId],
    );
    return mapRows(this.manager, ScoringModelVersionEntity, rows)[0]!;
  }

  async updateDraft(
    ws: WorkspaceId,
    id: string,
    definition: Record<string, unknown>,
    description: string | null | undefined,
  ): Promise<ScoringModelVersionEntity | null> {
    const [rows] = await this.manager.query(
      `UPDATE scoring_model_versions SET definition = $3, description = coalesce($4, description)
       WHERE workspace_id = $1 AND id = $2 AND status = 'DRAFT' RETURNING *`,
      [ws, id, JSON.stringify(definition), description ?? null],
    );
    return mapRows(this.manager, ScoringModelVersionEntity, rows)[0] ?? null;
  }

  /** Makes `id` the only active version (publishing it if it was a draft). */
  async activate(ws: WorkspaceId, id: string, at: Date): Promise<void> {
    await this.manager.query(
      'UPDATE scoring_model_versions SET is_active = false WHERE workspace_id = $1 AND is_active',
      [ws],
    );
    await this.manager.query(
      `UPDATE scoring_model_versions SET is_active = true, status = 'PUBLISHED',
         published_at = coalesce(published_at, $3)
       WHERE workspace_id = $1 AND id = $2`,
      [ws, id, at],
    );
  }

  async insertAudit(
    ws: WorkspaceId,
    entry: Omit<ScoringModelAuditEntity, 'workspaceId' | 'id' | 'workspace'>,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO scoring_model_audit (workspace_id, action, from_version_id, to_version_id, actor_key_id, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [ws, entry.action, entry.fromVersionId, entry.toVersionId, entry.actorKeyId, entry.at],
    );
  }

  async countAudit(ws: WorkspaceId): Promise<number> {
    const [row] = await this.manager.query(
      'SELECT count(*)::int AS n FROM scoring_model_audit WHERE workspace_id = $1',
      [ws],
    );
    return row.n;
  }

  async listAudit(ws: WorkspaceId, page: PageRequest): Promise<Page<ScoringModelAuditEntity>> {
    const k = keysetSql(NEWEST_FIRST, page, 2);
    const rows = await this.manager.query(
      `SELECT * FROM scoring_model_audit WHERE workspace_id = $1 ${k.where ? `AND ${k.where}` : ''}
       ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [ws, ...k.params],
    );
    return toPage(mapRows(this.manager, ScoringModelAuditEntity, rows), page.first);
  }
}

/** Current lead scores, their history and lifecycle events. */
export class LeadScoreRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByContactIds(
    ws: WorkspaceId,
    contactIds: readonly string[],
  ): Promise<LeadScoreEntity[]> {
    if (contactIds.length === 0) return [];
    return runQuery(this.manager, this.byContactIdsRead(ws, contactIds));
  }

  byContactIdsRead(
    ws: WorkspaceId,
    contactIds: readonly string[],
  ): PreparedQuery<LeadScoreEntity[]> {
    return preparedQuery(
      'SELECT * FROM lead_scores WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[])',
      [ws, contactIds],
      (rows) => mapRows(this.manager, LeadScoreEntity, rows),
    );
  }

  /**
   * What a rescore compares a new score with: the stored total, tier and model version of
   * each contact (those of `ifMarked` only if marked: see `contactsToScoreSql`). Not the reasons, the bulk of a row: `upsert` leaves a row that has not
   * changed alone by itself.
   */
  storedTotalsRead(
    ws: WorkspaceId,
    contactIds: readonly string[],
    ifMarked: readonly string[] = [],
  ): PreparedQuery<Map<string, StoredTotal>> {
    return preparedQuery(
      `SELECT contact_id, total, tier, model_version_id FROM lead_scores
       WHERE workspace_id = $1 AND contact_id = ANY(${contactsToScoreSql('$1', '$2', '$3')})`,
      [ws, contactIds, ifMarked],
      (rows) => storedTotalsBy(rows, 'contact_id'),
    );
  }

  /** Every contact of these accounts with its stored score's total, engagement and latest activity (null when unscored). */
  contactScoresOfAccountsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<ContactScoreOfAccount[]> {
    return preparedQuery(
      `SELECT c.account_id, c.id AS contact_id, s.total, s.engagement,
         ${EPOCH_MS('s.last_activity_at')} AS last_activity_ms
         FROM contacts c LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
         WHERE c.workspace_id = $1 AND c.account_id = ANY($2::uuid[])`,
      [ws, accountIds],
      (rows) =>
        rows.map((r) => ({
          accountId: r['account_id'] as string,
          contactId: r['contact_id'] as string,
          total: r['total'] as number | null,
          engagement: r['engagement'] as number | null,
          lastActivityAt:
            r['last_activity_ms'] === null ? null : new Date(r['last_activity_ms'] as number),
        })),
    );
  }

  /**
   * Stores the scores of a batch of contacts and appends history for those in `history`
   * (whose total, tier or model moved), in one statement; returns each such contact's new
   * history id. The history rows take the new total, tier, model and reasons from the rows
   * just written, so the reasons are sent once. A stored score equal to the new one in
   * everything but `computed_at` is left as it is (no write, no new row version).
   */
  async store(
    ws: WorkspaceId,
    scores: readonly LeadScoreWrite[],
    history: readonly Pick<
      LeadScoreHistoryEntity,
      'contactId' | 'oldTotal' | 'oldTier' | 'cause' | 'at'
    >[],
  ): Promise<Map<string, string>> {
    if (scores.length === 0) return new Map();
    // One JSON parameter per table, not one per value: the statement's text and plan stay
    // the same size whatever the batch.
    const inserted: { id: string; contact_id: string }[] = await this.manager.query(
      `WITH stored AS (
       INSERT INTO lead_scores (workspace_id, contact_id, model_version_id, fit, engagement, negative, total,
         tier, grade, quadrant, action, override, reasons, last_activity_at, computed_at, tier_since)
       SELECT $1, x.contact_id, x.model_version_id, x.fit, x.engagement, x.negative, x.total, x.tier, x.grade,
         x.quadrant, x.action, x.override, x.reasons, x.last_activity_at, x.computed_at, x.computed_at
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, model_version_id uuid, fit double precision,
         engagement double precision, negative double precision, total double precision, tier text, grade text,
         quadrant text, action text, override jsonb, reasons jsonb, last_activity_at timestamptz,
         computed_at timestamptz)
       ORDER BY x.contact_id
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         model_version_id = EXCLUDED.model_version_id, fit = EXCLUDED.fit, engagement = EXCLUDED.engagement,
         negative = EXCLUDED.negative, total = EXCLUDED.total, tier = EXCLUDED.tier, grade = EXCLUDED.grade,
         quadrant = EXCLUDED.quadrant, action = EXCLUDED.action, override = EXCLUDED.override,
         reasons = EXCLUDED.reasons, last_activity_at = EXCLUDED.last_activity_at, computed_at = EXCLUDED.computed_at,
         tier_since = CASE WHEN lead_scores.tier = EXCLUDED.tier THEN lead_scores.tier_since ELSE EXCLUDED.computed_at END
       WHERE (lead_scores.model_version_id, lead_scores.fit, lead_scores.engagement, lead_scores.negative,
              lead_scores.total, lead_scores.tier, lead_scores.grade, lead_scores.quadrant, lead_scores.action,
              lead_scores.override, lead_scores.reasons, lead_scores.last_activity_at)
         IS DISTINCT FROM (EXCLUDED.model_version_id, EXCLUDED.fit, EXCLUDED.engagement, EXCLUDED.negative,
              EXCLUDED.total, EXCLUDED.tier, EXCLUDED.grade, EXCLUDED.quadrant, EXCLUDED.action,
              EXCLUDED.override, EXCLUDED.reasons, EXCLUDED.last_activity_at)
       RETURNING contact_id, model_version_id, total, tier, reasons)
       INSERT INTO lead_score_history (workspace_id, contact_id, model_version_id, old_total, new_total,
         old_tier, new_tier, cause, at, reasons)
       SELECT $1, s.contact_id, s.model_version_id, h.old_total, s.total, h.old_tier, s.tier, h.cause, h.at,
         s.reasons
       FROM jsonb_to_recordset($3::jsonb) AS h(contact_id uuid, old_total double precision, old_tier text,
         cause text, at timestamptz)
       JOIN stored s ON s.contact_id = h.contact_id
       RETURNING id, contact_id`,
      [
        ws,
        JSON.stringify(
          scores.map((s) => ({
            contact_id: s.contactId,
            model_version_id: s.modelVersionId,
            fit: s.fit,
            engagement: s.engagement,
            negative: s.negative,
            total: s.total,
            tier: s.tier,
            grade: s.grade,
            quadrant: s.quadrant,
            action: s.action,
            override: s.override,
            reasons: s.reasons,
            last_activity_at: s.lastActivityAt?.toISOString() ?? null,
            computed_at: s.computedAt.toISOString(),
          })),
        ),
        JSON.stringify(
          history.map((h) => ({
            contact_id: h.contactId,
            old_total: h.oldTotal,
            old_tier: h.oldTier,
            cause: h.cause,
            at: h.at.toISOString(),
          })),
        ),
      ],
    );
    return new Map(inserted.map((r) => [r.contact_id, String(r.id)]));
  }

  async countHistory(ws: WorkspaceId, contactId: string): Promise<number> {
    const [row] = await this.manager.query(
      'SELECT count(*)::int AS n FROM lead_score_history WHERE workspace_id = $1 AND contact_id = $2',
      [ws, contactId],
    );
    return row.n;
  }

  async historyOf(
    ws: WorkspaceId,
    contactId: string,
    page: PageRequest,
  ): Promise<Page<LeadScoreHistoryEntity>> {
    const k = keysetSql(NEWEST_FIRST, page, 3);
    const rows = await this.manager.query(
      `SELECT * FROM lead_score_history WHERE workspace_id = $1 AND contact_id = $2
       ${k.where ? `AND ${k.where}` : ''} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [ws, contactId, ...k.params],
    );
    return toPage(mapRows(this.manager, LeadScoreHistoryEntity, rows), page.first);
  }

  /** Appends lifecycle events in one statement; returns each contact's new event id. */
  async insertLifecycleEvents(
    ws: WorkspaceId,
    events: readonly Omit<LifecycleEventEntity, 'workspaceId' | 'id' | 'contact'>[],
  ): Promise<Map<string, string>> {
    if (events.length === 0) return new Map();
    const rows: { id: string; contact_id: string }[] = await this.manager.query(
      `INSERT INTO lifecycle_events (workspace_id, contact_id, from_stage, to_stage, reactivated, model_version_id, total, at, cause)
       SELECT $1, x.contact_id, x.from_stage, x.to_stage, x.reactivated, x.model_version_id, x.total, x.at, x.cause
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, from_stage text, to_stage text,
         reactivated boolean, model_version_id uuid, total double precision, at timestamptz, cause text)
       RETURNING id, contact_id`,
      [
        ws,
        JSON.stringify(
          events.map((e) => ({
            contact_id: e.contactId,
            from_stage: e.fromStage,
            to_stage: e.toStage,
            reactivated: e.reactivated,
            model_version_id: e.modelVersionId,
            total: e.total,
            at: e.at.toISOString(),
            cause: e.cause,
          })),
        ),
      ],
    );
    return new Map(rows.map((r) => [r.contact_id, String(r.id)]));
  }

  /** Stores contacts' lifecycle stages (rows the caller has locked), in one statement. */
  async setLifecycles(
    ws: WorkspaceId,
    states: readonly { contactId: string; stage: string; belowMqlSince: Date | null }[],
  ): Promise<void> {
    if (states.length === 0) return;
    await this.manager.query(
      `UPDATE contacts c SET lifecycle_stage = x.stage, below_mql_since = x.below_mql_since
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, stage text, below_mql_since timestamptz)
       WHERE c.workspace_id = $1 AND c.id = x.contact_id`,
      [
        ws,
        JSON.stringify(
          states.map((s) => ({
            contact_id: s.contactId,
            stage: s.stage,
            below_mql_since: s.belowMqlSince?.toISOString() ?? null,
          })),
        ),
      ],
    );
  }

  /** Contact ids of a workspace in id order, a chunk at a time (for a full rescore). */
  async contactIdsAfter(ws: WorkspaceId, afterId: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM contacts WHERE workspace_id = $1 ${afterId ? 'AND id > $3' : ''} ORDER BY id LIMIT $2`,
      afterId ? [ws, limit, afterId] : [ws, limit],
    );
    return rows.map((r) => r.id);
  }
}
