/** The shape of a scoring model version, as stored and as validated. */
import type { ModelEvaluation, TrainedModel } from '@quorum/predictive';

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
  /**
   * The lowest total in the tier. For a tier set by share, the minimum used until the
   * workspace has enough scores to place the share (and the order tiers are tried in).
   */
  min: number;
  /**
   * Set by share of the workspace: this tier and those above it hold the top `topShare` of the
   * scored contacts (accounts), e.g. 0.1 for the top 10%. Quorum keeps the cut-off current as
   * scores move; `min` is the fallback.
   */
  topShare?: number | null;
  /** Only contacts (accounts) with fit at least this reach the tier. */
  minFit?: number | null;
  /** Only contacts (accounts) with engagement at least this reach the tier. */
  minEngagement?: number | null;
}

/**
 * A contact becomes MQL (SQL) when its total reaches `mql` (`sql`) and, when set, its engagement
 * reaches `minEngagement`: fit alone never qualifies a lead.
 */
export interface LifecycleThresholds {
  mql: number;
  sql: number;
  dormantDays: number;
  minEngagement?: number | null;
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
  /**
   * Present on versions with a trained account model: its probability (0–100) replaces the
   * account total and its reasons; fit, roll-up, committee and intent still come from the rules.
   */
  predictive?: PredictiveSection;
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
  lifecycle: LifecycleThresholds;
  /** Validation fills the default section when a stored model predates account scoring. */
  account: AccountModelSection;
  /**
   * Present on predictive and hybrid versions: the trained model that gives the total. The rules
   * sections above still give fit, engagement, grade, quadrant and overrides.
   */
  predictive?: PredictiveSection;
}

/**
 * Version 1 feature sets (models trained before version 2): a few fields and one decayed count
 * per activity type (`engagement.<TYPE>`). Still scored as they were trained.
 */
export interface LegacyFeatureSet {
  /** Contact and account fields (`contact.seniority`, `account.employeeCount`, …). */
  fields: string[];
  activityTypes: ActivityType[];
  halfLifeDays: number;
}

/** A field or custom attribute a version-2 model reads, and how its value is taken. */
export interface FieldFeature {
  /** `contact.seniority`, `account.attributes.segment`, … */
  path: string;
  /**
   * number: a number or numeric text; category: text (a level per value); boolean: true/false,
   * yes/no, 1/0; date: an ISO 8601 date, read as days before the moment scored; list: an array
   * or `;`-separated text, one 0/1 column per value in `values`.
   */
  type: 'number' | 'category' | 'boolean' | 'date' | 'list';
  /** The list values learned from (lower case), for `list`. */
  values?: string[];
}

/** An activity property that carries a category (channel, campaign, source, url path). */
export interface PropertyFeature {
  property: string;
  /** Read a url as the first segment of its path (`/pricing`). */
  urlPath?: boolean;
  /** The values learned from (lower case): one decayed count each. */
  values: string[];
}

/** Version 2: what a model reads, discovered from everything a workspace has. */
export interface FeatureSetV2 {
  version: 2;
  fields: FieldFeature[];
  /**
   * Per activity type (or `ANY`): counts decayed with each half-life (`activity.EMAIL_CLICK.7d`),
   * the count before the moment scored, and the days since the newest.
   */
  activities: { types: (ActivityType | 'ANY')[]; halfLivesDays: number[] };
  properties: PropertyFeature[];
  /**
   * Set on an account model's features: activities are the account's (its contacts' and its own,
   * together), and it also reads how many contacts are active and how engaged each buying role
   * is (`role.DECISION_MAKER.30d`).
   */
  account?: { roles: BuyingRoleName[] };
}

/** Which attributes of a contact (as of the moment scored) a predictive model reads. */
export type PredictiveFeatureSet = LegacyFeatureSet | FeatureSetV2;

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
  /** The trained model as `@quorum/predictive` stores it (encoder or trees, CV metrics). */
  model: TrainedModel;
  /** How it was trained: window, horizon, when, how long. */
  training: PredictiveTrainingInfo;
  /**
   * This version's own validation at training time (absent in versions trained before it): the
   * score users see, cross-validated and out of time, and why this model kind was kept.
   */
  evaluation?: ModelEvaluation;
  /** Feature candidates left out when this version was trained, and why (the first 200). */
  discovery?: { skipped: { path: string; reason: string }[]; skippedCount: number };
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
  /**
   * A one-way hash of the workspace trained in (absent before it was stored): tells whether a
   * validation sees the contacts the model learned from, without naming the workspace.
   */
  workspaceHash?: string;
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
