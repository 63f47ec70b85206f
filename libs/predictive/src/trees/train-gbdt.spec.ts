import { describe, expect, it } from 'vitest';
import { trainLogistic } from '../logistic-regression';
import { createRng } from '../rng';
import { rocAuc } from '../roc-auc';
import { parseGbdtModel, type GbdtModel } from './gbdt-model';
import { predictGbdtLogit, predictGbdtLogits, predictGbdtProbability } from './predict-gbdt';
import { rowOf, syntheticLeads } from './synthetic-leads.spec-helper';
import { trainGbdt } from './train-gbdt';
import { treeShap } from './tree-shap';
import { treeShapReference } from './tree-shap-reference';

const train = syntheticLeads(6_000, 1, 3);
const test = syntheticLeads(4_000, 2, 3);

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

describe('trainGbdt', () => {
  const model = trainGbdt(train.columns, train.labels, {
    featureNames: train.names,
    softFeatures: train.timeVarying,
    seed: 7,
  });

  it('learns a known generating function: held-out AUC near the true model, above a linear fit', () => {
    const trees = rocAuc([...predictGbdtLogits(model, test.columns)], test.labels);
    const oracle = rocAuc([...test.trueLogit], test.labels);
    // Logistic regression on the raw columns (missing as 0): the interactions and thresholds
    // of the generating model are out of its reach.
    const raw = (columns: Float64Array[], i: number) =>
      columns.map((c) => (Number.isNaN(c[i] as number) ? 0 : Math.log1p(Math.abs(c[i] as number))));
    const lr = trainLogistic(
      train.labels.map((_, i) => raw(train.columns, i)),
      train.labels,
      { lambda: 1 },
    );
    const lrScores = test.labels.map((_, i) =>
      raw(test.columns, i).reduce((s, v, j) => s + v * (lr.weights[j] as number), lr.intercept),
    );
    const linear = rocAuc(lrScores, test.labels);
    expect(trees).toBeGreaterThan(oracle - 0.02);
    expect(trees).toBeGreaterThan(linear + 0.02);
    expect(model.training.stop).toBe('early-stopping');
    expect(model.trees.length).toBeGreaterThan(5);
  });

  it('is deterministic: the same inputs and seed give the same model, bit for bit', () => {
    const options = {
      featureNames: train.names,
      softFeatures: train.timeVarying,
      seed: 3,
      subsample: 0.7,
      featureFraction: 0.6,
      maxTrees: 60,
    };
    const a = trainGbdt(train.columns, train.labels, options);
    const b = trainGbdt(train.columns, train.labels, options);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = trainGbdt(train.columns, train.labels, { ...options, seed: 4 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('stops early on noise and keeps the best number of trees', () => {
    const rng = createRng(11);
    const noise = Array.from({ length: 4 }, () =>
      Float64Array.from({ length: 3_000 }, () => rng()),
    );
    const labels = Array.from({ length: 3_000 }, () => (rng() < 0.3 ? 1 : 0));
    const m = trainGbdt(noise, labels, {
      featureNames: ['a', 'b', 'c', 'd'],
      maxTrees: 500,
      earlyStopping: { patience: 15 },
    });
    expect(m.training.stop).toBe('early-stopping');
    expect(m.training.rounds).toBe(m.trees.length + 15);
    expect(m.trees.length).toBeLessThan(40);
    expect(m.training.validationRows).toBe(300);
    expect(m.training.rows).toBe(2_700);
  });

  it('grows exactly maxTrees trees on every row without early stopping (a refit)', () => {
    const m = trainGbdt(train.columns, train.labels, {
      featureNames: train.names,
      earlyStopping: false,
      maxTrees: 25,
    });
    expect(m.trees).toHaveLength(25);
    expect(m.training.rows).toBe(6_000);
    expect(m.training.validationRows).toBe(0);
    expect(m.training.validationLogLoss).toBeNull();
  });

  it('early-stops on an explicit validation set when given one', () => {
    const m = trainGbdt(train.columns, train.labels, {
      featureNames: train.names,
      validation: { columns: test.columns, labels: test.labels },
    });
    expect(m.training.rows).toBe(6_000);
    expect(m.training.validationRows).toBe(4_000);
    const logits = predictGbdtLogits(m, test.columns);
    let loss = 0;
    logits.forEach((z, i) => {
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (test.labels[i] as number) * z;
    });
    expect(loss / 4_000).toBeCloseTo(m.training.validationLogLoss as number, 10);
  });

  it('learns where missing values go: rows without a company size score lower, as generated', () => {
    const employees = train.names.indexOf('employees');
    let delta = 0;
    for (let i = 0; i < 500; i++) {
      const x = rowOf(test.columns, i);
      x[employees] = 1000;
      const present = predictGbdtLogit(model, x);
      x[employees] = Number.NaN;
      delta += predictGbdtLogit(model, x) - present;
    }
    expect(delta / 500).toBeLessThan(-0.3);
  });

  it('is continuous in soft features: a tiny change moves the logit a tiny amount', () => {
    const soft = train.names.indexOf('decayedVisits');
    const hard = trainGbdt(train.columns, train.labels, { featureNames: train.names, seed: 7 });
    const thresholdsOf = (m: GbdtModel) => {
      const thresholds = new Set<number>();
      for (const tree of m.trees) {
        tree.feature.forEach((f, n) => {
          const t = tree.threshold[n];
          if (f === soft && t !== null && t !== undefined) thresholds.add(t);
        });
      }
      return thresholds;
    };
    const jumpAt = (m: GbdtModel, thresholds: Set<number>) => {
      let jump = 0;
      for (let i = 0; i < 50; i++) {
        const x = rowOf(test.columns, i);
        for (const t of thresholds) {
          const a = Float64Array.from(x);
          const b = Float64Array.from(x);
          a[soft] = t;
          b[soft] = t + 1e-9;
          jump = Math.max(jump, Math.abs(predictGbdtLogit(m, b) - predictGbdtLogit(m, a)));
        }
      }
      return jump;
    };
    expect(thresholdsOf(model).size).toBeGreaterThan(3);
    const softJump = jumpAt(model, thresholdsOf(model));
    const hardJump = jumpAt(hard, thresholdsOf(hard));
    expect(softJump).toBeLessThan(1e-6);
    // The same check on hard splits finds steps.
    expect(hardJump).toBeGreaterThan(0.01);
  });

  it('explains trained models exactly: contributions add up to the logit, fast = reference', () => {
    const soft = model.softFeatures.map((s, j) => (s ? j : -1)).filter((j) => j >= 0);
    for (let i = 0; i < 300; i++) {
      const x = rowOf(test.columns, i);
      // Every third row: soft features moved into the middle of some ramp.
      if (i % 3 === 0) {
        for (const tree of model.trees) {
          const n = tree.feature.findIndex((f, k) => soft.includes(f) && tree.rampLow[k] !== null);
          if (n >= 0) {
            x[tree.feature[n] as number] =
              ((tree.rampLow[n] as number) + (tree.rampHigh[n] as number)) / 2;
            break;
          }
        }
      }
      const fast = treeShap(model, x);
      const ref = treeShapReference(model, x);
      const logit = predictGbdtLogit(model, x);
      expect(fast.logit).toBe(logit);
      expect(Math.abs(fast.expectedLogit + sum(fast.contributions) - logit)).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(logit)),
      );
      fast.contributions.forEach((v, j) =>
        expect(v).toBeCloseTo(ref.contributions[j] as number, 10),
      );
    }
  });

  it('round-trips through JSON unchanged and stays small', () => {
    const json = JSON.stringify(model);
    const back = parseGbdtModel(JSON.parse(json));
    for (let i = 0; i < 200; i++) {
      const x = rowOf(test.columns, i);
      expect(predictGbdtLogit(back, x)).toBe(predictGbdtLogit(model, x));
      expect(predictGbdtProbability(back, x)).toBe(predictGbdtProbability(model, x));
    }
    const leaves = model.trees.reduce((s, t) => s + t.leafValue.length, 0);
    expect(json.length / leaves).toBeLessThan(120);
  });

  it('rejects bad input with errors that name it', () => {
    const cols = [Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3)];
    const names = { featureNames: ['a', 'b'] };
    expect(() => trainGbdt(cols, [0, 1], names)).toThrow('columns[0] has 3 rows, expected 2');
    expect(() => trainGbdt(cols, [0, 1, 2], names)).toThrow('labels[2] must be 0 or 1, got 2');
    expect(() => trainGbdt(cols, [0, 1, 0], { featureNames: ['a'] })).toThrow(
      'featureNames has 1 names for 2 columns',
    );
    expect(() => trainGbdt(cols, [0, 1, 0], { ...names, softFeatures: ['c'] })).toThrow(
      'softFeatures: no feature named "c"',
    );
    expect(() => trainGbdt(cols, [0, 1, 0], { ...names, learningRate: Number.NaN })).toThrow(
      'learningRate must be a positive number',
    );
    expect(() => trainGbdt(cols, [0, 1, 0], { ...names, maxDepth: 40 })).toThrow(
      'maxDepth must be an integer in [1, 16], got 40',
    );
    expect(() => trainGbdt(cols, [1, 1, 1], { ...names, earlyStopping: false })).toThrow(
      'the training rows need both outcomes',
    );
    expect(() => trainGbdt(cols, [0, 1, 0], names)).toThrow('leave none for early stopping');
    expect(() =>
      trainGbdt([Float64Array.of(1, 2, 3)], [0, 1, 0], {
        featureNames: ['a'],
        validation: { columns: [Float64Array.of(1)], labels: [3] },
      }),
    ).toThrow('validation.labels[0] must be 0 or 1, got 3');
    expect(() => predictGbdtLogit(model, [1, 2])).toThrow(
      `expected ${train.names.length} feature values, got 2`,
    );
  });
});

describe('parseGbdtModel', () => {
  const tiny: GbdtModel = trainGbdt(train.columns, train.labels, {
    featureNames: train.names,
    maxTrees: 2,
    earlyStopping: false,
  });
  const mutated = (change: (m: GbdtModel) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(tiny)) as GbdtModel;
    change(copy);
    return copy;
  };

  it('accepts a trained model and rejects malformed ones, naming the problem', () => {
    expect(parseGbdtModel(JSON.parse(JSON.stringify(tiny)))).toEqual(tiny);
    expect(() => parseGbdtModel(null)).toThrow('invalid GBDT model: not an object');
    expect(() => parseGbdtModel(mutated((m) => ((m as { kind: string }).kind = 'lr')))).toThrow(
      'kind must be "gbdt"',
    );
    expect(() => parseGbdtModel(mutated((m) => (m.trees[0]!.feature[0] = 99)))).toThrow(
      'trees[0].feature[0] must be a feature index in [0, 10)',
    );
    expect(() => parseGbdtModel(mutated((m) => (m.trees[0]!.left[0] = 0)))).toThrow(
      'trees[0]: node 0 child 0 must be a later node',
    );
    expect(() =>
      parseGbdtModel(mutated((m) => (m.trees[1]!.right[0] = m.trees[1]!.left[0] as number))),
    ).toThrow(/trees\[1\]: (node|leaf) \d+ has two parents/);
    expect(() => parseGbdtModel(mutated((m) => m.trees[0]!.leafValue.pop()))).toThrow(
      'trees[0] has 14 nodes, so needs 15 leaves',
    );
    expect(() => parseGbdtModel(mutated((m) => (m.trees[0]!.leafCount[0] = 0)))).toThrow(
      'trees[0].leafCount[0] must be a positive number',
    );
    expect(() =>
      parseGbdtModel(
        mutated((m) => {
          m.trees[0]!.rampLow[0] = 2;
          m.trees[0]!.rampHigh[0] = 1;
        }),
      ),
    ).toThrow('trees[0]: node 0 ramp must be finite numbers with rampLow < rampHigh');
  });
});
