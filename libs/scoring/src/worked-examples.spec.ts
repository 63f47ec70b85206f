import { describe, expect, it } from 'vitest';
import { defaultAccountSection } from './default-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import type { ScoringModelDefinition } from './model-definition';
import { scoreLead } from './score-lead';

const NOW = new Date('2025-03-10T09:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('worked example 1 (DESIGN.md): 20 + 15 + 10 + 5 + 10 = 60, SALES_READY', () => {
  const model: ScoringModelDefinition = {
    fit: {
      max: 100,
      rules: [
        {
          id: 'fit.director',
          label: 'Director title',
          field: 'contact.title',
          op: 'MATCHES',
          value: '\\bdirector\\b',
          points: 20,
        },
        {
          id: 'fit.industry',
          label: 'Target industry',
          field: 'account.industry',
          op: 'IN',
          value: ['Software', 'SaaS'],
          points: 15,
        },
        {
          id: 'fit.size',
          label: 'Ideal company size',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [200, 1000],
          points: 10,
        },
      ],
    },
    engagement: {
      max: 100,
      halfLifeDays: null,
      lookbackDays: null,
      rules: [
        { id: 'eng.click', label: 'Clicked email', activityType: 'EMAIL_CLICK', points: 5 },
        {
          id: 'eng.pricing',
          label: 'Visited pricing page',
          activityType: 'PAGE_VIEW',
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
          points: 10,
        },
      ],
    },
    negative: { rules: [] },
    // Given low to high on purpose: the engine sorts bands itself.
    tiers: [
      { name: 'LOW', min: 0 },
      { name: 'NURTURE', min: 30 },
      { name: 'SALES_READY', min: 60 },
    ],
    grades: [
      { grade: 'A', minFit: 40 },
      { grade: 'B', minFit: 0 },
    ],
    quadrant: { fitThreshold: 40, engagementThreshold: 10 },
    lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
    account: defaultAccountSection(),
  };
  const contact: ContactFacts = { email: 'dana@acme.io', title: 'Director of Marketing' };
  const account: AccountFacts = { industry: 'software', employeeCount: 450 };
  const activities: ActivityFacts[] = [
    { id: 'a1', type: 'EMAIL_CLICK', occurredAt: ago(3) },
    {
      id: 'a2',
      type: 'PAGE_VIEW',
      occurredAt: ago(1),
      properties: { url: 'https://acme.io/pricing' },
    },
    {
      id: 'a3',
      type: 'PAGE_VIEW',
      occurredAt: ago(2),
      properties: { url: 'https://acme.io/blog' },
    },
  ];

  it('reproduces the parts, the total and the tier', () => {
    const score = scoreLead(model, contact, account, activities, NOW);
    expect(score).toMatchObject({
      fit: 45,
      engagement: 15,
      negative: 0,
      total: 60,
      tier: 'SALES_READY',
      grade: 'A',
      quadrant: 'HIGH_FIT_HIGH_ENGAGEMENT',
      action: 'ROUTE_NOW',
      override: null,
      lastActivityAt: ago(1),
    });
  });

  it('lists each rule with its points, largest first, ties by rule id', () => {
    const score = scoreLead(model, contact, account, activities, NOW);
    expect(score.reasons).toEqual([
      r('fit.director', 'Director title', 'FIT', 20, 0),
      r('fit.industry', 'Target industry', 'FIT', 15, 0),
      r('eng.pricing', 'Visited pricing page', 'ENGAGEMENT', 10, 1),
      r('fit.size', 'Ideal company size', 'FIT', 10, 0),
      r('eng.click', 'Clicked email', 'ENGAGEMENT', 5, 1),
    ]);
  });

  it('puts 30–59 in NURTURE and 0–29 in LOW', () => {
    // Without the pricing page visit: 45 + 5 = 50.
    const nurture = scoreLead(model, contact, account, activities.slice(0, 1), NOW);
    expect(nurture.total).toBe(50);
    expect(nurture.tier).toBe('NURTURE');
    // A non-director at a mid-size software company with one click: 15 + 10 + 5 = 30.
    const boundary = scoreLead(
      model,
      { ...contact, title: 'Analyst' },
      account,
      activities.slice(0, 1),
      NOW,
    );
    expect(boundary.total).toBe(30);
    expect(boundary.tier).toBe('NURTURE');
    // And without the click: 25.
    const low = scoreLead(model, { ...contact, title: 'Analyst' }, account, [], NOW);
    expect(low.total).toBe(25);
    expect(low.tier).toBe('LOW');
  });
});

describe('worked example 2 (DESIGN.md): fit and engagement out of 100, above 140 flagged', () => {
  // "Above 140" is encoded as a top tier with min 140.01: totals are exact multiples of 0.01, so
  // total >= 140.01 is exactly total > 140 (also for decayed, non-integer totals).
  const model: ScoringModelDefinition = {
    fit: {
      max: 100,
      rules: [
        {
          id: 'fit.size',
          label: 'Company size',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [100, 5000],
          points: 30,
        },
        {
          id: 'fit.industry',
          label: 'Industry',
          field: 'account.industry',
          op: 'EQ',
          value: 'Software',
          points: 25,
        },
        {
          id: 'fit.seniority',
          label: 'Seniority',
          field: 'contact.seniority',
          op: 'IN',
          value: ['VP', 'C-Level'],
          points: 25,
        },
        {
          id: 'fit.territory',
          label: 'Territory',
          field: 'account.region',
          op: 'EQ',
          value: 'EMEA',
          points: 20,
        },
      ],
    },
    engagement: {
      max: 100,
      halfLifeDays: null,
      lookbackDays: null,
      rules: [
        {
          id: 'eng.open',
          label: 'Email open',
          activityType: 'EMAIL_OPEN',
          points: 10,
          maxCount: 1,
        },
        {
          id: 'eng.click',
          label: 'Link click',
          activityType: 'EMAIL_CLICK',
          points: 20,
          maxCount: 1,
        },
        {
          id: 'eng.pricing',
          label: 'Pricing page',
          activityType: 'PAGE_VIEW',
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
          points: 40,
          maxCount: 1,
        },
        {
          id: 'eng.demo',
          label: 'Demo request',
          activityType: 'DEMO_REQUEST',
          points: 100,
          maxCount: 1,
          overridesToTopTier: true,
          overrideDays: 14,
        },
      ],
    },
    negative: { rules: [] },
    tiers: [
      { name: 'IMMEDIATE_FOLLOW_UP', min: 140.01 },
      { name: 'SALES_READY', min: 60 },
      { name: 'NURTURE', min: 30 },
      { name: 'LOW', min: 0 },
    ],
    grades: [
      { grade: 'A', minFit: 75 },
      { grade: 'D', minFit: 0 },
    ],
    quadrant: { fitThreshold: 50, engagementThreshold: 50 },
    lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
    account: defaultAccountSection(),
  };
  const perfectContact: ContactFacts = { email: 'cfo@bigco.com', seniority: 'VP' };
  const perfectAccount: AccountFacts = {
    employeeCount: 1200,
    industry: 'Software',
    region: 'EMEA',
  };
  const poorContact: ContactFacts = { email: 'x@tiny.shop', seniority: 'Individual Contributor' };
  const poorAccount: AccountFacts = { employeeCount: 4, industry: 'Retail', region: 'APAC' };
  const open: ActivityFacts = { id: 'o', type: 'EMAIL_OPEN', occurredAt: ago(5) };
  const click: ActivityFacts = { id: 'c', type: 'EMAIL_CLICK', occurredAt: ago(4) };
  const pricing: ActivityFacts = {
    id: 'p',
    type: 'PAGE_VIEW',
    occurredAt: ago(3),
    properties: { url: '/pricing' },
  };
  const demo: ActivityFacts = { id: 'd', type: 'DEMO_REQUEST', occurredAt: ago(2) };

  it('flags a perfect fit with open + click + pricing: 100 + 70 = 170', () => {
    const score = scoreLead(model, perfectContact, perfectAccount, [open, click, pricing], NOW);
    expect(score).toMatchObject({ fit: 100, engagement: 70, negative: 0, total: 170 });
    expect(score.tier).toBe('IMMEDIATE_FOLLOW_UP');
    expect(score.override).toBeNull();
  });

  it('does not flag exactly 140 (100 fit + 40 pricing)', () => {
    const score = scoreLead(model, perfectContact, perfectAccount, [pricing], NOW);
    expect(score.total).toBe(140);
    expect(score.tier).toBe('SALES_READY');
  });

  it('sends a poor-fit demo request to the top tier without changing the total', () => {
    const score = scoreLead(model, poorContact, poorAccount, [demo], NOW);
    expect(score).toMatchObject({ fit: 0, engagement: 100, negative: 0, total: 100 });
    expect(score.tier).toBe('IMMEDIATE_FOLLOW_UP');
    expect(score.override).toEqual({
      ruleId: 'eng.demo',
      label: 'Demo request',
      activityAt: ago(2),
    });
    expect(score.quadrant).toBe('LOW_FIT_HIGH_ENGAGEMENT');
    expect(score.action).toBe('REVIEW');
  });

  it('caps engagement at 100 with a CAP reason when open + click + pricing + demo = 170', () => {
    const score = scoreLead(model, poorContact, poorAccount, [demo, pricing, click, open], NOW);
    expect(score.engagement).toBe(100);
    expect(score.total).toBe(100);
    expect(score.reasons).toEqual([
      r('eng.demo', 'Demo request', 'ENGAGEMENT', 100, 1),
      { ...r('engagement.cap', 'Engagement capped at 100', 'ENGAGEMENT', -70, 0), kind: 'CAP' },
      r('eng.pricing', 'Pricing page', 'ENGAGEMENT', 40, 1),
      r('eng.click', 'Link click', 'ENGAGEMENT', 20, 1),
      r('eng.open', 'Email open', 'ENGAGEMENT', 10, 1),
    ]);
  });
});

function r(
  ruleId: string,
  label: string,
  category: 'FIT' | 'ENGAGEMENT' | 'NEGATIVE',
  points: number,
  activityCount: number,
) {
  return { ruleId, label, category, points, activityCount, kind: 'RULE' };
}
