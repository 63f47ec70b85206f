import { metricsOf, type Metrics } from '../cross-validate';
import { type FeatureRow } from '../feature-spec';
import { assertLabels } from '../labels';
import { groupFolds } from './group-folds';
import { fitCandidate, predictProbabilities } from './learners';
import { chooseLambda } from './logistic-learner';
import { leakWarnings } from './leak-warnings';
import { outOfTime, type OutOfTimeResult } from './out-of-time';
import { type TabularColumn } from './tabular-column';
import { measureImportance, type ModelKind, type TrainedModel } from './trained-model';

export interface SelectModelOptions {
  columns: readonly TabularColumn[];
  /** The kinds to try; the better by cross-validated AUC is kept. */
  kinds: readonly ModelKind[];
  /** Cross-validation folds, ≥ 2. */
  folds: number;
  /** A stable key per row (an email): folds follow it, so identical data gives identical folds. */
  keys: readonly string[];
  /** Each row's observation time (epoch ms), for the out-of-time check. */
  times: readonly number[];
  seed?: number;
  /** Called as each fit finishes (for progress output). */
  onProgress?: (message: string) => void;
}

export interface FoldMetrics extends Omit<Metrics, 'calibration' | 'lift'> {
  fold: number;
  trainRows: number;
}

export interface CrossValidatedKind {
  kind: ModelKind;
  k: number;
  seed: number;
  folds: FoldMetrics[];
  /** Over every out-of-fold prediction together. */
  pooled: Metrics;
  meanAuc: number | null;
  sdAuc: number | null;
}

/** How a version's model was chosen and how it did on data it had not seen. */
export interface ModelEvaluation {
  chosen: ModelKind;
  /** One sentence: which kind was kept and why. */
  reason: string;
  /** Every kind tried, cross-validated on the same folds. */
  candidates: CrossValidatedKind[];
  /** Trained on the earlier observation windows, validated on the later ones. */
  outOfTime: OutOfTimeResult;
  /**
   * The metrics of the score users see, when that is not the model's probability (a hybrid):
   * its AUC and lift; Brier and calibration of that score mapped to a probability out of fold.
   */
  shownScore: Metrics | null;
  /** Columns that alone nearly separate the outcomes: they may record the outcome itself. */
  warnings: string[];
}

export interface SelectedModel {
  model: TrainedModel;
  evaluation: ModelEvaluation;
  /** The chosen kind's out-of-fold probability for each row. */
  outOfFold: number[];
}

/** A kind must beat the simpler one by this much AUC to be kept instead. */
export const AUC_MARGIN = 0.002;

/**
 * Cross-validates every candidate kind on the same folds (grouped by `keys`), keeps the better
 * (the logistic regression unless another beats its AUC by `AUC_MARGIN`), checks it out of time,
 * then fits it on every row.
 */
export function selectModel(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  options: SelectModelOptions,
): SelectedModel {
  assertLabels(labels, rows.length);
  // Rows in an order of their own (by key, then time), whatever order the caller read them in
  // (a database's is arbitrary): identical data then gives identical models and metrics, since
  // early stopping holds out rows by position and sums run in row order.
  const { keys, times } = options;
  const order = rows
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0) || times[a]! - times[b]! || a - b,
    );
  const inOrder = <T>(items: readonly T[]) => order.map((i) => items[i]!);
  const selected = selectInOrder(inOrder(rows), inOrder(labels), {
    ...options,
    keys: inOrder(keys),
    times: inOrder(times),
  });
  const outOfFold = new Array<number>(rows.length);
  order.forEach((original, j) => (outOfFold[original] = selected.outOfFold[j]!));
  return { ...selected, outOfFold };
}

function selectInOrder(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  options: SelectModelOptions,
): SelectedModel {
  if (options.kinds.length === 0) throw new RangeError('no model kind to train');
  const seed = options.seed ?? 42;
  const k = options.folds;
  const foldOf = groupFolds(options.keys, labels, k, seed);
  const candidates: CrossValidatedKind[] = [];
  const outOfFold = new Map<ModelKind, number[]>();
  // λ is chosen once on every row (9 fits) rather than inside each fold (45): one
  // hyperparameter out of three candidates, at a fifth of the cost.
  const lambda = options.kinds.includes('logistic-regression')
    ? chooseLambda(rows, labels, options.columns, seed)
    : undefined;
  for (const kind of options.kinds) {
    const oof = new Array<number>(rows.length).fill(0);
    const folds: FoldMetrics[] = [];
    for (let f = 0; f < k; f++) {
      const train: number[] = [];
      const test: number[] = [];
      foldOf.forEach((g, i) => (g === f ? test : train).push(i));
      const model = fitCandidate(
        kind,
        train.map((i) => rows[i]!),
        train.map((i) => labels[i]!),
        options.columns,
        seed + f + 1,
        lambda,
      );
      const probs = predictProbabilities(
        model,
        test.map((i) => rows[i]!),
      );
      probs.forEach((p, t) => (oof[test[t]!] = p));
      const {
        calibration: _c,
        lift: _l,
        ...metrics
      } = metricsOf(
        probs,
        test.map((i) => labels[i]!),
      );
      folds.push({ fold: f + 1, trainRows: train.length, ...metrics });
      options.onProgress?.(`${kind}: fold ${f + 1} of ${k}, AUC ${metrics.auc.toFixed(3)}`);
    }
    const aucs = folds.map((r) => r.auc).filter((a) => Number.isFinite(a));
    const meanAuc = aucs.length ? aucs.reduce((s, a) => s + a, 0) / aucs.length : null;
    const sdAuc =
      aucs.length > 1 && meanAuc !== null
        ? Math.sqrt(aucs.reduce((s, a) => s + (a - meanAuc) ** 2, 0) / (aucs.length - 1))
        : null;
    candidates.push({ kind, k, seed, folds, pooled: metricsOf(oof, labels), meanAuc, sdAuc });
    outOfFold.set(kind, oof);
  }
  const { chosen, reason } = choose(candidates);
  const fitted = fitCandidate(chosen, rows, labels, options.columns, seed, lambda);
  const model = { ...fitted, importance: measureImportance(fitted, rows) };
  options.onProgress?.(`${chosen}: fitted on all ${rows.length} rows`);
  const evaluation: ModelEvaluation = {
    chosen,
    reason,
    candidates,
    outOfTime: outOfTime(rows, labels, options.times, (trainRows, trainLabels) =>
      fitCandidate(chosen, trainRows, trainLabels, options.columns, seed, lambda),
    ),
    shownScore: null,
    warnings: leakWarnings(rows, labels, options.columns),
  };
  return { model, evaluation, outOfFold: outOfFold.get(chosen)! };
}

function choose(candidates: readonly CrossValidatedKind[]): { chosen: ModelKind; reason: string } {
  const auc = (c: CrossValidatedKind) => (Number.isFinite(c.pooled.auc) ? c.pooled.auc : 0);
  let best = candidates[0]!;
  for (const c of candidates.slice(1)) if (auc(c) > auc(best) + AUC_MARGIN) best = c;
  const describe = (c: CrossValidatedKind) => `${c.kind} ${auc(c).toFixed(3)}`;
  if (candidates.length === 1) {
    return {
      chosen: best.kind,
      reason: `Only ${best.kind} was trained: cross-validated AUC ${auc(best).toFixed(3)}.`,
    };
  }
  const others = candidates.filter((c) => c !== best);
  const first = candidates[0]!;
  const why =
    best === first
      ? `no other kind beat it by more than ${AUC_MARGIN} AUC, and it is the simpler model`
      : `it beat ${first.kind} by ${(auc(best) - auc(first)).toFixed(3)} AUC`;
  return {
    chosen: best.kind,
    reason: `Kept ${best.kind} (cross-validated AUC ${describe(best).split(' ')[1]} against ${others
      .map(describe)
      .join(', ')}): ${why}.`,
  };
}
