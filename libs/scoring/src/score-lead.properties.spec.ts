import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultAccountSection } from './default-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import type { LeadScore } from './lead-score';
import type {
  ActivityType,
  AttributeRule,
  EngagementRule,
  NegativeRule,
  PropertyCondition,
  ScoringModelDefinition,
} from './model-definition';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

const DAY = 86_400_000;
const RUNS = { numRuns: 300 };

const TITLES = ['Director of IT', 'VP Sales', 'Student', 'CTO', 'Marketing Intern', 'Engineer'];
const WORDS = ['director', 'vp', 'student', 'cto', 'intern', 'engineer'];
const TECH = ['Snowflake', 'dbt', 'HubSpot', 'Salesforce'];
const DOMAINS = ['acme.com', 'gmail.com', 'globex.io'];
const URLS = [
  'https://x.io/pricing',
  'https://x.io/blog',
  'https://x.io/Pricing/enterprise',
  '/docs',
];
/** Engagement activity types; UNSUBSCRIBE is reserved for negative activity rules. */
const ENGAGEMENT_TYPES: ActivityType[] = ['EMAIL_OPEN', 'EMAIL_CLICK', 'PAGE_VIEW', 'DEMO_REQUEST'];
const ALL_TYPES: ActivityType[] = [...ENGAGEMENT_TYPES, 'UNSUBSCRIBE', 'MEETING'];

const hundredths = (min: number, max: number) => fc.integer({ min, max }).map((n) => n / 100);
/** Mostly two-decimal points, sometimes arbitrary doubles to exercise rounding. */
const points = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: hundredths(min * 100, max * 100) },
    { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
  );

type Condition = Pick<AttributeRule, 'field' | 'op' | 'value'>;

const titleCondition: fc.Arbitrary<Condition> = fc
  .oneof(
    fc.record({
      op: fc.constantFrom('EQ' as const, 'NEQ' as const, 'CONTAINS' as const),
      value: fc.constantFrom(...WORDS),
    }),
    fc.record({
      op: fc.constantFrom('IN' as const, 'NOT_IN' as const),
      value: fc.subarray(TITLES, { minLength: 1 }),
    }),
    fc.record({
      op: fc.constant('MATCHES' as const),
      value: fc.constantFrom('^vp', 'director|cto', '\\bstudent\\b|\\bintern\\b'),
    }),
    fc.record({ op: fc.constant('EXISTS' as const), value: fc.boolean() }),
  )
  .map((c) => ({ field: 'contact.title', ...c }));

const sizeCondition: fc.Arbitrary<Condition> = fc
  .oneof(
    fc.record({
      op: fc.constantFrom('GTE' as const, 'LTE' as const),
      value: fc.integer({ min: 0, max: 5000 }),
    }),
    fc
      .tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }))
      .map(([a, b]) => ({ op: 'BETWEEN' as const, value: [Math.min(a, b), Math.max(a, b)] })),
    fc.record({ op: fc.constant('EXISTS' as const), value: fc.boolean() }),
  )
  .map((c) => ({ field: 'account.employeeCount', ...c }));

const otherCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc
    .record({
      field: fc.constant('account.technologies'),
      op: fc.constantFrom('CONTAINS' as const, 'IN' as const),
      value: fc.constantFrom(...TECH),
    })
    .map((c) => (c.op === 'IN' ? { ...c, value: [c.value] } : c)),
  fc.record({
    field: fc.constant('contact.emailDomain'),
    op: fc.constantFrom('IN' as const, 'NOT_IN' as const),
    value: fc.subarray(DOMAINS, { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('contact.attributes.nps'),
    op: fc.constantFrom('GTE' as const, 'LTE' as const),
    value: fc.integer({ min: 0, max: 10 }),
  }),
);

const condition = fc.oneof(titleCondition, sizeCondition, otherCondition);

const WHERE_CLAUSES: PropertyCondition[][] = [
  [],
  [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
  [{ property: 'url', op: 'MATCHES', value: 'blog|docs' }],
  [{ property: 'url', op: 'EXISTS', value: false }],
];
const whereClause = fc.constantFrom(...WHERE_CLAUSES).map((clause) => structuredClone(clause));

function engagementRule(pointsArb: fc.Arbitrary<number>): fc.Arbitrary<Omit<EngagementRule, 'id'>> {
  return fc.record({
    label: fc.constant('engagement'),
    activityType: fc.constantFrom(...ENGAGEMENT_TYPES),
    where: whereClause,
    points: pointsArb,
    maxCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    halfLifeDays: fc.option(fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }), {
      nil: undefined,
    }),
    overridesToTopTier: fc.boolean(),
    overrideDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
  });
}

const negativeRule: fc.Arbitrary<Omit<NegativeRule, 'id'>> = fc.oneof(
  fc
    .tuple(condition, points(0, 40))
    .map(([c, p]) => ({ kind: 'ATTRIBUTE' as const, label: 'neg', ...c, points: p })),
  fc.record({
    kind: fc.constant('ACTIVITY' as const),
    label: fc.constant('unsubscribed'),
    activityType: fc.constant('UNSUBSCRIBE' as const),
    points: points(0, 60),
    maxCount: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    halfLifeDays: fc.option(fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }), {
      nil: undefined,
    }),
  }),
  fc.record({
    kind: fc.constant('INACTIVITY' as const),
    label: fc.constant('inactive'),
    inactiveDays: fc.integer({ min: 1, max: 120 }),
    points: points(0, 30),
  }),
);

function bands<K extends string, M extends string>(labelKey: K, minKey: M, upTo: number) {
  return fc
    .tuple(
      fc.integer({ min: -50, max: 0 }),
      fc.uniqueArray(fc.integer({ min: 1, max: upTo }), { maxLength: 4 }),
    )
    .map(([lowest, others]) =>
      [lowest, ...others].map(
        (min, i) =>
          ({ [labelKey]: `${labelKey}${i}`, [minKey]: min }) as Record<K, string> &
            Record<M, number>,
      ),
    );
}

function modelArbitrary(
  engagementPoints: fc.Arbitrary<number>,
): fc.Arbitrary<ScoringModelDefinition> {
  return fc
    .record({
      fitMax: fc.oneof(
        fc.integer({ min: 1, max: 150 }),
        fc.double({ min: 0.01, max: 150, noNaN: true }),
      ),
      fitRules: fc.array(fc.tuple(condition, points(-30, 50)), { maxLength: 8 }),
      engagementMax: fc.oneof(fc.integer({ min: 1, max: 150 }), hundredths(1, 15000)),
      halfLifeDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
      lookbackDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: null }),
      engagementRules: fc.array(engagementRule(engagementPoints), { minLength: 1, maxLength: 8 }),
      negativeRules: fc.array(negativeRule, { maxLength: 5 }),
      tiers: bands('name', 'min', 250),
      grades: bands('grade', 'minFit', 150),
      fitThreshold: fc.integer({ min: 0, max: 100 }),
      engagementThreshold: fc.integer({ min: 0, max: 100 }),
    })
    .map((g) => ({
      fit: {
        max: g.fitMax,
        rules: g.fitRules.map(([c, p], i) => ({
          id: `fit${i}`,
          label: `Fit ${i}`,
          ...c,
          points: p,
        })),
      },
      engagement: {
        max: g.engagementMax,
        halfLifeDays: g.halfLifeDays,
        lookbackDays: g.lookbackDays,
        rules: g.engagementRules.map((r, i) => ({ ...r, id: `eng${i}` })),
      },
      negative: { rules: g.negativeRules.map((r, i) => ({ ...r, id: `neg${i}` }) as NegativeRule) },
      tiers: g.tiers,
      grades: g.grades,
      quadrant: { fitThreshold: g.fitThreshold, engagementThreshold: g.engagementThreshold },
      lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
      account: defaultAccountSection(),
    }));
}

const contactArbitrary: fc.Arbitrary<ContactFacts> = fc.record({
  email: fc.constantFrom(...DOMAINS).map((d) => `someone@${d}`),
  title: fc.option(fc.constantFrom(...TITLES, '  vp sales  ', ''), { nil: null }),
  attributes: fc.option(
    fc.record({ nps: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant('8')) }),
    { nil: null },
  ),
});

const accountArbitrary: fc.Arbitrary<AccountFacts | null> = fc.option(
  fc.record({
    employeeCount: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
    technologies: fc.option(fc.subarray(TECH), { nil: null }),
  }),
  { nil: null },
);

const nowArbitrary = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });

interface ActivitySeed {
  type: ActivityType;
  /** Milliseconds before now; negative means in the future. */
  beforeNowMs: number;
  url: string | undefined;
}

const activitySeed = (types: ActivityType[]): fc.Arbitrary<ActivitySeed> =>
  fc.record({
    type: fc.constantFrom(...types),
    beforeNowMs: fc.oneof(
      fc.integer({ min: -10 * DAY, max: 400 * DAY }),
      // Whole days hit the boundaries (lookback, inactivity, override) exactly.
      fc.integer({ min: -3, max: 200 }).map((d) => d * DAY),
    ),
    url: fc.option(fc.constantFrom(...URLS), { nil: undefined }),
  });

function toActivities(seeds: ActivitySeed[], nowMs: number, idPrefix = 'a'): ActivityFacts[] {
  return seeds.map((s, i) => ({
    id: `${idPrefix}${i}`,
    type: s.type,
    occurredAt: new Date(nowMs - s.beforeNowMs),
    properties: s.url === undefined ? null : { url: s.url },
  }));
}

const scenario = (engagementPoints: fc.Arbitrary<number> = points(-20, 60)) =>
  fc.record({
    model: modelArbitrary(engagementPoints),
    contact: contactArbitrary,
    account: accountArbitrary,
    seeds: fc.array(activitySeed(ALL_TYPES), { maxLength: 25 }),
    nowMs: nowArbitrary,
  });

const toHundredths = (points: number) => Math.round(points * 100);
const sumHundredths = (score: LeadScore, category?: string) =>
  score.reasons
    .filter((r) => category === undefined || r.category === category)
    .reduce((sum, r) => sum + toHundredths(r.points), 0);

/** The cap in hundredths: the largest h with h / 100 <= max. */
function largestHundredthsAtMost(max: number): number {
  let h = Math.ceil(max * 100) + 1;
  while (h / 100 > max) h--;
  return h;
}

describe('scoreLead properties', () => {
  it('arbitrary models are valid', () => {
    fc.assert(
      fc.property(modelArbitrary(points(-20, 60)), (model) => {
        const result = validateModelDefinition(model);
        expect(result.ok ? [] : result.issues).toEqual([]);
      }),
      RUNS,
    );
  });

  it('reasons add up exactly to the total, and each category to its part', () => {
    fc.assert(
      fc.property(scenario(), ({ model, contact, account, seeds, nowMs }) => {
        const score = scoreLead(
          model,
          contact,
          account,
          toActivities(seeds, nowMs),
          new Date(nowMs),
        );
        expect(sumHundredths(score)).toBe(toHundredths(score.total));
        expect(sumHundredths(score, 'FIT')).toBe(toHundredths(score.fit));
        expect(sumHundredths(score, 'ENGAGEMENT')).toBe(toHundredths(score.engagement));
        expect(sumHundredths(score, 'NEGATIVE') + toHundredths(score.negative)).toBe(0);
        expect(toHundredths(score.total)).toBe(
          toHundredths(score.fit) + toHundredths(score.engagement) - toHundredths(score.negative),
        );
        for (const value of [
          score.fit,
          score.engagement,
          score.negative,
          score.total,
          ...score.reasons.map((r) => r.points),
        ]) {
          expect(Math.round(value * 100) / 100).toBe(value);
        }
      }),
      RUNS,
    );
  });

  it('keeps fit and engagement within [0, max], with a CAP reason exactly when clamped', () => {
    fc.assert(
      fc.property(scenario(), ({ model, contact, account, seeds, nowMs }) => {
        const score = scoreLead(
          model,
          contact,
          account,
          toActivities(seeds, nowMs),
          new Date(nowMs),
        );
        const parts = [
          ['FIT', score.fit, model.fit.max],
          ['ENGAGEMENT', score.engagement, model.engagement.max],
        ] as const;
        for (const [category, value, max] of parts) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(max);
          const raw = score.reasons
            .filter((r) => r.category === category && r.kind === 'RULE')
            .reduce((sum, r) => sum + toHundredths(r.points), 0);
          const clamped = Math.min(Math.max(raw, 0), largestHundredthsAtMost(max));
          expect(toHundredths(value)).toBe(clamped);
          const caps = score.reasons.filter((r) => r.category === category && r.kind === 'CAP');
          expect(caps.length).toBe(raw === clamped ? 0 : 1);
        }
        expect(score.negative).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('lists non-zero reasons with unique ids, sorted by |points| then rule id', () => {
    fc.assert(
      fc.property(scenario(), ({ model, contact, account, seeds, nowMs }) => {
        const { reasons } = scoreLead(
          model,
          contact,
          account,
          toActivities(seeds, nowMs),
          new Date(nowMs),
        );
        expect(new Set(reasons.map((r) => r.ruleId)).size).toBe(reasons.length);
        for (const reason of reasons) expect(reason.points).not.toBe(0);
        for (let i = 1; i < reasons.length; i++) {
          const [a, b] = [reasons[i - 1]!, reasons[i]!];
          const order = Math.abs(a.points) - Math.abs(b.points);
          expect(order > 0 || (order === 0 && a.ruleId < b.ruleId)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('is deterministic, also for a structurally equal copy of the model', () => {
    fc.assert(
      fc.property(scenario(), ({ model, contact, account, seeds, nowMs }) => {
        const activities = toActivities(seeds, nowMs);
        const first = scoreLead(model, contact, account, activities, new Date(nowMs));
        expect(scoreLead(model, contact, account, activities, new Date(nowMs))).toEqual(first);
        expect(
          scoreLead(
            structuredClone(model),
            contact,
            account,
            structuredClone(activities),
            new Date(nowMs),
          ),
        ).toEqual(first);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of activities or of rules and bands', () => {
    fc.assert(
      fc.property(
        scenario(),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        ({ model, contact, account, seeds, nowMs }, keys) => {
          const now = new Date(nowMs);
          const activities = toActivities(seeds, nowMs);
          const baseline = scoreLead(model, contact, account, activities, now);
          const shuffle = <T>(items: readonly T[]): T[] =>
            items
              .map((item, i) => ({ item, key: keys[i % keys.length]! * 64 + i }))
              .sort((a, b) => a.key - b.key)
              .map(({ item }) => item);
          expect(scoreLead(model, contact, account, shuffle(activities), now)).toEqual(baseline);
          const reordered: ScoringModelDefinition = {
            ...model,
            fit: { ...model.fit, rules: shuffle(model.fit.rules) },
            engagement: { ...model.engagement, rules: shuffle(model.engagement.rules) },
            negative: { rules: shuffle(model.negative.rules) },
            tiers: shuffle(model.tiers),
            grades: shuffle(model.grades),
          };
          expect(scoreLead(reordered, contact, account, activities, now)).toEqual(baseline);
        },
      ),
      RUNS,
    );
  });

  /*
   * Why this holds: with engagement points >= 0 and the new activity of a type no negative rule
   * looks at, fit is unchanged and no negative reason grows (the new activity can only end an
   * inactivity penalty). For each engagement rule the new activity matches, the counted set is the
   * newest `maxCount` matches: either it does not get in (nothing changes), or it joins, possibly
   * pushing out the oldest counted activity, which is at least as old and so at least as decayed.
   * Each activity's decayed points are quantised monotonically and summed as integers, rounding is
   * monotone, and so is the clamp to [0, max]; so no part moves against the total.
   */
  it('never lowers the total when one more positive-points engagement activity arrives', () => {
    fc.assert(
      fc.property(
        scenario(points(0, 60)),
        activitySeed(ENGAGEMENT_TYPES),
        ({ model, contact, account, seeds, nowMs }, extra) => {
          const now = new Date(nowMs);
          const activities = toActivities(seeds, nowMs);
          const before = scoreLead(model, contact, account, activities, now);
          const [added] = toActivities([extra], nowMs, 'new');
          const after = scoreLead(model, contact, account, [...activities, added!], now);
          expect(after.total).toBeGreaterThanOrEqual(before.total);
          expect(after.engagement).toBeGreaterThanOrEqual(before.engagement);
          expect(after.negative).toBeLessThanOrEqual(before.negative);
          expect(after.fit).toBe(before.fit);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('an override only changes the tier, to the top band', () => {
    fc.assert(
      fc.property(scenario(), ({ model, contact, account, seeds, nowMs }) => {
        const score = scoreLead(
          model,
          contact,
          account,
          toActivities(seeds, nowMs),
          new Date(nowMs),
        );
        const bandsDescending = [...model.tiers].sort((a, b) => b.min - a.min);
        const byTotal =
          bandsDescending.find((t) => t.min <= score.total) ?? bandsDescending.at(-1)!;
        expect(score.tier).toBe(score.override ? bandsDescending[0]!.name : byTotal.name);
        if (score.override) {
          expect(score.override.activityAt.getTime()).toBeLessThanOrEqual(nowMs);
          const rule = model.engagement.rules.find((r) => r.id === score.override!.ruleId);
          expect(rule?.overridesToTopTier).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
