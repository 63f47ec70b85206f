import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

describe('bad input is refused with BAD_USER_INPUT naming the field and index, and writes nothing', () => {
  let h: ApiHarness;
  let gql: Gql;
  let wsId: string;
  const count = async (table: string) =>
    (
      await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`,
        [wsId],
      )
    )[0].n;

  beforeAll(async () => {
    h = await startApiHarness({ now: new Date('2026-11-20T12:00:00Z') });
    ({ gql, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  const upsertAccounts = `mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`;
  const upsertContacts = `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { created } }`;
  const record = `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`;

  const cases: {
    name: string;
    query: string;
    variables: Record<string, unknown>;
    field: string;
    index?: number;
  }[] = [
    {
      name: 'malformed domain',
      query: upsertAccounts,
      variables: { a: [{ domain: 'ok.com' }, { domain: 'not a domain' }] },
      field: 'accounts[1].domain',
      index: 1,
    },
    {
      name: 'negative employee count',
      query: upsertAccounts,
      variables: { a: [{ domain: 'ok.com', employeeCount: -5 }] },
      field: 'accounts[0].employeeCount',
      index: 0,
    },
    {
      name: 'negative revenue',
      query: upsertAccounts,
      variables: { a: [{ domain: 'ok.com', annualRevenue: -1 }] },
      field: 'accounts[0].annualRevenue',
      index: 0,
    },
    {
      name: 'over-long name',
      query: upsertAccounts,
      variables: { a: [{ domain: 'ok.com', name: 'x'.repeat(301) }] },
      field: 'accounts[0].name',
      index: 0,
    },
    {
      name: 'duplicate domain in one call',
      query: upsertAccounts,
      variables: { a: [{ domain: 'dup.com' }, { domain: 'www.DUP.com' }] },
      field: 'accounts[1].domain',
      index: 1,
    },
    {
      name: 'more than 1,000 items',
      query: upsertAccounts,
      variables: { a: Array.from({ length: 1001 }, (_, i) => ({ domain: `d${i}.com` })) },
      field: 'accounts',
    },
    {
      name: 'malformed email',
      query: upsertContacts,
      variables: { c: [{ email: 'fine@ok.com' }, { email: 'nope@' }] },
      field: 'contacts[1].email',
      index: 1,
    },
    {
      name: 'unknown account id',
      query: upsertContacts,
      variables: { c: [{ email: 'a@ok.com', accountId: '00000000-0000-4000-8000-000000000000' }] },
      field: 'contacts[0].accountId',
      index: 0,
    },
    {
      name: 'personal domain as account',
      query: upsertContacts,
      variables: { c: [{ email: 'a@ok.com', accountDomain: 'gmail.com' }] },
      field: 'contacts[0].accountDomain',
      index: 0,
    },
    {
      name: 'future occurredAt',
      query: record,
      variables: {
        a: [
          {
            type: 'EMAIL_OPEN',
            occurredAt: '2026-11-20T12:30:00Z',
            email: 'a@ok.com',
            externalId: 'f1',
          },
        ],
      },
      field: 'activities[0].occurredAt',
      index: 0,
    },
    {
      name: 'unknown contact id',
      query: record,
      variables: {
        a: [
          {
            type: 'EMAIL_OPEN',
            occurredAt: '2026-11-20T11:00:00Z',
            contactId: '00000000-0000-4000-8000-000000000000',
            externalId: 'f2',
          },
        ],
      },
      field: 'activities[0].contactId',
      index: 0,
    },
    {
      name: 'no subject',
      query: record,
      variables: {
        a: [{ type: 'EMAIL_OPEN', occurredAt: '2026-11-20T11:00:00Z', externalId: 'f3' }],
      },
      field: 'activities[0].contactId',
      index: 0,
    },
    {
      name: 'over-long externalId',
      query: record,
      variables: {
        a: [
          {
            type: 'EMAIL_OPEN',
            occurredAt: '2026-11-20T11:00:00Z',
            email: 'a@ok.com',
            externalId: 'x'.repeat(201),
          },
        ],
      },
      field: 'activities[0].externalId',
      index: 0,
    },
  ];

  /** JSON nested `levels` deep: thousands of levels used to overflow the server's stack. */
  const nested = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i += 1) value = { a: value };
    return value;
  };
  const cursor = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
  cases.push(
    {
      name: 'email whose domain is over 253 characters',
      query: upsertContacts,
      variables: {
        c: [{ email: `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com` }],
      },
      field: 'contacts[0].email',
      index: 0,
    },
    {
      name: 'account attributes nested 2,000 levels deep',
      query: upsertAccounts,
      variables: { a: [{ domain: 'ok.com' }, { domain: 'deep.com', attributes: nested(2_000) }] },
      field: 'accounts[1].attributes',
    },
    {
      name: 'contact attributes nested 33 levels deep',
      query: upsertContacts,
      variables: { c: [{ email: 'a@ok.com', attributes: nested(33) }] },
      field: 'contacts[0].attributes',
    },
    {
      name: 'activity properties nested 2,000 levels deep',
      query: record,
      variables: {
        a: [
          {
            type: 'EMAIL_OPEN',
            occurredAt: '2026-11-20T11:00:00Z',
            email: 'a@ok.com',
            externalId: 'deep',
            properties: nested(2_000),
          },
        ],
      },
      field: 'activities[0].properties',
    },
    {
      name: 'definitionJson nested 2,000 levels deep',
      query: `mutation($d: JSONObject) { createScoringModelDraft(definitionJson: $d) { id } }`,
      variables: { d: nested(2_000) },
      field: 'definitionJson',
    },
    {
      name: 'a cursor whose values are not of its ordering (forged)',
      query: `query($after: String) { contacts(after: $after) { totalCount } }`,
      variables: { after: cursor({ o: 'CREATED_AT_DESC', k: ['yesterday', 'nope'] }) },
      field: 'after',
    },
    {
      name: 'a cursor of another ordering',
      query: `query($after: String) { accounts(orderBy: PRIORITY_DESC, after: $after) { totalCount } }`,
      variables: { after: cursor({ o: 'DOMAIN_ASC', k: ['ok.com'] }) },
      field: 'after',
    },
    {
      name: 'a cursor that is not one',
      query: `query($after: String) { scoringModelAuditLog(after: $after) { totalCount } }`,
      variables: { after: 'bm9wZQ' },
      field: 'after',
    },
    {
      name: 'a subscription sent over HTTP',
      query: `subscription { leadScoreChanged { eventId } }`,
      variables: {},
      field: 'leadScoreChanged',
    },
  );

  it('refuses an id that is not one where it would reach SQL (scoreAsOf versionId)', async () => {
    // Its own workspace: the other cases count this one's rows.
    const { gql: other } = await h.newWorkspace();
    await ok(other(upsertContacts, { c: [{ email: 'asof@ok.com' }] }));
    const result = await other(
      `{ contact(email: "asof@ok.com") { scoreAsOf(at: "2026-11-01T00:00:00Z", versionId: "nope") { total } } }`,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'versionId',
    });
    expect(result.data.contact.scoreAsOf).toBeNull();
  });

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const before = [await count('accounts'), await count('contacts'), await count('activities')];
      const result = await gql(c.query, c.variables);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: c.field,
      });
      if (c.index !== undefined) expect(result.errors?.[0]?.extensions?.['index']).toBe(c.index);
      expect(result.errors?.[0]?.message).toContain(c.field);
      expect([await count('accounts'), await count('contacts'), await count('activities')]).toEqual(
        before,
      );
    });
  }

  it('refuses an unknown enum value, as a variable and as a literal', async () => {
    const asVariable = await gql(record, {
      a: [
        {
          type: 'TELEPATHY',
          occurredAt: '2026-11-20T11:00:00Z',
          email: 'a@ok.com',
          externalId: 'z',
        },
      ],
    });
    expect(asVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(asVariable.errors?.[0]?.message).toContain('TELEPATHY');
    const asLiteral = await gql(
      `mutation { recordActivities(activities: [{ type: TELEPATHY, occurredAt: "2026-11-20T11:00:00Z", email: "a@ok.com", externalId: "z" }]) { accepted } }`,
    );
    expect(asLiteral.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count('activities')).toBe(0);
  });

  it('a valid batch with one bad item writes none of it', async () => {
    const result = await gql(upsertContacts, {
      c: [{ email: 'good1@ok.com' }, { email: 'good2@ok.com' }, { email: 'bad' }],
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'contacts[2].email',
      index: 2,
    });
    expect(await count('contacts')).toBe(0);
    expect(await count('accounts')).toBe(0);
  });

  it('accepts a small clock skew', async () => {
    const data = await ok(
      gql(record, {
        a: [
          {
            type: 'EMAIL_OPEN',
            occurredAt: '2026-11-20T12:02:00Z',
            email: 'a@ok.com',
            externalId: 'skew',
          },
        ],
      }),
    );
    expect(data.recordActivities.accepted).toBe(1);
  });
});
