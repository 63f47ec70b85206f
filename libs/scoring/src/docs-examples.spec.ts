import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { scoreAccount } from './score-account';
import { scoreLead } from './score-lead';

/** The numbers of docs/scoring-models.md that are not already in worked-examples.spec.ts. */
const NOW = new Date('2026-03-10T09:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('docs/scoring-models.md, example 3: decay and maxCount under the default model', () => {
  const contact: ContactFacts = {
    email: 'maya@globex.com',
    title: 'VP Marketing',
    seniority: 'VP',
    country: 'US',
  };
  const account: AccountFacts = {
    domain: 'globex.com',
    industry: 'Software',
    employeeCount: 800,
    country: 'US',
  };
  const activities: ActivityFacts[] = [
    ...[0, 10, 30, 60].map((days, i) => ({
      id: `pricing-${i}`,
      type: 'PAGE_VIEW' as const,
      occurredAt: ago(days),
      properties: { url: '/pricing' },
    })),
    { id: 'click-1', type: 'EMAIL_CLICK', occurredAt: ago(2) },
  ];
  const points = (score: ReturnType<typeof scoreLead>) =>
    Object.fromEntries(score.reasons.map((r) => [r.ruleId, r.points]));

  it('scores 80 fit + 37.27 engagement = 117.27 today', () => {
    const score = scoreLead(defaultModelDefinition(), contact, account, activities, NOW);
    expect(score).toMatchObject({
      fit: 80,
      engagement: 37.27,
      negative: 0,
      total: 117.27,
      tier: 'SALES_READY',
      grade: 'A',
      quadrant: 'HIGH_FIT_HIGH_ENGAGEMENT',
      action: 'ROUTE_NOW',
    });
    expect(points(score)).toEqual({
      'fit.seniority.vp': 20,
      'fit.industry.target': 20,
      'fit.size.ideal': 25,
      'fit.geo.account': 10,
      'fit.geo.contact': 5,
      'eng.pricing-page': 34.41,
      'eng.email-click': 2.86,
    });
    expect(score.reasons.find((r) => r.ruleId === 'eng.pricing-page')!.activityCount).toBe(3);
  });

  it('decays to 80 + 18.63 = 98.63 thirty days later with no new activity', () => {
    const later = new Date(NOW.getTime() + 30 * DAY);
    const score = scoreLead(defaultModelDefinition(), contact, account, activities, later);
    // Engagement 18.63 is below the 25 SALES_READY needs: a strong fit alone is not sales-ready.
    expect(score).toMatchObject({
      engagement: 18.63,
      total: 98.63,
      tier: 'NURTURE',
      action: 'NURTURE_AND_ALERT',
    });
    expect(points(score)).toMatchObject({ 'eng.pricing-page': 17.2, 'eng.email-click': 1.43 });
  });
});

describe('docs/scoring-models.md, example 4: a demo request overrides the tier, not the total', () => {
  it('puts a student on a personal mailbox in SALES_READY with a total of −30.69', () => {
    const score = scoreLead(
      defaultModelDefinition(),
      { email: 'sam@gmail.com', title: 'Student' },
      null,
      [{ id: 'demo', type: 'DEMO_REQUEST', occurredAt: ago(1) }],
      NOW,
    );
    expect(score).toMatchObject({
      fit: 0,
      engagement: 29.31,
      negative: 60,
      total: -30.69,
      tier: 'SALES_READY',
      override: { ruleId: 'eng.demo-request', label: 'Requested a demo', activityAt: ago(1) },
    });
    expect(score.reasons.map((r) => [r.ruleId, r.points])).toEqual([
      ['neg.student', -40],
      ['eng.demo-request', 29.31],
      ['neg.personal-email', -20],
    ]);
  });
});

describe('docs/scoring-models.md, example 5: an account under the default model', () => {
  it('adds fit 35 + roll-up 100 (capped) + committee 40 + intent 10.61 = 185.61, HOT', () => {
    const score = scoreAccount(
      defaultModelDefinition(),
      { domain: 'globex.com', industry: 'Software', employeeCount: 800, country: 'US' },
      [
        { contactId: 'maya', total: 117.27, engagement: 37.27, lastActivityAt: ago(0) },
        { contactId: 'raj', total: 48, engagement: 18, lastActivityAt: ago(5) },
        { contactId: 'lee', total: 22, engagement: 4, lastActivityAt: ago(40) },
      ],
      [
        {
          id: 'g1',
          name: 'Platform purchase',
          requiredRoles: ['DECISION_MAKER', 'ECONOMIC_BUYER', 'CHAMPION', 'TECHNICAL_EVALUATOR'],
          members: [
            { contactId: 'maya', role: 'DECISION_MAKER' },
            { contactId: 'raj', role: 'CHAMPION' },
            { contactId: 'lee', role: 'TECHNICAL_EVALUATOR' },
          ],
        },
      ],
      [{ id: 'surge', type: 'INTENT_SURGE', occurredAt: ago(7), properties: { topic: 'ABM' } }],
      [ago(0), ago(2), ago(5), ago(10), ago(30), ago(40)],
      NOW,
    );
    expect(score).toMatchObject({
      fit: 35,
      rollup: 100,
      committee: 40,
      intent: 10.61,
      engagement: 150.61,
      total: 185.61,
      tier: 'HOT',
    });
    expect(score.signals).toMatchObject({
      engagedContacts: 2,
      coverage: 0.5,
      decisionMakerEngaged: true,
    });
    expect(Object.fromEntries(score.reasons.map((r) => [r.ruleId, r.points]))).toEqual({
      'acct.fit.industry': 15,
      'acct.fit.size.ideal': 15,
      'acct.fit.geo': 5,
      'rollup.maya': 117.27,
      'rollup.raj': 24,
      'rollup.lee': 5.5,
      'account.rollup.cap': -46.77,
      'committee.engaged-contacts': 10,
      'committee.coverage': 10,
      'committee.decision-maker': 10,
      'committee.recency': 10,
      'acct.intent.surge': 10.61,
    });
    expect(score.buyingGroups[0]).toMatchObject({
      completeness: 0.75,
      engagedCompleteness: 0.5,
      missingRoles: ['ECONOMIC_BUYER'],
    });
  });
});
