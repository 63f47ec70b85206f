/**
 * Grows one regression tree on gradients and hessians of binned data, leaf-wise: the leaf
 * whose best split gains most is split next, until `maxLeaves` leaves, `maxDepth`, or no split
 * gains. Per leaf a histogram of (gradient, hessian, count) per feature bin; a split builds the
 * smaller child's histogram and gets the larger one by subtraction from the parent's. Split
 * candidates try missing values on both sides and keep the better (the learned default
 * direction). Ties go to the lower feature, then the lower bin: fully deterministic.
 */

export interface BinnedData {
  /** Training rows. */
  n: number;
  /** Per feature, its rows' bin codes (column-major, one array type for all). */
  bins: (Uint8Array | Uint16Array)[];
  /** Per feature, value bins (edges + 1); the missing bin comes right after them. */
  valueBins: Int32Array;
  /** Per feature, its first bin in a histogram. */
  offset: Int32Array;
  /** Bins of all features, missing bins included. */
  totalBins: number;
}

export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  l2: number;
  minSplitGain: number;
  learningRate: number;
}

/** A tree in bins; node and leaf references as in `GbdtTree` (leaf i is ~i). */
export interface GrownTree {
  feature: number[];
  /** x goes left when bin ≤ binThreshold (binThreshold = valueBins − 1: every present value). */
  binThreshold: number[];
  missingLeft: (0 | 1)[];
  left: number[];
  right: number[];
  leafValue: number[];
  leafCount: number[];
  /** Each leaf's rows: rows[leafStart[i] … leafEnd[i]) of the `rows` array after growing. */
  leafStart: number[];
  leafEnd: number[];
}

interface Split {
  score: number;
  feature: number;
  bin: number;
  missingLeft: 0 | 1;
  gl: number;
  hl: number;
  cl: number;
}

interface Leaf {
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  c: number;
  hist: Float64Array | null;
  split: Split | null;
  /** Node whose child this leaf is (−1 for the root) and which side. */
  parent: number;
  side: 0 | 1;
}

/** Reusable buffers: histograms and per-leaf ordered gradients. */
export class GrowWorkspace {
  private readonly free: Float64Array[] = [];
  readonly gOrdered: Float64Array;
  readonly hOrdered: Float64Array;
  readonly scratch: Uint32Array;

  constructor(
    readonly histLength: number,
    n: number,
  ) {
    this.gOrdered = new Float64Array(n);
    this.hOrdered = new Float64Array(n);
    this.scratch = new Uint32Array(n);
  }

  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.histLength);
  }

  give(hist: Float64Array | null): void {
    if (hist) this.free.push(hist);
  }
}

/**
 * Grows a tree over `rows` (training row indices; reordered in place so each leaf's rows are
 * contiguous) using only `features`.
 */
export function growTree(
  data: BinnedData,
  g: Float64Array,
  h: Float64Array,
  rows: Uint32Array,
  identityRows: boolean,
  features: Int32Array,
  params: GrowParams,
  ws: GrowWorkspace,
): GrownTree {
  const tree: GrownTree = {
    feature: [],
    binThreshold: [],
    missingLeft: [],
    left: [],
    right: [],
    leafValue: [],
    leafCount: [],
    leafStart: [],
    leafEnd: [],
  };
  let G = 0;
  let H = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as number;
    G += g[r] as number;
    H += h[r] as number;
  }
  const root: Leaf = {
    start: 0,
    end: rows.length,
    depth: 0,
    g: G,
    h: H,
    c: rows.length,
    hist: null,
    split: null,
    parent: -1,
    side: 0,
  };
  const leaves: Leaf[] = [root];
  if (canSplit(root, 1, params)) {
    root.hist = ws.take();
    buildHistogram(root.hist, data, g, h, rows, 0, rows.length, identityRows, features, ws);
    root.split = findSplit(root, data, features, params);
  }

  while (leaves.length < params.maxLeaves) {
    let bestIndex = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = (leaves[i] as Leaf).split;
      if (s && (bestIndex < 0 || s.score > ((leaves[bestIndex] as Leaf).split as Split).score)) {
        bestIndex = i;
      }
    }
    if (bestIndex < 0) break;
    const leaf = leaves[bestIndex] as Leaf;
    const split = leaf.split as Split;
    const node = tree.feature.length;
    tree.feature.push(split.feature);
    tree.binThreshold.push(split.bin);
    tree.missingLeft.push(split.missingLeft);
    tree.left.push(0);
    tree.right.push(0);
    if (leaf.parent >= 0) (leaf.side === 0 ? tree.left : tree.right)[leaf.parent] = node;

    const mid = partition(data, rows, leaf.start, leaf.end, split, ws.scratch);
    const left: Leaf = {
      start: leaf.start,
      end: mid,
      depth: leaf.depth + 1,
      g: split.gl,
      h: split.hl,
      c: split.cl,
      hist: null,
      split: null,
      parent: node,
      side: 0,
    };
    const right: Leaf = {
      start: mid,
      end: leaf.end,
      depth: leaf.depth + 1,
      g: leaf.g - split.gl,
      h: leaf.h - split.hl,
      c: leaf.c - split.cl,
      hist: null,
      split: null,
      parent: node,
      side: 1,
    };
    leaves[bestIndex] = left;
    leaves.push(right);

    const count = leaves.length;
    const needLeft = canSplit(left, count, params);
    const needRight = canSplit(right, count, params);
    if (needLeft || needRight) {
      const [small, large, needLarge] =
        left.c <= right.c ? [left, right, needRight] : [right, left, needLeft];
      small.hist = ws.take();
      buildHistogram(small.hist, data, g, h, rows, small.start, small.end, false, features, ws);
      if (needLarge) {
        const parentHist = leaf.hist as Float64Array;
        const smallHist = small.hist;
        for (let i = 0; i < parentHist.length; i++) {
          parentHist[i] = (parentHist[i] as number) - (smallHist[i] as number);
        }
        large.hist = parentHist;
      } else ws.give(leaf.hist);
      for (const child of [left, right]) {
        if (child.hist && canSplit(child, count, params)) {
          child.split = findSplit(child, data, features, params);
        }
        if (!child.split) {
          ws.give(child.hist);
          child.hist = null;
        }
      }
    } else ws.give(leaf.hist);
    leaf.hist = null;
  }

  leaves.forEach((leaf, i) => {
    ws.give(leaf.hist);
    leaf.hist = null;
    if (leaf.parent >= 0) (leaf.side === 0 ? tree.left : tree.right)[leaf.parent] = ~i;
    tree.leafValue.push((-leaf.g / (leaf.h + params.l2)) * params.learningRate);
    tree.leafCount.push(leaf.c);
    tree.leafStart.push(leaf.start);
    tree.leafEnd.push(leaf.end);
  });
  return tree;
}

function canSplit(leaf: Leaf, leafCount: number, params: GrowParams): boolean {
  return (
    leafCount < params.maxLeaves &&
    leaf.depth < params.maxDepth &&
    leaf.c >= 2 * params.minSamplesLeaf &&
    leaf.h >= 2 * params.minChildWeight
  );
}

/** Sums gradient, hessian and count per bin of each used feature over rows[start … end). */
function buildHistogram(
  hist: Float64Array,
  data: BinnedData,
  g: Float64Array,
  h: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  identityRows: boolean,
  features: Int32Array,
  ws: GrowWorkspace,
): void {
  hist.fill(0);
  const count = end - start;
  const go = identityRows ? g : ws.gOrdered;
  const ho = identityRows ? h : ws.hOrdered;
  if (!identityRows) {
    for (let k = 0; k < count; k++) {
      const r = rows[start + k] as number;
      go[k] = g[r] as number;
      ho[k] = h[r] as number;
    }
  }
  // Four features per pass over the rows: their bins' read-modify-write chains are
  // independent, so they overlap instead of waiting on each other (about 2× faster).
  const F = features.length;
  let q = 0;
  for (; q + 4 <= F; q += 4) {
    const f0 = features[q] as number;
    const f1 = features[q + 1] as number;
    const f2 = features[q + 2] as number;
    const f3 = features[q + 3] as number;
    const c0 = data.bins[f0] as Uint8Array | Uint16Array;
    const c1 = data.bins[f1] as Uint8Array | Uint16Array;
    const c2 = data.bins[f2] as Uint8Array | Uint16Array;
    const c3 = data.bins[f3] as Uint8Array | Uint16Array;
    const b0 = (data.offset[f0] as number) * 3;
    const b1 = (data.offset[f1] as number) * 3;
    const b2 = (data.offset[f2] as number) * 3;
    const b3 = (data.offset[f3] as number) * 3;
    for (let k = 0; k < count; k++) {
      const r = identityRows ? k : (rows[start + k] as number);
      const gk = go[k] as number;
      const hk = ho[k] as number;
      let b = b0 + (c0[r] as number) * 3;
      hist[b] = (hist[b] as number) + gk;
      hist[b + 1] = (hist[b + 1] as number) + hk;
      hist[b + 2] = (hist[b + 2] as number) + 1;
      b = b1 + (c1[r] as number) * 3;
      hist[b] = (hist[b] as number) + gk;
      hist[b + 1] = (hist[b + 1] as number) + hk;
      hist[b + 2] = (hist[b + 2] as number) + 1;
      b = b2 + (c2[r] as number) * 3;
      hist[b] = (hist[b] as number) + gk;
      hist[b + 1] = (hist[b + 1] as number) + hk;
      hist[b + 2] = (hist[b + 2] as number) + 1;
      b = b3 + (c3[r] as number) * 3;
      hist[b] = (hist[b] as number) + gk;
      hist[b + 1] = (hist[b + 1] as number) + hk;
      hist[b + 2] = (hist[b + 2] as number) + 1;
    }
  }
  for (; q < F; q++) {
    const f = features[q] as number;
    const col = data.bins[f] as Uint8Array | Uint16Array;
    const base = (data.offset[f] as number) * 3;
    for (let k = 0; k < count; k++) {
      const b = base + (col[identityRows ? k : (rows[start + k] as number)] as number) * 3;
      hist[b] = (hist[b] as number) + (go[k] as number);
      hist[b + 1] = (hist[b + 1] as number) + (ho[k] as number);
      hist[b + 2] = (hist[b + 2] as number) + 1;
    }
  }
}

/**
 * The best split of a leaf by its histogram, or null when none gains more than
 * `minSplitGain`. `score` is the gain ½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)].
 */
function findSplit(
  leaf: Leaf,
  data: BinnedData,
  features: Int32Array,
  params: GrowParams,
): Split | null {
  const hist = leaf.hist as Float64Array;
  const { l2, minSamplesLeaf: minLeaf, minChildWeight: minH } = params;
  const G = leaf.g;
  const H = leaf.h;
  const C = leaf.c;
  const parentScore = (G * G) / (H + l2);
  let best = parentScore + 2 * params.minSplitGain;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft: 0 | 1 = 0;
  let bestGl = 0;
  let bestHl = 0;
  let bestCl = 0;
  for (let q = 0; q < features.length; q++) {
    const f = features[q] as number;
    const nb = data.valueBins[f] as number;
    const base = (data.offset[f] as number) * 3;
    const mb = base + nb * 3;
    const gm = hist[mb] as number;
    const hm = hist[mb + 1] as number;
    const cm = hist[mb + 2] as number;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const last = cm > 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const i = base + b * 3;
      gl += hist[i] as number;
      hl += hist[i + 1] as number;
      cl += hist[i + 2] as number;
      // Missing values to the right.
      {
        const cr = C - cl;
        const hr = H - hl;
        if (cl >= minLeaf && cr >= minLeaf && hl >= minH && hr >= minH) {
          const gr = G - gl;
          const s = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
          if (s > best) {
            best = s;
            bestFeature = f;
            bestBin = b;
            bestMissingLeft = 0;
            bestGl = gl;
            bestHl = hl;
            bestCl = cl;
          }
        }
      }
      // Missing values to the left (a different split only when there are some).
      if (cm > 0 && b < nb - 1) {
        const gl2 = gl + gm;
        const hl2 = hl + hm;
        const cl2 = cl + cm;
        const cr = C - cl2;
        const hr = H - hl2;
        if (cl2 >= minLeaf && cr >= minLeaf && hl2 >= minH && hr >= minH) {
          const gr = G - gl2;
          const s = (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (hr + l2);
          if (s > best) {
            best = s;
            bestFeature = f;
            bestBin = b;
            bestMissingLeft = 1;
            bestGl = gl2;
            bestHl = hl2;
            bestCl = cl2;
          }
        }
      }
    }
  }
  if (bestFeature < 0) return null;
  let missingLeft = bestMissingLeft;
  // No missing values of this feature here: send future ones to the larger side.
  const nb = data.valueBins[bestFeature] as number;
  const cmBest = hist[((data.offset[bestFeature] as number) + nb) * 3 + 2] as number;
  if (cmBest === 0) missingLeft = bestCl >= C - bestCl ? 1 : 0;
  return {
    score: (best - parentScore) / 2,
    feature: bestFeature,
    bin: bestBin,
    missingLeft,
    gl: bestGl,
    hl: bestHl,
    cl: bestCl,
  };
}

/** Stable partition of rows[start … end) into left then right; returns where right begins. */
function partition(
  data: BinnedData,
  rows: Uint32Array,
  start: number,
  end: number,
  split: Split,
  scratch: Uint32Array,
): number {
  const col = data.bins[split.feature] as Uint8Array | Uint16Array;
  const missingBin = data.valueBins[split.feature] as number;
  const thr = split.bin;
  const missingLeft = split.missingLeft;
  let w = start;
  let r = 0;
  // Both destinations are written and one advances: no unpredictable branch per row.
  for (let k = start; k < end; k++) {
    const row = rows[k] as number;
    const b = col[row] as number;
    const isMissing = +(b === missingBin);
    const left = (isMissing & missingLeft) | ((1 - isMissing) & +(b <= thr));
    rows[w] = row;
    scratch[r] = row;
    w += left;
    r += 1 - left;
  }
  rows.set(scratch.subarray(0, r), w);
  return w;
}
