import { describe, expect, it } from 'vitest';
import { defaultAccountSection } from './default-model';
import type { ActivityFacts } from './facts';
import type {
  ActivityType,
  EngagementRule,
  NegativeRule,
  ScoringModelDefinition,
} from './model-definition';
import { scoreLead } from './score-lead';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);
const CONTACT = { email: 'lee@example.com' };

function model(
  engagement: Partial<ScoringModelDefinition['engagement']>,
  negative: NegativeRule[] = [],
): ScoringModelDefinition {
  return {
    fit: { max: 100, rules: [] },
    engagement: { max: 1000, halfLifeDays: null, lookbackDays: null, rules: [], ...engagement },
    negative: { rules: negative },
    tiers: [
      { name: 'TOP', min: 60 },
      { name: 'MID', min: 30 },
      { name: 'LOW', min: 0 },
    ],
    grades: [{ grade: 'A', minFit: 0 }],
    quadrant: { fitThreshold: 50, engagementThreshold: 40 },
    lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
    account: defaultAccountSection(),
  };
}

function rule(overrides: Partial<EngagementRule> = {}): EngagementRule {
  return { id: 'eng', label: 'Email click', activityType: 'EMAIL_CLICK', points: 10, ...overrides };
}

function act(id: string, occurredAt: Date, type: ActivityType = 'EMAIL_CLICK'): ActivityFacts {
  return { id, type, occurredAt };
}

function engagementOf(m: ScoringModelDefinition, activities: ActivityFacts[]) {
  return scoreLead(m, CONTACT, null, activities, NOW).engagement;
}

describe('decay', () => {
  const decaying = model({ halfLifeDays: 30, rules: [rule()] });

  it('counts an activity exactly one half-life old as half', () => {
    expect(engagementOf(decaying, [act('a', ago(30))])).toBe(5);
  });

  it('counts two half-lives as a quarter, and a fresh activity in full', () => {
    expect(engagementOf(decaying, [act('a', ago(60))])).toBe(2.5);
    expect(engagementOf(decaying, [act('a', NOW)])).toBe(10);
  });

  it("uses the rule's own half-life over the model's", () => {
    const m = model({ halfLifeDays: 30, rules: [rule({ halfLifeDays: 10 })] });
    expect(engagementOf(m, [act('a', ago(10))])).toBe(5);
  });

  it("treats a rule's explicit null half-life as no decay", () => {
    const m = model({ halfLifeDays: 30, rules: [rule({ halfLifeDays: null })] });
    expect(engagementOf(m, [act('a', ago(300))])).toBe(10);
  });

  it('does not decay without any half-life', () => {
    expect(engagementOf(model({ rules: [rule()] }), [act('a', ago(3000))])).toBe(10);
  });

  it('rounds the sum of a rule, not each activity', () => {
    // 10 × 2^(−10/30) = 7.937005…; three of them = 23.811015… → 23.81 (three rounded 7.94s would be 23.82).
    const activities = [act('a', ago(10)), act('b', ago(10)), act('c', ago(10))];
    const score = scoreLead(decaying, CONTACT, null, activities, NOW);
    expect(score.engagement).toBe(23.81);
    expect(score.reasons).toEqual([
      {
        ruleId: 'eng',
        label: 'Email click',
        category: 'ENGAGEMENT',
        points: 23.81,
        activityCount: 3,
        kind: 'RULE',
      },
    ]);
  });
});

describe('which activities count', () => {
  it('ignores activities in the future, even by one millisecond', () => {
    const score = scoreLead(model({ rules: [rule()] }), CONTACT, null, [act('a', ago(0, -1))], NOW);
    expect(score.engagement).toBe(0);
    expect(score.reasons).toEqual([]);
    expect(score.lastActivityAt).toBeNull();
  });

  it('counts an activity exactly at the lookback and ignores one just beyond it', () => {
    const m = model({ lookbackDays: 90, rules: [rule()] });
    expect(engagementOf(m, [act('a', ago(90))])).toBe(10);
    expect(engagementOf(m, [act('a', ago(90, 1))])).toBe(0);
  });

  it('keeps the newest maxCount activities', () => {
    // Ages 20, 0, 10 with half-life 10 and points 8: the newest two are worth 8 and 4 (not 2).
    const m = model({ halfLifeDays: 10, rules: [rule({ points: 8, maxCount: 2 })] });
    const activities = [act('old', ago(20)), act('new', ago(0)), act('mid', ago(10))];
    const score = scoreLead(m, CONTACT, null, activities, NOW);
    expect(score.engagement).toBe(12);
    expect(score.reasons[0]?.activityCount).toBe(2);
  });

  it('fills maxCount with matching activities only, skipping ones that fail `where`', () => {
    const m = model({
      halfLifeDays: 10,
      rules: [
        rule({
          activityType: 'PAGE_VIEW',
          points: 8,
          maxCount: 1,
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
        }),
      ],
    });
    const blog = { ...act('blog', NOW, 'PAGE_VIEW'), properties: { url: '/blog' } };
    const pricing = { ...act('pricing', ago(10), 'PAGE_VIEW'), properties: { url: '/PRICING' } };
    expect(engagementOf(m, [blog, pricing])).toBe(4);
  });

  it('only counts activities of the rule type', () => {
    expect(engagementOf(model({ rules: [rule()] }), [act('a', NOW, 'EMAIL_OPEN')])).toBe(0);
  });

  it('reports the newest past activity of any type and age as lastActivityAt', () => {
    const m = model({ lookbackDays: 10, rules: [rule()] });
    const score = scoreLead(
      m,
      CONTACT,
      null,
      [act('a', ago(400), 'MEETING'), act('b', ago(500)), act('c', ago(0, -5))],
      NOW,
    );
    expect(score.lastActivityAt).toEqual(ago(400));
    expect(score.engagement).toBe(0);
  });
});

describe('caps', () => {
  it('floors negative engagement at 0 with a CAP reason', () => {
    const m = model({ max: 50, rules: [rule({ points: -7.5 })] });
    const score = scoreLead(m, CONTACT, null, [act('a', NOW)], NOW);
    expect(score.engagement).toBe(0);
    // Equal magnitudes: 'eng' sorts before 'engagement.cap'.
    expect(score.reasons).toEqual([
      expect.objectContaining({ ruleId: 'eng', points: -7.5, kind: 'RULE' }),
      expect.objectContaining({ ruleId: 'engagement.cap', points: 7.5, kind: 'CAP' }),
    ]);
    expect(score.reasons[1]?.label).toBe('Engagement floored at 0');
  });

  it('caps and floors fit the same way', () => {
    const fitModel = (points: number[]): ScoringModelDefinition => ({
      ...model({}),
      fit: {
        max: 30,
        rules: points.map((p, i) => ({
          id: `f${i}`,
          label: `F${i}`,
          field: 'contact.attributes.plan',
          op: 'EXISTS',
          points: p,
        })),
      },
    });
    const contact = { email: 'a@b.co', attributes: { plan: 'pro' } };
    const capped = scoreLead(fitModel([25, 20]), contact, null, [], NOW);
    expect(capped.fit).toBe(30);
    expect(capped.reasons).toContainEqual({
      ruleId: 'fit.cap',
      label: 'Fit capped at 30',
      category: 'FIT',
      points: -15,
      activityCount: 0,
      kind: 'CAP',
    });
    const floored = scoreLead(fitModel([5, -12.25]), contact, null, [], NOW);
    expect(floored.fit).toBe(0);
    expect(floored.reasons).toContainEqual(
      expect.objectContaining({ ruleId: 'fit.cap', label: 'Fit floored at 0', points: 7.25 }),
    );
  });
});

describe('negative signals', () => {
  const unsubscribe: NegativeRule = {
    kind: 'ACTIVITY',
    id: 'neg.unsub',
    label: 'Unsubscribed',
    activityType: 'UNSUBSCRIBE',
    points: 50,
  };

  it('does not decay a negative activity by the model half-life', () => {
    const m = model({ halfLifeDays: 30 }, [unsubscribe]);
    const score = scoreLead(m, CONTACT, null, [act('u', ago(60), 'UNSUBSCRIBE')], NOW);
    expect(score.negative).toBe(50);
    expect(score.total).toBe(-50);
    expect(score.reasons).toEqual([
      {
        ruleId: 'neg.unsub',
        label: 'Unsubscribed',
        category: 'NEGATIVE',
        points: -50,
        activityCount: 1,
        kind: 'RULE',
      },
    ]);
  });

  it('decays a negative activity by its own half-life, and applies the lookback', () => {
    const m = model({ halfLifeDays: 30, lookbackDays: 90 }, [{ ...unsubscribe, halfLifeDays: 30 }]);
    expect(scoreLead(m, CONTACT, null, [act('u', ago(60), 'UNSUBSCRIBE')], NOW).negative).toBe(
      12.5,
    );
    expect(scoreLead(m, CONTACT, null, [act('u', ago(91), 'UNSUBSCRIBE')], NOW).negative).toBe(0);
  });

  describe('inactivity', () => {
    const inactive: NegativeRule = {
      kind: 'INACTIVITY',
      id: 'neg.idle',
      label: 'Idle 90 days',
      inactiveDays: 90,
      points: 10,
    };
    const m = model({ rules: [rule({ points: 0 })] }, [inactive]);
    const negativeOf = (activities: ActivityFacts[]) =>
      scoreLead(m, CONTACT, null, activities, NOW).negative;

    it('counts a contact with no activities as inactive', () => {
      expect(negativeOf([])).toBe(10);
    });

    it('is not inactive with any activity within the window, including exactly at its edge', () => {
      expect(negativeOf([act('a', ago(89), 'MEETING')])).toBe(0);
      expect(negativeOf([act('a', ago(90), 'MEETING')])).toBe(0);
    });

    it('is inactive when the newest activity is older than the window or in the future', () => {
      expect(negativeOf([act('a', ago(90, 1))])).toBe(10);
      expect(negativeOf([act('a', ago(0, -DAY))])).toBe(10);
    });
  });
});

describe('override to the top tier', () => {
  const demo = (overrides: Partial<EngagementRule> = {}) =>
    rule({
      id: 'eng.demo',
      label: 'Demo request',
      activityType: 'DEMO_REQUEST',
      points: 5,
      overridesToTopTier: true,
      overrideDays: 14,
      ...overrides,
    });

  it('applies while the activity is at most overrideDays old, and leaves the total alone', () => {
    const m = model({ rules: [demo()] });
    const fresh = scoreLead(m, CONTACT, null, [act('d', ago(14), 'DEMO_REQUEST')], NOW);
    expect(fresh.tier).toBe('TOP');
    expect(fresh.total).toBe(5);
    expect(fresh.override).toEqual({
      ruleId: 'eng.demo',
      label: 'Demo request',
      activityAt: ago(14),
    });
    const stale = scoreLead(m, CONTACT, null, [act('d', ago(14, 1), 'DEMO_REQUEST')], NOW);
    expect(stale.tier).toBe('LOW');
    expect(stale.total).toBe(5);
    expect(stale.override).toBeNull();
  });

  it('names the newest activity when several count', () => {
    const m = model({ rules: [demo({ maxCount: 3 })] });
    const activities = [act('d1', ago(9), 'DEMO_REQUEST'), act('d2', ago(2), 'DEMO_REQUEST')];
    expect(scoreLead(m, CONTACT, null, activities, NOW).override?.activityAt).toEqual(ago(2));
  });

  it('without overrideDays, applies within the lookback, or at any age without a lookback', () => {
    const withLookback = model({ lookbackDays: 30, rules: [demo({ overrideDays: null })] });
    expect(
      scoreLead(withLookback, CONTACT, null, [act('d', ago(29), 'DEMO_REQUEST')], NOW).tier,
    ).toBe('TOP');
    expect(
      scoreLead(withLookback, CONTACT, null, [act('d', ago(31), 'DEMO_REQUEST')], NOW).tier,
    ).toBe('LOW');
    const noLookback = model({ rules: [demo({ overrideDays: null })] });
    expect(
      scoreLead(noLookback, CONTACT, null, [act('d', ago(999), 'DEMO_REQUEST')], NOW).tier,
    ).toBe('TOP');
  });

  it('needs a matching activity (where conditions apply) that is not in the future', () => {
    const m = model({
      rules: [demo({ where: [{ property: 'source', op: 'EQ', value: 'website' }] })],
    });
    const other = { ...act('d', ago(1), 'DEMO_REQUEST'), properties: { source: 'partner' } };
    const future = { ...act('f', ago(0, -1), 'DEMO_REQUEST'), properties: { source: 'website' } };
    const score = scoreLead(m, CONTACT, null, [other, future], NOW);
    expect(score.override).toBeNull();
    expect(score.tier).toBe('LOW');
  });

  it('prefers the override with the newest activity across rules', () => {
    const m = model({
      rules: [
        demo(),
        rule({
          id: 'eng.trial',
          label: 'Trial',
          activityType: 'TRIAL_SIGNUP',
          overridesToTopTier: true,
          overrideDays: 14,
        }),
      ],
    });
    const activities = [act('d', ago(5), 'DEMO_REQUEST'), act('t', ago(1), 'TRIAL_SIGNUP')];
    expect(scoreLead(m, CONTACT, null, activities, NOW).override?.ruleId).toBe('eng.trial');
  });
});
