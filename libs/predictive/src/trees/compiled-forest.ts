import { type GbdtModel } from './gbdt-model';

/**
 * A model's trees in flat typed arrays, node and leaf indices global across trees; built once
 * per model object and cached (models are treated as immutable). Within a tree, a node's
 * children come after it, so one forward pass visits parents first.
 */
export interface CompiledForest {
  width: number;
  baseLogit: number;
  trees: number;
  /** Tree t's internal nodes are nodeStart[t] … nodeStart[t+1] − 1; likewise leaves. */
  nodeStart: Int32Array;
  leafStart: Int32Array;
  /** Tree t's root: a global node index, or ~leaf for a tree that is a single leaf. */
  root: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  /** NaN on hard nodes. */
  rampLow: Float64Array;
  rampHigh: Float64Array;
  /** Global references: n ≥ 0 node, n < 0 leaf ~n. */
  left: Int32Array;
  right: Int32Array;
  /** Training rows through each node (sum of its leaves' counts). */
  nodeCount: Float64Array;
  leafValue: Float64Array;
  leafCount: Float64Array;
}

const cache = new WeakMap<GbdtModel, CompiledForest>();

export function compileForest(model: GbdtModel): CompiledForest {
  const cached = cache.get(model);
  if (cached) return cached;
  const T = model.trees.length;
  const nodeStart = new Int32Array(T + 1);
  const leafStart = new Int32Array(T + 1);
  model.trees.forEach((tree, t) => {
    nodeStart[t + 1] = (nodeStart[t] as number) + tree.feature.length;
    leafStart[t + 1] = (leafStart[t] as number) + tree.leafValue.length;
  });
  const nodes = nodeStart[T] as number;
  const leaves = leafStart[T] as number;
  const c: CompiledForest = {
    width: model.featureNames.length,
    baseLogit: model.baseLogit,
    trees: T,
    nodeStart,
    leafStart,
    root: new Int32Array(T),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    missingLeft: new Uint8Array(nodes),
    rampLow: new Float64Array(nodes),
    rampHigh: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    nodeCount: new Float64Array(nodes),
    leafValue: new Float64Array(leaves),
    leafCount: new Float64Array(leaves),
  };
  model.trees.forEach((tree, t) => {
    const n0 = nodeStart[t] as number;
    const l0 = leafStart[t] as number;
    const ref = (r: number) => (r >= 0 ? n0 + r : ~(l0 + ~r));
    c.root[t] = tree.feature.length > 0 ? n0 : ~l0;
    for (let n = 0; n < tree.feature.length; n++) {
      c.feature[n0 + n] = tree.feature[n] as number;
      c.threshold[n0 + n] = tree.threshold[n] ?? Infinity;
      c.missingLeft[n0 + n] = tree.missingLeft[n] as number;
      c.rampLow[n0 + n] = tree.rampLow[n] ?? Number.NaN;
      c.rampHigh[n0 + n] = tree.rampHigh[n] ?? Number.NaN;
      c.left[n0 + n] = ref(tree.left[n] as number);
      c.right[n0 + n] = ref(tree.right[n] as number);
    }
    for (let l = 0; l < tree.leafValue.length; l++) {
      c.leafValue[l0 + l] = tree.leafValue[l] as number;
      c.leafCount[l0 + l] = tree.leafCount[l] as number;
    }
    // Children come after parents: sum counts backwards.
    for (let n = tree.feature.length - 1; n >= 0; n--) {
      const g = n0 + n;
      const count = (r: number) => (r >= 0 ? c.nodeCount[r] : c.leafCount[~r]) as number;
      c.nodeCount[g] = count(c.left[g] as number) + count(c.right[g] as number);
    }
  });
  cache.set(model, c);
  return c;
}

/**
 * The share of a row with value v at node n that goes left: 1 or 0 on a hard node and for
 * missing values, the ramp's 1 − t on a soft node.
 */
export function leftShare(c: CompiledForest, n: number, v: number): number {
  if (v !== v) return c.missingLeft[n] as number;
  const lo = c.rampLow[n] as number;
  if (lo === lo) {
    if (v <= lo) return 1;
    const hi = c.rampHigh[n] as number;
    if (v >= hi) return 0;
    return 1 - (v - lo) / (hi - lo);
  }
  return v <= (c.threshold[n] as number) ? 1 : 0;
}

/** The value of the subtree at `ref` for the row x[offset … offset + width). */
export function subtreeValue(
  c: CompiledForest,
  ref: number,
  x: ArrayLike<number>,
  offset: number,
): number {
  let r = ref;
  while (r >= 0) {
    const v = x[offset + (c.feature[r] as number)] as number;
    if (v !== v) {
      r = (c.missingLeft[r] ? c.left[r] : c.right[r]) as number;
      continue;
    }
    const lo = c.rampLow[r] as number;
    if (lo === lo) {
      const hi = c.rampHigh[r] as number;
      if (v <= lo) r = c.left[r] as number;
      else if (v >= hi) r = c.right[r] as number;
      else {
        const t = (v - lo) / (hi - lo);
        return (
          (1 - t) * subtreeValue(c, c.left[r] as number, x, offset) +
          t * subtreeValue(c, c.right[r] as number, x, offset)
        );
      }
    } else r = (v <= (c.threshold[r] as number) ? c.left[r] : c.right[r]) as number;
  }
  return c.leafValue[~r] as number;
}

/** baseLogit + Σ trees, for the row x[offset … offset + width). */
export function forestLogit(c: CompiledForest, x: ArrayLike<number>, offset: number): number {
  let s = c.baseLogit;
  for (let t = 0; t < c.trees; t++) s += subtreeValue(c, c.root[t] as number, x, offset);
  return s;
}
