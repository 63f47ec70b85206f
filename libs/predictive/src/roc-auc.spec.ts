import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { averageRanks, rocAuc } from './roc-auc';

/** Brute force: share of (converter, non-converter) pairs ordered right, ties ½. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('averageRanks', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });
});

describe('rocAuc', () => {
  it('matches a hand count without ties', () => {
    // Converters 0.35 and 0.8 against 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats both → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts a tie as one half', () => {
    // Pairs (2,1)=1, (2,2)=½, (3,1)=1, (3,2)=1 → 3.5/4.
    expect(rocAuc([1, 2, 2, 3], [0, 0, 1, 1])).toBe(0.875);
    expect(rocAuc([7, 7, 7, 7], [0, 1, 0, 1])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('agrees with the pairwise definition on random scores with many ties', () => {
    const rng = createRng(3);
    const scores = Array.from({ length: 300 }, () => Math.floor(rng() * 12));
    const labels = scores.map((s) => (rng() < 0.1 + s / 20 ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  it('is NaN when only one class is present', () => {
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });

  it('refuses labels other than 0/1 and mismatched lengths', () => {
    expect(() => rocAuc([1, 2], [0, 2])).toThrow(/must be 0 or 1/);
    expect(() => rocAuc([1, 2, 3], [0, 1])).toThrow(/expected 3 labels/);
  });
});
