/**
 * Scoring with a predictive or hybrid version: the probability from the trained model becomes
 * the total (0–100), with reasons that still add up to it exactly.
 *
 * How the reasons sum. The baseline is the base rate p₀ of the training outcomes (a contact we
 * know nothing about), at log-odds L₀. The model explains a contact's log-odds L as its average
 * training row's log-odds m plus one contribution cᵢ per column (Σcᵢ = L − m): a logistic
 * regression's wᵢ·(xᵢ − x̄ᵢ), or the trees' exact TreeSHAP values. The average row is not the base
 * rate (log-odds average differently from probabilities), so the difference m − L₀ is shared
 * among the columns in proportion to how much each moves scores on average (the same shares for
 * every contact), giving dᵢ with Σdᵢ = L − L₀. Probabilities are not linear in log-odds, so each
 * dᵢ is scaled by the slope of the secant of 100·σ between L₀ and L,
 * k = 100·(σ(L) − p₀) / (L − L₀) (the derivative 100·σ′(L₀) when L = L₀): the baseline 100·p₀
 * plus Σ k·dᵢ is 100·σ(L) exactly, and k > 0 keeps every sign. Columns are then grouped into
 * readable reasons (predictive-reasons.ts) and rounded to hundredths by largest remainder, so
 * the rounded reasons sum exactly to the rounded total.
 */
import {
  columnImportance,
  explainModel,
  logit as logOdds,
  predictLogit,
  sigmoid,
  type FeatureValue,
  type TrainedModel,
} from '@quorum/predictive';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { hundredthsToPoints } from './fixed-point';
import type { LeadScore, ScoreReason } from './lead-score';
import type { PredictiveFeatureSet, PredictiveSection } from './model-definition';
import {
  extractFeatures,
  featureColumns,
  type Contributors,
  type FeatureColumn,
} from './predictive-features';
import {
  HYBRID_RULES_CAP_RULE_ID,
  PREDICTIVE_BASELINE_RULE_ID,
  readableReasons,
  type ReasonPart,
} from './predictive-reasons';
import { compareText } from './score-parts';

/** A contact's features as of `now` (see predictive-features.ts). */
export function predictiveFeatureRow(
  features: PredictiveFeatureSet,
  contact: ContactFacts,
  account: AccountFacts | null,
  activities: readonly ActivityFacts[],
  now: Date,
): Record<string, FeatureValue> {
  return extractFeatures(features, contact, account, activities, now);
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

export interface PredictiveTotal {
  probability: number;
  /** In points, to hundredths. */
  total: number;
  /** Sum exactly to `total`; sorted by |points|, then rule id. */
  reasons: ScoreReason[];
}

/** Keeps the base rate's log-odds finite for a degenerate training set. */
const RATE_FLOOR = 1e-6;

const columnsCache = new WeakMap<PredictiveFeatureSet, FeatureColumn[]>();

function columnsOf(features: PredictiveFeatureSet): FeatureColumn[] {
  let columns = columnsCache.get(features);
  if (!columns) {
    columns = featureColumns(features);
    columnsCache.set(features, columns);
  }
  return columns;
}

/** Each name's share of the gap between the average row and the base rate, per model. */
const gapShares = new WeakMap<object, Map<readonly string[], Float64Array>>();

function sharesOf(model: TrainedModel, names: readonly string[]): Float64Array {
  let byNames = gapShares.get(model);
  if (!byNames) {
    byNames = new Map();
    gapShares.set(model, byNames);
  }
  let shares = byNames.get(names);
  if (!shares) {
    const importance = columnImportance(model);
    const weights = names.map((n) => importance.get(n) ?? 0);
    const total = weights.reduce((s, w) => s + w, 0);
    shares = Float64Array.from(weights, (w) => (total > 0 ? w / total : 1 / names.length));
    byNames.set(names, shares);
  }
  return shares;
}

/** The probability of a predictive version for a feature row, and each column's points. */
export function predictiveParts(
  section: PredictiveSection,
  row: Record<string, FeatureValue>,
): { probability: number; baseRate: number; names: readonly string[]; points: Float64Array } {
  const model = section.model;
  const explained = explainModel(model, row);
  const baseRate = Math.min(1 - RATE_FLOOR, Math.max(RATE_FLOOR, model.training.baseRate));
  const l0 = logOdds(baseRate);
  const l = explained.logit;
  const p = sigmoid(l);
  const shares = sharesOf(model, explained.names);
  const gap = explained.reference - l0;
  const span = l - l0;
  const slope =
    Math.abs(span) < 1e-9 ? 100 * baseRate * (1 - baseRate) : (100 * (p - baseRate)) / span;
  const points = new Float64Array(explained.names.length);
  for (let i = 0; i < points.length; i++) {
    points[i] = slope * (explained.contributions[i]! + gap * shares[i]!);
  }
  return { probability: p, baseRate, names: explained.names, points };
}

/** The total alone (no reasons), as `predictiveTotal` rounds it: for ranking many rows. */
export function predictedTotal(
  section: PredictiveSection,
  rulesTotal: number,
  row: Record<string, FeatureValue>,
): number {
  const p = sigmoid(predictLogit(section.model, row));
  let exact = 100 * p;
  if (section.mode === 'HYBRID' && section.weights !== null) {
    const sum = section.weights.rules + section.weights.predictive;
    const rules100 = 100 * Math.min(1, Math.max(0, rulesTotal / section.rulesScaleMax));
    exact = (section.weights.rules / sum) * rules100 + (section.weights.predictive / sum) * exact;
  }
  return hundredthsToPoints(Math.round(exact * 100));
}

/**
 * The total and reasons of a predictive or hybrid version, given the rules score of the same
 * definition (for a hybrid's rules part) and the contact's feature row.
 */
export function predictiveTotal(
  section: PredictiveSection,
  rules: Pick<LeadScore, 'total' | 'reasons'>,
  row: Record<string, FeatureValue>,
  /** Activities per type before the moment scored, shown on activity reasons. */
  activityCounts: Readonly<Record<string, number>> = {},
  /** For an account model: what the base rate counts, and who made each figure. */
  scope: { noun: 'contacts' | 'accounts'; contributors?: Contributors } = { noun: 'contacts' },
): PredictiveTotal {
  const { probability: p, baseRate, names, points } = predictiveParts(section, row);
  const hybrid = section.mode === 'HYBRID' && section.weights !== null;
  const sum = hybrid ? section.weights!.rules + section.weights!.predictive : 1;
  const wr = hybrid ? section.weights!.rules / sum : 0;
  const wp = hybrid ? section.weights!.predictive / sum : 1;

  const parts: ReasonPart[] = [];
  let exactTotal = wp * 100 * p;
  if (hybrid) {
    const scale = (wr * 100) / section.rulesScaleMax;
    const rules100 = 100 * Math.min(1, Math.max(0, rules.total / section.rulesScaleMax));
    for (const r of rules.reasons) parts.push({ ...r, value: r.points * scale });
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
    exactTotal += wr * rules100;
  }
  parts.push({
    ruleId: PREDICTIVE_BASELINE_RULE_ID,
    label: `Base rate: ${(100 * baseRate).toFixed(1)}% of ${scope.noun} converted`,
    category: 'PREDICTIVE',
    kind: 'BASELINE',
    activityCount: 0,
    value: wp * 100 * baseRate,
  });
  const weighted = wp === 1 ? points : points.map((x) => x * wp);
  parts.push(
    ...readableReasons(
      names,
      weighted,
      columnsOf(section.features),
      row,
      activityCounts,
      scope.contributors,
    ),
  );

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
