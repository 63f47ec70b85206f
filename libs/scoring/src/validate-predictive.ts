/** Validation of a version's `predictive` section (a trained model, stored as JSON). */
import type { PredictiveModel } from '@quorum/predictive';
import { resolveFieldType } from './fields';
import { isActivityType, type ActivityType, type PredictiveSection } from './model-definition';
import { ENGAGEMENT_FEATURE_PREFIX } from './predictive-score';

type Issue = (path: string, message: string) => void;
type RawRecord = Record<string, unknown>;

const SECTION_KEYS = ['mode', 'weights', 'rulesScaleMax', 'features', 'model', 'training'];
const MAX_FEATURES = 100_000;

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A deep copy of the section, or null after reporting every issue found. */
export function validatePredictiveSection(raw: unknown, issue: Issue): PredictiveSection | null {
  const path = 'predictive';
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

  const columns = new Set<string>();
  const features = raw.features;
  if (!isRecord(features)) {
    report(`${path}.features`, 'must be an object');
  } else {
    if (!Array.isArray(features.fields)) report(`${path}.features.fields`, 'must be an array');
    else
      features.fields.forEach((field: unknown, i) => {
        if (typeof field !== 'string' || resolveFieldType(field) === null) {
          report(`${path}.features.fields[${i}]`, `unknown field '${String(field)}'`);
        } else columns.add(field);
      });
    if (!Array.isArray(features.activityTypes)) {
      report(`${path}.features.activityTypes`, 'must be an array');
    } else
      features.activityTypes.forEach((type: unknown, i) => {
        if (!isActivityType(type)) {
          report(`${path}.features.activityTypes[${i}]`, `unknown activity type '${String(type)}'`);
        } else columns.add(ENGAGEMENT_FEATURE_PREFIX + (type as ActivityType));
      });
    if (!finite(features.halfLifeDays) || features.halfLifeDays <= 0) {
      report(`${path}.features.halfLifeDays`, 'must be a number > 0');
    }
  }

  validateModel(raw.model, `${path}.model`, columns, report);
  if (!isRecord(raw.training)) report(`${path}.training`, 'must be an object');

  if (before.count > 0) return null;
  return structuredClone(raw) as unknown as PredictiveSection;
}

function validateModel(raw: unknown, path: string, columns: Set<string>, issue: Issue): void {
  if (!isRecord(raw)) {
    issue(path, 'must be an object');
    return;
  }
  if (raw.kind !== 'logistic-regression' || raw.version !== 1) {
    issue(`${path}.kind`, "must be 'logistic-regression', version 1");
    return;
  }
  const encoder = raw.encoder;
  if (!isRecord(encoder) || !Number.isInteger(encoder.width) || !Array.isArray(encoder.groups)) {
    issue(`${path}.encoder`, 'must be a fitted encoder');
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
  if (!Array.isArray(encoder.featureNames) || encoder.featureNames.length !== width) {
    issue(`${path}.encoder.featureNames`, `must have ${width} names`);
  }
  if (!finite(model.intercept)) issue(`${path}.intercept`, 'must be a finite number');
  let next = 0;
  (encoder.groups as unknown[]).forEach((g, i) => {
    const groupPath = `${path}.encoder.groups[${i}]`;
    if (
      !isRecord(g) ||
      typeof g.name !== 'string' ||
      g.start !== next ||
      !Number.isInteger(g.end)
    ) {
      issue(groupPath, 'must be a group covering the next features');
      return;
    }
    next = g.end as number;
    if (g.kind === 'categorical' || g.kind === 'numeric') {
      if (!columns.has(g.name)) {
        issue(`${groupPath}.name`, `'${g.name}' is not among the features this version reads`);
      }
    } else if (g.kind !== 'interaction') {
      issue(`${groupPath}.kind`, 'must be categorical, numeric or interaction');
    }
  });
  if (next !== width) issue(`${path}.encoder.groups`, `must cover features 0 to ${width - 1}`);
}
