import { Database, trustedWorkspaceId, type WorkspaceId } from '@quorum/persistence';
import { AccountScoringService, LeadScoringService } from '@quorum/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

/**
 * A rescore job takes the waiting markers behind it: under load one transaction does the
 * work of many jobs, and the jobs whose markers it claimed find nothing left to do.
 */
describe('rescore jobs claim the pending markers waiting behind them', () => {
  let h: ApiHarness;
  let ws: WorkspaceId;
  let leads: LeadScoringService;
  let accounts: AccountScoringService;
  let contactIds: string[];
  let accountIds: string[];
  let gql: Gql;

  const pending = async (type: string) =>
    (
      await h.db.dataSource.query(
        `SELECT entity_id FROM pending_rescores WHERE workspace_id = $1 AND entity_type = $2
         GROUP BY entity_id ORDER BY min(since), min(id)`,
        [ws, type],
      )
    ).map((r: { entity_id: string }) => r.entity_id) as string[];

  beforeAll(async () => {
    // No worker: the markers written by recordActivities stay until these tests claim them.
    h = await startApiHarness();
    const w = await h.newWorkspace('Batches');
    ws = trustedWorkspaceId(w.id);
    gql = w.gql;
    const domains = ['a.io', 'b.io', 'c.io'];
    await ok(
      w.gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
        a: domains.map((d) => ({ domain: d, name: d })),
      }),
    );
    const emails = ['1@a.io', '2@a.io', '3@b.io', '4@b.io', '5@c.io'];
    const recorded = await ok(
      w.gql(
        `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted contactsCreated } }`,
        {
          a: emails.map((email, i) => ({
            type: 'DEMO_REQUEST',
            occurredAt: '2026-11-19T00:00:00Z',
            email,
            externalId: `d${i}`,
          })),
        },
      ),
    );
    expect(recorded.recordActivities).toEqual({ accepted: 5, contactsCreated: 5 });
    const db = new Database(h.db.appDataSource);
    leads = new LeadScoringService(db, h.clock);
    accounts = new AccountScoringService(db, h.clock);
    contactIds = await pending('CONTACT');
    accountIds = await pending('ACCOUNT');
  });

  afterAll(() => h?.close());

  it('rescores its own contact and the oldest waiting ones, up to the batch size', async () => {
    expect(contactIds).toHaveLength(5);
    const first = contactIds[4]!;
    const results = await leads.rescorePendingContacts(ws, first, 'ACTIVITY', 3);
    expect(results.map((r) => r.contactId).sort()).toEqual(
      [first, contactIds[0]!, contactIds[1]!].sort(),
    );
    expect(results.every((r) => r.changed && r.events.length > 0)).toBe(true);
    expect(await pending('CONTACT')).toEqual(contactIds.slice(2, 4));
    // Their accounts are marked for the roll-up in the same transaction.
    expect((await pending('ACCOUNT')).length).toBeGreaterThan(0);
  });

  it('does nothing for a job whose marker another job claimed', async () => {
    const before = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM lead_score_history WHERE workspace_id = $1',
      [ws],
    );
    expect(await leads.rescorePendingContacts(ws, contactIds[0]!, 'ACTIVITY', 3)).toEqual([]);
    const after = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM lead_score_history WHERE workspace_id = $1',
      [ws],
    );
    expect(after[0].n).toBe(before[0].n);
  });

  it('leaves every contact with the score a rescore of one contact at a time gives', async () => {
    await leads.rescorePendingContacts(ws, contactIds[2]!, 'ACTIVITY', 50);
    expect(await pending('CONTACT')).toEqual([]);
    const batched = await h.db.dataSource.query(
      'SELECT contact_id, total, tier FROM lead_scores WHERE workspace_id = $1 ORDER BY contact_id',
      [ws],
    );
    expect(batched).toHaveLength(5);
    for (const id of contactIds) await leads.rescoreContact(ws, id, 'CHECK');
    const single = await h.db.dataSource.query(
      'SELECT contact_id, total, tier FROM lead_scores WHERE workspace_id = $1 ORDER BY contact_id',
      [ws],
    );
    expect(single).toEqual(batched);
  });

  it('rolls up waiting accounts in one transaction, and skips an account already claimed', async () => {
    const waiting = await pending('ACCOUNT');
    expect(waiting.sort()).toEqual([...accountIds].sort());
    const results = await accounts.rescorePendingAccounts(ws, waiting[0]!, 'ACTIVITY', 10);
    expect(results.map((r) => r.accountId).sort()).toEqual([...waiting].sort());
    expect(await pending('ACCOUNT')).toEqual([]);
    expect(await accounts.rescorePendingAccounts(ws, waiting[1]!, 'ACTIVITY', 10)).toEqual([]);
  });

  it('never makes a write wait for a rescore that is claiming the same contact', async () => {
    const [{ id: contactId }] = await h.db.dataSource.query(
      `SELECT id FROM contacts WHERE workspace_id = $1 AND email = '1@a.io'`,
      [ws],
    );
    const db = new Database(h.db.appDataSource);
    await db.transaction(ws, (repos) => repos.pending.mark(ws, 'CONTACT', [contactId]));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const claiming = new Promise<void>((resolve) => (claimed = resolve));
    const claimer = db.transaction(ws, async (repos) => {
      expect(await repos.pending.claim(ws, 'CONTACT', contactId)).toBe(true);
      claimed();
      await held; // the rescore is still running
    });
    await claiming;
    const write = ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: [
          {
            type: 'PAGE_VIEW',
            occurredAt: '2026-11-19T01:00:00Z',
            email: '1@a.io',
            externalId: 'w1',
          },
        ],
      }),
    );
    const outcome = await Promise.race([
      write.then(() => 'written'),
      new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000)),
    ]);
    release();
    await claimer;
    expect(outcome).toBe('written');
    // The write's marker survives the claim that was running: the contact is rescored again.
    expect(await pending('CONTACT')).toContain(contactId);
  });
});
