import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok } from '../support/graphql-client';

describe('API authentication and scopes', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(() => h?.close());

  /** The raw HTTP answer: status, challenge and the GraphQL error code. */
  async function post(authorization: string | null, query: string) {
    const response = await fetch(h.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization !== null && { authorization }),
      },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate'),
      code: body.errors?.[0]?.extensions?.code,
    };
  }

  it('answers no key and a wrong key alike: HTTP 401, UNAUTHENTICATED, a Bearer challenge', async () => {
    const { id } = await h.newWorkspace();
    const forged = `qk_${id.replace(/-/g, '')}_${'A'.repeat(43)}`;
    const unauthenticated = {
      status: 401,
      challenge: 'Bearer realm="quorum"',
      code: 'UNAUTHENTICATED',
    };
    for (const authorization of [
      null,
      '',
      'Bearer',
      'Basic Zm9vOmJhcg==',
      'Bearer nope',
      `Bearer ${forged}`,
    ]) {
      for (const query of [
        `{ accounts { totalCount } }`,
        `mutation { createWorkspace(name: "x") { secret } }`,
      ])
        expect(await post(authorization, query), `${authorization} ${query}`).toEqual(
          unauthenticated,
        );
    }
  });

  it('creates workspaces only with the server admin token', async () => {
    const ws = await h.newWorkspace('Acme');
    const withKey = await ws.gql(`mutation { createWorkspace(name: "x") { secret } }`);
    expect(withKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const data = await ok(ws.gql(`{ workspace { id name } }`));
    expect(data.workspace).toEqual({ id: ws.id, name: 'Acme' });
  });

  it('stores keys hashed and shows the secret once', async () => {
    const ws = await h.newWorkspace();
    const rows = await h.db.dataSource.query(
      'SELECT key_hash FROM api_keys WHERE workspace_id = $1',
      [ws.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(ws.key.split('_')[2]);
  });

  it('enforces scopes: a READ key reads but cannot write', async () => {
    const ws = await h.newWorkspace();
    const created = await ok(
      ws.gql(
        `mutation { createApiKey(name: "dashboard", scopes: [READ]) { secret apiKey { id scopes } } }`,
      ),
    );
    const reader = h.client(created.createApiKey.secret);
    await ok(reader(`{ accounts { totalCount } }`));
    const write = await reader(
      `mutation { upsertAccounts(accounts: [{ domain: "a.com" }]) { created } }`,
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await reader(`{ apiKeys { id } }`);
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a revoked key stops working at once', async () => {
    const ws = await h.newWorkspace();
    const created = await ok(
      ws.gql(
        `mutation { createApiKey(name: "tmp", scopes: [READ, WRITE]) { secret apiKey { id } } }`,
      ),
    );
    const temp = h.client(created.createApiKey.secret);
    await ok(temp(`{ accounts { totalCount } }`));
    const revoked = await ok(
      ws.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, {
        id: created.createApiKey.apiKey.id,
      }),
    );
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    const after = await temp(`{ accounts { totalCount } }`);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
