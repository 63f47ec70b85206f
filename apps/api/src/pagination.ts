import type { Page, PageRequest } from '@quorum/persistence';
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

/** Validates `first` and decodes `after` for the given ordering. */
export function pageRequest(
  first: number,
  after: string | null | undefined,
  order: string,
): PageRequest {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new InputError([
      { path: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE} (got ${first})` },
    ]);
  }
  if (!after) return { first, after: null };
  try {
    const body = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as CursorBody;
    if (body.o !== order || !Array.isArray(body.k)) throw new Error('order mismatch');
    return { first, after: body.k };
  } catch {
    throw new InputError([{ path: 'after', message: 'is not a cursor of this list and ordering' }]);
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
