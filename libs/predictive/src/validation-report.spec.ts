import { describe, expect, it } from 'vitest';
import { buildValidationReport, compareReports } from './validation-report';

// 200 contacts in four tiers; the score is the tier's rank plus a small spread.
const tiers = ['A', 'B', 'C', 'D'];
const converted = [25, 15, 7, 3];
const rates = converted.map((c) => c / 50);
const tierOfEach: string[] = [];
const scores: number[] = [];
const labels: number[] = [];
tiers.forEach((t, k) => {
  for (let i = 0; i < 50; i++) {
    tierOfEach.push(t);
    scores.push((4 - k) * 10 + (i % 5));
    labels.push(i < converted[k]! ? 1 : 0);
  }
});

describe('buildValidationReport', () => {
  const report = buildValidationReport({ tiers, tierOfEach, scores, labels });

  it('puts tiers, AUC, lift and the verdict together', () => {
    expect(report.total).toBe(200);
    expect(report.conversions).toBe(50);
    expect(report.tiers.map((t) => t.rate)).toEqual(rates);
    expect(report.monotonic).toBe(true);
    expect(report.auc).toBeGreaterThan(0.7);
    expect(report.lift).toHaveLength(10);
    expect(report.verdict.verdict).toBe('predictive');
    expect(report.verdict.reason).toContain('from 50.0% in A to 6.0% in D (base rate 25.0%)');
  });

  it('leaves Brier and calibration out for a score that is not a probability', () => {
    expect(report.brier).toBeNull();
    expect(report.calibration).toBeNull();
    const withProbs = buildValidationReport({
      tiers,
      tierOfEach,
      scores,
      labels,
      probabilities: scores.map((s) => s / 50),
    });
    expect(withProbs.brier).toBeGreaterThan(0);
    expect(withProbs.calibration).toHaveLength(10);
  });

  it('reports an undefined AUC as null with "not enough data"', () => {
    const none = buildValidationReport({
      tiers: ['A'],
      tierOfEach: ['A', 'A'],
      scores: [1, 2],
      labels: [0, 0],
    });
    expect(none.auc).toBeNull();
    expect(none.verdict.verdict).toBe('not enough data');
  });
});

describe('compareReports', () => {
  it('gives the AUC and top-tier conversion differences, challenger minus champion', () => {
    const champion = buildValidationReport({ tiers, tierOfEach, scores, labels });
    const flat = buildValidationReport({
      tiers: ['A', 'B'],
      tierOfEach: tierOfEach.map((t) => (t === 'A' || t === 'C' ? 'A' : 'B')),
      scores: tierOfEach.map((t) => (t === 'A' || t === 'C' ? 2 : 1)),
      labels,
    });
    const cmp = compareReports(champion, flat);
    expect(cmp.aucDifference).toBeCloseTo(flat.auc! - champion.auc!, 12);
    expect(cmp.topTierRateDifference).toBeCloseTo((0.5 + 0.14) / 2 - 0.5, 12);
    expect(cmp.summary).toMatch(
      /^Challenger: AUC 0\.\d{3} against 0\.\d{3} \(-0\.\d{3}\); top tier converts 32\.0% against 50\.0% \(-18\.0 points\)\.$/,
    );
  });
});
