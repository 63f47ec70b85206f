import { type FeatureRow } from '../feature-spec';
import { sigmoid } from '../probabilities';
import { fitLogistic, logisticLogit } from './logistic-learner';
import { fitTrees, treeLogit } from './tree-learner';
import { type TabularColumn } from './tabular-column';
import { type ModelKind, type TrainedModel } from './trained-model';

/** Fits one model of the given kind (`seed` for anything random in it). */
export function fitCandidate(
  kind: ModelKind,
  rows: readonly FeatureRow[],
  labels: readonly number[],
  columns: readonly TabularColumn[],
  seed: number,
  /** A logistic regression's λ, when already chosen (default: by inner cross-validation). */
  lambda?: number,
): TrainedModel {
  switch (kind) {
    case 'logistic-regression':
      return fitLogistic(rows, labels, columns, seed, lambda);
    case 'gradient-boosted-trees':
      return fitTrees(rows, labels, columns, seed);
  }
}

export function predictLogit(model: TrainedModel, row: FeatureRow): number {
  switch (model.kind) {
    case 'logistic-regression':
      return logisticLogit(model, row);
    case 'gradient-boosted-trees':
      return treeLogit(model, row);
  }
}

export function predictProbabilities(model: TrainedModel, rows: readonly FeatureRow[]): number[] {
  return rows.map((row) => sigmoid(predictLogit(model, row)));
}
