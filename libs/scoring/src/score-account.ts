/**
 * Scoring one account: account fit + contact roll-up + committee engagement + account intent, with
 * reasons that add up to the total, and a score per buying group.
 */
import type {
  AccountScore,
  AccountSignals,
  AccountVelocity,
  BuyingGroupMemberScore,
  BuyingGroupScore,
} from './account-score';
import { compileModel, type CompiledAccountSection } from './compile-model';
import { DAY_MS } from './decay';
import type {
  AccountBuyingGroupInput,
  AccountContactInput,
  AccountFacts,
  ActivityFacts,
  ContactFacts,
} from './facts';
import { hundredthsToPoints, pointsToHundredths, unitsToHundredths } from './fixed-point';
import type { ScoreReason } from './lead-score';
import {
  BUYING_ROLES,
  DECISION_ROLES,
  type PredictiveSection,
  type ScoringModelDefinition,
} from './model-definition';
import {
  extractAccountFeatures,
  isFeatureSetV2,
  type AccountContactHistory,
} from './predictive-features';
import { activityCountsBefore, predictiveTotal, type PredictiveTotal } from './predictive-score';
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
import { pickTier, QUADRANT_ACTIONS, quadrantFor, type TierCutoffs } from './tiers';
import {
  ACCOUNT_FIT_CAP_RULE_ID,
  COMMITTEE_CAP_RULE_ID,
  COMMITTEE_RULE_IDS,
  INTENT_CAP_RULE_ID,
  ROLLUP_CAP_RULE_ID,
  ROLLUP_RULE_ID_PREFIX,
} from './validate-model';

const WEEK_MS = 7 * DAY_MS;
/** Velocity compares the last week with the 4 weeks before it. */
const PRIOR_WEEKS = 4;
const PRIOR_END_MS = WEEK_MS * (1 + PRIOR_WEEKS);

/**
 * What an account's score reads of its contacts' activity times, counted: activities at or
 * before `now` and less than 7 days old (`last7Days`), from 7 up to 35 days old
 * (`prior4Weeks`), and the latest at or before `now`. A store can count these itself
 * instead of sending every time (see `contactActivityWindows`).
 */
export interface ContactActivityCounts {
  last7Days: number;
  prior4Weeks: number;
  latestAt: Date | null;
}

/**
 * The windows of `ContactActivityCounts`, as instants relative to `now`: an activity at
 * time t counts in `last7Days` when recentAfter < t <= now, in `prior4Weeks` when
 * priorAfter < t <= recentAfter.
 */
export function contactActivityWindows(now: Date): { recentAfter: Date; priorAfter: Date } {
  return {
    recentAfter: new Date(now.getTime() - WEEK_MS),
    priorAfter: new Date(now.getTime() - PRIOR_END_MS),
  };
}

function checkedCounts(counts: ContactActivityCounts): ContactActivityCounts {
  for (const n of [counts.last7Days, counts.prior4Weeks])
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`contact activity counts must be whole numbers ≥ 0, got ${n}`);
  return counts;
}

/** Counts activity times the way `scoreAccount` does (the reference for stores that count). */
export function countContactActivity(times: readonly Date[], now: Date): ContactActivityCounts {
  const nowMs = now.getTime();
  let last7Days = 0;
  let prior4Weeks = 0;
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const time of times) {
    const atMs = time.getTime();
    if (!(atMs <= nowMs)) continue; // the future, or an invalid date
    if (atMs > latestMs) latestMs = atMs;
    const ageMs = nowMs - atMs;
    if (ageMs < WEEK_MS) last7Days++;
    else if (ageMs < PRIOR_END_MS) prior4Weeks++;
  }
  return {
    last7Days,
    prior4Weeks,
    latestAt: latestMs === Number.NEGATIVE_INFINITY ? null : new Date(latestMs),
  };
}

export interface AccountScoringOptions {
  /** Cut-offs kept current for tiers set by share (absent: each tier's `min`). */
  tierCutoffs?: TierCutoffs;
  /** Every contact's activity and roles: required when the version has an account model. */
  contactHistories?: readonly AccountContactHistory[];
}

/** Account fit rules read account fields only (validation enforces it); there is no contact. */
const NO_CONTACT: ContactFacts = Object.freeze({ email: '' });

const ROLE_ORDER = new Map<string, number>(BUYING_ROLES.map((role, i) => [role, i]));
const DECISION_ROLE_SET: ReadonlySet<string> = new Set(DECISION_ROLES);

interface ContactState {
  readonly input: AccountContactInput;
  readonly engaged: boolean;
}

interface GroupResult {
  readonly score: BuyingGroupScore;
  readonly requiredCount: number;
  readonly decisionMakerEngaged: boolean;
}

/**
 * Scores an account under a model at time `now`.
 *
 * - `contacts`: the account's contacts with their lead scores (contact ids must be unique).
 * - `accountActivities`: account-level activities (no contact), for intent rules and velocity.
 * - `contactActivity`: when the account's contacts were active, for velocity and recency:
 *   every time, or those times already counted (`ContactActivityCounts`, the same result).
 *
 * Pure and deterministic: the result does not depend on the order of any list. Throws
 * InvalidScoringModelError if the model does not validate, RangeError on an invalid `now`, a
 * duplicate contact id, a non-finite contact total or engagement, or activity counts that
 * are not whole numbers ≥ 0.
 */
export function scoreAccount(
  model: ScoringModelDefinition,
  account: AccountFacts,
  contacts: readonly AccountContactInput[],
  buyingGroups: readonly AccountBuyingGroupInput[],
  accountActivities: readonly ActivityFacts[],
  contactActivity: readonly Date[] | ContactActivityCounts,
  now: Date,
  options: AccountScoringOptions = {},
): AccountScore {
  const { tierCutoffs } = options;
  const compiled = compileModel(model);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');
  const section = compiled.account;
  const definition = compiled.definition.account;
  const reasons: Reason[] = [];

  let fitRaw = 0;
  for (const rule of section.fitRules) {
    fitRaw += attributeReason(reasons, rule, 'FIT', NO_CONTACT, account, 1);
  }
  const fit = clampWithCapReason(
    reasons,
    fitRaw,
    definition.fit.max,
    'FIT',
    ACCOUNT_FIT_CAP_RULE_ID,
    'Account fit',
  );

  const contactsById = indexContacts(section, contacts, nowMs);

  const rollup = clampWithCapReason(
    reasons,
    rollupReasons(reasons, section.rollupWeights, contacts),
    definition.rollup.max,
    'ROLLUP',
    ROLLUP_CAP_RULE_ID,
    'Contact roll-up',
  );

  const leadEngagementMax = compiled.definition.engagement.max;
  const groups = [...buyingGroups]
    .sort(byNameThenId)
    .map((group) => scoreGroup(group, contactsById, leadEngagementMax));
  const signals = accountSignals(
    section,
    contactsById,
    groups,
    accountActivities,
    Array.isArray(contactActivity)
      ? countContactActivity(contactActivity as readonly Date[], now)
      : checkedCounts(contactActivity as ContactActivityCounts),
    nowMs,
  );
  const committee = clampWithCapReason(
    reasons,
    committeeReasons(reasons, section, signals),
    definition.committee.max,
    'COMMITTEE',
    COMMITTEE_CAP_RULE_ID,
    'Committee engagement',
  );

  const timeline = buildTimeline(
    section.intentTypes,
    section.intentLookbackMs,
    accountActivities,
    nowMs,
  );
  let intentRaw = 0;
  for (const rule of section.intentRules) {
    const counted = countActivities(rule, timeline, definition.intent.halfLifeDays);
    intentRaw += activityReason(reasons, rule, 'INTENT', counted, 1);
  }
  const intent = clampWithCapReason(
    reasons,
    intentRaw,
    definition.intent.max,
    'INTENT',
    INTENT_CAP_RULE_ID,
    'Account intent',
  );

  const engagement = rollup + committee + intent;
  let total = fit + engagement;
  let sortedList = sortedReasons(reasons);
  if (definition.predictive) {
    const predicted = accountPredictiveTotal(
      definition.predictive,
      account,
      accountActivities,
      options.contactHistories,
      { total: hundredthsToPoints(total), reasons: sortedList },
      now,
    );
    total = Math.round(predicted.total * 100);
    sortedList = predicted.reasons;
  }
  const quadrant = quadrantFor(fit / 100, engagement / 100, definition.quadrant);
  return {
    fit: hundredthsToPoints(fit),
    rollup: hundredthsToPoints(rollup),
    committee: hundredthsToPoints(committee),
    intent: hundredthsToPoints(intent),
    engagement: hundredthsToPoints(engagement),
    total: hundredthsToPoints(total),
    tier: pickTier(section.tiersDescending, total / 100, fit / 100, engagement / 100, tierCutoffs)
      .name,
    quadrant,
    action: QUADRANT_ACTIONS[quadrant],
    signals,
    buyingGroups: groups.map((g) => g.score),
    reasons: sortedList,
  };
}

/**
 * An account model's total and reasons (the rules account score, for a hybrid's rules part):
 * features from the account's fields and all its contacts' activity, reasons naming the
 * contacts behind each figure.
 */
function accountPredictiveTotal(
  section: PredictiveSection,
  account: AccountFacts,
  accountActivities: readonly ActivityFacts[],
  histories: readonly AccountContactHistory[] | undefined,
  rules: { total: number; reasons: ScoreReason[] },
  now: Date,
): PredictiveTotal {
  if (!histories) {
    throw new RangeError('an account model needs the contacts’ activity (contactHistories)');
  }
  if (!isFeatureSetV2(section.features)) {
    throw new RangeError('an account model reads a version-2 feature set');
  }
  const { row, contributors } = extractAccountFeatures(
    section.features,
    account,
    histories,
    accountActivities,
    now,
  );
  const counts = activityCountsBefore(
    [...accountActivities, ...histories.flatMap((h) => h.activities)],
    now,
  );
  return predictiveTotal(section, rules, row, counts, { noun: 'accounts', contributors });
}

function indexContacts(
  section: CompiledAccountSection,
  contacts: readonly AccountContactInput[],
  nowMs: number,
): Map<string, ContactState> {
  const { engagementThreshold, windowMs } = section.committee;
  const byId = new Map<string, ContactState>();
  for (const contact of contacts) {
    if (byId.has(contact.contactId)) {
      throw new RangeError(`duplicate contact '${contact.contactId}'`);
    }
    if (!Number.isFinite(contact.total) || !Number.isFinite(contact.engagement)) {
      throw new RangeError(`contact '${contact.contactId}' needs a finite total and engagement`);
    }
    const lastMs = contact.lastActivityAt?.getTime() ?? Number.NaN;
    // A last activity in the future (or an invalid date) does not count as recent.
    const engaged =
      contact.engagement >= engagementThreshold && lastMs <= nowMs && nowMs - lastMs <= windowMs;
    byId.set(contact.contactId, { input: contact, engaged });
  }
  return byId;
}

/** One reason per contributing contact; returns the roll-up before its cap, in hundredths. */
function rollupReasons(
  reasons: Reason[],
  weights: readonly number[],
  contacts: readonly AccountContactInput[],
): number {
  const ranked = contacts.filter((c) => c.total > 0).sort(byTotalThenId);
  const counted = Math.min(ranked.length, weights.length);
  let raw = 0;
  for (let i = 0; i < counted; i++) {
    const contact = ranked[i]!;
    const weight = weights[i]!;
    raw += pushReason(
      reasons,
      {
        id: `${ROLLUP_RULE_ID_PREFIX}${contact.contactId}`,
        label: `Contact #${i + 1} (weight ${Number(weight.toPrecision(6))})`,
      },
      'ROLLUP',
      pointsToHundredths(contact.total * weight),
      0,
      'RULE',
    );
  }
  return raw;
}

function scoreGroup(
  group: AccountBuyingGroupInput,
  contactsById: ReadonlyMap<string, ContactState>,
  leadEngagementMax: number,
): GroupResult {
  const members: BuyingGroupMemberScore[] = group.members
    .map((member) => ({
      contactId: member.contactId,
      role: member.role,
      engaged: contactsById.get(member.contactId)?.engaged ?? false,
    }))
    .sort(byRoleThenContact);

  const filled = new Set<string>();
  const engagedFilled = new Set<string>();
  const seen = new Set<string>();
  let decisionMakerEngaged = false;
  let engagementShare = 0;
  for (const member of members) {
    filled.add(member.role);
    if (member.engaged) {
      engagedFilled.add(member.role);
      if (DECISION_ROLE_SET.has(member.role)) decisionMakerEngaged = true;
    }
    // A contact in two roles is one person: its engagement counts once.
    if (!seen.has(member.contactId)) {
      seen.add(member.contactId);
      const leadEngagement = contactsById.get(member.contactId)?.input.engagement ?? 0;
      engagementShare += Math.min(Math.max(leadEngagement / leadEngagementMax, 0), 1);
    }
  }

  const required = [...new Set(group.requiredRoles)];
  const missingRoles = required.filter((role) => !filled.has(role));
  const engagedRoles = required.filter((role) => engagedFilled.has(role));
  const share = (count: number) => (required.length === 0 ? 1 : count / required.length);
  const engagement =
    seen.size === 0
      ? 0
      : hundredthsToPoints(pointsToHundredths((engagementShare / seen.size) * 100));
  return {
    score: {
      id: group.id,
      name: group.name,
      engagement,
      completeness: share(required.length - missingRoles.length),
      engagedCompleteness: share(engagedRoles.length),
      missingRoles,
      engagedRoles,
      members,
    },
    requiredCount: required.length,
    decisionMakerEngaged,
  };
}

function accountSignals(
  section: CompiledAccountSection,
  contactsById: ReadonlyMap<string, ContactState>,
  groups: readonly GroupResult[],
  accountActivities: readonly ActivityFacts[],
  contactActivity: ContactActivityCounts,
  nowMs: number,
): AccountSignals {
  let engagedContacts = 0;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const { input, engaged } of contactsById.values()) {
    if (engaged) engagedContacts++;
    const atMs = input.lastActivityAt?.getTime() ?? Number.NaN;
    if (atMs <= nowMs && atMs > lastMs) lastMs = atMs;
  }

  let last7 = contactActivity.last7Days;
  let prior = contactActivity.prior4Weeks;
  const latestMs = contactActivity.latestAt?.getTime() ?? Number.NaN;
  if (latestMs <= nowMs && latestMs > lastMs) lastMs = latestMs;
  const count = (atMs: number) => {
    if (!(atMs <= nowMs)) return; // the future, or an invalid date
    if (atMs > lastMs) lastMs = atMs;
    const ageMs = nowMs - atMs;
    if (ageMs < WEEK_MS) last7++;
    else if (ageMs < PRIOR_END_MS) prior++;
  };
  for (const activity of accountActivities) count(activity.occurredAt.getTime());

  let required = 0;
  let covered = 0;
  let decisionMakerEngaged = false;
  for (const group of groups) {
    required += group.requiredCount;
    covered += group.score.engagedRoles.length;
    if (group.decisionMakerEngaged) decisionMakerEngaged = true;
  }

  const hasActivity = lastMs !== Number.NEGATIVE_INFINITY;
  return {
    engagedContacts,
    coverage: required === 0 ? 0 : covered / required,
    decisionMakerEngaged,
    velocity: velocity(section, last7, prior),
    daysSinceLastActivity: hasActivity ? Math.floor((nowMs - lastMs) / DAY_MS) : null,
    lastActivityAt: hasActivity ? new Date(lastMs) : null,
  };
}

function velocity(section: CompiledAccountSection, last7: number, prior: number): AccountVelocity {
  const { surgeRatio, surgeMinActivities } = section.committee;
  const weeklyAverage = prior / PRIOR_WEEKS;
  // last7 >= ratio × prior / 4, compared without dividing; no prior activity at all counts too.
  const surging =
    last7 >= surgeMinActivities && (prior === 0 || last7 * PRIOR_WEEKS >= surgeRatio * prior);
  return {
    last7Days: last7,
    weeklyAverage,
    ratio: prior === 0 ? null : (last7 * PRIOR_WEEKS) / prior,
    surging,
  };
}

/** One reason per committee signal that scores; returns committee points before the cap. */
function committeeReasons(
  reasons: Reason[],
  section: CompiledAccountSection,
  signals: AccountSignals,
): number {
  const c = section.committee;
  const ids = COMMITTEE_RULE_IDS;
  let raw = 0;

  const engaged = signals.engagedContacts;
  if (engaged > 0) {
    const counted = Math.min(engaged, c.engagedContactsCap);
    const label = `${engaged} engaged ${engaged === 1 ? 'contact' : 'contacts'}${
      counted < engaged ? ` (${counted} counted)` : ''
    }`;
    const hundredths = unitsToHundredths(counted * c.engagedContactUnits);
    raw += pushReason(
      reasons,
      { id: ids.engagedContacts, label },
      'COMMITTEE',
      hundredths,
      0,
      'RULE',
    );
  }

  if (signals.coverage > 0) {
    const label = `${Math.round(signals.coverage * 100)}% of required roles covered by engaged members`;
    const hundredths = pointsToHundredths(c.coveragePoints * signals.coverage);
    raw += pushReason(reasons, { id: ids.coverage, label }, 'COMMITTEE', hundredths, 0, 'RULE');
  }

  if (signals.decisionMakerEngaged) {
    const label = 'Decision maker or economic buyer engaged';
    const hundredths = unitsToHundredths(c.decisionMakerUnits);
    raw += pushReason(
      reasons,
      { id: ids.decisionMaker, label },
      'COMMITTEE',
      hundredths,
      0,
      'RULE',
    );
  }

  const { velocity: v } = signals;
  if (v.surging) {
    const label = `Engagement surge: ${v.last7Days} activities in 7 days (weekly average ${v.weeklyAverage} before)`;
    const hundredths = unitsToHundredths(c.surgeUnits);
    raw += pushReason(
      reasons,
      { id: ids.surge, label },
      'COMMITTEE',
      hundredths,
      v.last7Days,
      'RULE',
    );
  }

  const days = signals.daysSinceLastActivity;
  if (days !== null) {
    const band = c.recency.find((b) => days <= b.withinDays);
    if (band) {
      const label = `Last activity ${days} ${days === 1 ? 'day' : 'days'} ago (within ${band.withinDays} days)`;
      const hundredths = unitsToHundredths(band.units);
      raw += pushReason(reasons, { id: ids.recency, label }, 'COMMITTEE', hundredths, 0, 'RULE');
    }
  }
  return raw;
}

/** Highest total first; equal totals by contact id, so ranks never depend on input order. */
function byTotalThenId(a: AccountContactInput, b: AccountContactInput): number {
  if (a.total !== b.total) return b.total - a.total;
  return compareText(a.contactId, b.contactId);
}

function byNameThenId(a: AccountBuyingGroupInput, b: AccountBuyingGroupInput): number {
  return compareText(a.name, b.name) || compareText(a.id, b.id);
}

/** BUYING_ROLES order (unknown roles after, alphabetically), then contact id. */
function byRoleThenContact(a: BuyingGroupMemberScore, b: BuyingGroupMemberScore): number {
  const unknown = BUYING_ROLES.length;
  const rank = (ROLE_ORDER.get(a.role) ?? unknown) - (ROLE_ORDER.get(b.role) ?? unknown);
  if (rank !== 0) return rank;
  return (
    compareText(a.role, b.role) ||
    compareText(a.contactId, b.contactId) ||
    Number(a.engaged) - Number(b.engaged)
  );
}
