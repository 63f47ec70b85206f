/**
 * A synthetic CRM export with a known generating model, for tests and benchmarks: accounts with
 * firmographics and custom attributes, contacts with roles and custom attributes, activities
 * with channel, campaign and url properties, and whether each contact converted after `AS_OF`.
 *
 * Conversion log-odds (the truth every model is judged against):
 *   −3.2 + 1.0·[C-Level or VP] + 0.5·[Director] − 0.8·[department Other]
 *   + 0.6·[industry Software or Fintech] + 0.4·[200 ≤ employees < 5,000] + 0.7·[plan enterprise]
 *   + 0.5·[lead source referral] + 0.9·log(1 + pricing views, decayed 30 d)
 *   + 1.2·[demo request in the last 30 days] + 0.4·log(1 + email clicks, decayed 30 d)
 *   + 0.4·[any activity from the paid channel]
 */
import { createRng, normal, type Rng } from '@quorum/predictive';

export const AS_OF = new Date('2026-09-01T00:00:00.000Z');
const DAY = 86_400_000;

export interface CrmAccount {
  domain: string;
  name: string;
  industry: string;
  employeeCount: number;
  country: string;
  technologies: string[];
  attributes: { plan: string; arr: number };
}

export interface CrmActivity {
  type: string;
  occurredAt: Date;
  properties: Record<string, string>;
}

export interface CrmContact {
  email: string;
  accountDomain: string;
  seniority: string;
  department: string;
  country: string;
  attributes: { leadSource: string; newsletter: string };
  activities: CrmActivity[];
  /** Probability of converting under the generating model. */
  probability: number;
  converts: boolean;
  /** When it converted (after AS_OF), if it did. */
  convertedAt: Date | null;
}

export interface CrmExport {
  accounts: CrmAccount[];
  contacts: CrmContact[];
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

export function syntheticCrm(contacts: number, seed: number): CrmExport {
  const rng = createRng(seed);
  const accounts: CrmAccount[] = Array.from(
    { length: Math.max(1, Math.ceil(contacts / 5)) },
    (_, i) => ({
      domain: `acct${seed}-${i}.example`,
      name: `Account ${i}`,
      industry: pick(rng, ['Software', 'Fintech', 'Retail', 'Health', 'Manufacturing']),
      employeeCount: Math.round(Math.exp(3 + 2.2 * Math.abs(normal(rng)) + 1.5 * rng())),
      country: pick(rng, ['US', 'DE', 'GB', 'BR', 'IN']),
      technologies: ['Salesforce', 'HubSpot', 'Snowflake', 'Segment'].filter(() => rng() < 0.35),
      attributes: {
        plan: pick(rng, ['free', 'free', 'team', 'enterprise']),
        arr: Math.round(rng() * 200_000),
      },
    }),
  );
  const out: CrmContact[] = [];
  for (let i = 0; i < contacts; i++) {
    // A few accounts have many contacts, most have one or two (as in a real CRM).
    const account = accounts[Math.floor(accounts.length * rng() ** 2)]!;
    const seniority = pick(rng, ['C-Level', 'VP', 'Director', 'Manager', 'Manager', 'IC', 'IC']);
    const department = pick(rng, ['Sales', 'Marketing', 'Engineering', 'Finance', 'Other']);
    const leadSource = pick(rng, ['webinar', 'paid', 'organic', 'organic', 'referral']);
    const propensity = Math.exp(0.8 * normal(rng));
    const activities: CrmActivity[] = [];
    const count = Math.floor(rng() * 14 * propensity);
    for (let k = 0; k < count; k++) {
      const type = pick(rng, [
        'EMAIL_OPEN',
        'EMAIL_OPEN',
        'EMAIL_CLICK',
        'PAGE_VIEW',
        'PAGE_VIEW',
        'CONTENT_DOWNLOAD',
        'WEBINAR_ATTENDED',
        'FORM_SUBMIT',
        rng() < 0.3 ? 'DEMO_REQUEST' : 'PAGE_VIEW',
      ]);
      const properties: Record<string, string> = {
        channel: pick(rng, ['email', 'organic', 'paid', 'social']),
        campaign: pick(rng, ['spring-launch', 'webinar-series', 'retargeting', 'newsletter']),
      };
      if (type === 'PAGE_VIEW')
        properties['url'] = pick(rng, ['/pricing', '/docs/start', '/blog/post', '/pricing/teams']);
      activities.push({
        type,
        occurredAt: new Date(AS_OF.getTime() - (0.5 + rng() * 120) * DAY),
        properties,
      });
    }
    const decayed = (test: (a: CrmActivity) => boolean) =>
      activities
        .filter(test)
        .reduce((s, a) => s + 2 ** (-(AS_OF.getTime() - a.occurredAt.getTime()) / DAY / 30), 0);
    const recentDemo = activities.some(
      (a) => a.type === 'DEMO_REQUEST' && AS_OF.getTime() - a.occurredAt.getTime() < 30 * DAY,
    );
    const logit =
      -3.2 +
      (seniority === 'C-Level' || seniority === 'VP' ? 1 : 0) +
      (seniority === 'Director' ? 0.5 : 0) -
      (department === 'Other' ? 0.8 : 0) +
      (account.industry === 'Software' || account.industry === 'Fintech' ? 0.6 : 0) +
      (account.employeeCount >= 200 && account.employeeCount < 5000 ? 0.4 : 0) +
      (account.attributes.plan === 'enterprise' ? 0.7 : 0) +
      (leadSource === 'referral' ? 0.5 : 0) +
      0.9 *
        Math.log1p(
          decayed((a) => a.type === 'PAGE_VIEW' && a.properties['url']!.startsWith('/pricing')),
        ) +
      (recentDemo ? 1.2 : 0) +
      0.4 * Math.log1p(decayed((a) => a.type === 'EMAIL_CLICK')) +
      (activities.some((a) => a.properties['channel'] === 'paid') ? 0.4 : 0);
    const probability = 1 / (1 + Math.exp(-logit));
    const converts = rng() < probability;
    out.push({
      email: `person${i}@${account.domain}`,
      accountDomain: account.domain,
      seniority,
      department,
      country: account.country,
      attributes: { leadSource, newsletter: rng() < 0.4 ? 'yes' : 'no' },
      activities,
      probability,
      converts,
      convertedAt: converts ? new Date(AS_OF.getTime() + (1 + rng() * 50) * DAY) : null,
    });
  }
  return { accounts, contacts: out };
}
