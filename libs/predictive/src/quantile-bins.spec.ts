import { describe, expect, it } from 'vitest';
import { binIndex, binLabel, quantileCuts } from './quantile-bins';

const sorted = (xs: number[]) => Float64Array.from(xs).sort();

describe('quantileCuts', () => {
  it('cuts at the j/k quantiles', () => {
    const xs = sorted(Array.from({ length: 100 }, (_, i) => i));
    expect(quantileCuts(xs, 4, 1)).toEqual([25, 50, 75]);
  });

  it('gives each value its own bin when there are few distinct values', () => {
    expect(quantileCuts(sorted([0, 0, 0, 1, 1, 2, 2, 2]), 10, 1)).toEqual([1, 2]);
  });

  it('drops duplicate cuts and cuts at the minimum (a spike of one value)', () => {
    const xs = sorted([...new Array(90).fill(999), ...Array.from({ length: 10 }, (_, i) => i)]);
    expect(quantileCuts(xs, 5, 1)).toEqual([999]);
  });

  it('merges bins with fewer than minBinCount values into the smaller neighbour', () => {
    // Distinct values 0 (50×), 1 (2×), 2 (48×): bin "1" is too small and joins "2".
    const xs = sorted([...new Array(50).fill(0), 1, 1, ...new Array(48).fill(2)]);
    expect(quantileCuts(xs, 10, 1)).toEqual([1, 2]);
    expect(quantileCuts(xs, 10, 5)).toEqual([1]);
  });

  it('returns no cuts for one bin or no data', () => {
    expect(quantileCuts(sorted([1, 2, 3]), 1, 1)).toEqual([]);
    expect(quantileCuts(sorted([]), 5, 1)).toEqual([]);
  });
});

describe('binIndex and binLabel', () => {
  const cuts = [30, 40, 60];
  it('puts a cut value in the bin above it', () => {
    expect([29.9, 30, 39, 40, 60, 99].map((x) => binIndex(cuts, x))).toEqual([0, 1, 1, 2, 3, 3]);
  });
  it('names bins readably', () => {
    expect([0, 1, 2, 3].map((b) => binLabel('age', cuts, b))).toEqual([
      'age<30',
      'age∈[30,40)',
      'age∈[40,60)',
      'age≥60',
    ]);
    expect(binLabel('age', [], 0)).toBe('age (all)');
  });
});
