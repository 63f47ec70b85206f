import type { EntityManager } from 'typeorm';

/**
 * A query as data: its SQL, its parameters and how its rows become a result. A repository
 * method runs one on its own; a rescore sends several in one round trip (the opening and
 * the closing of its transaction), which on a busy machine costs less than the queries do.
 */
export interface PreparedQuery<T> {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly map: (rows: Record<string, unknown>[]) => T;
}

export type QueryResults<R extends readonly PreparedQuery<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends PreparedQuery<infer T> ? T : never;
};

export function preparedQuery<T>(
  text: string,
  values: readonly unknown[],
  map: (rows: Record<string, unknown>[]) => T,
): PreparedQuery<T> {
  return { text, values, map };
}

export async function runQuery<T>(manager: EntityManager, query: PreparedQuery<T>): Promise<T> {
  return query.map(await manager.query(query.text, [...query.values]));
}

/**
 * A timestamptz column as float8 epoch milliseconds (µs as the fraction; `new Date` drops
 * it, as pg's own parser does). pg turns a float8 into a number far faster than it parses a
 * timestamp's text, which matters for reads of thousands of rows.
 */
export const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Enum values such as 'CONTACT': letters, digits and underscores only. */
const TOKEN = /^[A-Za-z][A-Za-z0-9_]*$/;

export class UninlinableValueError extends Error {
  constructor(value: unknown) {
    super(`a value of type ${typeof value} cannot be inlined into SQL: ${String(value)}`);
    this.name = 'UninlinableValueError';
  }
}

/**
 * One parameter as a SQL literal. Several statements can share a round trip only as a simple
 * query, which takes no parameters, so they are inlined; only values that cannot carry a
 * quote are accepted (ids, enum tokens, numbers, booleans, dates, and arrays of ids, tokens
 * and integers), and
 * anything else throws rather than being escaped.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date && !Number.isNaN(value.getTime()))
    return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'string' && (UUID.test(value) || TOKEN.test(value))) return `'${value}'`;
  if (Array.isArray(value)) {
    const safe = (v: unknown) =>
      (typeof v === 'string' && (UUID.test(v) || TOKEN.test(v))) || Number.isInteger(v);
    if (!value.every(safe)) throw new UninlinableValueError(value);
    return `'{${value.join(',')}}'`;
  }
  throw new UninlinableValueError(value);
}

/** The query's SQL with its parameters inlined ($1 … $n, never inside a string literal). */
export function inlineQuery(query: PreparedQuery<unknown>): string {
  return query.text.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= query.values.length) throw new Error(`$${n} has no value in: ${query.text}`);
    return sqlLiteral(query.values[index]);
  });
}

interface SimpleQueryClient {
  query(text: string): Promise<{ rows: Record<string, unknown>[] }[] | { rows: unknown[] }>;
}

/**
 * Runs statements as one simple query on the manager's connection (a transaction's), and
 * returns each statement's rows. In READ COMMITTED each statement takes its own snapshot, so
 * a read after a locking read sees what was committed while it waited for the lock.
 */
export async function runStatements(
  manager: EntityManager,
  statements: readonly string[],
): Promise<Record<string, unknown>[][]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('runStatements needs a transaction’s manager');
  const text = statements.join(';\n');
  // Through pg directly: TypeORM keeps only the last result of a multi-statement query.
  // Each statement is logged as TypeORM logs a query (the query counter counts statements).
  for (const statement of statements) runner.connection.logger.logQuery(statement, [], runner);
  const client = (await runner.connect()) as SimpleQueryClient;
  const result = await client.query(text);
  const results = Array.isArray(result) ? result : [result];
  if (results.length !== statements.length)
    throw new Error(`expected ${statements.length} results, got ${results.length}`);
  return results.map((r) => r.rows as Record<string, unknown>[]);
}
