import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

describe('accounts, contacts, buying groups and activities over GraphQL', () => {
  let h: ApiHarness;
  let gql: Gql;
  let wsId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    ({ gql, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  it('upserts accounts by normalised domain, keeping fields that are left out', async () => {
    const first = await ok(
      gql(`mutation { upsertAccounts(accounts: [
        { domain: "https://www.Globex.com/about", name: "Globex", industry: "Software", employeeCount: 500, technologies: ["Salesforce"] },
        { domain: "initech.io", name: "Initech" }]) { created updated accounts { id domain name } } }`),
    );
    expect(first.upsertAccounts.created).toBe(2);
    expect(first.upsertAccounts.accounts.map((a: any) => a.domain)).toEqual([
      'globex.com',
      'initech.io',
    ]);
    const second = await ok(
      gql(`mutation { upsertAccounts(accounts: [{ domain: "GLOBEX.com", employeeCount: 750, name: null }]) {
        created updated accounts { id name industry employeeCount technologies } } }`),
    );
    expect(second.upsertAccounts).toMatchObject({ created: 0, updated: 1 });
    expect(second.upsertAccounts.accounts[0]).toEqual({
      id: first.upsertAccounts.accounts[0].id,
      name: null,
      industry: 'Software',
      employeeCount: 750,
      technologies: ['Salesforce'],
    });
    const byDomain = await ok(gql(`{ account(domain: "www.globex.com") { id } }`));
    expect(byDomain.account.id).toBe(first.upsertAccounts.accounts[0].id);
  });

  it('matches contacts to accounts by email domain, never by a personal mailbox domain', async () => {
    const data = await ok(
      gql(`mutation { upsertContacts(contacts: [
        { email: "Ann@Globex.com", title: "VP Engineering" },
        { email: "bob@gmail.com" },
        { email: "cy@newcorp.dev" }]) { created accountsCreated contacts { email account { domain } } } }`),
    );
    expect(data.upsertContacts.contacts).toEqual([
      { email: 'ann@globex.com', account: { domain: 'globex.com' } },
      { email: 'bob@gmail.com', account: null },
      { email: 'cy@newcorp.dev', account: { domain: 'newcorp.dev' } },
    ]);
    expect(data.upsertContacts.accountsCreated).toBe(1);
    const gmail = await ok(gql(`{ account(domain: "gmail.com") { id } }`));
    expect(gmail.account).toBeNull();
  });

  it('records activities idempotently by externalId and creates unknown contacts', async () => {
    const activities = [
      {
        type: 'PAGE_VIEW',
        occurredAt: '2026-11-19T10:00:00Z',
        email: 'ann@globex.com',
        externalId: 'e-1',
        properties: { url: '/pricing' },
      },
      {
        type: 'EMAIL_OPEN',
        occurredAt: '2026-11-19T11:00:00Z',
        email: 'dee@globex.com',
        externalId: 'e-2',
      },
      {
        type: 'EMAIL_OPEN',
        occurredAt: '2026-11-19T11:00:00Z',
        email: 'dee@globex.com',
        externalId: 'e-2',
      },
      {
        type: 'INTENT_SURGE',
        occurredAt: '2026-11-19T12:00:00Z',
        accountDomain: 'globex.com',
        externalId: 'e-3',
        properties: { topic: 'lead scoring' },
      },
    ];
    const mutation = `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted duplicates contactsCreated } }`;
    const first = await ok(gql(mutation, { a: activities }));
    expect(first.recordActivities).toEqual({ accepted: 3, duplicates: 1, contactsCreated: 1 });
    const again = await ok(gql(mutation, { a: activities }));
    expect(again.recordActivities).toEqual({ accepted: 0, duplicates: 4, contactsCreated: 0 });
    const [{ n }] = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1',
      [wsId],
    );
    expect(n).toBe(3);
    const contact = await ok(
      gql(
        `{ contact(email: "ANN@globex.com") { email account { domain } activities { totalCount edges { node { type properties } } } } }`,
      ),
    );
    expect(contact.contact.activities).toEqual({
      totalCount: 1,
      edges: [{ node: { type: 'PAGE_VIEW', properties: { url: '/pricing' } } }],
    });
  });

  it('runs buying groups: create, set and change a member role, remove', async () => {
    const acct = await ok(
      gql(`{ account(domain: "globex.com") { id contacts { edges { node { id email } } } } }`),
    );
    const ann = acct.account.contacts.edges.find(
      (e: any) => e.node.email === 'ann@globex.com',
    ).node;
    const group = await ok(
      gql(
        `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "Platform", requiredRoles: [DECISION_MAKER, CHAMPION] }) { id name requiredRoles } }`,
        { a: acct.account.id },
      ),
    );
    const gid = group.createBuyingGroup.id;
    await ok(
      gql(
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: CHAMPION) { role } }`,
        { g: gid, c: ann.id },
      ),
    );
    const changed = await ok(
      gql(
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: DECISION_MAKER) { role } }`,
        { g: gid, c: ann.id },
      ),
    );
    expect(changed.setBuyingGroupMember.role).toBe('DECISION_MAKER');
    const read = await ok(
      gql(
        `query($g: ID!) { buyingGroup(id: $g) { name account { domain } members { role contact { email } } } }`,
        { g: gid },
      ),
    );
    expect(read.buyingGroup).toEqual({
      name: 'Platform',
      account: { domain: 'globex.com' },
      members: [{ role: 'DECISION_MAKER', contact: { email: 'ann@globex.com' } }],
    });
    const duplicate = await gql(
      `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "Platform" }) { id } }`,
      { a: acct.account.id },
    );
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    await ok(
      gql(
        `mutation($g: ID!, $c: ID!) { removeBuyingGroupMember(buyingGroupId: $g, contactId: $c) }`,
        { g: gid, c: ann.id },
      ),
    );
    const after = await ok(
      gql(`query($g: ID!) { buyingGroup(id: $g) { members { role } } }`, { g: gid }),
    );
    expect(after.buyingGroup.members).toEqual([]);
  });

  it('paginates with cursors, filters and a total count', async () => {
    const accounts = Array.from({ length: 25 }, (_, i) => ({
      domain: `page${String(i).padStart(2, '0')}.com`,
      industry: i % 2 ? 'Retail' : 'Software',
    }));
    await ok(
      gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
        a: accounts,
      }),
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await ok(
        gql(
          `query($after: String) { accounts(first: 10, after: $after, orderBy: DOMAIN_ASC, filter: { search: "page" }) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { domain } } } }`,
          { after },
        ),
      );
      expect(data.accounts.totalCount).toBe(25);
      seen.push(...data.accounts.edges.map((e: any) => e.node.domain));
      if (!data.accounts.pageInfo.hasNextPage) break;
      after = data.accounts.pageInfo.endCursor;
    }
    expect(seen).toEqual(accounts.map((a) => a.domain));
    const retail = await ok(
      gql(`{ accounts(filter: { industries: ["retail"], search: "page" }) { totalCount } }`),
    );
    expect(retail.accounts.totalCount).toBe(12);
    const tooMany = await gql(`{ accounts(first: 501) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });

  it('deleteContact erases the person and their activities', async () => {
    const c = await ok(gql(`{ contact(email: "ann@globex.com") { id } }`));
    await ok(
      gql(`mutation($id: ID!) { deleteContact(id: $id) { deletedContactId } }`, {
        id: c.contact.id,
      }),
    );
    const rows = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1 AND contact_id = $2',
      [wsId, c.contact.id],
    );
    expect(rows[0].n).toBe(0);
    expect((await ok(gql(`{ contact(email: "ann@globex.com") { id } }`))).contact).toBeNull();
  });
});
