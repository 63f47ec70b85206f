import { brierScore, logLoss } from './brier-score';
import { calibrationTable, type CalibrationRow } from './calibration-table';
import { type FeatureRow, type FeatureSpec } from './feature-spec';
import { encodeRows, fitPath, pick } from './fit-rows';
import { assertLabels, countOutcomes } from './labels';
import { liftByDecile, type LiftRow } from './lift-by-decile';
import { predictProbability } from './logistic-regression';
import { createRng } from './rng';
import { rocAuc } from './roc-auc';
import { selectLambda, type LambdaChoice } from './select-lambda';
import { stratifiedFolds } from './stratified-folds';

export interface CrossValidationOptions {
  spec: FeatureSpec;
  /** A fixed λ, or a grid to choose from by inner cross-validation inside each training fold. */
  lambda: number | readonly number[];
  /** Folds of the inner cross-validation that picks λ from a grid. Default 3. */
  innerFolds?: number;
  /** Rows of the calibration and lift tables. Default 10. */
  bins?: number;
  /** Called after each fold (for progress output). */
  onFold?: (fold: FoldResult) => void;
}

export interface Metrics {
  rows: number;
  conversions: number;
  baseRate: number | null;
  /** NaN when undefined (a fold with no conversions). */
  auc: number;
  brier: number;
  logLoss: number;
  calibration: CalibrationRow[];
  lift: LiftRow[];
}

export interface FoldResult extends Metrics {
  /** 1-based. */
  fold: number;
  trainRows: number;
  /** λ used for this fold (chosen on its training rows when a grid was given). */
  lambda: number;
  lambdaChoice: LambdaChoice | null;
}

export interface CrossValidationSummary {
  k: number;
  seed: number;
  folds: FoldResult[];
  /** Metrics over all out-of-fold predictions together. */
  pooled: Metrics;
  meanAuc: number;
  sdAuc: number;
}

export interface CrossValidationResult extends CrossValidationSummary {
  /** Each row's predicted probability from the model that did not see it. */
  outOfFold: number[];
}

export function metricsOf(probs: readonly number[], labels: readonly number[], bins = 10): Metrics {
  const counts = countOutcomes(labels);
  return {
    rows: counts.total,
    conversions: counts.conversions,
    baseRate: counts.baseRate,
    auc: rocAuc(probs, labels),
    brier: brierScore(probs, labels),
    logLoss: logLoss(probs, labels),
    calibration: calibrationTable(probs, labels, bins),
    lift: liftByDecile(probs, labels, bins),
  };
}

/**
 * Stratified k-fold cross-validation of encoder + logistic regression. Folds are drawn with
 * a PRNG seeded by `seed`; the encoder (levels, bins, means) and λ are fitted on each training
 * part only, never on its test fold.
 */
export function crossValidate(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  k: number,
  seed: number,
  options: CrossValidationOptions,
): CrossValidationResult {
  assertLabels(labels, rows.length);
  const bins = options.bins ?? 10;
  const foldOf = stratifiedFolds(labels, k, createRng(seed));
  const outOfFold = new Array<number>(rows.length).fill(0);
  const folds: FoldResult[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    foldOf.forEach((g, i) => (g === f ? test : train).push(i));
    const trainRows = pick(rows, train);
    const trainLabels = pick(labels, train);
    const lambdaChoice =
      typeof options.lambda === 'number'
        ? null
        : selectLambda(
            trainRows,
            trainLabels,
            options.spec,
            options.lambda,
            options.innerFolds ?? 3,
            seed + f + 1,
          );
    const lambda = lambdaChoice ? lambdaChoice.lambda : (options.lambda as number);
    const path = fitPath(trainRows, trainLabels, options.spec, [lambda]);
    const fit = path.fits[0]!;
    const probs = encodeRows(path.encoder, pick(rows, test)).map((x) => predictProbability(fit, x));
    probs.forEach((p, t) => {
      outOfFold[test[t] as number] = p;
    });
    const result: FoldResult = {
      fold: f + 1,
      trainRows: train.length,
      lambda,
      lambdaChoice,
      ...metricsOf(probs, pick(labels, test), bins),
    };
    folds.push(result);
    options.onFold?.(result);
  }
  const aucs = folds.map((r) => r.auc);
  const meanAuc = aucs.reduce((s, a) => s + a, 0) / k;
  const sdAuc = Math.sqrt(aucs.reduce((s, a) => s + (a - meanAuc) ** 2, 0) / Math.max(1, k - 1));
  return { k, seed, folds, pooled: metricsOf(outOfFold, labels, bins), meanAuc, sdAuc, outOfFold };
}
