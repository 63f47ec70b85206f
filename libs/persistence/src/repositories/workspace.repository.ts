import type { EntityManager } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { WorkspaceEntity } from '../entities/workspace.entity';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export class WorkspaceRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(ws: WorkspaceId, name: string): Promise<WorkspaceEntity> {
    const rows = await this.manager.query(
      'INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING *',
      [ws, name],
    );
    return mapRows(this.manager, WorkspaceEntity, rows)[0]!;
  }

  async findById(ws: WorkspaceId): Promise<WorkspaceEntity | null> {
    const rows = await this.manager.query('SELECT * FROM workspaces WHERE id = $1', [ws]);
    return mapRows(this.manager, WorkspaceEntity, rows)[0] ?? null;
  }

  /** The key the workspace's event ids are encrypted with, and its last plain ids. */
  async eventIdKeys(
    ws: WorkspaceId,
  ): Promise<Pick<WorkspaceEntity, 'eventIdKey' | 'legacyEventIds'> | null> {
    const [row] = await this.manager.query(
      'SELECT event_id_key, legacy_event_ids FROM workspaces WHERE id = $1',
      [ws],
    );
    return row ? { eventIdKey: row.event_id_key, legacyEventIds: row.legacy_event_ids } : null;
  }

  async insertApiKey(
    ws: WorkspaceId,
    key: Pick<ApiKeyEntity, 'id' | 'name' | 'keyHash' | 'displayPrefix' | 'scopes'>,
  ): Promise<ApiKeyEntity> {
    const rows = await this.manager.query(
      `INSERT INTO api_keys (workspace_id, id, name, key_hash, display_prefix, scopes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [ws, key.id, key.name, key.keyHash, key.displayPrefix, key.scopes],
    );
    return mapRows(this.manager, ApiKeyEntity, rows)[0]!;
  }

  async findApiKeyByHash(ws: WorkspaceId, keyHash: string): Promise<ApiKeyEntity | null> {
    const rows = await this.manager.query(
      'SELECT * FROM api_keys WHERE workspace_id = $1 AND key_hash = $2',
      [ws, keyHash],
    );
    return mapRows(this.manager, ApiKeyEntity, rows)[0] ?? null;
  }

  async listApiKeys(ws: WorkspaceId): Promise<ApiKeyEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id',
      [ws],
    );
    return mapRows(this.manager, ApiKeyEntity, rows);
  }

  async revokeApiKey(ws: WorkspaceId, id: string, at: Date): Promise<ApiKeyEntity | null> {
    const rows = await this.manager.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
       WHERE workspace_id = $1 AND id = $2 RETURNING *`,
      [ws, id, at],
    );
    // UPDATE ... RETURNING comes back as [rows, count] from TypeORM's postgres driver.
    const returned = Array.isArray(rows[0]) ? rows[0] : rows;
    return mapRows(this.manager, ApiKeyEntity, returned)[0] ?? null;
  }
}
