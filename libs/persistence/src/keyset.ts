/**
 * Keyset (cursor) pagination: every list orders by a unique tuple of columns in one
 * direction, and a cursor holds that tuple for the last row seen.
 *
 * The tuple is read from PostgreSQL in a form that compares exactly as the column does:
 * timestamps to the microsecond (a JavaScript Date keeps milliseconds, so rows written in
 * one bulk call, which share a creation time, would be skipped on the next page), 64-bit
 * ids as decimal strings, doubles as JSON numbers (PostgreSQL prints them round-trip).
 */
export type KeyType = 'text' | 'uuid' | 'timestamptz' | 'float8' | 'int8';

export interface KeysetKey {
  /** A SQL expression, e.g. 'a.created_at'. */
  sql: string;
  type: KeyType;
}

export interface KeysetOrder {
  /** Together the keys must be unique. */
  keys: KeysetKey[];
  direction: 'ASC' | 'DESC';
}

export interface PageRequest {
  first: number;
  /** The ordering tuple of the last row of the previous page (checked by `keyFits`). */
  after: unknown[] | null;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
}

/** Lists ordered by their bigint id, newest first (histories and audit logs). */
export const NEWEST_FIRST: KeysetOrder = {
  keys: [{ sql: 'id', type: 'int8' }],
  direction: 'DESC',
};

const TIMESTAMP_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const MAX_TEXT_KEY = 1_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isTimestampKey(value: string): boolean {
  if (value === 'infinity' || value === '-infinity') return true;
  const m = TIMESTAMP_KEY.exec(value);
  if (!m || m[1] === '0000') return false;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
  );
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    date.getUTCHours() === Number(h) &&
    date.getUTCMinutes() === Number(mi) &&
    date.getUTCSeconds() === Number(s)
  );
}

function fits(type: KeyType, value: unknown): boolean {
  switch (type) {
    case 'float8':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int8': {
      if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) return false;
      const n = BigInt(value);
      return n >= INT8_MIN && n <= INT8_MAX;
    }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'timestamptz':
      return typeof value === 'string' && isTimestampKey(value);
    case 'text':
      return (
        typeof value === 'string' &&
        value.length <= MAX_TEXT_KEY &&
        !value.includes('\u0000') &&
        !LONE_SURROGATE.test(value)
      );
  }
}

/**
 * Whether a decoded cursor tuple can be a key of this order: the right length, and each
 * value of its column's type. A cursor that fits is safe to send to PostgreSQL.
 */
export function keyFits(order: KeysetOrder, key: unknown): key is unknown[] {
  return (
    Array.isArray(key) &&
    key.length === order.keys.length &&
    order.keys.every((k, i) => fits(k.type, key[i]))
  );
}

/** The select-list fragment `<key 0> AS k0, …` that `cursorKeyOf` reads back. */
export function keySelectSql(order: KeysetOrder): string {
  return order.keys
    .map((k, i) => {
      const value =
        k.type === 'timestamptz'
          ? `CASE WHEN isfinite(${k.sql}) THEN to_char(${k.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE (${k.sql})::text END`
          : k.type === 'int8' || k.type === 'uuid'
            ? `(${k.sql})::text`
            : k.sql;
      return `${value} AS k${i}`;
    })
    .join(', ');
}

/** The cursor tuple of a row selected with `keySelectSql`. */
export function cursorKeyOf(order: KeysetOrder, row: Record<string, unknown>): unknown[] {
  return order.keys.map((k, i) => {
    const value = row[`k${i}`];
    return k.type === 'float8' ? Number(value) : value;
  });
}

/** Builds the WHERE fragment and ORDER BY for a keyset page; params start at `$offset`. */
export function keysetSql(order: KeysetOrder, page: PageRequest, offset: number) {
  const params: unknown[] = [];
  let where = '';
  if (page.after) {
    if (!keyFits(order, page.after)) throw new Error('cursor does not fit order');
    const placeholders = page.after.map((value, i) => {
      params.push(value);
      return `$${offset + i}::${order.keys[i]!.type}`;
    });
    const op = order.direction === 'ASC' ? '>' : '<';
    where = `(${order.keys.map((k) => k.sql).join(', ')}) ${op} (${placeholders.join(', ')})`;
  }
  const orderBy = order.keys.map((k) => `${k.sql} ${order.direction}`).join(', ');
  return { where, orderBy, params, limit: page.first + 1 };
}

export function toPage<T>(rows: T[], first: number): Page<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
