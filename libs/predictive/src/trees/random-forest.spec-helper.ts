/**
 * Small random GBDT models and an independent brute-force Shapley computation, for checking
 * TreeSHAP: every subset of features, the path-dependent value function evaluated by walking
 * the trees directly.
 */
import { createRng, normal, type Rng } from '../rng';
import { type GbdtModel, type GbdtTree } from './gbdt-model';

export interface RandomForestOptions {
  width: number;
  trees: number;
  maxDepth: number;
  /** Chance that a node gets a ramp (a soft split). */
  softShare: number;
}

/** A random model: nodes in preorder (children after parents), covers consistent. */
export function randomModel(seed: number, o: RandomForestOptions): GbdtModel {
  const rng = createRng(seed);
  const trees: GbdtTree[] = [];
  for (let t = 0; t < o.trees; t++) trees.push(randomTree(rng, o));
  return {
    kind: 'gbdt',
    version: 1,
    featureNames: Array.from({ length: o.width }, (_, j) => `f${j}`),
    softFeatures: Array.from({ length: o.width }, () => o.softShare > 0),
    baseLogit: normal(rng),
    trees,
    training: {
      rows: 0,
      validationRows: 0,
      learningRate: 1,
      maxDepth: o.maxDepth,
      maxLeaves: 1 << o.maxDepth,
      minSamplesLeaf: 1,
      l2: 0,
      maxBins: 255,
      subsample: 1,
      featureFraction: 1,
      seed,
      rounds: o.trees,
      validationLogLoss: null,
      stop: 'max-trees',
    },
  };
}

function randomTree(rng: Rng, o: RandomForestOptions): GbdtTree {
  const tree: GbdtTree = {
    feature: [],
    threshold: [],
    missingLeft: [],
    left: [],
    right: [],
    rampLow: [],
    rampHigh: [],
    leafValue: [],
    leafCount: [],
  };
  const grow = (depth: number): number => {
    const isLeaf = depth >= o.maxDepth || (depth > 0 && rng() < 0.3);
    if (isLeaf) {
      tree.leafValue.push(normal(rng));
      tree.leafCount.push(1 + Math.floor(rng() * 50));
      return -tree.leafValue.length;
    }
    const n = tree.feature.length;
    const thr = 0.1 + 0.8 * rng();
    tree.feature.push(Math.floor(rng() * o.width));
    tree.threshold.push(thr);
    tree.missingLeft.push(rng() < 0.5 ? 1 : 0);
    if (rng() < o.softShare) {
      tree.rampLow.push(thr - 0.05 - 0.1 * rng());
      tree.rampHigh.push(thr + 0.05 + 0.1 * rng());
    } else {
      tree.rampLow.push(null);
      tree.rampHigh.push(null);
    }
    tree.left.push(0);
    tree.right.push(0);
    tree.left[n] = grow(depth + 1);
    tree.right[n] = grow(depth + 1);
    return n;
  };
  grow(0);
  return tree;
}

/** A random row in [0, 1), some values missing. */
export function randomRow(rng: Rng, width: number, missingShare = 0.15): Float64Array {
  return Float64Array.from({ length: width }, () => (rng() < missingShare ? Number.NaN : rng()));
}

/** The share of a row going left at node n, computed from the model directly. */
function shareLeft(tree: GbdtTree, n: number, v: number): number {
  if (Number.isNaN(v)) return tree.missingLeft[n] as number;
  const lo = tree.rampLow[n];
  const hi = tree.rampHigh[n];
  if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
    return 1 - Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  }
  return v <= (tree.threshold[n] ?? Infinity) ? 1 : 0;
}

function cover(tree: GbdtTree, ref: number): number {
  if (ref < 0) return tree.leafCount[-ref - 1] as number;
  return cover(tree, tree.left[ref] as number) + cover(tree, tree.right[ref] as number);
}

/**
 * E[f | features in S follow x]: at a node on a feature in S the row splits by x's shares,
 * otherwise by the children's training counts.
 */
export function pathDependentValue(
  model: GbdtModel,
  x: ArrayLike<number>,
  S: ReadonlySet<number>,
): number {
  let total = model.baseLogit;
  for (const tree of model.trees) {
    const walk = (ref: number): number => {
      if (ref < 0) return tree.leafValue[-ref - 1] as number;
      const l = tree.left[ref] as number;
      const r = tree.right[ref] as number;
      const f = tree.feature[ref] as number;
      const p = S.has(f)
        ? shareLeft(tree, ref, x[f] as number)
        : cover(tree, l) / (cover(tree, l) + cover(tree, r));
      return p * walk(l) + (1 - p) * walk(r);
    };
    total += walk(tree.feature.length > 0 ? 0 : -1);
  }
  return total;
}

/** Shapley values of the path-dependent value function by enumerating every subset. */
export function bruteForceShapley(
  model: GbdtModel,
  x: ArrayLike<number>,
): { expected: number; phi: Float64Array } {
  const n = model.featureNames.length;
  const values = new Float64Array(1 << n);
  for (let mask = 0; mask < 1 << n; mask++) {
    const S = new Set<number>();
    for (let j = 0; j < n; j++) if ((mask >> j) & 1) S.add(j);
    values[mask] = pathDependentValue(model, x, S);
  }
  const fact = [1];
  for (let i = 1; i <= n; i++) fact.push((fact[i - 1] as number) * i);
  const phi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let mask = 0; mask < 1 << n; mask++) {
      if ((mask >> j) & 1) continue;
      let size = 0;
      for (let b = mask; b; b &= b - 1) size++;
      const w = ((fact[size] as number) * (fact[n - size - 1] as number)) / (fact[n] as number);
      phi[j] += w * ((values[mask | (1 << j)] as number) - (values[mask] as number));
    }
  }
  return { expected: values[0] as number, phi };
}
