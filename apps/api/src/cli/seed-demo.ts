import 'reflect-metadata';
import { describeStartupError, exitWith, prepareDatabase } from '@quorum/bootstrap';
import { loadConfig, systemClock } from '@quorum/config';
import type { ActivityType } from '@quorum/scoring';
import {
  NO_RESCORE,
  type ActivityInput,
  type BuyingRole,
  type ContactInput,
} from '@quorum/services';
import { createServices } from '../services';

/** Deterministic pseudo-random numbers, so every demo looks the same. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = [
  ['northwind.io', 'Northwind Analytics', 'Software', 850, 'US'],
  ['globex.com', 'Globex', 'Financial Services', 4200, 'US'],
  ['initech.co', 'Initech', 'Software', 320, 'GB'],
  ['hooli.dev', 'Hooli', 'Technology', 2300, 'US'],
  ['stark-logistics.com', 'Stark Logistics', 'Logistics', 640, 'FR'],
  ['acme-saas.com', 'Acme SaaS', 'SaaS', 150, 'CA'],
  ['vandelay.industries', 'Vandelay Industries', 'Manufacturing', 1100, 'US'],
  ['pied-piper.net', 'Pied Piper', 'Software', 45, 'US'],
  ['tyrell.ai', 'Tyrell AI', 'Technology', 700, 'JP'],
  ['cyberdyne.systems', 'Cyberdyne Systems', 'Technology', 5000, 'US'],
  ['wayne-retail.com', 'Wayne Retail', 'Retail', 9000, 'US'],
  ['umbrella.health', 'Umbrella Health', 'Healthcare', 12000, 'DE'],
] as const;
const PEOPLE = [
  ['Chief Revenue Officer', 'C-Level', 'Sales', 'ECONOMIC_BUYER'],
  ['VP Marketing', 'VP', 'Marketing', 'DECISION_MAKER'],
  ['Director of Revenue Operations', 'Director', 'Operations', 'CHAMPION'],
  ['Marketing Operations Manager', 'Manager', 'Marketing', 'USER'],
  ['Senior Data Engineer', 'Individual Contributor', 'Engineering', 'TECHNICAL_EVALUATOR'],
  ['Procurement Lead', 'Manager', 'Procurement', 'LEGAL_PROCUREMENT'],
] as const;
const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Eva',
  'Femi',
  'Gus',
  'Hana',
  'Ivan',
  'Jo',
  'Kai',
  'Lena',
];
const LAST = [
  'Silva',
  'Novak',
  'Okafor',
  'Tanaka',
  'Meyer',
  'Rossi',
  'Dubois',
  'Kim',
  'Patel',
  'Berg',
];
const ACTIVITY_MIX: [ActivityType, Record<string, string>, number][] = [
  ['EMAIL_OPEN', { campaign: 'q4-newsletter', channel: 'email' }, 10],
  ['EMAIL_CLICK', { campaign: 'q4-newsletter', channel: 'email' }, 5],
  ['PAGE_VIEW', { url: '/blog/abm-playbook', channel: 'organic' }, 6],
  ['PAGE_VIEW', { url: '/pricing', channel: 'organic' }, 3],
  ['CONTENT_DOWNLOAD', { campaign: 'scoring-guide', channel: 'paid-social' }, 2],
  ['WEBINAR_ATTENDED', { campaign: 'live-demo-webinar', channel: 'events' }, 1],
  ['DEMO_REQUEST', { url: '/demo', channel: 'organic' }, 0.3],
];

/** Activity per account, hottest first, so the demo spans every tier. */
const ACCOUNT_HEAT = [2.4, 1.9, 1.5, 1.2, 1, 0.7, 0.5, 0.35, 0.2, 0.1, 0.03, 0];
const CONTACTS_PER_ACCOUNT = [6, 6, 5, 5, 4, 3, 1, 1, 1, 1, 1, 1];
/** Where an account's activity falls in the four weeks: rising, steady or cooling. */
const TRENDS = ['rising', 'steady', 'cooling'] as const;
const DAY_MS = 86_400_000;
const WEEKS = 4;

function ageInDays(trend: (typeof TRENDS)[number], r: number): number {
  if (trend === 'rising') return WEEKS * 7 * r * r; // mostly recent
  if (trend === 'cooling') return WEEKS * 7 * (1 - r * r); // mostly weeks ago
  return WEEKS * 7 * r;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataSource = await prepareDatabase(config, { applicationName: 'quorum-seed' }).catch(
    (error) => exitWith(describeStartupError(error, config, 'postgres')),
  );
  // Scores are computed inline below, week by week (the clock steps through the four
  // weeks), so each account has a score history; the demo needs no running worker.
  const now = systemClock.now().getTime();
  let current = new Date(now - WEEKS * 7 * DAY_MS);
  const services = createServices(dataSource, config, { now: () => current }, NO_RESCORE);
  const random = mulberry32(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const { workspace, secret } = await services.workspaces.createWorkspace(
    `Demo ${new Date().toISOString().slice(0, 16)}`,
  );
  const ws = (await services.workspaces.authenticate(secret))!.workspaceId;

  const { accounts } = await services.accounts.upsertAccounts(
    ws,
    COMPANIES.map(([domain, name, industry, employeeCount, country], i) => ({
      domain,
      name,
      industry,
      employeeCount,
      country,
      annualRevenue: employeeCount * 180_000,
      ownerId: `rep-${(i % 3) + 1}`,
      technologies: i % 2 ? ['Salesforce', 'Snowflake'] : ['HubSpot'],
    })),
  );
  const contactInputs: (ContactInput & { role: BuyingRole; domain: string })[] = [];
  accounts.forEach((account, i) => {
    // Smaller, more junior committees at the colder accounts.
    const size = CONTACTS_PER_ACCOUNT[i]!;
    const firstPerson = i >= 10 ? 4 : i >= 6 ? 3 : 0;
    for (let j = 0; j < size; j += 1) {
      const [title, seniority, department, role] = PEOPLE[(firstPerson + j) % PEOPLE.length]!;
      const first = pick(FIRST);
      const last = pick(LAST);
      contactInputs.push({
        email: `${first}.${last}.${j}@${account.domain}`.toLowerCase(),
        firstName: first,
        lastName: last,
        title,
        seniority,
        department,
        country: account.country,
        role,
        domain: account.domain,
      });
    }
  });
  contactInputs.push({
    email: 'student.visitor@gmail.com',
    title: 'Student',
    role: 'USER',
    domain: '',
  });
  const { contacts } = await services.contacts.upsertContacts(
    ws,
    contactInputs.map(({ role: _r, domain: _d, ...c }) => c),
  );

  for (const account of accounts) {
    const group = await services.buyingGroups.createBuyingGroup(ws, {
      accountId: account.id,
      name: 'Revenue platform',
      requiredRoles: ['DECISION_MAKER', 'ECONOMIC_BUYER', 'CHAMPION', 'TECHNICAL_EVALUATOR'],
    });
    for (const [i, contact] of contacts.entries()) {
      if (contact.accountId === account.id && i % 5 !== 4) {
        await services.buyingGroups.setMember(ws, {
          buyingGroupId: group.id,
          contactId: contact.id,
          role: contactInputs[i]!.role,
        });
      }
    }
  }

  const activities: ActivityInput[] = [];
  contacts.forEach((contact, i) => {
    const a = accounts.findIndex((account) => account.id === contact.accountId);
    const heat = (a < 0 ? 0.3 : ACCOUNT_HEAT[a]!) * (i % 7 === 0 ? 2 : 1);
    const trend = TRENDS[Math.max(a, 0) % TRENDS.length]!;
    for (const [type, properties, rate] of ACTIVITY_MIX) {
      const count = Math.round(rate * heat * random() * 2);
      for (let k = 0; k < count; k += 1) {
        const ageMs = ageInDays(trend, random()) * DAY_MS;
        activities.push({
          type,
          properties,
          email: contact.email,
          occurredAt: new Date(now - ageMs),
          externalId: `demo-${i}-${type}-${k}-${activities.length}`,
        });
      }
    }
  });
  activities.push({
    type: 'INTENT_SURGE',
    accountDomain: 'globex.com',
    occurredAt: new Date(now - DAY_MS),
    externalId: 'demo-intent-globex',
    properties: { topic: 'lead scoring' },
  });
  let scored = { contacts: 0, accounts: 0 };
  for (let week = WEEKS - 1; week >= 0; week -= 1) {
    const from = week === WEEKS - 1 ? -Infinity : now - (week + 1) * 7 * DAY_MS;
    current = new Date(now - week * 7 * DAY_MS);
    const due = activities.filter((x) => {
      const at = new Date(x.occurredAt).getTime();
      return at > from && at <= current.getTime();
    });
    for (let i = 0; i < due.length; i += 1000) {
      await services.activities.recordActivities(ws, due.slice(i, i + 1000));
    }
    scored = await services.pipeline.rescoreWorkspace(ws, 'DEMO_SEED');
  }
  await dataSource.destroy();
  console.log(`Demo workspace "${workspace.name}" (${workspace.id}) seeded:`);
  console.log(
    `  ${accounts.length} accounts, ${contacts.length} contacts, ${accounts.length} buying groups, ${activities.length} activities; scored ${scored.contacts} contacts and ${scored.accounts} accounts`,
  );
  console.log(`API key (shown once): ${secret}`);
  console.log(
    `Try: curl -s localhost:${config.port}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${secret}' -d '{"query":"{ contacts(orderBy: SCORE_DESC, first: 5) { edges { node { email score { total tier } } } } }"}'`,
  );
}

void main();
