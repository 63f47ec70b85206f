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
  ['umbrella.health', 'Umbrella Health', 'Healthcare', 12000, 'DE'],
  ['hooli.dev', 'Hooli', 'Technology', 2300, 'US'],
  ['stark-logistics.com', 'Stark Logistics', 'Logistics', 640, 'FR'],
  ['wayne-retail.com', 'Wayne Retail', 'Retail', 9000, 'US'],
  ['acme-saas.com', 'Acme SaaS', 'SaaS', 150, 'CA'],
  ['vandelay.industries', 'Vandelay Industries', 'Manufacturing', 1100, 'US'],
  ['pied-piper.net', 'Pied Piper', 'Software', 45, 'US'],
  ['tyrell.ai', 'Tyrell AI', 'Technology', 700, 'JP'],
  ['cyberdyne.systems', 'Cyberdyne Systems', 'Technology', 5000, 'US'],
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

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataSource = await prepareDatabase(config, { applicationName: 'quorum-seed' }).catch(
    (error) => exitWith(describeStartupError(error, config, 'postgres')),
  );
  // Scores are computed inline below, so the demo needs no running worker.
  const services = createServices(dataSource, config, systemClock, NO_RESCORE);
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
    const size = 3 + (i % 4);
    for (let j = 0; j < size; j += 1) {
      const [title, seniority, department, role] = PEOPLE[j % PEOPLE.length]!;
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

  const now = Date.now();
  const activities: ActivityInput[] = [];
  contacts.forEach((contact, i) => {
    const heat = i % 7 === 0 ? 3 : i % 3 === 0 ? 1.5 : 0.6;
    for (const [type, properties, rate] of ACTIVITY_MIX) {
      const count = Math.round(rate * heat * random() * 2);
      for (let k = 0; k < count; k += 1) {
        const ageMs = random() * 28 * 86_400_000;
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
    occurredAt: new Date(now - 86_400_000),
    externalId: 'demo-intent-globex',
    properties: { topic: 'lead scoring' },
  });
  for (let i = 0; i < activities.length; i += 1000) {
    await services.activities.recordActivities(ws, activities.slice(i, i + 1000));
  }
  const scored = await services.pipeline.rescoreWorkspace(ws, 'DEMO_SEED');
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
