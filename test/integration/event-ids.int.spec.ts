import { Database, trustedWorkspaceId } from '@quorum/persistence';
import { EventIdCodec } from '@quorum/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';
import { collect, wsClient } from '../support/ws-client';

/**
 * Event ids (and the history entries' ids, which are the same) as partners see them: one
 * encrypted block per id, with a key per workspace, so they show nothing of the sequence that
 * numbers every workspace's history; yet `since` resumes from them, and from the plain ids
 * handed out before, up to the last one a workspace was given.
 */
const LEAD = `subscription($since: ID) { leadScoreChanged(since: $since) { eventId contactId new { total } } }`;
const OPAQUE = /^lead:[A-Za-z0-9_-]{22}$/;
const REFUSED = 'since: is not a lead event id of this workspace';
/** Each adds engagement under the default model, so each moves the score. */
const TYPES = ['DEMO_REQUEST', 'FORM_SUBMIT', 'WEBINAR_ATTENDED', 'CONTENT_DOWNLOAD'];

let h: ApiHarness;
let activity = 0;

beforeAll(async () => {
  h = await startApiHarness({ withWorker: true });
});

afterAll(async () => {
  await h?.close();
});

async function record(gql: Gql, email: string, times: number) {
  for (let i = 0; i < times; i++) {
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: [
          {
            type: TYPES[i % TYPES.length],
            email,
            occurredAt: '2026-11-20T11:00:00Z',
            externalId: `ev-${activity++}`,
          },
        ],
      }),
    );
    await h.settled();
  }
}

/** A workspace whose contact's score moved `changes` times, and its history row ids, oldest first. */
async function workspaceWithRows(changes: number) {
  const ws = await h.newWorkspace();
  const email = `lead@ev-${activity}.io`;
  await record(ws.gql, email, changes);
  const rows: { id: string }[] = await h.db.dataSource.query(
    'SELECT id::text FROM lead_score_history WHERE workspace_id = $1 ORDER BY id',
    [ws.id],
  );
  return { ...ws, email, rowIds: rows.map((r) => r.id) };
}

/** The contact's history ids as the API shows them, oldest first. */
async function publicIdsOf(ws: { gql: Gql; email: string }): Promise<string[]> {
  const data = await ok(
    ws.gql(
      `query($e: String!) { contact(email: $e) { scoreHistory(first: 50) { edges { node { id } } } } }`,
      { e: ws.email },
    ),
  );
  return (data.contact.scoreHistory.edges as { node: { id: string } }[])
    .map((e) => e.node.id)
    .reverse();
}

async function workspaceWithHistory(changes: number) {
  const ws = await workspaceWithRows(changes);
  return { ...ws, publicIds: await publicIdsOf(ws) };
}

/** What a partner gets on subscribing with `since`: the replayed events' ids, or errors. */
async function resume(key: string, since: string, expectEvents: number) {
  const client = wsClient(h.server.wsUrl, key);
  const sub = collect<{ leadScoreChanged: { eventId: string } }>(client, LEAD, { since });
  await eventually(
    async () => (sub.errors.length > 0 || sub.events.length >= expectEvents ? true : undefined),
    10_000,
  );
  // Anything beyond what was expected would be a duplicate or another tenant's.
  await new Promise((resolve) => setTimeout(resolve, 200));
  sub.stop();
  await client.dispose();
  return {
    ids: sub.events.map((e) => e.leadScoreChanged.eventId),
    // A refused subscription may end with the list of its errors.
    messages: (sub.errors.flat() as { message: string }[]).map((e) => e.message),
  };
}

describe('event ids', () => {
  it('are opaque and per workspace, yet each names its history row', async () => {
    const a = await workspaceWithHistory(3);
    const b = await workspaceWithHistory(3);
    expect(a.publicIds.length).toBe(a.rowIds.length);
    expect(a.publicIds.length).toBeGreaterThanOrEqual(2);
    for (const id of [...a.publicIds, ...b.publicIds]) expect(id).toMatch(OPAQUE);
    expect(new Set([...a.publicIds, ...b.publicIds]).size).toBe(
      a.publicIds.length + b.publicIds.length,
    );
    // Quorum reads them back to the rows they stand for, in order.
    const codec = new EventIdCodec(new Database(h.db.dataSource));
    const ws = trustedWorkspaceId(a.id);
    await codec.prepare(ws);
    expect(a.publicIds.map((id) => codec.decode(ws, id, 'lead'))).toEqual(a.rowIds);
  });

  it('resume after an event with since; refuse an id of another workspace or kind, or a forged one', async () => {
    const a = await workspaceWithHistory(3);
    const b = await workspaceWithHistory(2);
    const after = await resume(a.key, a.publicIds[0]!, a.publicIds.length - 1);
    expect(after.messages).toEqual([]);
    expect(after.ids).toEqual(a.publicIds.slice(1));

    const forged = `lead:${'A'.repeat(22)}`;
    const otherKind = `account:${a.publicIds[0]!.slice('lead:'.length)}`;
    for (const since of [b.publicIds[0]!, forged, otherKind, 'lead:', 'lead:12x']) {
      const refused = await resume(a.key, since, 1);
      expect(refused.ids, since).toEqual([]);
      expect(refused.messages, since).toEqual([REFUSED]);
    }
  });

  it('accept the plain ids handed out before, up to the last one the workspace was given', async () => {
    // Before this process has read the workspace's key: as the migration leaves a workspace
    // that had history before ids were encrypted.
    const a = await workspaceWithRows(3);
    const last = a.rowIds.at(-2)!;
    await h.db.dataSource.query(
      `UPDATE workspaces SET legacy_event_ids = jsonb_build_object('lead', $2::bigint) WHERE id = $1`,
      [a.id, last],
    );
    const resumed = await resume(a.key, `lead:${a.rowIds[0]}`, a.rowIds.length - 1);
    expect(resumed.messages).toEqual([]);
    expect(resumed.ids).toEqual((await publicIdsOf(a)).slice(1));
    // A plain id beyond the last one given out names nothing the partner could hold.
    const beyond = await resume(a.key, `lead:${BigInt(last) + 1n}`, 1);
    expect(beyond.messages).toEqual([REFUSED]);
  });

  it('use a key per workspace, and the migration keeps each workspace’s last plain ids', async () => {
    const a = await workspaceWithHistory(2);
    const keys: { key: Buffer }[] = await h.db.dataSource.query(
      'SELECT event_id_key AS key FROM workspaces',
    );
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.every((k) => k.key.length === 32)).toBe(true);
    expect(new Set(keys.map((k) => k.key.toString('hex'))).size).toBe(keys.length);
    // Upgrading a database that has history: the migration runs again over these rows (the
    // migrations after it are undone first, and run again too).
    for (;;) {
      const [last] = await h.db.dataSource.query(
        'SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1',
      );
      await h.db.dataSource.undoLastMigration({ transaction: 'each' });
      if (last.name === 'OpaqueEventIds1795466500000') break;
    }
    await h.db.dataSource.runMigrations({ transaction: 'each' });
    const max = async (table: string) =>
      (
        await h.db.dataSource.query(
          `SELECT max(id)::int AS n FROM ${table} WHERE workspace_id = $1`,
          [a.id],
        )
      )[0].n as number | null;
    const [row] = await h.db.dataSource.query(
      'SELECT legacy_event_ids FROM workspaces WHERE id = $1',
      [a.id],
    );
    expect(row.legacy_event_ids).toEqual({
      lead: await max('lead_score_history'),
      account: await max('account_score_history'),
      lifecycle: await max('lifecycle_events'),
    });
    expect(row.legacy_event_ids.lead).toBe(Number(a.rowIds.at(-1)));
  });
});
