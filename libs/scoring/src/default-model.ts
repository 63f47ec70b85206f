/** A sensible starting model for B2B software; every number is meant to be tuned. */
import type {
  AccountModelSection,
  ActivityType,
  EngagementRule,
  ScoringModelDefinition,
} from './model-definition';

const TARGET_INDUSTRIES = [
  'Software',
  'SaaS',
  'Technology',
  'Information Technology',
  'Internet',
  'Financial Services',
  'Fintech',
];

const TARGET_COUNTRIES = [
  'US',
  'United States',
  'CA',
  'Canada',
  'GB',
  'United Kingdom',
  'IE',
  'Ireland',
  'DE',
  'Germany',
  'FR',
  'France',
  'NL',
  'Netherlands',
  'AU',
  'Australia',
];

const PERSONAL_EMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'aol.com',
  'icloud.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
];

/** Tools whose users tend to buy: placeholders, like the competitors below. */
const TARGET_TECHNOLOGIES = ['Salesforce', 'HubSpot', 'Marketo', 'Snowflake', 'Segment'];

/** Placeholders: replace with the workspace's real competitors. */
const COMPETITOR_DOMAINS = ['competitor.example', 'rival-scoring.example'];

/** A fresh, normalised copy on every call (it passes `validateModelDefinition` unchanged). */
export function defaultModelDefinition(): ScoringModelDefinition {
  return {
    fit: {
      max: 100,
      rules: [
        {
          id: 'fit.seniority.c-level',
          label: 'C-level',
          field: 'contact.seniority',
          op: 'IN',
          value: ['C-Level', 'C-Suite', 'CXO', 'Executive', 'Founder', 'Owner'],
          points: 25,
        },
        {
          id: 'fit.seniority.vp',
          label: 'VP',
          field: 'contact.seniority',
          op: 'IN',
          value: ['VP', 'Vice President'],
          points: 20,
        },
        {
          id: 'fit.seniority.director',
          label: 'Director',
          field: 'contact.seniority',
          op: 'IN',
          value: ['Director', 'Head'],
          points: 15,
        },
        {
          id: 'fit.seniority.manager',
          label: 'Manager',
          field: 'contact.seniority',
          op: 'EQ',
          value: 'Manager',
          points: 8,
        },
        {
          id: 'fit.industry.target',
          label: 'Target industry',
          field: 'account.industry',
          op: 'IN',
          value: [...TARGET_INDUSTRIES],
          points: 20,
        },
        {
          id: 'fit.size.ideal',
          label: 'Ideal company size (200–4,999)',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [200, 4999],
          points: 25,
        },
        {
          id: 'fit.size.small',
          label: 'Small company (50–199)',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [50, 199],
          points: 10,
        },
        {
          id: 'fit.size.enterprise',
          label: 'Enterprise (5,000+)',
          field: 'account.employeeCount',
          op: 'GTE',
          value: 5000,
          points: 15,
        },
        {
          id: 'fit.geo.account',
          label: 'Account in a target country',
          field: 'account.country',
          op: 'IN',
          value: [...TARGET_COUNTRIES],
          points: 10,
        },
        {
          id: 'fit.geo.contact',
          label: 'Contact in a target country',
          field: 'contact.country',
          op: 'IN',
          value: [...TARGET_COUNTRIES],
          points: 5,
        },
      ],
    },
    engagement: {
      max: 100,
      halfLifeDays: 30,
      lookbackDays: 180,
      rules: [
        activity('eng.email-open', 'Opened an email', 'EMAIL_OPEN', 1, 10),
        activity('eng.email-click', 'Clicked an email', 'EMAIL_CLICK', 3, 10),
        activity('eng.content-download', 'Downloaded content', 'CONTENT_DOWNLOAD', 8, 5),
        activity('eng.form-submit', 'Submitted a form', 'FORM_SUBMIT', 10, 3),
        activity('eng.webinar', 'Attended a webinar', 'WEBINAR_ATTENDED', 12, 3),
        {
          ...activity('eng.pricing-page', 'Visited the pricing page', 'PAGE_VIEW', 15, 3),
          where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
        },
        activity('eng.meeting', 'Took a meeting', 'MEETING', 20, 2),
        activity('eng.trial-signup', 'Signed up for a trial', 'TRIAL_SIGNUP', 25, 1),
        {
          ...activity('eng.demo-request', 'Requested a demo', 'DEMO_REQUEST', 30, 1),
          overridesToTopTier: true,
          overrideDays: 14,
        },
      ],
    },
    negative: {
      rules: [
        { kind: 'ACTIVITY', ...activity('neg.unsubscribed', 'Unsubscribed', 'UNSUBSCRIBE', 50, 1) },
        {
          kind: 'ATTRIBUTE',
          id: 'neg.competitor',
          label: 'Competitor email domain',
          field: 'contact.emailDomain',
          op: 'IN',
          value: [...COMPETITOR_DOMAINS],
          points: 100,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'neg.student',
          label: 'Student or intern',
          field: 'contact.title',
          op: 'MATCHES',
          value: '\\bstudent\\b|\\bintern\\b',
          points: 40,
        },
        {
          kind: 'ATTRIBUTE',
          id: 'neg.personal-email',
          label: 'Personal email domain',
          field: 'contact.emailDomain',
          op: 'IN',
          value: [...PERSONAL_EMAIL_DOMAINS],
          points: 20,
        },
        {
          kind: 'INACTIVITY',
          id: 'neg.inactive-90d',
          label: 'No activity for 90 days',
          inactiveDays: 90,
          points: 10,
        },
      ],
    },
    // Set by share, so a fresh workspace's tiers separate from day one: the top 10% (with fit
    // and engagement enough to route now) are SALES_READY, the next 30% NURTURE. The minimums
    // apply until enough contacts are scored to place the shares.
    tiers: [
      { name: 'SALES_READY', min: 60, topShare: 0.1, minFit: 50, minEngagement: 25 },
      { name: 'NURTURE', min: 30, topShare: 0.4 },
      { name: 'LOW', min: 0 },
    ],
    grades: [
      { grade: 'A', minFit: 75 },
      { grade: 'B', minFit: 50 },
      { grade: 'C', minFit: 25 },
      { grade: 'D', minFit: 0 },
    ],
    quadrant: { fitThreshold: 50, engagementThreshold: 25 },
    // Fit alone never makes a lead qualified: MQL and SQL need engagement too.
    lifecycle: { mql: 60, sql: 90, dormantDays: 30, minEngagement: 25 },
    account: defaultAccountSection(),
  };
}

/**
 * The account section of the default model, and the section validation fills in for models stored
 * before account scoring existed. A fresh, normalised copy on every call.
 */
export function defaultAccountSection(): AccountModelSection {
  return {
    fit: {
      max: 40,
      rules: [
        {
          id: 'acct.fit.industry',
          label: 'Target industry',
          field: 'account.industry',
          op: 'IN',
          value: [...TARGET_INDUSTRIES],
          points: 15,
        },
        {
          id: 'acct.fit.size.ideal',
          label: 'Ideal company size (200–4,999)',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [200, 4999],
          points: 15,
        },
        {
          id: 'acct.fit.size.enterprise',
          label: 'Enterprise (5,000+)',
          field: 'account.employeeCount',
          op: 'GTE',
          value: 5000,
          points: 10,
        },
        {
          id: 'acct.fit.size.small',
          label: 'Small company (50–199)',
          field: 'account.employeeCount',
          op: 'BETWEEN',
          value: [50, 199],
          points: 5,
        },
        {
          id: 'acct.fit.geo',
          label: 'Target country',
          field: 'account.country',
          op: 'IN',
          value: [...TARGET_COUNTRIES],
          points: 5,
        },
        {
          id: 'acct.fit.technology',
          label: 'Uses a complementary technology',
          field: 'account.technologies',
          op: 'IN',
          value: [...TARGET_TECHNOLOGIES],
          points: 5,
        },
      ],
    },
    rollup: { topN: 5, factor: 0.5, max: 100 },
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
      rules: [activity('acct.intent.surge', 'Intent surge', 'INTENT_SURGE', 15, 5)],
    },
    tiers: [
      { name: 'HOT', min: 120, topShare: 0.1 },
      { name: 'WARM', min: 60, topShare: 0.4 },
      { name: 'COLD', min: 0 },
    ],
    quadrant: { fitThreshold: 25, engagementThreshold: 50 },
  };
}

/** An engagement-style rule with every optional field filled, as validation normalises it. */
function activity(
  id: string,
  label: string,
  activityType: ActivityType,
  points: number,
  maxCount: number,
): EngagementRule {
  return {
    id,
    label,
    activityType,
    where: [],
    points,
    maxCount,
    overridesToTopTier: false,
    overrideDays: null,
  };
}
