import { expect, test } from 'vitest';
import { defaultAccountSection } from './default-model';
import { compileModel } from './compile-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import type { LeadScore } from './lead-score';
import type { ActivityType, ScoringModelDefinition } from './model-definition';
import { scoreLead } from './score-lead';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T00:00:00.000Z');
const DURATION_MS = 2_000;

/** 10 fit + 14 engagement + 6 negative rules. */
function benchModel(): ScoringModelDefinition {
  return {
    fit: {
      max: 100,
      rules: [
        {
          id: 'f.clevel',
          label: 'C-level',
          field: 'contact.title',
          op: 'MATCHES',
          value: '\\b(chief|c[teofm]o)\\b',
          points: 25,
        },
        {
          id: 'f.vp',
          label: 'VP',
          field: 'contact.title',
          op: 'MATCHES',
          value: '\\bvp\\b|vice president',
          points: 20,
        },
        {
          id: 'f.seniority',
          label: 'Seniority',
          field: 'contact.seniority',
          op: 'IN',
          value: ['Director', 'VP', 'C-Level'],
          points: 10,
        },
        {
          id: 'f.dept',
          label: 'Department',
          field: 'contact.department',
          op: 'IN',
          value: ['Engineering', 'IT', 'Data'],
          points: 5,
        },
        {
          id: 'f.industry',
          label: 'Industry',
          field: 'account.industry',
          op: 'IN',
          value: ['Software', 'SaaS', 'Fintech'],
          points: 20,
        },
        {
          id: 'f.size',
          label: 'Size',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [200, 5000],
          points: 20,
        },
        {
          id: 'f.revenue',
          label: 'Revenue',
          field: 'account.annualRevenue',
          op: 'GTE',
          value: 1e7,
          points: 10,
        },
        {
          id: 'f.geo',
          label: 'Geo',
          field: 'account.country',
          op: 'IN',
          value: ['US', 'CA', 'GB', 'DE'],
          points: 10,
        },
        {
          id: 'f.stack',
          label: 'Uses Snowflake',
          field: 'account.technologies',
          op: 'CONTAINS',
          value: 'snowflake',
          points: 5,
        },
        {
          id: 'f.plan',
          label: 'Paid plan',
          field: 'account.attributes.plan',
          op: 'NEQ',
          value: 'free',
          points: 5,
        },
      ],
    },
    engagement: {
      max: 100,
      halfLifeDays: 30,
      lookbackDays: 180,
      rules: [
        { id: 'e.open', label: 'Open', activityType: 'EMAIL_OPEN', points: 1, maxCount: 10 },
        {
          id: 'e.open.nl',
          label: 'Newsletter open',
          activityType: 'EMAIL_OPEN',
          where: [{ property: 'campaign', op: 'MATCHES', value: '^newsletter-\\d{4}' }],
          points: 0.5,
          maxCount: 5,
        },
        { id: 'e.click', label: 'Click', activityType: 'EMAIL_CLICK', points: 3, maxCount: 10 },
        {
          id: 'e.click.product',
          label: 'Product click',
          activityType: 'EMAIL_CLICK',
          where: [{ property: 'url', op: 'CONTAINS', value: '/product' }],
          points: 4,
          maxCount: 5,
        },
        {
          id: 'e.pricing',
          label: 'Pricing',
          activityType: 'PAGE_VIEW',
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
          points: 15,
          maxCount: 3,
        },
        {
          id: 'e.docs',
          label: 'Docs',
          activityType: 'PAGE_VIEW',
          where: [{ property: 'url', op: 'MATCHES', value: '/docs/(api|integrations)' }],
          points: 5,
          maxCount: 5,
        },
        {
          id: 'e.case',
          label: 'Case study',
          activityType: 'PAGE_VIEW',
          where: [
            { property: 'url', op: 'CONTAINS', value: '/customers/' },
            { property: 'channel', op: 'IN', value: ['organic', 'paid'] },
          ],
          points: 4,
          maxCount: 5,
        },
        {
          id: 'e.download',
          label: 'Download',
          activityType: 'CONTENT_DOWNLOAD',
          points: 8,
          maxCount: 5,
        },
        { id: 'e.form', label: 'Form', activityType: 'FORM_SUBMIT', points: 10, maxCount: 3 },
        {
          id: 'e.webinar',
          label: 'Webinar',
          activityType: 'WEBINAR_ATTENDED',
          points: 12,
          maxCount: 3,
        },
        { id: 'e.trial', label: 'Trial', activityType: 'TRIAL_SIGNUP', points: 25, maxCount: 1 },
        {
          id: 'e.usage',
          label: 'Usage',
          activityType: 'PRODUCT_USAGE',
          where: [{ property: 'feature', op: 'NOT_IN', value: ['login'] }],
          points: 2,
          maxCount: 20,
          halfLifeDays: 7,
        },
        {
          id: 'e.meeting',
          label: 'Meeting',
          activityType: 'MEETING',
          points: 20,
          maxCount: 2,
          halfLifeDays: null,
        },
        {
          id: 'e.demo',
          label: 'Demo',
          activityType: 'DEMO_REQUEST',
          points: 30,
          maxCount: 1,
          overridesToTopTier: true,
          overrideDays: 14,
        },
      ],
    },
    negative: {
      rules: [
        {
          kind: 'ACTIVITY',
          id: 'n.unsub',
          label: 'Unsubscribed',
          activityType: 'UNSUBSCRIBE',
          points: 50,
          maxCount: 1,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'n.student',
          label: 'Student',
          field: 'contact.title',
          op: 'MATCHES',
          value: '\\bstudent\\b|\\bintern\\b',
          points: 40,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'n.personal',
          label: 'Personal email',
          field: 'contact.emailDomain',
          op: 'IN',
          value: ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'],
          points: 20,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'n.competitor',
          label: 'Competitor',
          field: 'contact.emailDomain',
          op: 'IN',
          value: ['rival.example'],
          points: 100,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'n.country',
          label: 'Embargoed',
          field: 'account.country',
          op: 'IN',
          value: ['XX'],
          points: 100,
        },
        { kind: 'INACTIVITY', id: 'n.idle', label: 'Idle', inactiveDays: 90, points: 10 },
      ],
    },
    tiers: [
      { name: 'SALES_READY', min: 60 },
      { name: 'NURTURE', min: 30 },
      { name: 'LOW', min: 0 },
    ],
    grades: [
      { grade: 'A', minFit: 75 },
      { grade: 'B', minFit: 50 },
      { grade: 'C', minFit: 25 },
      { grade: 'D', minFit: 0 },
    ],
    quadrant: { fitThreshold: 50, engagementThreshold: 40 },
    lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
    account: defaultAccountSection(),
  };
}

const TYPES: ActivityType[] = [
  'EMAIL_OPEN',
  'EMAIL_OPEN',
  'EMAIL_OPEN',
  'EMAIL_CLICK',
  'EMAIL_CLICK',
  'PAGE_VIEW',
  'PAGE_VIEW',
  'PAGE_VIEW',
  'PAGE_VIEW',
  'CONTENT_DOWNLOAD',
  'FORM_SUBMIT',
  'WEBINAR_ATTENDED',
  'PRODUCT_USAGE',
  'PRODUCT_USAGE',
  'MEETING',
  'DEMO_REQUEST',
  'INTENT_SURGE',
];
const URLS = [
  '/pricing',
  '/docs/api/auth',
  '/customers/globex',
  '/blog/post',
  '/product/tour',
  '/',
];

/** 200 activities over the last 200 days, from a fixed sequence so runs are comparable. */
function benchActivities(): ActivityFacts[] {
  return Array.from({ length: 200 }, (_, i) => ({
    id: `act-${i}`,
    type: TYPES[(i * 7) % TYPES.length]!,
    occurredAt: new Date(NOW.getTime() - ((i * 37) % 200) * DAY - i * 60_000),
    properties: {
      url: `https://globex.example${URLS[(i * 5) % URLS.length]}`,
      campaign: i % 3 === 0 ? `newsletter-2025-${i}` : `nurture-${i}`,
      channel: ['organic', 'paid', 'email'][i % 3],
      feature: i % 4 === 0 ? 'login' : 'reports',
    },
  }));
}

test('scoreLead throughput', () => {
  const model = benchModel();
  const contact: ContactFacts = {
    email: 'ava@globex.example',
    title: 'VP of Data Engineering',
    seniority: 'VP',
    department: 'Data',
    country: 'US',
  };
  const account: AccountFacts = {
    industry: 'SaaS',
    employeeCount: 1200,
    annualRevenue: 8e7,
    country: 'US',
    technologies: ['Snowflake', 'dbt'],
    attributes: { plan: 'enterprise' },
  };
  const activities = benchActivities();
  const ruleCount =
    model.fit.rules.length + model.engagement.rules.length + model.negative.rules.length;

  const compileStart = performance.now();
  const compileRounds = 200;
  for (let i = 0; i < compileRounds; i++) compileModel(structuredClone(model));
  const compileMicros = ((performance.now() - compileStart) * 1000) / compileRounds;

  let score: LeadScore | undefined;
  for (let i = 0; i < 2_000; i++) score = scoreLead(model, contact, account, activities, NOW);

  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 100; i++) score = scoreLead(model, contact, account, activities, NOW);
    iterations += 100;
    elapsed = performance.now() - start;
  }
  const perSecond = Math.round((iterations * 1000) / elapsed);
  const micros = ((elapsed * 1000) / iterations).toFixed(1);
  console.log(
    `scoreLead: ${ruleCount} rules, ${activities.length} activities: ${perSecond} contacts/s, ${micros} µs/contact`,
  );
  console.log(
    `compileModel (validate + compile, once per model object): ${compileMicros.toFixed(1)} µs/model`,
  );

  expect(ruleCount).toBe(30);
  expect(score?.reasons.length).toBeGreaterThan(0);
  expect(Number.isFinite(score?.total)).toBe(true);
});
