import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AccountScoreDocument,
  RecordActivitiesDocument,
  request,
  type ActivityType,
  type QuorumConnection,
} from '@quorum/client';
import { eventChannel } from '@quorum/events';
import { dropDatabase } from '@quorum/persistence';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/api-harness';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { eventIdDecoder } from '../support/event-ids';
import { graphqlClient, ok } from '../support/graphql-client';
import { freePort, startProcess, type RunningProcess } from '../support/processes';
import { testRedisPrefix } from '../support/redis-prefix';

const ADMIN = 'e2e-admin-token-0123456789';
const DOMAIN = 'partner-app.io';

interface PrintedChange {
  eventId: string;
  accountId: string;
  old: { total: number; tier: string } | null;
  new: { total: number; tier: string };
  cause: string;
  topReasons: { label: string; points: number }[];
}

/** API + worker + the built partner app, as a partner runs it next to a Quorum deployment. */
describe('the example partner app (apps/partner-example)', () => {
  const dbName = `quorum_test_${inject('runId')}_partner_${randomBytes(3).toString('hex')}`;
  const prefix = testRedisPrefix('partner');
  const procs: RunningProcess[] = [];
  const stateDir = mkdtempSync(path.join(tmpdir(), 'quorum-partner-'));
  const stateFile = path.join(stateDir, 'state.json');
  let redis: Redis;
  let url: string;
  let apiPort: number;
  let api: RunningProcess;
  let apiEnv: Record<string, string>;
  let workspaceId: string;
  let writer: QuorumConnection;
  let partnerKey: string;
  let accountId: string;
  let activity = 0;

  async function start(script: string, env: Record<string, string>, ready: string) {
    const proc = startProcess(script, env);
    procs.push(proc);
    await proc.waitFor(ready);
    return proc;
  }

  function startPartner(key = partnerKey) {
    const proc = startProcess('apps/partner-example/dist/main.js', {
      QUORUM_URL: url,
      QUORUM_API_KEY: key,
      QUORUM_STATE_FILE: stateFile,
      QUORUM_OUTPUT: 'json',
    });
    procs.push(proc);
    return proc;
  }

  /** The JSON lines the partner printed (its status lines are plain text). */
  function printed(proc: RunningProcess): PrintedChange[] {
    return proc
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as PrintedChange);
  }

  async function subscribers(count: number) {
    await eventually(async () => {
      const [, n] = (await redis.pubsub('NUMSUB', eventChannel(prefix, workspaceId))) as [
        string,
        number,
      ];
      return n >= count ? true : undefined;
    }, 15_000);
  }

  async function record(emails: string[], type: ActivityType = 'PAGE_VIEW') {
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const result = await request(writer, RecordActivitiesDocument, {
      activities: emails.map((email) => ({
        type,
        occurredAt,
        email,
        externalId: `partner-${activity++}`,
        properties: { url: '/pricing' },
      })),
    });
    expect(result.recordActivities.accepted).toBe(emails.length);
  }

  /** The history row an event id (or a history entry's id, the same) stands for. */
  let decoder: Awaited<ReturnType<typeof eventIdDecoder>> | undefined;
  async function numberOf(eventId: string): Promise<number> {
    decoder ??= await eventIdDecoder(databaseUrl(dbName));
    return decoder.rowIdOf(workspaceId, eventId);
  }
  const numbersOf = (changes: { eventId: string }[]) =>
    Promise.all(changes.map((c) => numberOf(c.eventId)));

  /** The account's score history rows, oldest first: every accountScoreChanged event. */
  async function historyIds(): Promise<number[]> {
    const data = await ok(
      graphqlClient(writer.url, writer.apiKey)(
        `query($d: String!) { account(domain: $d) { scoreHistory(first: 500) { edges { node { id } } } } }`,
        { d: DOMAIN },
      ),
    );
    return (
      await Promise.all(data.account.scoreHistory.edges.map((e: any) => numberOf(e.node.id)))
    ).sort((a, b) => a - b);
  }

  /** History ids after `after`, once rescoring has settled (no new entry for a second). */
  async function settledHistoryAfter(after: number): Promise<number[]> {
    await eventually(
      async () => ((await historyIds()).some((id) => id > after) ? true : undefined),
      15_000,
    );
    let ids = await historyIds();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const again = await historyIds();
      if (again.length === ids.length) break;
      ids = again;
    }
    return ids.filter((id) => id > after);
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
    apiPort = await freePort();
    apiEnv = { ...base, PORT: String(apiPort) };
    api = await start('apps/api/dist/main.js', apiEnv, 'Quorum API ready');
    await start(
      'apps/worker/dist/main.js',
      { ...base, WORKER_HEALTH_PORT: String(await freePort()) },
      'Quorum worker running',
    );
    url = `http://127.0.0.1:${apiPort}/graphql`;
    const created = await ok(
      graphqlClient(
        url,
        ADMIN,
      )(`mutation { createWorkspace(name: "Partner app") { workspace { id } secret } }`),
    );
    workspaceId = created.createWorkspace.workspace.id;
    writer = { url, apiKey: created.createWorkspace.secret };
    const gql = graphqlClient(url, writer.apiKey);
    // The partner holds a key that can only subscribe.
    partnerKey = (
      await ok(gql(`mutation { createApiKey(name: "partner", scopes: [SUBSCRIBE]) { secret } }`))
    ).createApiKey.secret;
    await ok(
      gql(
        `mutation($d: String!) { upsertAccounts(accounts: [{ domain: $d, industry: "Software", employeeCount: 500 }]) { created } }`,
        { d: DOMAIN },
      ),
    );
    const scored = await eventually(async () => {
      const data = await request(writer, AccountScoreDocument, { domain: DOMAIN });
      return data.account?.score ? data.account : undefined;
    }, 15_000);
    accountId = scored.id;
  });

  afterAll(async () => {
    for (const p of procs) await p.stop();
    redis?.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
    await decoder?.close();
    await dropDatabase(databaseUrl(dbName));
  });

  it('prints each account change live, and after a restart exactly the changes it missed', async () => {
    const baseline = Math.max(0, ...(await historyIds()));

    const first = startPartner();
    await first.waitFor('live changes from now');
    await subscribers(1);
    await record([`cfo@${DOMAIN}`, `vp@${DOMAIN}`]);
    const live = await settledHistoryAfter(baseline);
    await eventually(async () => (printed(first).length >= live.length ? true : undefined), 15_000);
    const before = printed(first);
    expect(await numbersOf(before)).toEqual(live);
    for (const change of before) {
      expect(change.accountId).toBe(accountId);
      expect(['ACTIVITY', 'CONTACT_SCORE_CHANGED']).toContain(change.cause);
      expect(change.topReasons.length).toBeGreaterThan(0);
    }
    const current = await request(writer, AccountScoreDocument, { domain: DOMAIN });
    expect(before.at(-1)!.new.total).toBe(current.account!.score!.total);

    expect(await first.stop('SIGTERM')).toBe(0);
    const lastSeen = before.at(-1)!.eventId;
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).lastEventId).toBe(lastSeen);

    // While the partner is down, the account keeps moving.
    await record([`sdr@${DOMAIN}`]);
    await record([`cfo@${DOMAIN}`]);
    const missed = await settledHistoryAfter(await numberOf(lastSeen));
    expect(missed.length).toBeGreaterThan(0);

    const second = startPartner();
    await second.waitFor(`resuming after ${lastSeen}`);
    await eventually(
      async () => (printed(second).length >= missed.length ? true : undefined),
      15_000,
    );
    // No gap, no duplicate: the missed changes, in order, and nothing printed before.
    expect(await numbersOf(printed(second))).toEqual(missed);

    // Then it carries on live.
    await subscribers(1);
    await record([`ae@${DOMAIN}`]);
    const later = await settledHistoryAfter(missed.at(-1)!);
    await eventually(
      async () => (printed(second).length >= missed.length + later.length ? true : undefined),
      15_000,
    );
    const all = await numbersOf([...before, ...printed(second)]);
    expect(all).toEqual(await settledHistoryAfter(baseline));
    expect(new Set(all).size).toBe(all.length);
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('exits with a clear error when its key cannot subscribe', async () => {
    const proc = startPartner('qk_not-a-real-key');
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/stopped: connection closed \(4403/);
  });

  it('reconnects when its API instance goes away, and resumes after the last change it printed', async () => {
    const partner = startPartner();
    await partner.waitFor('resuming after');
    await subscribers(1);
    const seen = JSON.parse(readFileSync(stateFile, 'utf8')).lastEventId as string;

    // The partner's API instance stops; activity goes on through another instance.
    const otherPort = await freePort();
    await start(
      'apps/api/dist/main.js',
      { ...apiEnv, PORT: String(otherPort) },
      'Quorum API ready',
    );
    expect(await api.stop('SIGTERM')).toBe(0);
    await partner.waitFor('connection lost');
    writer = { ...writer, url: `http://127.0.0.1:${otherPort}/graphql` };
    await record([`cto@${DOMAIN}`]);
    const missed = await settledHistoryAfter(await numberOf(seen));
    expect(missed.length).toBeGreaterThan(0);

    api = await start('apps/api/dist/main.js', apiEnv, 'Quorum API ready');
    await partner.waitFor(new RegExp(`connection lost[\\s\\S]*resuming after ${seen}`), 30_000);
    await eventually(
      async () => (printed(partner).length >= missed.length ? true : undefined),
      30_000,
    );
    expect(await numbersOf(printed(partner))).toEqual(missed);
    expect(await partner.stop('SIGTERM')).toBe(0);
  });
});
