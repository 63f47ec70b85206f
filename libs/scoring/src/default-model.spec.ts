import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import type { AttributeRule, EngagementRule } from './model-definition';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const DAY = 86_400_000;

describe('defaultModelDefinition', () => {
  it('passes validation', () => {
    const result = validateModelDefinition(defaultModelDefinition());
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('returns a fresh copy on every call', () => {
    const first = defaultModelDefinition();
    first.fit.rules.length = 0;
    first.tiers[0]!.min = 1;
    const second = defaultModelDefinition();
    expect(second.fit.rules.length).toBeGreaterThan(0);
    expect(second.tiers[0]).toEqual({
      name: 'SALES_READY',
      min: 60,
      topShare: 0.1,
      minFit: 50,
      minEngagement: 25,
    });
    expect(defaultModelDefinition()).not.toBe(defaultModelDefinition());
  });

  it('has the documented shape', () => {
    const model = defaultModelDefinition();
    expect(model.fit.max).toBe(100);
    expect(model.engagement).toMatchObject({ max: 100, halfLifeDays: 30, lookbackDays: 180 });
    expect(model.tiers).toEqual([
      { name: 'SALES_READY', min: 60, topShare: 0.1, minFit: 50, minEngagement: 25 },
      { name: 'NURTURE', min: 30, topShare: 0.4 },
      { name: 'LOW', min: 0 },
    ]);
    expect(model.lifecycle).toEqual({ mql: 60, sql: 90, dormantDays: 30, minEngagement: 25 });
    expect(model.grades).toEqual([
      { grade: 'A', minFit: 75 },
      { grade: 'B', minFit: 50 },
      { grade: 'C', minFit: 25 },
      { grade: 'D', minFit: 0 },
    ]);
    expect(model.quadrant).toEqual({ fitThreshold: 50, engagementThreshold: 25 });
    const fitFields = new Set(model.fit.rules.map((r) => r.field));
    for (const field of [
      'contact.seniority',
      'account.industry',
      'account.employeeCount',
      'account.country',
      'contact.country',
    ]) {
      expect(fitFields).toContain(field);
    }
    expect(
      model.fit.rules.some((r) => r.field === 'account.employeeCount' && r.op === 'BETWEEN'),
    ).toBe(true);
  });

  it('ranks engagement signals in strictly increasing points', () => {
    const rules = defaultModelDefinition().engagement.rules;
    const pointsOf = (predicate: (rule: EngagementRule) => boolean) => {
      const matching = rules.filter(predicate);
      expect(matching).toHaveLength(1);
      return matching[0]!.points;
    };
    const ofType = (type: EngagementRule['activityType']) => (r: EngagementRule) =>
      r.activityType === type;
    const ladder = [
      pointsOf(ofType('EMAIL_OPEN')),
      pointsOf(ofType('EMAIL_CLICK')),
      pointsOf(ofType('CONTENT_DOWNLOAD')),
      pointsOf(ofType('WEBINAR_ATTENDED')),
      pointsOf(
        (r) =>
          r.activityType === 'PAGE_VIEW' &&
          (r.where ?? []).some(
            (w) => w.property === 'url' && w.op === 'CONTAINS' && w.value === '/pricing',
          ),
      ),
      pointsOf(ofType('DEMO_REQUEST')),
    ];
    for (let i = 1; i < ladder.length; i++) expect(ladder[i]!).toBeGreaterThan(ladder[i - 1]!);
    const demo = rules.find(ofType('DEMO_REQUEST'))!;
    expect(demo).toMatchObject({ overridesToTopTier: true, overrideDays: 14 });
    for (const rule of rules) expect(rule.maxCount).toBeGreaterThanOrEqual(1);
  });

  it('penalises unsubscribes, competitors, students, personal email and inactivity', () => {
    const model = defaultModelDefinition();
    const negative = model.negative.rules;
    expect(
      negative.find((r) => r.kind === 'ACTIVITY' && r.activityType === 'UNSUBSCRIBE'),
    ).toBeDefined();
    expect(negative.find((r) => r.kind === 'INACTIVITY' && r.inactiveDays === 90)).toBeDefined();
    const attribute = negative.filter(
      (r): r is AttributeRule & { kind: 'ATTRIBUTE' } => r.kind === 'ATTRIBUTE',
    );
    const student = attribute.find((r) => r.op === 'MATCHES')!;
    expect(student.value).toBe('\\bstudent\\b|\\bintern\\b');
    const personal = attribute.find(
      (r) => Array.isArray(r.value) && r.value.includes('gmail.com'),
    )!;
    expect(personal.value).toEqual(
      expect.arrayContaining(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com']),
    );
    expect(
      attribute.some((r) => r.field === 'contact.emailDomain' && r !== personal && r.op === 'IN'),
    ).toBe(true);
  });

  it('scores an ideal buyer above a student with a personal address', () => {
    const model = defaultModelDefinition();
    const recent = [
      { id: 'd', type: 'DEMO_REQUEST' as const, occurredAt: new Date(NOW.getTime() - 2 * DAY) },
      {
        id: 'p',
        type: 'PAGE_VIEW' as const,
        occurredAt: new Date(NOW.getTime() - DAY),
        properties: { url: 'https://x.io/pricing' },
      },
    ];
    const buyer = scoreLead(
      model,
      { email: 'cto@globex.com', seniority: 'C-Level', country: 'US' },
      { industry: 'Software', employeeCount: 800, country: 'United States' },
      recent,
      NOW,
    );
    // 25 seniority + 20 industry + 25 size + 10 + 5 geography.
    expect(buyer.fit).toBe(85);
    expect(buyer.grade).toBe('A');
    expect(buyer.tier).toBe('SALES_READY');
    expect(buyer.override?.ruleId).toBe('eng.demo-request');
    const student = scoreLead(model, { email: 'sam@gmail.com', title: 'Student' }, null, [], NOW);
    // 40 student + 20 personal email + 10 inactivity.
    expect(student.negative).toBe(70);
    expect(student.total).toBe(-70);
    expect(student.tier).toBe('LOW');
    expect(student.action).toBe('DEPRIORITIZE');
  });
});
