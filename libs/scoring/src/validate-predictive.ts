/** Validation of a version's `predictive` section (a trained model, stored as JSON). */
import type { PredictiveModel } from '@quorum/predictive';
import { type PredictiveSection } from './model-definition';
import { validateDiscovery, validateEvaluation } from './validate-evaluation';
import { validateFeatureSet } from './validate-feature-set';
import { validateTreeModel } from './validate-tree-model';

type Issue = (path: string, message: string) => void;
type RawRecord = Record<string, unknown>;

const SECTION_KEYS = [
  'mode',
  'weights',
  'rulesScaleMax',
  'features',
  'model',
  'training',
  'evaluation',
  'discovery',
];
const MAX_FEATURES = 100_000;

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A deep copy of the section, or null after reporting every issue found. */
export function validatePredictiveSection(
  raw: unknown,
  issue: Issue,
  /** `predictive` for the lead model, `account.predictive` for an account model. */
  path = 'predictive',
): PredictiveSection | null {
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return null;
  }
  const before = { count: 0 };
  const report: Issue = (p, m) => {
    before.count++;
    issue(p, m);
  };
  for (const key of Object.keys(raw)) {
    if (!SECTION_KEYS.includes(key)) report(`${path}.${key}`, 'unknown property');
  }
  const mode = raw.mode;
  if (mode !== 'PREDICTIVE' && mode !== 'HYBRID') {
    report(`${path}.mode`, 'must be PREDICTIVE or HYBRID');
  }
  if (mode === 'HYBRID') {
    const w = raw.weights;
    if (!isRecord(w) || !finite(w.rules) || !finite(w.predictive)) {
      report(`${path}.weights`, 'must be { rules, predictive }, two finite numbers');
    } else if (w.rules < 0 || w.predictive < 0 || w.rules + w.predictive <= 0) {
      report(`${path}.weights`, 'must be >= 0, and not both 0');
    }
  } else if (mode === 'PREDICTIVE' && raw.weights !== null && raw.weights !== undefined) {
    report(`${path}.weights`, 'must be null for a PREDICTIVE model (weights mix a HYBRID)');
  }
  if (!finite(raw.rulesScaleMax) || raw.rulesScaleMax <= 0) {
    report(`${path}.rulesScaleMax`, 'must be a number > 0');
  }

  const columns = validateFeatureSet(raw.features, `${path}.features`, report) ?? new Set<string>();

  validateModel(raw.model, `${path}.model`, columns, report);
  validateTrainingInfo(raw.training, `${path}.training`, report);
  validateEvaluation(raw.evaluation, `${path}.evaluation`, report);
  validateDiscovery(raw.discovery, `${path}.discovery`, report);

  if (before.count > 0) return null;
  return structuredClone(raw) as unknown as PredictiveSection;
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function wholeNumber(value: unknown, min = 0): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

function validateTrainingInfo(raw: unknown, path: string, issue: Issue): void {
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return;
  }
  for (const key of ['from', 'to', 'trainedAt']) {
    if (!isDate(raw[key])) issue(`${path}.${key}`, 'must be an ISO 8601 date-time');
  }
  if (!wholeNumber(raw.horizonDays, 1)) issue(`${path}.horizonDays`, 'must be a whole number >= 1');
  if (!wholeNumber(raw.folds)) issue(`${path}.folds`, 'must be a whole number >= 0');
  if (!wholeNumber(raw.observations)) {
    issue(`${path}.observations`, 'must be a whole number >= 0');
  }
  if (!wholeNumber(raw.conversions)) issue(`${path}.conversions`, 'must be a whole number >= 0');
  if (!finite(raw.durationMs) || raw.durationMs < 0) {
    issue(`${path}.durationMs`, 'must be a number >= 0');
  }
  if (
    raw.workspaceHash !== undefined &&
    (typeof raw.workspaceHash !== 'string' || !/^[0-9a-f]{1,64}$/.test(raw.workspaceHash))
  ) {
    issue(`${path}.workspaceHash`, 'must be a hexadecimal hash');
  }
}

function validateModel(raw: unknown, path: string, columns: Set<string>, issue: Issue): void {
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return;
  }
  if (raw.kind === 'gradient-boosted-trees') {
    validateTreeModel(raw, path, columns, issue);
    validateImportance(raw.importance, `${path}.importance`, issue);
    return;
  }
  if (raw.kind !== 'logistic-regression' || raw.version !== 1) {
    issue(`${path}.kind`, "must be 'logistic-regression' (version 1) or 'gradient-boosted-trees'");
    return;
  }
  if (!isRecord(raw.spec) || !Array.isArray(raw.spec.columns)) {
    issue(`${path}.spec`, 'must be { columns: [...] }, the recipe the encoder was fitted with');
  }
  const encoder = raw.encoder;
  if (!isRecord(encoder) || !Number.isInteger(encoder.width) || !Array.isArray(encoder.groups)) {
    issue(`${path}.encoder`, 'must be a fitted encoder { version, width, featureNames, groups }');
    return;
  }
  const width = encoder.width as number;
  if (width < 1 || width > MAX_FEATURES) {
    issue(`${path}.encoder.width`, `must be from 1 to ${MAX_FEATURES}`);
    return;
  }
  const model = raw as unknown as PredictiveModel;
  for (const key of ['weights', 'featureMeans'] as const) {
    const list: unknown = model[key];
    if (!Array.isArray(list) || list.length !== width || !list.every(finite)) {
      issue(`${path}.${key}`, `must be ${width} finite numbers (the encoder's width)`);
    }
  }
  if (
    !Array.isArray(encoder.featureNames) ||
    encoder.featureNames.length !== width ||
    !encoder.featureNames.every((n) => typeof n === 'string')
  ) {
    issue(`${path}.encoder.featureNames`, `must be ${width} names`);
  }
  if (!finite(model.intercept)) issue(`${path}.intercept`, 'must be a finite number');
  if (!finite(model.lambda) || model.lambda < 0) issue(`${path}.lambda`, 'must be a number >= 0');
  validateImportance(raw.importance, `${path}.importance`, issue);
  validateGroups(encoder.groups as unknown[], `${path}.encoder`, width, columns, issue);
  validateModelTraining(raw.training, `${path}.training`, issue);
  if (raw.metrics !== null) validateMetrics(raw.metrics, `${path}.metrics`, issue);
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function hasDuplicates(list: readonly string[]): boolean {
  return new Set(list).size !== list.length;
}

/** Each group's own fields, and that the groups cover [0, width) in order with the right widths. */
function validateGroups(
  groups: unknown[],
  path: string,
  width: number,
  columns: Set<string>,
  issue: Issue,
): void {
  const seen = new Map<string, RawRecord>();
  let next = 0;
  groups.forEach((g, i) => {
    const groupPath = `${path}.groups[${i}]`;
    if (!isRecord(g) || typeof g.name !== 'string' || g.start !== next || !wholeNumber(g.end)) {
      issue(
        groupPath,
        `must be a group { kind, name, start: ${next}, end, ... } covering the next features`,
      );
      return;
    }
    if (seen.has(g.name)) issue(`${groupPath}.name`, `'${g.name}' appears twice`);
    const expected = groupWidth(g, groupPath, seen, issue);
    if (g.kind === 'categorical' || g.kind === 'numeric') {
      if (!columns.has(g.name)) {
        issue(`${groupPath}.name`, `'${g.name}' is not among the features this version reads`);
      }
    }
    seen.set(g.name, g);
    if (expected !== null && (g.end as number) - next !== expected) {
      issue(`${groupPath}.end`, `must be ${next + expected} (start + ${expected} features)`);
    }
    next = g.end as number;
  });
  if (next !== width) issue(`${path}.groups`, `must cover features 0 to ${width - 1}`);
}

/** The number of features the group's fields imply, or null after reporting what is wrong. */
function groupWidth(
  g: RawRecord,
  path: string,
  earlier: ReadonlyMap<string, RawRecord>,
  issue: Issue,
): number | null {
  if (g.kind === 'categorical' || g.kind === 'interaction') {
    let ok = true;
    if (!isTextList(g.levels)) {
      issue(`${path}.levels`, 'must be an array of strings');
      ok = false;
    } else if (hasDuplicates(g.levels)) {
      issue(`${path}.levels`, 'must not repeat a level');
      ok = false;
    }
    if (g.kind === 'interaction') ok = validateInteractionColumns(g, path, earlier, issue) && ok;
    // One feature per level, then `(other)`.
    return ok ? (g.levels as string[]).length + 1 : null;
  }
  if (g.kind === 'numeric') {
    let ok = true;
    const cuts = g.cuts;
    if (cuts !== null) {
      if (!Array.isArray(cuts) || !cuts.every(finite)) {
        issue(`${path}.cuts`, 'must be null or an array of finite numbers');
        ok = false;
      } else if (cuts.some((c, k) => k > 0 && c <= cuts[k - 1])) {
        issue(`${path}.cuts`, 'must be strictly increasing');
        ok = false;
      }
    }
    const z = g.standardised;
    if (z !== null) {
      if (!isRecord(z) || !finite(z.mean) || !finite(z.sd) || z.sd <= 0) {
        issue(`${path}.standardised`, 'must be null or { mean, sd }, finite numbers with sd > 0');
        ok = false;
      }
    }
    const knots = g.knots ?? null;
    if (knots !== null) {
      if (
        !Array.isArray(knots) ||
        knots.length < 2 ||
        !knots.every(finite) ||
        knots.some((k, i) => i > 0 && k <= knots[i - 1])
      ) {
        issue(`${path}.knots`, 'must be null or at least 2 strictly increasing finite numbers');
        ok = false;
      }
    }
    // A curve whose training values were all one has no knots: only its missing flag is left.
    if (cuts === null && z === null && knots === null && !('knots' in g)) {
      issue(path, 'a numeric group needs cuts, standardised or knots');
      ok = false;
    }
    if (!ok) return null;
    // Bins (cuts + 1), then `(missing)`, then the standardised value, then one per knot.
    return (
      (cuts === null ? 0 : (cuts as number[]).length + 1) +
      1 +
      (z === null ? 0 : 1) +
      (knots === null ? 0 : (knots as number[]).length)
    );
  }
  issue(`${path}.kind`, 'must be categorical, numeric or interaction');
  return null;
}

function validateInteractionColumns(
  g: RawRecord,
  path: string,
  earlier: ReadonlyMap<string, RawRecord>,
  issue: Issue,
): boolean {
  const cols = g.columns;
  if (!isTextList(cols) || cols.length !== 2 || cols[0] === cols[1]) {
    issue(`${path}.columns`, 'must be two different column names');
    return false;
  }
  let ok = true;
  cols.forEach((name, k) => {
    const column = earlier.get(name);
    if (!column || (column.kind !== 'categorical' && column.kind !== 'numeric')) {
      issue(`${path}.columns[${k}]`, `'${name}' must be a categorical or numeric group before it`);
      ok = false;
    } else if (column.kind === 'numeric' && !Array.isArray(column.cuts)) {
      issue(`${path}.columns[${k}]`, `numeric column '${name}' needs cuts to be crossed`);
      ok = false;
    }
  });
  return ok;
}

function validateModelTraining(raw: unknown, path: string, issue: Issue): void {
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return;
  }
  if (!wholeNumber(raw.rows, 1)) issue(`${path}.rows`, 'must be a whole number >= 1');
  if (!wholeNumber(raw.conversions)) issue(`${path}.conversions`, 'must be a whole number >= 0');
  if (!finite(raw.baseRate) || raw.baseRate < 0 || raw.baseRate > 1) {
    issue(`${path}.baseRate`, 'must be a number from 0 to 1');
  }
  if (!wholeNumber(raw.iterations)) issue(`${path}.iterations`, 'must be a whole number >= 0');
  if (typeof raw.converged !== 'boolean') issue(`${path}.converged`, 'must be true or false');
  const choice = raw.lambdaChoice;
  if (
    choice !== null &&
    (!isRecord(choice) ||
      !finite(choice.lambda) ||
      !wholeNumber(choice.folds) ||
      !Array.isArray(choice.candidates))
  ) {
    issue(`${path}.lambdaChoice`, 'must be null or { lambda, folds, candidates }');
  }
}

/** A number, or null: JSON stores an undefined AUC (NaN, one class only) as null. */
function finiteOrNull(value: unknown): boolean {
  return value === null || finite(value);
}

function validateMetrics(raw: unknown, path: string, issue: Issue): void {
  if (!isRecord(raw)) {
    issue(path, 'must be null or the cross-validation summary');
    return;
  }
  if (!wholeNumber(raw.k, 2)) issue(`${path}.k`, 'must be a whole number >= 2');
  if (!finiteOrNull(raw.meanAuc)) issue(`${path}.meanAuc`, 'must be a number or null');
  if (!finiteOrNull(raw.sdAuc)) issue(`${path}.sdAuc`, 'must be a number or null');
  validateFoldMetrics(raw.pooled, `${path}.pooled`, issue);
  if (!Array.isArray(raw.folds)) issue(`${path}.folds`, 'must be an array');
  else
    raw.folds.forEach((fold: unknown, i) => {
      const foldPath = `${path}.folds[${i}]`;
      if (!validateFoldMetrics(fold, foldPath, issue)) return;
      const f = fold as RawRecord;
      if (!wholeNumber(f.fold)) issue(`${foldPath}.fold`, 'must be a whole number >= 0');
      if (!finite(f.lambda) || f.lambda < 0) issue(`${foldPath}.lambda`, 'must be a number >= 0');
    });
}

function validateFoldMetrics(raw: unknown, path: string, issue: Issue): boolean {
  if (!isRecord(raw)) {
    issue(path, 'must be an object of metrics');
    return false;
  }
  if (!wholeNumber(raw.rows)) issue(`${path}.rows`, 'must be a whole number >= 0');
  if (!wholeNumber(raw.conversions)) issue(`${path}.conversions`, 'must be a whole number >= 0');
  if (!finiteOrNull(raw.auc) || (finite(raw.auc) && (raw.auc < 0 || raw.auc > 1))) {
    issue(`${path}.auc`, 'must be a number from 0 to 1, or null');
  }
  if (!finite(raw.brier) || raw.brier < 0 || raw.brier > 1) {
    issue(`${path}.brier`, 'must be a number from 0 to 1');
  }
  for (const key of ['calibration', 'lift']) {
    if (!Array.isArray(raw[key])) issue(`${path}.${key}`, 'must be an array');
  }
  return true;
}

/** Optional: mean |contribution| per column, finite and >= 0. */
export function validateImportance(raw: unknown, path: string, issue: Issue): void {
  if (raw === undefined) return;
  if (!isRecord(raw) || !Object.values(raw).every((v) => finite(v) && v >= 0)) {
    issue(path, 'must be an object of numbers >= 0, one per column');
  }
}
