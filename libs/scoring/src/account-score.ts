/** The result of scoring one account. */
import type { Quadrant, QuadrantAction, ScoreReason } from './lead-score';

export interface BuyingGroupMemberScore {
  contactId: string;
  role: string;
  engaged: boolean;
}

export interface BuyingGroupScore {
  id: string;
  name: string;
  /** Mean over distinct member contacts of min(lead engagement / engagement max, 1), as 0–100. */
  engagement: number;
  /** Required roles with at least one member / required roles (1 when none are required). */
  completeness: number;
  /** Required roles with at least one engaged member / required roles (1 when none are required). */
  engagedCompleteness: number;
  /** Required roles without any member, in the group's `requiredRoles` order. */
  missingRoles: string[];
  /** Required roles with an engaged member, in the group's `requiredRoles` order. */
  engagedRoles: string[];
  /** Ordered by role (BUYING_ROLES order, unknown roles after) and then contact id. */
  members: BuyingGroupMemberScore[];
}

export interface AccountVelocity {
  /** Activities in (now − 7 days, now]. */
  last7Days: number;
  /** Activities in (now − 35 days, now − 7 days], divided by 4. */
  weeklyAverage: number;
  /** last7Days / weeklyAverage; null when the weekly average is 0. */
  ratio: number | null;
  surging: boolean;
}

export interface AccountSignals {
  engagedContacts: number;
  /** Required roles across all buying groups covered by an engaged member / all required roles. */
  coverage: number;
  decisionMakerEngaged: boolean;
  velocity: AccountVelocity;
  daysSinceLastActivity: number | null;
  lastActivityAt: Date | null;
}

export interface AccountScore {
  fit: number;
  rollup: number;
  committee: number;
  intent: number;
  /** rollup + committee + intent. */
  engagement: number;
  /** fit + engagement. */
  total: number;
  tier: string;
  quadrant: Quadrant;
  action: QuadrantAction;
  signals: AccountSignals;
  /** Ordered by name, then id. */
  buyingGroups: BuyingGroupScore[];
  /** Sum exactly to `total` in hundredths; ordered by |points| desc, then rule id. */
  reasons: ScoreReason[];
}
