import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validate';
import { type FeatureSpec } from './feature-spec';
import { createRng } from './rng';
import { selectLambda } from './select-lambda';
import { stratifiedFolds } from './stratified-folds';
import { syntheticContacts } from './synthetic-contacts.spec-helper';

const spec: FeatureSpec = {
  columns: [
    { kind: 'categorical', name: 'plan' },
    { kind: 'numeric', name: 'visits', bins: 5 },
    { kind: 'categorical', name: 'region' },
  ],
};
const { rows, labels } = syntheticContacts(3_000, 5);

describe('stratifiedFolds', () => {
  it('spreads conversions and non-conversions evenly over the folds', () => {
    const folds = stratifiedFolds(labels, 5, createRng(1));
    for (let f = 0; f < 5; f++) {
      const inFold = labels.filter((_, i) => folds[i] === f);
      const conv = inFold.filter((y) => y === 1).length;
      const total = labels.filter((y) => y === 1).length;
      expect(Math.abs(conv - total / 5)).toBeLessThanOrEqual(1);
      expect(Math.abs(inFold.length - labels.length / 5)).toBeLessThanOrEqual(1);
    }
  });

  it('depends only on the seed', () => {
    expect(stratifiedFolds(labels, 5, createRng(1))).toEqual(
      stratifiedFolds(labels, 5, createRng(1)),
    );
    expect(stratifiedFolds(labels, 5, createRng(2))).not.toEqual(
      stratifiedFolds(labels, 5, createRng(1)),
    );
  });

  it('refuses fewer than 2 folds', () => {
    expect(() => stratifiedFolds(labels, 1, createRng(1))).toThrow(/folds/);
  });
});

describe('crossValidate', () => {
  const cv = crossValidate(rows, labels, 5, 42, { spec, lambda: 1 });

  it('reports per-fold and pooled metrics over out-of-fold predictions', () => {
    expect(cv.folds).toHaveLength(5);
    expect(cv.folds.reduce((s, f) => s + f.rows, 0)).toBe(3_000);
    expect(cv.pooled.rows).toBe(3_000);
    expect(cv.outOfFold).toHaveLength(3_000);
    expect(cv.pooled.auc).toBeGreaterThan(0.7);
    expect(cv.pooled.brier).toBeLessThan(cv.pooled.baseRate! * (1 - cv.pooled.baseRate!));
    expect(cv.pooled.calibration).toHaveLength(10);
    expect(cv.pooled.lift[0]!.lift).toBeGreaterThan(1.5);
    expect(cv.folds[0]!.calibration.length).toBeGreaterThan(0);
    expect(Math.abs(cv.meanAuc - cv.pooled.auc)).toBeLessThan(0.02);
  });

  it('is reproducible from the seed', () => {
    expect(crossValidate(rows, labels, 5, 42, { spec, lambda: 1 }).outOfFold).toEqual(cv.outOfFold);
  });

  it('chooses λ from a grid inside each training part', () => {
    const grid = crossValidate(rows, labels, 3, 7, {
      spec,
      lambda: [0.1, 10, 10_000],
      innerFolds: 3,
    });
    for (const fold of grid.folds) {
      expect(fold.lambdaChoice!.candidates.map((c) => c.lambda)).toEqual([0.1, 10, 10_000]);
      const best = Math.min(...fold.lambdaChoice!.candidates.map((c) => c.logLoss));
      expect(fold.lambdaChoice!.candidates.find((c) => c.lambda === fold.lambda)!.logLoss).toBe(
        best,
      );
      // Shrinking everything to the base rate is never the best here.
      expect(fold.lambda).not.toBe(10_000);
    }
  });
});

describe('selectLambda', () => {
  it('picks the λ with the lowest out-of-fold log-loss', () => {
    const choice = selectLambda(rows, labels, spec, [1e6, 1], 3, 1);
    expect(choice.lambda).toBe(1);
    expect(choice.candidates[0]!.auc).toBeGreaterThan(0.7);
  });
});
