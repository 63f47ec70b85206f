import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

async function post(url: string, body: string, key?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A query nested `levels` deep: account → contacts → account → contacts → … */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i += 1)
    inner =
      i % 2 === 0 ? `account { ${inner} }` : `contacts(first: 1) { edges { node { ${inner} } } }`;
  return `{ contacts(first: 1) { edges { node { ${inner} } } } }`;
}

describe('operation limits, production mode and request size', () => {
  let h: ApiHarness;
  let key: string;
  beforeAll(async () => {
    h = await startApiHarness({ env: { NODE_ENV: 'production', QUORUM_MAX_COST: '150' } });
    ({ key } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  it('refuses a query deeper than the depth limit', async () => {
    const result = await post(h.server.url, JSON.stringify({ query: deepQuery(6) }), key);
    const deep = result.json.errors.find((e: any) => e.extensions.code === 'QUERY_TOO_DEEP');
    expect(deep.message).toMatch(/depth limit of 12/);
    expect(result.json.data ?? null).toBeNull();
  });

  it('refuses 16 aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: workspace { id }`).join(' ');
    const result = await post(h.server.url, JSON.stringify({ query: `{ ${aliases} }` }), key);
    expect(result.json.errors[0].extensions.code).toBe('TOO_MANY_ALIASES');
  });

  it('refuses a query whose cost is over the limit', async () => {
    const query = `{ accounts { edges { node { id domain name industry contacts { edges { node { id email title score { total tier reasons { ruleId label points } } } } } } } } }`;
    const result = await post(h.server.url, JSON.stringify({ query }), key);
    expect(result.json.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses a batch of operations', async () => {
    const result = await post(
      h.server.url,
      JSON.stringify([{ query: '{ workspace { id } }' }, { query: '{ workspace { id } }' }]),
      key,
    );
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/batch/i);
  });

  it('turns introspection and field suggestions off in production', async () => {
    const introspection = await post(
      h.server.url,
      JSON.stringify({ query: '{ __schema { types { name } } }' }),
      key,
    );
    expect(introspection.json.errors[0].message).toMatch(/introspection/i);
    const probe = await post(
      h.server.url,
      JSON.stringify({ query: '{ acount(domain: "x.com") { id } }' }),
      key,
    );
    expect(probe.json.errors[0].message).not.toMatch(/did you mean/i);
    expect(JSON.stringify(probe.json)).not.toContain('stacktrace');
  });

  it('refuses an oversized body', async () => {
    const big = JSON.stringify({
      query: '{ workspace { id } }',
      variables: { pad: 'x'.repeat(2_100_000) },
    });
    const result = await post(h.server.url, big, key);
    expect(result.status).toBe(413);
  });

  it('bounds every list argument', async () => {
    const gql: Gql = h.client(key);
    const domains = Array.from({ length: 1001 }, (_, i) => `d${i}.com`);
    const result = await gql(
      `query($d: [String!]) { accounts(filter: { domains: $d }) { totalCount } }`,
      { d: domains },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.domains',
    });
  });
});

describe('rate limits per API key', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({
      env: { RATE_LIMIT_READS_PER_MINUTE: '3', RATE_LIMIT_WRITES_PER_MINUTE: '2' },
    });
  });
  afterAll(() => h?.close());

  it('reports the budget in headers and refuses with RATE_LIMITED, reads and writes apart', async () => {
    const { key } = await h.newWorkspace();
    const read = JSON.stringify({ query: '{ workspace { id } }' });
    const first = await post(h.server.url, read, key);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    await post(h.server.url, read, key);
    await post(h.server.url, read, key);
    const over = await post(h.server.url, read, key);
    expect(over.status).toBe(429);
    expect(over.json.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      budget: 'reads',
      limit: 3,
    });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);

    const write = JSON.stringify({
      query: 'mutation { upsertAccounts(accounts: [{ domain: "rl.com" }]) { created } }',
    });
    const allowed = await post(h.server.url, write, key);
    expect(allowed.json.data.upsertAccounts.created).toBe(1);
    expect(allowed.headers.get('x-ratelimit-budget')).toBe('writes');

    // Another key has its own budget.
    const { key: other } = await h.newWorkspace();
    expect((await post(h.server.url, read, other)).status).toBe(200);
  });
});

describe('administrative actions are audited', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(() => h?.close());

  it('records keys created and revoked, models published and rolled back, contacts erased', async () => {
    const { gql } = await h.newWorkspace();
    const created = await ok(
      gql(`mutation { createApiKey(name: "etl", scopes: [WRITE]) { apiKey { id } } }`),
    );
    await ok(
      gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, {
        id: created.createApiKey.apiKey.id,
      }),
    );
    const active = await ok(gql(`{ scoringModel { id } }`));
    const draft = await ok(gql(`mutation { createScoringModelDraft(description: "copy") { id } }`));
    await ok(
      gql(`mutation($v: ID!) { publishScoringModel(versionId: $v) { id } }`, {
        v: draft.createScoringModelDraft.id,
      }),
    );
    await ok(
      gql(`mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id } }`, {
        v: active.scoringModel.id,
      }),
    );
    const contact = await ok(
      gql(
        `mutation { upsertContacts(contacts: [{ email: "gone@erase.io" }]) { contacts { id } } }`,
      ),
    );
    await ok(
      gql(`mutation($id: ID!) { deleteContact(id: $id) { deletedContactId } }`, {
        id: contact.upsertContacts.contacts[0].id,
      }),
    );

    const log = await ok(
      gql(
        `{ adminAuditLog { totalCount edges { node { action targetType targetId actorKeyId details } } } }`,
      ),
    );
    expect(log.adminAuditLog.edges.map((e: any) => e.node.action)).toEqual([
      'CONTACT_ERASED',
      'MODEL_ROLLED_BACK',
      'MODEL_PUBLISHED',
      'API_KEY_REVOKED',
      'API_KEY_CREATED',
      'API_KEY_CREATED',
    ]);
    const erased = log.adminAuditLog.edges[0].node;
    expect(erased).toMatchObject({
      targetType: 'CONTACT',
      targetId: contact.upsertContacts.contacts[0].id,
      details: {},
    });
    expect(JSON.stringify(log)).not.toContain('gone@erase.io');
    expect(erased.actorKeyId).not.toBeNull();
  });
});

describe('every root field makes an authorization decision', () => {
  it('has @Authorized on each @Query, @Mutation and @Subscription', () => {
    const dir = path.join(REPO_ROOT, 'apps/api/src/schema/resolvers');
    const missing: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.resolver.ts'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      // Each root decorator must be preceded by @Authorized in the same decorator group.
      const decorators = [
        ...source.matchAll(/((?:\s*@\w+\([^]*?\)\n)+?)\s*@(Query|Mutation|Subscription)\(/g),
      ];
      for (const match of decorators) {
        const group = match[1]!.split('\n').slice(-3).join('\n');
        if (!/@Authorized\(/.test(group))
          missing.push(`${file}: @${match[2]} after ${group.trim().slice(0, 60)}`);
      }
      const roots = (source.match(/@(Query|Mutation|Subscription)\(/g) ?? []).length;
      const authorized = (source.match(/@Authorized\(/g) ?? []).length;
      if (authorized < roots)
        missing.push(`${file}: ${roots} root fields, ${authorized} @Authorized`);
    }
    expect(missing).toEqual([]);
  });
});
