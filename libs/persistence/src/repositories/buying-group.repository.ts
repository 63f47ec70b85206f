import type { EntityManager } from 'typeorm';
import { BuyingGroupMemberEntity } from '../entities/buying-group-member.entity';
import { BuyingGroupEntity } from '../entities/buying-group.entity';
import { preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export class BuyingGroupRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ws: WorkspaceId, ids: readonly string[]): Promise<BuyingGroupEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM buying_groups WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [ws, ids],
    );
    return mapRows(this.manager, BuyingGroupEntity, rows);
  }

  async findByAccountIds(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): Promise<BuyingGroupEntity[]> {
    if (accountIds.length === 0) return [];
    return runQuery(this.manager, this.byAccountIdsRead(ws, accountIds));
  }

  byAccountIdsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<BuyingGroupEntity[]> {
    return preparedQuery(
      `SELECT * FROM buying_groups WHERE workspace_id = $1 AND account_id = ANY($2::uuid[])
       ORDER BY account_id, name`,
      [ws, accountIds],
      (rows) => mapRows(this.manager, BuyingGroupEntity, rows),
    );
  }

  /** The members of every buying group of these accounts, like `membersOf`. */
  membersOfAccountsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<BuyingGroupMemberEntity[]> {
    return preparedQuery(
      `SELECT m.* FROM buying_group_members m
       JOIN buying_groups g ON g.workspace_id = m.workspace_id AND g.id = m.buying_group_id
       WHERE m.workspace_id = $1 AND g.account_id = ANY($2::uuid[])
       ORDER BY m.buying_group_id, m.added_at, m.contact_id`,
      [ws, accountIds],
      (rows) => mapRows(this.manager, BuyingGroupMemberEntity, rows),
    );
  }

  async findByName(
    ws: WorkspaceId,
    accountId: string,
    name: string,
  ): Promise<BuyingGroupEntity | null> {
    const rows = await this.manager.query(
      'SELECT * FROM buying_groups WHERE workspace_id = $1 AND account_id = $2 AND name = $3',
      [ws, accountId, name],
    );
    return mapRows(this.manager, BuyingGroupEntity, rows)[0] ?? null;
  }

  async insert(
    ws: WorkspaceId,
    group: Pick<BuyingGroupEntity, 'id' | 'accountId' | 'name' | 'requiredRoles'>,
  ): Promise<BuyingGroupEntity> {
    const rows = await this.manager.query(
      `INSERT INTO buying_groups (workspace_id, id, account_id, name, required_roles)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [ws, group.id, group.accountId, group.name, group.requiredRoles],
    );
    return mapRows(this.manager, BuyingGroupEntity, rows)[0]!;
  }

  async membersOf(
    ws: WorkspaceId,
    groupIds: readonly string[],
  ): Promise<BuyingGroupMemberEntity[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.manager.query(
      `SELECT * FROM buying_group_members WHERE workspace_id = $1 AND buying_group_id = ANY($2::uuid[])
       ORDER BY buying_group_id, added_at, contact_id`,
      [ws, groupIds],
    );
    return mapRows(this.manager, BuyingGroupMemberEntity, rows);
  }

  async setMember(
    ws: WorkspaceId,
    groupId: string,
    contactId: string,
    role: string,
  ): Promise<BuyingGroupMemberEntity> {
    const rows = await this.manager.query(
      `INSERT INTO buying_group_members (workspace_id, buying_group_id, contact_id, role)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, buying_group_id, contact_id) DO UPDATE SET role = EXCLUDED.role
       RETURNING *`,
      [ws, groupId, contactId, role],
    );
    return mapRows(this.manager, BuyingGroupMemberEntity, rows)[0]!;
  }

  async removeMember(ws: WorkspaceId, groupId: string, contactId: string): Promise<boolean> {
    const [, affected] = await this.manager.query(
      `DELETE FROM buying_group_members
       WHERE workspace_id = $1 AND buying_group_id = $2 AND contact_id = $3`,
      [ws, groupId, contactId],
    );
    return affected > 0;
  }
}
