import { describe, expect, it } from 'vitest';
import { liftByDecile } from './lift-by-decile';

describe('liftByDecile', () => {
  // 10 rows, 4 conversions (base rate 0.4), five groups of two, best scores first.
  const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const labels = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
  const table = liftByDecile(scores, labels, 5);

  it('sorts by score, highest first, and computes rate and lift over the base rate', () => {
    expect(table.map((r) => r.conversions)).toEqual([2, 1, 1, 0, 0]);
    expect(table.map((r) => r.rate)).toEqual([1, 0.5, 0.5, 0, 0]);
    expect(table.map((r) => r.lift)).toEqual([2.5, 1.25, 1.25, 0, 0]);
    expect(table[0]).toMatchObject({ decile: 1, minScore: 9, maxScore: 10 });
  });

  it('accumulates capture and lift', () => {
    expect(table.map((r) => r.cumulativeCapture)).toEqual([0.5, 0.75, 1, 1, 1]);
    expect(table.map((r) => r.cumulativeCount)).toEqual([2, 4, 6, 8, 10]);
    expect(table[1]!.cumulativeLift).toBeCloseTo(0.75 / 0.4, 12);
    expect(table[4]!.cumulativeLift).toBeCloseTo(1, 12);
  });

  it('uses deciles by default', () => {
    const many = Array.from({ length: 50 }, (_, i) => i);
    expect(
      liftByDecile(
        many,
        many.map((i) => (i % 2) as 0 | 1),
      ),
    ).toHaveLength(10);
  });
});
