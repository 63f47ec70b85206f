import {
  AccountsByPriorityDocument,
  AccountScoreDocument,
  ContactScoreDocument,
  createSubscriptionClient,
  LeadScoreChangedDocument,
  QuorumRequestError,
  RecordActivitiesDocument,
  request,
  subscribe,
  type LeadScoreChangedSubscription,
  type QuorumConnection,
} from '@quorum/client';
import { eventChannel } from '@quorum/events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testRedisUrl } from '../support/database-url';
import { ok } from '../support/graphql-client';

const hundredths = (reasons: { points: number }[]) =>
  reasons.reduce((sum, r) => sum + Math.round(r.points * 100), 0);

/** libs/client's generated operations and helpers against the real API. */
describe('the typed partner client (libs/client)', () => {
  let h: ApiHarness;
  let connection: QuorumConnection;
  let workspaceId: string;
  let n = 0;

  const activity = (email: string, type: 'PAGE_VIEW' | 'DEMO_REQUEST' = 'PAGE_VIEW') => ({
    type,
    email,
    occurredAt: new Date(h.clock.now().getTime() - 3_600_000).toISOString(),
    externalId: `client-${n++}`,
    properties: { url: '/pricing' },
  });

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true });
    const ws = await h.newWorkspace('Typed client');
    workspaceId = ws.id;
    connection = { url: h.server.url, apiKey: ws.key };
    await ok(
      ws.gql(
        `mutation { upsertAccounts(accounts: [{ domain: "hot.io", industry: "Software", employeeCount: 500 }, { domain: "cool.io", industry: "Software", employeeCount: 500 }]) { created } }`,
      ),
    );
  });

  afterAll(() => h?.close());

  it('records activities and reads contact and account scores with their reasons', async () => {
    const recorded = await request(connection, RecordActivitiesDocument, {
      activities: [
        activity('cfo@hot.io', 'DEMO_REQUEST'),
        activity('vp@hot.io'),
        activity('cto@cool.io'),
      ],
    });
    expect(recorded.recordActivities).toEqual({
      accepted: 3,
      duplicates: 0,
      contactsCreated: 3,
      scoringDelayed: false,
    });
    await h.settled();

    const { contact } = await request(connection, ContactScoreDocument, { email: 'cfo@hot.io' });
    expect(contact?.score?.reasons.length).toBeGreaterThan(0);
    expect(hundredths(contact!.score!.reasons)).toBe(Math.round(contact!.score!.total * 100));

    const { account } = await request(connection, AccountScoreDocument, { domain: 'hot.io' });
    expect(account?.id).toBe(contact?.accountId);
    expect(hundredths(account!.score!.reasons)).toBe(Math.round(account!.score!.total * 100));

    const ranked = await request(connection, AccountsByPriorityDocument, { first: 10 });
    const domains = ranked.accounts.edges.map((e) => e.node.domain);
    expect(domains).toEqual(['hot.io', 'cool.io']);
    const totals = ranked.accounts.edges.map((e) => e.node.score!.total);
    expect(totals[0]).toBeGreaterThan(totals[1]!);
  });

  it('throws QuorumRequestError with the API codes: bad input, missing scope', async () => {
    // No contact and no account named: the API says which item is wrong.
    const { email: _email, ...anonymous } = activity('x@hot.io');
    const bad = request(connection, RecordActivitiesDocument, { activities: [anonymous] }).catch(
      (e: unknown) => e,
    );
    expect(await bad).toBeInstanceOf(QuorumRequestError);
    expect(((await bad) as QuorumRequestError).codes).toEqual(['BAD_USER_INPUT']);

    const reader = await ok(
      h.client(connection.apiKey)(
        `mutation { createApiKey(name: "r", scopes: [READ]) { secret } }`,
      ),
    );
    const denied = await request(
      { url: connection.url, apiKey: reader.createApiKey.secret },
      RecordActivitiesDocument,
      { activities: [activity('x@hot.io')] },
    ).catch((e: QuorumRequestError) => e);
    expect(denied).toBeInstanceOf(QuorumRequestError);
    expect((denied as QuorumRequestError).codes).toEqual(['FORBIDDEN']);
  });

  it('subscribes over graphql-ws (ws URL derived from the http one) and delivers typed events', async () => {
    const client = createSubscriptionClient(connection, { retryAttempts: 0 });
    const events: LeadScoreChangedSubscription['leadScoreChanged'][] = [];
    const errors: Error[] = [];
    const stop = subscribe(
      client,
      LeadScoreChangedDocument,
      {},
      {
        next: (data) => events.push(data.leadScoreChanged),
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    const redis = new Redis(testRedisUrl());
    try {
      await eventually(async () => {
        const [, count] = (await redis.pubsub(
          'NUMSUB',
          eventChannel(h.redisPrefix, workspaceId),
        )) as [string, number];
        return count > 0 ? true : undefined;
      });
      await request(connection, RecordActivitiesDocument, {
        activities: [activity('new@cool.io', 'DEMO_REQUEST')],
      });
      const event = await eventually(async () => events.find((e) => e.old === null), 15_000);
      const { contact } = await request(connection, ContactScoreDocument, {
        email: 'new@cool.io',
      });
      expect(event.contactId).toBe(contact!.id);
      expect(event.eventId).toMatch(/^lead:[A-Za-z0-9_-]{22}$/);
      expect(errors).toEqual([]);
    } finally {
      stop();
      redis.disconnect();
      await client.dispose();
    }
  });
});
