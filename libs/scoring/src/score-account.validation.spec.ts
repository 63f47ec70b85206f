import { describe, expect, it } from 'vitest';
import { InvalidScoringModelError } from './compile-model';
import { defaultAccountSection, defaultModelDefinition } from './default-model';
import type { ScoringModelDefinition } from './model-definition';
import { scoreAccount } from './score-account';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

/** The default model as plain JSON would carry it; tests break one thing at a time. */
function validInput(): Record<string, any> {
  return JSON.parse(JSON.stringify(defaultModelDefinition()));
}

function issuesAfter(change: (input: Record<string, any>) => void) {
  const input = validInput();
  change(input);
  const result = validateModelDefinition(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues;
}

function expectSingleIssue(
  change: (input: Record<string, any>) => void,
  path: string,
  message?: RegExp,
) {
  const issues = issuesAfter(change);
  expect(issues.map((i) => i.path)).toEqual([path]);
  if (message) expect(issues[0]!.message).toMatch(message);
}

describe('validateModelDefinition: the account section', () => {
  it('fills the default section into an older model stored without one', () => {
    const input = validInput();
    delete input.account;
    const result = validateModelDefinition(input);
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    expect(result.model.account).toEqual(defaultAccountSection());
    // Scoring such a model works, for leads and for accounts.
    const old = input as ScoringModelDefinition;
    const now = new Date('2025-01-01T00:00:00.000Z');
    // No activity: the default 90-day inactivity penalty.
    expect(scoreLead(old, { email: 'a@b.co' }, null, [], now).total).toBe(-10);
    expect(scoreAccount(old, { industry: 'SaaS' }, [], [], [], [], now).fit).toBe(15);
  });

  it('has the documented defaults', () => {
    const account = defaultModelDefinition().account;
    expect(account.fit.max).toBe(40);
    expect(new Set(account.fit.rules.map((r) => r.field))).toEqual(
      new Set([
        'account.industry',
        'account.employeeCount',
        'account.country',
        'account.technologies',
      ]),
    );
    expect(account.rollup).toEqual({ topN: 5, factor: 0.5, max: 100 });
    expect(account.committee).toEqual({
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
    });
    expect(account.intent).toMatchObject({ max: 30, halfLifeDays: 14 });
    expect(account.intent.rules).toEqual([
      expect.objectContaining({ activityType: 'INTENT_SURGE', points: 15 }),
    ]);
    expect(account.tiers).toEqual([
      { name: 'HOT', min: 120, topShare: 0.1 },
      { name: 'WARM', min: 60, topShare: 0.4 },
      { name: 'COLD', min: 0 },
    ]);
    expect(account.quadrant).toEqual({ fitThreshold: 25, engagementThreshold: 50 });
    expect(defaultAccountSection()).not.toBe(defaultAccountSection());
  });

  it('normalises: tiers high to low, recency bands near to far, roll-up defaults filled', () => {
    const input = validInput();
    input.account.tiers.reverse();
    input.account.committee.recency.reverse();
    delete input.account.rollup.topN;
    delete input.account.rollup.factor;
    input.account.intent.rules[0] = {
      id: 'i',
      label: 'Intent',
      activityType: 'INTENT_SURGE',
      points: 3,
    };
    const result = validateModelDefinition(input);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.model.account.tiers.map((t) => t.name)).toEqual(['HOT', 'WARM', 'COLD']);
    expect(result.model.account.committee.recency.map((b) => b.withinDays)).toEqual([7, 30]);
    expect(result.model.account.rollup).toEqual({ topN: 5, factor: 0.5, max: 100 });
    expect(result.model.account.intent.rules[0]).toEqual({
      id: 'i',
      label: 'Intent',
      activityType: 'INTENT_SURGE',
      where: [],
      points: 3,
      maxCount: null,
      overridesToTopTier: false,
      overrideDays: null,
    });
  });

  it('refuses a lead field in account fit, naming its path', () => {
    expectSingleIssue(
      (m) => {
        m.account.fit.rules[2].field = 'contact.title';
        m.account.fit.rules[2].op = 'CONTAINS';
        m.account.fit.rules[2].value = 'vp';
      },
      'account.fit.rules[2].field',
      /'contact\.title' is not an account field/,
    );
    expectSingleIssue(
      (m) => (m.account.fit.rules[0].field = 'contact.attributes.plan'),
      'account.fit.rules[0].field',
      /not an account field/,
    );
    expectSingleIssue(
      (m) => (m.account.fit.rules[0].field = 'account.nope'),
      'account.fit.rules[0].field',
      /unknown field/,
    );
  });

  it('checks account fit rules like lead fit rules', () => {
    expectSingleIssue(
      (m) => (m.account.fit.rules[1].op = 'CONTAINS'), // on a number field
      'account.fit.rules[1].op',
      /does not apply to number field/,
    );
    expectSingleIssue((m) => (m.account.fit.max = 0), 'account.fit.max', /> 0/);
    expectSingleIssue((m) => (m.account.fit.extra = 1), 'account.fit.extra', /unknown property/);
  });

  it('checks the roll-up numbers', () => {
    expectSingleIssue((m) => (m.account.rollup.factor = 0), 'account.rollup.factor', /> 0/);
    expectSingleIssue((m) => (m.account.rollup.factor = 1.5), 'account.rollup.factor', /<= 1/);
    expect(issuesAfter((m) => (m.account.rollup.factor = 'half'))[0]!.path).toBe(
      'account.rollup.factor',
    );
    expectSingleIssue((m) => (m.account.rollup.topN = 0), 'account.rollup.topN', /integer/);
    expectSingleIssue((m) => (m.account.rollup.topN = 2.5), 'account.rollup.topN', /integer/);
    expectSingleIssue((m) => (m.account.rollup.topN = 5000), 'account.rollup.topN', /to 1000/);
    expectSingleIssue((m) => delete m.account.rollup.max, 'account.rollup.max');
    // factor 1 (no decay over the top N) is allowed.
    const input = validInput();
    input.account.rollup.factor = 1;
    expect(validateModelDefinition(input).ok).toBe(true);
  });

  it('checks the committee numbers at their paths', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['surgeRatio', 0, /> 0/],
      ['surgeRatio', null, /finite number/],
      ['windowDays', -1, /> 0/],
      ['engagementThreshold', -5, />= 0/],
      ['engagedContactsCap', 0, /integer/],
      ['engagedContactsCap', 1.5, /integer/],
      ['surgeMinActivities', 0, /integer/],
      ['coveragePoints', 2e6, /between/],
      ['max', 0, /> 0/],
      ['recency', {}, /array/],
    ];
    for (const [key, value, message] of cases) {
      expectSingleIssue(
        (m) => (m.account.committee[key] = value),
        `account.committee.${key}`,
        message,
      );
    }
    expectSingleIssue(
      (m) => delete m.account.committee.surgePoints,
      'account.committee.surgePoints',
    );
    expectSingleIssue(
      (m) => (m.account.committee.recency[1].withinDays = 7),
      'account.committee.recency[1].withinDays',
      /duplicate of account\.committee\.recency\[0\]/,
    );
    expectSingleIssue(
      (m) => (m.account.committee.recency[0].points = 'ten'),
      'account.committee.recency[0].points',
    );
    expectSingleIssue(
      (m) => (m.account.committee.surge = 1),
      'account.committee.surge',
      /unknown property/,
    );
  });

  it('checks intent rules like engagement rules', () => {
    expectSingleIssue(
      (m) => (m.account.intent.rules[0].activityType = 'SURGE'),
      'account.intent.rules[0].activityType',
    );
    expectSingleIssue(
      (m) => (m.account.intent.rules[0].where = [{ property: 'topic', op: 'MATCHES', value: '(' }]),
      'account.intent.rules[0].where[0].value',
      /invalid regular expression/,
    );
    expectSingleIssue(
      (m) => (m.account.intent.rules[0].overridesToTopTier = true),
      'account.intent.rules[0].overridesToTopTier',
      /not allowed on account intent rules/,
    );
    expectSingleIssue((m) => (m.account.intent.halfLifeDays = 0), 'account.intent.halfLifeDays');
    expectSingleIssue(
      (m) => delete m.account.intent.lookbackDays,
      'account.intent.lookbackDays',
      /required/,
    );
  });

  it('checks account tiers like lead tiers', () => {
    expectSingleIssue(
      (m) => (m.account.tiers[1].min = 120),
      'account.tiers[1].min',
      /overlaps account\.tiers\[0\]/,
    );
    expectSingleIssue(
      (m) => (m.account.tiers[2].min = 10),
      'account.tiers[2].min',
      /lowest band's min must be <= 0/,
    );
    expectSingleIssue((m) => (m.account.tiers = []), 'account.tiers', /at least one band/);
    expectSingleIssue(
      (m) => (m.account.quadrant.fitThreshold = 'high'),
      'account.quadrant.fitThreshold',
    );
  });

  it('keeps rule ids unique across lead and account rules', () => {
    expectSingleIssue(
      (m) => (m.account.fit.rules[1].id = m.fit.rules[0].id),
      'account.fit.rules[1].id',
      /duplicate rule id 'fit\.seniority\.c-level' \(first used at fit\.rules\[0\]\.id\)/,
    );
    expectSingleIssue(
      (m) => (m.account.intent.rules[0].id = 'eng.email-open'),
      'account.intent.rules[0].id',
      /duplicate rule id/,
    );
  });

  it("reserves the engine's account reason ids", () => {
    for (const id of ['account.fit.cap', 'account.rollup.cap', 'committee.surge']) {
      expectSingleIssue(
        (m) => (m.account.fit.rules[0].id = id),
        'account.fit.rules[0].id',
        /reserved/,
      );
    }
    expectSingleIssue(
      (m) => (m.fit.rules[0].id = 'rollup.c1'),
      'fit.rules[0].id',
      /reserved for roll-up reasons/,
    );
  });

  it('names a misshapen account section without cascading', () => {
    expectSingleIssue((m) => (m.account = 'yes'), 'account', /must be an object/);
    expectSingleIssue((m) => (m.account = null), 'account', /must be an object/);
    expectSingleIssue((m) => delete m.account.committee, 'account.committee', /must be an object/);
    expectSingleIssue((m) => (m.account.extra = {}), 'account.extra', /unknown property/);
  });

  it('scoreAccount refuses an invalid model, naming the issues', () => {
    const input = validInput();
    input.account.rollup.factor = 2;
    expect(() =>
      scoreAccount(input as ScoringModelDefinition, {}, [], [], [], [], new Date(0)),
    ).toThrow(InvalidScoringModelError);
    expect(() =>
      scoreAccount(input as ScoringModelDefinition, {}, [], [], [], [], new Date(0)),
    ).toThrow(/account\.rollup\.factor: must be > 0 and <= 1/);
  });
});

describe('scoreAccount with counted contact activity', () => {
  it('refuses counts that are not whole numbers ≥ 0, naming them', () => {
    const model = defaultModelDefinition();
    const account = { domain: 'acme.com' };
    const now = new Date('2026-11-30T12:00:00Z');
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() =>
        scoreAccount(
          model,
          account,
          [],
          [],
          [],
          { last7Days: bad, prior4Weeks: 0, latestAt: null },
          now,
        ),
      ).toThrow(/contact activity counts must be whole numbers ≥ 0/);
  });
});
