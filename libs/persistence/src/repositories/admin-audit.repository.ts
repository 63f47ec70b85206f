import type { EntityManager } from 'typeorm';
import { AdminAuditEntity } from '../entities/admin-audit.entity';
import { keysetSql, NEWEST_FIRST, toPage, type Page, type PageRequest } from '../keyset';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export type AdminAuditWrite = Pick<
  AdminAuditEntity,
  'action' | 'actorKeyId' | 'targetType' | 'targetId' | 'details' | 'at'
>;

export class AdminAuditRepository {
  constructor(private readonly manager: EntityManager) {}

  async record(ws: WorkspaceId, entry: AdminAuditWrite): Promise<void> {
    await this.manager.query(
      `INSERT INTO admin_audit_log (workspace_id, action, actor_key_id, target_type, target_id, details, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        ws,
        entry.action,
        entry.actorKeyId,
        entry.targetType,
        entry.targetId,
        JSON.stringify(entry.details),
        entry.at,
      ],
    );
  }

  async list(ws: WorkspaceId, page: PageRequest): Promise<Page<AdminAuditEntity>> {
    const k = keysetSql(NEWEST_FIRST, page, 2);
    const rows = await this.manager.query(
      `SELECT * FROM admin_audit_log WHERE workspace_id = $1 ${k.where ? `AND ${k.where}` : ''}
       ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [ws, ...k.params],
    );
    return toPage(mapRows(this.manager, AdminAuditEntity, rows), page.first);
  }

  async count(ws: WorkspaceId): Promise<number> {
    const [row] = await this.manager.query(
      'SELECT count(*)::int AS n FROM admin_audit_log WHERE workspace_id = $1',
      [ws],
    );
    return row.n;
  }
}
