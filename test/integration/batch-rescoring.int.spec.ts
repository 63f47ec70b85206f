import { randomUUID } from 'node:crypto';
import { Database, trustedWorkspaceId, type WorkspaceId } from '@quorum/persistence';
import { AccountScoringService, LeadScoringService } from '@quorum/services';
import { contactActivityWindows, countContactActivity } from '@quorum/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

const NOW = new Date('2026-11-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

const ACCOUNTS = [
  { domain: 'north.io', industry: 'Software', employeeCount: 800, country: 'US' },
  { domain: 'south.io', industry: 'Retail', employeeCount: 40, country: 'DE' },
];
const CONTACTS = [
  { email: 'ceo@north.io', seniority: 'C-Level', title: 'CEO', country: 'US' },
  { email: 'vp@north.io', seniority: 'VP', title: 'VP Sales', country: 'US' },
  { email: 'dev@north.io', seniority: 'Individual', title: 'Engineer', country: 'US' },
  { email: 'cfo@south.io', seniority: 'C-Level', title: 'CFO', country: 'DE' },
  { email: 'ops@south.io', seniority: 'Manager', title: 'Ops Manager', country: 'DE' },
  { email: 'cold@south.io', seniority: 'Individual', title: 'Intern', country: 'DE' },
];
const ACTIVITIES = [
  ...Array.from({ length: 6 }, (_, i) => ({
    type: 'PAGE_VIEW',
    email: 'ceo@north.io',
    occurredAt: hoursAgo(i + 1),
    properties: { url: '/pricing' },
  })),
  { type: 'DEMO_REQUEST', email: 'vp@north.io', occurredAt: hoursAgo(2) },
  { type: 'EMAIL_CLICK', email: 'dev@north.io', occurredAt: hoursAgo(30) },
  { type: 'WEBINAR_ATTENDED', email: 'cfo@south.io', occurredAt: hoursAgo(200) },
  { type: 'EMAIL_OPEN', email: 'ops@south.io', occurredAt: hoursAgo(5) },
].map((a, i) => ({ ...a, externalId: `a${i}` }));

/** A workspace with the same accounts, contacts, buying group and activities as every other. */
async function seed(h: ApiHarness): Promise<{ ws: WorkspaceId; contactIds: string[] }> {
  const { id, gql } = await h.newWorkspace();
  const run = (query: string, variables?: Record<string, unknown>) =>
    ok((gql as Gql)(query, variables));
  await run(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
    a: ACCOUNTS,
  });
  await run(`mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { created } }`, {
    c: CONTACTS,
  });
  await run(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
    a: ACTIVITIES,
  });
  const ws = trustedWorkspaceId(id);
  const rows: { id: string; email: string; account_id: string }[] = await h.db.dataSource.query(
    'SELECT id, email, account_id FROM contacts WHERE workspace_id = $1',
    [ws],
  );
  const idOf = new Map(rows.map((r) => [r.email, r]));
  const north = idOf.get('ceo@north.io')!.account_id;
  const group = await run(
    `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "Platform", requiredRoles: [DECISION_MAKER, CHAMPION] }) { id } }`,
    { a: north },
  );
  await run(
    `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: DECISION_MAKER) { role } }`,
    { g: group.createBuyingGroup.id, c: idOf.get('ceo@north.io')!.id },
  );
  return { ws, contactIds: CONTACTS.map((c) => idOf.get(c.email)!.id) };
}

/** Everything a rescore stores, by email or domain, without ids or times that differ. */
async function stored(h: ApiHarness, ws: WorkspaceId) {
  // Reasons name contacts and groups by id: compare them by email and name instead.
  const names: { id: string; name: string }[] = await h.db.dataSource.query(
    `SELECT id::text, email AS name FROM contacts WHERE workspace_id = $1
     UNION ALL SELECT id::text, name FROM buying_groups WHERE workspace_id = $1`,
    [ws],
  );
  const byName = (rows: unknown) =>
    JSON.parse(names.reduce((json, n) => json.replaceAll(n.id, n.name), JSON.stringify(rows)));
  const q = async (sql: string) => byName(await h.db.dataSource.query(sql, [ws]));
  return {
    leads: await q(
      `SELECT c.email, s.fit, s.engagement, s.negative, s.total, s.tier, s.grade, s.quadrant, s.action,
              s.override, s.reasons, s.last_activity_at, c.lifecycle_stage
         FROM lead_scores s JOIN contacts c ON c.workspace_id = s.workspace_id AND c.id = s.contact_id
        WHERE s.workspace_id = $1 ORDER BY c.email`,
    ),
    leadHistory: await q(
      `SELECT c.email, h.old_total, h.new_total, h.old_tier, h.new_tier, h.cause, h.reasons
         FROM lead_score_history h JOIN contacts c ON c.workspace_id = h.workspace_id AND c.id = h.contact_id
        WHERE h.workspace_id = $1 ORDER BY c.email, h.id`,
    ),
    lifecycle: await q(
      `SELECT c.email, e.from_stage, e.to_stage, e.total FROM lifecycle_events e
         JOIN contacts c ON c.workspace_id = e.workspace_id AND c.id = e.contact_id
        WHERE e.workspace_id = $1 ORDER BY c.email, e.id`,
    ),
    accounts: await q(
      `SELECT a.domain, s.fit, s.rollup, s.committee, s.intent, s.engagement, s.total, s.tier, s.quadrant,
              s.action, s.engaged_contacts, s.coverage, s.decision_maker_engaged, s.surging, s.signals,
              s.reasons, s.last_activity_at, s.score_change
         FROM account_scores s JOIN accounts a ON a.workspace_id = s.workspace_id AND a.id = s.account_id
        WHERE s.workspace_id = $1 ORDER BY a.domain`,
    ),
    accountHistory: await q(
      `SELECT a.domain, h.old_total, h.new_total, h.new_tier, h.cause, h.reasons
         FROM account_score_history h JOIN accounts a ON a.workspace_id = h.workspace_id AND a.id = h.account_id
        WHERE h.workspace_id = $1 ORDER BY a.domain, h.id`,
    ),
    groups: await q(
      `SELECT g.name, s.engagement, s.completeness, s.engaged_completeness, s.missing_roles, s.engaged_roles
         FROM buying_group_scores s JOIN buying_groups g ON g.workspace_id = s.workspace_id AND g.id = s.buying_group_id
        WHERE s.workspace_id = $1 ORDER BY g.name`,
    ),
    markers: await q(
      `SELECT entity_type, count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1
        GROUP BY entity_type ORDER BY entity_type`,
    ),
  };
}

describe('batch rescoring: one transaction for many contacts or accounts', () => {
  let h: ApiHarness;
  let leads: LeadScoringService;
  let accounts: AccountScoringService;

  beforeAll(async () => {
    // No worker: the services are driven by hand, so nothing else rescores meanwhile.
    h = await startApiHarness({ now: NOW });
    const db = new Database(h.db.appDataSource);
    leads = new LeadScoringService(db, h.clock);
    accounts = new AccountScoringService(db, h.clock);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores exactly what rescoring the same entities one at a time stores', async () => {
    const batched = await seed(h);
    const single = await seed(h);

    const missing = randomUUID();
    const results = await leads.rescoreContacts(batched.ws, [
      ...batched.contactIds.map((contactId) => ({ contactId, cause: 'ACTIVITY' })),
      { contactId: missing, cause: 'ACTIVITY' },
    ]);
    for (const contactId of single.contactIds)
      await leads.rescoreContact(single.ws, contactId, 'ACTIVITY');

    // A contact that no longer exists is left out; each moved score has its event.
    expect(results.map((r) => r.contactId).sort()).toEqual([...batched.contactIds].sort());
    expect(results.every((r) => r.changed)).toBe(true);
    const leadEvents = results
      .flatMap((r) => r.events)
      .filter((e) => e.type === 'LEAD_SCORE_CHANGED');
    expect(leadEvents).toHaveLength(CONTACTS.length);
    expect(new Set(leadEvents.map((e) => e.eventId)).size).toBe(CONTACTS.length);

    const accountIds = [...new Set(results.map((r) => r.accountId!))];
    const singleAccountIds: string[] = (
      await h.db.dataSource.query('SELECT id FROM accounts WHERE workspace_id = $1', [single.ws])
    ).map((r: { id: string }) => r.id);
    const rolledUp = await accounts.rescoreAccounts(
      batched.ws,
      accountIds.map((accountId) => ({ accountId, cause: 'CONTACT_SCORE_CHANGED' })),
    );
    for (const accountId of singleAccountIds)
      await accounts.rescoreAccount(single.ws, accountId, 'CONTACT_SCORE_CHANGED');
    expect(rolledUp.map((r) => r.events.length)).toEqual([1, 1]);

    const a = await stored(h, batched.ws);
    const b = await stored(h, single.ws);
    expect(a.leads).toHaveLength(CONTACTS.length);
    expect(a.accounts).toHaveLength(ACCOUNTS.length);
    expect(a.groups).toHaveLength(1);
    expect(a.lifecycle.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    // The contacts' markers were claimed, and the accounts' too once rolled up.
    expect(a.markers).toEqual([]);
  });

  it('rewrites a stored score only where it differs, reasons and action included', async () => {
    const { ws, contactIds } = await seed(h);
    const requests = contactIds.map((contactId) => ({ contactId, cause: 'ACTIVITY' }));
    await leads.rescoreContacts(ws, requests);
    const [first, second] = contactIds as [string, string];
    // The stored row of the first contact drifts from what its inputs give, in reasons and
    // action only: its total and tier (all a rescore reads back) stay the same.
    const original: { reasons: unknown; action: string }[] = await h.db.dataSource.query(
      'SELECT reasons, action FROM lead_scores WHERE workspace_id = $1 AND contact_id = $2',
      [ws, first],
    );
    await h.db.dataSource.query(
      `UPDATE lead_scores SET reasons = '[]', action = 'TAMPERED' WHERE workspace_id = $1 AND contact_id = $2`,
      [ws, first],
    );
    const versions = async () =>
      new Map(
        (
          (await h.db.dataSource.query(
            'SELECT contact_id, xmin::text AS version FROM lead_scores WHERE workspace_id = $1',
            [ws],
          )) as { contact_id: string; version: string }[]
        ).map((r) => [r.contact_id, r.version]),
      );
    const before = await versions();
    const results = await leads.rescoreContacts(ws, requests);

    expect(results.every((r) => !r.changed && r.events.length === 0)).toBe(true);
    const restored = await h.db.dataSource.query(
      'SELECT reasons, action FROM lead_scores WHERE workspace_id = $1 AND contact_id = $2',
      [ws, first],
    );
    expect(restored).toEqual(original);
    // Only the drifted row got a new version; the others were left as they were.
    const after = await versions();
    expect(after.get(first)).not.toBe(before.get(first));
    expect(after.get(second)).toBe(before.get(second));
    expect([...after].filter(([id, v]) => before.get(id) !== v).map(([id]) => id)).toEqual([first]);
  });

  it('costs the same statements for a batch of six as for one contact', async () => {
    const { ws, contactIds } = await seed(h);
    const requests = contactIds.map((contactId) => ({ contactId, cause: 'ACTIVITY' }));
    // First scores for all (history, markers, lifecycle), then measure settled rescores.
    await leads.rescoreContacts(ws, requests);
    const statements = async (work: () => Promise<unknown>) => {
      const before = h.counter.count;
      await work();
      return h.counter.count - before;
    };
    const one = await statements(() => leads.rescoreContacts(ws, requests.slice(0, 1)));
    const six = await statements(() => leads.rescoreContacts(ws, requests));
    expect(one).toBeGreaterThan(0);
    expect(six).toBe(one);
  });

  it('skips a contact whose marker a rescore has already claimed, when asked to', async () => {
    const { ws, contactIds } = await seed(h);
    const [first, second] = contactIds as [string, string];
    // Both were marked by the seed's writes; rescoring the first claims its marker.
    await leads.rescoreContacts(ws, [{ contactId: first, cause: 'ACTIVITY' }]);
    const results = await leads.rescoreContacts(ws, [
      { contactId: first, cause: 'ACTIVITY', onlyIfMarked: true },
      { contactId: second, cause: 'ACTIVITY', onlyIfMarked: true },
    ]);
    expect(results.map((r) => r.contactId)).toEqual([second]);
    expect(results[0]!.marked).toBe(true);
    // Without the flag a contact is rescored whatever its markers (nothing moves now).
    const again = await leads.rescoreContacts(ws, [{ contactId: first, cause: 'ACTIVITY' }]);
    expect(again.map((r) => [r.contactId, r.marked, r.changed])).toEqual([[first, false, false]]);
  });

  it('lets a write mark a contact while its rescore runs, and keeps that marker', async () => {
    const { ws, contactIds } = await seed(h);
    const id = contactIds[0]!;
    const db = new Database(h.db.appDataSource);
    let readDone!: () => void;
    const reading = new Promise<void>((r) => (readDone = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // A rescore, paused between reading the marker and deleting it as it commits.
    const rescore = db.transaction(ws, async (repos) => {
      await repos.contacts.lockByIds(ws, [id]);
      const markers = await repos.pending.read(ws, 'CONTACT', [id]);
      readDone();
      await held;
      await repos.pending.claim(ws, 'CONTACT', markers);
      return markers;
    });
    await reading;
    // An activity's write meanwhile: with the rescore still open it must not wait.
    await db.transaction(ws, async (repos) => {
      await repos.manager.query(`SET LOCAL lock_timeout = '2s'`);
      await repos.pending.mark(ws, 'CONTACT', [id]);
    });
    release();
    const read = await rescore;
    expect(read.has(id)).toBe(true);
    // The rescore may not have seen that write: its marker, a generation on, stays.
    const left = await h.db.dataSource.query(
      `SELECT generation FROM pending_rescores WHERE workspace_id = $1 AND entity_type = 'CONTACT' AND entity_id = $2`,
      [ws, id],
    );
    expect(left).toEqual([{ generation: read.get(id)! + 1 }]);
  });

  it('counts contact activity in the engine’s velocity windows, boundaries included', async () => {
    const { ws } = await seed(h);
    const [{ account_id: accountId, id: contactId }] = await h.db.dataSource.query(
      `SELECT account_id, id FROM contacts WHERE workspace_id = $1 AND email = 'ceo@north.io'`,
      [ws],
    );
    const { recentAfter, priorAfter } = contactActivityWindows(NOW);
    const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
    // On and either side of each boundary, and in the future.
    const edges = [
      ms(NOW, 60_000),
      NOW,
      ms(recentAfter, 1),
      recentAfter,
      ms(recentAfter, -1),
      ms(priorAfter, 1),
      priorAfter,
      ms(priorAfter, -1),
    ];
    for (const [i, at] of edges.entries())
      await h.db.dataSource.query(
        `INSERT INTO activities (workspace_id, contact_id, account_id, type, occurred_at, properties, external_id)
         VALUES ($1, $2, $3, 'PAGE_VIEW', $4, '{}', $5)`,
        [ws, contactId, accountId, at, `edge-${i}`],
      );
    const times: Date[] = (
      await h.db.dataSource.query(
        `SELECT occurred_at FROM activities WHERE workspace_id = $1 AND account_id = $2 AND contact_id IS NOT NULL
           AND occurred_at > $3`,
        [ws, accountId, priorAfter],
      )
    ).map((r: { occurred_at: Date }) => r.occurred_at);
    const db = new Database(h.db.appDataSource);
    const counted = await db.repos.activities.contactActivityCounts(ws, [accountId], {
      now: NOW,
      recentAfter,
      priorAfter,
    });
    expect(counted.get(accountId)).toEqual(countContactActivity(times, NOW));
    expect(counted.get(accountId)!.prior4Weeks).toBeGreaterThanOrEqual(3);
  });

  it('locks nothing and stores nothing when the active model is gone, and says why', async () => {
    const { ws, contactIds } = await seed(h);
    await h.db.dataSource.query(
      'UPDATE scoring_model_versions SET is_active = false WHERE workspace_id = $1',
      [ws],
    );
    await expect(
      leads.rescoreContacts(
        ws,
        contactIds.map((contactId) => ({ contactId, cause: 'ACTIVITY' })),
      ),
    ).rejects.toThrow(/ActiveScoringModel/);
    const after = await stored(h, ws);
    expect(after.leads).toEqual([]);
    // The claim rolled back with the rest: the markers still ask for the rescore.
    expect(after.markers).toContainEqual({ entity_type: 'CONTACT', n: CONTACTS.length });
  });
});
