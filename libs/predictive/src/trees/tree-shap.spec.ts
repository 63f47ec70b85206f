import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { type GbdtModel } from './gbdt-model';
import { predictGbdtLogit } from './predict-gbdt';
import { bruteForceShapley, randomModel, randomRow } from './random-forest.spec-helper';
import { treeShap, treeShapTableSize } from './tree-shap';
import { treeShapReference } from './tree-shap-reference';

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < actual.length; j++) {
    const a = actual[j] as number;
    const e = expected[j] as number;
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`element ${j}: ${a} vs ${e}`);
    }
  }
}

/** A row some of whose values sit inside the ramps of the model's soft nodes. */
function rowInRamps(model: GbdtModel, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = randomRow(rng, model.featureNames.length, 0.1);
  for (const tree of model.trees) {
    tree.feature.forEach((f, n) => {
      const lo = tree.rampLow[n];
      const hi = tree.rampHigh[n];
      if (lo != null && hi != null && rng() < 0.4) x[f] = lo + (hi - lo) * (0.05 + 0.9 * rng());
    });
  }
  return x;
}

const shapes = fc.record({
  seed: fc.integer({ min: 0, max: 1e9 }),
  width: fc.integer({ min: 1, max: 6 }),
  trees: fc.integer({ min: 1, max: 4 }),
  maxDepth: fc.integer({ min: 1, max: 5 }),
});

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values of the path-dependent value function (hard splits)', () => {
    fc.assert(
      fc.property(shapes, ({ seed, width, trees, maxDepth }) => {
        const model = randomModel(seed, { width, trees, maxDepth, softShare: 0 });
        const x = randomRow(createRng(seed + 1), width);
        const brute = bruteForceShapley(model, x);
        const ref = treeShapReference(model, x);
        const fast = treeShap(model, x);
        expectClose(ref.contributions, brute.phi);
        expectClose(fast.contributions, brute.phi);
        expect(fast.expectedLogit).toBeCloseTo(brute.expected, 12);
        expect(ref.expectedLogit).toBeCloseTo(brute.expected, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('equals brute-force Shapley values with soft splits, x inside their ramps', () => {
    fc.assert(
      fc.property(shapes, ({ seed, width, trees, maxDepth }) => {
        const model = randomModel(seed, { width, trees, maxDepth, softShare: 0.6 });
        const x = rowInRamps(model, seed + 7);
        const brute = bruteForceShapley(model, x);
        expectClose(treeShapReference(model, x).contributions, brute.phi);
        expectClose(treeShap(model, x).contributions, brute.phi);
      }),
      { numRuns: 300 },
    );
  });

  it('fast contributions equal the reference on deeper trees with repeated features', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e9 }),
          width: fc.integer({ min: 2, max: 12 }),
          softShare: fc.constantFrom(0, 0.3),
        }),
        ({ seed, width, softShare }) => {
          const model = randomModel(seed, { width, trees: 6, maxDepth: 8, softShare });
          for (let r = 0; r < 5; r++) {
            const x =
              softShare > 0 ? rowInRamps(model, seed + r) : randomRow(createRng(seed + r), width);
            expectClose(
              treeShap(model, x).contributions,
              treeShapReference(model, x).contributions,
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('contributions add up to the logit, and the logit is the prediction', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), ({ seed, width, trees, maxDepth }, soft) => {
        const model = randomModel(seed, {
          width,
          trees,
          maxDepth: maxDepth + 2,
          softShare: soft ? 0.5 : 0,
        });
        const x = soft ? rowInRamps(model, seed) : randomRow(createRng(seed), width);
        const r = treeShap(model, x);
        const predicted = predictGbdtLogit(model, x);
        expect(r.logit).toBe(predicted);
        const total = r.expectedLogit + sum(r.contributions);
        let scale = Math.abs(r.expectedLogit);
        for (const v of r.contributions) scale += Math.abs(v);
        expect(Math.abs(total - predicted)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
      }),
      { numRuns: 300 },
    );
  });

  it('gives a feature no tree uses nothing, and a single-leaf tree only shifts the baseline', () => {
    const model = randomModel(5, { width: 4, trees: 3, maxDepth: 3, softShare: 0 });
    for (const tree of model.trees) tree.feature = tree.feature.map((f) => (f === 3 ? 2 : f));
    const shifted: GbdtModel = {
      ...model,
      trees: [
        ...model.trees,
        {
          feature: [],
          threshold: [],
          missingLeft: [],
          left: [],
          right: [],
          rampLow: [],
          rampHigh: [],
          leafValue: [0.25],
          leafCount: [9],
        },
      ],
    };
    const x = randomRow(createRng(1), 4, 0);
    const a = treeShap(model, x);
    const b = treeShap(shifted, x);
    expect(a.contributions[3]).toBe(0);
    expect(b.expectedLogit - a.expectedLogit).toBeCloseTo(0.25, 14);
    expectClose(b.contributions, a.contributions, 1e-14);
    expect(b.logit - a.logit).toBeCloseTo(0.25, 14);
  });

  it('falls back to the reference for paths of more than 12 distinct features, and fills `out`', () => {
    // A chain of 14 splits on 14 different features: its deepest leaves have k = 14.
    const chain = randomModel(3, { width: 14, trees: 1, maxDepth: 1, softShare: 0 });
    const tree = chain.trees[0]!;
    for (const key of Object.keys(tree) as (keyof typeof tree)[])
      (tree[key] as unknown[]).length = 0;
    for (let n = 0; n < 14; n++) {
      tree.feature.push(n);
      tree.threshold.push(0.5);
      tree.missingLeft.push(0);
      tree.rampLow.push(null);
      tree.rampHigh.push(null);
      tree.left.push(-(n + 1));
      tree.right.push(n + 1 < 14 ? n + 1 : -15);
      tree.leafValue.push(n / 10);
      tree.leafCount.push(10);
    }
    tree.leafValue.push(2);
    tree.leafCount.push(10);
    expect(treeShapTableSize(chain)).toBe(0);
    const x = randomRow(createRng(9), 14, 0);
    const out = new Float64Array(14);
    const r = treeShap(chain, x, out);
    expect(r.contributions).toBe(out);
    expectClose(out, bruteForceShapley(chain, x).phi);
    expect(r.logit).toBe(predictGbdtLogit(chain, x));
  });

  it('rejects a row of the wrong width', () => {
    const model = randomModel(1, { width: 3, trees: 1, maxDepth: 2, softShare: 0 });
    expect(() => treeShap(model, [0.5, 0.5])).toThrow('expected 3 feature values, got 2');
    expect(() => treeShapReference(model, [0.5])).toThrow('expected 3 feature values, got 1');
  });
});
