import { afterAll, describe, it } from 'vitest';
import {
  ActivityLedger,
  createExactWorkspace,
  sendBatch,
  waitUntilExact,
} from '../support/faults/exact-scoring';
import { startFaultStack, type FaultStack } from '../support/faults/fault-stack';

/**
 * Every component up, a steady stream of 2,000 activities/s (10 batches of 200 a second) for
 * 10 s through the built API, while other clients update accounts and contacts (which mark
 * every contact of an account stale) and the worker rescores all of it: no write may fail.
 * PostgreSQL's own deadlock counter for the database must not move (writers take shared rows in
 * one order), and the API's and worker's logs must show no transaction run again after a
 * conflict (the retry is only the second line). Then every score is exact.
 */
const RATE_PER_S = 2_000;
const BATCH = 200;
const STREAM_MS = 10_000;
const CONTACTS = 400;
const ACCOUNTS = 40;
const UPDATES_EVERY_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let stack: FaultStack | undefined;

afterAll(async () => {
  await stack?.close();
});

describe('a 2,000 activities/s stream while every component is up', () => {
  it('no write fails, PostgreSQL counts no deadlock, no transaction is retried, and every score settles exact', async ({
    expect,
    annotate,
  }) => {
    stack = await startFaultStack('stream', { env: { DB_POOL_SIZE: '10' } });
    const s = stack;
    const worker = await s.startWorker({ concurrency: 2 });
    const ws = await createExactWorkspace(s, 'Stream of 2,000 activities/s');
    const ledger = new ActivityLedger(CONTACTS, ACCOUNTS);
    const all = Array.from({ length: CONTACTS }, (_, i) => i);
    // Every contact exists before the stream, so concurrent batches never race to create one.
    await sendBatch(ws.gql, ledger, ledger.batch(all, 1));
    await waitUntilExact(s, ws.id, ledger, 30_000);
    const deadlocks = async () =>
      Number(
        (
          await s.db.dataSource.query(
            'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
          )
        )[0].deadlocks,
      );
    const deadlocksBefore = await deadlocks();

    const failures: string[] = [];
    const note = (what: string) => (error: unknown) =>
      failures.push(`${what}: ${(error as Error).message.slice(0, 300)}`);
    const started = Date.now();
    const batches = (RATE_PER_S / BATCH) * (STREAM_MS / 1000);
    const pick = (n: number) => {
      const from = Math.floor(Math.random() * CONTACTS);
      return Array.from({ length: n }, (_, i) => (from + i * 7) % CONTACTS);
    };
    // Batch i leaves at started + i × 100 ms, whatever the answers to earlier ones: a slow API
    // gets more calls at once, not fewer.
    const stream = Array.from({ length: batches }, async (_, i) => {
      await sleep(started + (i * 1000 * BATCH) / RATE_PER_S - Date.now());
      await sendBatch(ws.gql, ledger, ledger.batch(pick(BATCH), 1, 3, 1)).catch(note(`batch ${i}`));
    });
    const updates = (async () => {
      for (let n = 0; Date.now() - started < STREAM_MS; n++) {
        const domains = [0, 1, 2].map((k) => ledger.domains[(n * 3 + k) % ACCOUNTS]!);
        const emails = pick(20).map((i) => ledger.emails[i]!);
        const write = async (query: string, variables: Record<string, unknown>, what: string) => {
          const r = await ws.gql(query, variables);
          if (r.errors?.length) throw new Error(`${what}: ${JSON.stringify(r.errors)}`);
        };
        await Promise.all([
          write(
            `mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { updated } }`,
            { a: domains.map((domain) => ({ domain, name: `Account ${n}` })) },
            'upsertAccounts',
          ).catch(note(`accounts update ${n}`)),
          write(
            `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { updated } }`,
            { c: emails.map((email) => ({ email, title: `Title ${n}` })) },
            'upsertContacts',
          ).catch(note(`contacts update ${n}`)),
        ]);
        await sleep(UPDATES_EVERY_MS);
      }
    })();
    await Promise.all([...stream, updates]);
    const elapsed = Date.now() - started;
    const sent = batches * BATCH;

    await waitUntilExact(s, ws.id, ledger, 60_000);
    const settled = Date.now() - started;
    const newDeadlocks = (await deadlocks()) - deadlocksBefore;
    const retried = [s.api.output(), worker.output()].join('\n').match(/running it again/g) ?? [];
    const line = `stream: ${sent} activities offered at ${RATE_PER_S}/s, all answered within ${elapsed} ms (${Math.round((sent * 1000) / elapsed)}/s); ${failures.length} failed writes, ${newDeadlocks} deadlocks, ${retried.length} retried transactions; every score exact ${settled - elapsed} ms after the last batch was answered`;
    console.log(line);
    await annotate(line);
    expect(failures).toEqual([]);
    expect(newDeadlocks).toBe(0);
    expect(retried).toEqual([]);
  }, 120_000);
});
