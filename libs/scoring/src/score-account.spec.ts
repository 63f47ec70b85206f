import { describe, expect, it } from 'vitest';
import type { AccountScore } from './account-score';
import { defaultModelDefinition } from './default-model';
import type {
  AccountBuyingGroupInput,
  AccountContactInput,
  AccountFacts,
  ActivityFacts,
} from './facts';
import type { AccountModelSection, ScoringModelDefinition } from './model-definition';
import { scoreAccount } from './score-account';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);
const ACCOUNT: AccountFacts = { domain: 'globex.example' };

type SectionOverrides = Partial<Omit<AccountModelSection, 'committee'>> & {
  committee?: Partial<AccountModelSection['committee']>;
};

/**
 * The default lead model with a quiet account section (no fit rules, no committee points, no
 * intent rules, caps out of reach), so each test switches on only what it checks.
 */
function modelWith(overrides: SectionOverrides = {}): ScoringModelDefinition {
  const base = defaultModelDefinition();
  const quiet: AccountModelSection = {
    fit: { max: 1000, rules: [] },
    rollup: { topN: 5, factor: 0.5, max: 10_000 },
    committee: {
      engagementThreshold: 15,
      windowDays: 30,
      engagedContactPoints: 0,
      engagedContactsCap: 5,
      coveragePoints: 0,
      decisionMakerPoints: 0,
      surgePoints: 0,
      surgeRatio: 2,
      surgeMinActivities: 5,
      recency: [],
      max: 1000,
    },
    intent: { max: 1000, halfLifeDays: null, lookbackDays: null, rules: [] },
    tiers: base.account.tiers,
    quadrant: base.account.quadrant,
  };
  return {
    ...base,
    account: {
      ...quiet,
      ...overrides,
      committee: { ...quiet.committee, ...overrides.committee },
    },
  };
}

function contact(
  contactId: string,
  total: number,
  engagement = 0,
  lastActivityAt: Date | null = null,
): AccountContactInput {
  return { contactId, total, engagement, lastActivityAt };
}

function group(
  id: string,
  requiredRoles: string[],
  members: Array<[contactId: string, role: string]>,
  name = id,
): AccountBuyingGroupInput {
  return {
    id,
    name,
    requiredRoles,
    members: members.map(([contactId, role]) => ({ contactId, role })),
  };
}

function intentSurge(id: string, at: Date, topic = 'data warehouse'): ActivityFacts {
  return { id, type: 'INTENT_SURGE', occurredAt: at, properties: { topic } };
}

function score(
  model: ScoringModelDefinition,
  {
    contacts = [],
    groups = [],
    activities = [],
    times = [],
    account = ACCOUNT,
  }: {
    contacts?: AccountContactInput[];
    groups?: AccountBuyingGroupInput[];
    activities?: ActivityFacts[];
    times?: Date[];
    account?: AccountFacts;
  } = {},
): AccountScore {
  return scoreAccount(model, account, contacts, groups, activities, times, NOW);
}

const pointsOf = (result: AccountScore, ruleId: string) =>
  result.reasons.find((r) => r.ruleId === ruleId)?.points;

describe('scoreAccount: a worked example, computed by hand', () => {
  const model = modelWith({
    fit: {
      max: 40,
      rules: [
        {
          id: 'af.industry',
          label: 'Software',
          field: 'account.industry',
          op: 'IN',
          value: ['Software'],
          points: 15,
        },
        {
          id: 'af.size',
          label: 'Mid-market',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [200, 4999],
          points: 15,
        },
        {
          id: 'af.country',
          label: 'US',
          field: 'account.country',
          op: 'IN',
          value: ['US'],
          points: 5,
        },
        {
          id: 'af.tech',
          label: 'Snowflake',
          field: 'account.technologies',
          op: 'CONTAINS',
          value: 'snowflake',
          points: 10,
        },
        {
          id: 'af.region',
          label: 'EMEA',
          field: 'account.region',
          op: 'EQ',
          value: 'EMEA',
          points: 7,
        },
      ],
    },
    rollup: { topN: 3, factor: 0.5, max: 100 },
    committee: {
      engagementThreshold: 15,
      windowDays: 30,
      engagedContactPoints: 5,
      engagedContactsCap: 5,
      coveragePoints: 20,
      decisionMakerPoints: 10,
      surgePoints: 10,
      surgeRatio: 2,
      surgeMinActivities: 5,
      recency: [
        { withinDays: 7, points: 10 },
        { withinDays: 30, points: 5 },
      ],
      max: 60,
    },
    intent: {
      max: 30,
      halfLifeDays: 14,
      lookbackDays: 90,
      rules: [{ id: 'ai.surge', label: 'Intent surge', activityType: 'INTENT_SURGE', points: 15 }],
    },
  });
  const account: AccountFacts = {
    industry: 'Software',
    employeeCount: 800,
    country: 'US',
    region: 'NA',
    technologies: ['Snowflake', 'dbt'],
  };
  const contacts = [
    contact('c1', 80, 40, ago(2)), // engaged
    contact('c2', 40, 20, ago(10)), // engaged
    contact('c3', 20, 30, ago(45)), // engaged enough, but outside the 30-day window
    contact('c4', 10, 10, ago(1)), // recent, but below the threshold of 15
  ];
  const groups = [
    group(
      'g-platform',
      ['DECISION_MAKER', 'CHAMPION', 'TECHNICAL_EVALUATOR'],
      [
        ['c3', 'TECHNICAL_EVALUATOR'],
        ['c1', 'DECISION_MAKER'],
        ['c4', 'CHAMPION'],
      ],
      'Platform',
    ),
    group('g-analytics', ['ECONOMIC_BUYER', 'CHAMPION'], [['c2', 'CHAMPION']], 'Analytics'),
  ];
  // Account intent: one surge today (15) and one exactly one half-life (14 days) old (7.5).
  const activities = [intentSurge('i1', NOW), intentSurge('i2', ago(14))];
  // Contact activity: 5 in the last 7 days, 7 in the 4 weeks before.
  const times = [
    ...[0.5, 1, 2, 3, 6.9].map((d) => ago(d)),
    ...[8, 9, 12, 15, 20, 30, 34].map((d) => ago(d)),
  ];
  const result = score(model, { account, contacts, groups, activities, times });

  it('fit: 15 + 15 + 5 + 10 = 45 (region does not match), capped at 40 (−5)', () => {
    expect(result.fit).toBe(40);
    expect(pointsOf(result, 'af.region')).toBeUndefined();
    expect(result.reasons.find((r) => r.ruleId === 'account.fit.cap')).toMatchObject({
      category: 'FIT',
      kind: 'CAP',
      points: -5,
      label: 'Account fit capped at 40',
    });
  });

  it('roll-up: 80×1 + 40×½ + 20×¼ = 105 over the top 3, capped at 100 (−5)', () => {
    expect(result.rollup).toBe(100);
    const rollup = result.reasons.filter((r) => r.category === 'ROLLUP');
    expect(rollup).toEqual([
      {
        ruleId: 'rollup.c1',
        label: 'Contact #1 (weight 1)',
        category: 'ROLLUP',
        points: 80,
        activityCount: 0,
        kind: 'RULE',
      },
      {
        ruleId: 'rollup.c2',
        label: 'Contact #2 (weight 0.5)',
        category: 'ROLLUP',
        points: 20,
        activityCount: 0,
        kind: 'RULE',
      },
      {
        ruleId: 'account.rollup.cap',
        label: 'Contact roll-up capped at 100',
        category: 'ROLLUP',
        points: -5,
        activityCount: 0,
        kind: 'CAP',
      },
      {
        ruleId: 'rollup.c3',
        label: 'Contact #3 (weight 0.25)',
        category: 'ROLLUP',
        points: 5,
        activityCount: 0,
        kind: 'RULE',
      },
    ]);
    expect(pointsOf(result, 'rollup.c4')).toBeUndefined();
  });

  it('committee: 2 engaged (10) + 2/5 coverage (8) + decision maker (10) + surge (10) + recency (10) = 48', () => {
    expect(result.signals.engagedContacts).toBe(2);
    // Platform: DECISION_MAKER covered by engaged c1 (c3, c4 are not engaged); Analytics: CHAMPION.
    expect(result.signals.coverage).toBe(0.4);
    expect(result.signals.decisionMakerEngaged).toBe(true);
    // Last 7 days: 5 contact activities + the surge today; before: 7 + the surge 14 days ago.
    expect(result.signals.velocity).toEqual({
      last7Days: 6,
      weeklyAverage: 2,
      ratio: 3,
      surging: true,
    });
    expect(result.signals.lastActivityAt).toEqual(NOW);
    expect(result.signals.daysSinceLastActivity).toBe(0);
    expect(pointsOf(result, 'committee.engaged-contacts')).toBe(10);
    expect(pointsOf(result, 'committee.coverage')).toBe(8);
    expect(pointsOf(result, 'committee.decision-maker')).toBe(10);
    expect(pointsOf(result, 'committee.surge')).toBe(10);
    expect(pointsOf(result, 'committee.recency')).toBe(10);
    expect(result.committee).toBe(48);
  });

  it('intent: 15 + 15 × ½ = 22.5', () => {
    expect(result.intent).toBe(22.5);
    expect(result.reasons.find((r) => r.ruleId === 'ai.surge')).toMatchObject({
      category: 'INTENT',
      points: 22.5,
      activityCount: 2,
    });
  });

  it('engagement 100 + 48 + 22.5 = 170.5; total 40 + 170.5 = 210.5; HOT; route now', () => {
    expect(result.engagement).toBe(170.5);
    expect(result.total).toBe(210.5);
    expect(result.tier).toBe('HOT');
    expect(result.quadrant).toBe('HIGH_FIT_HIGH_ENGAGEMENT');
    expect(result.action).toBe('ROUTE_NOW');
  });

  it('lists every reason, largest first, ties by rule id, summing to the total', () => {
    expect(result.reasons.map((r) => [r.ruleId, r.points])).toEqual([
      ['rollup.c1', 80],
      ['ai.surge', 22.5],
      ['rollup.c2', 20],
      ['af.industry', 15],
      ['af.size', 15],
      ['af.tech', 10],
      ['committee.decision-maker', 10],
      ['committee.engaged-contacts', 10],
      ['committee.recency', 10],
      ['committee.surge', 10],
      ['committee.coverage', 8],
      ['account.fit.cap', -5],
      ['account.rollup.cap', -5],
      ['af.country', 5],
      ['rollup.c3', 5],
    ]);
    const sum = result.reasons.reduce((s, r) => s + Math.round(r.points * 100), 0);
    expect(sum).toBe(21050);
  });

  it('scores each buying group', () => {
    expect(result.buyingGroups).toEqual([
      {
        id: 'g-analytics',
        name: 'Analytics',
        engagement: 20, // c2: 20 / 100
        completeness: 0.5,
        engagedCompleteness: 0.5,
        missingRoles: ['ECONOMIC_BUYER'],
        engagedRoles: ['CHAMPION'],
        members: [{ contactId: 'c2', role: 'CHAMPION', engaged: true }],
      },
      {
        id: 'g-platform',
        name: 'Platform',
        engagement: 26.67, // (40 + 30 + 10) / 3 / 100 × 100
        completeness: 1,
        engagedCompleteness: 1 / 3,
        missingRoles: [],
        engagedRoles: ['DECISION_MAKER'],
        members: [
          { contactId: 'c1', role: 'DECISION_MAKER', engaged: true },
          { contactId: 'c4', role: 'CHAMPION', engaged: false },
          { contactId: 'c3', role: 'TECHNICAL_EVALUATOR', engaged: false },
        ],
      },
    ]);
  });
});

describe('scoreAccount: roll-up', () => {
  it('one loud contact cannot carry an account alone (defaults)', () => {
    const model = defaultModelDefinition();
    // Every contact active yesterday with lead engagement 40: engaged under the defaults.
    const loud = score(model, {
      contacts: [contact('loud', 200, 40, ago(1))],
      groups: [group('g', ['DECISION_MAKER', 'CHAMPION'], [['loud', 'DECISION_MAKER']])],
    });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const broad = score(model, {
      contacts: ids.map((id) => contact(id, 60, 40, ago(1))),
      groups: [
        group(
          'g',
          ['DECISION_MAKER', 'CHAMPION'],
          [
            ['a', 'DECISION_MAKER'],
            ['b', 'CHAMPION'],
          ],
        ),
      ],
    });
    // Loud: 200 raw, capped at 100. Broad: 60 × (1 + ½ + ¼ + ⅛ + 1/16) = 116.25, capped at 100.
    expect(loud.rollup).toBe(100);
    expect(pointsOf(loud, 'account.rollup.cap')).toBe(-100);
    expect(broad.rollup).toBe(100);
    expect(pointsOf(broad, 'account.rollup.cap')).toBe(-16.25);
    // Committee: loud 1 × 5 + ½ × 20 + 10 + 10 (recency) = 35; broad 5 × 5 + 20 + 10 + 10 = 65 → 60.
    expect(loud.committee).toBe(35);
    expect(broad.committee).toBe(60);
    expect(loud.total).toBeLessThan(broad.total);
    expect(loud.engagement).toBe(135);
    expect(broad.engagement).toBe(160);
  });

  it('below the cap, the fifth equal contact still adds less than the first', () => {
    const model = modelWith({ rollup: { topN: 5, factor: 0.5, max: 1000 } });
    const one = score(model, { contacts: [contact('a', 60)] });
    const five = score(model, {
      contacts: ['a', 'b', 'c', 'd', 'e'].map((id) => contact(id, 60)),
    });
    expect(one.rollup).toBe(60);
    expect(five.rollup).toBe(116.25);
    expect(pointsOf(five, 'rollup.e')).toBe(3.75);
  });

  it('ranks by total, then contact id; ignores totals <= 0 and ranks beyond top N', () => {
    const model = modelWith({ rollup: { topN: 3, factor: 0.5, max: 1000 } });
    const result = score(model, {
      contacts: [
        contact('z', 30),
        contact('neg', -40),
        contact('zero', 0),
        contact('b', 30),
        contact('a', 50),
        contact('c', 10),
      ],
    });
    expect(result.reasons.map((r) => [r.ruleId, r.label, r.points])).toEqual([
      ['rollup.a', 'Contact #1 (weight 1)', 50],
      ['rollup.b', 'Contact #2 (weight 0.5)', 15],
      ['rollup.z', 'Contact #3 (weight 0.25)', 7.5],
    ]);
    expect(result.rollup).toBe(72.5);
  });

  it('applies a configurable factor and rounds each contribution to hundredths', () => {
    const model = modelWith({ rollup: { topN: 3, factor: 0.3, max: 1000 } });
    const result = score(model, {
      contacts: [contact('a', 10), contact('b', 10.01), contact('c', 10)],
    });
    // 10.01 × 1, 10 × 0.3 = 3, 10 × 0.09 = 0.9.
    expect(result.reasons.map((r) => [r.ruleId, r.points, r.label])).toEqual([
      ['rollup.b', 10.01, 'Contact #1 (weight 1)'],
      ['rollup.a', 3, 'Contact #2 (weight 0.3)'],
      ['rollup.c', 0.9, 'Contact #3 (weight 0.09)'],
    ]);
    expect(result.rollup).toBe(13.91);
  });

  it('scores an account without contacts or activity as zero', () => {
    const result = score(defaultModelDefinition());
    expect(result).toMatchObject({
      fit: 0,
      rollup: 0,
      committee: 0,
      intent: 0,
      engagement: 0,
      total: 0,
      tier: 'COLD',
      quadrant: 'LOW_FIT_LOW_ENGAGEMENT',
      action: 'DEPRIORITIZE',
      reasons: [],
      buyingGroups: [],
    });
    expect(result.signals).toEqual({
      engagedContacts: 0,
      coverage: 0,
      decisionMakerEngaged: false,
      velocity: { last7Days: 0, weeklyAverage: 0, ratio: null, surging: false },
      daysSinceLastActivity: null,
      lastActivityAt: null,
    });
  });

  it('refuses duplicate contact ids, non-finite totals and an invalid now', () => {
    const model = modelWith();
    expect(() => score(model, { contacts: [contact('a', 1), contact('a', 2)] })).toThrow(
      /duplicate contact 'a'/,
    );
    expect(() => score(model, { contacts: [contact('a', Number.NaN)] })).toThrow(RangeError);
    expect(() => scoreAccount(model, ACCOUNT, [], [], [], [], new Date(Number.NaN))).toThrow(
      RangeError,
    );
  });
});

describe('scoreAccount: committee engagement', () => {
  const engagedOnly = modelWith({
    committee: { engagementThreshold: 15, windowDays: 30, engagedContactPoints: 5 },
  });

  it('engaged means engagement >= threshold and last activity within the window', () => {
    const cases: Array<[AccountContactInput, boolean]> = [
      [contact('at-threshold', 1, 15, ago(1)), true],
      [contact('below-threshold', 1, 14.99, ago(1)), false],
      [contact('window-edge', 1, 50, ago(30)), true],
      [contact('past-window', 1, 50, ago(30, 1)), false],
      [contact('never-active', 1, 50, null), false],
      [contact('future', 1, 50, new Date(NOW.getTime() + 1)), false],
      [contact('now', 1, 50, NOW), true],
    ];
    for (const [input, engaged] of cases) {
      const result = score(engagedOnly, { contacts: [input] });
      expect({ id: input.contactId, engaged: result.signals.engagedContacts }).toEqual({
        id: input.contactId,
        engaged: engaged ? 1 : 0,
      });
      expect(pointsOf(result, 'committee.engaged-contacts')).toBe(engaged ? 5 : undefined);
    }
  });

  it('counts engaged contacts up to the cap', () => {
    const model = modelWith({ committee: { engagedContactPoints: 4, engagedContactsCap: 3 } });
    const contacts = ['a', 'b', 'c', 'd', 'e'].map((id) => contact(id, 1, 20, ago(1)));
    const result = score(model, { contacts });
    expect(result.signals.engagedContacts).toBe(5);
    expect(result.reasons).toEqual([
      {
        ruleId: 'committee.engaged-contacts',
        label: '5 engaged contacts (3 counted)',
        category: 'COMMITTEE',
        points: 12,
        activityCount: 0,
        kind: 'RULE',
      },
      // Roll-up of 5 × 1 point: 1 + 0.5 + 0.25 + 0.13 (0.125) + 0.06 (0.0625).
      expect.objectContaining({ ruleId: 'rollup.a', points: 1 }),
      expect.objectContaining({ ruleId: 'rollup.b', points: 0.5 }),
      expect.objectContaining({ ruleId: 'rollup.c', points: 0.25 }),
      expect.objectContaining({ ruleId: 'rollup.d', points: 0.13 }),
      expect.objectContaining({ ruleId: 'rollup.e', points: 0.06 }),
    ]);
  });

  it('coverage: required roles across groups covered by an engaged member', () => {
    const model = modelWith({ committee: { coveragePoints: 30 } });
    const contacts = [
      contact('dm', 0, 50, ago(1)),
      contact('champ', 0, 50, ago(1)),
      contact('quiet', 0, 0, ago(1)),
    ];
    const groups = [
      // 2 of 3 covered: DECISION_MAKER and CHAMPION engaged; USER filled by a quiet member.
      group(
        'g1',
        ['DECISION_MAKER', 'CHAMPION', 'USER'],
        [
          ['dm', 'DECISION_MAKER'],
          ['champ', 'CHAMPION'],
          ['quiet', 'USER'],
        ],
      ),
      // The same role required by another group counts again: 0 of 1 covered here.
      group('g2', ['CHAMPION'], [['quiet', 'CHAMPION']]),
      // A group without required roles adds nothing to either side.
      group('g3', [], [['dm', 'INFLUENCER']]),
    ];
    const result = score(model, { contacts, groups });
    expect(result.signals.coverage).toBe(0.5); // 2 / 4
    expect(pointsOf(result, 'committee.coverage')).toBe(15);
    const third = score(model, { contacts, groups: groups.slice(0, 1) });
    expect(third.signals.coverage).toBe(2 / 3);
    expect(pointsOf(third, 'committee.coverage')).toBe(20);
    const none = score(model, { contacts, groups: [groups[2]!] });
    expect(none.signals.coverage).toBe(0);
    expect(pointsOf(none, 'committee.coverage')).toBeUndefined();
  });

  it('decision maker: a DECISION_MAKER or ECONOMIC_BUYER member who is engaged', () => {
    const model = modelWith({ committee: { decisionMakerPoints: 10 } });
    const run = (role: string, engagement: number) =>
      score(model, {
        contacts: [contact('p', 0, engagement, ago(1))],
        groups: [group('g', [], [['p', role]])],
      });
    expect(run('DECISION_MAKER', 50).signals.decisionMakerEngaged).toBe(true);
    expect(pointsOf(run('ECONOMIC_BUYER', 50), 'committee.decision-maker')).toBe(10);
    expect(run('DECISION_MAKER', 5).signals.decisionMakerEngaged).toBe(false);
    expect(run('CHAMPION', 50).signals.decisionMakerEngaged).toBe(false);
    expect(run('CHAMPION', 50).committee).toBe(0);
    // An engaged contact outside every group is no decision maker here.
    const outside = score(model, { contacts: [contact('p', 0, 50, ago(1))] });
    expect(outside.signals.decisionMakerEngaged).toBe(false);
  });

  it('recency: the first band (smallest withinDays) that the whole days since fit', () => {
    // Given out of order on purpose: validation sorts the bands.
    const model = modelWith({
      committee: {
        recency: [
          { withinDays: 30, points: 5 },
          { withinDays: 7, points: 10 },
        ],
      },
    });
    const at = (daysAgo: number, extraMs = 0) => score(model, { times: [ago(daysAgo, extraMs)] });
    const cases: Array<[AccountScore, number, number | undefined]> = [
      [at(0), 0, 10],
      [at(7, DAY - 1), 7, 10], // 7 days 23:59:59.999 ago: 7 whole days
      [at(8), 8, 5],
      [at(30, DAY - 1), 30, 5],
      [at(31), 31, undefined],
    ];
    for (const [result, days, points] of cases) {
      expect(result.signals.daysSinceLastActivity).toBe(days);
      expect(pointsOf(result, 'committee.recency')).toBe(points);
    }
    expect(at(8).reasons[0]!.label).toBe('Last activity 8 days ago (within 30 days)');
    expect(score(model).committee).toBe(0);
  });

  it('last activity: newest of contacts, account activities and contact activity times, never the future', () => {
    const model = modelWith();
    const result = score(model, {
      contacts: [contact('a', 0, 0, ago(5)), contact('b', 0, 0, new Date(NOW.getTime() + DAY))],
      activities: [intentSurge('i', ago(3)), intentSurge('future', new Date(NOW.getTime() + 1))],
      times: [ago(4), new Date(NOW.getTime() + 5 * DAY), new Date(Number.NaN)],
    });
    expect(result.signals.lastActivityAt).toEqual(ago(3));
    expect(result.signals.daysSinceLastActivity).toBe(3);
    const fromContact = score(model, {
      contacts: [contact('a', 0, 0, ago(2, 1))],
      times: [ago(4)],
    });
    expect(fromContact.signals.lastActivityAt).toEqual(ago(2, 1));
    expect(fromContact.signals.daysSinceLastActivity).toBe(2);
  });

  describe('velocity and surge', () => {
    const surgeModel = modelWith({
      committee: { surgePoints: 10, surgeRatio: 2, surgeMinActivities: 3 },
    });
    /** `recent` times within the last 7 days and `prior` in the 4 weeks before. */
    const run = (recent: number, prior: number) =>
      score(surgeModel, {
        times: [
          ...Array.from({ length: recent }, (_, i) => ago(i % 7, 1)),
          ...Array.from({ length: prior }, (_, i) => ago(7 + (i % 28), 1)),
        ],
      });

    it('surges at last7 = ratio × weekly average, not below', () => {
      // Prior 8 → weekly average 2 → threshold 4.
      expect(run(4, 8).signals.velocity).toEqual({
        last7Days: 4,
        weeklyAverage: 2,
        ratio: 2,
        surging: true,
      });
      expect(pointsOf(run(4, 8), 'committee.surge')).toBe(10);
      expect(run(3, 8).signals.velocity).toEqual({
        last7Days: 3,
        weeklyAverage: 2,
        ratio: 1.5,
        surging: false,
      });
      expect(pointsOf(run(3, 8), 'committee.surge')).toBeUndefined();
      // A fractional weekly average: 5 / 4 = 1.25 → threshold 2.5; 3 >= 2.5.
      expect(run(3, 5).signals.velocity).toMatchObject({ weeklyAverage: 1.25, surging: true });
    });

    it('needs at least surgeMinActivities in the last 7 days, even above the ratio', () => {
      expect(run(2, 1).signals.velocity).toEqual({
        last7Days: 2,
        weeklyAverage: 0.25,
        ratio: 8,
        surging: false,
      });
    });

    it('with no prior activity: ratio null, surging once the minimum is reached', () => {
      expect(run(3, 0).signals.velocity).toEqual({
        last7Days: 3,
        weeklyAverage: 0,
        ratio: null,
        surging: true,
      });
      expect(run(3, 0).reasons).toEqual([
        {
          ruleId: 'committee.surge',
          label: 'Engagement surge: 3 activities in 7 days (weekly average 0 before)',
          category: 'COMMITTEE',
          points: 10,
          activityCount: 3,
          kind: 'RULE',
        },
      ]);
      expect(run(2, 0).signals.velocity.surging).toBe(false);
    });

    it('windows: (now − 7d, now] and (now − 35d, now − 7d]; future and older ignored', () => {
      const result = score(surgeModel, {
        times: [
          NOW, // last 7
          ago(7, -1), // last 7 (just inside)
          ago(7), // prior (exactly 7 days)
          ago(35, -1), // prior (just inside)
          ago(35), // neither: exactly 35 days is outside (now − 35d, now − 7d]
          new Date(NOW.getTime() + 1), // future: ignored
        ],
        activities: [intentSurge('i', ago(1))], // account activities count too
      });
      expect(result.signals.velocity).toEqual({
        last7Days: 3,
        weeklyAverage: 0.5,
        ratio: 6,
        surging: true,
      });
    });
  });

  it('caps committee points at max, with a CAP reason', () => {
    const model = modelWith({
      committee: { engagedContactPoints: 10, decisionMakerPoints: 25, max: 30 },
    });
    const result = score(model, {
      contacts: [contact('a', 0, 50, ago(1)), contact('b', 0, 50, ago(1))],
      groups: [group('g', [], [['a', 'ECONOMIC_BUYER']])],
    });
    expect(result.committee).toBe(30);
    expect(pointsOf(result, 'account.committee.cap')).toBe(-15);
    expect(result.reasons.find((r) => r.kind === 'CAP')!.label).toBe(
      'Committee engagement capped at 30',
    );
  });
});

describe('scoreAccount: account intent', () => {
  const model = modelWith({
    intent: {
      max: 30,
      halfLifeDays: 14,
      lookbackDays: 90,
      rules: [
        {
          id: 'intent.surge',
          label: 'Intent surge on our category',
          activityType: 'INTENT_SURGE',
          where: [{ property: 'topic', op: 'IN', value: ['data warehouse', 'ELT'] }],
          points: 15,
        },
      ],
    },
  });

  it('an INTENT_SURGE exactly one half-life old counts half', () => {
    const result = score(model, { activities: [intentSurge('i', ago(14))] });
    expect(result.intent).toBe(7.5);
    expect(result.reasons).toEqual([
      {
        ruleId: 'intent.surge',
        label: 'Intent surge on our category',
        category: 'INTENT',
        points: 7.5,
        activityCount: 1,
        kind: 'RULE',
      },
    ]);
    // Two half-lives: a quarter.
    expect(score(model, { activities: [intentSurge('i', ago(28))] }).intent).toBe(3.75);
  });

  it('matches property filters, respects the lookback, ignores the future, and caps', () => {
    expect(score(model, { activities: [intentSurge('i', NOW, 'CRM')] }).intent).toBe(0);
    expect(score(model, { activities: [intentSurge('i', ago(90))] }).intent).toBe(0.17);
    expect(score(model, { activities: [intentSurge('i', ago(90, 1))] }).intent).toBe(0);
    expect(
      score(model, { activities: [intentSurge('i', new Date(NOW.getTime() + DAY))] }).intent,
    ).toBe(0);
    const capped = score(model, {
      activities: [intentSurge('a', NOW), intentSurge('b', NOW, 'ELT'), intentSurge('c', ago(14))],
    });
    // 15 + 15 + 7.5 = 37.5, capped at 30.
    expect(capped.intent).toBe(30);
    expect(pointsOf(capped, 'intent.surge')).toBe(37.5);
    expect(pointsOf(capped, 'account.intent.cap')).toBe(-7.5);
  });

  it('a rule half-life overrides the section, and null means no decay', () => {
    const base = model.account.intent.rules[0]!;
    const withRule = (halfLifeDays: number | null) =>
      modelWith({
        intent: { ...model.account.intent, rules: [{ ...base, halfLifeDays }] },
      });
    expect(score(withRule(7), { activities: [intentSurge('i', ago(14))] }).intent).toBe(3.75);
    expect(score(withRule(null), { activities: [intentSurge('i', ago(60))] }).intent).toBe(15);
  });

  it('the default model counts INTENT_SURGE at 15 points, half-life 14 days, max 30', () => {
    const result = score(defaultModelDefinition(), {
      activities: [intentSurge('i', ago(14), 'anything')],
    });
    expect(result.intent).toBe(7.5);
    expect(pointsOf(result, 'acct.intent.surge')).toBe(7.5);
  });
});

describe('scoreAccount: account fit', () => {
  it('reads account fields and custom account attributes, floored at 0', () => {
    const model = modelWith({
      fit: {
        max: 50,
        rules: [
          {
            id: 'af.plan',
            label: 'Paid plan',
            field: 'account.attributes.plan',
            op: 'EQ',
            value: 'enterprise',
            points: 10,
          },
          {
            id: 'af.revenue',
            label: 'Tiny revenue',
            field: 'account.annualRevenue',
            op: 'LTE',
            value: 1e6,
            points: -25,
          },
        ],
      },
    });
    const good = score(model, { account: { attributes: { plan: 'Enterprise' } } });
    expect(good.fit).toBe(10);
    const poor = score(model, {
      account: { attributes: { plan: 'Enterprise' }, annualRevenue: 5e5 },
    });
    expect(poor.fit).toBe(0);
    expect(poor.reasons.map((r) => [r.ruleId, r.points, r.kind])).toEqual([
      ['af.revenue', -25, 'RULE'],
      ['account.fit.cap', 15, 'CAP'],
      ['af.plan', 10, 'RULE'],
    ]);
    expect(poor.reasons[1]!.label).toBe('Account fit floored at 0');
  });

  it('the default model: industry + size + country + technology = 40', () => {
    const result = score(defaultModelDefinition(), {
      account: {
        industry: 'SaaS',
        employeeCount: 1200,
        country: 'US',
        technologies: ['HubSpot'],
      },
    });
    expect(result.fit).toBe(40);
    expect(result.reasons.map((r) => r.ruleId).sort()).toEqual([
      'acct.fit.geo',
      'acct.fit.industry',
      'acct.fit.size.ideal',
      'acct.fit.technology',
    ]);
    // High fit, no engagement.
    expect(result.quadrant).toBe('HIGH_FIT_LOW_ENGAGEMENT');
    expect(result.action).toBe('NURTURE_AND_ALERT');
  });
});

describe('scoreAccount: buying groups', () => {
  const model = modelWith();

  it('completeness, engaged completeness and missing roles in required order', () => {
    const contacts = [
      contact('eb', 0, 80, ago(2)),
      contact('te', 0, 10, ago(2)), // below the threshold of 15
      contact('legal', 0, 40, ago(60)), // outside the window
    ];
    const result = score(model, {
      contacts,
      groups: [
        group(
          'g',
          ['USER', 'ECONOMIC_BUYER', 'TECHNICAL_EVALUATOR', 'CHAMPION', 'LEGAL_PROCUREMENT'],
          [
            ['legal', 'LEGAL_PROCUREMENT'],
            ['te', 'TECHNICAL_EVALUATOR'],
            ['eb', 'ECONOMIC_BUYER'],
          ],
        ),
      ],
    });
    const [g] = result.buyingGroups;
    expect(g).toEqual({
      id: 'g',
      name: 'g',
      engagement: 43.33, // (80 + 10 + 40) / 3
      completeness: 0.6, // 3 of 5 roles filled
      engagedCompleteness: 0.2, // 1 of 5 filled by an engaged member
      missingRoles: ['USER', 'CHAMPION'],
      engagedRoles: ['ECONOMIC_BUYER'],
      members: [
        { contactId: 'eb', role: 'ECONOMIC_BUYER', engaged: true },
        { contactId: 'te', role: 'TECHNICAL_EVALUATOR', engaged: false },
        { contactId: 'legal', role: 'LEGAL_PROCUREMENT', engaged: false },
      ],
    });
  });

  it('engagement is 0–100 against the lead engagement max, one share per person', () => {
    const contacts = [contact('hot', 0, 250, ago(1)), contact('warm', 0, 50, ago(1))];
    const result = score(model, {
      contacts,
      groups: [
        // hot counts once although it fills two roles: (1 + 0.5) / 2.
        group(
          'two',
          ['CHAMPION'],
          [
            ['hot', 'CHAMPION'],
            ['hot', 'USER'],
            ['warm', 'INFLUENCER'],
          ],
        ),
        group('capped', [], [['hot', 'USER']]),
        // Members missing from `contacts` are not engaged and count as engagement 0.
        group(
          'ghost',
          ['DECISION_MAKER'],
          [
            ['ghost', 'DECISION_MAKER'],
            ['warm', 'USER'],
          ],
        ),
        group('empty', [], []),
      ],
    });
    const byId = new Map(result.buyingGroups.map((g) => [g.id, g]));
    expect(byId.get('two')!.engagement).toBe(75);
    expect(byId.get('capped')!.engagement).toBe(100);
    expect(byId.get('ghost')).toMatchObject({
      engagement: 25,
      completeness: 1,
      engagedCompleteness: 0,
      missingRoles: [],
      engagedRoles: [],
    });
    expect(byId.get('ghost')!.members[0]).toEqual({
      contactId: 'ghost',
      role: 'DECISION_MAKER',
      engaged: false,
    });
    expect(byId.get('empty')).toEqual({
      id: 'empty',
      name: 'empty',
      engagement: 0,
      completeness: 1,
      engagedCompleteness: 1,
      missingRoles: [],
      engagedRoles: [],
      members: [],
    });
    // Sorted by name, then id.
    expect(result.buyingGroups.map((g) => g.id)).toEqual(['capped', 'empty', 'ghost', 'two']);
  });

  it('counts a required role listed twice once', () => {
    const result = score(model, {
      contacts: [contact('a', 0, 50, ago(1))],
      groups: [group('g', ['CHAMPION', 'USER', 'CHAMPION'], [['a', 'CHAMPION']])],
    });
    expect(result.buyingGroups[0]).toMatchObject({
      completeness: 0.5,
      engagedCompleteness: 0.5,
      missingRoles: ['USER'],
      engagedRoles: ['CHAMPION'],
    });
    expect(result.signals.coverage).toBe(0.5);
  });
});

describe('scoreAccount: tiers and quadrant', () => {
  it('uses the account tiers and the account quadrant thresholds', () => {
    const model = modelWith({
      tiers: [
        { name: 'HOT', min: 120 },
        { name: 'WARM', min: 60 },
        { name: 'COLD', min: 0 },
      ],
      quadrant: { fitThreshold: 25, engagementThreshold: 50 },
      rollup: { topN: 1, factor: 1, max: 1000 },
    });
    const at = (total: number) => score(model, { contacts: [contact('a', total)] });
    expect(at(59.99).tier).toBe('COLD');
    expect(at(60).tier).toBe('WARM');
    expect(at(119.99).tier).toBe('WARM');
    expect(at(120).tier).toBe('HOT');
    expect(at(49.99).quadrant).toBe('LOW_FIT_LOW_ENGAGEMENT');
    expect(at(50).quadrant).toBe('LOW_FIT_HIGH_ENGAGEMENT');
    expect(at(50).action).toBe('REVIEW');
  });
});
