/**
 * Keyset (cursor) pagination: every list orders by a unique tuple of columns in one
 * direction, and a cursor holds that tuple for the last row seen.
 */
export interface KeysetOrder {
  /** SQL expressions, e.g. ['a.created_at', 'a.id']; together they must be unique. */
  columns: string[];
  direction: 'ASC' | 'DESC';
}

export interface PageRequest {
  first: number;
  /** The ordering tuple of the last row of the previous page. */
  after: unknown[] | null;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
}

/** Builds the WHERE fragment and ORDER BY for a keyset page; params start at `$offset`. */
export function keysetSql(order: KeysetOrder, page: PageRequest, offset: number) {
  const params: unknown[] = [];
  let where = '';
  if (page.after) {
    if (page.after.length !== order.columns.length) throw new Error('cursor does not fit order');
    const placeholders = page.after.map((value, i) => {
      params.push(value);
      return `$${offset + i}`;
    });
    const op = order.direction === 'ASC' ? '>' : '<';
    where = `(${order.columns.join(', ')}) ${op} (${placeholders.join(', ')})`;
  }
  const orderBy = order.columns.map((c) => `${c} ${order.direction}`).join(', ');
  return { where, orderBy, params, limit: page.first + 1 };
}

export function toPage<T>(rows: T[], first: number): Page<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
