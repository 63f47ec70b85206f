import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok } from '../support/graphql-client';

describe('recordOutcomes', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(() => h?.close());

  it('stores outcomes once per externalId and refuses bad items without writing any', async () => {
    const { gql, id } = await h.newWorkspace();
    const c = await ok(
      gql(
        `mutation { upsertContacts(contacts: [{ email: "won@deal.io" }]) { contacts { id accountId } } }`,
      ),
    );
    const { id: contactId, accountId } = c.upsertContacts.contacts[0];
    const mutation = `mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted duplicates } }`;
    const outcomes = [
      {
        contactId,
        type: 'OPPORTUNITY_CREATED',
        occurredAt: '2026-11-10T00:00:00Z',
        externalId: 'opp-1',
      },
      {
        accountId,
        type: 'WON',
        occurredAt: '2026-11-15T00:00:00Z',
        amount: 25000,
        externalId: 'won-1',
      },
    ];
    expect((await ok(gql(mutation, { o: outcomes }))).recordOutcomes).toEqual({
      accepted: 2,
      duplicates: 0,
    });
    expect((await ok(gql(mutation, { o: outcomes }))).recordOutcomes).toEqual({
      accepted: 0,
      duplicates: 2,
    });

    const bad = await gql(mutation, {
      o: [
        { contactId, type: 'LOST', occurredAt: '2026-11-16T00:00:00Z', externalId: 'lost-1' },
        {
          contactId,
          accountId,
          type: 'LOST',
          occurredAt: '2026-11-16T00:00:00Z',
          externalId: 'lost-2',
        },
        {
          contactId,
          type: 'WON',
          occurredAt: '2026-11-16T00:00:00Z',
          amount: -5,
          externalId: 'won-2',
        },
      ],
    });
    const paths = bad.errors?.[0]?.extensions?.['issues'].map((i: any) => i.path);
    expect(paths).toEqual(['outcomes[1].contactId', 'outcomes[2].amount']);
    const [{ n }] = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM outcomes WHERE workspace_id = $1',
      [id],
    );
    expect(n).toBe(2);
  });
});
