import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountScore } from './account-score';
import { defaultModelDefinition } from './default-model';
import type {
  AccountBuyingGroupInput,
  AccountContactInput,
  AccountFacts,
  ActivityFacts,
} from './facts';
import {
  BUYING_ROLES,
  type AccountModelSection,
  type ActivityType,
  type AttributeRule,
  type EngagementRule,
  type ScoringModelDefinition,
} from './model-definition';
import { contactActivityWindows, countContactActivity, scoreAccount } from './score-account';
import { validateModelDefinition } from './validate-model';

const DAY = 86_400_000;
const RUNS = { numRuns: 300 };

const hundredths = (min: number, max: number) => fc.integer({ min, max }).map((n) => n / 100);
/** Mostly two-decimal numbers, as lead scores are; sometimes arbitrary doubles. */
const points = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: hundredths(min * 100, max * 100) },
    { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
  );
const positiveMax = (upTo: number) =>
  fc.oneof(fc.integer({ min: 1, max: upTo }), hundredths(1, upTo * 100));

type Condition = Pick<AttributeRule, 'field' | 'op' | 'value'>;
const accountCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    field: fc.constant('account.industry'),
    op: fc.constantFrom('IN' as const, 'NOT_IN' as const),
    value: fc.subarray(['Software', 'SaaS', 'Retail'], { minLength: 1 }),
  }),
  fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 })).map(([a, b]) => ({
    field: 'account.employeeCount',
    op: 'BETWEEN' as const,
    value: [Math.min(a, b), Math.max(a, b)],
  })),
  fc.record({
    field: fc.constant('account.technologies'),
    op: fc.constant('CONTAINS' as const),
    value: fc.constantFrom('snowflake', 'dbt'),
  }),
  fc.record({
    field: fc.constant('account.attributes.tier'),
    op: fc.constant('EXISTS' as const),
    value: fc.boolean(),
  }),
);

const TOPICS = ['data warehouse', 'crm', 'elt'];
const ACCOUNT_TYPES: ActivityType[] = ['INTENT_SURGE', 'INTENT_SURGE', 'PAGE_VIEW'];

const intentRule: fc.Arbitrary<Omit<EngagementRule, 'id'>> = fc.record({
  label: fc.constant('intent'),
  activityType: fc.constantFrom<ActivityType>('INTENT_SURGE', 'PAGE_VIEW'),
  where: fc.constantFrom(
    [],
    [{ property: 'topic', op: 'IN' as const, value: ['data warehouse', 'elt'] }],
  ),
  points: points(-10, 40),
  maxCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  halfLifeDays: fc.option(fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }), {
    nil: undefined,
  }),
});

const tiers = fc
  .tuple(
    fc.integer({ min: -50, max: 0 }),
    fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 4 }),
  )
  .map(([lowest, others]) => [lowest, ...others].map((min, i) => ({ name: `T${i}`, min })));

const sectionArbitrary: fc.Arbitrary<AccountModelSection> = fc.record({
  fit: fc.record({
    max: positiveMax(80),
    rules: fc
      .array(fc.tuple(accountCondition, points(-20, 40)), { maxLength: 5 })
      .map((rules) =>
        rules.map(([c, p], i) => ({ id: `af${i}`, label: `Fit ${i}`, ...c, points: p })),
      ),
  }),
  rollup: fc.record({
    topN: fc.integer({ min: 1, max: 8 }),
    factor: fc.oneof(
      hundredths(1, 100),
      fc.double({ min: 0.001, max: 1, noNaN: true }),
      fc.constant(0.5),
    ),
    max: positiveMax(300),
  }),
  committee: fc.record({
    engagementThreshold: fc.integer({ min: 0, max: 60 }),
    windowDays: fc.integer({ min: 1, max: 60 }),
    engagedContactPoints: points(-5, 15),
    engagedContactsCap: fc.integer({ min: 1, max: 8 }),
    coveragePoints: points(-10, 40),
    decisionMakerPoints: points(-10, 20),
    surgePoints: points(-10, 20),
    surgeRatio: fc.oneof(fc.integer({ min: 1, max: 4 }), hundredths(10, 400)),
    surgeMinActivities: fc.integer({ min: 1, max: 8 }),
    recency: fc
      .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 3 })
      .chain((days) =>
        fc
          .array(points(-5, 20), { minLength: days.length, maxLength: days.length })
          .map((ps) =>
            days
              .map((withinDays, i) => ({ withinDays, points: ps[i]! }))
              .sort((a, b) => a.withinDays - b.withinDays),
          ),
      ),
    max: positiveMax(120),
  }),
  intent: fc.record({
    max: positiveMax(60),
    halfLifeDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    lookbackDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
    rules: fc
      .array(intentRule, { maxLength: 3 })
      .map((rules) => rules.map((r, i) => ({ ...r, id: `ai${i}` }))),
  }),
  tiers,
  quadrant: fc.record({
    fitThreshold: fc.integer({ min: 0, max: 80 }),
    engagementThreshold: fc.integer({ min: 0, max: 200 }),
  }),
});

const modelArbitrary: fc.Arbitrary<ScoringModelDefinition> = fc
  .tuple(sectionArbitrary, positiveMax(150))
  .map(([account, engagementMax]) => {
    const base = defaultModelDefinition();
    return { ...base, engagement: { ...base.engagement, max: engagementMax }, account };
  });

const offsetMs = fc.oneof(
  fc.integer({ min: -5 * DAY, max: 100 * DAY }),
  // Whole days hit the window, band and velocity boundaries exactly.
  fc.integer({ min: -2, max: 60 }).map((d) => d * DAY),
);

const CONTACT_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const ROLES = [...BUYING_ROLES, 'SPONSOR'];

interface ContactSeed {
  contactId: string;
  total: number;
  engagement: number;
  lastBeforeNowMs: number | null;
}

const contactSeed = (contactId: fc.Arbitrary<string>): fc.Arbitrary<ContactSeed> =>
  fc.record({
    contactId,
    // Equal totals are common enough to exercise the tie-break by contact id.
    total: fc.oneof(points(-60, 220), fc.constantFrom(0, 10, 50)),
    engagement: points(0, 160),
    lastBeforeNowMs: fc.option(offsetMs, { nil: null }),
  });

const contactSeeds = fc.uniqueArray(contactSeed(fc.constantFrom(...CONTACT_IDS)), {
  selector: (c) => c.contactId,
  maxLength: 8,
});

const groupsArbitrary: fc.Arbitrary<AccountBuyingGroupInput[]> = fc.uniqueArray(
  fc.record({
    id: fc.constantFrom('g1', 'g2', 'g3', 'g4'),
    name: fc.constantFrom('Platform', 'Analytics', 'Security'),
    requiredRoles: fc.subarray(ROLES, { maxLength: 5 }),
    members: fc.array(
      fc.record({
        // 'ghost' is a member who is not among the account's contacts.
        contactId: fc.constantFrom(...CONTACT_IDS, 'ghost'),
        role: fc.constantFrom(...ROLES),
      }),
      { maxLength: 6 },
    ),
  }),
  { selector: (g) => g.id, maxLength: 3 },
);

interface ActivitySeed {
  type: ActivityType;
  beforeNowMs: number;
  topic: string;
}

const activitySeeds = fc.array(
  fc.record({
    type: fc.constantFrom(...ACCOUNT_TYPES),
    beforeNowMs: offsetMs,
    topic: fc.constantFrom(...TOPICS),
  }),
  { maxLength: 12 },
);

const accountArbitrary: fc.Arbitrary<AccountFacts> = fc.record({
  industry: fc.option(fc.constantFrom('Software', 'SaaS', 'Retail'), { nil: null }),
  employeeCount: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
  technologies: fc.option(fc.subarray(['Snowflake', 'dbt', 'Looker']), { nil: null }),
  attributes: fc.option(fc.record({ tier: fc.constantFrom('gold', '') }), { nil: null }),
});

const scenario = fc.record({
  model: modelArbitrary,
  account: accountArbitrary,
  contacts: contactSeeds,
  groups: groupsArbitrary,
  activities: activitySeeds,
  times: fc.array(offsetMs, { maxLength: 40 }),
  nowMs: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Inputs {
  contacts: AccountContactInput[];
  groups: AccountBuyingGroupInput[];
  activities: ActivityFacts[];
  times: Date[];
  now: Date;
}

function inputsOf(s: Scenario): Inputs {
  const at = (beforeNowMs: number) => new Date(s.nowMs - beforeNowMs);
  return {
    contacts: s.contacts.map((c) => toContact(c, s.nowMs)),
    groups: s.groups,
    activities: s.activities.map((a: ActivitySeed, i) => ({
      id: `act${i}`,
      type: a.type,
      occurredAt: at(a.beforeNowMs),
      properties: { topic: a.topic },
    })),
    times: s.times.map(at),
    now: new Date(s.nowMs),
  };
}

function toContact(c: ContactSeed, nowMs: number): AccountContactInput {
  return {
    contactId: c.contactId,
    total: c.total,
    engagement: c.engagement,
    lastActivityAt: c.lastBeforeNowMs === null ? null : new Date(nowMs - c.lastBeforeNowMs),
  };
}

function run(s: Scenario, inputs: Inputs = inputsOf(s)): AccountScore {
  return scoreAccount(
    s.model,
    s.account,
    inputs.contacts,
    inputs.groups,
    inputs.activities,
    inputs.times,
    inputs.now,
  );
}

const toHundredths = (value: number) => Math.round(value * 100);
const sumOf = (score: AccountScore, category?: string, kind?: string) =>
  score.reasons
    .filter(
      (r) =>
        (category === undefined || r.category === category) &&
        (kind === undefined || r.kind === kind),
    )
    .reduce((sum, r) => sum + toHundredths(r.points), 0);

/** The cap in hundredths: the largest h with h / 100 <= max. */
function largestHundredthsAtMost(max: number): number {
  let h = Math.ceil(max * 100) + 1;
  while (h / 100 > max) h--;
  return h;
}

describe('scoreAccount properties', () => {
  it('arbitrary models are valid', () => {
    fc.assert(
      fc.property(modelArbitrary, (model) => {
        const result = validateModelDefinition(model);
        expect(result.ok ? [] : result.issues).toEqual([]);
      }),
      RUNS,
    );
  });

  it('reasons add up exactly to the total, and each category to its part', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const score = run(s);
        expect(sumOf(score)).toBe(toHundredths(score.total));
        expect(sumOf(score, 'FIT')).toBe(toHundredths(score.fit));
        expect(sumOf(score, 'ROLLUP')).toBe(toHundredths(score.rollup));
        expect(sumOf(score, 'COMMITTEE')).toBe(toHundredths(score.committee));
        expect(sumOf(score, 'INTENT')).toBe(toHundredths(score.intent));
        expect(toHundredths(score.engagement)).toBe(
          toHundredths(score.rollup) + toHundredths(score.committee) + toHundredths(score.intent),
        );
        expect(toHundredths(score.total)).toBe(
          toHundredths(score.fit) + toHundredths(score.engagement),
        );
        for (const value of [
          score.fit,
          score.rollup,
          score.committee,
          score.intent,
          score.engagement,
          score.total,
          ...score.reasons.map((r) => r.points),
          ...score.buyingGroups.map((g) => g.engagement),
        ]) {
          expect(Math.round(value * 100) / 100).toBe(value);
        }
        for (const reason of score.reasons) expect(reason.points).not.toBe(0);
      }),
      RUNS,
    );
  });

  it('keeps every part within [0, max], with a CAP reason exactly when clamped', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const score = run(s);
        const { account } = s.model;
        const parts = [
          ['FIT', score.fit, account.fit.max],
          ['ROLLUP', score.rollup, account.rollup.max],
          ['COMMITTEE', score.committee, account.committee.max],
          ['INTENT', score.intent, account.intent.max],
        ] as const;
        for (const [category, value, max] of parts) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(max);
          const raw = sumOf(score, category, 'RULE');
          const clamped = Math.min(Math.max(raw, 0), largestHundredthsAtMost(max));
          expect(toHundredths(value)).toBe(clamped);
          const caps = score.reasons.filter((r) => r.category === category && r.kind === 'CAP');
          expect(caps).toHaveLength(raw === clamped ? 0 : 1);
        }
        // Roll-up reasons: at most top N, never negative.
        const rollup = score.reasons.filter((r) => r.category === 'ROLLUP' && r.kind === 'RULE');
        expect(rollup.length).toBeLessThanOrEqual(account.rollup.topN);
        for (const r of rollup) expect(r.points).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('keeps signals and buying-group scores within their ranges', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const score = run(s);
        const { signals } = score;
        expect(signals.coverage).toBeGreaterThanOrEqual(0);
        expect(signals.coverage).toBeLessThanOrEqual(1);
        expect(signals.engagedContacts).toBeLessThanOrEqual(s.contacts.length);
        if (signals.daysSinceLastActivity !== null) {
          expect(signals.daysSinceLastActivity).toBeGreaterThanOrEqual(0);
          expect(signals.lastActivityAt!.getTime()).toBeLessThanOrEqual(s.nowMs);
        }
        for (const group of score.buyingGroups) {
          expect(group.engagement).toBeGreaterThanOrEqual(0);
          expect(group.engagement).toBeLessThanOrEqual(100);
          expect(group.completeness).toBeGreaterThanOrEqual(group.engagedCompleteness);
          expect(group.engagedCompleteness).toBeGreaterThanOrEqual(0);
          expect(group.completeness).toBeLessThanOrEqual(1);
          for (const role of group.engagedRoles) expect(group.missingRoles).not.toContain(role);
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order of contacts, groups, members, activities or times', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), (s, keys) => {
        const inputs = inputsOf(s);
        const baseline = run(s, inputs);
        const shuffle = <T>(items: readonly T[]): T[] =>
          items
            .map((item, i) => ({ item, key: keys[i % keys.length]! * 64 + i }))
            .sort((a, b) => a.key - b.key)
            .map(({ item }) => item);
        const shuffled: Inputs = {
          contacts: shuffle(inputs.contacts),
          groups: shuffle(inputs.groups).map((g) => ({
            ...g,
            members: shuffle(g.members),
          })),
          activities: shuffle(inputs.activities),
          times: shuffle(inputs.times),
          now: inputs.now,
        };
        expect(run(s, shuffled)).toEqual(baseline);
        const reorderedModel: ScoringModelDefinition = {
          ...s.model,
          account: {
            ...s.model.account,
            fit: { ...s.model.account.fit, rules: shuffle(s.model.account.fit.rules) },
            intent: { ...s.model.account.intent, rules: shuffle(s.model.account.intent.rules) },
            committee: {
              ...s.model.account.committee,
              recency: shuffle(s.model.account.committee.recency),
            },
            tiers: shuffle(s.model.account.tiers),
          },
        };
        expect(run({ ...s, model: reorderedModel }, inputs)).toEqual(baseline);
      }),
      RUNS,
    );
  });

  /*
   * Why this holds: inserting a value into a list sorted high to low leaves every rank's value at
   * least as high as before; each rank's weight is fixed, rounding each contribution is monotone,
   * and so is the clamp. So the roll-up can only rise.
   */
  it('adding a contact with a positive total never lowers the roll-up', () => {
    fc.assert(
      fc.property(
        scenario,
        contactSeed(fc.constant('newcomer')),
        points(0.01, 250),
        (s, seed, total) => {
          const inputs = inputsOf(s);
          const before = run(s, inputs);
          const after = run(s, {
            ...inputs,
            contacts: [...inputs.contacts, toContact({ ...seed, total }, s.nowMs)],
          });
          expect(after.rollup).toBeGreaterThanOrEqual(before.rollup);
        },
      ),
      RUNS,
    );
  });

  it('scores the same from activity times counted in advance as from the times', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const inputs = inputsOf(s);
        const counts = countContactActivity(inputs.times, inputs.now);
        const fromCounts = scoreAccount(
          s.model,
          s.account,
          inputs.contacts,
          inputs.groups,
          inputs.activities,
          counts,
          inputs.now,
        );
        expect(fromCounts).toEqual(run(s, inputs));
        // The windows a store counts with put each time in the same bucket.
        const { recentAfter, priorAfter } = contactActivityWindows(inputs.now);
        const at = (t: Date) => t.getTime();
        const inWindow = (t: Date, after: Date, upTo: Date) =>
          at(t) > at(after) && at(t) <= at(upTo);
        expect(counts.last7Days).toBe(
          inputs.times.filter((t) => inWindow(t, recentAfter, inputs.now)).length,
        );
        expect(counts.prior4Weeks).toBe(
          inputs.times.filter((t) => inWindow(t, priorAfter, recentAfter)).length,
        );
      }),
      RUNS,
    );
  });

  it('is deterministic and leaves its inputs untouched', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const inputs = inputsOf(s);
        const snapshot = structuredClone(inputs);
        const modelSnapshot = structuredClone(s.model);
        const first = run(s, inputs);
        expect(run(s, inputs)).toEqual(first);
        expect(inputs).toEqual(snapshot);
        expect(s.model).toEqual(modelSnapshot);
      }),
      { numRuns: 100 },
    );
  });
});
