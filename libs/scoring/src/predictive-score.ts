/**
 * Scoring with a predictive or hybrid version: the probability from the trained model becomes
 * the total (0–100), with reasons that still add up to it.
 *
 * How the reasons sum: the model explains a contact's log-odds L as the baseline log-odds L₀ (every
 * feature at its training mean) plus one contribution cᵢ per feature group (Σcᵢ = L − L₀). The
 * probability scale is not linear in log-odds, so each cᵢ is scaled by the slope of the secant of
 * 100·σ between L₀ and L: k = 100·(σ(L) − σ(L₀)) / (L − L₀) (the derivative 100·σ′(L₀) when L = L₀).
 * Then baseline 100·σ(L₀) + Σ k·cᵢ = 100·σ(L) exactly; k > 0 keeps every sign, and k ≤ 25 keeps
 * every reason bounded even when large contributions cancel. The parts are rounded to hundredths
 * by largest remainder, so the rounded reasons sum exactly to the rounded total.
 */
import {
  decayedEngagementCounts,
  scorePredictive,
  sigmoid,
  type FeatureValue,
} from '@quorum/predictive';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { fieldReader } from './fields';
import { hundredthsToPoints } from './fixed-point';
import type { LeadScore, ReasonCategory, ScoreReason } from './lead-score';
import type { PredictiveFeatureSet, PredictiveSection } from './model-definition';
import { compareText } from './score-parts';

/** Feature names of decayed engagement counts: `engagement.EMAIL_CLICK`. */
export const ENGAGEMENT_FEATURE_PREFIX = 'engagement.';
/** Rule ids of a predictive model's reasons: `predictive.<feature group>`. */
export const PREDICTIVE_RULE_ID_PREFIX = 'predictive.';
export const PREDICTIVE_BASELINE_RULE_ID = 'predictive.baseline';
export const HYBRID_RULE_ID_PREFIX = 'hybrid.';
export const HYBRID_RULES_CAP_RULE_ID = 'hybrid.rules.cap';

/**
 * A contact's features as of `now`: its fields, and decayed engagement counts from the activities
 * strictly before `now` only (training builds its rows with this same function, at each
 * observation's start, so nothing after the as-of moment can leak in).
 */
export function predictiveFeatureRow(
  features: PredictiveFeatureSet,
  contact: ContactFacts,
  account: AccountFacts | null,
  activities: readonly ActivityFacts[],
  now: Date,
): Record<string, FeatureValue> {
  const row: Record<string, FeatureValue> = {};
  for (const field of features.fields)
    row[field] = featureValue(fieldReader(field)?.(contact, account));
  const counts = decayedEngagementCounts(
    activities.map((a) => ({ type: a.type, occurredAtMs: a.occurredAt.getTime() })),
    now.getTime(),
    features.halfLifeDays,
    features.activityTypes,
    ENGAGEMENT_FEATURE_PREFIX,
  );
  return Object.assign(row, counts);
}

/** How many activities of each type occurred strictly before `now`. */
export function activityCountsBefore(
  activities: readonly ActivityFacts[],
  now: Date,
): Record<string, number> {
  const counts: Record<string, number> = {};
  const nowMs = now.getTime();
  for (const a of activities) {
    if (a.occurredAt.getTime() < nowMs) counts[a.type] = (counts[a.type] ?? 0) + 1;
  }
  return counts;
}

function featureValue(value: unknown): FeatureValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return null;
}

interface Part {
  ruleId: string;
  label: string;
  category: ReasonCategory;
  kind: ScoreReason['kind'];
  activityCount: number;
  /** Points, unrounded. */
  value: number;
}

export interface PredictiveTotal {
  probability: number;
  /** In points, to hundredths. */
  total: number;
  /** Sum exactly to `total`; sorted by |points|, then rule id. */
  reasons: ScoreReason[];
}

/**
 * The total and reasons of a predictive or hybrid version, given the rules score of the same
 * definition (for a hybrid's rules part) and the contact's feature row.
 */
export function predictiveTotal(
  section: PredictiveSection,
  rules: Pick<LeadScore, 'total' | 'reasons'>,
  row: Record<string, FeatureValue>,
  /** Activities per type before the moment scored, shown on engagement reasons. */
  activityCounts: Readonly<Record<string, number>> = {},
): PredictiveTotal {
  const scored = scorePredictive(section.model, row, 0);
  const p = sigmoid(scored.logit);
  const p0 = sigmoid(scored.baselineLogit);
  const span = scored.logit - scored.baselineLogit;
  const slope = Math.abs(span) < 1e-9 ? 100 * p0 * (1 - p0) : (100 * (p - p0)) / span;

  const predictiveParts: Part[] = [
    {
      ruleId: PREDICTIVE_BASELINE_RULE_ID,
      label: `Average contact (${(100 * p0).toFixed(1)}% likely to convert)`,
      category: 'PREDICTIVE',
      kind: 'BASELINE',
      activityCount: 0,
      value: 100 * p0,
    },
    ...scored.contributions.map((c): Part => {
      const engagementType = c.feature.startsWith(ENGAGEMENT_FEATURE_PREFIX)
        ? c.feature.slice(ENGAGEMENT_FEATURE_PREFIX.length)
        : null;
      const count = engagementType === null ? 0 : (activityCounts[engagementType] ?? 0);
      return {
        ruleId: `${PREDICTIVE_RULE_ID_PREFIX}${c.feature}`,
        label:
          engagementType === null
            ? c.label
            : `${engagementType}: ${count} ${count === 1 ? 'activity' : 'activities'} (decayed ${Number(c.value ?? 0).toFixed(2)})`,
        category: 'PREDICTIVE',
        kind: 'FEATURE',
        activityCount: count,
        value: slope * c.contribution,
      };
    }),
  ];

  let parts: Part[];
  let exactTotal: number;
  if (section.mode === 'PREDICTIVE' || section.weights === null) {
    parts = predictiveParts;
    exactTotal = 100 * p;
  } else {
    const sum = section.weights.rules + section.weights.predictive;
    const wr = section.weights.rules / sum;
    const wp = section.weights.predictive / sum;
    const scale = (wr * 100) / section.rulesScaleMax;
    const rules100 = 100 * Math.min(1, Math.max(0, rules.total / section.rulesScaleMax));
    parts = rules.reasons.map((r) => ({ ...r, value: r.points * scale }));
    const capped = wr * rules100 - rules.total * scale;
    if (Math.abs(capped) > 1e-12) {
      parts.push({
        ruleId: HYBRID_RULES_CAP_RULE_ID,
        label:
          rules.total > section.rulesScaleMax
            ? `Rules score capped at ${section.rulesScaleMax} in the hybrid`
            : 'Rules score floored at 0 in the hybrid',
        category: 'HYBRID',
        kind: 'CAP',
        activityCount: 0,
        value: capped,
      });
    }
    for (const part of predictiveParts) parts.push({ ...part, value: part.value * wp });
    exactTotal = wr * rules100 + wp * 100 * p;
  }

  const totalHundredths = Math.round(exactTotal * 100);
  const hundredths = largestRemainder(
    parts.map((part) => part.value * 100),
    totalHundredths,
  );
  const reasons = parts
    .map((part, i) => ({ part, h: hundredths[i]! }))
    .filter(({ h }) => h !== 0)
    .sort((a, b) => Math.abs(b.h) - Math.abs(a.h) || compareText(a.part.ruleId, b.part.ruleId))
    .map(({ part, h }): ScoreReason => ({
      ruleId: part.ruleId,
      label: part.label,
      category: part.category,
      points: hundredthsToPoints(h),
      activityCount: part.activityCount,
      kind: part.kind,
    }));
  return { probability: p, total: hundredthsToPoints(totalHundredths), reasons };
}

/**
 * Integers, one per value, each the floor or the ceiling of its value, summing to `target`
 * (the largest fractional parts are rounded up first; ties by position).
 */
export function largestRemainder(values: readonly number[], target: number): number[] {
  const floors = values.map((v) => Math.floor(v));
  let remaining = target - floors.reduce((s, f) => s + f, 0);
  if (values.length === 0) return floors;
  const order = values
    .map((v, i) => ({ i, fraction: v - floors[i]! }))
    .sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  // Floating error can leave `remaining` just outside [0, n]; cycling keeps the sum exact.
  for (let k = 0; remaining > 0; k++, remaining--) floors[order[k % order.length]!.i]! += 1;
  for (let k = order.length - 1; remaining < 0; k--, remaining++) {
    floors[order[((k % order.length) + order.length) % order.length]!.i]! -= 1;
  }
  return floors;
}
