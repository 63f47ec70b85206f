import { randomUUID } from 'node:crypto';
import { decodeEventMessage, eventChannel, type ScoreEvent } from '@quorum/events';
import { createLogger } from '@quorum/observability';
import { Database, trustedWorkspaceId } from '@quorum/persistence';
import { EventIdCodec } from '@quorum/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers, queueConcurrency } from '../../apps/worker/src/job-handlers';
import { startQueueWorkers } from '../../apps/worker/src/queue-workers';
import { createScoringRuntime } from '../../apps/worker/src/scoring-runtime';
import { eventually, startApiHarness, TEST_BATCHES, type ApiHarness } from '../support/api-harness';
import { testRedisUrl } from '../support/database-url';
import { ok, type Gql } from '../support/graphql-client';
import { freePort } from '../support/processes';

const NOW = new Date('2026-11-20T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

describe('the scoring pipeline: activity in, scores, history and events out', () => {
  let h: ApiHarness;
  let gql: Gql;
  let wsId: string;
  let subscriber: Redis;
  const events: ScoreEvent[] = [];

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true, now: NOW });
    ({ gql, id: wsId } = await h.newWorkspace());
    subscriber = new Redis(testRedisUrl());
    await subscriber.subscribe(eventChannel(h.redisPrefix, wsId));
    subscriber.on('message', (_channel, message) => events.push(...decodeEventMessage(message)));
    await ok(
      gql(
        `mutation { upsertAccounts(accounts: [{ domain: "flow.io", industry: "Software", employeeCount: 600, country: "US" }]) { created } }`,
      ),
    );
    await ok(
      gql(
        `mutation { upsertContacts(contacts: [{ email: "vp@flow.io", seniority: "VP", title: "VP Sales", country: "US" }]) { created } }`,
      ),
    );
    await h.settled();
    events.length = 0;
  });
  afterAll(async () => {
    subscriber?.disconnect();
    await h?.close();
  });

  it('moves the lead and account score, appends history and publishes each change with its history id', async () => {
    const recorded = await ok(
      gql(
        `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted scoringDelayed } }`,
        {
          a: Array.from({ length: 20 }, (_, i) => ({
            type: 'PAGE_VIEW',
            occurredAt: minutesAgo(30 - i),
            email: 'vp@flow.io',
            externalId: `p${i}`,
            properties: { url: '/pricing' },
          })),
        },
      ),
    );
    expect(recorded.recordActivities).toEqual({ accepted: 20, scoringDelayed: false });
    await h.settled();
    const data = await ok(
      gql(`{ contact(email: "vp@flow.io") { lifecycleStage score { total tier }
      scoreHistory(first: 1) { edges { node { id newTotal cause } } } account { score { total } scoreHistory(first: 1) { edges { node { id newTotal } } } } } }`),
    );
    const lead = data.contact.scoreHistory.edges[0].node;
    const account = data.contact.account.scoreHistory.edges[0].node;
    // Redis carries the history row's id; partners see it encrypted, as the history entry's id.
    const codec = new EventIdCodec(new Database(h.db.dataSource));
    await codec.prepare(trustedWorkspaceId(wsId));
    const publicId = (eventId: string) => codec.encode(trustedWorkspaceId(wsId), eventId);
    expect(lead).toMatchObject({ newTotal: data.contact.score.total, cause: 'ACTIVITY' });
    expect(account.newTotal).toBe(data.contact.account.score.total);

    // The account may be rolled up twice (once for the activity itself, once more when
    // the lead's new score lands): the last event carries the settled score.
    await eventually(async () =>
      events.some((e) => e.type === 'ACCOUNT_SCORE_CHANGED' && publicId(e.eventId) === account.id)
        ? true
        : undefined,
    );
    const leadEvent = events.find((e) => e.type === 'LEAD_SCORE_CHANGED');
    expect(publicId(leadEvent!.eventId)).toBe(lead.id);
    expect(leadEvent).toMatchObject({
      workspaceId: wsId,
      cause: 'ACTIVITY',
      new: { total: lead.newTotal },
    });
    expect(leadEvent!.at).toBe(NOW.toISOString());
    const accountEvent = events.filter((e) => e.type === 'ACCOUNT_SCORE_CHANGED').at(-1);
    expect(publicId(accountEvent!.eventId)).toBe(account.id);
    expect(accountEvent).toMatchObject({ new: { total: account.newTotal } });
    if (data.contact.lifecycleStage !== 'LEAD') {
      expect(
        events.some(
          (e) => e.type === 'LIFECYCLE_STAGE_CHANGED' && e.to === data.contact.lifecycleStage,
        ),
      ).toBe(true);
    }
    // A burst of 20 activities for one contact costs one or a few rescores, not 20.
    expect(events.filter((e) => e.type === 'LEAD_SCORE_CHANGED').length).toBeLessThanOrEqual(3);
  });

  it('is idempotent: running the same jobs again changes nothing', async () => {
    const ws = trustedWorkspaceId(wsId);
    const before = await h.db.dataSource.query(
      `SELECT (SELECT count(*) FROM lead_score_history WHERE workspace_id = $1)::int AS leads,
              (SELECT count(*) FROM account_score_history WHERE workspace_id = $1)::int AS accounts,
              (SELECT json_agg(s) FROM lead_scores s WHERE workspace_id = $1) AS scores`,
      [ws],
    );
    const [{ id: contactId, account_id: accountId }] = await h.db.dataSource.query(
      'SELECT id, account_id FROM contacts WHERE workspace_id = $1',
      [ws],
    );
    const events0 = events.length;
    await h.runtime!.pipeline.rescoreContact(ws, contactId, 'ACTIVITY');
    await h.runtime!.pipeline.rescoreAccount(ws, accountId, 'ACTIVITY', true);
    // Re-delivered jobs: the same payload queued twice under different ids (and a job of
    // the single-contact kind, queued before contacts were queued together).
    for (let i = 0; i < 2; i++)
      await h.runtime!.producer.enqueue('rescore-contacts', {
        workspaceId: ws,
        contactIds: [contactId],
        cause: 'ACTIVITY',
      });
    await h.runtime!.producer.enqueue('rescore-contact', {
      workspaceId: ws,
      contactId,
      cause: 'ACTIVITY',
    });
    await h.settled();
    const after = await h.db.dataSource.query(
      `SELECT (SELECT count(*) FROM lead_score_history WHERE workspace_id = $1)::int AS leads,
              (SELECT count(*) FROM account_score_history WHERE workspace_id = $1)::int AS accounts,
              (SELECT json_agg(s) FROM lead_scores s WHERE workspace_id = $1) AS scores`,
      [ws],
    );
    expect(after).toEqual(before);
    expect(events.length).toBe(events0);
  });

  it('fails a job whose payload can never succeed without retrying it, and keeps it for inspection', async () => {
    await h.runtime!.producer.enqueue('rescore-contacts', {
      workspaceId: wsId,
      contactIds: [randomUUID(), 'not-a-uuid'],
      cause: 'TEST',
    });
    const queue = (h.workers!.workers()[0] as unknown as { name: string }).name;
    expect(queue).toBe('scoring');
    const { Queue } = await import('bullmq');
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const q = new Queue('scoring', { connection, prefix: h.redisPrefix });
    const failed = await eventually(async () => {
      const jobs = await q.getFailed();
      return jobs.find((j) => j.data.contactIds?.includes('not-a-uuid'));
    });
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('invalid id');
    await q.close();
    connection.disconnect();
  });
});

describe('nothing accepted is lost when Redis is down at ingest', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApiHarness({ now: NOW, redisUrl: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => h?.close());

  it('accepts the activities, says scoring is delayed, and the reconciler scores them later', async () => {
    const { gql, id } = await h.newWorkspace();
    const recorded = await ok(
      gql(
        `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted scoringDelayed } }`,
        {
          a: [
            {
              type: 'DEMO_REQUEST',
              occurredAt: minutesAgo(5),
              email: 'late@delay.io',
              externalId: 'd1',
            },
            {
              type: 'EMAIL_OPEN',
              occurredAt: minutesAgo(4),
              email: 'other@delay.io',
              externalId: 'd2',
            },
          ],
        },
      ),
    );
    expect(recorded.recordActivities).toEqual({ accepted: 2, scoringDelayed: true });
    const pending = await h.db.dataSource.query(
      'SELECT entity_type FROM pending_rescores WHERE workspace_id = $1 ORDER BY 1',
      [id],
    );
    // The contacts' markers stand for their account too: its roll-up follows their rescore.
    expect(pending.map((p: any) => p.entity_type)).toEqual(['CONTACT', 'CONTACT']);

    // Redis is back: a worker reconciles from PostgreSQL.
    const runtime = createScoringRuntime(h.db.dataSource, h.clock, testRedisUrl(), h.redisPrefix, {
      logger: createLogger('worker', 'silent'),
    });
    const workers = startQueueWorkers({
      redisUrl: testRedisUrl(),
      prefix: h.redisPrefix,
      concurrency: queueConcurrency(TEST_BATCHES),
      handlers: createJobHandlers(runtime.pipeline, TEST_BATCHES, runtime.tierCutoffs),
      logger: createLogger('worker', 'silent'),
    });
    try {
      const queued = await runtime.pipeline.reconcile(0);
      expect(queued).toMatchObject({ contacts: 2, accounts: 0 });
      await eventually(async () => {
        const [{ n }] = await h.db.dataSource.query(
          'SELECT count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1',
          [id],
        );
        return n === 0 ? true : undefined;
      });
      const data = await ok(
        gql(
          `{ contact(email: "late@delay.io") { score { tier override { ruleId } } account { score { total } } } }`,
        ),
      );
      expect(data.contact.score.override).not.toBeNull();
      expect(data.contact.account.score).not.toBeNull();
    } finally {
      await workers.close();
      await runtime.close();
    }
  });
});
