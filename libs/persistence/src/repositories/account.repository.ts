import type { EntityManager } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
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
import { contactsToScoreSql } from './pending-rescore.repository';
import { SqlFilter } from '../sql-filter';
import type { WorkspaceId } from '../workspace-id';

export interface AccountFilter {
  domains?: string[] | null;
  industries?: string[] | null;
  ownerIds?: string[] | null;
  countries?: string[] | null;
  minEmployees?: number | null;
  maxEmployees?: number | null;
  search?: string | null;
  /** Filters on the stored account score: accounts without one do not match them. */
  tiers?: string[] | null;
  minTotal?: number | null;
  quadrants?: string[] | null;
  surging?: boolean | null;
  decisionMakerEngaged?: boolean | null;
  /** Buying-committee coverage strictly below this fraction (0–1). */
  coverageBelow?: number | null;
}

export type AccountOrder =
  'DOMAIN_ASC' | 'CREATED_AT_DESC' | 'PRIORITY_DESC' | 'SCORE_CHANGE_DESC' | 'LAST_ACTIVITY_DESC';

/** A listed account with the ordering tuple its cursor holds. */
export type AccountListRow = AccountEntity & { cursorKey: unknown[] };

/**
 * Orders over scores read account_scores (inner join: only scored accounts); PRIORITY_DESC
 * walks the (workspace_id, total, account_id) index backwards.
 */
export const ACCOUNT_ORDERS: Record<AccountOrder, KeysetOrder & { scored: boolean }> = {
  DOMAIN_ASC: { keys: [{ sql: 'a.domain', type: 'text' }], direction: 'ASC', scored: false },
  CREATED_AT_DESC: {
    keys: [
      { sql: 'a.created_at', type: 'timestamptz' },
      { sql: 'a.id', type: 'uuid' },
    ],
    direction: 'DESC',
    scored: false,
  },
  PRIORITY_DESC: {
    keys: [
      { sql: 's.total', type: 'float8' },
      { sql: 's.account_id', type: 'uuid' },
    ],
    direction: 'DESC',
    scored: true,
  },
  SCORE_CHANGE_DESC: {
    keys: [
      { sql: 's.score_change', type: 'float8' },
      { sql: 's.account_id', type: 'uuid' },
    ],
    direction: 'DESC',
    scored: true,
  },
  LAST_ACTIVITY_DESC: {
    keys: [
      { sql: "coalesce(s.last_activity_at, '-infinity'::timestamptz)", type: 'timestamptz' },
      { sql: 's.account_id', type: 'uuid' },
    ],
    direction: 'DESC',
    scored: true,
  },
};

const SCORE_FILTERS: (keyof AccountFilter)[] = [
  'tiers',
  'minTotal',
  'quadrants',
  'surging',
  'decisionMakerEngaged',
  'coverageBelow',
];

function needsScore(filter: AccountFilter): boolean {
  return SCORE_FILTERS.some((k) => {
    const v = filter[k];
    return v != null && !(Array.isArray(v) && v.length === 0);
  });
}

const SCORE_JOIN =
  'JOIN account_scores s ON s.workspace_id = a.workspace_id AND s.account_id = a.id';

export type AccountWrite = Omit<AccountEntity, 'workspace' | 'createdAt' | 'updatedAt'>;

export class AccountRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByIds(ws: WorkspaceId, ids: readonly string[]): Promise<AccountEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM accounts WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [ws, ids],
    );
    return mapRows(this.manager, AccountEntity, rows);
  }

  /** Reads and locks accounts for a roll-up, in id order (batches sharing one wait, not deadlock). */
  async lockByIds(ws: WorkspaceId, ids: readonly string[]): Promise<AccountEntity[]> {
    if (ids.length === 0) return [];
    return runQuery(this.manager, this.lockByIdsRead(ws, ids));
  }

  lockByIdsRead(ws: WorkspaceId, ids: readonly string[]): PreparedQuery<AccountEntity[]> {
    return preparedQuery(
      `SELECT * FROM accounts WHERE workspace_id = $1 AND id = ANY($2::uuid[])
       ORDER BY id FOR NO KEY UPDATE`,
      [ws, [...ids].sort()],
      (rows) => mapRows(this.manager, AccountEntity, rows),
    );
  }

  /** The accounts these contacts belong to (those of `ifMarked` only if marked: see `contactsToScoreSql`). */
  ofContactsRead(
    ws: WorkspaceId,
    contactIds: readonly string[],
    ifMarked: readonly string[] = [],
  ): PreparedQuery<AccountEntity[]> {
    return preparedQuery(
      // The ids first (an InitPlan), then primary-key lookups: no join for stale statistics
      // to turn into a scan of the workspace.
      `SELECT * FROM accounts WHERE workspace_id = $1 AND id = ANY(ARRAY(
         SELECT account_id FROM contacts
         WHERE workspace_id = $1 AND id = ANY(${contactsToScoreSql('$1', '$2', '$3')})))`,
      [ws, contactIds, ifMarked],
      (rows) => mapRows(this.manager, AccountEntity, rows),
    );
  }

  async allInWorkspace(ws: WorkspaceId): Promise<AccountEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM accounts WHERE workspace_id = $1 ORDER BY id',
      [ws],
    );
    return mapRows(this.manager, AccountEntity, rows);
  }

  async findByDomains(ws: WorkspaceId, domains: readonly string[]): Promise<AccountEntity[]> {
    if (domains.length === 0) return [];
    const rows = await this.manager.query(
      'SELECT * FROM accounts WHERE workspace_id = $1 AND domain = ANY($2::text[])',
      [ws, domains],
    );
    return mapRows(this.manager, AccountEntity, rows);
  }

  private filterSql(ws: WorkspaceId, filter: AccountFilter): SqlFilter {
    const f = new SqlFilter();
    f.add(`a.workspace_id = ${f.param(ws)}`);
    if (filter.domains?.length) f.add(`a.domain = ANY(${f.param(filter.domains)}::text[])`);
    if (filter.industries?.length) {
      f.add(
        `lower(a.industry) = ANY(${f.param(filter.industries.map((i) => i.toLowerCase()))}::text[])`,
      );
    }
    if (filter.ownerIds?.length) f.add(`a.owner_id = ANY(${f.param(filter.ownerIds)}::text[])`);
    if (filter.countries?.length) {
      f.add(
        `lower(a.country) = ANY(${f.param(filter.countries.map((c) => c.toLowerCase()))}::text[])`,
      );
    }
    if (filter.minEmployees != null) f.add(`a.employee_count >= ${f.param(filter.minEmployees)}`);
    if (filter.maxEmployees != null) f.add(`a.employee_count <= ${f.param(filter.maxEmployees)}`);
    if (filter.tiers?.length) f.add(`s.tier = ANY(${f.param(filter.tiers)}::text[])`);
    if (filter.minTotal != null) f.add(`s.total >= ${f.param(filter.minTotal)}`);
    if (filter.quadrants?.length) f.add(`s.quadrant = ANY(${f.param(filter.quadrants)}::text[])`);
    if (filter.surging != null) f.add(`s.surging = ${f.param(filter.surging)}`);
    if (filter.decisionMakerEngaged != null) {
      f.add(`s.decision_maker_engaged = ${f.param(filter.decisionMakerEngaged)}`);
    }
    if (filter.coverageBelow != null) f.add(`s.coverage < ${f.param(filter.coverageBelow)}`);
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const p = f.param(like);
      f.add(`(a.domain ILIKE ${p} OR a.name ILIKE ${p})`);
    }
    return f;
  }

  async list(
    ws: WorkspaceId,
    filter: AccountFilter,
    order: AccountOrder,
    page: PageRequest,
  ): Promise<Page<AccountListRow>> {
    const f = this.filterSql(ws, filter);
    const ordering = ACCOUNT_ORDERS[order];
    const k = keysetSql(ordering, page, f.params.length + 1);
    const where = [f.where(), k.where].filter(Boolean).join(' AND ');
    const join = ordering.scored || needsScore(filter) ? SCORE_JOIN : '';
    const rows: Record<string, unknown>[] = await this.manager.query(
      `SELECT a.*, ${keySelectSql(ordering)} FROM accounts a ${join} WHERE ${where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      [...f.params, ...k.params],
    );
    const accounts = mapRows(this.manager, AccountEntity, rows).map((a, i) =>
      Object.assign(a, { cursorKey: cursorKeyOf(ordering, rows[i]!) }),
    );
    return toPage(accounts, page.first);
  }

  async count(
    ws: WorkspaceId,
    filter: AccountFilter,
    order: AccountOrder = 'DOMAIN_ASC',
  ): Promise<number> {
    const f = this.filterSql(ws, filter);
    const join = ACCOUNT_ORDERS[order].scored || needsScore(filter) ? SCORE_JOIN : '';
    const [row] = await this.manager.query(
      `SELECT count(*)::int AS n FROM accounts a ${join} WHERE ${f.where()}`,
      f.params,
    );
    return row.n;
  }

  /** Inserts or updates by (workspace, domain); returns the stored rows in input order. */
  async upsertMany(ws: WorkspaceId, accounts: readonly AccountWrite[]): Promise<AccountEntity[]> {
    if (accounts.length === 0) return [];
    const rows = await this.manager.query(
      `INSERT INTO accounts (workspace_id, id, domain, name, industry, employee_count, annual_revenue,
         country, region, technologies, owner_id, attributes)
       SELECT $1, x.id, x.domain, x.name, x.industry, x.employee_count, x.annual_revenue, x.country,
         x.region, x.technologies, x.owner_id, x.attributes
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, domain text, name text, industry text,
         employee_count int, annual_revenue double precision, country text, region text,
         technologies text[], owner_id text, attributes jsonb)
       ON CONFLICT (workspace_id, domain) DO UPDATE SET
         name = EXCLUDED.name, industry = EXCLUDED.industry, employee_count = EXCLUDED.employee_count,
         annual_revenue = EXCLUDED.annual_revenue, country = EXCLUDED.country, region = EXCLUDED.region,
         technologies = EXCLUDED.technologies, owner_id = EXCLUDED.owner_id,
         attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING *`,
      [
        ws,
        // In id order, the order a rescore locks them in: two transactions never wait on
        // each other's rows the other way round (a deadlock).
        JSON.stringify(
          [...accounts].sort(byId).map((a) => ({
            id: a.id,
            domain: a.domain,
            name: a.name,
            industry: a.industry,
            employee_count: a.employeeCount,
            annual_revenue: a.annualRevenue,
            country: a.country,
            region: a.region,
            technologies: a.technologies,
            owner_id: a.ownerId,
            attributes: a.attributes,
          })),
        ),
      ],
    );
    const stored = mapRows(this.manager, AccountEntity, rows);
    const byDomain = new Map(stored.map((a) => [a.domain, a]));
    return accounts.map((a) => byDomain.get(a.domain)!);
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
