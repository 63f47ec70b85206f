/**
 * Pieces shared by lead and account scoring: activity timelines, decayed rule counting, reasons in
 * integer hundredths, and the clamp that shows as its own reason.
 */
import type { CompiledActivityRule, CompiledAttributeRule } from './compile-model';
import { ageInDays, decayFactor } from './decay';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import {
  capToHundredths,
  hundredthsToPoints,
  pointsToUnits,
  unitsToHundredths,
} from './fixed-point';
import type { ReasonCategory, ScoreReason } from './lead-score';
import type { ActivityType } from './model-definition';

export interface TimelineEntry {
  readonly activity: ActivityFacts;
  readonly atMs: number;
  readonly ageDays: number;
  /** Decay at the section's half-life, which most rules share: computed at most once. */
  modelDecay: number | undefined;
}

/** Activities relevant to the rules: not in the future, within the lookback, newest first. */
export interface Timeline {
  readonly byType: ReadonlyMap<ActivityType, readonly TimelineEntry[]>;
  /** The newest activity not in the future, of any type and any age. */
  readonly lastActivityMs: number | null;
}

export interface Counted {
  readonly units: number;
  readonly count: number;
  readonly newestMs: number | null;
}

export interface Reason {
  readonly reason: ScoreReason;
  readonly hundredths: number;
}

export function buildTimeline(
  activityTypes: ReadonlySet<ActivityType>,
  lookbackMs: number | null,
  activities: readonly ActivityFacts[],
  nowMs: number,
): Timeline {
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

/** `sectionHalfLifeDays`: the half-life most rules inherit, whose decay is cached per entry. */
export function countActivities(
  rule: CompiledActivityRule,
  timeline: Timeline,
  sectionHalfLifeDays: number | null,
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
          : pointsToUnits(rule.points * decayOf(entry, rule.halfLifeDays, sectionHalfLifeDays));
      newestMs ??= entry.atMs;
      count++;
    }
  }
  return { units, count, newestMs };
}

function decayOf(entry: TimelineEntry, halfLifeDays: number, sectionHalfLifeDays: number | null) {
  if (halfLifeDays !== sectionHalfLifeDays) return decayFactor(entry.ageDays, halfLifeDays);
  entry.modelDecay ??= decayFactor(entry.ageDays, halfLifeDays);
  return entry.modelDecay;
}

/** Adds the reason for a matching attribute rule and returns its signed hundredths. */
export function attributeReason(
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

export function activityReason(
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
export function pushReason(
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
export function clampWithCapReason(
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

/** The reasons as returned: by |points| desc, then rule id. */
export function sortedReasons(reasons: Reason[]): ScoreReason[] {
  return reasons.sort(byMagnitudeThenRuleId).map((r) => r.reason);
}

function byMagnitudeThenRuleId(a: Reason, b: Reason): number {
  const magnitude = Math.abs(b.hundredths) - Math.abs(a.hundredths);
  return magnitude !== 0 ? magnitude : compareText(a.reason.ruleId, b.reason.ruleId);
}

/** Code-unit order: locale-independent, so results are the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
