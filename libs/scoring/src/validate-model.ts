/**
 * Validation of an untrusted model definition: collects every issue with its path, and on success
 * returns a normalised deep copy (bands sorted high to low, optional rule fields filled in).
 */
import { compilePattern } from './patterns';
import { defaultAccountSection } from './default-model';
import { MAX_ABS_POINTS } from './fixed-point';
import { resolveFieldType, type ResolvedFieldType } from './fields';
import { HYBRID_RULE_ID_PREFIX, PREDICTIVE_RULE_ID_PREFIX } from './predictive-reasons';
import { validatePredictiveSection } from './validate-predictive';
import {
  ACTIVITY_TYPES,
  CONDITION_OPS,
  isActivityType,
  isConditionOp,
  type AccountModelSection,
  type AttributeRule,
  type ConditionOp,
  type ConditionValue,
  type EngagementRule,
  type GradeBand,
  type NegativeRule,
  type PropertyCondition,
  type RecencyBand,
  type ScoringModelDefinition,
  type TierBand,
} from './model-definition';

export interface ModelValidationIssue {
  path: string;
  message: string;
}

export type ModelValidationResult =
  { ok: true; model: ScoringModelDefinition } | { ok: false; issues: ModelValidationIssue[] };

/** Rule ids the engine uses for its own cap reasons. */
export const FIT_CAP_RULE_ID = 'fit.cap';
export const ENGAGEMENT_CAP_RULE_ID = 'engagement.cap';
export const ACCOUNT_FIT_CAP_RULE_ID = 'account.fit.cap';
export const ROLLUP_CAP_RULE_ID = 'account.rollup.cap';
export const COMMITTEE_CAP_RULE_ID = 'account.committee.cap';
export const INTENT_CAP_RULE_ID = 'account.intent.cap';

/** Rule ids of the account committee signals' reasons. */
export const COMMITTEE_RULE_IDS = Object.freeze({
  engagedContacts: 'committee.engaged-contacts',
  coverage: 'committee.coverage',
  decisionMaker: 'committee.decision-maker',
  surge: 'committee.surge',
  recency: 'committee.recency',
});

/** Roll-up reasons are `rollup.<contactId>`, so model rule ids may not start with this. */
export const ROLLUP_RULE_ID_PREFIX = 'rollup.';

const RESERVED_RULE_IDS = new Set([
  FIT_CAP_RULE_ID,
  ENGAGEMENT_CAP_RULE_ID,
  ACCOUNT_FIT_CAP_RULE_ID,
  ROLLUP_CAP_RULE_ID,
  COMMITTEE_CAP_RULE_ID,
  INTENT_CAP_RULE_ID,
  ...Object.values(COMMITTEE_RULE_IDS),
]);

/** Roll-up defaults when a model's `account.rollup` leaves them out. */
export const DEFAULT_ROLLUP_TOP_N = 5;
export const DEFAULT_ROLLUP_FACTOR = 0.5;
/** Beyond a few hundred ranks every weight below 1 has decayed to nothing anyway. */
export const MAX_ROLLUP_TOP_N = 1000;

type RawRecord = Record<string, unknown>;

const ATTRIBUTE_RULE_KEYS = ['id', 'label', 'field', 'op', 'value', 'points'];
const ENGAGEMENT_RULE_KEYS = [
  'id',
  'label',
  'activityType',
  'where',
  'points',
  'maxCount',
  'halfLifeDays',
  'overridesToTopTier',
  'overrideDays',
];

class Validation {
  readonly issues: ModelValidationIssue[] = [];
  private readonly ruleIdPaths = new Map<string, string>();

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** The value as a record, flagging anything else and any property not in `keys`. */
  record(path: string, value: unknown, keys: readonly string[]): RawRecord | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.issue(path, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.issue(join(path, key), 'unknown property');
    }
    return value as RawRecord;
  }

  array(path: string, value: unknown): unknown[] {
    if (!Array.isArray(value)) {
      this.issue(path, 'must be an array');
      return [];
    }
    return value;
  }

  text(path: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.issue(path, 'must be a non-empty string');
      return '';
    }
    return value;
  }

  number(
    path: string,
    value: unknown,
    check?: { rule: (n: number) => boolean; message: string },
  ): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.issue(path, 'must be a finite number');
      // NaN fails every later comparison, so one bad number does not cascade into more issues.
      return Number.NaN;
    }
    if (check && !check.rule(value)) this.issue(path, check.message);
    return value;
  }

  positive(path: string, value: unknown): number {
    return this.number(path, value, { rule: (n) => n > 0, message: 'must be > 0' });
  }

  /** Null or a number > 0; `undefined` only when `optional`. */
  nullablePositive(path: string, value: unknown, optional: boolean): number | null {
    if (value === null || (optional && value === undefined)) return null;
    if (value === undefined) {
      this.issue(path, 'is required (a number > 0, or null)');
      return null;
    }
    return this.positive(path, value);
  }

  points(path: string, value: unknown, subtracted: boolean): number {
    const n = this.number(path, value, {
      rule: (p) => Math.abs(p) <= MAX_ABS_POINTS,
      message: `must be between -${MAX_ABS_POINTS} and ${MAX_ABS_POINTS}`,
    });
    if (subtracted && n < 0) this.issue(path, 'must be >= 0 (negative rule points are subtracted)');
    return n;
  }

  integer(path: string, value: unknown, min: number, max = MAX_ABS_POINTS): number {
    const n = this.number(path, value);
    if (Number.isFinite(n) && (!Number.isInteger(n) || n < min || n > max)) {
      this.issue(path, `must be an integer from ${min} to ${max}`);
    }
    return n;
  }

  max(path: string, value: unknown): number {
    const n = this.positive(path, value);
    if (n > MAX_ABS_POINTS) this.issue(path, `must be <= ${MAX_ABS_POINTS}`);
    return n;
  }

  ruleId(path: string, value: unknown): string {
    const id = this.text(path, value);
    if (id === '') return id;
    if (RESERVED_RULE_IDS.has(id)) {
      this.issue(path, `'${id}' is reserved for the engine's own reasons`);
      return id;
    }
    for (const prefix of [PREDICTIVE_RULE_ID_PREFIX, HYBRID_RULE_ID_PREFIX]) {
      if (id.startsWith(prefix)) {
        this.issue(path, `ids starting with '${prefix}' are reserved for predictive reasons`);
        return id;
      }
    }
    if (id.startsWith(ROLLUP_RULE_ID_PREFIX)) {
      this.issue(
        path,
        `ids starting with '${ROLLUP_RULE_ID_PREFIX}' are reserved for roll-up reasons`,
      );
      return id;
    }
    const first = this.ruleIdPaths.get(id);
    if (first !== undefined) this.issue(path, `duplicate rule id '${id}' (first used at ${first})`);
    else this.ruleIdPaths.set(id, path);
    return id;
  }
}

export function validateModelDefinition(input: unknown): ModelValidationResult {
  const v = new Validation();
  const root = v.record('', input, [
    'fit',
    'engagement',
    'negative',
    'tiers',
    'grades',
    'quadrant',
    'lifecycle',
    'account',
    'predictive',
  ]);
  if (!root) return { ok: false, issues: v.issues };

  const fit = validateFit(v, root.fit);
  const engagement = validateEngagement(v, root.engagement);
  const negative = validateNegative(v, root.negative);
  const tiers = validateTiers(v, 'tiers', root.tiers);
  const grades = validateBands(v, 'grades', root.grades, 'grade', 'minFit').map(
    ({ label, min }): GradeBand => ({ grade: label, minFit: min }),
  );
  const quadrant = validateQuadrant(v, 'quadrant', root.quadrant);
  const lifecycle = validateLifecycle(v, root.lifecycle);
  // Models stored before account scoring existed get the default section, checked like any other.
  const account = validateAccount(
    v,
    root.account === undefined ? defaultAccountSection() : root.account,
  );

  const predictive =
    root.predictive === undefined || root.predictive === null
      ? null
      : validatePredictiveSection(root.predictive, (path, message) => v.issue(path, message));

  if (v.issues.length > 0) return { ok: false, issues: v.issues };
  return {
    ok: true,
    model: {
      fit,
      engagement,
      negative,
      tiers: tiers.sort((a, b) => b.min - a.min),
      grades: grades.sort((a, b) => b.minFit - a.minFit),
      quadrant,
      lifecycle,
      account,
      ...(predictive ? { predictive } : {}),
    },
  };
}

function validateFit(v: Validation, raw: unknown): ScoringModelDefinition['fit'] {
  const fit = v.record('fit', raw, ['max', 'rules']);
  if (!fit) return { max: 1, rules: [] };
  return {
    max: v.max('fit.max', fit.max),
    rules: v
      .array('fit.rules', fit.rules)
      .map((rule, i) => validateAttributeRule(v, `fit.rules[${i}]`, rule, 'fit')),
  };
}

function validateEngagement(v: Validation, raw: unknown): ScoringModelDefinition['engagement'] {
  const engagement = v.record('engagement', raw, ['max', 'halfLifeDays', 'lookbackDays', 'rules']);
  if (!engagement) return { max: 1, halfLifeDays: null, lookbackDays: null, rules: [] };
  return {
    max: v.max('engagement.max', engagement.max),
    halfLifeDays: v.nullablePositive('engagement.halfLifeDays', engagement.halfLifeDays, false),
    lookbackDays: v.nullablePositive('engagement.lookbackDays', engagement.lookbackDays, false),
    rules: v
      .array('engagement.rules', engagement.rules)
      .map((rule, i) => validateEngagementRule(v, `engagement.rules[${i}]`, rule, 'engagement')),
  };
}

function validateNegative(v: Validation, raw: unknown): ScoringModelDefinition['negative'] {
  const negative = v.record('negative', raw, ['rules']);
  if (!negative) return { rules: [] };
  return {
    rules: v
      .array('negative.rules', negative.rules)
      .map((rule, i) => validateNegativeRule(v, `negative.rules[${i}]`, rule)),
  };
}

function validateNegativeRule(v: Validation, path: string, raw: unknown): NegativeRule {
  const kind = typeof raw === 'object' && raw !== null ? (raw as RawRecord).kind : undefined;
  switch (kind) {
    case 'ATTRIBUTE':
      return { kind, ...validateAttributeRule(v, path, raw, 'negative') };
    case 'ACTIVITY':
      return { kind, ...validateEngagementRule(v, path, raw, 'negative') };
    case 'INACTIVITY': {
      const rule = v.record(path, raw, ['kind', 'id', 'label', 'inactiveDays', 'points']);
      return {
        kind,
        id: v.ruleId(`${path}.id`, rule?.id),
        label: v.text(`${path}.label`, rule?.label),
        inactiveDays: v.positive(`${path}.inactiveDays`, rule?.inactiveDays),
        points: v.points(`${path}.points`, rule?.points, true),
      };
    }
    default:
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        v.issue(path, 'must be an object');
      } else {
        v.issue(`${path}.kind`, 'must be one of ATTRIBUTE, ACTIVITY, INACTIVITY');
      }
      return { kind: 'INACTIVITY', id: '', label: '', inactiveDays: 1, points: 0 };
  }
}

/** `accountFit` rules may only read account fields: an account has no contact. */
function validateAttributeRule(
  v: Validation,
  path: string,
  raw: unknown,
  use: 'fit' | 'negative' | 'accountFit',
): AttributeRule {
  const negative = use === 'negative';
  const keys = negative ? ['kind', ...ATTRIBUTE_RULE_KEYS] : ATTRIBUTE_RULE_KEYS;
  const rule = v.record(path, raw, keys);
  if (!rule) return { id: '', label: '', field: '', op: 'EXISTS', value: true, points: 0 };
  const id = v.ruleId(`${path}.id`, rule.id);
  const label = v.text(`${path}.label`, rule.label);
  const field = v.text(`${path}.field`, rule.field);
  let fieldType: ResolvedFieldType | null = null;
  if (field !== '') {
    fieldType = resolveFieldType(field);
    if (fieldType === null) {
      v.issue(`${path}.field`, `unknown field '${field}'`);
    } else if (use === 'accountFit' && !isAccountField(field)) {
      v.issue(`${path}.field`, `'${field}' is not an account field (account rules read account.*)`);
      fieldType = null;
    }
  }
  const { op, value } = validateCondition(v, path, rule.op, rule.value, fieldType, field);
  const points = v.points(`${path}.points`, rule.points, negative);
  return { id, label, field, op, value, points };
}

function validateEngagementRule(
  v: Validation,
  path: string,
  raw: unknown,
  use: 'engagement' | 'negative' | 'intent',
): EngagementRule {
  const negative = use === 'negative';
  const keys = negative ? ['kind', ...ENGAGEMENT_RULE_KEYS] : ENGAGEMENT_RULE_KEYS;
  const rule = v.record(path, raw, keys);
  if (!rule) return { id: '', label: '', activityType: 'EMAIL_OPEN', points: 0 };
  const id = v.ruleId(`${path}.id`, rule.id);
  const label = v.text(`${path}.label`, rule.label);
  if (!isActivityType(rule.activityType)) {
    v.issue(`${path}.activityType`, `must be one of ${ACTIVITY_TYPES.join(', ')}`);
  }
  const where =
    rule.where === undefined
      ? []
      : v
          .array(`${path}.where`, rule.where)
          .map((condition, i) => validatePropertyCondition(v, `${path}.where[${i}]`, condition));
  const points = v.points(`${path}.points`, rule.points, negative);

  let maxCount: number | null = null;
  if (rule.maxCount !== undefined && rule.maxCount !== null) {
    if (
      typeof rule.maxCount !== 'number' ||
      !Number.isInteger(rule.maxCount) ||
      rule.maxCount < 1
    ) {
      v.issue(`${path}.maxCount`, 'must be a positive integer or null');
    } else {
      maxCount = rule.maxCount;
    }
  }

  let overridesToTopTier = false;
  if (rule.overridesToTopTier !== undefined) {
    if (typeof rule.overridesToTopTier !== 'boolean') {
      v.issue(`${path}.overridesToTopTier`, 'must be a boolean');
    } else if (negative && rule.overridesToTopTier) {
      v.issue(`${path}.overridesToTopTier`, 'is not allowed on negative rules');
    } else if (use === 'intent' && rule.overridesToTopTier) {
      v.issue(`${path}.overridesToTopTier`, 'is not allowed on account intent rules');
    } else {
      overridesToTopTier = rule.overridesToTopTier;
    }
  }

  const normalised: EngagementRule = {
    id,
    label,
    activityType: isActivityType(rule.activityType) ? rule.activityType : 'EMAIL_OPEN',
    where,
    points,
    maxCount,
    overridesToTopTier,
    overrideDays: v.nullablePositive(`${path}.overrideDays`, rule.overrideDays, true),
  };
  // Absent means "inherit the model's half-life", which is not the same as an explicit null.
  if (rule.halfLifeDays !== undefined) {
    normalised.halfLifeDays = v.nullablePositive(`${path}.halfLifeDays`, rule.halfLifeDays, false);
  }
  return normalised;
}

function validatePropertyCondition(v: Validation, path: string, raw: unknown): PropertyCondition {
  const condition = v.record(path, raw, ['property', 'op', 'value']);
  if (!condition) return { property: '', op: 'EXISTS', value: true };
  const property = v.text(`${path}.property`, condition.property);
  const { op, value } = validateCondition(v, path, condition.op, condition.value, 'any', property);
  return { property, op, value };
}

/**
 * `fieldType` null means the field itself was invalid (already reported): the op and value are
 * still checked, against the most permissive type.
 */
function validateCondition(
  v: Validation,
  path: string,
  rawOp: unknown,
  rawValue: unknown,
  fieldType: ResolvedFieldType | null,
  subject: string,
): { op: ConditionOp; value: ConditionValue } {
  if (!isConditionOp(rawOp)) {
    v.issue(`${path}.op`, `must be one of ${CONDITION_OPS.join(', ')}`);
    return { op: 'EXISTS', value: true };
  }
  const op = rawOp;
  const type = fieldType ?? 'any';
  if (!opFitsType(op, type)) {
    v.issue(`${path}.op`, `${op} does not apply to ${type} field '${subject}'`);
    return { op, value: null };
  }
  return { op, value: validateConditionValue(v, `${path}.value`, op, rawValue, type) };
}

function opFitsType(op: ConditionOp, type: ResolvedFieldType): boolean {
  switch (type) {
    case 'number':
      return op !== 'CONTAINS' && op !== 'MATCHES';
    case 'string':
    case 'stringList':
      return op !== 'GTE' && op !== 'LTE' && op !== 'BETWEEN';
    case 'any':
      return true;
  }
}

function validateConditionValue(
  v: Validation,
  path: string,
  op: ConditionOp,
  value: unknown,
  type: ResolvedFieldType,
): ConditionValue {
  switch (op) {
    case 'EQ':
    case 'NEQ':
      return comparable(v, path, value, type, true);
    case 'IN':
    case 'NOT_IN': {
      if (!Array.isArray(value) || value.length === 0) {
        v.issue(path, 'must be a non-empty array');
        return [];
      }
      return value.map((item, i) => comparable(v, `${path}[${i}]`, item, type, false)) as Array<
        string | number
      >;
    }
    case 'CONTAINS':
      return v.text(path, value);
    case 'MATCHES': {
      if (typeof value !== 'string' || value === '') {
        v.issue(path, 'must be a non-empty regular expression');
        return '';
      }
      try {
        compilePattern(value);
      } catch (error) {
        v.issue(path, (error as Error).message);
      }
      return value;
    }
    case 'GTE':
    case 'LTE':
      return v.number(path, value);
    case 'BETWEEN': {
      if (!Array.isArray(value) || value.length !== 2) {
        v.issue(path, 'must be [lo, hi]');
        return [0, 0];
      }
      const lo = v.number(`${path}[0]`, value[0]);
      const hi = v.number(`${path}[1]`, value[1]);
      const bothFinite = value.every((n) => typeof n === 'number' && Number.isFinite(n));
      if (bothFinite && lo > hi) v.issue(path, 'lo must be <= hi');
      return [lo, hi];
    }
    case 'EXISTS':
      if (value === undefined) return true;
      if (typeof value !== 'boolean') {
        v.issue(path, 'must be true, false or absent');
        return true;
      }
      return value;
  }
}

/** A single value to compare a field with: numbers for number fields, text for text fields. */
function comparable(
  v: Validation,
  path: string,
  value: unknown,
  type: ResolvedFieldType,
  allowBoolean: boolean,
): string | number | boolean {
  if (type === 'number') return v.number(path, value);
  if (type === 'any') {
    if (typeof value === 'number') return v.number(path, value);
    if (allowBoolean && typeof value === 'boolean') return value;
    if (typeof value !== 'string') {
      v.issue(
        path,
        allowBoolean ? 'must be a string, number or boolean' : 'must be a string or number',
      );
      return '';
    }
  }
  return v.text(path, value);
}

interface Band {
  label: string;
  min: number;
}

function validateBands(
  v: Validation,
  path: string,
  raw: unknown,
  labelKey: string,
  minKey: string,
  extraKeys: readonly string[] = [],
): Band[] {
  const items = v.array(path, raw);
  if (Array.isArray(raw) && items.length === 0) v.issue(path, 'must have at least one band');
  const bands: Band[] = [];
  const labels = new Map<string, number>();
  const mins = new Map<number, number>();
  let duplicateMins = 0;
  items.forEach((item, i) => {
    const bandPath = `${path}[${i}]`;
    const band = v.record(bandPath, item, [labelKey, minKey, ...extraKeys]);
    if (!band) return;
    const label = v.text(`${bandPath}.${labelKey}`, band[labelKey]);
    const min = v.number(`${bandPath}.${minKey}`, band[minKey]);
    if (label !== '') {
      const first = labels.get(label);
      if (first !== undefined) v.issue(`${bandPath}.${labelKey}`, `duplicate of ${path}[${first}]`);
      else labels.set(label, i);
    }
    if (typeof band[minKey] === 'number' && Number.isFinite(band[minKey])) {
      const first = mins.get(min);
      if (first !== undefined) {
        v.issue(`${bandPath}.${minKey}`, `overlaps ${path}[${first}] (same ${minKey})`);
        duplicateMins++;
      } else {
        mins.set(min, i);
      }
    }
    bands.push({ label, min });
  });
  // A band with an invalid min was reported already; without it the lowest min is unknown.
  const everyMinValid = bands.length === items.length && mins.size + duplicateMins === bands.length;
  if (mins.size > 0 && everyMinValid) {
    const lowest = Math.min(...mins.keys());
    if (lowest > 0) {
      v.issue(
        `${path}[${mins.get(lowest)}].${minKey}`,
        `leaves a gap: the lowest band's ${minKey} must be <= 0 so every score has a band`,
      );
    }
  }
  return bands;
}

const TIER_CONDITIONS = ['topShare', 'minFit', 'minEngagement'] as const;

/**
 * Tiers: bands by `min`, tried highest first, each optionally set by share of the workspace
 * (`topShare`: cumulative, growing down the tiers, the lowest tier holding the rest) and
 * reached only with enough fit or engagement. Conditions are copied only where given, so a
 * model without them reads back as it was written.
 */
function validateTiers(v: Validation, path: string, raw: unknown): TierBand[] {
  const bands = validateBands(v, path, raw, 'name', 'min', TIER_CONDITIONS);
  const items = Array.isArray(raw) ? raw : [];
  const tiers = bands.map(({ label, min }, i): TierBand => {
    const item = (items[i] ?? {}) as RawRecord;
    const tier: TierBand = { name: label, min };
    const share = item.topShare;
    if (share !== undefined && share !== null) {
      tier.topShare = v.number(`${path}[${i}].topShare`, share, {
        rule: (n) => n > 0 && n < 1,
        message: 'must be a share above 0 and below 1 (0.1: the top 10%)',
      });
    }
    for (const key of ['minFit', 'minEngagement'] as const) {
      if (item[key] !== undefined && item[key] !== null) {
        tier[key] = v.number(`${path}[${i}].${key}`, item[key]);
      }
    }
    return tier;
  });
  const ordered = tiers.map((t, i) => ({ t, i })).sort((a, b) => b.t.min - a.t.min);
  let above = 0;
  for (const { t, i } of ordered) {
    const share = t.topShare;
    if (share === undefined || share === null) continue;
    if (!(share > above)) {
      v.issue(`${path}[${i}].topShare`, 'must be larger than the share of every tier above it');
    }
    above = share;
  }
  const lowest = ordered[ordered.length - 1];
  if (lowest && lowest.t.topShare !== undefined) {
    v.issue(`${path}[${lowest.i}].topShare`, 'must be left out: the lowest tier holds the rest');
  }
  return tiers;
}

function validateQuadrant(
  v: Validation,
  path: string,
  raw: unknown,
): ScoringModelDefinition['quadrant'] {
  const quadrant = v.record(path, raw, ['fitThreshold', 'engagementThreshold']);
  if (!quadrant) return { fitThreshold: 0, engagementThreshold: 0 };
  return {
    fitThreshold: v.number(`${path}.fitThreshold`, quadrant.fitThreshold),
    engagementThreshold: v.number(`${path}.engagementThreshold`, quadrant.engagementThreshold),
  };
}

function validateLifecycle(v: Validation, raw: unknown): ScoringModelDefinition['lifecycle'] {
  const lifecycle = v.record('lifecycle', raw, ['mql', 'sql', 'dormantDays', 'minEngagement']);
  if (!lifecycle) return { mql: 0, sql: 0, dormantDays: 1 };
  const mql = v.number('lifecycle.mql', lifecycle.mql);
  const sql = v.number('lifecycle.sql', lifecycle.sql);
  if (sql < mql) v.issue('lifecycle.sql', 'must be >= lifecycle.mql');
  const out: ScoringModelDefinition['lifecycle'] = {
    mql,
    sql,
    dormantDays: v.positive('lifecycle.dormantDays', lifecycle.dormantDays),
  };
  if (lifecycle.minEngagement !== undefined && lifecycle.minEngagement !== null) {
    out.minEngagement = v.number('lifecycle.minEngagement', lifecycle.minEngagement);
  }
  return out;
}

function validateAccount(v: Validation, raw: unknown): AccountModelSection {
  const account = v.record('account', raw, [
    'fit',
    'rollup',
    'committee',
    'intent',
    'tiers',
    'quadrant',
    'predictive',
  ]);
  // Already reported; the placeholder is never returned, as validation fails.
  if (!account) return defaultAccountSection();
  const tiers = validateTiers(v, 'account.tiers', account.tiers);
  const predictive =
    account.predictive === undefined || account.predictive === null
      ? null
      : validatePredictiveSection(
          account.predictive,
          (path, message) => v.issue(path, message),
          'account.predictive',
        );
  return {
    fit: validateAccountFit(v, account.fit),
    rollup: validateRollup(v, account.rollup),
    committee: validateCommittee(v, account.committee),
    intent: validateIntent(v, account.intent),
    tiers: tiers.sort((a, b) => b.min - a.min),
    quadrant: validateQuadrant(v, 'account.quadrant', account.quadrant),
    ...(predictive ? { predictive } : {}),
  };
}

function validateAccountFit(v: Validation, raw: unknown): AccountModelSection['fit'] {
  const fit = v.record('account.fit', raw, ['max', 'rules']);
  if (!fit) return { max: 1, rules: [] };
  return {
    max: v.max('account.fit.max', fit.max),
    rules: v
      .array('account.fit.rules', fit.rules)
      .map((rule, i) => validateAttributeRule(v, `account.fit.rules[${i}]`, rule, 'accountFit')),
  };
}

function validateRollup(v: Validation, raw: unknown): AccountModelSection['rollup'] {
  const rollup = v.record('account.rollup', raw, ['topN', 'factor', 'max']);
  if (!rollup) return { topN: DEFAULT_ROLLUP_TOP_N, factor: DEFAULT_ROLLUP_FACTOR, max: 1 };
  return {
    topN:
      rollup.topN === undefined
        ? DEFAULT_ROLLUP_TOP_N
        : v.integer('account.rollup.topN', rollup.topN, 1, MAX_ROLLUP_TOP_N),
    factor:
      rollup.factor === undefined
        ? DEFAULT_ROLLUP_FACTOR
        : v.number('account.rollup.factor', rollup.factor, {
            rule: (n) => n > 0 && n <= 1,
            message: 'must be > 0 and <= 1',
          }),
    max: v.max('account.rollup.max', rollup.max),
  };
}

const COMMITTEE_KEYS = [
  'engagementThreshold',
  'windowDays',
  'engagedContactPoints',
  'engagedContactsCap',
  'coveragePoints',
  'decisionMakerPoints',
  'surgePoints',
  'surgeRatio',
  'surgeMinActivities',
  'recency',
  'max',
];

function validateCommittee(v: Validation, raw: unknown): AccountModelSection['committee'] {
  const path = 'account.committee';
  const c = v.record(path, raw, COMMITTEE_KEYS);
  if (!c) {
    return {
      engagementThreshold: 0,
      windowDays: 1,
      engagedContactPoints: 0,
      engagedContactsCap: 1,
      coveragePoints: 0,
      decisionMakerPoints: 0,
      surgePoints: 0,
      surgeRatio: 1,
      surgeMinActivities: 1,
      recency: [],
      max: 1,
    };
  }
  return {
    engagementThreshold: v.number(`${path}.engagementThreshold`, c.engagementThreshold, {
      rule: (n) => n >= 0,
      message: 'must be >= 0',
    }),
    windowDays: v.positive(`${path}.windowDays`, c.windowDays),
    engagedContactPoints: v.points(`${path}.engagedContactPoints`, c.engagedContactPoints, false),
    engagedContactsCap: v.integer(`${path}.engagedContactsCap`, c.engagedContactsCap, 1),
    coveragePoints: v.points(`${path}.coveragePoints`, c.coveragePoints, false),
    decisionMakerPoints: v.points(`${path}.decisionMakerPoints`, c.decisionMakerPoints, false),
    surgePoints: v.points(`${path}.surgePoints`, c.surgePoints, false),
    surgeRatio: v.positive(`${path}.surgeRatio`, c.surgeRatio),
    surgeMinActivities: v.integer(`${path}.surgeMinActivities`, c.surgeMinActivities, 1),
    recency: validateRecency(v, `${path}.recency`, c.recency),
    max: v.max(`${path}.max`, c.max),
  };
}

function validateRecency(v: Validation, path: string, raw: unknown): RecencyBand[] {
  const bands: RecencyBand[] = [];
  const seen = new Map<number, number>();
  v.array(path, raw).forEach((item, i) => {
    const bandPath = `${path}[${i}]`;
    const band = v.record(bandPath, item, ['withinDays', 'points']);
    if (!band) return;
    const withinDays = v.number(`${bandPath}.withinDays`, band.withinDays, {
      rule: (n) => n >= 0,
      message: 'must be >= 0',
    });
    if (Number.isFinite(withinDays)) {
      const first = seen.get(withinDays);
      if (first !== undefined) v.issue(`${bandPath}.withinDays`, `duplicate of ${path}[${first}]`);
      else seen.set(withinDays, i);
    }
    bands.push({ withinDays, points: v.points(`${bandPath}.points`, band.points, false) });
  });
  return bands.sort((a, b) => a.withinDays - b.withinDays);
}

function validateIntent(v: Validation, raw: unknown): AccountModelSection['intent'] {
  const intent = v.record('account.intent', raw, ['max', 'halfLifeDays', 'lookbackDays', 'rules']);
  if (!intent) return { max: 1, halfLifeDays: null, lookbackDays: null, rules: [] };
  return {
    max: v.max('account.intent.max', intent.max),
    halfLifeDays: v.nullablePositive('account.intent.halfLifeDays', intent.halfLifeDays, false),
    lookbackDays: v.nullablePositive('account.intent.lookbackDays', intent.lookbackDays, false),
    rules: v
      .array('account.intent.rules', intent.rules)
      .map((rule, i) => validateEngagementRule(v, `account.intent.rules[${i}]`, rule, 'intent')),
  };
}

function isAccountField(field: string): boolean {
  return field.startsWith('account.');
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
