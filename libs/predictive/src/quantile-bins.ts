/**
 * Cut points for quantile binning. Bins are [−∞, c₁), [c₁, c₂), …, [cₘ, ∞).
 *
 * With at most `bins` distinct values every value gets its own bin; otherwise the cuts are the
 * values at the j/bins quantiles (deduplicated, above the minimum). Then any bin holding fewer
 * than `minBinCount` values is merged with its smaller neighbour, smallest first.
 *
 * `sorted` must be ascending with no NaN.
 */
export function quantileCuts(
  sorted: ArrayLike<number>,
  bins: number,
  minBinCount: number,
): number[] {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  const n = sorted.length;
  if (n === 0 || bins === 1) return [];
  const min = sorted[0] as number;
  const distinct: number[] = [];
  const distinctCounts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (distinct.length === 0 || distinct[distinct.length - 1] !== v) {
      distinct.push(v);
      distinctCounts.push(1);
    } else distinctCounts[distinctCounts.length - 1]!++;
  }
  let cuts: number[];
  if (distinct.length <= bins) {
    cuts = distinct.slice(1);
  } else {
    cuts = [];
    for (let j = 1; j < bins; j++) {
      const v = sorted[Math.floor((j * n) / bins)] as number;
      if (v > min && (cuts.length === 0 || cuts[cuts.length - 1] !== v)) cuts.push(v);
    }
  }
  // Merge bins that are too small.
  for (;;) {
    if (cuts.length === 0) return cuts;
    const counts = binCounts(distinct, distinctCounts, cuts);
    let smallest = -1;
    for (let b = 0; b < counts.length; b++) {
      if (
        (counts[b] as number) < minBinCount &&
        (smallest < 0 || (counts[b] as number) < (counts[smallest] as number))
      ) {
        smallest = b;
      }
    }
    if (smallest < 0) return cuts;
    // Merge with the smaller neighbour: remove the cut between them.
    const left = smallest > 0 ? (counts[smallest - 1] as number) : Number.POSITIVE_INFINITY;
    const right =
      smallest < counts.length - 1 ? (counts[smallest + 1] as number) : Number.POSITIVE_INFINITY;
    const cutToRemove = left <= right ? smallest - 1 : smallest;
    cuts.splice(cutToRemove, 1);
  }
}

/** Index of the bin holding `x`: the number of cuts ≤ x. */
export function binIndex(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cuts[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function binCounts(
  distinct: readonly number[],
  counts: readonly number[],
  cuts: readonly number[],
): number[] {
  const out = new Array<number>(cuts.length + 1).fill(0);
  distinct.forEach((v, i) => {
    out[binIndex(cuts, v)]! += counts[i] as number;
  });
  return out;
}

/** Readable name of bin `b`: `age<30`, `age∈[30,39)`, `age≥60`, or `age (all)` with no cuts. */
export function binLabel(name: string, cuts: readonly number[], b: number): string {
  if (cuts.length === 0) return `${name} (all)`;
  if (b === 0) return `${name}<${cuts[0]}`;
  if (b === cuts.length) return `${name}≥${cuts[cuts.length - 1]}`;
  return `${name}∈[${cuts[b - 1]},${cuts[b]})`;
}

/**
 * Up to `count` strictly increasing knots at evenly spaced quantiles of `sorted` (ascending, no
 * NaN), from the 1st to the 99th percentile so that a few outliers do not stretch the curve.
 * Fewer when values repeat; empty when there are none.
 */
export function quantileKnots(sorted: ArrayLike<number>, count: number): number[] {
  const n = sorted.length;
  const knots: number[] = [];
  if (n === 0) return knots;
  for (let j = 0; j < count; j++) {
    const q = 0.01 + (0.98 * j) / Math.max(1, count - 1);
    const v = sorted[Math.min(n - 1, Math.floor(q * n))] as number;
    if (knots.length === 0 || v > (knots[knots.length - 1] as number)) knots.push(v);
  }
  const max = sorted[n - 1] as number;
  if (knots.length === 1 && max > (knots[0] as number)) knots.push(max);
  return knots;
}

/**
 * The two hat functions a value turns on: the knot index at or below it and its weight there
 * (the next knot gets 1 − weight). Values outside the knots take the end knot whole.
 */
export function hatWeights(knots: readonly number[], x: number): { index: number; weight: number } {
  const last = knots.length - 1;
  if (x <= (knots[0] as number)) return { index: 0, weight: 1 };
  if (x >= (knots[last] as number)) return { index: last, weight: 1 };
  const i = binIndex(knots, x) - 1;
  const lo = knots[i] as number;
  const hi = knots[i + 1] as number;
  return { index: i, weight: (hi - x) / (hi - lo) };
}
