/**
 * Column-major inputs for trees from feature rows: numeric columns as they are, categorical
 * columns as codes ordered by their conversion rate on the training rows (smoothed towards the
 * base rate), so a tree can split "better levels" from "worse" with one threshold. Missing
 * values and levels unseen in training are NaN.
 */
import { type FeatureRow } from '../feature-spec';

export interface OrderedCodes {
  names: string[];
  /** Column-major values of the given rows. */
  columns(rows: readonly FeatureRow[]): Float64Array[];
}

export function fitOrderedCodes(
  columns: readonly { name: string; kind: 'numeric' | 'categorical' }[],
  trainRows: readonly FeatureRow[],
  trainLabels: readonly number[],
  smoothing = 20,
): OrderedCodes {
  let positives = 0;
  for (const y of trainLabels) positives += y;
  const baseRate = positives / trainLabels.length;
  const codes = columns.map((c) => {
    if (c.kind === 'numeric') return null;
    const stats = new Map<string, { n: number; pos: number }>();
    trainRows.forEach((row, i) => {
      const v = row[c.name];
      if (v === null || v === undefined) return;
      const key = String(v);
      const s = stats.get(key) ?? { n: 0, pos: 0 };
      s.n++;
      s.pos += trainLabels[i] as number;
      stats.set(key, s);
    });
    const rate = (s: { n: number; pos: number }) =>
      (s.pos + smoothing * baseRate) / (s.n + smoothing);
    const ordered = [...stats.entries()].sort(
      ([a, sa], [b, sb]) => rate(sa) - rate(sb) || (a < b ? -1 : a > b ? 1 : 0),
    );
    return new Map(ordered.map(([level], code) => [level, code]));
  });
  return {
    names: columns.map((c) => c.name),
    columns: (rows) =>
      columns.map((c, j) => {
        const out = new Float64Array(rows.length);
        const map = codes[j];
        rows.forEach((row, i) => {
          const v = row[c.name];
          if (v === null || v === undefined) out[i] = Number.NaN;
          else if (map) out[i] = map.get(String(v)) ?? Number.NaN;
          else out[i] = typeof v === 'number' ? v : Number(v);
        });
        return out;
      }),
  };
}
