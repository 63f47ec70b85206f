import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuorumSchema } from '../../apps/api/src/schema/build-schema';
import { ADMIN_TOKEN, startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql, type GraphQLResponse } from '../support/graphql-client';

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

/** A JSON object nested `levels` deep, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

const cursor = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');

/** Cursors a client could forge: right list and order, wrong values; wrong shapes; not base64. */
const forgedCursor = fc.oneof(
  fc
    .record({
      o: fc.constantFrom(
        'CREATED_AT_DESC',
        'EMAIL_ASC',
        'SCORE_DESC',
        'DOMAIN_ASC',
        'PRIORITY_DESC',
        'SCORE_CHANGE_DESC',
        'LAST_ACTIVITY_DESC',
        'HISTORY',
        'AUDIT',
        'ADMIN_AUDIT',
      ),
      k: fc.array(
        fc.oneof(
          anyString,
          anyNumber,
          fc.constantFrom(
            'nope',
            '2026-13-45T25:61:61.000000Z',
            '99999999999999999999',
            '-infinity',
            '00000000-0000-0000-0000-000000000000',
          ),
          fc.constant(null),
          fc.constant({}),
        ),
        { maxLength: 3 },
      ),
    })
    .map(cursor),
  fc.jsonValue().map(cursor),
  fc.constantFrom('nope', '!!!', 'x'.repeat(3000), cursor({ o: 'CREATED_AT_DESC' })),
);

const hostileJson = fc.oneof(
  fc.dictionary(anyString, anyValue, { maxKeys: 4 }),
  fc.constantFrom(nested(40), nested(3_000), { 'k\u0000': 1 }, { a: '\ud800' }, [1, 2], 'text'),
  fc.jsonValue({ maxDepth: 4 }),
);

const hostileDate = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '1970-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    'yesterday',
    '',
  ),
);

const hostileInt = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 500, 501, 1_000, 1_001),
);
const hostileFloat = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 5e-324, -0, 0.5, 2 ** 53),
);

describe('hostile input on every root field and every argument: never a server error, never a partial write', () => {
  let h: ApiHarness;
  let gql: Gql;
  let key: string;
  let wsId: string;
  let schema: GraphQLSchema;
  const ids: string[] = [];
  const reach: Record<string, string> = {};

  beforeAll(async () => {
    h = await startApiHarness({ now: new Date('2026-11-20T12:00:00Z') });
    ({ gql, key, id: wsId } = await h.newWorkspace());
    schema = await buildQuorumSchema();
    // Real ids of every kind, so generated arguments reach past the "not found" checks.
    const seeded = await ok(
      gql(`mutation {
        upsertContacts(contacts: [{ email: "ann@real.io", title: "VP" }, { email: "bo@real.io" }]) { contacts { id account { id } } }
      }`),
    );
    const [ann, bo] = seeded.upsertContacts.contacts;
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: [
          {
            type: 'PAGE_VIEW',
            occurredAt: '2026-11-19T10:00:00Z',
            email: 'ann@real.io',
            externalId: 'seed-1',
            properties: { url: '/pricing' },
          },
        ],
      }),
    );
    const group = await ok(
      gql(`mutation($i: CreateBuyingGroupInput!) { createBuyingGroup(input: $i) { id } }`, {
        i: { accountId: ann.account.id, name: 'Core', requiredRoles: ['CHAMPION'] },
      }),
    );
    const draft = await ok(gql(`mutation { createScoringModelDraft { id } }`));
    const active = await ok(gql(`{ scoringModel { id } }`));
    const spare = await ok(
      gql(`mutation { createApiKey(name: "spare", scopes: [READ]) { apiKey { id } } }`),
    );
    ids.push(
      ann.id,
      bo.id,
      ann.account.id,
      group.createBuyingGroup.id,
      draft.createScoringModelDraft.id,
      active.scoringModel.id,
      spare.createApiKey.apiKey.id,
    );
    // Nested fields are reached through rows the generated mutations never get the ids of.
    const kept = await ok(
      gql(`mutation {
        upsertContacts(contacts: [{ email: "kept@kept.io", title: "CTO" }]) { contacts { id account { id } } }
      }`),
    );
    const keptContact = kept.upsertContacts.contacts[0];
    const keptGroup = await ok(
      gql(`mutation($i: CreateBuyingGroupInput!) { createBuyingGroup(input: $i) { id } }`, {
        i: { accountId: keptContact.account.id, name: 'Kept', requiredRoles: ['CHAMPION'] },
      }),
    );
    reach['Contact'] = `contact(id: "${keptContact.id}")`;
    reach['Account'] = `account(id: "${keptContact.account.id}")`;
    reach['BuyingGroup'] = `buyingGroup(id: "${keptGroup.createBuyingGroup.id}")`;
    reach['ScoringModelVersion'] = `scoringModel`;
  });
  afterAll(() => h?.close());

  /** Every workspace-owned row of the workspace, by table, and the number of workspaces. */
  async function rowCounts(): Promise<Record<string, number>> {
    const tables: { table_name: string }[] = await h.db.dataSource.query(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'workspace_id' AND table_name <> 'workspaces'
       ORDER BY table_name`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await h.db.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE workspace_id = $1`,
        [wsId],
      );
      counts[table_name] = row.n;
    }
    const [all] = await h.db.dataSource.query('SELECT count(*)::int AS n FROM workspaces');
    counts['workspaces'] = all.n;
    return counts;
  }

  const anyId = () =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...ids), weight: 3 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: anyString, weight: 2 },
      { arbitrary: fc.constantFrom('nope', '1', '-1', '99999999999999999999', 'null'), weight: 1 },
    );

  /** Values for an input type: mostly well-typed and hostile, now and then of the wrong type. */
  function arbitraryFor(type: GraphQLInputType, argName: string, depth = 0): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return arbitraryFor(type.ofType, argName, depth);
    const wrong = fc.oneof(anyString, anyNumber, fc.boolean(), fc.constant(null), fc.constant({}));
    const typed = ((): fc.Arbitrary<unknown> => {
      if (isListType(type)) {
        return fc.oneof(
          {
            arbitrary: fc.array(arbitraryFor(type.ofType, argName, depth + 1), { maxLength: 3 }),
            weight: 6,
          },
          { arbitrary: fc.constant(Array.from({ length: 1_001 }, () => 'x')), weight: 1 },
        );
      }
      if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.value));
      if (isInputObjectType(type)) {
        if (depth > 4) return fc.constant({});
        const fields = Object.values(type.getFields());
        return fc.record(
          Object.fromEntries(fields.map((f) => [f.name, arbitraryFor(f.type, f.name, depth + 1)])),
          { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) },
        );
      }
      switch ((type as GraphQLScalarType).name) {
        case 'ID':
          return anyId();
        case 'String':
          return argName === 'after' ? fc.oneof(forgedCursor, anyString) : anyString;
        case 'Int':
          return hostileInt;
        case 'Float':
          return hostileFloat;
        case 'Boolean':
          return fc.boolean();
        case 'DateTimeISO':
          return hostileDate;
        case 'JSON':
        case 'JSONObject':
          return hostileJson;
        default:
          throw new Error(`no generator for scalar ${(type as GraphQLScalarType).name}`);
      }
    })();
    return fc.oneof({ arbitrary: typed, weight: 9 }, { arbitrary: wrong, weight: 1 });
  }

  const selection = (type: GraphQLOutputType) =>
    isObjectType(getNamedType(type)) ? ' { __typename }' : '';

  interface Case {
    name: string;
    kind: 'query' | 'mutation';
    field: GraphQLField<unknown, unknown>;
    /** Wraps the field call in what reaches it (nested fields). */
    wrap: (call: string) => string;
  }

  function cases(): Case[] {
    const roots: Case[] = [];
    for (const [kind, root] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(root!.getFields()))
        roots.push({ name: `${kind} ${field.name}`, kind, field, wrap: (call) => call });
    }
    const roots_ = new Set(['Query', 'Mutation', 'Subscription']);
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || roots_.has(type.name) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.args.length === 0) continue;
        const path = reach[type.name];
        if (!path) throw new Error(`no way to reach ${type.name}.${field.name}: add it to reach`);
        roots.push({
          name: `${type.name}.${field.name}`,
          kind: 'query',
          field,
          wrap: (call) => `${path} { ${call} }`,
        });
      }
    }
    // Reads first, then writes; erasing contacts last, so the others still find them.
    const rank = (c: Case) => (c.kind === 'query' ? 0 : c.field.name === 'deleteContact' ? 2 : 1);
    return roots.sort((a, b) => rank(a) - rank(b));
  }

  const ALLOWED = new Set([
    'BAD_USER_INPUT',
    'GRAPHQL_VALIDATION_FAILED',
    'QUERY_TOO_COSTLY',
    'INSUFFICIENT_OUTCOMES',
  ]);

  it('covers every root query and mutation, and every nested field with arguments', () => {
    const names = cases().map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['mutation recordActivities', 'Contact.scoreAsOf']),
    );
    expect(names.length).toBeGreaterThanOrEqual(44);
  });

  it('answers data or a client error, and writes nothing when it answers an error', async () => {
    const failures: string[] = [];
    for (const c of cases()) {
      const args = c.field.args;
      const variables = fc.record(
        Object.fromEntries(args.map((a) => [a.name, arbitraryFor(a.type, a.name)])),
        { requiredKeys: args.filter((a) => isNonNullType(a.type)).map((a) => a.name) },
      );
      const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const call = `${c.field.name}${args.length ? `(${passed})` : ''}${selection(c.field.type)}`;
      const query = `${c.kind}${declared ? `(${declared})` : ''} { ${c.wrap(call)} }`;
      const token = c.field.name === 'createWorkspace' ? ADMIN_TOKEN : key;
      try {
        await fc.assert(
          fc.asyncProperty(variables, async (vars) => {
            const before = await rowCounts();
            const response = await fetch(h.server.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ query, variables: vars }),
            });
            expect(response.status).toBeLessThan(500);
            const result = (await response.json()) as GraphQLResponse;
            const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
            expect(
              codes.filter((code) => !ALLOWED.has(code)),
              JSON.stringify(result.errors),
            ).toEqual([]);
            if (result.errors?.length) expect(await rowCounts()).toEqual(before);
          }),
          { numRuns: 16 },
        );
      } catch (error) {
        failures.push(`${c.name}: ${(error as Error).message.slice(0, 1_500)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
