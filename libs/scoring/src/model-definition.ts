/** The shape of a scoring model version, as stored and as validated. */
import type { PredictiveModel } from '@quorum/predictive';

export const ACTIVITY_TYPES = [
  'EMAIL_OPEN',
  'EMAIL_CLICK',
  'PAGE_VIEW',
  'FORM_SUBMIT',
  'CONTENT_DOWNLOAD',
  'WEBINAR_ATTENDED',
  'DEMO_REQUEST',
  'TRIAL_SIGNUP',
  'PRODUCT_USAGE',
  'MEETING',
  'UNSUBSCRIBE',
  'INTENT_SURGE',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const CONDITION_OPS = [
  'EQ',
  'NEQ',
  'IN',
  'NOT_IN',
  'CONTAINS',
  'MATCHES',
  'GTE',
  'LTE',
  'BETWEEN',
  'EXISTS',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export type ConditionValue = string | number | boolean | null | Array<string | number>;

export interface AttributeRule {
  id: string;
  label: string;
  field: string;
  op: ConditionOp;
  value?: ConditionValue;
  points: number;
}

export interface PropertyCondition {
  property: string;
  op: ConditionOp;
  value?: ConditionValue;
}

export interface EngagementRule {
  id: string;
  label: string;
  activityType: ActivityType;
  where?: PropertyCondition[];
  points: number;
  maxCount?: number | null;
  /** Absent: inherit the model's half-life. Null: no decay. */
  halfLifeDays?: number | null;
  overridesToTopTier?: boolean;
  overrideDays?: number | null;
}

export type NegativeRule =
  | ({ kind: 'ATTRIBUTE' } & AttributeRule)
  | ({ kind: 'ACTIVITY' } & EngagementRule)
  | { kind: 'INACTIVITY'; id: string; label: string; inactiveDays: number; points: number };

export interface TierBand {
  name: string;
  min: number;
}

export interface GradeBand {
  grade: string;
  minFit: number;
}

export const BUYING_ROLES = [
  'DECISION_MAKER',
  'ECONOMIC_BUYER',
  'CHAMPION',
  'INFLUENCER',
  'TECHNICAL_EVALUATOR',
  'USER',
  'LEGAL_PROCUREMENT',
  'BLOCKER',
] as const;
export type BuyingRoleName = (typeof BUYING_ROLES)[number];

/** Roles whose engagement means the people who sign are in the conversation. */
export const DECISION_ROLES: readonly BuyingRoleName[] = Object.freeze([
  'DECISION_MAKER',
  'ECONOMIC_BUYER',
]);

/** A recency band: last activity at most `withinDays` whole days ago earns `points`. */
export interface RecencyBand {
  withinDays: number;
  points: number;
}

/** How an account is scored: fit + contact roll-up + committee engagement + account intent. */
export interface AccountModelSection {
  /** Rules on account fields only (`account.*`); fit is clamped to `[0, max]`. */
  fit: { max: number; rules: AttributeRule[] };
  /**
   * Contact totals, highest first, weighted 1, factor, factor², … over the top `topN`; contacts
   * with a total <= 0 add nothing. Clamped to `[0, max]`.
   */
  rollup: { topN: number; factor: number; max: number };
  committee: {
    /** A contact is engaged when its lead engagement >= this and it was active within the window. */
    engagementThreshold: number;
    windowDays: number;
    engagedContactPoints: number;
    engagedContactsCap: number;
    /** Multiplied by the share (0..1) of required roles covered by an engaged member. */
    coveragePoints: number;
    decisionMakerPoints: number;
    surgePoints: number;
    surgeRatio: number;
    surgeMinActivities: number;
    /** Sorted by `withinDays`, smallest first; the first band that fits gives its points. */
    recency: RecencyBand[];
    max: number;
  };
  /** Rules on account-level activities (no contact), matched and decayed like engagement rules. */
  intent: {
    max: number;
    halfLifeDays: number | null;
    lookbackDays: number | null;
    rules: EngagementRule[];
  };
  tiers: TierBand[];
  /** Engagement side: roll-up + committee + intent. */
  quadrant: { fitThreshold: number; engagementThreshold: number };
}

export interface ScoringModelDefinition {
  fit: { max: number; rules: AttributeRule[] };
  engagement: {
    max: number;
    halfLifeDays: number | null;
    lookbackDays: number | null;
    rules: EngagementRule[];
  };
  negative: { rules: NegativeRule[] };
  tiers: TierBand[];
  grades: GradeBand[];
  quadrant: { fitThreshold: number; engagementThreshold: number };
  lifecycle: { mql: number; sql: number; dormantDays: number };
  /** Validation fills the default section when a stored model predates account scoring. */
  account: AccountModelSection;
  /**
   * Present on predictive and hybrid versions: the trained model that gives the total. The rules
   * sections above still give fit, engagement, grade, quadrant and overrides.
   */
  predictive?: PredictiveSection;
}

/** Which attributes of a contact (as of the moment scored) the predictive model reads. */
export interface PredictiveFeatureSet {
  /** Contact and account fields (`contact.seniority`, `account.employeeCount`, …). */
  fields: string[];
  /** One decayed engagement count per type, as `engagement.<TYPE>`. */
  activityTypes: ActivityType[];
  halfLifeDays: number;
}

/**
 * PREDICTIVE: total = 100 × probability. HYBRID: total = weighted mean of the rules total
 * rescaled to 0–100 (by `rulesScaleMax`) and 100 × probability.
 */
export interface PredictiveSection {
  mode: 'PREDICTIVE' | 'HYBRID';
  /** HYBRID only (null for PREDICTIVE); relative, normalised to sum to 1. */
  weights: { rules: number; predictive: number } | null;
  /** The rules total that counts as 100 in a hybrid (fit.max + engagement.max by default). */
  rulesScaleMax: number;
  features: PredictiveFeatureSet;
  /** The trained model as `@quorum/predictive` stores it (encoder, weights, CV metrics). */
  model: PredictiveModel;
  /** How it was trained: window, horizon, when, how long. */
  training: PredictiveTrainingInfo;
}

export interface PredictiveTrainingInfo {
  from: string;
  to: string;
  horizonDays: number;
  folds: number;
  trainedAt: string;
  observations: number;
  conversions: number;
  durationMs: number;
}

export function isActivityType(value: unknown): value is ActivityType {
  return typeof value === 'string' && (ACTIVITY_TYPES as readonly string[]).includes(value);
}

export function isConditionOp(value: unknown): value is ConditionOp {
  return typeof value === 'string' && (CONDITION_OPS as readonly string[]).includes(value);
}

export function isBuyingRole(value: unknown): value is BuyingRoleName {
  return typeof value === 'string' && (BUYING_ROLES as readonly string[]).includes(value);
}
