import { type FeatureRow, type FeatureValue } from '../feature-spec';
import { countOutcomes } from '../labels';
import { type GbdtModel } from '../trees/gbdt-model';
import { predictGbdtLogit } from '../trees/predict-gbdt';
import { trainGbdt, type GbdtOptions } from '../trees/train-gbdt';
import { treeShap } from '../trees/tree-shap';
import { LEVEL_MIN_COUNT, type TabularColumn } from './tabular-column';

export const OTHER_LEVEL_NAME = '(other)';

/** How a row's column becomes the number the trees split on. */
export type TreeColumnEncoding =
  | { name: string; type: 'number' }
  /**
   * A category as the rank of its level's training conversion rate (so one split can separate
   * the levels that convert from those that do not); rare and unseen levels take the rank of
   * `(other)`; a missing value stays missing.
   */
  | { name: string; type: 'category'; levels: string[] };

/** Gradient-boosted trees over encoded columns: plain JSON, stored as-is. */
export interface TreeModel {
  kind: 'gradient-boosted-trees';
  version: 1;
  columns: TreeColumnEncoding[];
  gbdt: GbdtModel;
  training: { rows: number; conversions: number; baseRate: number };
  /** Mean |contribution| in log-odds of each column over the training rows. */
  importance?: Record<string, number>;
}

/**
 * The settings every fit uses besides the trainer's defaults (depth 5, 15 leaves, shrinkage
 * 0.1, early stopping on a held-out tenth, 32 bins for a feature that changes with time).
 */
export const TREE_OPTIONS = Object.freeze({ maxTrees: 500 });

/** Pseudo-count pulling a rare level's rate towards the base rate when ranking levels. */
const RATE_PRIOR = 10;

function levelOf(value: FeatureValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  const s = String(value);
  return s.trim() === '' ? null : s;
}

function numberOf(value: FeatureValue): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

/** Levels of a category column ranked by smoothed training conversion rate, lowest first. */
function rankLevels(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  name: string,
  baseRate: number,
): string[] {
  const stats = new Map<string, { n: number; y: number }>();
  const other = { n: 0, y: 0 };
  rows.forEach((row, i) => {
    const level = levelOf(row[name]);
    if (level === null) return;
    const s = stats.get(level) ?? { n: 0, y: 0 };
    s.n++;
    s.y += labels[i]!;
    stats.set(level, s);
  });
  const kept: [string, { n: number; y: number }][] = [];
  for (const [level, s] of stats) {
    if (s.n >= LEVEL_MIN_COUNT && level !== OTHER_LEVEL_NAME) kept.push([level, s]);
    else {
      other.n += s.n;
      other.y += s.y;
    }
  }
  kept.push([OTHER_LEVEL_NAME, other]);
  const rate = (s: { n: number; y: number }) => (s.y + RATE_PRIOR * baseRate) / (s.n + RATE_PRIOR);
  return kept
    .sort((a, b) => rate(a[1]) - rate(b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([level]) => level);
}

const indexCache = new WeakMap<object, Map<string, number>>();

function levelIndex(column: { levels: string[] }): Map<string, number> {
  let map = indexCache.get(column);
  if (!map) {
    map = new Map(column.levels.map((l, i) => [l, i]));
    indexCache.set(column, map);
  }
  return map;
}

function encodeValue(column: TreeColumnEncoding, value: FeatureValue): number {
  if (column.type === 'number') return numberOf(value);
  const level = levelOf(value);
  if (level === null) return Number.NaN;
  const index = levelIndex(column);
  return index.get(level) ?? index.get(OTHER_LEVEL_NAME)!;
}

/** A row as the trees read it. */
export function encodeTreeRow(model: TreeModel, row: FeatureRow): Float64Array {
  const { columns } = model;
  const x = new Float64Array(columns.length);
  for (let j = 0; j < columns.length; j++) x[j] = encodeValue(columns[j]!, row[columns[j]!.name]);
  return x;
}

export function fitTrees(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  columns: readonly TabularColumn[],
  seed: number,
  /** Settings besides `TREE_OPTIONS` (for experiments and benchmarks). */
  overrides: Partial<Omit<GbdtOptions, 'featureNames' | 'softFeatures'>> = {},
): TreeModel {
  const counts = countOutcomes(labels);
  const baseRate = counts.baseRate ?? 0;
  const encodings: TreeColumnEncoding[] = columns.map((c) =>
    c.type === 'number'
      ? { name: c.name, type: 'number' }
      : { name: c.name, type: 'category', levels: rankLevels(rows, labels, c.name, baseRate) },
  );
  const data = encodings.map((c) => Float64Array.from(rows, (row) => encodeValue(c, row[c.name])));
  const gbdt = trainGbdt(data, labels, {
    ...TREE_OPTIONS,
    ...overrides,
    featureNames: encodings.map((c) => c.name),
    softFeatures: columns.map((c) => c.timeVarying === true),
    seed,
  });
  return {
    kind: 'gradient-boosted-trees',
    version: 1,
    columns: encodings,
    gbdt,
    training: { rows: counts.total, conversions: counts.conversions, baseRate },
  };
}

export function treeLogit(model: TreeModel, row: FeatureRow): number {
  return predictGbdtLogit(model.gbdt, encodeTreeRow(model, row));
}

const namesCache = new WeakMap<TreeModel, string[]>();

/** Exact TreeSHAP contributions per column, from the trees' expected log-odds. */
export function treeContributions(
  model: TreeModel,
  row: FeatureRow,
): { logit: number; reference: number; names: readonly string[]; contributions: Float64Array } {
  let names = namesCache.get(model);
  if (!names) {
    names = model.columns.map((c) => c.name);
    namesCache.set(model, names);
  }
  const shap = treeShap(model.gbdt, encodeTreeRow(model, row));
  return {
    logit: shap.logit,
    reference: shap.expectedLogit,
    names,
    contributions: shap.contributions,
  };
}
