import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

describe('DataLoaders keep SQL statements flat as pages grow', () => {
  let h: ApiHarness;
  let gql: Gql;

  beforeAll(async () => {
    h = await startApiHarness();
    ({ gql } = await h.newWorkspace());
    const accounts = Array.from({ length: 120 }, (_, i) => ({
      domain: `n${i}.com`,
      name: `N${i}`,
    }));
    await ok(
      gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
        a: accounts,
      }),
    );
    const contacts = accounts.flatMap((a, i) => [
      { email: `x${i}@${a.domain}` },
      { email: `y${i}@${a.domain}` },
    ]);
    const stored = await ok(
      gql(
        `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id accountId } } }`,
        { c: contacts },
      ),
    );
    for (let i = 0; i < 120; i += 1) {
      const c = stored.upsertContacts.contacts[2 * i];
      const g = await ok(
        gql(
          `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "G", requiredRoles: [CHAMPION] }) { id } }`,
          { a: c.accountId },
        ),
      );
      await ok(
        gql(
          `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: CHAMPION) { role } }`,
          { g: g.createBuyingGroup.id, c: c.id },
        ),
      );
    }
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: contacts.slice(0, 200).map((c, i) => ({
          type: 'EMAIL_OPEN',
          occurredAt: '2026-11-19T00:00:00Z',
          email: c.email,
          externalId: `q${i}`,
        })),
      }),
    );
  });
  afterAll(() => h?.close());

  const query = `query($first: Int!) { accounts(first: $first) { totalCount edges { node { domain
    contacts(first: 5) { totalCount edges { node { email account { domain } activities(first: 3) { totalCount edges { node { type } } } } } }
    buyingGroups { name account { name } members { role contact { email } } } } } } }`;

  async function statementsFor(first: number): Promise<number> {
    h.counter.count = 0;
    const data = await ok(gql(query, { first }));
    expect(data.accounts.edges).toHaveLength(first);
    expect(data.accounts.edges[0].node.buyingGroups[0].members).toHaveLength(1);
    return h.counter.count;
  }

  it('accounts(first: 10) and accounts(first: 100) with contacts and buying groups cost the same statements', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred).toBe(ten);
    expect(ten).toBeLessThanOrEqual(12);
  });
});
