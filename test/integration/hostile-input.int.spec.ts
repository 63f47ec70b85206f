import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Gql } from '../support/graphql-client';

/** Anything a client might send in a string or number slot, hostile or not. */
const hostile = fc.constantFrom(
  "'; DROP TABLE accounts; --",
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  'x'.repeat(5000),
  '',
  '\ud800',
  '🦄'.repeat(300),
);
const anyString = fc.oneof(
  { arbitrary: hostile, weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);
const anyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 53, -1, 0, 2 ** 31),
);
const anyValue = fc.oneof(
  anyString,
  anyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 3 }),
);

describe('hostile input: every mutation answers with a clear error or a correct write, never a 500 or a partial write', () => {
  let h: ApiHarness;
  let gql: Gql;
  let wsId: string;
  beforeAll(async () => {
    h = await startApiHarness({ now: new Date('2026-11-20T12:00:00Z') });
    ({ gql, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  const counts = async () =>
    (
      await h.db.dataSource.query(
        `SELECT (SELECT count(*) FROM accounts WHERE workspace_id = $1)::int AS a, (SELECT count(*) FROM contacts WHERE workspace_id = $1)::int AS c,
                (SELECT count(*) FROM activities WHERE workspace_id = $1)::int AS x, (SELECT count(*) FROM buying_groups WHERE workspace_id = $1)::int AS g,
                (SELECT count(*) FROM outcomes WHERE workspace_id = $1)::int AS o`,
        [wsId],
      )
    )[0];

  async function check(query: string, variables: Record<string, unknown>, rows: number) {
    const before = await counts();
    const result = await gql(query, variables);
    const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    if (result.errors?.length) {
      expect(codes.every((c) => c === 'BAD_USER_INPUT' || c === 'GRAPHQL_VALIDATION_FAILED')).toBe(
        true,
      );
      expect(await counts()).toEqual(before);
    } else {
      const after = await counts();
      // A correct write adds at most one row per item, in the right table.
      const added =
        Object.values(after).reduce((n: number, v) => n + (v as number), 0) -
        Object.values(before).reduce((n: number, v) => n + (v as number), 0);
      expect(added).toBeGreaterThanOrEqual(0);
      expect(added).toBeLessThanOrEqual(rows * 3);
    }
  }

  // Well-typed but hostile values reach the services and the database; wrongly typed ones
  // must be stopped by GraphQL coercion. Both are generated.
  const optString = fc.option(anyString, { nil: null });
  const anyInt = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 2 ** 31 - 1, -(2 ** 31)));
  const anyFloat = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(-1, 0, 1e308),
  );

  it('upsertAccounts', async () => {
    const typed = fc.record(
      {
        domain: fc.oneof(fc.domain(), anyString),
        name: optString,
        industry: optString,
        employeeCount: fc.option(anyInt, { nil: null }),
        annualRevenue: fc.option(anyFloat, { nil: null }),
        technologies: fc.option(fc.array(anyString, { maxLength: 3 }), { nil: null }),
        attributes: fc.option(fc.dictionary(anyString, anyValue, { maxKeys: 3 }), { nil: null }),
      },
      { requiredKeys: ['domain'] },
    );
    const untyped = fc.record(
      { domain: anyValue, employeeCount: anyValue, technologies: anyValue },
      { requiredKeys: ['domain'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: typed, weight: 4 }, { arbitrary: untyped, weight: 1 }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (accounts) =>
          check(
            `mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created updated } }`,
            { a: accounts },
            accounts.length,
          ),
      ),
      { numRuns: 60 },
    );
  });

  it('upsertContacts', async () => {
    const typed = fc.record(
      {
        email: fc.oneof(fc.emailAddress(), anyString),
        firstName: optString,
        title: optString,
        seniority: optString,
        department: optString,
        accountDomain: fc.option(fc.oneof(fc.domain(), anyString), { nil: null }),
        lifecycleStage: fc.option(fc.constantFrom('LEAD', 'MQL', 'SQL'), { nil: null }),
        unsubscribed: fc.option(fc.boolean(), { nil: null }),
        attributes: fc.option(fc.dictionary(anyString, anyValue, { maxKeys: 3 }), { nil: null }),
      },
      { requiredKeys: ['email'] },
    );
    const untyped = fc.record(
      { email: anyValue, lifecycleStage: anyValue, unsubscribed: anyValue },
      { requiredKeys: ['email'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: typed, weight: 4 }, { arbitrary: untyped, weight: 1 }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (contacts) =>
          check(
            `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { created } }`,
            { c: contacts },
            contacts.length,
          ),
      ),
      { numRuns: 60 },
    );
  });

  it('recordActivities', async () => {
    const typed = fc.record({
      type: fc.constantFrom('EMAIL_OPEN', 'PAGE_VIEW', 'DEMO_REQUEST', 'INTENT_SURGE'),
      occurredAt: fc
        .date({ min: new Date('1990-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      externalId: anyString,
      email: fc.oneof(fc.emailAddress(), anyString),
      properties: fc.option(fc.dictionary(anyString, anyValue, { maxKeys: 4 }), { nil: null }),
    });
    const untyped = fc.record({
      type: anyValue,
      occurredAt: anyValue,
      externalId: anyValue,
      email: anyValue,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: typed, weight: 4 }, { arbitrary: untyped, weight: 1 }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (activities) =>
          check(
            `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted duplicates } }`,
            { a: activities },
            activities.length,
          ),
      ),
      { numRuns: 60 },
    );
  });

  it('createBuyingGroup and recordOutcomes', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyValue,
        anyString,
        fc.array(anyString, { maxLength: 3 }),
        anyValue,
        anyValue,
        async (accountId, name, roles, type, amount) => {
          await check(
            `mutation($i: CreateBuyingGroupInput!) { createBuyingGroup(input: $i) { id } }`,
            { i: { accountId, name, requiredRoles: roles } },
            1,
          );
          await check(
            `mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`,
            {
              o: [
                {
                  contactId: accountId,
                  type,
                  occurredAt: '2026-11-01T00:00:00Z',
                  amount,
                  externalId: name,
                },
              ],
            },
            1,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('queries with hostile filters answer with data or BAD_USER_INPUT, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(anyString, fc.array(anyString, { maxLength: 3 }), async (search, list) => {
        const result = await gql(
          `query($s: String, $l: [String!], $e: String!, $d: String!) {
            accounts(filter: { search: $s, domains: $l, industries: $l }) { totalCount }
            contacts(filter: { search: $s, emails: $l, departments: $l }) { totalCount }
            contact(email: $e) { id } account(domain: $d) { id } }`,
          { s: search, l: list, e: search, d: search },
        );
        const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
        expect(codes.filter((c) => c !== 'BAD_USER_INPUT')).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
