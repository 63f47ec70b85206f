import { appDatabaseUrlFor } from '@quorum/config';
import { Database, trustedWorkspaceId, WorkspaceScopeError } from '@quorum/persistence';
import { Client } from 'pg';
import type { WorkspaceId } from '@quorum/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok } from '../support/graphql-client';

/**
 * Row-level security as defence in depth: whatever the repository layer does, PostgreSQL
 * itself shows the application role only the rows of the workspace its transaction set.
 */
describe('row-level security in PostgreSQL', () => {
  let h: ApiHarness;
  let wsA: string;
  let wsB: string;
  let tables: string[];
  let app: Client;

  const countAs = async (client: Client, table: string) =>
    Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true });
    const seed = async (name: string, domain: string) => {
      const w = await h.newWorkspace(name);
      const acct = await ok(
        w.gql(
          `mutation($d: String!) { upsertAccounts(accounts: [{ domain: $d, name: $d }]) { accounts { id } } }`,
          { d: domain },
        ),
      );
      const contact = await ok(
        w.gql(
          `mutation($e: String!) { upsertContacts(contacts: [{ email: $e }]) { contacts { id } } }`,
          { e: `vp@${domain}` },
        ),
      );
      const group = await ok(
        w.gql(
          `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "G" }) { id } }`,
          {
            a: acct.upsertAccounts.accounts[0].id,
          },
        ),
      );
      await ok(
        w.gql(
          `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: CHAMPION) { role } }`,
          { g: group.createBuyingGroup.id, c: contact.upsertContacts.contacts[0].id },
        ),
      );
      await ok(
        w.gql(
          `mutation($e: String!) { recordActivities(activities: [{ type: DEMO_REQUEST, occurredAt: "2026-11-19T00:00:00Z", email: $e, externalId: "x-1" }]) { accepted } }`,
          { e: `vp@${domain}` },
        ),
      );
      await ok(
        w.gql(
          `mutation($c: ID!) { recordOutcomes(outcomes: [{ contactId: $c, type: WON, occurredAt: "2026-11-19T00:00:00Z", externalId: "o-1" }]) { accepted } }`,
          { c: contact.upsertContacts.contacts[0].id },
        ),
      );
      return w.id;
    };
    wsA = await seed('A', 'alpha.com');
    wsB = await seed('B', 'beta.com');
    await h.settled();
    // The worker's tier cut-offs for each workspace (too few scores to place shares: empty).
    for (const ws of [wsA, wsB]) await h.runtime!.tierCutoffs.refresh(ws as WorkspaceId);
    tables = (
      await h.db.dataSource.query(
        `SELECT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'workspace_id' ORDER BY 1`,
      )
    ).map((r: { table_name: string }) => r.table_name);
    app = new Client({ connectionString: appDatabaseUrlFor(h.db.url) });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await h?.close();
  });

  it('covers every workspace-owned table with a policy, for a role that owns none and cannot bypass it', async () => {
    const unprotected = await h.db.dataSource.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND c.relname = ANY($1::text[] || ARRAY['workspaces'])
         AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))`,
      [tables],
    );
    expect(tables.length).toBeGreaterThanOrEqual(18);
    expect(unprotected).toEqual([]);
    const [role] = await h.db.dataSource.query(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned
       FROM pg_roles r WHERE rolname = 'quorum_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
    const [{ current_user: user }] = await h.db.appDataSource.query('SELECT current_user');
    expect(user).toBe('quorum_app');
  });

  it('shows raw SQL as the application role without a workspace zero rows in every table', async () => {
    let populated = 0;
    for (const table of tables) {
      if ((await h.db.dataSource.query(`SELECT 1 FROM ${table} LIMIT 1`)).length > 0) populated++;
      expect({ table, app: await countAs(app, table) }).toEqual({ table, app: 0 });
    }
    // The seed wrote rows into nearly every table, so the zeros above are RLS, not emptiness.
    expect(populated).toBeGreaterThanOrEqual(tables.length - 3);
    expect(await countAs(app, 'workspaces')).toBe(0);
  });

  it("shows a transaction with workspace A only A's rows, and refuses writing B's", async () => {
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('quorum.workspace_id', $1, true)`, [wsA]);
      for (const table of tables) {
        const seen = await app.query(`SELECT DISTINCT workspace_id FROM ${table}`);
        const stored = await h.db.dataSource.query(
          `SELECT DISTINCT workspace_id FROM ${table} WHERE workspace_id = $1`,
          [wsA],
        );
        expect({ table, ws: seen.rows.map((r) => r.workspace_id) }).toEqual({
          table,
          ws: stored.map((r: { workspace_id: string }) => r.workspace_id),
        });
      }
      await expect(
        app.query(
          `INSERT INTO accounts (workspace_id, id, domain, name) VALUES ($1, gen_random_uuid(), 'evil.com', 'E')`,
          [wsB],
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await app.query('ROLLBACK');
    }
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('quorum.workspace_id', $1, true)`, [wsA]);
      const updated = await app.query(
        `UPDATE accounts SET name = 'hijacked' WHERE workspace_id = $1`,
        [wsB],
      );
      expect(updated.rowCount).toBe(0);
    } finally {
      await app.query('ROLLBACK');
    }
  });

  it('never carries a workspace over on a pooled connection', async () => {
    const db = new Database(h.db.appDataSource);
    const a = trustedWorkspaceId(wsA);
    const poolSize = 5; // createTestDatabase's pool
    // Scoped reads held open together, so each runs on its own pooled connection.
    const scoped = await Promise.all(
      Array.from({ length: poolSize }, () =>
        db.query<{ pid: number; n: number }[]>(
          a,
          'SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM accounts) AS n, pg_sleep(0.1)',
        ),
      ),
    );
    const scopedPids = new Set(scoped.map(([r]) => r!.pid));
    expect(scopedPids.size).toBe(poolSize);
    expect(scoped.map(([r]) => r!.n)).toEqual(Array(poolSize).fill(1));
    await db.transaction(a, async (repos) => {
      expect(await repos.accounts.count(a, {})).toBe(1);
    });
    // The same connections afterwards, outside any scope: none kept workspace A.
    const after = await Promise.all(
      Array.from({ length: poolSize }, () =>
        h.db.appDataSource.query(
          `SELECT pg_backend_pid() AS pid, current_setting('quorum.workspace_id', true) AS ws,
                  (SELECT count(*)::int FROM accounts) AS n, pg_sleep(0.1)`,
        ),
      ),
    );
    for (const [row] of after) {
      expect(scopedPids.has(row.pid)).toBe(true);
      expect({ ws: row.ws || null, n: row.n }).toEqual({ ws: null, n: 0 });
    }
  });

  it('commits derived writes without waiting for the WAL, and only those, scoped like any other', async () => {
    const db = new Database(h.db.appDataSource);
    const a = trustedWorkspaceId(wsA);
    const setting = `SELECT current_setting('synchronous_commit') AS sync,
      current_setting('quorum.workspace_id', true) AS ws`;
    const derived = await db.derivedTransaction(a, (repos) => repos.manager.query(setting));
    expect(derived).toEqual([{ sync: 'off', ws: a }]);
    const durable = await db.transaction(a, (repos) => repos.manager.query(setting));
    expect(durable).toEqual([{ sync: 'on', ws: a }]);
    // SET LOCAL: the connection goes back to the pool with the server's setting.
    const pooled = await h.db.appDataSource.query(setting);
    expect(pooled).toEqual([{ sync: 'on', ws: '' }]);
  });

  it('refuses a repository call or a query that names no workspace', async () => {
    const db = new Database(h.db.appDataSource);
    await expect((db.repos.accounts.count as any)(undefined, {})).rejects.toThrow(
      WorkspaceScopeError,
    );
    await expect(db.query('not-a-uuid' as any, 'SELECT 1')).rejects.toThrow(WorkspaceScopeError);
    expect(() => (db.repos as any).manager).toThrow(WorkspaceScopeError);
  });

  it('lets the worker find cross-workspace work only through the system functions, as ids', async () => {
    const db = new Database(h.db.appDataSource);
    const active = await db.system.workspacesWithActiveModel();
    expect(active).toEqual([wsA, wsB].sort());
    await h.db.dataSource.query(
      `INSERT INTO pending_rescores (workspace_id, entity_type, entity_id, since)
       SELECT workspace_id, 'CONTACT', id, now() - interval '1 hour' FROM contacts`,
    );
    const stale = await db.system.stalePendingRescores(60_000, 100);
    expect(new Set(stale.map((p) => p.workspaceId))).toEqual(new Set([wsA, wsB]));
    await expect(app.query('SELECT count(*) FROM pending_rescores')).resolves.toMatchObject({
      rows: [{ count: '0' }],
    });
  });
});
