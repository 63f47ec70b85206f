import { assertLabels } from './labels';

export interface TierStat {
  tier: string;
  count: number;
  conversions: number;
  /** conversions / count, null for an empty tier. */
  rate: number | null;
  /** rate / base rate, null for an empty tier or when nothing converted. */
  lift: number | null;
  /** Share of all conversions that fell in this tier (0–1), null when nothing converted. */
  shareOfConversions: number | null;
}

export interface TierReport {
  /** In the order given: top tier first. */
  tiers: TierStat[];
  total: number;
  conversions: number;
  baseRate: number | null;
  /** Conversion never rises from a tier to the next lower one (empty tiers skipped). */
  monotonic: boolean;
}

/**
 * Counts, conversion rate and lift per tier. `tiers` lists every tier top first;
 * `tierOfEach[i]` is row i's tier and must be one of them.
 */
export function tierReport(
  tiers: readonly string[],
  tierOfEach: readonly string[],
  labels: readonly number[],
): TierReport {
  assertLabels(labels, tierOfEach.length);
  if (new Set(tiers).size !== tiers.length) throw new RangeError('tiers must be distinct');
  const index = new Map(tiers.map((t, i) => [t, i]));
  const counts = new Array<number>(tiers.length).fill(0);
  const conversions = new Array<number>(tiers.length).fill(0);
  let total = 0;
  for (let i = 0; i < tierOfEach.length; i++) {
    const t = tierOfEach[i] as string;
    const k = index.get(t);
    if (k === undefined)
      throw new RangeError(`row ${i} has tier "${t}", not one of ${tiers.join(', ')}`);
    counts[k]!++;
    conversions[k]! += labels[i] as number;
    total += labels[i] as number;
  }
  const n = tierOfEach.length;
  const baseRate = n === 0 ? null : total / n;
  const stats = tiers.map((tier, k): TierStat => {
    const count = counts[k] as number;
    const conv = conversions[k] as number;
    const rate = count === 0 ? null : conv / count;
    return {
      tier,
      count,
      conversions: conv,
      rate,
      lift: rate === null || !baseRate ? null : rate / baseRate,
      shareOfConversions: total === 0 ? null : conv / total,
    };
  });
  return {
    tiers: stats,
    total: n,
    conversions: total,
    baseRate,
    monotonic: isMonotonic(stats.map((s) => s.rate)),
  };
}

/**
 * True when conversion rates, listed top tier first, never rise from one tier to the next
 * lower one by more than `tolerance`; null rates (empty tiers) are skipped.
 */
export function isMonotonic(rates: readonly (number | null)[], tolerance = 0): boolean {
  return firstMonotonicBreak(rates, tolerance) === null;
}

/**
 * The first place where conversion rises going down the tiers: indexes of the higher tier and
 * of the lower tier that converts better. Null when monotonic.
 */
export function firstMonotonicBreak(
  rates: readonly (number | null)[],
  tolerance = 0,
): { higher: number; lower: number } | null {
  let previous: number | null = null;
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i];
    if (r === null || r === undefined) continue;
    if (previous !== null && r > (rates[previous] as number) + tolerance) {
      return { higher: previous, lower: i };
    }
    previous = i;
  }
  return null;
}
