import { describe, expect, it } from 'vitest';
import { tiersByShare } from './predictive-training.service';

const rulesTiers = [
  { name: 'LOW', min: 0 },
  { name: 'SALES_READY', min: 60, minEngagement: 40 },
  { name: 'NURTURE', min: 30 },
];

describe('tiersByShare', () => {
  it('puts the top 10% in the top tier and the lower half in the bottom one, kept by share', () => {
    const totals = Array.from({ length: 100 }, (_, i) => i + 0.5); // 0.5 … 99.5
    expect(tiersByShare(rulesTiers, totals)).toEqual([
      { name: 'SALES_READY', min: 90.5, topShare: 0.1, minEngagement: 40 },
      { name: 'NURTURE', min: 50.5, topShare: 0.5 },
      { name: 'LOW', min: 0 },
    ]);
  });

  it('keeps minimums strictly decreasing when the scores are all alike', () => {
    const tiers = tiersByShare(rulesTiers, new Array<number>(50).fill(0));
    expect(tiers.map((t) => t.min)).toEqual([0.02, 0.01, 0]);
  });

  it('with two tiers puts the top 10% in the top tier and the other 90% in the bottom one', () => {
    const totals = Array.from({ length: 100 }, (_, i) => i + 0.5);
    const tiers = tiersByShare(
      [
        { name: 'COLD', min: 0 },
        { name: 'HOT', min: 50 },
      ],
      totals,
    );
    expect(tiers).toEqual([
      { name: 'HOT', min: 90.5, topShare: 0.1 },
      { name: 'COLD', min: 0 },
    ]);
    expect(totals.filter((t) => t >= tiers[0]!.min)).toHaveLength(10);
  });

  it('with four tiers shares the 40% between the top 10% and the lower half equally', () => {
    const totals = Array.from({ length: 100 }, (_, i) => i + 0.5);
    const tiers = tiersByShare(
      ['A', 'B', 'C', 'D'].map((name, i) => ({ name, min: 30 - 10 * i })),
      totals,
    );
    expect(tiers.map((t) => t.min)).toEqual([90.5, 70.5, 50.5, 0]);
    expect(tiers.map((t) => t.topShare)).toEqual([0.1, 0.3, 0.5, undefined]);
  });
});
