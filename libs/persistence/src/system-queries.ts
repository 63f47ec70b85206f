import type { DataSource } from 'typeorm';
import type { RescoreEntity } from './repositories/pending-rescore.repository';

export interface PendingRescore {
  workspaceId: string;
  entityType: RescoreEntity;
  entityId: string;
}

/**
 * The worker's cross-workspace reads. Row-level security hides every row from a
 * transaction without a workspace, so these go through SECURITY DEFINER functions (see
 * the RowLevelSecurity migration) that return ids only; the work on each id then runs
 * scoped to its workspace.
 */
export class SystemQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Markers older than `graceMs` by the database clock: the reconciler's work list. */
  async stalePendingRescores(graceMs: number, limit: number): Promise<PendingRescore[]> {
    const rows: { workspace_id: string; entity_type: RescoreEntity; entity_id: string }[] =
      await this.dataSource.query('SELECT * FROM quorum_stale_pending_rescores($1, $2)', [
        graceMs,
        limit,
      ]);
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      entityType: r.entity_type,
      entityId: r.entity_id,
    }));
  }

  /** Backfills not finished, for the reconciler to resume. */
  async unfinishedBackfills(): Promise<{ workspaceId: string; id: string }[]> {
    const rows: { workspace_id: string; id: string }[] = await this.dataSource.query(
      'SELECT * FROM quorum_unfinished_backfills()',
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, id: r.id }));
  }

  /** Workspaces whose scores the decay sweep must revisit. */
  async workspacesWithActiveModel(): Promise<string[]> {
    const rows: { workspace_id: string }[] = await this.dataSource.query(
      'SELECT * FROM quorum_workspaces_with_active_model()',
    );
    return rows.map((r) => r.workspace_id);
  }
}
