import { describe, expect, it } from 'vitest';
import { linearPredictor, predictProbability, trainLogistic } from './logistic-regression';
import { logit, sigmoid } from './probabilities';
import { createRng, normal } from './rng';
import { rocAuc } from './roc-auc';
import { toSparse } from './sparse-vector';

const TRUE_WEIGHTS = [1.5, -2, 0.5];
const TRUE_INTERCEPT = -1;

/** Rows x ~ N(0, I) and outcomes drawn from the true logistic model, from a fixed seed. */
function synthetic(n: number, seed: number) {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = TRUE_WEIGHTS.map(() => normal(rng));
    const p = sigmoid(TRUE_INTERCEPT + x.reduce((s, v, j) => s + v * TRUE_WEIGHTS[j]!, 0));
    X.push(x);
    y.push(rng() < p ? 1 : 0);
  }
  return { X, y };
}

describe('trainLogistic', () => {
  const { X, y } = synthetic(5_000, 11);
  const fit = trainLogistic(X, y, { lambda: 1 });

  it('recovers the weights that generated the data', () => {
    expect(fit.method).toBe('newton');
    expect(fit.converged).toBe(true);
    fit.weights.forEach((w, j) => expect(Math.abs(w - TRUE_WEIGHTS[j]!)).toBeLessThan(0.15));
    expect(Math.abs(fit.intercept - TRUE_INTERCEPT)).toBeLessThan(0.15);
  });

  it('ranks a fresh sample well', () => {
    const test = synthetic(2_000, 12);
    const probs = test.X.map((x) => predictProbability(fit, x));
    expect(rocAuc(probs, test.y)).toBeGreaterThan(0.85);
  });

  it('leaves the intercept unpenalised: mean prediction equals the base rate', () => {
    const strong = trainLogistic(X, y, { lambda: 1e9 });
    const baseRate = y.reduce((s, v) => s + v, 0) / y.length;
    strong.weights.forEach((w) => expect(Math.abs(w)).toBeLessThan(1e-4));
    expect(strong.intercept).toBeCloseTo(logit(baseRate), 4);
    const meanP = X.reduce((s, x) => s + predictProbability(fit, x), 0) / X.length;
    expect(meanP).toBeCloseTo(baseRate, 8);
  });

  it('gives the same answer with L-BFGS, sparse input and a warm start', () => {
    const lbfgs = trainLogistic(X, y, { lambda: 1, method: 'lbfgs' });
    expect(lbfgs.converged).toBe(true);
    expect(lbfgs.objective).toBeCloseTo(fit.objective, 4);
    lbfgs.weights.forEach((w, j) => expect(w).toBeCloseTo(fit.weights[j]!, 3));
    const sparse = trainLogistic(
      X.map((x) => toSparse(x)),
      y,
      { lambda: 1, width: 3 },
    );
    expect(sparse.weights).toEqual(fit.weights);
    const warm = trainLogistic(X, y, { lambda: 1, initial: fit });
    expect(warm.iterations).toBeLessThanOrEqual(2);
    warm.weights.forEach((w, j) => expect(w).toBeCloseTo(fit.weights[j]!, 8));
  });

  it('is deterministic', () => {
    expect(trainLogistic(X, y, { lambda: 1 })).toEqual(fit);
  });

  it('shrinks weights as λ grows', () => {
    const norm = (w: number[]) => Math.hypot(...w);
    const l100 = trainLogistic(X, y, { lambda: 100 });
    const l1000 = trainLogistic(X, y, { lambda: 1000 });
    expect(norm(l100.weights)).toBeLessThan(norm(fit.weights));
    expect(norm(l1000.weights)).toBeLessThan(norm(l100.weights));
  });

  it('computes the log-odds for dense and sparse vectors alike', () => {
    const model = { weights: [1, -2, 0.5], intercept: 0.25 };
    expect(linearPredictor(model, [2, 1, 4])).toBe(2.25);
    expect(linearPredictor(model, { indices: [0, 2], values: [2, 4] })).toBe(4.25);
  });

  it('refuses bad input', () => {
    expect(() => trainLogistic([[1]], [1], { lambda: -1 })).toThrow(/lambda/);
    expect(() => trainLogistic([[1], [1, 2]], [1, 0], { lambda: 1 })).toThrow(/length/);
    expect(() => trainLogistic([{ indices: [0], values: [1] }], [1], { lambda: 1 })).toThrow(
      /width/,
    );
    expect(() =>
      trainLogistic([{ indices: [3], values: [1] }], [1], { lambda: 1, width: 2 }),
    ).toThrow(/ascending integers/);
  });
});
