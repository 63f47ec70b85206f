/**
 * Validation of what a predictive version records about its own training (`evaluation`,
 * `discovery`): read back by the API, so a hand-written definition must not carry anything
 * malformed or unbounded there.
 */
type Issue = (path: string, message: string) => void;
type RawRecord = Record<string, unknown>;

const KINDS = ['logistic-regression', 'gradient-boosted-trees'];
const MAX_LIST = 200;
const MAX_TEXT = 2_000;

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

function text(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_TEXT;
}

function boundedList(value: unknown, path: string, issue: Issue): value is unknown[] {
  if (!Array.isArray(value) || value.length > MAX_LIST) {
    issue(path, `must be an array of at most ${MAX_LIST} entries`);
    return false;
  }
  return true;
}

/** rows, conversions, auc, brier, logLoss; calibration and lift tables when `tables`. */
function validateMetrics(raw: unknown, path: string, issue: Issue, tables: boolean): void {
  if (!isRecord(raw)) {
    issue(path, 'must be an object of metrics');
    return;
  }
  for (const key of ['rows', 'conversions']) {
    if (!Number.isInteger(raw[key]) || (raw[key] as number) < 0) {
      issue(`${path}.${key}`, 'must be a whole number >= 0');
    }
  }
  for (const key of ['baseRate', 'auc', 'brier', 'logLoss']) {
    if (!numberOrNull(raw[key])) issue(`${path}.${key}`, 'must be a number or null');
  }
  if (!tables) return;
  for (const key of ['calibration', 'lift']) {
    if (boundedList(raw[key], `${path}.${key}`, issue)) {
      (raw[key] as unknown[]).forEach((row, i) => {
        if (!isRecord(row) || !Object.values(row).every(numberOrNull)) {
          issue(`${path}.${key}[${i}]`, 'must be a row of numbers');
        }
      });
    }
  }
}

export function validateEvaluation(raw: unknown, path: string, issue: Issue): void {
  if (raw === undefined) return;
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return;
  }
  if (!KINDS.includes(raw.chosen as string))
    issue(`${path}.chosen`, `must be one of ${KINDS.join(', ')}`);
  if (!text(raw.reason)) issue(`${path}.reason`, 'must be a text');
  if (boundedList(raw.candidates, `${path}.candidates`, issue)) {
    raw.candidates.forEach((c: unknown, i) => {
      const at = `${path}.candidates[${i}]`;
      if (!isRecord(c) || !KINDS.includes(c.kind as string)) {
        issue(`${at}.kind`, `must be one of ${KINDS.join(', ')}`);
        return;
      }
      validateMetrics(c.pooled, `${at}.pooled`, issue, true);
      if (!Number.isInteger(c.k)) issue(`${at}.k`, 'must be a whole number');
      for (const key of ['meanAuc', 'sdAuc']) {
        if (!numberOrNull(c[key])) issue(`${at}.${key}`, 'must be a number or null');
      }
      if (boundedList(c.folds, `${at}.folds`, issue)) {
        c.folds.forEach((f: unknown, j) => validateMetrics(f, `${at}.folds[${j}]`, issue, false));
      }
    });
  }
  const oot = raw.outOfTime;
  if (!isRecord(oot)) issue(`${path}.outOfTime`, 'must be an object');
  else {
    if (oot.unavailable !== null && !text(oot.unavailable)) {
      issue(`${path}.outOfTime.unavailable`, 'must be null or a text');
    }
    if (
      oot.splitAt !== null &&
      (typeof oot.splitAt !== 'string' || Number.isNaN(Date.parse(oot.splitAt)))
    ) {
      issue(`${path}.outOfTime.splitAt`, 'must be null or an ISO 8601 date-time');
    }
    for (const key of ['trainRows', 'testRows']) {
      if (!Number.isInteger(oot[key])) issue(`${path}.outOfTime.${key}`, 'must be a whole number');
    }
    if (oot.metrics !== null)
      validateMetrics(oot.metrics, `${path}.outOfTime.metrics`, issue, true);
  }
  if (raw.shownScore !== null) validateMetrics(raw.shownScore, `${path}.shownScore`, issue, true);
  if (boundedList(raw.warnings, `${path}.warnings`, issue) && !raw.warnings.every(text)) {
    issue(`${path}.warnings`, 'must be texts');
  }
}

export function validateDiscovery(raw: unknown, path: string, issue: Issue): void {
  if (raw === undefined) return;
  if (!isRecord(raw) || !Number.isInteger(raw.skippedCount)) {
    issue(path, 'must be { skipped, skippedCount }');
    return;
  }
  if (boundedList(raw.skipped, `${path}.skipped`, issue)) {
    raw.skipped.forEach((s: unknown, i) => {
      if (!isRecord(s) || !text(s.path) || !text(s.reason)) {
        issue(`${path}.skipped[${i}]`, 'must be { path, reason }, two texts');
      }
    });
  }
}
