/**
 * Scoring one contact: fit + engagement − negative, with reasons that add up to the total. A
 * predictive or hybrid version replaces the total and its reasons (predictive-score.ts); fit,
 * engagement, grade, quadrant and overrides still come from its rules sections.
 */
import { compileModel } from './compile-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { hundredthsToPoints, unitsToHundredths } from './fixed-point';
import type { LeadScore } from './lead-score';
import type { ScoringModelDefinition } from './model-definition';
import {
  activityReason,
  attributeReason,
  buildTimeline,
  clampWithCapReason,
  compareText,
  countActivities,
  pushReason,
  sortedReasons,
  type Reason,
} from './score-parts';
import { activityCountsBefore, predictiveFeatureRow, predictiveTotal } from './predictive-score';
import { pickBand, pickTier, QUADRANT_ACTIONS, quadrantFor, type TierCutoffs } from './tiers';
import { ENGAGEMENT_CAP_RULE_ID, FIT_CAP_RULE_ID } from './validate-model';

interface OverrideCandidate {
  readonly ruleId: string;
  readonly label: string;
  readonly atMs: number;
}

/**
 * Scores a contact under a model at time `now`. Pure and deterministic: the result does not depend
 * on the order of `activities`. Throws InvalidScoringModelError if the model does not validate.
 */
export function scoreLead(
  model: ScoringModelDefinition,
  contact: ContactFacts,
  account: AccountFacts | null,
  activities: readonly ActivityFacts[],
  now: Date,
  /** Cut-offs kept current for tiers set by share (absent: each tier's `min`). */
  tierCutoffs?: TierCutoffs,
): LeadScore {
  const compiled = compileModel(model);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  const timeline = buildTimeline(compiled.activityTypes, compiled.lookbackMs, activities, nowMs);
  const modelHalfLifeDays = compiled.definition.engagement.halfLifeDays;
  const reasons: Reason[] = [];

  let fitRaw = 0;
  for (const rule of compiled.fitRules) {
    fitRaw += attributeReason(reasons, rule, 'FIT', contact, account, 1);
  }
  const fit = clampWithCapReason(
    reasons,
    fitRaw,
    compiled.definition.fit.max,
    'FIT',
    FIT_CAP_RULE_ID,
    'Fit',
  );

  let engagementRaw = 0;
  let override: OverrideCandidate | null = null;
  for (const rule of compiled.engagementRules) {
    const counted = countActivities(rule, timeline, modelHalfLifeDays);
    engagementRaw += activityReason(reasons, rule, 'ENGAGEMENT', counted, 1);
    if (rule.overrideMaxAgeMs !== null && counted.newestMs !== null) {
      if (nowMs - counted.newestMs <= rule.overrideMaxAgeMs) {
        const candidate = { ruleId: rule.id, label: rule.label, atMs: counted.newestMs };
        override = preferredOverride(override, candidate);
      }
    }
  }
  const engagement = clampWithCapReason(
    reasons,
    engagementRaw,
    compiled.definition.engagement.max,
    'ENGAGEMENT',
    ENGAGEMENT_CAP_RULE_ID,
    'Engagement',
  );

  let negative = 0;
  for (const rule of compiled.negativeAttributeRules) {
    negative -= attributeReason(reasons, rule, 'NEGATIVE', contact, account, -1);
  }
  for (const rule of compiled.negativeActivityRules) {
    negative -= activityReason(
      reasons,
      rule,
      'NEGATIVE',
      countActivities(rule, timeline, modelHalfLifeDays),
      -1,
    );
  }
  for (const rule of compiled.inactivityRules) {
    const last = timeline.lastActivityMs;
    if (last === null || nowMs - last > rule.inactiveMs) {
      negative -= pushReason(reasons, rule, 'NEGATIVE', -unitsToHundredths(rule.units), 0, 'RULE');
    }
  }

  const { tiersDescending, gradesDescending, definition } = compiled;
  let total = fit + engagement - negative;
  let sortedList = sortedReasons(reasons);
  if (definition.predictive) {
    const row = predictiveFeatureRow(
      definition.predictive.features,
      contact,
      account,
      activities,
      now,
    );
    const predicted = predictiveTotal(
      definition.predictive,
      { total: hundredthsToPoints(total), reasons: sortedList },
      row,
      activityCountsBefore(activities, now),
    );
    total = Math.round(predicted.total * 100);
    sortedList = predicted.reasons;
  }
  const tier = override
    ? tiersDescending[0]!
    : pickTier(tiersDescending, total / 100, fit / 100, engagement / 100, tierCutoffs);
  const quadrant = quadrantFor(fit / 100, engagement / 100, definition.quadrant);

  return {
    fit: hundredthsToPoints(fit),
    engagement: hundredthsToPoints(engagement),
    negative: hundredthsToPoints(negative),
    total: hundredthsToPoints(total),
    tier: tier.name,
    grade: pickBand(gradesDescending, fit / 100, (g) => g.minFit).grade,
    quadrant,
    action: QUADRANT_ACTIONS[quadrant],
    override: override && {
      ruleId: override.ruleId,
      label: override.label,
      activityAt: new Date(override.atMs),
    },
    lastActivityAt: timeline.lastActivityMs === null ? null : new Date(timeline.lastActivityMs),
    reasons: sortedList,
  };
}

/** The override with the newest activity; equal times go to the lower rule id. */
function preferredOverride(
  current: OverrideCandidate | null,
  next: OverrideCandidate,
): OverrideCandidate {
  if (current === null || next.atMs > current.atMs) return next;
  if (next.atMs === current.atMs && compareText(next.ruleId, current.ruleId) < 0) return next;
  return current;
}
