import { encode } from '../encode';
import { type FeatureRow, type FeatureSpec } from '../feature-spec';
import { linearPredictor } from '../logistic-regression';
import { selectLambda } from '../select-lambda';
import { trainPredictiveModel, type PredictiveModel } from '../predictive-model';
import { LEVEL_MIN_COUNT, NUMBER_KNOTS, type TabularColumn } from './tabular-column';

/** λ candidates, chosen by inner cross-validation on the rows being fitted. */
export const LOGISTIC_LAMBDA_GRID: readonly number[] = Object.freeze([1, 10, 100]);

/**
 * The recipe a logistic regression learns columns by: a category one-hot (rare levels pooled),
 * a number as a piecewise-linear curve through knots at its quantiles plus a missing flag, so
 * the log-odds are continuous in every number.
 */
export function logisticSpec(columns: readonly TabularColumn[]): FeatureSpec {
  return {
    columns: columns.map((c) =>
      c.type === 'category'
        ? { kind: 'categorical', name: c.name, minCount: LEVEL_MIN_COUNT }
        : { kind: 'numeric', name: c.name, bins: 0, knots: NUMBER_KNOTS },
    ),
  };
}

/** Fits a logistic regression with λ given, or chosen from the grid by inner 3-fold CV. */
export function fitLogistic(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  columns: readonly TabularColumn[],
  seed: number,
  lambda?: number,
): PredictiveModel {
  return trainPredictiveModel(rows, labels, {
    spec: logisticSpec(columns),
    lambda: lambda ?? LOGISTIC_LAMBDA_GRID,
    folds: 0,
    innerFolds: 3,
    seed,
    minConversions: 1,
  });
}

export function logisticLogit(model: PredictiveModel, row: FeatureRow): number {
  return linearPredictor(model, encode(model.encoder, row));
}

const groupNames = new WeakMap<PredictiveModel, string[]>();

/**
 * Each column's (or interaction's) log-odds relative to the model's average row: Σⱼ wⱼ(xⱼ − x̄ⱼ)
 * over its features. They sum to logit − reference.
 */
export function logisticContributions(
  model: PredictiveModel,
  row: FeatureRow,
): { logit: number; reference: number; names: readonly string[]; contributions: Float64Array } {
  const x = encode(model.encoder, row);
  const active = new Float64Array(model.encoder.width);
  x.indices.forEach((j, k) => (active[j] = x.values[k] as number));
  let names = groupNames.get(model);
  if (!names) {
    names = model.encoder.groups.map((g) => g.name);
    groupNames.set(model, names);
  }
  const contributions = new Float64Array(names.length);
  let reference = model.intercept;
  let logit = model.intercept;
  model.encoder.groups.forEach((group, g) => {
    let c = 0;
    for (let j = group.start; j < group.end; j++) {
      const w = model.weights[j] as number;
      const mean = model.featureMeans[j] as number;
      const v = active[j]!;
      reference += w * mean;
      logit += w * v;
      c += w * (v - mean);
    }
    contributions[g] = c;
  });
  return { logit, reference, names, contributions };
}

/** λ chosen once from the grid by 3-fold cross-validation on every row. */
export function chooseLambda(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  columns: readonly TabularColumn[],
  seed: number,
): number {
  return selectLambda(rows, labels, logisticSpec(columns), LOGISTIC_LAMBDA_GRID, 3, seed).lambda;
}
