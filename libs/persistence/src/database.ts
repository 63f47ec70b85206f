import type { DataSource, EntityManager } from 'typeorm';
import {
  inlineQuery,
  runStatements,
  type PreparedQuery,
  type QueryResults,
} from './prepared-query';
import { isRetryableTransactionError } from './database-errors';
import { Repositories } from './repositories';
import { SystemQueries } from './system-queries';
import type { WorkspaceId } from './workspace-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class WorkspaceScopeError extends Error {
  constructor(detail: string) {
    super(`A query outside a workspace scope was refused: ${detail}`);
    this.name = 'WorkspaceScopeError';
  }
}

/**
 * The database as services see it. PostgreSQL's row-level security shows a transaction
 * only the rows of the workspace it set with SET LOCAL `quorum.workspace_id`, so every
 * access here names its workspace:
 * - `transaction(ws, work)` sets it once for the whole transaction;
 * - `repos.<repository>.<method>(ws, ...)` runs each call in its own short transaction,
 *   scoped to the workspace that the call's first argument names;
 * - `query(ws, sql, params)` does the same for hand-written SQL;
 * - `system` holds the few cross-workspace reads the worker needs (ids only).
 * SET LOCAL ends with the transaction, so a pooled connection never carries a workspace
 * over to the next caller.
 */
export type TransactionIsolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  isolation?: TransactionIsolation;
  /**
   * false: COMMIT returns before the WAL is flushed (synchronous_commit off). Only for
   * writes that can be derived again, such as scores: a crash may lose the last fraction of
   * a second of them, never an activity, and the pending markers deleted in the same
   * transaction come back with them, so the reconcile rescores what was lost.
   */
  durable?: boolean;
}

/** Repositories outside a transaction: hand-written SQL goes through `db.query(ws, ...)`. */
export type ScopedRepositories = Omit<Repositories, 'manager'>;

/** How many times a transaction runs when PostgreSQL keeps rolling it back to break a conflict. */
export const TRANSACTION_ATTEMPTS = 3;

export interface DatabaseOptions {
  /**
   * Told each time a transaction is run again after a deadlock (40P01) or a serialization
   * failure (40001), with the error and the attempt that failed: to log and count it.
   */
  onRetry?: (error: unknown, attempt: number) => void;
}

export class Database {
  readonly repos: ScopedRepositories;
  readonly system: SystemQueries;

  constructor(
    readonly dataSource: DataSource,
    private readonly options: DatabaseOptions = {},
  ) {
    this.repos = scopedPerCall(this);
    this.system = new SystemQueries(dataSource);
  }

  /**
   * A transaction with the workspace set, its BEGIN and the workspace sent in one round
   * trip. `isolation` REPEATABLE READ gives every read of the work one snapshot (default:
   * the server's, READ COMMITTED). Repositories write with hand-written SQL only, so no
   * TypeORM call inside opens a transaction of its own. Queries the work passes to
   * `commitWith` go in one round trip with the COMMIT, so the row locks they take are held
   * only while PostgreSQL runs them, however busy this process is (see `inlineQuery`).
   */
  transaction<T>(
    ws: WorkspaceId,
    work: (
      repos: Repositories,
      commitWith: (...queries: PreparedQuery<unknown>[]) => void,
    ) => Promise<T>,
    options?: TransactionIsolation | TransactionOptions,
  ): Promise<T> {
    return this.inWorkspace(
      ws,
      (manager, _opened, commitWith) =>
        work(new Repositories(manager), (...queries) => commitWith(...queries.map(inlineQuery))),
      options,
    );
  }

  /** A transaction whose writes can be derived again, such as scores: not `durable`. */
  derivedTransaction<T>(ws: WorkspaceId, work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.transaction(ws, work, { durable: false });
  }

  query<T = Record<string, unknown>[]>(ws: WorkspaceId, sql: string, params: unknown[] = []) {
    return this.inWorkspace(ws, (manager) => manager.query(sql, params) as Promise<T>);
  }

  /**
   * A derived transaction (see `derivedTransaction`) in as few round trips as its work
   * allows: the `opening` queries go with the BEGIN (typically the locks and every input of a
   * rescore), and the queries the work passes to `commitWith` go with the COMMIT. Each runs
   * in order with its own snapshot, so a read after a lock sees what the lock waited for.
   * Opening and closing queries are inlined (see `sqlLiteral`): ids, tokens, numbers, dates.
   */
  async derivedTransactionWith<T, R extends readonly PreparedQuery<unknown>[]>(
    ws: WorkspaceId,
    opening: (repos: Repositories) => R,
    work: (
      repos: Repositories,
      results: QueryResults<R>,
      commitWith: (...queries: PreparedQuery<unknown>[]) => void,
    ) => Promise<T>,
  ): Promise<T> {
    let prepared: R | undefined;
    return this.inWorkspace(
      ws,
      (manager, opened, commitWith) => {
        const results = prepared!.map((q, i) => q.map(opened[i]!)) as QueryResults<R>;
        return work(new Repositories(manager), results, (...queries) =>
          commitWith(...queries.map(inlineQuery)),
        );
      },
      { durable: false },
      (manager) => {
        prepared = opening(new Repositories(manager));
        return prepared.map(inlineQuery);
      },
    );
  }

  /**
   * One transaction: BEGIN and the workspace in one round trip, the work, COMMIT. `opening`
   * statements go in the first round trip too, and `work` gets their rows; statements the
   * work passes to `commitWith` go in the last, before the COMMIT.
   *
   * Writers take shared rows in one order (pending markers by key, contacts and accounts by
   * id), so they wait for each other rather than deadlock. As a second line, a transaction that
   * PostgreSQL rolled back to break a deadlock or a serialization conflict runs again, whole,
   * up to TRANSACTION_ATTEMPTS times: nothing of it was committed, and `work` only reads and
   * writes through the transaction, so running it again is running it once.
   */
  async inWorkspace<T>(
    ws: WorkspaceId,
    work: (
      manager: EntityManager,
      opened: Record<string, unknown>[][],
      commitWith: (...statements: string[]) => void,
    ) => Promise<T>,
    options?: TransactionIsolation | TransactionOptions,
    opening?: (manager: EntityManager) => readonly string[],
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runTransaction(ws, work, options, opening);
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        this.options.onRetry?.(error, attempt);
        // The other side of the conflict goes first.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  private async runTransaction<T>(
    ws: WorkspaceId,
    work: (
      manager: EntityManager,
      opened: Record<string, unknown>[][],
      commitWith: (...statements: string[]) => void,
    ) => Promise<T>,
    options?: TransactionIsolation | TransactionOptions,
    opening?: (manager: EntityManager) => readonly string[],
  ): Promise<T> {
    assertWorkspaceId(ws);
    const { isolation, durable = true } =
      typeof options === 'string' ? { isolation: options } : (options ?? {});
    // The id is a checked UUID, so it can be inlined: a simple query may hold several statements.
    const begin = [
      `BEGIN${isolation ? ` ISOLATION LEVEL ${isolation}` : ''}`,
      `SELECT set_config('quorum.workspace_id', '${ws}', true)` +
        (durable ? '' : `, set_config('synchronous_commit', 'off', true)`),
    ];
    const runner = this.dataSource.createQueryRunner();
    try {
      const statements = opening?.(runner.manager) ?? [];
      let opened: Record<string, unknown>[][] = [];
      if (statements.length === 0) await runner.query(begin.join('; '));
      else
        opened = (await runStatements(runner.manager, [...begin, ...statements])).slice(
          begin.length,
        );
      const closing: string[] = [];
      const result = await work(runner.manager, opened, (...more) => closing.push(...more));
      if (closing.length === 0) await runner.query('COMMIT');
      else await runStatements(runner.manager, [...closing, 'COMMIT']);
      return result;
    } catch (error) {
      // A connection that broke has already been released with its error (TypeORM listens
      // for it), so the pool discards it; a live one is rolled back before it goes back.
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function assertWorkspaceId(ws: unknown): asserts ws is WorkspaceId {
  if (typeof ws !== 'string' || !UUID.test(ws)) {
    throw new WorkspaceScopeError(`expected a workspace id, got ${JSON.stringify(ws)}`);
  }
}

/**
 * Repositories whose every method runs in its own transaction, scoped to the workspace in
 * its first argument (every repository method takes the workspace first).
 */
function scopedPerCall(db: Database): ScopedRepositories {
  const bound = new Repositories(db.dataSource.manager);
  return new Proxy(bound, {
    get(target, name) {
      if (name === 'manager') {
        throw new WorkspaceScopeError('use db.query(ws, sql) or db.transaction(ws, work)');
      }
      const repository = Reflect.get(target, name) as object | undefined;
      if (typeof repository !== 'object' || repository === null) return repository;
      return new Proxy(repository, {
        get(repo, method) {
          const fn = Reflect.get(repo, method);
          if (typeof fn !== 'function') return fn;
          // Only this repository is built on the transaction's manager, not all of them.
          const Repository = repository.constructor as new (
            manager: EntityManager,
          ) => Record<string | symbol, (...args: unknown[]) => Promise<unknown>>;
          return (ws: WorkspaceId, ...rest: unknown[]) =>
            db.inWorkspace(ws, (manager) => new Repository(manager)[method]!(ws, ...rest));
        },
      });
    },
  });
}
