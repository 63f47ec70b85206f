import type { EntityManager } from 'typeorm';
import type { WorkspaceId } from '../workspace-id';

export interface LeadHistoryRow {
  id: string;
  contact_id: string;
  account_id: string | null;
  model_version_id: string;
  old_total: number | null;
  new_total: number;
  old_tier: string | null;
  new_tier: string;
  cause: string;
  reasons: { category: string; points: number }[] | null;
  at: Date;
}

export interface AccountHistoryRow extends Omit<LeadHistoryRow, 'contact_id' | 'account_id'> {
  account_id: string;
}

export interface LifecycleRow {
  id: string;
  contact_id: string;
  from_stage: string;
  to_stage: string;
  reactivated: boolean;
  cause: string;
  model_version_id: string;
  total: number;
  at: Date;
}

/** Stored history read back as events, for subscribers that resume from an event id. */
export class ScoreEventRepository {
  constructor(private readonly manager: EntityManager) {}

  leadHistoryAfter(
    ws: WorkspaceId,
    afterId: string,
    since: Date,
    limit: number,
  ): Promise<LeadHistoryRow[]> {
    return this.manager.query(
      `SELECT h.id, h.contact_id, c.account_id, h.model_version_id, h.old_total, h.new_total, h.old_tier,
              h.new_tier, h.cause, h.reasons, h.at
       FROM lead_score_history h
       LEFT JOIN contacts c ON c.workspace_id = h.workspace_id AND c.id = h.contact_id
       WHERE h.workspace_id = $1 AND h.id > $2 AND h.at >= $3 ORDER BY h.id LIMIT $4`,
      [ws, afterId, since, limit],
    );
  }

  accountHistoryAfter(
    ws: WorkspaceId,
    afterId: string,
    since: Date,
    limit: number,
  ): Promise<AccountHistoryRow[]> {
    return this.manager.query(
      `SELECT id, account_id, model_version_id, old_total, new_total, old_tier, new_tier, cause, reasons, at
       FROM account_score_history WHERE workspace_id = $1 AND id > $2 AND at >= $3 ORDER BY id LIMIT $4`,
      [ws, afterId, since, limit],
    );
  }

  lifecycleAfter(
    ws: WorkspaceId,
    afterId: string,
    since: Date,
    limit: number,
  ): Promise<LifecycleRow[]> {
    return this.manager.query(
      `SELECT id, contact_id, from_stage, to_stage, reactivated, cause, model_version_id, total, at
       FROM lifecycle_events WHERE workspace_id = $1 AND id > $2 AND at >= $3 ORDER BY id LIMIT $4`,
      [ws, afterId, since, limit],
    );
  }
}
