import { leftShare, subtreeValue } from './compiled-forest';
import { type GbdtModel } from './gbdt-model';
import { assertRowWidth } from './predict-gbdt';
import { shapTables, UNIT_STRIDE, type ShapTables } from './tree-shap-tables';
import { treeShapReference, type TreeShapResult } from './tree-shap-reference';

/**
 * Exact path-dependent TreeSHAP of one row, from tables precomputed once per model (see
 * `tree-shap-tables.ts`): the same values as `treeShapReference` (to rounding), in about
 * O(T·L) per row instead of O(T·L·D²). `out`, when given, receives the contributions (and is
 * returned as them) so that scoring many rows allocates nothing per row.
 *
 * The tables are cached per model object (a WeakMap): keep and reuse the parsed model rather
 * than parsing its JSON for every row, or every call rebuilds them (`prepareTreeShap` builds
 * them ahead). x[j] is the value of featureNames[j], NaN when missing (null would read as 0).
 */
export function treeShap(
  model: GbdtModel,
  x: ArrayLike<number>,
  out?: Float64Array,
): TreeShapResult {
  assertRowWidth(model, x);
  const tables = shapTables(model);
  if (!tables) {
    const r = treeShapReference(model, x);
    if (!out) return r;
    out.set(r.contributions);
    return { ...r, contributions: out };
  }
  const c = tables.forest;
  const phi = out ?? new Float64Array(c.width);
  if (phi.length !== c.width) throw new RangeError(`out must have length ${c.width}`);
  phi.fill(0);
  const { feature, rampLow, rampHigh, leafValue } = c;
  const { mask, spine, spineStart, decision, missingLeft, unitStart, reached, skipTree } = tables;
  const { softStart, softNode } = tables;
  // Three passes over flat arrays, written without branches on x (those would be
  // unpredictable; a NaN fails both comparisons): masks above the units, decisions inside
  // them, then one table row per unit.
  for (let t = 0; t < c.trees; t++) {
    const root = c.root[t] as number;
    skipTree[t] = 0;
    if (root < 0) {
      reached[t] = leafValue[~root] as number;
      continue;
    }
    // x strictly inside a ramp of the tree: the tree's units are interpolated instead.
    let fractional = 0;
    for (let q = softStart[t] as number; q < (softStart[t + 1] as number); q++) {
      const n = softNode[q] as number;
      const v = x[feature[n] as number] as number;
      fractional |= +(v > (rampLow[n] as number)) & +(v < (rampHigh[n] as number));
    }
    if (fractional) {
      skipTree[t] = 1;
      reached[t] = subtreeValue(c, root, x, 0);
      for (let u = unitStart[t] as number; u < (unitStart[t + 1] as number); u++) {
        fractionalUnit(tables, u, x, phi);
      }
      continue;
    }
    // A split clears its feature's bit in the mask of the child x does not take.
    mask[root] = -1;
    for (let q = (spineStart[t] as number) * 4; q < (spineStart[t + 1] as number) * 4; q += 4) {
      const n = spine[q] as number;
      const m = mask[n] as number;
      const v = x[feature[n] as number] as number;
      const thr = decision[n] as number;
      const gl = +(v <= thr) | ((missingLeft[n] as number) & +!(v > thr));
      const cl = spine[q + 3] as number;
      mask[spine[q + 1] as number] = m & (cl | -gl);
      mask[spine[q + 2] as number] = m & (cl | (gl - 1));
    }
  }
  innerDecisions(tables, x);
  addUnits(tables, phi);
  let logit = c.baseLogit;
  for (let t = 0; t < c.trees; t++) logit += reached[t] as number;
  return { expectedLogit: tables.expectedLogit, contributions: phi, logit };
}

/** Every unit's split decisions (1 = left) at its index bits. */
function innerDecisions(tables: ShapTables, x: ArrayLike<number>): void {
  const { innerNode, innerUnit, innerShift, decision, missingLeft, decisions } = tables;
  const feature = tables.forest.feature;
  decisions.fill(0);
  for (let i = 0; i < innerNode.length; i++) {
    const n = innerNode[i] as number;
    const v = x[feature[n] as number] as number;
    const thr = decision[n] as number;
    const gl = +(v <= thr) | ((missingLeft[n] as number) & +!(v > thr));
    const u = innerUnit[i] as number;
    decisions[u] = (decisions[u] as number) | (gl << (innerShift[i] as number));
  }
}

/**
 * Adds each unit's table row at (prefix bits of its root's mask | its decisions), and notes
 * the value of the leaf x reaches in the unit whose mask kept every bit.
 */
function addUnits(tables: ShapTables, phi: Float64Array): void {
  const { mask, unit, unitFeature, table, landing, decisions, reached, skipTree, rowOf } = tables;
  const units = decisions.length;
  // First every unit's row, then a read of each (a short loop, so the tables' cache misses
  // overlap rather than wait one by one), then the additions.
  for (let u = 0; u < units; u++) {
    const at = u * UNIT_STRIDE;
    const t = unit[at + 9] as number;
    if (skipTree[t]) {
      rowOf[u] = -1;
      continue;
    }
    const m = mask[unit[at] as number] as number;
    const d = decisions[u] as number;
    rowOf[u] =
      (unit[at + 6] as number) + ((m & (unit[at + 8] as number)) | d) * (unit[at + 4] as number);
    if (m === -1) {
      reached[t] = landing[(unit[at + 7] as number) + (d >> (unit[at + 1] as number))] as number;
    }
  }
  let touched = 0;
  for (let u = 0; u < units; u++) {
    const row = rowOf[u] as number;
    // The row's first and last numbers: a row of up to 16 spans at most two cache lines.
    if (row >= 0)
      touched +=
        (table[row] as number) + (table[row + (unit[u * UNIT_STRIDE + 4] as number) - 1] as number);
  }
  tables.sink[0] = touched;
  for (let u = 0; u < units; u++) {
    const row = rowOf[u] as number;
    if (row < 0) continue;
    const at = u * UNIT_STRIDE;
    const f = unit[at + 4] as number;
    const f0 = unit[at + 5] as number;
    for (let j = 0; j < f; j++) {
      const g = unitFeature[f0 + j] as number;
      phi[g] = (phi[g] as number) + (table[row + j] as number);
    }
  }
}

/** A unit's contributions when x falls inside a ramp of its tree: corners weighted by shares. */
function fractionalUnit(
  tables: ShapTables,
  u: number,
  x: ArrayLike<number>,
  phi: Float64Array,
): void {
  const c = tables.forest;
  const { one, fracBits, fracWeight, slot, unit, innerNode, unitFeature, table } = tables;
  const at = u * UNIT_STRIDE;
  const p = unit[at + 1] as number;
  const s = unit[at + 2] as number;
  const i0 = unit[at + 3] as number;
  for (let i = 0; i < p; i++) one[i] = 1;
  for (let e = tables.edgeStart[u] as number; e < (tables.edgeStart[u + 1] as number); e++) {
    const n = tables.edgeNode[e] as number;
    const share = leftShare(c, n, x[c.feature[n] as number] as number);
    const i = slot[n] as number;
    one[i] = (one[i] as number) * (tables.edgeLeft[e] ? share : 1 - share);
  }
  let corner = 0;
  let m = 0;
  const note = (bit: number, w: number) => {
    if (w === 1) corner |= 1 << bit;
    else if (w !== 0) {
      fracBits[m] = bit;
      fracWeight[m++] = w;
    }
  };
  for (let i = 0; i < p; i++) note(i, one[i] as number);
  for (let i = 0; i < s; i++) {
    const n = innerNode[i0 + i] as number;
    note(p + i, leftShare(c, n, x[c.feature[n] as number] as number));
  }
  const f = unit[at + 4] as number;
  const f0 = unit[at + 5] as number;
  for (let a = 0; a < 1 << m; a++) {
    let index = corner;
    let w = 1;
    for (let j = 0; j < m; j++) {
      if ((a >> j) & 1) {
        index |= 1 << (fracBits[j] as number);
        w *= fracWeight[j] as number;
      } else w *= 1 - (fracWeight[j] as number);
    }
    const row = (unit[at + 6] as number) + index * f;
    for (let j = 0; j < f; j++) {
      const g = unitFeature[f0 + j] as number;
      phi[g] = (phi[g] as number) + w * (table[row + j] as number);
    }
  }
}

/** Builds and caches the model's TreeSHAP tables now (otherwise the first `treeShap` does). */
export function prepareTreeShap(model: GbdtModel): void {
  shapTables(model);
}

/** Numbers in the model's cached TreeSHAP tables (0 when it uses the reference method). */
export function treeShapTableSize(model: GbdtModel): number {
  return shapTables(model)?.table.length ?? 0;
}
