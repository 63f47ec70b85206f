import { keyFits, type KeysetOrder, type Page, type PageRequest } from '@quorum/persistence';
import { InputError } from '@quorum/services';

export const MAX_PAGE_SIZE = 500;

interface CursorBody {
  o: string;
  k: unknown[];
}

export function encodeCursor(order: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify({ o: order, k: key } satisfies CursorBody)).toString(
    'base64url',
  );
}

/**
 * Validates `first` and decodes `after` for the given ordering: a cursor of another list or
 * ordering, or one whose values are not of the ordering's column types (forged, mistyped),
 * is refused here and never reaches SQL.
 */
export function pageRequest(
  first: number,
  after: string | null | undefined,
  order: string,
  keyset: KeysetOrder,
): PageRequest {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new InputError([
      { path: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE} (got ${first})` },
    ]);
  }
  if (!after) return { first, after: null };
  const body = decodeCursor(after);
  if (!body || body.o !== order || !keyFits(keyset, body.k)) {
    throw new InputError([{ path: 'after', message: 'is not a cursor of this list and ordering' }]);
  }
  return { first, after: body.k };
}

function decodeCursor(cursor: string): CursorBody | null {
  if (cursor.length > 2_000 || !/^[A-Za-z0-9_-]*$/.test(cursor)) return null;
  try {
    const body: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return body && typeof body === 'object' ? (body as CursorBody) : null;
  } catch {
    return null;
  }
}

export function toConnection<T, C extends object>(
  Class: new () => C,
  page: Page<T>,
  order: string,
  cursorOf: (row: T) => unknown[],
  countTotal: () => Promise<number>,
): C {
  const edges = page.rows.map((node) => ({ node, cursor: encodeCursor(order, cursorOf(node)) }));
  return Object.assign(new Class(), {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    countTotal,
  });
}
