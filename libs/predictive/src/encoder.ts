import {
  DEFAULT_MIN_COUNT,
  DEFAULT_NUMERIC_BINS,
  MISSING_LEVEL,
  OTHER_LEVEL,
  type FeatureRow,
  type FeatureSpec,
  type FeatureValue,
} from './feature-spec';
import { binIndex, binLabel, quantileCuts, quantileKnots } from './quantile-bins';

/**
 * A fitted feature encoder: plain JSON, stored with the model. Every group of features
 * (one column, or one interaction) occupies the contiguous indices [start, end).
 */
export interface Encoder {
  version: 1;
  width: number;
  featureNames: string[];
  groups: EncoderGroup[];
}

export type EncoderGroup = CategoricalGroup | NumericGroup | InteractionGroup;

export interface CategoricalGroup {
  kind: 'categorical';
  name: string;
  start: number;
  end: number;
  /** Level i is feature start + i; anything else is the last feature, `name=(other)`. */
  levels: string[];
}

export interface NumericGroup {
  kind: 'numeric';
  name: string;
  start: number;
  end: number;
  /**
   * Bin b is feature start + b; then `name=(missing)`; then the standardised value, if any;
   * then one hat function per knot, if any.
   */
  cuts: number[] | null;
  standardised: { mean: number; sd: number } | null;
  /** Strictly increasing knots of the piecewise-linear curve (absent in models before it). */
  knots?: number[] | null;
}

export interface InteractionGroup {
  kind: 'interaction';
  name: string;
  start: number;
  end: number;
  columns: [string, string];
  /** Level i (`a=x × b=y`) is feature start + i; anything else is the last, `(other)`. */
  levels: string[];
}

/** A categorical value as a level name: `(missing)` for null, undefined, NaN or blank. */
export function levelOf(value: FeatureValue): string {
  if (value === null || value === undefined) return MISSING_LEVEL;
  if (typeof value === 'number' && Number.isNaN(value)) return MISSING_LEVEL;
  const s = String(value);
  return s.trim() === '' ? MISSING_LEVEL : s;
}

/** A numeric value, or null when missing or not a number. */
export function numberOf(value: FeatureValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * The name of the one-hot feature a row activates in a column group (`job=admin.`,
 * `age∈[30,39)`, `age=(missing)`), used for interactions and reason codes. Null for a numeric
 * column without bins.
 */
export function columnKey(
  group: CategoricalGroup | NumericGroup,
  value: FeatureValue,
): string | null {
  if (group.kind === 'categorical') {
    const level = levelOf(value);
    return `${group.name}=${levelIndex(group).has(level) ? level : OTHER_LEVEL}`;
  }
  const x = numberOf(value);
  if (x === null) return `${group.name}=${MISSING_LEVEL}`;
  if (group.cuts === null) return null;
  return binLabel(group.name, group.cuts, binIndex(group.cuts, x));
}

const levelIndexCache = new WeakMap<object, Map<string, number>>();

/** level → position in `group.levels` (memoised per group object). */
export function levelIndex(group: CategoricalGroup | InteractionGroup): Map<string, number> {
  let map = levelIndexCache.get(group);
  if (!map) {
    map = new Map(group.levels.map((l, i) => [l, i]));
    levelIndexCache.set(group, map);
  }
  return map;
}

function assertMinCount(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

/** Fits bins, levels and standardisation on the training rows only. */
export function fitEncoder(rows: readonly FeatureRow[], spec: FeatureSpec): Encoder {
  const names = new Set<string>();
  for (const c of spec.columns) {
    if (names.has(c.name)) throw new RangeError(`column "${c.name}" appears twice in the spec`);
    names.add(c.name);
  }
  const groups: EncoderGroup[] = [];
  const featureNames: string[] = [];
  const byName = new Map<string, CategoricalGroup | NumericGroup>();

  for (const column of spec.columns) {
    const start = featureNames.length;
    if (column.kind === 'categorical') {
      const minCount = assertMinCount(
        column.minCount ?? DEFAULT_MIN_COUNT,
        `${column.name}.minCount`,
      );
      const counts = new Map<string, number>();
      for (const row of rows) {
        const level = levelOf(row[column.name]);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      const levels = [...counts]
        .filter(([level, count]) => count >= minCount && level !== OTHER_LEVEL)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([level]) => level);
      for (const level of levels) featureNames.push(`${column.name}=${level}`);
      featureNames.push(`${column.name}=${OTHER_LEVEL}`);
      const group: CategoricalGroup = {
        kind: 'categorical',
        name: column.name,
        start,
        end: featureNames.length,
        levels,
      };
      groups.push(group);
      byName.set(column.name, group);
    } else {
      const bins = column.bins ?? DEFAULT_NUMERIC_BINS;
      if (!Number.isInteger(bins) || bins < 0) {
        throw new RangeError(`${column.name}.bins must be a non-negative integer, got ${bins}`);
      }
      if (bins === 0 && !column.standardise && !column.knots) {
        throw new RangeError(
          `${column.name}: with bins 0, set standardise or knots (or leave the column out)`,
        );
      }
      if (column.knots !== undefined && (!Number.isInteger(column.knots) || column.knots < 2)) {
        throw new RangeError(`${column.name}.knots must be an integer >= 2, got ${column.knots}`);
      }
      const minBinCount = assertMinCount(
        column.minBinCount ?? DEFAULT_MIN_COUNT,
        `${column.name}.minBinCount`,
      );
      const values: number[] = [];
      for (const row of rows) {
        const x = numberOf(row[column.name]);
        if (x !== null) values.push(x);
      }
      const sorted = Float64Array.from(values).sort();
      const cuts = bins === 0 ? null : quantileCuts(sorted, bins, minBinCount);
      if (cuts !== null) {
        for (let b = 0; b <= cuts.length; b++) featureNames.push(binLabel(column.name, cuts, b));
      }
      featureNames.push(`${column.name}=${MISSING_LEVEL}`);
      let standardised: NumericGroup['standardised'] = null;
      if (column.standardise) {
        let mean = 0;
        for (const v of sorted) mean += v;
        mean = sorted.length ? mean / sorted.length : 0;
        let ss = 0;
        for (const v of sorted) ss += (v - mean) * (v - mean);
        const sd = sorted.length > 1 ? Math.sqrt(ss / (sorted.length - 1)) : 0;
        // A constant column: rounding leaves a mean a hair off the value and an sd of ~1e-17,
        // which would blow any other value up to ~1e16 standard deviations when scoring.
        const constant = sorted.length === 0 || sorted[0] === sorted[sorted.length - 1];
        standardised = constant
          ? { mean: sorted.length ? (sorted[0] as number) : 0, sd: 1 }
          : { mean, sd: sd > 0 ? sd : 1 };
        featureNames.push(`${column.name} (standardised)`);
      }
      let knots: number[] | null = null;
      if (column.knots) {
        knots = quantileKnots(sorted, column.knots);
        if (knots.length < 2) knots = null;
        for (const k of knots ?? []) featureNames.push(`${column.name}≈${k}`);
      }
      const group: NumericGroup = {
        kind: 'numeric',
        name: column.name,
        start,
        end: featureNames.length,
        cuts,
        standardised,
        ...(column.knots ? { knots } : {}),
      };
      groups.push(group);
      byName.set(column.name, group);
    }
  }

  for (const interaction of spec.interactions ?? []) {
    const [a, b] = interaction.columns;
    const ga = byName.get(a);
    const gb = byName.get(b);
    if (!ga || !gb)
      throw new RangeError(`interaction ${a} × ${b}: both columns must be in the spec`);
    if (a === b) throw new RangeError(`interaction ${a} × ${b}: two different columns are needed`);
    for (const g of [ga, gb]) {
      if (g.kind === 'numeric' && g.cuts === null) {
        throw new RangeError(`interaction ${a} × ${b}: numeric column ${g.name} needs bins`);
      }
    }
    const name = `${a} × ${b}`;
    const minCount = assertMinCount(interaction.minCount ?? DEFAULT_MIN_COUNT, `${name}.minCount`);
    const counts = new Map<string, number>();
    for (const row of rows) {
      const key = `${columnKey(ga, row[a])} × ${columnKey(gb, row[b])}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const start = featureNames.length;
    const levels = [...counts]
      .filter(([, count]) => count >= minCount)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([level]) => level);
    featureNames.push(...levels, `${name}=${OTHER_LEVEL}`);
    groups.push({
      kind: 'interaction',
      name,
      start,
      end: featureNames.length,
      columns: [a, b],
      levels,
    });
  }

  return { version: 1, width: featureNames.length, featureNames, groups };
}
