import { describe, expect, it } from 'vitest';
import { calibrationTable } from './calibration-table';
import { equalCountBins } from './equal-count-bins';

describe('equalCountBins', () => {
  it('cuts sorted values into groups of equal size', () => {
    expect(Array.from(equalCountBins([5, 1, 4, 2, 3, 6], 3, false))).toEqual([2, 0, 1, 0, 1, 2]);
    expect(Array.from(equalCountBins([5, 1, 4, 2, 3, 6], 3, true))).toEqual([0, 2, 1, 2, 1, 0]);
  });

  it('keeps tied values in one group whatever their order', () => {
    // Positions 1–4 are tied (middle position 2.5 → group 1 of 3).
    const bins = Array.from(equalCountBins([0, 1, 1, 1, 1, 9], 3, false));
    expect(bins).toEqual([0, 1, 1, 1, 1, 2]);
  });
});

describe('calibrationTable', () => {
  it('reports count, mean predicted and observed rate per quantile bin, low first', () => {
    const probs = [0.05, 0.1, 0.15, 0.2, 0.6, 0.7, 0.8, 0.9];
    const labels = [0, 0, 1, 0, 1, 0, 1, 1];
    const table = calibrationTable(probs, labels, 2);
    expect(table).toHaveLength(2);
    expect(table[0]).toMatchObject({ bin: 1, count: 4, conversions: 1, observedRate: 0.25 });
    expect(table[0]!.meanPredicted).toBeCloseTo(0.125, 12);
    expect(table[0]!.minPredicted).toBe(0.05);
    expect(table[0]!.maxPredicted).toBe(0.2);
    expect(table[1]).toMatchObject({ bin: 2, count: 4, conversions: 3, observedRate: 0.75 });
    expect(table[1]!.meanPredicted).toBeCloseTo(0.75, 12);
  });

  it('makes deciles by default and leaves out empty bins', () => {
    const probs = Array.from({ length: 100 }, (_, i) => i / 100);
    const labels = probs.map((p) => (p >= 0.5 ? 1 : 0));
    const table = calibrationTable(probs, labels);
    expect(table.map((r) => r.count)).toEqual(new Array(10).fill(10));
    expect(table[9]!.observedRate).toBe(1);
    // All probabilities equal: one bin.
    expect(calibrationTable([0.3, 0.3, 0.3], [0, 1, 0])).toHaveLength(1);
  });
});
