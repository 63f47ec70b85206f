/** The result of scoring one contact. */

export type Quadrant =
  | 'HIGH_FIT_HIGH_ENGAGEMENT'
  | 'HIGH_FIT_LOW_ENGAGEMENT'
  | 'LOW_FIT_HIGH_ENGAGEMENT'
  | 'LOW_FIT_LOW_ENGAGEMENT';

export type QuadrantAction = 'ROUTE_NOW' | 'NURTURE_AND_ALERT' | 'REVIEW' | 'DEPRIORITIZE';

export type ReasonCategory = 'FIT' | 'ENGAGEMENT' | 'NEGATIVE' | 'ROLLUP' | 'COMMITTEE' | 'INTENT';

export interface ScoreReason {
  ruleId: string;
  label: string;
  category: ReasonCategory;
  /** Signed and rounded to hundredths: NEGATIVE reasons are below zero, so reasons sum to the total. */
  points: number;
  activityCount: number;
  kind: 'RULE' | 'CAP';
}

export interface LeadScore {
  fit: number;
  engagement: number;
  negative: number;
  total: number;
  tier: string;
  grade: string;
  quadrant: Quadrant;
  action: QuadrantAction;
  override: { ruleId: string; label: string; activityAt: Date } | null;
  lastActivityAt: Date | null;
  reasons: ScoreReason[];
}
