/** Validation of a stored gradient-boosted-trees model (`predictive.model`). */
import { parseGbdtModel } from '@quorum/predictive';

type Issue = (path: string, message: string) => void;
type RawRecord = Record<string, unknown>;

const MAX_LEVELS = 1_000;
const MAX_COLUMNS = 5_000;
const MAX_TREES = 5_000;

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Each column the trees read must be one the feature set produces, a category with its levels
 * (distinct texts), and the trees must be well formed (no child loops, indexes in range, finite
 * values: `parseGbdtModel`) over exactly those columns.
 */
export function validateTreeModel(
  raw: RawRecord,
  path: string,
  columns: Set<string>,
  issue: Issue,
): void {
  if (raw.version !== 1) issue(`${path}.version`, 'must be 1');
  const list = raw.columns;
  const names: string[] = [];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_COLUMNS) {
    issue(`${path}.columns`, `must be 1 to ${MAX_COLUMNS} columns`);
  } else {
    list.forEach((c: unknown, i) => {
      const at = `${path}.columns[${i}]`;
      if (!isRecord(c) || typeof c.name !== 'string') {
        issue(`${at}.name`, 'must be a column name');
        return;
      }
      names.push(c.name);
      if (!columns.has(c.name))
        issue(`${at}.name`, `'${c.name}' is not among the features this version reads`);
      if (c.type === 'category') {
        const levels = c.levels;
        if (
          !Array.isArray(levels) ||
          levels.length === 0 ||
          levels.length > MAX_LEVELS ||
          !levels.every((l) => typeof l === 'string') ||
          new Set(levels).size !== levels.length
        ) {
          issue(`${at}.levels`, `must be 1 to ${MAX_LEVELS} different texts`);
        }
      } else if (c.type !== 'number') {
        issue(`${at}.type`, 'must be number or category');
      }
    });
    if (new Set(names).size !== names.length) issue(`${path}.columns`, 'must not repeat a column');
  }
  const gbdt = raw.gbdt;
  if (!isRecord(gbdt) || !Array.isArray(gbdt.trees) || gbdt.trees.length > MAX_TREES) {
    issue(`${path}.gbdt`, `must be a trained model with at most ${MAX_TREES} trees`);
  } else {
    try {
      parseGbdtModel(gbdt);
      const featureNames = gbdt.featureNames as string[];
      if (featureNames.length !== names.length || featureNames.some((n, j) => n !== names[j])) {
        issue(`${path}.gbdt.featureNames`, 'must be the columns, in order');
      }
    } catch (error) {
      issue(`${path}.gbdt`, (error as Error).message);
    }
  }
  const training = raw.training;
  if (
    !isRecord(training) ||
    !Number.isInteger(training.rows) ||
    !Number.isInteger(training.conversions) ||
    typeof training.baseRate !== 'number' ||
    !(training.baseRate >= 0 && training.baseRate <= 1)
  ) {
    issue(`${path}.training`, 'must be { rows, conversions, baseRate } with baseRate from 0 to 1');
  }
}
