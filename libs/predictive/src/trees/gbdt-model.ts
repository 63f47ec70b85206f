/**
 * A gradient-boosted tree model for binary outcomes, as stored (plain JSON, e.g. PostgreSQL
 * jsonb). The logit of a row x is
 *
 *   baseLogit + Σ_trees value(tree, x)
 *
 * and its probability is sigmoid(logit). Shrinkage (the learning rate) is already folded into
 * the leaf values.
 *
 * Shape (`GbdtModel`):
 *
 * ```
 * {
 *   kind: 'gbdt', version: 1,
 *   featureNames: string[],          // x[j] is the value of featureNames[j]; NaN = missing
 *   softFeatures: boolean[],         // per feature: splits on it are ramps (time-varying inputs)
 *   baseLogit: number,               // logit of the training base rate
 *   trees: [{
 *     // internal nodes, index 0 is the root (a tree without them is the single leaf 0):
 *     feature: number[],             // feature index of node i
 *     threshold: (number | null)[],  // x ≤ threshold goes left (null: every present value)
 *     missingLeft: (0 | 1)[],        // where a missing value goes (learned at training)
 *     left: number[], right: number[], // child: n ≥ 0 is internal node n, n < 0 is leaf −n − 1
 *     rampLow: (number | null)[],    // soft nodes: x ≤ rampLow fully left, x ≥ rampHigh fully
 *     rampHigh: (number | null)[],   //   right, linear in between; null on hard nodes
 *     // leaves:
 *     leafValue: number[],           // log-odds added by the leaf (learning rate included)
 *     leafCount: number[],           // training rows that reached the leaf (the TreeSHAP cover)
 *   }],
 *   training: GbdtTrainingSummary,   // how it was trained (options, rounds, validation loss)
 * }
 * ```
 *
 * About 75 bytes of JSON per leaf: 300 trees of 31 leaves take about 0.66 MB.
 *
 * Soft splits: a node on a soft feature sends a present value x to the right with weight
 * t = clamp((x − rampLow) / (rampHigh − rampLow), 0, 1) and to the left with 1 − t, and the
 * tree's value is the weighted sum over both branches. The prediction is then continuous in
 * that feature, so a score does not jump when an activity ages by an hour. Elsewhere splits are
 * steps. A model is treated as immutable: compiled forms are cached per model object.
 */
export interface GbdtModel {
  kind: 'gbdt';
  version: 1;
  featureNames: string[];
  softFeatures: boolean[];
  baseLogit: number;
  trees: GbdtTree[];
  training: GbdtTrainingSummary;
}

export interface GbdtTree {
  feature: number[];
  threshold: (number | null)[];
  missingLeft: (0 | 1)[];
  left: number[];
  right: number[];
  rampLow: (number | null)[];
  rampHigh: (number | null)[];
  leafValue: number[];
  leafCount: number[];
}

/** The options a model was trained with and what early stopping saw. */
export interface GbdtTrainingSummary {
  rows: number;
  /** Rows used for early stopping (0 without it). */
  validationRows: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
  /** Bins of a soft feature at most (absent in models trained before it). */
  softMaxBins?: number;
  subsample: number;
  featureFraction: number;
  seed: number;
  /** Trees grown before stopping (the kept trees are the first `trees.length`). */
  rounds: number;
  /** Mean validation log loss of the kept trees; null without a validation set. */
  validationLogLoss: number | null;
  /** Why boosting ended. */
  stop: 'early-stopping' | 'max-trees' | 'no-split';
}

/**
 * Checks that a value (e.g. read back from jsonb) is a well-formed `GbdtModel` and returns it
 * typed. Throws a RangeError naming the first thing wrong: a model that passes can be scored
 * without reading outside its arrays or looping.
 */
export function parseGbdtModel(value: unknown): GbdtModel {
  const fail = (what: string): never => {
    throw new RangeError(`invalid GBDT model: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const m = value as Record<string, unknown>;
  if (m.kind !== 'gbdt') fail(`kind must be "gbdt", got ${JSON.stringify(m.kind)}`);
  if (m.version !== 1) fail(`unsupported version ${JSON.stringify(m.version)}`);
  const names = m.featureNames;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    fail('featureNames must be a non-empty array of strings');
  }
  const width = (names as string[]).length;
  const soft = m.softFeatures;
  if (!Array.isArray(soft) || soft.length !== width || soft.some((s) => typeof s !== 'boolean')) {
    fail(`softFeatures must be ${width} booleans`);
  }
  if (typeof m.baseLogit !== 'number' || !Number.isFinite(m.baseLogit)) {
    fail('baseLogit must be a finite number');
  }
  if (!Array.isArray(m.trees)) fail('trees must be an array');
  (m.trees as unknown[]).forEach((t, i) => checkTree(t, width, `trees[${i}]`, fail));
  if (typeof m.training !== 'object' || m.training === null) fail('training must be an object');
  return value as GbdtModel;
}

function checkTree(
  value: unknown,
  width: number,
  where: string,
  fail: (what: string) => never,
): void {
  if (typeof value !== 'object' || value === null) fail(`${where} is not an object`);
  const t = value as Record<string, unknown>;
  const numbers = (key: string, length: number | null): number[] => {
    const a = t[key];
    if (!Array.isArray(a)) return fail(`${where}.${key} must be an array`);
    if (length !== null && a.length !== length) {
      fail(`${where}.${key} must have ${length} entries, has ${a.length}`);
    }
    return a as number[];
  };
  const feature = numbers('feature', null);
  const nodes = feature.length;
  const leafValue = numbers('leafValue', null);
  const leaves = leafValue.length;
  if (leaves !== nodes + 1) fail(`${where} has ${nodes} nodes, so needs ${nodes + 1} leaves`);
  const threshold = numbers('threshold', nodes) as (number | null)[];
  const missingLeft = numbers('missingLeft', nodes);
  const left = numbers('left', nodes);
  const right = numbers('right', nodes);
  const rampLow = numbers('rampLow', nodes);
  const rampHigh = numbers('rampHigh', nodes);
  const leafCount = numbers('leafCount', leaves);
  for (let l = 0; l < leaves; l++) {
    if (typeof leafValue[l] !== 'number' || !Number.isFinite(leafValue[l])) {
      fail(`${where}.leafValue[${l}] must be a finite number`);
    }
    const c = leafCount[l];
    if (typeof c !== 'number' || !(c > 0) || !Number.isFinite(c)) {
      fail(`${where}.leafCount[${l}] must be a positive number`);
    }
  }
  // Every node and leaf is the child of exactly one earlier node: a tree, root 0.
  const seenNode = new Uint8Array(nodes);
  const seenLeaf = new Uint8Array(leaves);
  for (let n = 0; n < nodes; n++) {
    const f = feature[n];
    if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= width) {
      fail(`${where}.feature[${n}] must be a feature index in [0, ${width})`);
    }
    const thr = threshold[n];
    if (thr !== null && (typeof thr !== 'number' || Number.isNaN(thr))) {
      fail(`${where}.threshold[${n}] must be a number or null`);
    }
    if (missingLeft[n] !== 0 && missingLeft[n] !== 1) {
      fail(`${where}.missingLeft[${n}] must be 0 or 1`);
    }
    const lo = rampLow[n] as number | null;
    const hi = rampHigh[n] as number | null;
    if ((lo === null) !== (hi === null)) fail(`${where}: node ${n} has half a ramp`);
    if (lo !== null && hi !== null) {
      if (
        typeof lo !== 'number' ||
        typeof hi !== 'number' ||
        !Number.isFinite(lo) ||
        !Number.isFinite(hi) ||
        !(lo < hi)
      ) {
        fail(`${where}: node ${n} ramp must be finite numbers with rampLow < rampHigh`);
      }
    }
    for (const child of [left[n], right[n]]) {
      if (!Number.isInteger(child)) fail(`${where}: node ${n} has a non-integer child`);
      const c = child as number;
      if (c >= 0) {
        if (c <= n || c >= nodes) fail(`${where}: node ${n} child ${c} must be a later node`);
        if (seenNode[c]) fail(`${where}: node ${c} has two parents`);
        seenNode[c] = 1;
      } else {
        const l = -c - 1;
        if (l >= leaves) fail(`${where}: node ${n} refers to missing leaf ${l}`);
        if (seenLeaf[l]) fail(`${where}: leaf ${l} has two parents`);
        seenLeaf[l] = 1;
      }
    }
  }
  for (let n = 1; n < nodes; n++) if (!seenNode[n]) fail(`${where}: node ${n} is unreachable`);
  if (nodes > 0) {
    for (let l = 0; l < leaves; l++) if (!seenLeaf[l]) fail(`${where}: leaf ${l} is unreachable`);
  }
}
