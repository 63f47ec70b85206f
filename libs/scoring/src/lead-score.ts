/** The result of scoring one contact. */

export type Quadrant =
  | 'HIGH_FIT_HIGH_ENGAGEMENT'
  | 'HIGH_FIT_LOW_ENGAGEMENT'
  | 'LOW_FIT_HIGH_ENGAGEMENT'
  | 'LOW_FIT_LOW_ENGAGEMENT';

export type QuadrantAction = 'ROUTE_NOW' | 'NURTURE_AND_ALERT' | 'REVIEW' | 'DEPRIORITIZE';

export type ReasonCategory =
  | 'FIT'
  | 'ENGAGEMENT'
  | 'NEGATIVE'
  | 'ROLLUP'
  | 'COMMITTEE'
  | 'INTENT'
  /** A feature of a predictive model, or its baseline (the average contact). */
  | 'PREDICTIVE'
  /** A hybrid's clamp of the rules score to 0–100. */
  | 'HYBRID';

export interface ScoreReason {
  ruleId: string;
  label: string;
  category: ReasonCategory;
  /**
   * Signed and rounded to hundredths: NEGATIVE reasons are below zero, so reasons sum to the total.
   * Under a predictive or hybrid version they sum to the predictive (or hybrid) total.
   */
  points: number;
  activityCount: number;
  /** FEATURE and BASELINE: reasons of a predictive model (see predictive-score.ts). */
  kind: 'RULE' | 'CAP' | 'FEATURE' | 'BASELINE';
}

export interface LeadScore {
  fit: number;
  engagement: number;
  negative: number;
  /** fit + engagement − negative; under a predictive version 100 × probability (hybrid: the mix). */
  total: number;
  tier: string;
  grade: string;
  quadrant: Quadrant;
  action: QuadrantAction;
  override: { ruleId: string; label: string; activityAt: Date } | null;
  lastActivityAt: Date | null;
  reasons: ScoreReason[];
}
