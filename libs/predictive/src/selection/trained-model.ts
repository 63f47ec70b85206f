import { type FeatureRow } from '../feature-spec';
import { type PredictiveModel } from '../predictive-model';
import { logisticContributions } from './logistic-learner';
import { treeContributions, type TreeModel } from './tree-learner';

/** A model a version can hold: plain JSON, stored as-is. */
export type TrainedModel = PredictiveModel | TreeModel;
export type ModelKind = TrainedModel['kind'];

/** A row's log-odds, explained. */
export interface Explanation {
  logit: number;
  /** The log-odds the contributions are measured from: the model's average training row. */
  reference: number;
  /** The columns (or interactions) explained: the same array for every row of a model. */
  names: readonly string[];
  /** Log-odds per name, in the order of `names`: they sum to logit − reference. */
  contributions: Float64Array;
}

export function explainModel(model: TrainedModel, row: FeatureRow): Explanation {
  return model.kind === 'logistic-regression'
    ? logisticContributions(model, row)
    : treeContributions(model, row);
}

/** The contributions by name, for callers that look them up. */
export function contributionsByName(explanation: Explanation): Map<string, number> {
  return new Map(explanation.names.map((name, i) => [name, explanation.contributions[i]!]));
}

/**
 * How much each column moves scores on average (mean |contribution| in log-odds over the training
 * rows). Stored with models trained since it existed; for older logistic models estimated from
 * the weights and training means (a one-hot feature on for a share m of the rows moves the
 * log-odds by |w|·2m(1 − m) on average; a standardised value by |w|·0.8).
 */
const importanceCache = new WeakMap<TrainedModel, Map<string, number>>();

export function columnImportance(model: TrainedModel): Map<string, number> {
  let cached = importanceCache.get(model);
  if (!cached) {
    cached = computeImportance(model);
    importanceCache.set(model, cached);
  }
  return cached;
}

function computeImportance(model: TrainedModel): Map<string, number> {
  if (model.importance) return new Map(Object.entries(model.importance));
  if (model.kind !== 'logistic-regression') return new Map();
  const out = new Map<string, number>();
  for (const group of model.encoder.groups) {
    let total = 0;
    for (let j = group.start; j < group.end; j++) {
      const w = Math.abs(model.weights[j] as number);
      const name = model.encoder.featureNames[j] as string;
      const m = model.featureMeans[j] as number;
      total += name.endsWith('(standardised)') ? 0.8 * w : 2 * w * m * (1 - Math.min(1, m));
    }
    out.set(group.name, total);
  }
  return out;
}

/** Rows importance is measured on, at most (an even sample of the training rows). */
const IMPORTANCE_ROWS = 5_000;

/** Mean |contribution| per column over (a sample of) the training rows, for storing. */
export function measureImportance(
  model: TrainedModel,
  rows: readonly FeatureRow[],
): Record<string, number> {
  const step = Math.max(1, Math.floor(rows.length / IMPORTANCE_ROWS));
  const sums = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < rows.length; i += step) {
    const { names, contributions } = explainModel(model, rows[i]!);
    names.forEach((name, j) => sums.set(name, (sums.get(name) ?? 0) + Math.abs(contributions[j]!)));
    n++;
  }
  return Object.fromEntries([...sums].map(([name, s]) => [name, n ? s / n : 0]));
}
