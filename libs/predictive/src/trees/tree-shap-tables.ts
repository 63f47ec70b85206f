import { compileForest, type CompiledForest } from './compiled-forest';
import { type GbdtModel } from './gbdt-model';

/**
 * Precomputed TreeSHAP tables of a model (Fast TreeSHAP v2 style), built once per model
 * object and cached with it, never stored.
 *
 * One leaf. With value v, unique path features U (|U| = k), zero fractions z_j (products of
 * cover shares along the path) and one fractions o_j ∈ {0, 1}, let O be the features x
 * satisfies. The leaf's value function is v·Π_{j∈S} o_j·Π_{j∈U∖S} z_j and its Shapley values
 *
 *   j ∈ O:  φ_j = v·(1 − z_j)/z_j · H(O ∖ {j})        j ∉ O:  φ_j = −v·H(O)
 *
 * with H(Q) = Σ_{S⊆Q} |S|!(k − |S| − 1)!/k! · Π_{i∈U∖S} z_i: a function of the mask O only.
 *
 * Units. The per-row cost is the number of additions into φ, so leaves are grouped: a unit is
 * a small subtree (at most MAX_UNIT_NODES splits, and with the p distinct features above it,
 * at most MAX_UNIT_BITS index bits). Its leaves' masks are determined by the p bits of the
 * mask at its root (which features above it x satisfies) and the decisions at its own splits,
 * so one table over those p + s bits holds the summed contributions of all its leaves to the
 * unit's features (those above it and those it splits on). A row then costs one pass over the
 * splits above units (propagating masks), the decisions inside units, and per unit one row of
 * its table: about 4 times fewer additions than leaf by leaf on depth-5 trees.
 *
 * Soft splits make one fractions and decisions fractional. A leaf's Shapley values are
 * multilinear in its one fractions, each of which is a product of node shares in which every
 * share appears once, so a unit's contributions are multilinear in the prefix one fractions
 * and its inner shares: the share-weighted sum over the 0/1 corners of the fractional ones.
 */
export interface ShapTables {
  forest: CompiledForest;
  expectedLogit: number;
  /** Tree t's soft splits are softNode[softStart[t] … softStart[t+1] − 1]. */
  softStart: Int32Array;
  softNode: Int32Array;
  /** Tree t's splits above units are spine[spineStart[t] …], parents first. */
  spineStart: Int32Array;
  /** Per spine split: node, mask index of each child (node n → n, leaf l → nodes + l), bits but its slot's. */
  spine: Int32Array;
  /** Tree t's units are unitStart[t] … unitStart[t+1] − 1. */
  unitStart: Int32Array;
  /** Per unit UNIT_STRIDE ints, see `UnitField`. */
  unit: Int32Array;
  /** Splits inside units, unit by unit (parents first): node, unit, and its index bit p + i. */
  innerNode: Int32Array;
  innerUnit: Int32Array;
  innerShift: Int32Array;
  /** Per unit, its features: unitFeature[unit[FEATURES_AT] … + f). */
  unitFeature: Int32Array;
  /** Per unit and index (p prefix bits, then one bit per inner split: 1 = left): f contributions. */
  table: Float64Array;
  /** Per unit and inner decisions: the value of the leaf they lead to. */
  landing: Float64Array;
  /** Per unit, the splits above it and the side taken (1 = left): for fractional rows. */
  edgeStart: Int32Array;
  edgeNode: Int32Array;
  edgeLeft: Uint8Array;
  /** Per split, its feature's slot on the path from the root (for fractional rows). */
  slot: Int32Array;
  /** Per split: x ≤ decision goes left (a soft split's ramp start), and where NaN goes. */
  decision: Float64Array;
  missingLeft: Int32Array;
  /** Scratch, one row at a time. */
  mask: Int32Array;
  /** Per unit: its splits' decisions, at index bits p … p + s − 1. */
  decisions: Int32Array;
  /** Per tree: the value of the leaf x reaches; whether it was evaluated already (fractional). */
  reached: Float64Array;
  skipTree: Uint8Array;
  /** Per unit: the start of its row at this x (−1: evaluated already). */
  rowOf: Int32Array;
  /** Keeps the prefetching reads from being optimised away. */
  sink: Float64Array;
  one: Float64Array;
  share: Float64Array;
  fracBits: Int32Array;
  fracWeight: Float64Array;
}

/** Offsets of a unit's fields in `unit`. */
export const UnitField = {
  /** Index of the unit root's mask. */
  MASK: 0,
  /** Prefix features p (distinct features above the root). */
  PREFIX: 1,
  /** Inner splits s. */
  SPLITS: 2,
  /** First of its splits in innerNode. */
  INNER: 3,
  /** Its feature count f. */
  COUNT: 4,
  /** First of its features in unitFeature. */
  FEATURES: 5,
  /** Start of its table (2^(p+s)·f numbers). */
  TABLE: 6,
  /** Start of its landing values (2^s numbers). */
  LANDING: 7,
  /** 2^p − 1: the prefix bits of its root's mask. */
  PREFIX_MASK: 8,
  /** Its tree. */
  TREE: 9,
} as const;
export const UNIT_STRIDE = 10;

/** Splits per unit at most. */
const MAX_UNIT_NODES = 7;
/** Index bits (prefix features + splits) per unit at most: 2^8·f numbers per table. */
const MAX_UNIT_BITS = 8;
/** Distinct path features per leaf at most; deeper models use the reference method. */
export const MAX_TABLE_FEATURES = 12;

const cache = new WeakMap<GbdtModel, ShapTables | null>();

/** The model's tables, or null when a leaf has more than MAX_TABLE_FEATURES path features. */
export function shapTables(model: GbdtModel): ShapTables | null {
  if (cache.has(model)) return cache.get(model) as ShapTables | null;
  const tables = buildTables(compileForest(model));
  cache.set(model, tables);
  return tables;
}

const FACTORIAL = [1];
for (let i = 1; i <= MAX_TABLE_FEATURES; i++) FACTORIAL.push((FACTORIAL[i - 1] as number) * i);

/** One leaf's Shapley values for every subset O of its k path features: out[O·k + i]. */
export function leafContributions(v: number, zeros: readonly number[]): Float64Array {
  const k = zeros.length;
  const size = 1 << k;
  const vH = new Float64Array(size);
  const q = new Float64Array(k + 1);
  for (let Q = 0; Q < size - 1; Q++) {
    // Coefficients of Π_{i∈Q} (z_i + t) · Π_{i∉Q} z_i.
    q.fill(0);
    q[0] = 1;
    let degree = 0;
    for (let i = 0; i < k; i++) {
      const z = zeros[i] as number;
      if ((Q >> i) & 1) {
        for (let j = degree + 1; j >= 1; j--) q[j] = (q[j] as number) * z + (q[j - 1] as number);
        q[0] = (q[0] as number) * z;
        degree++;
      } else for (let j = 0; j <= degree; j++) q[j] = (q[j] as number) * z;
    }
    let H = 0;
    for (let s = 0; s <= degree; s++) {
      const w =
        ((FACTORIAL[s] as number) * (FACTORIAL[k - 1 - s] as number)) / (FACTORIAL[k] as number);
      H += w * (q[s] as number);
    }
    vH[Q] = v * H;
  }
  const out = new Float64Array(size * k);
  for (let O = 0; O < size; O++) {
    for (let i = 0; i < k; i++) {
      const bit = 1 << i;
      const z = zeros[i] as number;
      out[O * k + i] = O & bit ? ((1 - z) / z) * (vH[O ^ bit] as number) : -(vH[O] as number);
    }
  }
  return out;
}

/** A leaf inside a unit: its path features and zero fractions, and its path below the root. */
interface UnitLeaf {
  leaf: number;
  features: number[];
  zeros: number[];
  /** Inner splits on its path: position in the unit's split list, side (1 = left), slot. */
  edges: { inner: number; left: number; slot: number }[];
}

function buildTables(c: CompiledForest): ShapTables | null {
  const nodes = c.feature.length;
  const leaves = c.leafValue.length;
  const slot = new Int32Array(nodes);
  const splits = new Int32Array(nodes);
  for (let n = nodes - 1; n >= 0; n--) {
    const l = c.left[n] as number;
    const r = c.right[n] as number;
    splits[n] = 1 + (l >= 0 ? (splits[l] as number) : 0) + (r >= 0 ? (splits[r] as number) : 0);
  }
  const count = (ref: number) => (ref >= 0 ? c.nodeCount[ref] : c.leafCount[~ref]) as number;
  const maskIndex = (ref: number) => (ref >= 0 ? ref : nodes + ~ref);

  const spineStart = new Int32Array(c.trees + 1);
  const unitStart = new Int32Array(c.trees + 1);
  const spine: number[] = [];
  const unit: number[] = [];
  const innerNode: number[] = [];
  const innerUnit: number[] = [];
  const innerShift: number[] = [];
  let tree = 0;
  const unitFeature: number[] = [];
  const edgeStart: number[] = [];
  const edgeNode: number[] = [];
  const edgeLeft: number[] = [];
  const tableParts: Float64Array[] = [];
  const landingParts: Float64Array[] = [];
  let tableSize = 0;
  let landingSize = 0;
  let tooDeep = false;
  let expected = c.baseLogit;

  // The path from the tree's root to the current node.
  const features: number[] = [];
  const zeros: number[] = [];
  const pathNodes: number[] = [];
  const pathSides: number[] = [];

  /** Descends into a child: extends the path, runs `body`, restores the path. */
  const descend = (n: number, side: number, body: () => void): void => {
    const f = c.feature[n] as number;
    const child = (side ? c.left[n] : c.right[n]) as number;
    const share = count(child) / (c.nodeCount[n] as number);
    let s = features.indexOf(f);
    const fresh = s < 0;
    if (fresh) {
      s = features.length;
      features.push(f);
      zeros.push(share);
    }
    const before = zeros[s] as number;
    if (!fresh) zeros[s] = before * share;
    pathNodes.push(n);
    pathSides.push(side);
    body();
    pathNodes.pop();
    pathSides.pop();
    if (fresh) {
      features.pop();
      zeros.pop();
    } else zeros[s] = before;
  };

  const slotOf = (n: number): number => {
    const f = c.feature[n] as number;
    const s = features.indexOf(f);
    return s < 0 ? features.length : s;
  };

  const makeUnit = (root: number): void => {
    const p = features.length;
    const inner: number[] = [];
    const unitLeaves: UnitLeaf[] = [];
    const innerEdges: UnitLeaf['edges'] = [];
    const collect = (ref: number): void => {
      if (ref < 0) {
        unitLeaves.push({
          leaf: ~ref,
          features: [...features],
          zeros: [...zeros],
          edges: [...innerEdges],
        });
        return;
      }
      const at = inner.length;
      inner.push(ref);
      slot[ref] = slotOf(ref);
      for (const side of [1, 0]) {
        innerEdges.push({ inner: at, left: side, slot: slot[ref] as number });
        descend(ref, side, () => collect((side ? c.left[ref] : c.right[ref]) as number));
        innerEdges.pop();
      }
    };
    collect(root);
    if (unitLeaves.some((l) => l.features.length > MAX_TABLE_FEATURES)) {
      tooDeep = true;
      return;
    }
    // The unit's features: those above it, then those it splits on, by first appearance.
    const own = features.slice(0, p);
    for (const l of unitLeaves) for (const f of l.features) if (!own.includes(f)) own.push(f);
    const f = own.length;
    const s = inner.length;
    const bits = p + s;
    const size = 1 << bits;
    const prefix = (1 << p) - 1;
    const table = new Float64Array(size * f);
    for (const l of unitLeaves) {
      const k = l.features.length;
      const contributions = leafContributions(c.leafValue[l.leaf] as number, l.zeros);
      const position = l.features.map((g) => own.indexOf(g));
      const below = ((1 << k) - 1) & ~prefix;
      for (let index = 0; index < size; index++) {
        let O = (index & prefix) | below;
        for (const e of l.edges) {
          if (((index >> (p + e.inner)) & 1) !== e.left) O &= ~(1 << e.slot);
        }
        const from = O * k;
        const to = index * f;
        for (let i = 0; i < k; i++) {
          table[to + (position[i] as number)] += contributions[from + i] as number;
        }
      }
    }
    const landing = new Float64Array(1 << s);
    for (let D = 0; D < 1 << s; D++) {
      let ref = root;
      while (ref >= 0) ref = ((D >> inner.indexOf(ref)) & 1 ? c.left[ref] : c.right[ref]) as number;
      landing[D] = c.leafValue[~ref] as number;
    }
    const u = unit.length / UNIT_STRIDE;
    unit.push(maskIndex(root), p, s, innerNode.length, f, unitFeature.length, tableSize);
    unit.push(landingSize, prefix, tree);
    inner.forEach((n, i) => {
      innerNode.push(n);
      innerUnit.push(u);
      innerShift.push(p + i);
    });
    unitFeature.push(...own);
    tableParts.push(table);
    tableSize += table.length;
    landingParts.push(landing);
    landingSize += landing.length;
    edgeStart.push(edgeNode.length);
    edgeNode.push(...pathNodes);
    edgeLeft.push(...pathSides);
  };

  const walk = (ref: number): void => {
    if (tooDeep) return;
    const p = features.length;
    if (
      ref < 0 ||
      ((splits[ref] as number) <= MAX_UNIT_NODES && p + (splits[ref] as number) <= MAX_UNIT_BITS)
    ) {
      makeUnit(ref);
      return;
    }
    const s = slotOf(ref);
    slot[ref] = s;
    spine.push(ref, maskIndex(c.left[ref] as number), maskIndex(c.right[ref] as number), ~(1 << s));
    descend(ref, 1, () => walk(c.left[ref] as number));
    descend(ref, 0, () => walk(c.right[ref] as number));
  };

  for (let t = 0; t < c.trees; t++) {
    tree = t;
    const root = c.root[t] as number;
    if (root < 0) expected += c.leafValue[~root] as number;
    else {
      let sum = 0;
      for (let l = c.leafStart[t] as number; l < (c.leafStart[t + 1] as number); l++) {
        sum += (c.leafValue[l] as number) * (c.leafCount[l] as number);
      }
      expected += sum / (c.nodeCount[root] as number);
      walk(root);
      if (tooDeep) return null;
    }
    spineStart[t + 1] = spine.length / 4;
    unitStart[t + 1] = unit.length / UNIT_STRIDE;
  }
  edgeStart.push(edgeNode.length);

  const softStart = new Int32Array(c.trees + 1);
  const softNode: number[] = [];
  for (let t = 0; t < c.trees; t++) {
    for (let n = c.nodeStart[t] as number; n < (c.nodeStart[t + 1] as number); n++) {
      if ((c.rampLow[n] as number) === (c.rampLow[n] as number)) softNode.push(n);
    }
    softStart[t + 1] = softNode.length;
  }
  const concat = (parts: Float64Array[], size: number) => {
    const out = new Float64Array(size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  };
  return {
    forest: c,
    expectedLogit: expected,
    softStart,
    softNode: Int32Array.from(softNode),
    spineStart,
    spine: Int32Array.from(spine),
    unitStart,
    unit: Int32Array.from(unit),
    innerNode: Int32Array.from(innerNode),
    innerUnit: Int32Array.from(innerUnit),
    innerShift: Int32Array.from(innerShift),
    unitFeature: Int32Array.from(unitFeature),
    table: concat(tableParts, tableSize),
    landing: concat(landingParts, landingSize),
    edgeStart: Int32Array.from(edgeStart),
    edgeNode: Int32Array.from(edgeNode),
    edgeLeft: Uint8Array.from(edgeLeft),
    slot,
    decision: Float64Array.from(c.threshold, (thr, n) => {
      const lo = c.rampLow[n] as number;
      return lo === lo ? lo : thr;
    }),
    missingLeft: Int32Array.from(c.missingLeft),
    mask: new Int32Array(nodes + leaves),
    decisions: new Int32Array(unit.length / UNIT_STRIDE),
    reached: new Float64Array(c.trees),
    skipTree: new Uint8Array(c.trees),
    rowOf: new Int32Array(unit.length / UNIT_STRIDE),
    sink: new Float64Array(1),
    one: new Float64Array(MAX_TABLE_FEATURES),
    share: new Float64Array(MAX_UNIT_NODES),
    fracBits: new Int32Array(MAX_TABLE_FEATURES + MAX_UNIT_NODES),
    fracWeight: new Float64Array(MAX_TABLE_FEATURES + MAX_UNIT_NODES),
  };
}
