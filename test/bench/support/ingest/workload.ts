/**
 * The ingest bench's workload: seed accounts and contacts, and batches of activities with a
 * realistic mix of types, generated from a fixed seed so runs are comparable. Only
 * `occurredAt` depends on the clock: it is stamped when a batch is sent ("just happened").
 */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SeedAccount {
  domain: string;
  name: string;
  industry: string;
  employeeCount: number;
  annualRevenue: number;
  country: string;
  technologies: string[];
  attributes: Record<string, unknown>;
}

export interface SeedContact {
  email: string;
  firstName: string;
  lastName: string;
  title: string;
  seniority: string;
  department: string;
  country: string;
}

const INDUSTRIES = ['Software', 'SaaS', 'Fintech', 'Healthcare', 'Manufacturing', 'Retail'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'CA', 'FR', 'NL'];
const STACKS = [['snowflake', 'dbt'], ['salesforce', 'hubspot'], ['aws', 'kubernetes'], []];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const TITLES: [string, string, string][] = [
  ['CEO', 'C-Level', 'Executive'],
  ['VP Engineering', 'VP', 'Engineering'],
  ['Head of Data', 'Director', 'Data'],
  ['Director of IT', 'Director', 'IT'],
  ['Engineering Manager', 'Manager', 'Engineering'],
  ['Senior Engineer', 'Individual Contributor', 'Engineering'],
  ['Procurement Manager', 'Manager', 'Procurement'],
  ['Marketing Manager', 'Manager', 'Marketing'],
  ['Data Analyst', 'Individual Contributor', 'Data'],
  ['Intern', 'Entry', 'Engineering'],
];
const FIRST = ['Ava', 'Ben', 'Chloe', 'Dan', 'Eva', 'Finn', 'Grace', 'Hugo', 'Iris', 'Jack'];
const LAST = ['Smith', 'Jones', 'Brown', 'Garcia', 'Miller', 'Davis', 'Lopez', 'Wilson'];

export function accountDomain(runTag: string, n: number): string {
  return `acct-${n}.${runTag}.bench.example`;
}

export function seedAccounts(runTag: string, count: number, seed = 1): SeedAccount[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, n) => {
    const employees = Math.round(10 * Math.pow(1000, rand()));
    return {
      domain: accountDomain(runTag, n),
      name: `Bench account ${n}`,
      industry: INDUSTRIES[Math.floor(rand() * INDUSTRIES.length)]!,
      employeeCount: employees,
      annualRevenue: Math.round(employees * (40_000 + rand() * 160_000)),
      country: COUNTRIES[Math.floor(rand() * COUNTRIES.length)]!,
      technologies: STACKS[Math.floor(rand() * STACKS.length)]!,
      attributes: { plan: PLANS[Math.floor(rand() * PLANS.length)]! },
    };
  });
}

/** Contact c belongs to account c % accounts, so every account has about the same number. */
export function seedContacts(runTag: string, count: number, accounts: number): SeedContact[] {
  return Array.from({ length: count }, (_, c) => {
    const n = c % accounts;
    const j = Math.floor(c / accounts);
    const [title, seniority, department] = TITLES[j % TITLES.length]!;
    return {
      email: `p${j}.${n}@${accountDomain(runTag, n)}`,
      firstName: FIRST[c % FIRST.length]!,
      lastName: LAST[Math.floor(c / FIRST.length) % LAST.length]!,
      title,
      seniority,
      department,
      country: 'US',
    };
  });
}

/** Share of each type, in per-mille. INTENT_SURGE is account-level (accountDomain). */
export const ACTIVITY_MIX: [string, number][] = [
  ['EMAIL_OPEN', 300],
  ['PAGE_VIEW', 330],
  ['EMAIL_CLICK', 120],
  ['PRODUCT_USAGE', 120],
  ['CONTENT_DOWNLOAD', 40],
  ['FORM_SUBMIT', 20],
  ['WEBINAR_ATTENDED', 20],
  ['INTENT_SURGE', 20],
  ['MEETING', 10],
  ['DEMO_REQUEST', 8],
  ['TRIAL_SIGNUP', 8],
  ['UNSUBSCRIBE', 4],
];
const URLS = [
  '/pricing',
  '/docs/api/auth',
  '/docs/integrations/salesforce',
  '/customers/globex',
  '/blog/scoring-101',
  '/product/tour',
  '/',
];
const CAMPAIGNS = ['newsletter-2026-05', 'nurture-3', 'launch-q2', 'webinar-invite'];
const CHANNELS = ['organic', 'paid', 'email', 'social'];
const FEATURES = ['login', 'reports', 'dashboards', 'api', 'exports'];
const TOPICS = ['lead scoring', 'abm', 'intent data', 'revops'];

/** One planned activity: its type, who did it (contact index, or account index) and properties. */
export interface PlannedActivity {
  type: string;
  contact: number;
  /** Only for account-level activity (contact = -1). */
  account: number;
  properties: Record<string, unknown>;
}

export interface PlannedBatch {
  index: number;
  activities: PlannedActivity[];
  /** Distinct contact indexes and account indexes the batch touches. */
  contacts: number[];
  accounts: number[];
}

function pickType(r: number): string {
  let acc = 0;
  for (const [type, perMille] of ACTIVITY_MIX) {
    acc += perMille;
    if (r * 1000 < acc) return type;
  }
  return ACTIVITY_MIX[0]![0];
}

function propertiesFor(type: string, rand: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  switch (type) {
    case 'PAGE_VIEW':
      return { url: `https://www.quorum.example${pick(URLS)}`, channel: pick(CHANNELS) };
    case 'EMAIL_OPEN':
      return { campaign: pick(CAMPAIGNS) };
    case 'EMAIL_CLICK':
      return {
        campaign: pick(CAMPAIGNS),
        url: `https://www.quorum.example${pick(URLS)}`,
      };
    case 'PRODUCT_USAGE':
      return { feature: pick(FEATURES), sessionSeconds: Math.round(rand() * 1800) };
    case 'CONTENT_DOWNLOAD':
      return { asset: `whitepaper-${Math.floor(rand() * 12)}.pdf` };
    case 'INTENT_SURGE':
      return { topic: pick(TOPICS), strength: Math.round(rand() * 100) };
    case 'WEBINAR_ATTENDED':
      return { webinar: `wb-${Math.floor(rand() * 6)}`, minutes: Math.round(rand() * 60) };
    default:
      return {};
  }
}

/**
 * `total` activities in batches of `batchSize`. Contacts are picked with a mild skew
 * (index = floor(n·u²): the most active tenth of the contacts does about a third of the
 * activity), as real engagement is uneven.
 */
export function planBatches(options: {
  total: number;
  batchSize: number;
  contacts: number;
  accounts: number;
  seed?: number;
}): PlannedBatch[] {
  const rand = prng(options.seed ?? 42);
  const batches: PlannedBatch[] = [];
  for (let start = 0, index = 0; start < options.total; start += options.batchSize, index++) {
    const size = Math.min(options.batchSize, options.total - start);
    const activities: PlannedActivity[] = [];
    const contacts = new Set<number>();
    const accounts = new Set<number>();
    for (let i = 0; i < size; i++) {
      const type = pickType(rand());
      const properties = propertiesFor(type, rand);
      if (type === 'INTENT_SURGE') {
        const account = Math.floor(rand() * options.accounts);
        activities.push({ type, contact: -1, account, properties });
        accounts.add(account);
      } else {
        const u = rand();
        const contact = Math.min(options.contacts - 1, Math.floor(options.contacts * u * u));
        const account = contact % options.accounts;
        activities.push({ type, contact, account, properties });
        contacts.add(contact);
        accounts.add(account);
      }
    }
    batches.push({ index, activities, contacts: [...contacts], accounts: [...accounts] });
  }
  return batches;
}

/**
 * The GraphQL `activities` argument for a planned batch: email for contact activity,
 * accountDomain for account-level activity; occurredAt within the second before `now`.
 */
export function toActivityInputs(
  batch: PlannedBatch,
  contacts: readonly SeedContact[],
  runTag: string,
  now: number,
): Record<string, unknown>[] {
  return batch.activities.map((a, i) => ({
    type: a.type,
    occurredAt: new Date(now - ((i * 7919) % 1000)).toISOString(),
    externalId: `${runTag}-b${batch.index}-${i}`,
    ...(a.contact >= 0
      ? { email: contacts[a.contact]!.email }
      : { accountDomain: accountDomain(runTag, a.account) }),
    properties: a.properties,
  }));
}
