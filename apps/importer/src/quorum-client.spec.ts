import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportAborted, issuesByIndex, QuorumClient } from './quorum-client';

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

/** A stand-in GraphQL endpoint that answers from a script, one answer per request. */
async function scriptedServer(
  answers: Answer[],
): Promise<{ url: string; requests: any[]; server: Server }> {
  const requests: any[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      const answer = answers.shift() ?? {
        status: 500,
        body: { errors: [{ message: 'script ran out' }] },
      };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    server,
  };
}

describe('QuorumClient', () => {
  let server: Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  );

  const accepted = { data: { upsertAccounts: { created: 1, updated: 0 } } };

  it('waits out retry-after on a 429 and a spent budget before the next call', async () => {
    const s = await scriptedServer([
      {
        status: 429,
        headers: {
          'retry-after': '2',
          'x-ratelimit-budget': 'writes',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '2',
        },
        body: { errors: [{ message: 'Rate limit', extensions: { code: 'RATE_LIMITED' } }] },
      },
      {
        status: 200,
        headers: {
          'x-ratelimit-budget': 'writes',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '7',
        },
        body: accepted,
      },
      { status: 200, body: accepted },
    ]);
    server = s.server;
    const slept: number[] = [];
    const client = new QuorumClient({
      url: s.url,
      key: 'qk_test',
      sleep: async (ms) => void slept.push(ms),
    });

    const first = await client.bulk('accounts', [{ domain: 'a.com' }]);
    expect(first).toEqual({ ok: true, counts: expect.objectContaining({ created: 1 }) });
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1500);
    await client.bulk('accounts', [{ domain: 'b.com' }]);
    expect(slept).toHaveLength(2);
    expect(slept[1]).toBeGreaterThan(6000);
    expect(s.requests).toHaveLength(3);
    expect(s.requests[0].auth).toBe('Bearer qk_test');
    expect(s.requests[0].body.variables).toEqual({ items: [{ domain: 'a.com' }] });
  });

  it('stops with a clear reason when the API answers 429 past the total wait allowed', async () => {
    const rateLimited: Answer = {
      status: 429,
      headers: { 'retry-after': '60' },
      body: { errors: [{ message: 'Rate limit', extensions: { code: 'RATE_LIMITED' } }] },
    };
    // Far more 429s than the cap allows: without one, the client would wait forever.
    const s = await scriptedServer(Array.from({ length: 50 }, () => ({ ...rateLimited })));
    server = s.server;
    const slept: number[] = [];
    const client = new QuorumClient({
      url: s.url,
      key: 'k',
      maxRateLimitWaitMs: 10 * 60_000,
      // The waits are not slept for real: the client adds up what it was asked to wait.
      sleep: async (ms) => void slept.push(ms),
    });
    const outcome = client.bulk('accounts', [{ domain: 'a.com' }]);
    await expect(outcome).rejects.toThrow(ImportAborted);
    await expect(outcome).rejects.toThrow(/kept answering 429 .*waited 10 min in all/);
    expect(s.requests).toHaveLength(11);
    expect(slept.length).toBeLessThanOrEqual(10);
  });

  it('retries a 5xx, then gives up with the reason', async () => {
    const s = await scriptedServer([
      { status: 503, body: { errors: [{ message: 'starting' }] } },
      { status: 503, body: { errors: [{ message: 'still starting' }] } },
    ]);
    server = s.server;
    const client = new QuorumClient({
      url: s.url,
      key: 'k',
      maxAttempts: 2,
      sleep: async () => undefined,
    });
    await expect(client.bulk('accounts', [{ domain: 'a.com' }])).rejects.toThrow(
      /answered 503: still starting/,
    );
  });

  it('returns the issues of a refused call by item, and aborts on a refused key', async () => {
    const s = await scriptedServer([
      {
        status: 200,
        body: {
          errors: [
            {
              message: 'accounts[1].domain: is not a valid domain',
              extensions: {
                code: 'BAD_USER_INPUT',
                issues: [
                  { path: 'accounts[1].domain', message: 'is not a valid domain' },
                  { path: 'accounts[3].name', message: 'must be at most 300 characters' },
                ],
              },
            },
          ],
        },
      },
      {
        status: 200,
        body: { errors: [{ message: 'no key', extensions: { code: 'UNAUTHENTICATED' } }] },
      },
    ]);
    server = s.server;
    const client = new QuorumClient({ url: s.url, key: 'k' });
    const refused = await client.bulk('accounts', [{}, {}, {}, {}]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect([...refused.issues]).toEqual([
        [1, [{ field: 'domain', message: 'is not a valid domain' }]],
        [3, [{ field: 'name', message: 'must be at most 300 characters' }]],
      ]);
    }
    await expect(client.bulk('accounts', [{}])).rejects.toThrow(ImportAborted);
  });

  it('places GraphQL coercion errors by the path in their message', () => {
    const { issues, unplaced } = issuesByIndex([
      {
        message:
          'Variable "$items" got invalid value 3000000000 at "items[2].employeeCount"; Int cannot represent non 32-bit signed integer value: 3000000000',
        extensions: { code: 'BAD_USER_INPUT' },
      },
      { message: 'something else', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(issues.get(2)).toEqual([
      { field: 'employeeCount', message: expect.stringContaining('Int cannot') },
    ]);
    expect(unplaced).toEqual(['something else']);
  });
});
