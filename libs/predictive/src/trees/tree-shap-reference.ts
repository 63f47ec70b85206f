import { compileForest, forestLogit, leftShare, type CompiledForest } from './compiled-forest';
import { type GbdtModel } from './gbdt-model';
import { assertRowWidth } from './predict-gbdt';

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2020, Algorithm 2) for a GBDT model.
 *
 * The value of a feature set S is the tree's expected value when the features in S follow x
 * and the others follow the training cover: at a node on a feature in S a row goes the way x
 * goes (on a soft node, split by the ramp's shares), elsewhere it splits by the children's
 * training counts. Along a root-to-leaf path, a feature's "zero fraction" z is the product of
 * its cover shares and its "one fraction" o the product of x's shares; EXTEND and UNWIND keep
 * the polynomial Π (z_j + o_j·t) whose coefficients weight the Shapley terms, which is exact
 * for any o in [0, 1], so soft splits need nothing special. A feature met twice on a path is
 * unwound and re-extended with the products of its fractions.
 *
 * O(T·L·D²) per row: the straightforward version `treeShap` is checked against.
 */
export interface TreeShapResult {
  /** The model's expected log-odds over the training cover (the baseline). */
  expectedLogit: number;
  /** Per feature, its contribution in log-odds; expectedLogit + Σ = logit. */
  contributions: Float64Array;
  /** The model's log-odds for x (as `predictGbdtLogit`). */
  logit: number;
}

export function treeShapReference(model: GbdtModel, x: ArrayLike<number>): TreeShapResult {
  assertRowWidth(model, x);
  const c = compileForest(model);
  const phi = new Float64Array(c.width);
  let expected = c.baseLogit;
  let maxDepth = 0;
  for (let t = 0; t < c.trees; t++) maxDepth = Math.max(maxDepth, depthOf(c, c.root[t] as number));
  // Level d's path block holds d + 1 elements: blocks for every level of the deepest path.
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  const path: Path = {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
  for (let t = 0; t < c.trees; t++) {
    const root = c.root[t] as number;
    if (root < 0) {
      expected += c.leafValue[~root] as number;
      continue;
    }
    expected += expectedValue(c, root) / (c.nodeCount[root] as number);
    recurse(c, x, phi, root, path, 0, 0, 1, 1, -1);
  }
  return { expectedLogit: expected, contributions: phi, logit: forestLogit(c, x, 0) };
}

function depthOf(c: CompiledForest, ref: number): number {
  if (ref < 0) return 0;
  return 1 + Math.max(depthOf(c, c.left[ref] as number), depthOf(c, c.right[ref] as number));
}

/** Σ over the subtree's leaves of value × count. */
function expectedValue(c: CompiledForest, ref: number): number {
  if (ref < 0) return (c.leafValue[~ref] as number) * (c.leafCount[~ref] as number);
  return expectedValue(c, c.left[ref] as number) + expectedValue(c, c.right[ref] as number);
}

interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function countOf(c: CompiledForest, ref: number): number {
  return (ref >= 0 ? c.nodeCount[ref] : c.leafCount[~ref]) as number;
}

/**
 * The path of depth `depth` lives at path[offset … offset + depth]; each level copies it to
 * the next block so siblings see their parent's path unchanged.
 */
function recurse(
  c: CompiledForest,
  x: ArrayLike<number>,
  phi: Float64Array,
  ref: number,
  p: Path,
  offset: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  // Copy the parent's path (depth entries) into a fresh block and extend it.
  const next = offset + depth;
  if (depth > 0) {
    p.feature.copyWithin(next, offset, offset + depth);
    p.zero.copyWithin(next, offset, offset + depth);
    p.one.copyWithin(next, offset, offset + depth);
    p.weight.copyWithin(next, offset, offset + depth);
  }
  const base = depth > 0 ? next : offset;
  extend(p, base, depth, zero, one, feature);
  if (ref < 0) {
    const v = c.leafValue[~ref] as number;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(p, base, depth, i);
      phi[p.feature[base + i] as number] +=
        w * ((p.one[base + i] as number) - (p.zero[base + i] as number)) * v;
    }
    return;
  }
  const f = c.feature[ref] as number;
  const share = leftShare(c, ref, x[f] as number);
  const total = c.nodeCount[ref] as number;
  let incomingZero = 1;
  let incomingOne = 1;
  let d = depth;
  for (let k = 1; k <= depth; k++) {
    if (p.feature[base + k] === f) {
      incomingZero = p.zero[base + k] as number;
      incomingOne = p.one[base + k] as number;
      unwind(p, base, d, k);
      d--;
      break;
    }
  }
  const left = c.left[ref] as number;
  const right = c.right[ref] as number;
  recurse(
    c,
    x,
    phi,
    left,
    p,
    base,
    d + 1,
    (incomingZero * countOf(c, left)) / total,
    incomingOne * share,
    f,
  );
  recurse(
    c,
    x,
    phi,
    right,
    p,
    base,
    d + 1,
    (incomingZero * countOf(c, right)) / total,
    incomingOne * (1 - share),
    f,
  );
}

function extend(
  p: Path,
  base: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  p.feature[base + depth] = feature;
  p.zero[base + depth] = zero;
  p.one[base + depth] = one;
  p.weight[base + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[base + i + 1] += (one * (p.weight[base + i] as number) * (i + 1)) / (depth + 1);
    p.weight[base + i] = (zero * (p.weight[base + i] as number) * (depth - i)) / (depth + 1);
  }
}

/*
 * UNWIND undoes EXTEND's w'_i = [z·w_i·(D − i) + o·w_{i−1}·i] / (D + 1), a division of the
 * path polynomial by (z + o·t). Solved from the top it divides by o, from the bottom by z; the
 * larger of the two is the stable choice (o = 1 and o = 0 give the published algorithm).
 */
function unwind(p: Path, base: number, depth: number, index: number): void {
  const one = p.one[base + index] as number;
  const zero = p.zero[base + index] as number;
  const D = depth;
  if (one !== 0 && one >= zero) {
    let nextOne = p.weight[base + D] as number;
    for (let i = D - 1; i >= 0; i--) {
      const tmp = p.weight[base + i] as number;
      p.weight[base + i] = (nextOne * (D + 1)) / ((i + 1) * one);
      nextOne = tmp - ((p.weight[base + i] as number) * zero * (D - i)) / (D + 1);
    }
  } else {
    let previous = 0;
    for (let i = 0; i < D; i++) {
      const w =
        (((p.weight[base + i] as number) - (one * previous * i) / (D + 1)) * (D + 1)) /
        (zero * (D - i));
      p.weight[base + i] = w;
      previous = w;
    }
  }
  for (let i = index; i < D; i++) {
    p.feature[base + i] = p.feature[base + i + 1] as number;
    p.zero[base + i] = p.zero[base + i + 1] as number;
    p.one[base + i] = p.one[base + i + 1] as number;
  }
}

/** Σ of the path's weights with element `index` unwound, without changing the path. */
function unwoundSum(p: Path, base: number, depth: number, index: number): number {
  const one = p.one[base + index] as number;
  const zero = p.zero[base + index] as number;
  const D = depth;
  let total = 0;
  if (one !== 0 && one >= zero) {
    let nextOne = p.weight[base + D] as number;
    for (let i = D - 1; i >= 0; i--) {
      const w = (nextOne * (D + 1)) / ((i + 1) * one);
      total += w;
      nextOne = (p.weight[base + i] as number) - (w * zero * (D - i)) / (D + 1);
    }
  } else {
    let previous = 0;
    for (let i = 0; i < D; i++) {
      const w =
        (((p.weight[base + i] as number) - (one * previous * i) / (D + 1)) * (D + 1)) /
        (zero * (D - i));
      total += w;
      previous = w;
    }
  }
  return total;
}
