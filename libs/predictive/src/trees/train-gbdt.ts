import { createRng, type Rng } from '../rng';
import { binColumn, featureBins, type FeatureBins } from './bin-edges';
import { compileForest, subtreeValue } from './compiled-forest';
import { type GbdtModel, type GbdtTrainingSummary, type GbdtTree } from './gbdt-model';
import {
  GrowWorkspace,
  growTree,
  type BinnedData,
  type GrowParams,
  type GrownTree,
} from './grow-tree';

/**
 * Histogram-based gradient boosting of trees for a binary outcome (log loss), in the manner
 * of LightGBM and scikit-learn's HistGradientBoostingClassifier: quantile bins per feature,
 * leaf-wise growth bounded by depth and leaf count, Newton leaf values with L2 regularisation,
 * shrinkage folded into the leaves, optional row and feature subsampling per tree, and early
 * stopping on the validation log loss (an inner stratified split by default) keeping the best
 * number of trees. Deterministic: the same inputs and seed give the same model, bit for bit.
 */
export interface GbdtOptions {
  /** One name per column. */
  featureNames: readonly string[];
  /**
   * Time-varying features (per column, or by name): their splits become linear ramps between
   * the mean training values of the bins either side of the threshold, so predictions are
   * continuous in them. Trees are grown with ordinary splits; the ramps apply when predicting
   * (early stopping already judges the model with them).
   */
  softFeatures?: readonly boolean[] | readonly string[];
  /** Shrinkage per tree. Default 0.1. */
  learningRate?: number;
  /** Trees at most (exactly this many, unless a tree finds no split, without early stopping). Default 1000. */
  maxTrees?: number;
  /** Longest root-to-leaf path. Default 5 (at most 16). */
  maxDepth?: number;
  /** Leaves per tree at most. Default 15. */
  maxLeaves?: number;
  /** Training rows per leaf at least. Default 20. */
  minSamplesLeaf?: number;
  /** Hessian sum per leaf at least. Default 1e-3. */
  minChildWeight?: number;
  /** L2 penalty on leaf values (λ in −G/(H + λ)). Default 1. */
  l2?: number;
  /** A split must reduce the loss by more than this. Default 0. */
  minSplitGain?: number;
  /** Value bins per feature, 2 … 65535 (up to 255 keeps bin codes in one byte). Default 255. */
  maxBins?: number;
  /**
   * Value bins of a soft (time-varying) feature at most, 2 … maxBins. Fewer, wider bins give
   * wider ramps: a score that drifts by slivers as time passes rather than in steep slopes.
   * Default 32.
   */
  softMaxBins?: number;
  /** Share of training rows each tree sees (drawn without replacement). Default 1. */
  subsample?: number;
  /** Share of features each tree may split on. Default 1. */
  featureFraction?: number;
  /** Seeds the validation split and the subsampling. Default 0. */
  seed?: number;
  /**
   * Early stopping: stop after `patience` rounds without the validation log loss falling by
   * more than `minDelta`, and keep the trees up to its minimum. The validation rows are
   * `validation` when given, else a stratified `validationFraction` of the rows (held out of
   * training). `false`: grow `maxTrees` trees on every row (e.g. to refit with a number of
   * trees found before). Default { validationFraction: 0.1, patience: 20, minDelta: 1e-7 }.
   */
  earlyStopping?: false | { validationFraction?: number; patience?: number; minDelta?: number };
  /** An explicit validation set for early stopping (columns as for training). */
  validation?: { columns: readonly Float64Array[]; labels: ArrayLike<number> };
}

const MAX_DEPTH_LIMIT = 16;

export function trainGbdt(
  columns: readonly Float64Array[],
  labels: ArrayLike<number>,
  options: GbdtOptions,
): GbdtModel {
  const width = columns.length;
  const names = [...options.featureNames];
  if (width === 0) throw new RangeError('trainGbdt needs at least one feature column');
  if (names.length !== width) {
    throw new RangeError(`featureNames has ${names.length} names for ${width} columns`);
  }
  const n = labels.length;
  checkColumns(columns, n, 'columns');
  checkLabels(labels, 'labels');
  const soft = softFlags(options.softFeatures, names);

  const learningRate = positive(options.learningRate ?? 0.1, 'learningRate');
  const maxTrees = integerIn(options.maxTrees ?? 1000, 1, 1_000_000, 'maxTrees');
  const maxDepth = integerIn(options.maxDepth ?? 5, 1, MAX_DEPTH_LIMIT, 'maxDepth');
  const maxLeaves = integerIn(options.maxLeaves ?? 15, 2, 1 << 16, 'maxLeaves');
  const minSamplesLeaf = integerIn(
    options.minSamplesLeaf ?? 20,
    1,
    Number.MAX_SAFE_INTEGER,
    'minSamplesLeaf',
  );
  const minChildWeight = nonNegative(options.minChildWeight ?? 1e-3, 'minChildWeight');
  const l2 = nonNegative(options.l2 ?? 1, 'l2');
  const minSplitGain = nonNegative(options.minSplitGain ?? 0, 'minSplitGain');
  const maxBins = integerIn(options.maxBins ?? 255, 2, 65_535, 'maxBins');
  const softMaxBins = integerIn(options.softMaxBins ?? 32, 2, maxBins, 'softMaxBins');
  const subsample = fraction(options.subsample ?? 1, 'subsample');
  const featureFraction = fraction(options.featureFraction ?? 1, 'featureFraction');
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const rng = createRng(seed);

  // Which rows train and which validate.
  const stopping = options.earlyStopping;
  if (stopping === false && options.validation) {
    throw new RangeError('validation was given but earlyStopping is false');
  }
  const stopOptions = stopping === false ? null : (stopping ?? {});
  const patience = stopOptions
    ? integerIn(stopOptions.patience ?? 20, 1, 1_000_000, 'earlyStopping.patience')
    : 0;
  const minDelta = stopOptions
    ? nonNegative(stopOptions.minDelta ?? 1e-7, 'earlyStopping.minDelta')
    : 0;
  let trainRows: Uint32Array;
  let validation: { rows: Float64Array; labels: Float64Array; n: number } | null = null;
  if (!stopOptions) {
    trainRows = identity(n);
  } else if (options.validation) {
    const v = options.validation;
    if (v.columns.length !== width) {
      throw new RangeError(`validation has ${v.columns.length} columns, expected ${width}`);
    }
    checkColumns(v.columns, v.labels.length, 'validation.columns');
    checkLabels(v.labels, 'validation.labels');
    if (v.labels.length === 0) throw new RangeError('validation has no rows');
    trainRows = identity(n);
    validation = rowMajor(v.columns, identity(v.labels.length), v.labels);
  } else {
    const share = stopOptions.validationFraction ?? 0.1;
    if (!(share > 0 && share < 1)) {
      throw new RangeError(`earlyStopping.validationFraction must be in (0, 1), got ${share}`);
    }
    const split = stratifiedHoldout(labels, share, rng);
    if (split.validation.length === 0) {
      throw new RangeError(
        `${n} rows leave none for early stopping; pass earlyStopping: false or more rows`,
      );
    }
    trainRows = split.train;
    validation = rowMajor(columns, split.validation, labels);
  }
  const nTrain = trainRows.length;
  let positives = 0;
  const y = new Float64Array(nTrain);
  for (let i = 0; i < nTrain; i++) {
    y[i] = labels[trainRows[i] as number] as number;
    positives += y[i] as number;
  }
  if (positives === 0 || positives === nTrain) {
    throw new RangeError('the training rows need both outcomes (some 1 labels and some 0 labels)');
  }

  // Bins, computed on the training rows only.
  const bins: FeatureBins[] = columns.map((col, j) =>
    featureBins(col, trainRows, soft[j] ? softMaxBins : maxBins),
  );
  const wide = maxBins > 255;
  const valueBins = Int32Array.from(bins, (b) => b.edges.length + 1);
  const offset = new Int32Array(width);
  let totalBins = 0;
  for (let f = 0; f < width; f++) {
    offset[f] = totalBins;
    totalBins += (valueBins[f] as number) + 1;
  }
  const data: BinnedData = {
    n: nTrain,
    bins: columns.map((col, f) => binColumn(col, trainRows, (bins[f] as FeatureBins).edges, wide)),
    valueBins,
    offset,
    totalBins,
  };
  const binMeans = columns.map((col, f) =>
    soft[f]
      ? meanPerBin(col, trainRows, data.bins[f] as Uint8Array | Uint16Array, valueBins[f] as number)
      : null,
  );

  const params: GrowParams = {
    maxDepth,
    maxLeaves,
    minSamplesLeaf,
    minChildWeight,
    l2,
    minSplitGain,
    learningRate,
  };
  const baseLogit = Math.log(positives / (nTrain - positives));
  const model: GbdtModel = {
    kind: 'gbdt',
    version: 1,
    featureNames: names,
    softFeatures: soft,
    baseLogit,
    trees: [],
    training: {
      rows: nTrain,
      validationRows: validation ? validation.n : 0,
      learningRate,
      maxDepth,
      maxLeaves,
      minSamplesLeaf,
      l2,
      maxBins,
      softMaxBins,
      subsample,
      featureFraction,
      seed,
      rounds: 0,
      validationLogLoss: null,
      stop: 'max-trees',
    },
  };

  const F = new Float64Array(nTrain).fill(baseLogit);
  const g = new Float64Array(nTrain);
  const h = new Float64Array(nTrain);
  const ws = new GrowWorkspace(totalBins * 3, nTrain);
  const sampleSize = Math.max(1, Math.round(subsample * nTrain));
  const rows = new Uint32Array(sampleSize);
  const allRows = identity(nTrain);
  const featureCount = Math.max(1, Math.round(featureFraction * width));
  const allFeatures = Int32Array.from({ length: width }, (_, f) => f);
  const Fval = validation ? new Float64Array(validation.n).fill(baseLogit) : null;
  let bestLoss = validation ? meanLogLoss(Fval as Float64Array, validation.labels) : Infinity;
  let bestTrees = 0;
  let sinceBest = 0;
  const kept: GbdtTree[] = [];
  let stop: GbdtTrainingSummary['stop'] = 'max-trees';
  let rounds = 0;

  for (let round = 0; round < maxTrees; round++) {
    for (let i = 0; i < nTrain; i++) {
      const p = sigmoidOf(F[i] as number);
      g[i] = p - (y[i] as number);
      h[i] = Math.max(p * (1 - p), 1e-16);
    }
    const sampled = sampleSize < nTrain;
    if (sampled) rows.set(sampleRows(nTrain, sampleSize, rng));
    else rows.set(allRows);
    const features = featureCount < width ? sampleFeatures(width, featureCount, rng) : allFeatures;
    const grown = growTree(data, g, h, rows, !sampled, features, params, ws);
    if (grown.feature.length === 0) {
      stop = 'no-split';
      break;
    }
    rounds++;
    const tree = toModelTree(grown, bins, binMeans, valueBins);
    if (sampled) addTreeBinned(grown, data, F);
    else {
      for (let l = 0; l < grown.leafValue.length; l++) {
        const v = grown.leafValue[l] as number;
        for (let k = grown.leafStart[l] as number; k < (grown.leafEnd[l] as number); k++) {
          const r = rows[k] as number;
          F[r] = (F[r] as number) + v;
        }
      }
    }
    kept.push(tree);
    if (validation && Fval) {
      const single = compileForest({ ...model, trees: [tree] });
      for (let i = 0; i < validation.n; i++) {
        Fval[i] =
          (Fval[i] as number) +
          subtreeValue(single, single.root[0] as number, validation.rows, i * width);
      }
      const loss = meanLogLoss(Fval, validation.labels);
      if (loss < bestLoss - minDelta) {
        bestLoss = loss;
        bestTrees = kept.length;
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        stop = 'early-stopping';
        break;
      }
    }
  }
  model.trees = validation ? kept.slice(0, bestTrees) : kept;
  model.training.rounds = rounds;
  model.training.stop = stop;
  model.training.validationLogLoss = validation ? bestLoss : null;
  return model;
}

function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Mean of log(1 + e^F) − y·F. */
function meanLogLoss(F: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < F.length; i++) {
    const f = F[i] as number;
    const softplus = f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
    s += softplus - (y[i] as number) * f;
  }
  return s / F.length;
}

/** The grown tree with value thresholds and, on soft features, ramps between bin means. */
function toModelTree(
  grown: GrownTree,
  bins: readonly FeatureBins[],
  binMeans: readonly (Float64Array | null)[],
  valueBins: Int32Array,
): GbdtTree {
  const nodes = grown.feature.length;
  const threshold: (number | null)[] = [];
  const rampLow: (number | null)[] = [];
  const rampHigh: (number | null)[] = [];
  for (let k = 0; k < nodes; k++) {
    const f = grown.feature[k] as number;
    const b = grown.binThreshold[k] as number;
    const allPresent = b >= (valueBins[f] as number) - 1;
    threshold.push(allPresent ? null : ((bins[f] as FeatureBins).edges[b] as number));
    const means = binMeans[f];
    let lo: number | null = null;
    let hi: number | null = null;
    if (means && !allPresent) {
      const a = means[b] as number;
      const c = means[b + 1] as number;
      if (Number.isFinite(a) && Number.isFinite(c) && a < c) {
        lo = a;
        hi = c;
      }
    }
    rampLow.push(lo);
    rampHigh.push(hi);
  }
  return {
    feature: grown.feature,
    threshold,
    missingLeft: grown.missingLeft,
    left: grown.left,
    right: grown.right,
    rampLow,
    rampHigh,
    leafValue: grown.leafValue,
    leafCount: grown.leafCount,
  };
}

/** Mean training value per value bin (NaN for an empty bin). */
function meanPerBin(
  column: Float64Array,
  rows: Uint32Array,
  codes: Uint8Array | Uint16Array,
  valueBins: number,
): Float64Array {
  const sum = new Float64Array(valueBins);
  const count = new Float64Array(valueBins);
  for (let i = 0; i < rows.length; i++) {
    const b = codes[i] as number;
    if (b < valueBins) {
      sum[b] = (sum[b] as number) + (column[rows[i] as number] as number);
      count[b] = (count[b] as number) + 1;
    }
  }
  return sum.map((s, b) => (count[b] ? s / (count[b] as number) : Number.NaN));
}

/** Adds a tree's values to F for every training row, walking the tree on bin codes. */
function addTreeBinned(grown: GrownTree, data: BinnedData, F: Float64Array): void {
  for (let i = 0; i < data.n; i++) {
    let r = 0;
    while (r >= 0) {
      const f = grown.feature[r] as number;
      const b = (data.bins[f] as Uint8Array | Uint16Array)[i] as number;
      const left =
        b === (data.valueBins[f] as number)
          ? grown.missingLeft[r] === 1
          : b <= (grown.binThreshold[r] as number);
      r = (left ? grown.left[r] : grown.right[r]) as number;
    }
    F[i] = (F[i] as number) + (grown.leafValue[~r] as number);
  }
}

/** Holds out `share` of the positives and of the negatives, chosen with the generator. */
function stratifiedHoldout(
  labels: ArrayLike<number>,
  share: number,
  rng: Rng,
): { train: Uint32Array; validation: Uint32Array } {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(i);
  const held = new Uint8Array(labels.length);
  for (const group of [pos, neg]) {
    const take = Math.round(share * group.length);
    // Partial Fisher–Yates: the first `take` of a shuffle.
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rng() * (group.length - i));
      const tmp = group[i] as number;
      group[i] = group[j] as number;
      group[j] = tmp;
      held[group[i] as number] = 1;
    }
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < labels.length; i++) (held[i] ? validation : train).push(i);
  return { train: Uint32Array.from(train), validation: Uint32Array.from(validation) };
}

/** `size` distinct rows of 0 … n − 1, ascending. */
function sampleRows(n: number, size: number, rng: Rng): Uint32Array {
  const chosen = new Uint8Array(n);
  // Floyd's algorithm: exactly `size` distinct draws.
  for (let j = n - size; j < n; j++) {
    const t = Math.floor(rng() * (j + 1));
    if (chosen[t]) chosen[j] = 1;
    else chosen[t] = 1;
  }
  const out = new Uint32Array(size);
  let k = 0;
  for (let i = 0; i < n; i++) if (chosen[i]) out[k++] = i;
  return out;
}

function sampleFeatures(width: number, count: number, rng: Rng): Int32Array {
  const all = Int32Array.from({ length: width }, (_, f) => f);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (width - i));
    const tmp = all[i] as number;
    all[i] = all[j] as number;
    all[j] = tmp;
  }
  return all.slice(0, count).sort();
}

function rowMajor(
  columns: readonly Float64Array[],
  rows: Uint32Array,
  labels: ArrayLike<number>,
): { rows: Float64Array; labels: Float64Array; n: number } {
  const width = columns.length;
  const out = new Float64Array(rows.length * width);
  const y = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    y[i] = labels[r] as number;
    for (let f = 0; f < width; f++) out[i * width + f] = (columns[f] as Float64Array)[r] as number;
  }
  return { rows: out, labels: y, n: rows.length };
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function softFlags(
  soft: readonly boolean[] | readonly string[] | undefined,
  names: readonly string[],
): boolean[] {
  const flags = names.map(() => false);
  if (!soft || soft.length === 0) return flags;
  if (soft.every((s) => typeof s === 'boolean')) {
    if (soft.length !== names.length) {
      throw new RangeError(`softFeatures has ${soft.length} flags for ${names.length} features`);
    }
    return [...(soft as readonly boolean[])];
  }
  for (const s of soft) {
    const j = typeof s === 'string' ? names.indexOf(s) : -1;
    if (j < 0) throw new RangeError(`softFeatures: no feature named ${JSON.stringify(s)}`);
    flags[j] = true;
  }
  return flags;
}

function checkColumns(columns: readonly Float64Array[], n: number, what: string): void {
  columns.forEach((col, j) => {
    if (!(col instanceof Float64Array))
      throw new RangeError(`${what}[${j}] must be a Float64Array`);
    if (col.length !== n)
      throw new RangeError(`${what}[${j}] has ${col.length} rows, expected ${n}`);
  });
}

function checkLabels(labels: ArrayLike<number>, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`${what}[${i}] must be 0 or 1, got ${String(y)}`);
  }
}

function positive(v: number, name: string): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}

function nonNegative(v: number, name: string): number {
  if (!(v >= 0) || !Number.isFinite(v))
    throw new RangeError(`${name} must be a number ≥ 0, got ${v}`);
  return v;
}

function fraction(v: number, name: string): number {
  if (!(v > 0 && v <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${v}`);
  return v;
}

function integerIn(v: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}
