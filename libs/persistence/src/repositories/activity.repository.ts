import type { EntityManager } from 'typeorm';
import { ActivityEntity } from '../entities/activity.entity';
import { EPOCH_MS, preparedQuery, runQuery, type PreparedQuery } from '../prepared-query';
import { mapRows } from '../row-mapper';
import { contactsToScoreSql } from './pending-rescore.repository';
import type { WorkspaceId } from '../workspace-id';

export type ActivityWrite = Pick<
  ActivityEntity,
  'contactId' | 'accountId' | 'type' | 'occurredAt' | 'properties' | 'externalId'
>;

/** What scoring reads of an activity. */
export type ScoredActivity = Pick<ActivityEntity, 'id' | 'type' | 'occurredAt' | 'properties'>;

/** An account's contact activity counted in the engine's velocity windows. */
export interface ContactActivityCount {
  last7Days: number;
  prior4Weeks: number;
  latestAt: Date | null;
}

export class ActivityRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Stores the activities whose external id is new; a repeated (workspace, externalId)
   * is skipped. Returns the external ids that were inserted.
   */
  async insertNew(ws: WorkspaceId, activities: readonly ActivityWrite[]): Promise<Set<string>> {
    if (activities.length === 0) return new Set();
    const rows: { external_id: string }[] = await this.manager.query(
      `INSERT INTO activities (workspace_id, contact_id, account_id, type, occurred_at, properties, external_id)
       SELECT $1, x.contact_id, x.account_id, x.type, x.occurred_at, x.properties, x.external_id
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, account_id uuid, type text,
         occurred_at timestamptz, properties jsonb, external_id text)
       ON CONFLICT (workspace_id, external_id) DO NOTHING
       RETURNING external_id`,
      [
        ws,
        JSON.stringify(
          activities.map((a) => ({
            contact_id: a.contactId,
            account_id: a.accountId,
            type: a.type,
            occurred_at: a.occurredAt.toISOString(),
            properties: a.properties,
            external_id: a.externalId,
          })),
        ),
      ],
    );
    return new Set(rows.map((r) => r.external_id));
  }

  /** The newest `limit` activities of each contact, in one statement. */
  async newestByContactIds(
    ws: WorkspaceId,
    contactIds: readonly string[],
    limit: number,
  ): Promise<ActivityEntity[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.manager.query(
      `SELECT * FROM (
         SELECT a.*, row_number() OVER (PARTITION BY a.contact_id ORDER BY a.occurred_at DESC, a.id DESC) AS rn
         FROM activities a WHERE a.workspace_id = $1 AND a.contact_id = ANY($2::uuid[])
       ) x WHERE rn <= $3 ORDER BY contact_id, occurred_at DESC, id DESC`,
      [ws, contactIds, limit],
    );
    return mapRows(this.manager, ActivityEntity, rows);
  }

  async countByContactIds(
    ws: WorkspaceId,
    contactIds: readonly string[],
  ): Promise<Map<string, number>> {
    if (contactIds.length === 0) return new Map();
    const rows: { contact_id: string; n: number }[] = await this.manager.query(
      `SELECT contact_id, count(*)::int AS n FROM activities
       WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[]) GROUP BY contact_id`,
      [ws, contactIds],
    );
    return new Map(rows.map((r) => [r.contact_id, r.n]));
  }

  /** Every contact activity of a workspace that occurred before `before` (validation runs). */
  async contactActivitiesBefore(ws: WorkspaceId, before: Date): Promise<ActivityEntity[]> {
    const rows = await this.manager.query(
      `SELECT * FROM activities WHERE workspace_id = $1 AND contact_id IS NOT NULL AND occurred_at < $2
       ORDER BY contact_id, occurred_at`,
      [ws, before],
    );
    return mapRows(this.manager, ActivityEntity, rows);
  }

  /** Every account-level activity (no contact) before `before`, by account then time. */
  async accountActivitiesBefore(ws: WorkspaceId, before: Date): Promise<ActivityEntity[]> {
    const rows = await this.manager.query(
      `SELECT * FROM activities WHERE workspace_id = $1 AND contact_id IS NULL AND account_id IS NOT NULL
       AND occurred_at < $2 ORDER BY account_id, occurred_at`,
      [ws, before],
    );
    return mapRows(this.manager, ActivityEntity, rows);
  }

  /** Account-level activities (no contact) of each account, newest first. */
  async accountLevel(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): Promise<Map<string, ActivityEntity[]>> {
    if (accountIds.length === 0) return new Map();
    return runQuery(this.manager, this.accountLevelRead(ws, accountIds));
  }

  accountLevelRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): PreparedQuery<Map<string, ActivityEntity[]>> {
    return preparedQuery(
      `SELECT * FROM activities WHERE workspace_id = $1 AND account_id = ANY($2::uuid[]) AND contact_id IS NULL
       ORDER BY account_id, occurred_at DESC, id DESC`,
      [ws, accountIds],
      (rows) => {
        const byAccount = new Map<string, ActivityEntity[]>(accountIds.map((id) => [id, []]));
        for (const a of mapRows(this.manager, ActivityEntity, rows))
          byAccount.get(a.accountId!)?.push(a);
        return byAccount;
      },
    );
  }

  /**
   * Each account's contact activity, counted in the engine's velocity windows: activities
   * in (recentAfter, now], in (priorAfter, recentAfter], and the latest in (priorAfter, now].
   * Counted by PostgreSQL: an active account has thousands of activities in five weeks.
   */
  async contactActivityCounts(
    ws: WorkspaceId,
    accountIds: readonly string[],
    windows: { now: Date; recentAfter: Date; priorAfter: Date },
  ): Promise<Map<string, ContactActivityCount>> {
    if (accountIds.length === 0) return new Map();
    return runQuery(this.manager, this.contactActivityCountsRead(ws, accountIds, windows));
  }

  contactActivityCountsRead(
    ws: WorkspaceId,
    accountIds: readonly string[],
    windows: { now: Date; recentAfter: Date; priorAfter: Date },
  ): PreparedQuery<Map<string, ContactActivityCount>> {
    return preparedQuery(
      // One index range scan per account (workspace, account, time), whatever the
      // statistics say: a plan that scans the workspace's five weeks and filters on the
      // account, which stale statistics lead to, grows with the whole workspace's activity.
      `SELECT a.id AS account_id, n.last7, n.prior, n.latest
       FROM unnest($2::uuid[]) AS a(id)
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE occurred_at > $3::timestamptz AND occurred_at <= $5::timestamptz)::int AS last7,
           count(*) FILTER (WHERE occurred_at > $4::timestamptz AND occurred_at <= $3::timestamptz)::int AS prior,
           max(occurred_at) FILTER (WHERE occurred_at <= $5::timestamptz) AS latest
         FROM activities
         WHERE workspace_id = $1 AND account_id = a.id AND contact_id IS NOT NULL
           AND occurred_at > $4::timestamptz
       ) AS n`,
      [ws, accountIds, windows.recentAfter, windows.priorAfter, windows.now],
      (rows) => {
        const counts = new Map<string, ContactActivityCount>(
          accountIds.map((id) => [id, { last7Days: 0, prior4Weeks: 0, latestAt: null }]),
        );
        for (const r of rows)
          counts.set(r['account_id'] as string, {
            last7Days: r['last7'] as number,
            prior4Weeks: r['prior'] as number,
            latestAt: r['latest'] as Date | null,
          });
        return counts;
      },
    );
  }

  /**
   * The activities of several contacts, each contact's newest first (one statement), with
   * only the columns scoring reads: a batch reads thousands of them.
   */
  async forContacts(
    ws: WorkspaceId,
    contactIds: readonly string[],
  ): Promise<Map<string, ScoredActivity[]>> {
    if (contactIds.length === 0) return new Map();
    return runQuery(this.manager, this.forContactsRead(ws, contactIds));
  }

  /**
   * `forContacts` as a PreparedQuery. Contacts in `ifMarked` are read only if they have a
   * pending marker (a rescore skips the others), so a batch that is mostly already claimed
   * reads little.
   */
  forContactsRead(
    ws: WorkspaceId,
    contactIds: readonly string[],
    ifMarked: readonly string[] = [],
  ): PreparedQuery<Map<string, ScoredActivity[]>> {
    return preparedQuery(
      // Times as epoch milliseconds: parsing thousands of timestamp strings per batch cost
      // the worker more than scoring them.
      `SELECT id, contact_id, type, ${EPOCH_MS('occurred_at')} AS occurred_ms, properties FROM activities
       WHERE workspace_id = $1 AND contact_id = ANY(${contactsToScoreSql('$1', '$2', '$3')})
       ORDER BY contact_id, occurred_at DESC, id DESC`,
      [ws, contactIds, ifMarked],
      (rows) => {
        const byContact = new Map<string, ScoredActivity[]>(
          [...contactIds, ...ifMarked].map((id) => [id, []]),
        );
        for (const r of rows)
          byContact.get(r['contact_id'] as string)?.push({
            id: r['id'] as string,
            type: r['type'] as string,
            occurredAt: new Date(r['occurred_ms'] as number),
            properties: r['properties'] as Record<string, unknown>,
          });
        return byContact;
      },
    );
  }

  /** Every activity of one contact up to `until` (inclusive), for scoring. */
  async forContact(ws: WorkspaceId, contactId: string, until?: Date): Promise<ActivityEntity[]> {
    const rows = await this.manager.query(
      `SELECT * FROM activities WHERE workspace_id = $1 AND contact_id = $2
       ${until ? 'AND occurred_at <= $3' : ''} ORDER BY occurred_at DESC, id DESC`,
      until ? [ws, contactId, until] : [ws, contactId],
    );
    return mapRows(this.manager, ActivityEntity, rows);
  }
}
