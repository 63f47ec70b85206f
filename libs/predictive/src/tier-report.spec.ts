import { describe, expect, it } from 'vitest';
import { firstMonotonicBreak, isMonotonic, tierReport } from './tier-report';

describe('tierReport', () => {
  const tiers = ['A', 'B', 'C'];
  const tierOfEach = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C'];
  const labels = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0];

  it('counts conversions, rate and lift per tier, top first', () => {
    const report = tierReport(tiers, tierOfEach, labels);
    expect(report.total).toBe(12);
    expect(report.conversions).toBe(5);
    expect(report.baseRate).toBeCloseTo(5 / 12, 12);
    expect(report.tiers.map((t) => [t.tier, t.count, t.conversions, t.rate])).toEqual([
      ['A', 4, 3, 0.75],
      ['B', 4, 2, 0.5],
      ['C', 4, 0, 0],
    ]);
    expect(report.tiers[0]!.lift).toBeCloseTo(0.75 / (5 / 12), 12);
    expect(report.tiers[0]!.shareOfConversions).toBeCloseTo(0.6, 12);
    expect(report.monotonic).toBe(true);
  });

  it('keeps empty tiers with null rate and lift', () => {
    const report = tierReport(['A', 'B', 'C'], ['A', 'C'], [1, 0]);
    expect(report.tiers[1]).toMatchObject({ tier: 'B', count: 0, rate: null, lift: null });
    expect(report.monotonic).toBe(true);
  });

  it('flags a lower tier that converts better', () => {
    const report = tierReport(['A', 'B'], ['A', 'A', 'B', 'B'], [0, 1, 1, 1]);
    expect(report.monotonic).toBe(false);
  });

  it('refuses a tier that is not listed', () => {
    expect(() => tierReport(['A'], ['Z'], [1])).toThrow(/tier "Z"/);
  });
});

describe('isMonotonic', () => {
  it('accepts non-increasing rates, equal steps included, skipping empty tiers', () => {
    expect(isMonotonic([0.5, 0.5, 0.2, 0])).toBe(true);
    expect(isMonotonic([0.5, null, 0.3, null, 0.1])).toBe(true);
    expect(isMonotonic([])).toBe(true);
  });

  it('rejects any rise, unless within the tolerance', () => {
    expect(isMonotonic([0.5, 0.2, 0.21])).toBe(false);
    expect(isMonotonic([0.5, 0.2, 0.21], 0.02)).toBe(true);
    expect(firstMonotonicBreak([0.5, null, 0.6])).toEqual({ higher: 0, lower: 2 });
  });
});
