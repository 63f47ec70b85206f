import { randomUUID } from 'node:crypto';
import { Database, trustedWorkspaceId, type WorkspaceId } from '@quorum/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Ingest marks contacts stale (INSERT ... ON CONFLICT) while rescores claim the markers they read
 * (DELETE ... USING unnest) and mark their accounts. Each statement locks many marker rows; if two
 * of them took the same rows in different orders, PostgreSQL would break the cycle by failing
 * one (40P01, deadlock detected). Here both run concurrently, hard, on overlapping shuffled sets,
 * with the markers table large enough that PostgreSQL may join by scanning it; every statement
 * takes its rows in key order, so none may fail, and no transaction is retried.
 */
const IDS = 3_000;
const ROUNDS = 60;
const PARALLEL = 8;

let db: TestDatabase;
let database: Database;
let ws: WorkspaceId;
const retries: unknown[] = [];
const contacts = Array.from({ length: IDS }, () => randomUUID());
const accounts = Array.from({ length: 50 }, () => randomUUID());

beforeAll(async () => {
  db = await createTestDatabase();
  ws = trustedWorkspaceId(randomUUID());
  await db.dataSource.query('INSERT INTO workspaces (id, name) VALUES ($1, $2)', [ws, 'locks']);
  database = new Database(db.appDataSource, { onRetry: (error) => retries.push(error) });
  // Most markers already exist, so ingest updates rows the rescores are deleting.
  await database.repos.pending.mark(ws, 'CONTACT', contacts);
  await db.dataSource.query('ANALYZE pending_rescores');
});

afterAll(async () => {
  await db?.drop();
});

/** `n` distinct ids of `from`, in random order. */
function sample(from: readonly string[], n: number): string[] {
  const copy = [...from];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

const ingest = (ids: string[]) =>
  database.transaction(ws, async (repos, commitWith) => {
    commitWith(repos.pending.markQuery(ws, 'CONTACT', ids));
    commitWith(repos.pending.markQuery(ws, 'ACCOUNT', sample(accounts, 5)));
  });

const rescore = (ids: string[]) =>
  database.derivedTransactionWith(
    ws,
    (repos) => [repos.pending.markersRead(ws, 'CONTACT', ids)] as const,
    async (repos, [markers], commitWith) => {
      commitWith(
        repos.pending.claimQuery(ws, 'CONTACT', markers),
        repos.pending.markQuery(ws, 'ACCOUNT', sample(accounts, 10)),
      );
    },
  );

const rollUp = (ids: string[]) =>
  database.derivedTransactionWith(
    ws,
    (repos) => [repos.pending.markersRead(ws, 'ACCOUNT', ids)] as const,
    async (repos, [markers], commitWith) => {
      commitWith(repos.pending.claimQuery(ws, 'ACCOUNT', markers));
    },
  );

describe('pending markers under concurrent ingest and rescores', () => {
  it('never deadlock: every statement takes its marker rows in key order', async () => {
    const failures: unknown[] = [];
    let transactions = 0;
    const lane = async (lane: number) => {
      for (let round = 0; round < ROUNDS; round++) {
        const size = 100 + Math.floor(Math.random() * 400);
        const work =
          lane % 3 === 0
            ? ingest(sample(contacts, size))
            : lane % 3 === 1
              ? rescore(sample(contacts, size))
              : rollUp(sample(accounts, 20));
        await work.then(
          () => (transactions += 1),
          (error: unknown) => failures.push(error),
        );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, i) => lane(i)));
    const codes = failures.map((e) => (e as { code?: string }).code ?? String(e));
    expect(codes).toEqual([]);
    expect(retries.map((e) => (e as { code?: string }).code)).toEqual([]);
    expect(transactions).toBe(ROUNDS * PARALLEL);
  }, 120_000);
});
