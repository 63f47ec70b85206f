import type { EntityManager } from 'typeorm';
import { ContactEntity } from '../entities/contact.entity';
import {
  cursorKeyOf,
  keySelectSql,
  keysetSql,
  toPage,
  type KeysetOrder,
  type Page,
  type PageRequest,
} from '../keyset';
import { preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import { SqlFilter } from '../sql-filter';
import type { WorkspaceId } from '../workspace-id';

export interface ContactFilter {
  accountIds?: string[] | null;
  emails?: string[] | null;
  lifecycleStages?: string[] | null;
  seniorities?: string[] | null;
  departments?: string[] | null;
  unsubscribed?: boolean | null;
  search?: string | null;
  /** Score filters, on the stored lead score. */
  tiers?: string[] | null;
  minTotal?: number | null;
  quadrants?: string[] | null;
}

export type ContactOrder = 'EMAIL_ASC' | 'CREATED_AT_DESC' | 'SCORE_DESC';

/** A listed contact with the ordering tuple its cursor holds. */
export type ContactListRow = ContactEntity & { cursorKey: unknown[] };

/** Unscored contacts sort last under SCORE_DESC. */
const UNSCORED = -1e15;

export const CONTACT_ORDERS: Record<ContactOrder, KeysetOrder> = {
  SCORE_DESC: {
    keys: [
      { sql: `coalesce(s.total, ${UNSCORED})`, type: 'float8' },
      { sql: 'c.id', type: 'uuid' },
    ],
    direction: 'DESC',
  },
  EMAIL_ASC: { keys: [{ sql: 'c.email', type: 'text' }], direction: 'ASC' },
  CREATED_AT_DESC: {
    keys: [
      { sql: 'c.created_at', type: 'timestamptz' },
      { sql: 'c.id', type: 'uuid' },
    ],
    direction: 'DESC',
  },
};

export type ContactWrite = Omit<
  ContactEntity,
  'workspace' | 'account' | 'createdAt' | 'updatedAt' | 'belowMqlSince'
>;

const lower = (values: string[]) => values.map((v) => v.toLowerCase());

const SCORE_JOIN =
  'LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id';

export class ContactRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ws: WorkspaceId, ids: readonly string[]): Promise<ContactEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM contacts WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [ws, ids],
    );
    return mapRows(this.manager, ContactEntity, rows);
  }

  /**
   * Reads and locks contacts for a rescore, in id order so that two batches sharing
   * contacts wait for each other instead of deadlocking. FOR NO KEY UPDATE leaves the
   * foreign-key locks that new activities take free.
   */
  async lockByIds(ws: WorkspaceId, ids: readonly string[]): Promise<ContactEntity[]> {
    if (ids.length === 0) return [];
    return runQuery(this.manager, this.lockByIdsRead(ws, ids));
  }

  lockByIdsRead(ws: WorkspaceId, ids: readonly string[]): PreparedQuery<ContactEntity[]> {
    return preparedQuery(
      `SELECT * FROM contacts WHERE workspace_id = $1 AND id = ANY($2::uuid[])
       ORDER BY id FOR NO KEY UPDATE`,
      [ws, [...ids].sort()],
      (rows) => mapRows(this.manager, ContactEntity, rows),
    );
  }

  /** Every contact of a workspace (validation runs; bounded by the caller). */
  async allInWorkspace(ws: WorkspaceId): Promise<ContactEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM contacts WHERE workspace_id = $1 ORDER BY id',
      [ws],
    );
    return mapRows(this.manager, ContactEntity, rows);
  }

  async findByEmails(ws: WorkspaceId, emails: readonly string[]): Promise<ContactEntity[]> {
    if (emails.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM contacts WHERE workspace_id = $1 AND email = ANY($2::text[])',
      [ws, emails],
    );
    return mapRows(this.manager, ContactEntity, rows);
  }

  private filterSql(ws: WorkspaceId, filter: ContactFilter): SqlFilter {
    const f = new SqlFilter();
    f.add(`c.workspace_id = ${f.param(ws)}`);
    if (filter.accountIds?.length)
      f.add(`c.account_id = ANY(${f.param(filter.accountIds)}::uuid[])`);
    if (filter.emails?.length) f.add(`c.email = ANY(${f.param(lower(filter.emails))}::text[])`);
    if (filter.lifecycleStages?.length) {
      f.add(`c.lifecycle_stage = ANY(${f.param(filter.lifecycleStages)}::text[])`);
    }
    if (filter.seniorities?.length) {
      f.add(`lower(c.seniority) = ANY(${f.param(lower(filter.seniorities))}::text[])`);
    }
    if (filter.departments?.length) {
      f.add(`lower(c.department) = ANY(${f.param(lower(filter.departments))}::text[])`);
    }
    if (filter.unsubscribed != null) f.add(`c.unsubscribed = ${f.param(filter.unsubscribed)}`);
    if (filter.tiers?.length) f.add(`s.tier = ANY(${f.param(filter.tiers)}::text[])`);
    if (filter.minTotal != null) f.add(`s.total >= ${f.param(filter.minTotal)}`);
    if (filter.quadrants?.length) f.add(`s.quadrant = ANY(${f.param(filter.quadrants)}::text[])`);
    if (filter.search) {
      const p = f.param(`%${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      f.add(
        `(c.email ILIKE ${p} OR c.first_name ILIKE ${p} OR c.last_name ILIKE ${p} OR c.title ILIKE ${p})`,
      );
    }
    return f;
  }

  async list(
    ws: WorkspaceId,
    filter: ContactFilter,
    order: ContactOrder,
    page: PageRequest,
  ): Promise<Page<ContactListRow>> {
    const f = this.filterSql(ws, filter);
    const ordering = CONTACT_ORDERS[order];
    const k = keysetSql(ordering, page, f.params.length + 1);
    const where = [f.where(), k.where].filter(Boolean).join(' AND ');
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT c.*, ${keySelectSql(ordering)} FROM contacts c ${SCORE_JOIN}
       WHERE ${where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [...f.params, ...k.params],
    );
    const contacts = mapRows(this.manager, ContactEntity, rows).map((c, i) =>
      Object.assign(c, { cursorKey: cursorKeyOf(ordering, rows[i]!) }),
    );
    return toPage(contacts, page.first);
  }

  async count(ws: WorkspaceId, filter: ContactFilter): Promise<number> {
    const f = this.filterSql(ws, filter);
    const [row] = await this.manager.query(
      `SELECT count(*)::int AS n FROM contacts c ${SCORE_JOIN} WHERE ${f.where()}`,
      f.params,
    );
    return row.n;
  }

  /** The first `limit` contacts (by email) of each account, in one statement. */
  async firstByAccountIds(
    ws: WorkspaceId,
    accountIds: readonly string[],
    limit: number,
  ): Promise<ContactEntity[]> {
    if (accountIds.length === 0) return [];
    const rows = await this.manager.query(
      `SELECT * FROM (
         SELECT c.*, row_number() OVER (PARTITION BY c.account_id ORDER BY c.email) AS rn
         FROM contacts c WHERE c.workspace_id = $1 AND c.account_id = ANY($2::uuid[])
       ) x WHERE rn <= $3 ORDER BY account_id, email`,
      [ws, accountIds, limit],
    );
    return mapRows(this.manager, ContactEntity, rows);
  }

  async countByAccountIds(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): Promise<Map<string, number>> {
    if (accountIds.length === 0) return new Map();
    const rows: { account_id: string; n: number }[] = await this.manager.query(
      `SELECT account_id, count(*)::int AS n FROM contacts
       WHERE workspace_id = $1 AND account_id = ANY($2::uuid[]) GROUP BY account_id`,
      [ws, accountIds],
    );
    return new Map(rows.map((r) => [r.account_id, r.n]));
  }

  async upsertMany(ws: WorkspaceId, contacts: readonly ContactWrite[]): Promise<ContactEntity[]> {
    if (contacts.length === 0) return [];
    const rows = await this.manager.query(
      `INSERT INTO contacts (workspace_id, id, account_id, email, first_name, last_name, title,
         seniority, department, country, unsubscribed, lifecycle_stage, attributes)
       SELECT $1, x.id, x.account_id, x.email, x.first_name, x.last_name, x.title, x.seniority,
         x.department, x.country, x.unsubscribed, x.lifecycle_stage, x.attributes
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, account_id uuid, email text,
         first_name text, last_name text, title text, seniority text, department text,
         country text, unsubscribed boolean, lifecycle_stage text, attributes jsonb)
       ON CONFLICT (workspace_id, email) DO UPDATE SET
         account_id = EXCLUDED.account_id, first_name = EXCLUDED.first_name,
         last_name = EXCLUDED.last_name, title = EXCLUDED.title, seniority = EXCLUDED.seniority,
         department = EXCLUDED.department, country = EXCLUDED.country,
         unsubscribed = EXCLUDED.unsubscribed, lifecycle_stage = EXCLUDED.lifecycle_stage,
         attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING *`,
      [
        ws,
        // In id order, the order a rescore locks them in: two transactions never wait on
        // each other's rows the other way round (a deadlock).
        JSON.stringify(
          [...contacts].sort(byId).map((c) => ({
            id: c.id,
            account_id: c.accountId,
            email: c.email,
            first_name: c.firstName,
            last_name: c.lastName,
            title: c.title,
            seniority: c.seniority,
            department: c.department,
            country: c.country,
            unsubscribed: c.unsubscribed,
            lifecycle_stage: c.lifecycleStage,
            attributes: c.attributes,
          })),
        ),
      ],
    );
    const stored = mapRows(this.manager, ContactEntity, rows);
    const byEmail = new Map(stored.map((c) => [c.email, c]));
    return contacts.map((c) => byEmail.get(c.email)!);
  }

  async delete(ws: WorkspaceId, id: string): Promise<boolean> {
    const [, affected] = await this.manager.query(
      'DELETE FROM contacts WHERE workspace_id = $1 AND id = $2',
      [ws, id],
    );
    return affected > 0;
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
