/**
 * Per-feature bins for histogram-based tree training. A feature with at most `maxBins` distinct
 * values gets one bin per value; otherwise values are grouped greedily into `maxBins` bins of
 * about equal row counts, a value that alone holds more than a bin's share getting its own.
 * Edges lie midway between neighbouring distinct values: x ≤ edges[b] means bin ≤ b. Missing
 * values (NaN) have their own bin after the value bins.
 */
export interface FeatureBins {
  /** Upper edges of bins 0 … edges.length − 1; the last value bin is unbounded above. */
  edges: Float64Array;
  /** Smallest and largest present training value (NaN when every value is missing). */
  min: number;
  max: number;
}

/** Bin edges of one feature from the given rows of its column. */
export function featureBins(
  column: Float64Array,
  rows: Uint32Array | null,
  maxBins: number,
): FeatureBins {
  const n = rows ? rows.length : column.length;
  const values = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = column[rows ? (rows[i] as number) : i] as number;
    if (v === v) values[m++] = v;
  }
  if (m === 0) return { edges: new Float64Array(0), min: Number.NaN, max: Number.NaN };
  const sorted = values.subarray(0, m).sort();
  // Distinct values and their counts.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    const v = sorted[i] as number;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const edges: number[] = [];
  const cutAfter = (i: number) =>
    edges.push(midpoint(distinct[i] as number, distinct[i + 1] as number));
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) cutAfter(i);
  } else {
    let rest = m;
    let binsLeft = maxBins;
    let target = rest / binsLeft;
    let current = 0;
    for (let i = 0; i + 1 < distinct.length && binsLeft > 1; i++) {
      const c = counts[i] as number;
      // A heavy value starts a bin of its own.
      if (current > 0 && c >= target) {
        cutAfter(i - 1);
        rest -= current;
        binsLeft--;
        target = rest / binsLeft;
        current = 0;
        if (binsLeft <= 1) break;
      }
      current += c;
      if (current >= target) {
        cutAfter(i);
        rest -= current;
        binsLeft--;
        target = rest / binsLeft;
        current = 0;
      }
    }
  }
  return {
    edges: Float64Array.from(edges),
    min: sorted[0] as number,
    max: sorted[m - 1] as number,
  };
}

/** A cut between a < b that sends a to the left and b to the right. */
function midpoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= b || mid < a ? a : mid;
}

/** Bin of a value: the first b with x ≤ edges[b], else the last value bin; NaN → missing bin. */
export function binOf(edges: Float64Array, x: number): number {
  if (x !== x) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bin codes of the given rows of a column (row order kept). One array type for every feature
 * (Uint8 up to 255 value bins, else Uint16) keeps the histogram loop monomorphic.
 */
export function binColumn(
  column: Float64Array,
  rows: Uint32Array,
  edges: Float64Array,
  wide: boolean,
): Uint8Array | Uint16Array {
  const out = wide ? new Uint16Array(rows.length) : new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = binOf(edges, column[rows[i] as number] as number);
  return out;
}
