import type { EntityManager } from 'typeorm';
import { LeadScoreHistoryEntity } from '../entities/lead-score-history.entity';
import { LeadScoreEntity } from '../entities/lead-score.entity';
import { type LifecycleEventEntity } from '../entities/lifecycle-event.entity';
import { ScoringModelAuditEntity } from '../entities/scoring-model-audit.entity';
import { ScoringModelVersionEntity } from '../entities/scoring-model-version.entity';
import { keysetSql, toPage, type Page, type PageRequest } from '../keyset';
import { preparedRead, runRead, type PreparedRead } from '../prepared-read';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export type LeadScoreWrite = Omit<LeadScoreEntity, 'workspaceId' | 'contact' | 'tierSince'>;

export interface ContactScoreOfAccount {
  accountId: string;
  contactId: string;
  total: number | null;
  engagement: number | null;
  lastActivityAt: Date | null;
}

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
  async findActive(ws: WorkspaceId, forUpdate = false): Promise<ScoringModelVersionEntity | null> {
    return runRead(this.manager, this.activeRead(ws, forUpdate));
  }

  activeRead(ws: WorkspaceId, forUpdate = false): PreparedRead<ScoringModelVersionEntity | null> {
    return preparedRead(
      `SELECT * FROM scoring_model_versions WHERE workspace_id = $1 AND is_active ${forUpdate ? 'FOR UPDATE' : ''}`,
      [ws],
      (rows) => mapRows(this.manager, ScoringModelVersionEntity, rows)[0] ?? null,
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
    const k = keysetSql({ columns: ['id'], direction: 'DESC' }, page, 2);
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
    return runRead(this.manager, this.byContactIdsRead(ws, contactIds));
  }

  byContactIdsRead(
    ws: WorkspaceId,
    contactIds: readonly string[],
  ): PreparedRead<LeadScoreEntity[]> {
    return preparedRead(
      'SELECT * FROM lead_scores WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[])',
      [ws, contactIds],
      (rows) => mapRows(this.manager, LeadScoreEntity, rows),
    );
  }

  /** Every contact of these accounts with its stored score's total, engagement and latest activity (null when unscored). */
  contactScoresOfAccountsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedRead<ContactScoreOfAccount[]> {
    return preparedRead(
      `SELECT c.account_id, c.id AS contact_id, s.total, s.engagement, s.last_activity_at
         FROM contacts c LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
         WHERE c.workspace_id = $1 AND c.account_id = ANY($2::uuid[])`,
      [ws, accountIds],
      (rows) =>
        rows.map((r) => ({
          accountId: r['account_id'] as string,
          contactId: r['contact_id'] as string,
          total: r['total'] as number | null,
          engagement: r['engagement'] as number | null,
          lastActivityAt: r['last_activity_at'] as Date | null,
        })),
    );
  }

  /** Stores the scores of a batch of contacts in one statement. */
  async upsert(ws: WorkspaceId, scores: readonly LeadScoreWrite[]): Promise<void> {
    if (scores.length === 0) return;
    const params: unknown[] = [ws];
    const rows = scores.map((s) => {
      const at = params.length + 1;
      params.push(
        s.contactId,
        s.modelVersionId,
        s.fit,
        s.engagement,
        s.negative,
        s.total,
        s.tier,
        s.grade,
        s.quadrant,
        s.action,
        s.override ? JSON.stringify(s.override) : null,
        JSON.stringify(s.reasons),
        s.lastActivityAt,
        s.computedAt,
      );
      const p = (i: number) => `$${at + i}`;
      return `($1::uuid, ${p(0)}::uuid, ${p(1)}::uuid, ${p(2)}::float8, ${p(3)}::float8, ${p(4)}::float8, ${p(5)}::float8, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::jsonb, ${p(11)}::jsonb, ${p(12)}::timestamptz, ${p(13)}::timestamptz, ${p(13)}::timestamptz)`;
    });
    await this.manager.query(
      `INSERT INTO lead_scores (workspace_id, contact_id, model_version_id, fit, engagement, negative, total,
         tier, grade, quadrant, action, override, reasons, last_activity_at, computed_at, tier_since)
       VALUES ${rows.join(', ')}
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         model_version_id = EXCLUDED.model_version_id, fit = EXCLUDED.fit, engagement = EXCLUDED.engagement,
         negative = EXCLUDED.negative, total = EXCLUDED.total, tier = EXCLUDED.tier, grade = EXCLUDED.grade,
         quadrant = EXCLUDED.quadrant, action = EXCLUDED.action, override = EXCLUDED.override,
         reasons = EXCLUDED.reasons, last_activity_at = EXCLUDED.last_activity_at, computed_at = EXCLUDED.computed_at,
         tier_since = CASE WHEN lead_scores.tier = EXCLUDED.tier THEN lead_scores.tier_since ELSE EXCLUDED.computed_at END`,
      params,
    );
  }

  /**
   * Appends history rows in one statement; returns each contact's new history id. The new
   * total, tier, model version and reasons are copied from the contacts' stored scores,
   * which the caller has just written in the same transaction (the reasons, the bulk of a
   * row, are not sent twice).
   */
  async insertHistory(
    ws: WorkspaceId,
    entries: readonly Pick<
      LeadScoreHistoryEntity,
      'contactId' | 'oldTotal' | 'oldTier' | 'cause' | 'at'
    >[],
  ): Promise<Map<string, string>> {
    if (entries.length === 0) return new Map();
    const inserted: { id: string; contact_id: string }[] = await this.manager.query(
      `INSERT INTO lead_score_history (workspace_id, contact_id, model_version_id, old_total, new_total,
         old_tier, new_tier, cause, at, reasons)
       SELECT s.workspace_id, s.contact_id, s.model_version_id, x.old_total, s.total, x.old_tier, s.tier,
         x.cause, x.at, s.reasons
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, old_total double precision, old_tier text,
         cause text, at timestamptz)
       JOIN lead_scores s ON s.workspace_id = $1 AND s.contact_id = x.contact_id
       RETURNING id, contact_id`,
      [
        ws,
        JSON.stringify(
          entries.map((h) => ({
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
    const k = keysetSql({ columns: ['id'], direction: 'DESC' }, page, 3);
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
