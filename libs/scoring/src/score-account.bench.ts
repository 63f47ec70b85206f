import { expect, test } from 'vitest';
import type { AccountScore } from './account-score';
import { compileModel } from './compile-model';
import { defaultModelDefinition } from './default-model';
import type {
  AccountBuyingGroupInput,
  AccountContactInput,
  AccountFacts,
  ActivityFacts,
} from './facts';
import { BUYING_ROLES } from './model-definition';
import { scoreAccount } from './score-account';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T00:00:00.000Z');
const DURATION_MS = 2_000;

/** 50 contacts with spread totals, engagement and last activity, from a fixed sequence. */
function benchContacts(): AccountContactInput[] {
  return Array.from({ length: 50 }, (_, i) => ({
    contactId: `contact-${String(i).padStart(2, '0')}`,
    total: ((i * 37) % 180) - 20 + (i % 7) / 100,
    engagement: (i * 13) % 90,
    lastActivityAt: i % 9 === 0 ? null : new Date(NOW.getTime() - ((i * 11) % 60) * DAY),
  }));
}

/** 3 buying groups of 8 members each, with 4–5 required roles. */
function benchGroups(): AccountBuyingGroupInput[] {
  return ['Platform', 'Analytics', 'Security'].map((name, g) => ({
    id: `group-${g}`,
    name,
    requiredRoles: BUYING_ROLES.filter((_, r) => (r + g) % 2 === 0 || r === 0),
    members: Array.from({ length: 8 }, (_, m) => ({
      contactId: `contact-${String((g * 17 + m * 5) % 52).padStart(2, '0')}`, // a few not in contacts
      role: BUYING_ROLES[(m + g) % BUYING_ROLES.length]!,
    })),
  }));
}

/** 20 account-level intent surges over the last 100 days. */
function benchAccountActivities(): ActivityFacts[] {
  return Array.from({ length: 20 }, (_, i) => ({
    id: `intent-${i}`,
    type: 'INTENT_SURGE' as const,
    occurredAt: new Date(NOW.getTime() - ((i * 23) % 100) * DAY - i * 60_000),
    properties: { topic: ['data warehouse', 'elt', 'crm'][i % 3] },
  }));
}

/** 500 contact activity times over the last 60 days. */
function benchActivityTimes(): Date[] {
  return Array.from(
    { length: 500 },
    (_, i) => new Date(NOW.getTime() - ((i * 29) % 60) * DAY - (i % 24) * 3_600_000),
  );
}

test('scoreAccount throughput', () => {
  const model = defaultModelDefinition();
  const account: AccountFacts = {
    domain: 'globex.example',
    industry: 'SaaS',
    employeeCount: 1200,
    annualRevenue: 8e7,
    country: 'US',
    technologies: ['Snowflake', 'HubSpot'],
  };
  const contacts = benchContacts();
  const groups = benchGroups();
  const accountActivities = benchAccountActivities();
  const times = benchActivityTimes();
  compileModel(model);

  let score: AccountScore | undefined;
  const run = () => scoreAccount(model, account, contacts, groups, accountActivities, times, NOW);
  for (let i = 0; i < 2_000; i++) score = run();

  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 100; i++) score = run();
    iterations += 100;
    elapsed = performance.now() - start;
  }
  const perSecond = Math.round((iterations * 1000) / elapsed);
  const micros = ((elapsed * 1000) / iterations).toFixed(1);
  console.log(
    `scoreAccount: ${contacts.length} contacts, ${groups.length} groups, ${times.length} activity times, ${accountActivities.length} account activities: ${perSecond} accounts/s, ${micros} µs/account`,
  );

  expect(contacts).toHaveLength(50);
  expect(times).toHaveLength(500);
  expect(score?.reasons.length).toBeGreaterThan(0);
  expect(score?.buyingGroups).toHaveLength(3);
  expect(Number.isFinite(score?.total)).toBe(true);
});
