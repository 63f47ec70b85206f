import { equalCountBins } from './equal-count-bins';
import { assertLabels } from './labels';
import { assertProbabilities } from './probabilities';

export interface CalibrationRow {
  /** 1 = lowest predicted probabilities. */
  bin: number;
  count: number;
  minPredicted: number;
  maxPredicted: number;
  meanPredicted: number;
  conversions: number;
  observedRate: number;
}

/**
 * Calibration by quantile of predicted probability: `bins` groups of about equal size
 * (deciles by default), lowest probabilities first, tied probabilities kept together; empty
 * groups are left out. A calibrated model has `meanPredicted ≈ observedRate` in every row.
 */
export function calibrationTable(
  probs: readonly number[],
  labels: readonly number[],
  bins = 10,
): CalibrationRow[] {
  assertLabels(labels, probs.length);
  assertProbabilities(probs);
  const binOf = equalCountBins(probs, bins, false);
  const rows = Array.from({ length: bins }, (_, b) => ({
    bin: b + 1,
    count: 0,
    minPredicted: Number.POSITIVE_INFINITY,
    maxPredicted: Number.NEGATIVE_INFINITY,
    sumPredicted: 0,
    conversions: 0,
  }));
  for (let i = 0; i < probs.length; i++) {
    const row = rows[binOf[i] as number]!;
    const p = probs[i] as number;
    row.count++;
    row.sumPredicted += p;
    row.conversions += labels[i] as number;
    if (p < row.minPredicted) row.minPredicted = p;
    if (p > row.maxPredicted) row.maxPredicted = p;
  }
  return rows
    .filter((r) => r.count > 0)
    .map((r) => ({
      bin: r.bin,
      count: r.count,
      minPredicted: r.minPredicted,
      maxPredicted: r.maxPredicted,
      meanPredicted: r.sumPredicted / r.count,
      conversions: r.conversions,
      observedRate: r.conversions / r.count,
    }));
}
