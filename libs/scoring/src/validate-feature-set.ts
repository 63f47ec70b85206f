/** Validation of the feature set a predictive version reads (`predictive.features`). */
import { resolveFieldType } from './fields';
import { isActivityType, isBuyingRole, type PredictiveFeatureSet } from './model-definition';
import { ANY_ACTIVITY, featureColumns } from './predictive-features';

type Issue = (path: string, message: string) => void;
type RawRecord = Record<string, unknown>;

const FIELD_TYPES = ['number', 'category', 'boolean', 'date', 'list'];
/** Bounds a stored definition, however it was written. */
const MAX_FIELDS = 500;
const MAX_VALUES = 200;
const MAX_HALF_LIVES = 6;
const MAX_PROPERTIES = 50;
const MAX_TEXT = 200;

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function shortText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT;
}

/**
 * Reports every problem of a feature set, version 1 or 2, and returns the names of the columns
 * it produces (the columns a model may be fitted on), or null when it is not valid.
 */
export function validateFeatureSet(raw: unknown, path: string, issue: Issue): Set<string> | null {
  let count = 0;
  const report: Issue = (p, m) => {
    count++;
    issue(p, m);
  };
  if (!isRecord(raw)) {
    report(path, 'must be an object');
    return null;
  }
  if (raw.version === 2) validateV2(raw, path, report);
  else if (raw.version === undefined) validateV1(raw, path, report);
  else report(`${path}.version`, 'must be 2, or absent for a version-1 feature set');
  if (count > 0) return null;
  return new Set(featureColumns(raw as unknown as PredictiveFeatureSet).map((c) => c.name));
}

function validateV1(raw: RawRecord, path: string, issue: Issue): void {
  for (const key of Object.keys(raw)) {
    if (!['fields', 'activityTypes', 'halfLifeDays'].includes(key)) {
      issue(`${path}.${key}`, 'unknown property');
    }
  }
  if (!Array.isArray(raw.fields) || raw.fields.length > MAX_FIELDS) {
    issue(`${path}.fields`, `must be an array of at most ${MAX_FIELDS} fields`);
  } else
    raw.fields.forEach((field: unknown, i) => {
      if (typeof field !== 'string' || resolveFieldType(field) === null) {
        issue(`${path}.fields[${i}]`, `unknown field '${String(field)}'`);
      }
    });
  if (!Array.isArray(raw.activityTypes)) issue(`${path}.activityTypes`, 'must be an array');
  else
    raw.activityTypes.forEach((type: unknown, i) => {
      if (!isActivityType(type)) {
        issue(`${path}.activityTypes[${i}]`, `unknown activity type '${String(type)}'`);
      }
    });
  if (!positive(raw.halfLifeDays)) issue(`${path}.halfLifeDays`, 'must be a number > 0');
}

function validateV2(raw: RawRecord, path: string, issue: Issue): void {
  for (const key of Object.keys(raw)) {
    if (!['version', 'fields', 'activities', 'properties', 'account'].includes(key)) {
      issue(`${path}.${key}`, 'unknown property');
    }
  }
  const seen = new Set<string>();
  if (!Array.isArray(raw.fields) || raw.fields.length > MAX_FIELDS) {
    issue(`${path}.fields`, `must be an array of at most ${MAX_FIELDS} fields`);
  } else
    raw.fields.forEach((f: unknown, i) => {
      const at = `${path}.fields[${i}]`;
      if (!isRecord(f) || typeof f.path !== 'string' || resolveFieldType(f.path) === null) {
        issue(`${at}.path`, `must be a known field or custom attribute`);
        return;
      }
      if (seen.has(f.path)) issue(`${at}.path`, `'${f.path}' appears twice`);
      seen.add(f.path);
      if (!FIELD_TYPES.includes(f.type as string)) {
        issue(`${at}.type`, `must be one of ${FIELD_TYPES.join(', ')}`);
      }
      if (f.type === 'list') textList(f.values, `${at}.values`, issue);
      else if (f.values !== undefined) issue(`${at}.values`, 'only a list field has values');
    });
  const activities = raw.activities;
  if (!isRecord(activities)) {
    issue(`${path}.activities`, 'must be { types, halfLivesDays }');
  } else {
    if (!Array.isArray(activities.types)) issue(`${path}.activities.types`, 'must be an array');
    else
      activities.types.forEach((type: unknown, i) => {
        if (!isActivityType(type) && type !== ANY_ACTIVITY) {
          issue(`${path}.activities.types[${i}]`, `unknown activity type '${String(type)}'`);
        }
      });
    const lives = activities.halfLivesDays;
    if (
      !Array.isArray(lives) ||
      lives.length > MAX_HALF_LIVES ||
      !lives.every(positive) ||
      new Set(lives).size !== lives.length
    ) {
      issue(
        `${path}.activities.halfLivesDays`,
        `must be at most ${MAX_HALF_LIVES} different numbers > 0`,
      );
    }
  }
  if (raw.account !== undefined) {
    const account = raw.account;
    if (
      !isRecord(account) ||
      !Array.isArray(account.roles) ||
      !account.roles.every(isBuyingRole) ||
      new Set(account.roles).size !== account.roles.length
    ) {
      issue(`${path}.account`, 'must be { roles }, different buying roles');
    }
    if (Array.isArray(raw.fields)) {
      raw.fields.forEach((f: unknown, i) => {
        if (isRecord(f) && typeof f.path === 'string' && !f.path.startsWith('account.')) {
          issue(`${path}.fields[${i}].path`, 'an account model reads account fields only');
        }
      });
    }
  }
  if (!Array.isArray(raw.properties) || raw.properties.length > MAX_PROPERTIES) {
    issue(`${path}.properties`, `must be an array of at most ${MAX_PROPERTIES} properties`);
  } else
    raw.properties.forEach((p: unknown, i) => {
      const at = `${path}.properties[${i}]`;
      if (!isRecord(p) || !shortText(p.property)) {
        issue(`${at}.property`, 'must be a property name');
        return;
      }
      if (p.urlPath !== undefined && typeof p.urlPath !== 'boolean') {
        issue(`${at}.urlPath`, 'must be true or false');
      }
      textList(p.values, `${at}.values`, issue);
    });
}

function textList(value: unknown, path: string, issue: Issue): void {
  if (
    !Array.isArray(value) ||
    value.length > MAX_VALUES ||
    !value.every(shortText) ||
    new Set(value).size !== value.length
  ) {
    issue(path, `must be at most ${MAX_VALUES} different non-empty texts`);
  }
}
