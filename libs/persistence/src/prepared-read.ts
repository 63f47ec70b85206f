import type { EntityManager } from 'typeorm';

/**
 * A read as data: its SQL, its parameters and how its rows become a result. A repository
 * method runs one on its own; a rescore sends several in one round trip (`readTogether`,
 * or the opening of a transaction), which on a busy machine costs less than the reads do.
 */
export interface PreparedRead<T> {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly map: (rows: Record<string, unknown>[]) => T;
}

export type ReadResults<R extends readonly PreparedRead<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends PreparedRead<infer T> ? T : never;
};

export function preparedRead<T>(
  text: string,
  values: readonly unknown[],
  map: (rows: Record<string, unknown>[]) => T,
): PreparedRead<T> {
  return { text, values, map };
}

export async function runRead<T>(manager: EntityManager, read: PreparedRead<T>): Promise<T> {
  return read.map(await manager.query(read.text, [...read.values]));
}

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
 * quote are accepted (ids, enum tokens, numbers, booleans, dates and arrays of those), and
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
    if (!value.every((v) => typeof v === 'string' && (UUID.test(v) || TOKEN.test(v))))
      throw new UninlinableValueError(value);
    return `'{${value.join(',')}}'`;
  }
  throw new UninlinableValueError(value);
}

/** The read's SQL with its parameters inlined ($1 … $n, never inside a string literal). */
export function inlineRead(read: PreparedRead<unknown>): string {
  return read.text.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= read.values.length) throw new Error(`$${n} has no value in: ${read.text}`);
    return sqlLiteral(read.values[index]);
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

/** Several reads in one round trip (see `runStatements`). */
export async function readTogether<R extends readonly PreparedRead<unknown>[]>(
  manager: EntityManager,
  reads: R,
): Promise<ReadResults<R>> {
  const rows = await runStatements(manager, reads.map(inlineRead));
  return reads.map((read, i) => read.map(rows[i]!)) as ReadResults<R>;
}
