/** The shape of a scoring model version, as stored and as validated. */

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
}

export function isActivityType(value: unknown): value is ActivityType {
  return typeof value === 'string' && (ACTIVITY_TYPES as readonly string[]).includes(value);
}

export function isConditionOp(value: unknown): value is ConditionOp {
  return typeof value === 'string' && (CONDITION_OPS as readonly string[]).includes(value);
}
