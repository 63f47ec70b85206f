import { randomBytes } from 'node:crypto';
import { eventChannel } from '@quorum/events';
import { dropDatabase } from '@quorum/persistence';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/api-harness';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { eventIdDecoder } from '../support/event-ids';
import { graphqlClient, ok, type Gql } from '../support/graphql-client';
import { freePort, startProcess, type RunningProcess } from '../support/processes';
import { collect, wsClient } from '../support/ws-client';
import { testRedisPrefix } from '../support/redis-prefix';

const ADMIN = 'e2e-admin-token-0123456789';

const LEAD = `subscription($filter: LeadScoreChangeFilter, $since: ID) { leadScoreChanged(filter: $filter, since: $since) {
  eventId contactId accountId old { total tier } new { total tier fit engagement negative } reasons { ruleId points } cause modelVersionId at } }`;
const ACCOUNT = `subscription($since: ID) { accountScoreChanged(since: $since) { eventId accountId old { total } new { total tier } reasons { points } cause at } }`;

/** Two API processes and a worker: events produced by the worker reach any instance. */
describe('subscriptions for partner apps over graphql-ws', () => {
  const dbName = `quorum_test_${inject('runId')}_subs_${randomBytes(3).toString('hex')}`;
  const prefix = testRedisPrefix('sub');
  const procs: RunningProcess[] = [];
  let apiA: { http: string; ws: string };
  let apiB: { http: string; ws: string };
  let redis: Redis;
  let ws1: { id: string; key: string; gql: Gql };
  let ws2: { id: string; key: string; gql: Gql };
  let activity = 0;

  async function start(script: string, env: Record<string, string>, ready: string) {
    const proc = startProcess(script, env);
    procs.push(proc);
    await proc.waitFor(ready);
    return proc;
  }

  async function subscribed(workspaceId: string, count: number) {
    await eventually(async () => {
      const [, n] = (await redis.pubsub('NUMSUB', eventChannel(prefix, workspaceId))) as [
        string,
        number,
      ];
      return n >= count ? true : undefined;
    });
  }

  async function record(gql: Gql, email: string, n = 1) {
    const at = new Date(Date.now() - 60_000).toISOString();
    const activities = Array.from({ length: n }, () => ({
      type: 'PAGE_VIEW',
      occurredAt: at,
      email,
      externalId: `s-${activity++}`,
      properties: { url: '/pricing' },
    }));
    return ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: activities,
      }),
    );
  }

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    const base = {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: testRedisUrl(),
      QUORUM_REDIS_PREFIX: prefix,
      QUORUM_ADMIN_TOKEN: ADMIN,
      NODE_ENV: 'production',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    await start('apps/api/dist/main.js', { ...base, PORT: String(portA) }, 'Quorum API ready');
    await start('apps/api/dist/main.js', { ...base, PORT: String(portB) }, 'Quorum API ready');
    await start(
      'apps/worker/dist/main.js',
      { ...base, WORKER_HEALTH_PORT: String(await freePort()) },
      'Quorum worker running',
    );
    apiA = { http: `http://127.0.0.1:${portA}/graphql`, ws: `ws://127.0.0.1:${portA}/graphql` };
    apiB = { http: `http://127.0.0.1:${portB}/graphql`, ws: `ws://127.0.0.1:${portB}/graphql` };
    const admin = graphqlClient(apiA.http, ADMIN);
    const make = async (name: string) => {
      const data = await ok(
        admin(`mutation($n: String!) { createWorkspace(name: $n) { workspace { id } secret } }`, {
          n: name,
        }),
      );
      const key = data.createWorkspace.secret;
      return { id: data.createWorkspace.workspace.id, key, gql: graphqlClient(apiA.http, key) };
    };
    ws1 = await make('Partner one');
    ws2 = await make('Partner two');
    await ok(
      ws1.gql(
        `mutation { upsertAccounts(accounts: [{ domain: "subs.io", industry: "Software", employeeCount: 500 }]) { created } }`,
      ),
    );
    // Let the account's own first scoring finish, so the events below are the activity's.
    await eventually(async () => {
      const data = await ok(ws1.gql(`{ account(domain: "subs.io") { score { total } } }`));
      return data.account.score ?? undefined;
    }, 15_000);
  });

  afterAll(async () => {
    for (const p of procs) await p.stop();
    redis?.disconnect();
    await dropDatabase(databaseUrl(dbName));
  });

  it('delivers an activity recorded on instance A to a subscriber on instance B, filtered and tenant-scoped', async () => {
    const client = wsClient(apiB.ws, ws1.key);
    const other = wsClient(apiB.ws, ws2.key);
    const leads = collect<any>(client, LEAD);
    const accounts = collect<any>(client, ACCOUNT);
    const filtered = collect<any>(client, LEAD, {
      filter: { contactIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    const foreign = collect<any>(other, LEAD);
    await subscribed(ws1.id, 1);
    await subscribed(ws2.id, 1);

    await record(ws1.gql, 'cfo@subs.io', 3);
    const lead = await eventually(async () => leads.events[0]?.leadScoreChanged, 15_000);
    const account = await eventually(
      async () => accounts.events.at(-1)?.accountScoreChanged,
      15_000,
    );
    const contact = await ok(
      ws1.gql(
        `{ contact(email: "cfo@subs.io") { id score { total } scoreHistory(first: 50) { edges { node { id } } } } }`,
      ),
    );
    expect(lead).toMatchObject({
      contactId: contact.contact.id,
      old: null,
      new: { total: contact.contact.score.total },
      cause: 'ACTIVITY',
    });
    // Opaque (one encrypted block, nothing to read from it), and the id of its history entry.
    expect(lead.eventId).toMatch(/^lead:[A-Za-z0-9_-]{22}$/);
    expect(contact.contact.scoreHistory.edges.map((e: any) => e.node.id)).toContain(lead.eventId);
    expect(lead.reasons.reduce((s: number, r: any) => s + Math.round(r.points * 100), 0)).toBe(
      Math.round(lead.new.total * 100),
    );
    expect(account.accountId).toBe(lead.accountId);
    expect(filtered.events).toEqual([]);
    expect(foreign.events).toEqual([]);
    leads.stop();
    accounts.stop();
    filtered.stop();
    foreign.stop();
    await client.dispose();
    await other.dispose();
  });

  it('resumes with since: a reconnecting partner receives exactly the events it missed, then live ones', async () => {
    const decoder = await eventIdDecoder(databaseUrl(dbName));
    const rowIds = (ids: string[]) => Promise.all(ids.map((id) => decoder.rowIdOf(ws1.id, id)));
    const first = wsClient(apiA.ws, ws1.key);
    const before = collect<any>(first, LEAD);
    await subscribed(ws1.id, 1);
    await record(ws1.gql, 'ae@subs.io', 1);
    const last = await eventually(
      async () =>
        before.events.find(
          (e) =>
            e.leadScoreChanged.cause === 'ACTIVITY' &&
            e.leadScoreChanged.old === null &&
            e.leadScoreChanged.new,
        )?.leadScoreChanged,
      15_000,
    );
    before.stop();
    await first.dispose();
    const [lastRow] = await rowIds([last.eventId]);

    // Missed while disconnected: three more changes for two contacts.
    await record(ws1.gql, 'ae@subs.io', 2);
    await record(ws1.gql, 'sdr@subs.io', 1);
    const missed = await eventually(async () => {
      const rows = await ok(
        ws1.gql(
          `{ a: contact(email: "ae@subs.io") { scoreHistory { edges { node { id } } } } b: contact(email: "sdr@subs.io") { scoreHistory { edges { node { id } } } } }`,
        ),
      );
      const ids = (
        await rowIds(
          [...(rows.a?.scoreHistory.edges ?? []), ...(rows.b?.scoreHistory.edges ?? [])].map(
            (e: any) => e.node.id,
          ),
        )
      ).filter((id) => id > lastRow!);
      return ids.length >= 2 ? ids.sort((x, y) => x - y) : undefined;
    }, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const settled = await ok(
      ws1.gql(
        `{ a: contact(email: "ae@subs.io") { scoreHistory { edges { node { id } } } } b: contact(email: "sdr@subs.io") { scoreHistory { edges { node { id } } } } }`,
      ),
    );
    const expected = (
      await rowIds(
        [...settled.a.scoreHistory.edges, ...settled.b.scoreHistory.edges].map(
          (e: any) => e.node.id,
        ),
      )
    )
      .filter((id) => id > lastRow!)
      .sort((x, y) => x - y);
    expect(expected.length).toBeGreaterThanOrEqual(missed.length);

    const second = wsClient(apiB.ws, ws1.key);
    const resumed = collect<any>(second, LEAD, { since: last.eventId });
    await eventually(
      async () => (resumed.events.length >= expected.length ? true : undefined),
      15_000,
    );
    expect(await rowIds(resumed.events.map((e) => e.leadScoreChanged.eventId))).toEqual(expected);

    await record(ws1.gql, 'new@subs.io', 1);
    await eventually(
      async () => (resumed.events.length > expected.length ? true : undefined),
      15_000,
    );
    const ids = resumed.events.map((e) => e.leadScoreChanged.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    resumed.stop();
    await second.dispose();
    await decoder.close();
  });

  it('refuses a connection without a key, or with a key lacking SUBSCRIBE, and drops a revoked key', async () => {
    const closes: number[] = [];
    const anonymous = wsClient(apiA.ws, null, (code) => closes.push(code));
    const denied = collect<any>(anonymous, LEAD);
    await eventually(async () => (denied.errors.length > 0 ? true : undefined));
    expect(closes).toContain(4403);

    const readOnly = await ok(
      ws1.gql(`mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }`),
    );
    const readerCloses: number[] = [];
    const reader = collect<any>(
      wsClient(apiA.ws, readOnly.createApiKey.secret, (code) => readerCloses.push(code)),
      LEAD,
    );
    await eventually(async () => (reader.errors.length > 0 ? true : undefined));
    expect(readerCloses).toContain(4403);

    const partner = await ok(
      ws1.gql(
        `mutation { createApiKey(name: "partner", scopes: [SUBSCRIBE]) { secret apiKey { id } } }`,
      ),
    );
    const partnerCloses: number[] = [];
    const live = collect<any>(
      wsClient(apiB.ws, partner.createApiKey.secret, (code) => partnerCloses.push(code)),
      LEAD,
    );
    await subscribed(ws1.id, 1);
    await ok(
      ws1.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, {
        id: partner.createApiKey.apiKey.id,
      }),
    );
    await eventually(async () => (partnerCloses.includes(4403) ? true : undefined), 10_000);
    expect(live.completed || live.errors.length > 0).toBe(true);
  });

  it('delivers lifecycle changes filtered by stage, and the progress of a full rescore from its current state to done', async () => {
    await ok(
      ws2.gql(
        `mutation { upsertContacts(contacts: [{ email: "a@partner-two.io" }, { email: "b@partner-two.io" }]) { created } }`,
      ),
    );
    // Partner two's model makes one page view an MQL and nothing an SQL.
    const active = await ok(ws2.gql(`{ scoringModel { definitionJson } }`));
    const definition = {
      ...active.scoringModel.definitionJson,
      lifecycle: { mql: 1, sql: 1_000, dormantDays: 30 },
    };
    const draft = await ok(
      ws2.gql(
        `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d, description: "low MQL") { id } }`,
        { d: definition },
      ),
    );
    const published = await ok(
      ws2.gql(
        `mutation($v: ID!) { publishScoringModel(versionId: $v) { id latestBackfill { id } } }`,
        { v: draft.createScoringModelDraft.id },
      ),
    );
    const client = wsClient(apiB.ws, ws2.key);
    const progress = collect<any>(
      client,
      `subscription($id: ID!) { scoringBackfillProgress(id: $id) { eventId backfillId status total done failed at } }`,
      { id: published.publishScoringModel.latestBackfill.id },
    );
    const backfill = await eventually(async () => {
      const last = progress.events.at(-1)?.scoringBackfillProgress;
      return last?.status === 'COMPLETED' ? last : undefined;
    }, 15_000);
    expect(backfill).toMatchObject({
      backfillId: published.publishScoringModel.latestBackfill.id,
      // The two contacts and the account of their domain (counted as the backfill starts).
      total: 3,
      failed: 0,
    });
    expect(backfill.done).toBe(backfill.total);
    const done = progress.events.map((e) => e.scoringBackfillProgress.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const LIFECYCLE = `subscription($filter: LifecycleStageChangeFilter) { lifecycleStageChanged(filter: $filter) {
      eventId contactId from to reactivated total cause modelVersionId } }`;
    const all = collect<any>(client, LIFECYCLE);
    const mql = collect<any>(client, LIFECYCLE, { filter: { stages: ['MQL'] } });
    const sqlOrReactivated = collect<any>(client, LIFECYCLE, {
      filter: { stages: ['SQL', 'REACTIVATED'] },
    });
    await subscribed(ws2.id, 1);
    await record(ws2.gql, 'lead@partner-two.io');
    const contact = await eventually(async () => {
      const data = await ok(
        ws2.gql(`{ contact(email: "lead@partner-two.io") { id score { total } } }`),
      );
      return data.contact?.score ? data.contact : undefined;
    }, 15_000);
    const ofContact = (events: any[]) =>
      events.map((e) => e.lifecycleStageChanged).filter((e) => e.contactId === contact.id);
    const change = await eventually(async () => ofContact(mql.events)[0], 15_000);
    expect(change).toMatchObject({
      contactId: contact.id,
      to: 'MQL',
      reactivated: false,
      total: contact.score.total,
      cause: 'ACTIVITY',
      modelVersionId: published.publishScoringModel.id,
    });
    expect(change.eventId).toMatch(/^lifecycle:/);
    await eventually(async () => (ofContact(all.events).length > 0 ? true : undefined));
    expect(ofContact(all.events).map((e) => e.eventId)).toEqual([change.eventId]);
    expect(sqlOrReactivated.events).toEqual([]);
    for (const s of [progress, all, mql, sqlOrReactivated]) s.stop();
    await client.dispose();
  });
});
