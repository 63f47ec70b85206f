import { describe, expect, it } from 'vitest';
import { InvalidScoringModelError } from './compile-model';
import { defaultModelDefinition } from './default-model';
import type { ScoringModelDefinition } from './model-definition';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

/** A valid model as plain JSON would carry it; tests break one thing at a time. */
function validInput(): Record<string, any> {
  return {
    fit: {
      max: 100,
      rules: [
        {
          id: 'f0',
          label: 'Director',
          field: 'contact.title',
          op: 'CONTAINS',
          value: 'director',
          points: 20,
        },
        {
          id: 'f1',
          label: 'Size',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [50, 500],
          points: 10,
        },
      ],
    },
    engagement: {
      max: 100,
      halfLifeDays: 30,
      lookbackDays: 180,
      rules: [
        { id: 'e0', label: 'Open', activityType: 'EMAIL_OPEN', points: 1 },
        { id: 'e1', label: 'Click', activityType: 'EMAIL_CLICK', points: 3, maxCount: 5 },
        {
          id: 'e2',
          label: 'Download',
          activityType: 'CONTENT_DOWNLOAD',
          points: 8,
          halfLifeDays: null,
        },
        {
          id: 'e3',
          label: 'Pricing',
          activityType: 'PAGE_VIEW',
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
          points: 10,
        },
      ],
    },
    negative: {
      rules: [
        {
          kind: 'ACTIVITY',
          id: 'n0',
          label: 'Unsubscribed',
          activityType: 'UNSUBSCRIBE',
          points: 50,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'n1',
          label: 'Gmail',
          field: 'contact.emailDomain',
          op: 'IN',
          value: ['gmail.com'],
          points: 20,
        },
        { kind: 'INACTIVITY', id: 'n2', label: 'Idle', inactiveDays: 90, points: 10 },
      ],
    },
    tiers: [
      { name: 'LOW', min: 0 },
      { name: 'SALES_READY', min: 60 },
      { name: 'NURTURE', min: 30 },
    ],
    grades: [
      { grade: 'B', minFit: 0 },
      { grade: 'A', minFit: 50 },
    ],
    quadrant: { fitThreshold: 50, engagementThreshold: 40 },
    lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
  };
}

function issuesAfter(change: (input: Record<string, any>) => void) {
  const input = validInput();
  change(input);
  const result = validateModelDefinition(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues;
}

/** Asserts that the change yields exactly one issue, at `path`, whose message matches. */
function expectSingleIssue(
  change: (input: Record<string, any>) => void,
  path: string,
  message?: RegExp,
) {
  const issues = issuesAfter(change);
  expect(issues.map((i) => i.path)).toEqual([path]);
  if (message) expect(issues[0]!.message).toMatch(message);
}

describe('validateModelDefinition', () => {
  it('accepts a valid model and returns a normalised deep copy', () => {
    const input = validInput();
    const snapshot = JSON.parse(JSON.stringify(input));
    const result = validateModelDefinition(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { model } = result;
    expect(input).toEqual(snapshot);
    expect(model.tiers).toEqual([
      { name: 'SALES_READY', min: 60 },
      { name: 'NURTURE', min: 30 },
      { name: 'LOW', min: 0 },
    ]);
    expect(model.grades.map((g) => g.grade)).toEqual(['A', 'B']);
    expect(model.engagement.rules[0]).toEqual({
      id: 'e0',
      label: 'Open',
      activityType: 'EMAIL_OPEN',
      where: [],
      points: 1,
      maxCount: null,
      overridesToTopTier: false,
      overrideDays: null,
    });
    expect('halfLifeDays' in model.engagement.rules[0]!).toBe(false);
    expect(model.engagement.rules[2]!.halfLifeDays).toBeNull();
    expect(model.negative.rules[0]).toMatchObject({ kind: 'ACTIVITY', where: [], maxCount: null });
    (model.fit.rules[1]!.value as number[])[0] = 999;
    expect(input.fit.rules[1].value).toEqual([50, 500]);
  });

  it('fills EXISTS without a value as EXISTS true', () => {
    const input = validInput();
    input.fit.rules[0] = {
      id: 'f0',
      label: 'Has title',
      field: 'contact.title',
      op: 'EXISTS',
      points: 1,
    };
    const result = validateModelDefinition(input);
    expect(result.ok && result.model.fit.rules[0]!.value).toBe(true);
  });

  it('accepts the default model unchanged', () => {
    const result = validateModelDefinition(defaultModelDefinition());
    expect(result).toEqual({ ok: true, model: defaultModelDefinition() });
  });

  it('collects every issue, not just the first', () => {
    const issues = issuesAfter((m) => {
      m.fit.max = 0;
      m.engagement.rules[1].activityType = 'TWEET';
      m.lifecycle.dormantDays = -1;
    });
    expect(issues.map((i) => i.path)).toEqual([
      'fit.max',
      'engagement.rules[1].activityType',
      'lifecycle.dormantDays',
    ]);
  });

  it('rejects a non-object', () => {
    expect(validateModelDefinition(null)).toEqual({
      ok: false,
      issues: [{ path: '', message: 'must be an object' }],
    });
  });

  describe('wrong shapes and types', () => {
    it('names the misshapen part', () => {
      expectSingleIssue((m) => (m.fit.rules = {}), 'fit.rules', /array/);
      expectSingleIssue((m) => (m.negative = []), 'negative', /object/);
      expectSingleIssue((m) => (m.fit.rules[1].points = '10'), 'fit.rules[1].points', /number/);
      expectSingleIssue((m) => (m.engagement.rules[0].label = ''), 'engagement.rules[0].label');
      expectSingleIssue((m) => (m.engagement.rules[0].where = 'url'), 'engagement.rules[0].where');
      expectSingleIssue(
        (m) => delete m.engagement.halfLifeDays,
        'engagement.halfLifeDays',
        /required/,
      );
      expectSingleIssue((m) => (m.tiers[1].name = 7), 'tiers[1].name');
      expectSingleIssue(
        (m) => (m.engagement.rules[0].overridesToTopTier = 'yes'),
        'engagement.rules[0].overridesToTopTier',
      );
    });

    it('flags unknown properties, which are usually typos', () => {
      expectSingleIssue((m) => (m.fit.rules[0].pointz = 5), 'fit.rules[0].pointz', /unknown/);
      expectSingleIssue((m) => (m.engagement.halfLife = 5), 'engagement.halfLife', /unknown/);
    });

    it('flags an unknown negative rule kind', () => {
      expectSingleIssue((m) => (m.negative.rules[2].kind = 'BOUNCE'), 'negative.rules[2].kind');
    });

    it('flags non-finite numbers anywhere', () => {
      expectSingleIssue(
        (m) => (m.fit.rules[0].points = Number.NaN),
        'fit.rules[0].points',
        /finite/,
      );
      expectSingleIssue((m) => (m.tiers[0].min = -Infinity), 'tiers[0].min', /finite/);
      expectSingleIssue(
        (m) => (m.fit.rules[1].value = [50, Infinity]),
        'fit.rules[1].value[1]',
        /finite/,
      );
      expectSingleIssue((m) => (m.quadrant.fitThreshold = Number.NaN), 'quadrant.fitThreshold');
      expectSingleIssue((m) => (m.lifecycle.sql = Infinity), 'lifecycle.sql');
    });

    it('bounds points so that exact arithmetic holds', () => {
      expectSingleIssue((m) => (m.fit.rules[0].points = 2e6), 'fit.rules[0].points', /between/);
    });
  });

  describe('rules', () => {
    it('flags an unknown field', () => {
      expectSingleIssue(
        (m) => (m.fit.rules[0].field = 'contact.shoeSize'),
        'fit.rules[0].field',
        /unknown field/,
      );
      expectSingleIssue(
        (m) => (m.negative.rules[1].field = 'account.attributes.'),
        'negative.rules[1].field',
      );
    });

    it('accepts custom attribute fields with any op', () => {
      const input = validInput();
      input.fit.rules[0] = {
        id: 'f0',
        label: 'NPS',
        field: 'contact.attributes.nps',
        op: 'GTE',
        value: 9,
        points: 5,
      };
      input.fit.rules[1] = {
        id: 'f1',
        label: 'Plan',
        field: 'account.attributes.plan',
        op: 'MATCHES',
        value: 'ent',
        points: 5,
      };
      expect(validateModelDefinition(input).ok).toBe(true);
    });

    it('flags an unknown activity type', () => {
      expectSingleIssue(
        (m) => (m.engagement.rules[3].activityType = 'page_view'),
        'engagement.rules[3].activityType',
      );
      expectSingleIssue(
        (m) => (m.negative.rules[0].activityType = 'SPAM'),
        'negative.rules[0].activityType',
      );
    });

    it('flags an unknown op', () => {
      expectSingleIssue((m) => (m.fit.rules[0].op = 'LIKE'), 'fit.rules[0].op', /must be one of/);
      expectSingleIssue(
        (m) => (m.engagement.rules[3].where[0].op = 'eq'),
        'engagement.rules[3].where[0].op',
      );
    });

    it('flags an op that does not fit the field type', () => {
      expectSingleIssue(
        (m) => (m.fit.rules[0].op = 'GTE'),
        'fit.rules[0].op',
        /GTE does not apply to string/,
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'BETWEEN', value: [1, 2] }),
        'fit.rules[0].op',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[1], { op: 'CONTAINS', value: '5' }),
        'fit.rules[1].op',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[1], { op: 'MATCHES', value: '5' }),
        'fit.rules[1].op',
      );
      expectSingleIssue(
        (m) =>
          Object.assign(m.fit.rules[0], { field: 'account.technologies', op: 'LTE', value: 3 }),
        'fit.rules[0].op',
      );
    });

    it('flags a value that does not fit the op or the field', () => {
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'IN', value: 'director' }),
        'fit.rules[0].value',
        /array/,
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'NOT_IN', value: [] }),
        'fit.rules[0].value',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[1], { op: 'IN', value: [10, 'ten'] }),
        'fit.rules[1].value[1]',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[1], { op: 'GTE', value: '10' }),
        'fit.rules[1].value',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[1], { op: 'EQ', value: null }),
        'fit.rules[1].value',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'EQ', value: 5 }),
        'fit.rules[0].value',
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'EXISTS', value: 'yes' }),
        'fit.rules[0].value',
      );
      expectSingleIssue((m) => (m.fit.rules[0].value = undefined), 'fit.rules[0].value');
    });

    it('needs BETWEEN as [lo, hi] with lo <= hi', () => {
      expectSingleIssue(
        (m) => (m.fit.rules[1].value = [500, 50]),
        'fit.rules[1].value',
        /lo must be <= hi/,
      );
      expectSingleIssue((m) => (m.fit.rules[1].value = [50]), 'fit.rules[1].value', /\[lo, hi\]/);
      expectSingleIssue((m) => (m.fit.rules[1].value = 50), 'fit.rules[1].value');
    });

    it('flags an invalid regular expression at its exact path', () => {
      expectSingleIssue(
        (m) =>
          (m.engagement.rules[3].where[0] = { property: 'url', op: 'MATCHES', value: '/pricing(' }),
        'engagement.rules[3].where[0].value',
        /invalid regular expression/,
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'MATCHES', value: '[a-' }),
        'fit.rules[0].value',
      );
    });

    it('flags a pattern that needs backtracking, or is too long, at its exact path', () => {
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'MATCHES', value: '(director)\\1' }),
        'fit.rules[0].value',
        /RE2 syntax/,
      );
      expectSingleIssue(
        (m) =>
          (m.engagement.rules[3].where[0] = {
            property: 'url',
            op: 'MATCHES',
            value: '(?!/blog)/.*',
          }),
        'engagement.rules[3].where[0].value',
        /lookaround/,
      );
      expectSingleIssue(
        (m) => Object.assign(m.fit.rules[0], { op: 'MATCHES', value: 'a'.repeat(301) }),
        'fit.rules[0].value',
        /at most 300 characters/,
      );
    });

    it('flags duplicate rule ids across the whole model at the second occurrence', () => {
      expectSingleIssue(
        (m) => (m.negative.rules[1].id = 'f0'),
        'negative.rules[1].id',
        /duplicate rule id 'f0'.*fit\.rules\[0\]\.id/,
      );
      expectSingleIssue((m) => (m.engagement.rules[2].id = 'e1'), 'engagement.rules[2].id');
    });

    it("reserves the engine's cap reason ids", () => {
      expectSingleIssue((m) => (m.fit.rules[0].id = 'fit.cap'), 'fit.rules[0].id', /reserved/);
    });

    it('needs half-lives null or > 0, at model and rule level', () => {
      expectSingleIssue((m) => (m.engagement.halfLifeDays = 0), 'engagement.halfLifeDays', /> 0/);
      expectSingleIssue(
        (m) => (m.engagement.rules[1].halfLifeDays = -3),
        'engagement.rules[1].halfLifeDays',
      );
      expectSingleIssue(
        (m) => (m.negative.rules[0].halfLifeDays = 0),
        'negative.rules[0].halfLifeDays',
      );
    });

    it('needs lookbackDays null or > 0', () => {
      expectSingleIssue((m) => (m.engagement.lookbackDays = 0), 'engagement.lookbackDays');
      const input = validInput();
      input.engagement.lookbackDays = null;
      expect(validateModelDefinition(input).ok).toBe(true);
    });

    it('needs maxCount null or a positive integer', () => {
      expectSingleIssue(
        (m) => (m.engagement.rules[1].maxCount = 0),
        'engagement.rules[1].maxCount',
      );
      expectSingleIssue(
        (m) => (m.engagement.rules[1].maxCount = 2.5),
        'engagement.rules[1].maxCount',
      );
      expectSingleIssue((m) => (m.negative.rules[0].maxCount = -1), 'negative.rules[0].maxCount');
    });

    it('needs overrideDays null or > 0', () => {
      expectSingleIssue(
        (m) => (m.engagement.rules[0].overrideDays = 0),
        'engagement.rules[0].overrideDays',
      );
    });

    it('needs negative rule points >= 0', () => {
      expectSingleIssue(
        (m) => (m.negative.rules[0].points = -50),
        'negative.rules[0].points',
        />= 0/,
      );
      expectSingleIssue((m) => (m.negative.rules[1].points = -1), 'negative.rules[1].points');
      expectSingleIssue((m) => (m.negative.rules[2].points = -10), 'negative.rules[2].points');
    });

    it('does not allow overridesToTopTier on a negative activity rule', () => {
      expectSingleIssue(
        (m) => (m.negative.rules[0].overridesToTopTier = true),
        'negative.rules[0].overridesToTopTier',
      );
    });

    it('needs inactiveDays > 0', () => {
      expectSingleIssue(
        (m) => (m.negative.rules[2].inactiveDays = 0),
        'negative.rules[2].inactiveDays',
      );
    });
  });

  describe('model-wide numbers and bands', () => {
    it('needs fit.max and engagement.max > 0', () => {
      expectSingleIssue((m) => (m.fit.max = 0), 'fit.max', /> 0/);
      expectSingleIssue((m) => (m.engagement.max = -5), 'engagement.max');
    });

    it('needs at least one tier and one grade', () => {
      expectSingleIssue((m) => (m.tiers = []), 'tiers', /at least one/);
      expectSingleIssue((m) => (m.grades = []), 'grades', /at least one/);
    });

    it('flags overlapping bands (two with the same min) at the second', () => {
      expectSingleIssue((m) => (m.tiers[2].min = 60), 'tiers[2].min', /overlaps tiers\[1\]/);
      expectSingleIssue((m) => (m.grades[1].minFit = 0), 'grades[1].minFit', /overlaps/);
    });

    it('flags duplicate band names', () => {
      expectSingleIssue((m) => (m.tiers[2].name = 'LOW'), 'tiers[2].name', /duplicate/);
    });

    it('flags a gap below the lowest band', () => {
      expectSingleIssue((m) => (m.tiers[0].min = 10), 'tiers[0].min', /gap/);
      expectSingleIssue((m) => (m.grades[0].minFit = 1), 'grades[0].minFit', /gap/);
      const input = validInput();
      input.tiers[0].min = -20;
      expect(validateModelDefinition(input).ok).toBe(true);
    });

    it('needs lifecycle sql >= mql and dormantDays > 0', () => {
      expectSingleIssue((m) => (m.lifecycle.sql = 59), 'lifecycle.sql', />= lifecycle.mql/);
      expectSingleIssue((m) => (m.lifecycle.dormantDays = 0), 'lifecycle.dormantDays');
      const input = validInput();
      input.lifecycle.sql = 60;
      expect(validateModelDefinition(input).ok).toBe(true);
    });
  });

  it('scoreLead refuses an invalid model, naming the issues', () => {
    const input = validInput();
    input.fit.max = -1;
    const call = () =>
      scoreLead(input as ScoringModelDefinition, { email: 'a@b.co' }, null, [], new Date(0));
    expect(call).toThrow(InvalidScoringModelError);
    expect(call).toThrow(/fit\.max: must be > 0/);
  });
});
