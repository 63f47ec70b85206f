import fc from 'fast-check';
import { Database, type WorkspaceId } from '@quorum/persistence';
import { EventIdCodec } from '@quorum/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

/**
 * Paging reaches every row exactly once, in order, for every connection that takes a cursor
 * and every ordering, on data built to tie: rows written by one bulk call share their creation
 * time to the microsecond, contacts with the same title and activity share their score, and
 * accounts share totals, score changes and last-activity times (some 1 µs apart).
 */
describe('paging every connection in every order reaches every row exactly once, in order', () => {
  let h: ApiHarness;
  let gql: Gql;
  let wsId: string;
  let historyContactId: string;
  let historyAccountId: string;
  let codec: EventIdCodec;

  const ACCOUNTS = 130;
  const CONTACTS = 190;

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true });
    ({ gql, id: wsId } = await h.newWorkspace());
    codec = new EventIdCodec(new Database(h.db.dataSource));
    await codec.prepare(wsId as WorkspaceId);
    const domain = (i: number) => `a${String(i).padStart(3, '0')}.example.com`;
    // Bulk calls of uneven sizes: each call's rows share one created_at.
    for (const [from, to] of [
      [0, 60],
      [60, 120],
      [120, 129],
      [129, 130],
    ] as const) {
      const accounts = Array.from({ length: to - from }, (_, k) => ({
        domain: domain(from + k),
        industry: 'Software',
        employeeCount: 500,
      }));
      await ok(
        gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
          a: accounts,
        }),
      );
    }
    const contact = (i: number) => ({
      email: `c${String(i).padStart(3, '0')}@${domain(i % 100)}`,
      title: i % 3 === 0 ? 'Director of Marketing' : 'Analyst',
      seniority: i % 3 === 0 ? 'Director' : null,
    });
    for (const [from, to] of [
      [0, 100],
      [100, 180],
      [180, 190],
    ] as const) {
      const contacts = Array.from({ length: to - from }, (_, k) => contact(from + k));
      await ok(
        gql(`mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { created } }`, {
          c: contacts,
        }),
      );
    }
    // One activity for two contacts in three, at one of two moments: equal scores.
    const activities = Array.from({ length: CONTACTS }, (_, i) => i)
      .filter((i) => i % 3 !== 2)
      .map((i) => ({
        type: i % 2 === 0 ? 'PAGE_VIEW' : 'EMAIL_CLICK',
        occurredAt: i % 4 < 2 ? '2026-11-18T09:00:00Z' : '2026-11-19T09:00:00Z',
        email: contact(i).email,
        externalId: `x-${i}`,
        properties: { url: '/pricing' },
      }));
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: activities,
      }),
    );
    await h.settled(60_000);

    // A history of several entries for one contact (and so its account): one activity per call.
    const target = contact(0).email;
    for (let k = 0; k < 7; k += 1) {
      await ok(
        gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
          a: [
            {
              type: 'EMAIL_OPEN',
              occurredAt: `2026-11-20T0${k}:00:00Z`,
              email: target,
              externalId: `h-${k}`,
            },
          ],
        }),
      );
      await h.settled(30_000);
    }
    const found = await ok(
      gql(`query($e: String!) { contact(email: $e) { id account { id } } }`, { e: target }),
    );
    historyContactId = found.contact.id;
    historyAccountId = found.contact.account.id;

    // Admin audit entries (keys) and model audit entries (publishes and a rollback).
    for (let k = 0; k < 11; k += 1)
      await ok(gql(`mutation { createApiKey(name: "k${k}", scopes: [READ]) { apiKey { id } } }`));
    const first = (await ok(gql(`{ scoringModel { id } }`))).scoringModel.id;
    for (let k = 0; k < 3; k += 1) {
      const draft = await ok(
        gql(`mutation { createScoringModelDraft(description: "d${k}") { id } }`),
      );
      await ok(
        gql(`mutation($v: ID!) { publishScoringModel(versionId: $v) { id } }`, {
          v: draft.createScoringModelDraft.id,
        }),
      );
    }
    await ok(
      gql(`mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id } }`, { v: first }),
    );
    await h.settled(60_000);

    // Ties the data cannot make through the API: some contacts unscored (they sort last under
    // SCORE_DESC), and last-activity times that tie, or differ, below the millisecond.
    const sql = h.db.dataSource;
    await sql.query(
      `DELETE FROM lead_scores WHERE workspace_id = $1 AND contact_id IN (
         SELECT id FROM contacts WHERE workspace_id = $1 ORDER BY email DESC LIMIT 25)`,
      [wsId],
    );
    await sql.query(
      `UPDATE account_scores s SET last_activity_at = CASE WHEN x.n % 3 = 0
         THEN timestamptz '2026-11-19 08:00:00.123457+00' ELSE timestamptz '2026-11-19 08:00:00.123456+00' END
       FROM (SELECT account_id, row_number() OVER (ORDER BY account_id) AS n FROM account_scores
             WHERE workspace_id = $1) x
       WHERE s.workspace_id = $1 AND s.account_id = x.account_id AND x.n <= 45`,
      [wsId],
    );
    await sql.query(
      `UPDATE account_scores SET last_activity_at = NULL
       WHERE workspace_id = $1 AND account_id IN (
         SELECT account_id FROM account_scores WHERE workspace_id = $1 ORDER BY account_id DESC LIMIT 10)`,
      [wsId],
    );
  }, 240_000);
  afterAll(() => h?.close());

  interface Connection {
    name: string;
    /** A query taking $first and $after whose result `pick` turns into the connection. */
    query: string;
    pick: (data: any) => any;
    /** The expected ids in order, from the stored columns at full precision. */
    expected: string;
    /** History entries' ids are opaque event ids: the stored row id they name. */
    rowIdOf?: (id: string) => string;
  }

  const connections = (): Connection[] => [
    ...(
      [
        ['CREATED_AT_DESC', 'ORDER BY c.created_at DESC, c.id DESC'],
        ['EMAIL_ASC', 'ORDER BY c.email ASC'],
        ['SCORE_DESC', 'ORDER BY s.total DESC NULLS LAST, c.id DESC'],
      ] as const
    ).map(([order, sql]) => ({
      name: `contacts ${order}`,
      query: `query($first: Int!, $after: String) { page: contacts(orderBy: ${order}, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
      pick: (d: any) => d.page,
      expected: `SELECT c.id::text AS row_id FROM contacts c
        LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
        WHERE c.workspace_id = $1 ${sql}`,
    })),
    ...(
      [
        ['CREATED_AT_DESC', '', 'ORDER BY a.created_at DESC, a.id DESC'],
        ['DOMAIN_ASC', '', 'ORDER BY a.domain ASC'],
        ['PRIORITY_DESC', 'JOIN', 'ORDER BY s.total DESC, a.id DESC'],
        ['SCORE_CHANGE_DESC', 'JOIN', 'ORDER BY s.score_change DESC, a.id DESC'],
        ['LAST_ACTIVITY_DESC', 'JOIN', 'ORDER BY s.last_activity_at DESC NULLS LAST, a.id DESC'],
      ] as const
    ).map(([order, join, sql]) => ({
      name: `accounts ${order}`,
      query: `query($first: Int!, $after: String) { page: accounts(orderBy: ${order}, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
      pick: (d: any) => d.page,
      expected: `SELECT a.id::text AS row_id FROM accounts a
        ${join ? 'JOIN account_scores s ON s.workspace_id = a.workspace_id AND s.account_id = a.id' : ''}
        WHERE a.workspace_id = $1 ${sql}`,
    })),
    {
      name: 'contact scoreHistory',
      query: `query($first: Int!, $after: String) { contact(id: "${historyContactId}") { page: scoreHistory(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
      pick: (d: any) => d.contact.page,
      rowIdOf: (id) => codec.decode(wsId as WorkspaceId, id, 'lead'),
      expected: `SELECT id::text AS row_id FROM lead_score_history WHERE workspace_id = $1
        AND contact_id = '${historyContactId}' ORDER BY id DESC`,
    },
    {
      name: 'account scoreHistory',
      query: `query($first: Int!, $after: String) { account(id: "${historyAccountId}") { page: scoreHistory(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`,
      pick: (d: any) => d.account.page,
      rowIdOf: (id) => codec.decode(wsId as WorkspaceId, id, 'account'),
      expected: `SELECT id::text AS row_id FROM account_score_history WHERE workspace_id = $1
        AND account_id = '${historyAccountId}' ORDER BY id DESC`,
    },
    {
      name: 'adminAuditLog',
      query: `query($first: Int!, $after: String) { page: adminAuditLog(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
      pick: (d: any) => d.page,
      expected: `SELECT id::text AS row_id FROM admin_audit_log WHERE workspace_id = $1 ORDER BY id DESC`,
    },
    {
      name: 'scoringModelAuditLog',
      query: `query($first: Int!, $after: String) { page: scoringModelAuditLog(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
      pick: (d: any) => d.page,
      expected: `SELECT id::text AS row_id FROM scoring_model_audit WHERE workspace_id = $1 ORDER BY id DESC`,
    },
  ];

  async function pageThrough(c: Connection, first: number) {
    const ids: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let calls = 0; calls < 1_000; calls += 1) {
      const page = c.pick(await ok(gql(c.query, { first, after })));
      totalCount = page.totalCount;
      expect(page.edges.length).toBeLessThanOrEqual(first);
      ids.push(...page.edges.map((e: any) => (c.rowIdOf ? c.rowIdOf(e.node.id) : e.node.id)));
      if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) return { ids, totalCount };
      after = page.pageInfo.endCursor;
    }
    throw new Error(`${c.name}: no last page after 1,000 pages`);
  }

  it('has the ties it is meant to test', async () => {
    const [ties] = await h.db.dataSource.query(
      `SELECT
         (SELECT max(n) FROM (SELECT count(*) AS n FROM accounts WHERE workspace_id = $1 GROUP BY created_at) x)::int AS accounts_created,
         (SELECT max(n) FROM (SELECT count(*) AS n FROM contacts WHERE workspace_id = $1 GROUP BY created_at) x)::int AS contacts_created,
         (SELECT max(n) FROM (SELECT count(*) AS n FROM lead_scores WHERE workspace_id = $1 GROUP BY total) x)::int AS lead_totals,
         (SELECT max(n) FROM (SELECT count(*) AS n FROM account_scores WHERE workspace_id = $1 GROUP BY total) x)::int AS account_totals,
         (SELECT max(n) FROM (SELECT count(*) AS n FROM account_scores WHERE workspace_id = $1 GROUP BY score_change) x)::int AS score_changes,
         (SELECT count(DISTINCT last_activity_at) FROM account_scores WHERE workspace_id = $1
           AND last_activity_at BETWEEN '2026-11-19 08:00:00.123456+00' AND '2026-11-19 08:00:00.123457+00')::int AS sub_ms_times,
         (SELECT count(*) FROM contacts WHERE workspace_id = $1)::int AS contacts,
         (SELECT count(*) FROM accounts WHERE workspace_id = $1)::int AS accounts`,
      [wsId],
    );
    expect(ties).toMatchObject({ contacts: CONTACTS, accounts: ACCOUNTS, sub_ms_times: 2 });
    for (const key of [
      'accounts_created',
      'contacts_created',
      'lead_totals',
      'account_totals',
      'score_changes',
    ])
      expect(ties[key], key).toBeGreaterThanOrEqual(10);
  });

  it('for any page size, including sizes that cut through ties', async () => {
    for (const c of connections()) {
      const expected: string[] = (await h.db.dataSource.query(c.expected, [wsId])).map(
        (r: { row_id: string }) => r.row_id,
      );
      expect(expected.length, c.name).toBeGreaterThan(3);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 80 })),
          async (first) => {
            const { ids, totalCount } = await pageThrough(c, first);
            expect(new Set(ids).size, `${c.name}, first ${first}: duplicates`).toBe(ids.length);
            expect(ids, `${c.name}, first ${first}`).toEqual(expected);
            expect(totalCount).toBe(expected.length);
          },
        ),
        { numRuns: 4, examples: [[1], [7], [expected.length]] },
      );
    }
  }, 240_000);
});
