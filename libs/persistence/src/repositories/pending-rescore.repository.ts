import type { EntityManager } from 'typeorm';
import { ScoringBackfillEntity } from '../entities/scoring-backfill.entity';
import { preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export type RescoreEntity = 'CONTACT' | 'ACCOUNT';

/**
 * SQL for the ids of `always` plus those of `ifMarked` that have a CONTACT marker, given the
 * placeholders of the workspace and the two uuid arrays: the contacts a rescore that skips
 * unmarked ones will score, for reads that go in the same round trip as its lock.
 */
export function contactsToScoreSql(ws: string, always: string, ifMarked: string): string {
  return `(${always}::uuid[] || ARRAY(SELECT entity_id FROM pending_rescores
    WHERE workspace_id = ${ws} AND entity_type = 'CONTACT' AND entity_id = ANY(${ifMarked}::uuid[])))`;
}

/**
 * Marker rows are locked in one order everywhere: by entity type (CONTACT before ACCOUNT, since
 * a contact's rescore marks its account) and then by entity id. An ingest marking contacts and
 * a rescore deleting their markers therefore wait for each other instead of deadlocking. SQL
 * sorts the ids itself (`ORDER BY`), so the order never depends on how a caller sorted them or
 * on the join PostgreSQL picks: a DELETE locks rows in whatever order its plan scans the table,
 * so deletes first lock their rows with `SELECT ... ORDER BY ... FOR UPDATE`.
 */
const MARK_CONFLICT = `ON CONFLICT (workspace_id, entity_type, entity_id) DO UPDATE SET
         generation = pending_rescores.generation + 1,
         since = CASE WHEN pending_rescores.since < now() - interval '5 seconds' THEN now()
                      ELSE pending_rescores.since END`;

/** Markers of scores that may be stale, and the backfills of full rescores. */
export class PendingRescoreRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Marks entities stale. An existing marker's generation grows, so a rescore that read
   * the older generation leaves it in place when it commits; `since` (what the reconciler
   * looks at) moves only when it is older than 5 s. In id order (see above).
   */
  async mark(ws: WorkspaceId, entityType: RescoreEntity, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await runQuery(this.manager, this.markQuery(ws, entityType, ids));
  }

  markQuery(
    ws: WorkspaceId,
    entityType: RescoreEntity,
    ids: readonly string[],
  ): PreparedQuery<void> {
    return preparedQuery(
      `INSERT INTO pending_rescores (workspace_id, entity_type, entity_id)
       SELECT DISTINCT $1::uuid, $2, id FROM unnest($3::uuid[]) AS id ORDER BY id
       ${MARK_CONFLICT}`,
      [ws, entityType, [...new Set(ids)]],
      () => undefined,
    );
  }

  /** Marks every contact of these accounts (their fit reads account attributes), in id order. */
  async markContactsOfAccounts(ws: WorkspaceId, accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    await this.manager.query(
      `INSERT INTO pending_rescores (workspace_id, entity_type, entity_id)
       SELECT workspace_id, 'CONTACT', id FROM contacts WHERE workspace_id = $1 AND account_id = ANY($2::uuid[])
       ORDER BY id
       ${MARK_CONFLICT}`,
      [ws, accountIds],
    );
  }

  /**
   * The markers of these entities and their generations, read (without locking them) as a
   * rescore starts: what `claim` may delete once the rescore has stored its scores.
   */
  async read(
    ws: WorkspaceId,
    entityType: RescoreEntity,
    ids: readonly string[],
  ): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    return runQuery(this.manager, this.markersRead(ws, entityType, ids));
  }

  /** `read` as a PreparedQuery. */
  markersRead(
    ws: WorkspaceId,
    entityType: RescoreEntity,
    ids: readonly string[],
  ): PreparedQuery<Map<string, number>> {
    return preparedQuery(
      `SELECT entity_id, generation FROM pending_rescores
       WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = ANY($3::uuid[])`,
      [ws, entityType, ids],
      (rows) => new Map(rows.map((r) => [r['entity_id'] as string, r['generation'] as number])),
    );
  }

  /**
   * Deletes the markers a rescore read, at the end of its transaction, unless a write has
   * marked them again since (a newer generation): that change may not be in the scores
   * just computed, so its marker stays for the next rescore. The rows are locked in id order,
   * like `mark`'s, before the DELETE; a marker marked again while this waited for its lock is
   * compared at its new generation (READ COMMITTED re-reads the row) and stays.
   * Only rescores delete markers, and rescores of an entity serialise on its row, so a
   * marker cannot be deleted and created afresh (generation 0 again) in between.
   */
  async claim(
    ws: WorkspaceId,
    entityType: RescoreEntity,
    generations: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (generations.size === 0) return;
    await runQuery(this.manager, this.claimQuery(ws, entityType, generations));
  }

  claimQuery(
    ws: WorkspaceId,
    entityType: RescoreEntity,
    generations: ReadonlyMap<string, number>,
  ): PreparedQuery<void> {
    const ids = [...generations.keys()];
    return preparedQuery(
      `WITH locked AS (
         SELECT p.entity_id, read.generation
         FROM pending_rescores p JOIN unnest($3::uuid[], $4::int[]) AS read(id, generation)
           ON p.entity_id = read.id
         WHERE p.workspace_id = $1 AND p.entity_type = $2
         ORDER BY p.entity_id FOR UPDATE OF p)
       DELETE FROM pending_rescores p USING locked
       WHERE p.workspace_id = $1 AND p.entity_type = $2 AND p.entity_id = locked.entity_id
         AND p.generation = locked.generation`,
      [ws, entityType, ids, ids.map((id) => generations.get(id))],
      () => undefined,
    );
  }

  /** Deletes markers whatever their generation (the entity itself is being deleted). */
  async clear(ws: WorkspaceId, entityType: RescoreEntity, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(
      `WITH locked AS (
         SELECT entity_id FROM pending_rescores
         WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = ANY($3::uuid[])
         ORDER BY entity_id FOR UPDATE)
       DELETE FROM pending_rescores p USING locked
       WHERE p.workspace_id = $1 AND p.entity_type = $2 AND p.entity_id = locked.entity_id`,
      [ws, entityType, ids],
    );
  }

  async count(ws: WorkspaceId): Promise<number> {
    const [row] = await this.manager.query(
      'SELECT count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1',
      [ws],
    );
    return row.n;
  }

  async insertBackfill(
    ws: WorkspaceId,
    b: Pick<ScoringBackfillEntity, 'id' | 'cause' | 'modelVersionId'>,
  ): Promise<ScoringBackfillEntity> {
    const rows = await this.manager.query(
      `INSERT INTO scoring_backfills (workspace_id, id, status, cause, model_version_id)
       VALUES ($1, $2, 'PENDING', $3, $4) RETURNING *`,
      [ws, b.id, b.cause, b.modelVersionId],
    );
    return mapRows(this.manager, ScoringBackfillEntity, rows)[0]!;
  }

  async findBackfills(ws: WorkspaceId, ids: readonly string[]): Promise<ScoringBackfillEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM scoring_backfills WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [ws, ids],
    );
    return mapRows(this.manager, ScoringBackfillEntity, rows);
  }

  async recentBackfills(
    ws: WorkspaceId,
    limit: number,
    modelVersionId?: string,
  ): Promise<ScoringBackfillEntity[]> {
    const rows = await this.manager.query(
      `SELECT * FROM scoring_backfills WHERE workspace_id = $1 ${modelVersionId ? 'AND model_version_id = $3' : ''}
       ORDER BY created_at DESC, id LIMIT $2`,
      modelVersionId ? [ws, limit, modelVersionId] : [ws, limit],
    );
    return mapRows(this.manager, ScoringBackfillEntity, rows);
  }

  async updateBackfill(
    ws: WorkspaceId,
    id: string,
    patch: Partial<
      Pick<
        ScoringBackfillEntity,
        'status' | 'total' | 'done' | 'failed' | 'phase' | 'cursor' | 'startedAt' | 'finishedAt'
      >
    >,
  ): Promise<void> {
    const columns: Record<string, string> = {
      status: 'status',
      total: 'total',
      done: 'done',
      failed: 'failed',
      phase: 'phase',
      cursor: 'cursor',
      startedAt: 'started_at',
      finishedAt: 'finished_at',
    };
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `${columns[k]} = $${i + 3}`).join(', ');
    await this.manager.query(
      `UPDATE scoring_backfills SET ${sets} WHERE workspace_id = $1 AND id = $2`,
      [ws, id, ...entries.map(([, v]) => v)],
    );
  }
}
