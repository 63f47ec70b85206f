import { equalCountBins } from './equal-count-bins';
import { assertLabels } from './labels';

export interface LiftRow {
  /** 1 = highest scores. */
  decile: number;
  count: number;
  minScore: number;
  maxScore: number;
  conversions: number;
  rate: number;
  /** rate / base rate (1 = no better than picking at random). */
  lift: number;
  /** Rows in this and every higher decile. */
  cumulativeCount: number;
  /** Share of all conversions found in this and every higher decile (0–1). */
  cumulativeCapture: number;
  /** Conversion rate of this and every higher decile over the base rate. */
  cumulativeLift: number;
}

/**
 * Lift table: rows sorted by score, highest first, cut into `bins` groups of about equal size
 * (deciles by default; tied scores kept together, empty groups left out). Lift is each group's
 * conversion rate over the overall base rate. With no conversions, lift and capture are NaN.
 */
export function liftByDecile(
  scores: readonly number[],
  labels: readonly number[],
  bins = 10,
): LiftRow[] {
  assertLabels(labels, scores.length);
  scores.forEach((s, i) => {
    if (Number.isNaN(s)) throw new RangeError(`score ${i} is NaN`);
  });
  const binOf = equalCountBins(scores, bins, true);
  const acc = Array.from({ length: bins }, () => ({
    count: 0,
    conversions: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
  }));
  let totalConversions = 0;
  for (let i = 0; i < scores.length; i++) {
    const a = acc[binOf[i] as number]!;
    const s = scores[i] as number;
    a.count++;
    a.conversions += labels[i] as number;
    totalConversions += labels[i] as number;
    if (s < a.min) a.min = s;
    if (s > a.max) a.max = s;
  }
  const baseRate = scores.length === 0 ? Number.NaN : totalConversions / scores.length;
  const rows: LiftRow[] = [];
  let cumCount = 0;
  let cumConversions = 0;
  acc.forEach((a, b) => {
    if (a.count === 0) return;
    cumCount += a.count;
    cumConversions += a.conversions;
    const rate = a.conversions / a.count;
    rows.push({
      decile: b + 1,
      count: a.count,
      minScore: a.min,
      maxScore: a.max,
      conversions: a.conversions,
      rate,
      lift: rate / baseRate,
      cumulativeCount: cumCount,
      cumulativeCapture: cumConversions / totalConversions,
      cumulativeLift: cumConversions / cumCount / baseRate,
    });
  });
  return rows;
}
