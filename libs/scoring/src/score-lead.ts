/** Scoring one contact: fit + engagement − negative, with reasons that add up to the total. */
import {
  compileModel,
  type CompiledActivityRule,
  type CompiledAttributeRule,
  type CompiledModel,
} from './compile-model';
import { ageInDays, decayFactor } from './decay';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import {
  capToHundredths,
  hundredthsToPoints,
  pointsToUnits,
  unitsToHundredths,
} from './fixed-point';
import type { LeadScore, ReasonCategory, ScoreReason } from './lead-score';
import type { ActivityType, ScoringModelDefinition } from './model-definition';
import { pickBand, QUADRANT_ACTIONS, quadrantFor } from './tiers';
import { ENGAGEMENT_CAP_RULE_ID, FIT_CAP_RULE_ID } from './validate-model';

interface TimelineEntry {
  readonly activity: ActivityFacts;
  readonly atMs: number;
  readonly ageDays: number;
  /** Decay at the model's half-life, which most rules share: computed at most once. */
  modelDecay: number | undefined;
}

/** Activities relevant to the rules: not in the future, within the lookback, newest first. */
interface Timeline {
  readonly byType: ReadonlyMap<ActivityType, readonly TimelineEntry[]>;
  /** The newest activity not in the future, of any type and any age. */
  readonly lastActivityMs: number | null;
}

interface Counted {
  readonly units: number;
  readonly count: number;
  readonly newestMs: number | null;
}

interface Reason {
  readonly reason: ScoreReason;
  readonly hundredths: number;
}

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
): LeadScore {
  const compiled = compileModel(model);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  const timeline = buildTimeline(compiled, activities, nowMs);
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

  const total = fit + engagement - negative;
  const { tiersDescending, gradesDescending, definition } = compiled;
  const tier = override
    ? tiersDescending[0]!
    : pickBand(tiersDescending, total / 100, (t) => t.min);
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
    reasons: reasons.sort(byMagnitudeThenRuleId).map((r) => r.reason),
  };
}

function buildTimeline(
  compiled: CompiledModel,
  activities: readonly ActivityFacts[],
  nowMs: number,
): Timeline {
  const { activityTypes, lookbackMs } = compiled;
  const byType = new Map<ActivityType, TimelineEntry[]>();
  for (const type of activityTypes) byType.set(type, []);
  let lastActivityMs: number | null = null;
  for (const activity of activities) {
    const atMs = activity.occurredAt.getTime();
    if (!(atMs <= nowMs)) continue; // the future, or an invalid date
    if (lastActivityMs === null || atMs > lastActivityMs) lastActivityMs = atMs;
    const bucket = byType.get(activity.type);
    if (bucket === undefined) continue;
    if (lookbackMs !== null && nowMs - atMs > lookbackMs) continue;
    bucket.push({ activity, atMs, ageDays: ageInDays(nowMs, atMs), modelDecay: undefined });
  }
  // Sorting each type on its own is cheaper than sorting all activities once.
  for (const bucket of byType.values()) bucket.sort(newestFirst);
  return { byType, lastActivityMs };
}

/** Newest first; equal times by id, so the order never depends on the input order. */
function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  if (a.atMs !== b.atMs) return b.atMs - a.atMs;
  return compareText(a.activity.id, b.activity.id);
}

function countActivities(
  rule: CompiledActivityRule,
  timeline: Timeline,
  modelHalfLifeDays: number | null,
): Counted {
  const entries = timeline.byType.get(rule.activityType);
  let units = 0;
  let count = 0;
  let newestMs: number | null = null;
  if (entries) {
    for (const entry of entries) {
      if (count >= rule.maxCount) break;
      if (!rule.where(entry.activity.properties)) continue;
      units +=
        rule.halfLifeDays === null
          ? rule.units
          : pointsToUnits(rule.points * decayOf(entry, rule.halfLifeDays, modelHalfLifeDays));
      newestMs ??= entry.atMs;
      count++;
    }
  }
  return { units, count, newestMs };
}

function decayOf(entry: TimelineEntry, halfLifeDays: number, modelHalfLifeDays: number | null) {
  if (halfLifeDays !== modelHalfLifeDays) return decayFactor(entry.ageDays, halfLifeDays);
  entry.modelDecay ??= decayFactor(entry.ageDays, halfLifeDays);
  return entry.modelDecay;
}

/** Adds the reason for a matching attribute rule and returns its signed hundredths. */
function attributeReason(
  reasons: Reason[],
  rule: CompiledAttributeRule,
  category: ReasonCategory,
  contact: ContactFacts,
  account: AccountFacts | null,
  sign: 1 | -1,
): number {
  if (!rule.matches(contact, account)) return 0;
  return pushReason(reasons, rule, category, sign * unitsToHundredths(rule.units), 0, 'RULE');
}

function activityReason(
  reasons: Reason[],
  rule: CompiledActivityRule,
  category: ReasonCategory,
  counted: Counted,
  sign: 1 | -1,
): number {
  if (counted.count === 0) return 0;
  const hundredths = sign * unitsToHundredths(counted.units);
  return pushReason(reasons, rule, category, hundredths, counted.count, 'RULE');
}

/** Records a non-zero reason; returns its signed hundredths. */
function pushReason(
  reasons: Reason[],
  rule: { readonly id: string; readonly label: string },
  category: ReasonCategory,
  hundredths: number,
  activityCount: number,
  kind: ScoreReason['kind'],
): number {
  if (hundredths === 0) return 0;
  reasons.push({
    reason: {
      ruleId: rule.id,
      label: rule.label,
      category,
      points: hundredthsToPoints(hundredths),
      activityCount,
      kind,
    },
    hundredths,
  });
  return hundredths;
}

/** Clamps a part (in hundredths) to [0, max]; the clamp shows as its own reason. */
function clampWithCapReason(
  reasons: Reason[],
  raw: number,
  max: number,
  category: ReasonCategory,
  ruleId: string,
  name: string,
): number {
  const maxHundredths = capToHundredths(max);
  if (raw > maxHundredths) {
    pushReason(
      reasons,
      { id: ruleId, label: `${name} capped at ${max}` },
      category,
      maxHundredths - raw,
      0,
      'CAP',
    );
    return maxHundredths;
  }
  if (raw < 0) {
    pushReason(reasons, { id: ruleId, label: `${name} floored at 0` }, category, -raw, 0, 'CAP');
    return 0;
  }
  return raw;
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

function byMagnitudeThenRuleId(a: Reason, b: Reason): number {
  const magnitude = Math.abs(b.hundredths) - Math.abs(a.hundredths);
  return magnitude !== 0 ? magnitude : compareText(a.reason.ruleId, b.reason.ruleId);
}

/** Code-unit order: locale-independent, so results are the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
