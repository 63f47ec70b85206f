import { logLoss } from './brier-score';
import { type FeatureRow, type FeatureSpec } from './feature-spec';
import { encodeRows, fitPath, pick } from './fit-rows';
import { assertLabels } from './labels';
import { predictProbability } from './logistic-regression';
import { createRng } from './rng';
import { rocAuc } from './roc-auc';
import { stratifiedFolds } from './stratified-folds';

export interface LambdaCandidate {
  lambda: number;
  /** Pooled out-of-fold log-loss (lower is better): the selection criterion. */
  logLoss: number;
  /** Pooled out-of-fold AUC, for information. */
  auc: number;
}

export interface LambdaChoice {
  lambda: number;
  folds: number;
  candidates: LambdaCandidate[];
}

/**
 * Picks λ from `grid` by `folds`-fold cross-validation on the given rows only (pass just the
 * training part of an outer fold, so the test fold is never seen): the λ with the lowest
 * pooled out-of-fold log-loss, the larger λ on a tie.
 */
export function selectLambda(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  spec: FeatureSpec,
  grid: readonly number[],
  folds: number,
  seed: number,
): LambdaChoice {
  assertLabels(labels, rows.length);
  if (grid.length === 0) throw new RangeError('the λ grid is empty');
  const lambdas = [...new Set(grid)].sort((a, b) => b - a);
  const foldOf = stratifiedFolds(labels, folds, createRng(seed));
  const oof = lambdas.map(() => new Array<number>(rows.length).fill(0));
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((g, i) => (g === f ? test : train).push(i));
    const path = fitPath(pick(rows, train), pick(labels, train), spec, lambdas);
    const X = encodeRows(path.encoder, pick(rows, test));
    path.fits.forEach((fit, l) => {
      X.forEach((x, t) => {
        oof[l]![test[t] as number] = predictProbability(fit, x);
      });
    });
  }
  const candidates = lambdas.map((lambda, l) => ({
    lambda,
    logLoss: logLoss(oof[l]!, labels),
    auc: rocAuc(oof[l]!, labels),
  }));
  let best = candidates[0]!;
  for (const c of candidates) if (c.logLoss < best.logLoss) best = c;
  return {
    lambda: best.lambda,
    folds,
    candidates: [...candidates].sort((a, b) => a.lambda - b.lambda),
  };
}
