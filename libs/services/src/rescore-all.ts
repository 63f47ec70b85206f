/**
 * Rescores every id a keyset query yields, a chunk at a time (memory stays bounded), one
 * transaction per id; counts what was scored and what changed.
 */
export async function rescoreAll(
  idsAfter: (after: string | null, limit: number) => Promise<string[]>,
  rescore: (id: string) => Promise<{ changed: boolean } | null>,
  chunkSize = 500,
): Promise<{ scored: number; changed: number }> {
  let after: string | null = null;
  let scored = 0;
  let changed = 0;
  for (;;) {
    const ids = await idsAfter(after, chunkSize);
    if (ids.length === 0) return { scored, changed };
    for (const id of ids) {
      const result = await rescore(id);
      if (result) {
        scored += 1;
        if (result.changed) changed += 1;
      }
    }
    after = ids[ids.length - 1]!;
  }
}
