/**
 * Splits items into `bins` groups of about equal size by value. Tied values always share a
 * group (the group of the tie's middle position), so the result never depends on input order;
 * with many ties some groups are larger and some are empty.
 *
 * Returns each item's group, 0-based: with `descending`, group 0 holds the highest values.
 */
export function equalCountBins(
  values: readonly number[],
  bins: number,
  descending: boolean,
): Int32Array {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  const n = values.length;
  const sign = descending ? -1 : 1;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => sign * ((values[a] as number) - (values[b] as number)) || a - b);
  const out = new Int32Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start] as number];
    while (end < n && values[order[end] as number] === v) end++;
    const middle = (start + end - 1) / 2;
    const bin = Math.min(bins - 1, Math.floor(((middle + 0.5) * bins) / n));
    for (let i = start; i < end; i++) out[order[i] as number] = bin;
    start = end;
  }
  return out;
}
