import { assertEnoughOutcomes, MIN_CONVERSIONS } from './cold-start';
import { crossValidate, type CrossValidationSummary, type FoldResult } from './cross-validate';
import { encode } from './encode';
import { type Encoder } from './encoder';
import { type FeatureRow, type FeatureSpec } from './feature-spec';
import { fitPath } from './fit-rows';
import { assertLabels, countOutcomes } from './labels';
import { selectLambda, type LambdaChoice } from './select-lambda';

/** A trained predictive model: plain JSON, stored as-is. */
export interface PredictiveModel {
  kind: 'logistic-regression';
  version: 1;
  spec: FeatureSpec;
  encoder: Encoder;
  weights: number[];
  intercept: number;
  lambda: number;
  /** Training mean of each feature: the baseline that reason codes are measured from. */
  featureMeans: number[];
  training: {
    rows: number;
    conversions: number;
    baseRate: number;
    iterations: number;
    converged: boolean;
    /** How λ was chosen, when a grid was given. */
    lambdaChoice: LambdaChoice | null;
  };
  /** Cross-validated metrics of the same recipe (null when cross-validation was skipped). */
  metrics: CrossValidationSummary | null;
  /**
   * Mean |contribution| in log-odds of each column over the training rows (absent in models
   * trained before it was stored).
   */
  importance?: Record<string, number>;
}

export interface TrainPredictiveOptions {
  spec: FeatureSpec;
  /** A fixed λ, or a grid to choose from by cross-validation. */
  lambda: number | readonly number[];
  /** Cross-validation folds for the stored metrics; 0 to skip. Default 5. */
  folds?: number;
  /** Folds for choosing λ from a grid. Default 3. */
  innerFolds?: number;
  seed?: number;
  /** Default `MIN_CONVERSIONS`. */
  minConversions?: number;
  /** Called after each cross-validation fold (for progress output). */
  onFold?: (fold: FoldResult) => void;
}

/**
 * Trains a model on a workspace's outcomes: refuses with `ColdStartError` when there are too
 * few, cross-validates the recipe (metrics stored with the model), chooses λ from a grid by
 * cross-validation, then fits the encoder and weights on every row.
 */
export function trainPredictiveModel(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  options: TrainPredictiveOptions,
): PredictiveModel {
  assertLabels(labels, rows.length);
  assertEnoughOutcomes(labels, options.minConversions ?? MIN_CONVERSIONS);
  const seed = options.seed ?? 42;
  const folds = options.folds ?? 5;
  const innerFolds = options.innerFolds ?? 3;
  let metrics: CrossValidationSummary | null = null;
  if (folds > 0) {
    const { outOfFold: _outOfFold, ...summary } = crossValidate(rows, labels, folds, seed, {
      spec: options.spec,
      lambda: options.lambda,
      innerFolds,
      onFold: options.onFold,
    });
    metrics = summary;
  }
  const lambdaChoice =
    typeof options.lambda === 'number'
      ? null
      : selectLambda(rows, labels, options.spec, options.lambda, innerFolds, seed);
  const lambda = lambdaChoice ? lambdaChoice.lambda : (options.lambda as number);
  const { encoder, fits } = fitPath(rows, labels, options.spec, [lambda]);
  const fit = fits[0]!;
  const featureMeans = new Array<number>(encoder.width).fill(0);
  for (const row of rows) {
    const x = encode(encoder, row);
    x.indices.forEach((j, k) => {
      featureMeans[j]! += x.values[k] as number;
    });
  }
  for (let j = 0; j < featureMeans.length; j++) featureMeans[j]! /= rows.length;
  const counts = countOutcomes(labels);
  return {
    kind: 'logistic-regression',
    version: 1,
    spec: options.spec,
    encoder,
    weights: fit.weights,
    intercept: fit.intercept,
    lambda,
    featureMeans,
    training: {
      rows: counts.total,
      conversions: counts.conversions,
      baseRate: counts.baseRate as number,
      iterations: fit.iterations,
      converged: fit.converged,
      lambdaChoice,
    },
    metrics,
  };
}

export interface FeatureWeight {
  feature: string;
  weight: number;
  /** Share of training rows with the feature on (one-hot features), or its mean. */
  mean: number;
}

/** The `n` features with the largest |weight| (log-odds per unit), largest first. */
export function topFeatures(model: PredictiveModel, n = 15): FeatureWeight[] {
  return model.weights
    .map((weight, j) => ({
      feature: model.encoder.featureNames[j] as string,
      weight,
      mean: model.featureMeans[j] as number,
    }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1))
    .slice(0, n);
}
