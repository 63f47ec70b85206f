import { defaultModelDefinition, type ScoringModelDefinition } from '@quorum/scoring';

/**
 * The subscription bench's workspace and activity stream.
 *
 * The scoring model is the default one with its caps lifted for the two activity types the
 * bench sends (EMAIL_OPEN, EMAIL_CLICK: no maxCount, no decay, engagement uncapped) and an
 * account roll-up that counts every contact of an account with the same weight (topN = the
 * contacts per account, factor 1, uncapped). So every activity raises its lead's score and
 * therefore its account's: every batch moves the score of every account it touches, and the
 * latency measured is always that of a real change. Under the stock model a lead saturates
 * after ten opens and only an account's top five leads count in its roll-up, so most
 * activities in a sustained stream change no account score, publish nothing, and would be
 * attributed to some later event.
 */
export function benchModel(contactsPerAccount: number): ScoringModelDefinition {
  const model = defaultModelDefinition();
  model.engagement.max = 1_000_000;
  model.engagement.halfLifeDays = null;
  for (const rule of model.engagement.rules) {
    if (rule.activityType === 'EMAIL_OPEN' || rule.activityType === 'EMAIL_CLICK') {
      rule.maxCount = null;
    }
  }
  model.account!.rollup = { topN: Math.max(1, contactsPerAccount), factor: 1, max: 1_000_000 };
  return model;
}

export function accountDomain(tag: string, n: number): string {
  return `acct-${n}.${tag}.subs-bench.example`;
}

export function probeDomain(tag: string): string {
  return `probe.${tag}.subs-bench.example`;
}

/**
 * BENCH_FOLLOW_ACCOUNTS: the indices of the `k` bench accounts subscription `i` follows,
 * (i·k + j) mod accounts for j < k. Consecutive subscriptions take consecutive runs, so every
 * account is followed by ⌊S·k/accounts⌋ or ⌈S·k/accounts⌉ of S subscriptions.
 */
export function followedAccounts(i: number, k: number, accounts: number): number[] {
  return Array.from({ length: k }, (_, j) => (i * k + j) % accounts);
}

export function seedAccounts(tag: string, count: number) {
  return Array.from({ length: count }, (_, n) => ({
    domain: accountDomain(tag, n),
    name: `Subscription bench account ${n}`,
    industry: n % 2 ? 'Software' : 'Manufacturing',
    employeeCount: 50 + ((n * 37) % 3000),
    country: 'US',
  }));
}

/** Contact c belongs to account c % accounts. */
export function seedContacts(tag: string, accounts: number, perAccount: number) {
  return Array.from({ length: accounts * perAccount }, (_, c) => ({
    email: contactEmail(tag, accounts, c),
    firstName: 'Sub',
    lastName: `Bench ${c}`,
    title: c % 3 ? 'Engineer' : 'Director of IT',
    seniority: c % 3 ? 'Individual Contributor' : 'Director',
    country: 'US',
  }));
}

export function contactEmail(tag: string, accounts: number, c: number): string {
  return `p${Math.floor(c / accounts)}@${accountDomain(tag, c % accounts)}`;
}

/** mulberry32: seedable, so runs send the same stream. */
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

export interface PlannedBatch {
  index: number;
  /** Contact indexes, one per activity (uniform over all contacts). */
  contacts: number[];
  types: ('EMAIL_OPEN' | 'EMAIL_CLICK')[];
  /** Distinct account indexes touched. */
  accounts: number[];
}

export function planBatches(options: {
  batches: number;
  size: number;
  contacts: number;
  accounts: number;
  seed?: number;
}): PlannedBatch[] {
  const rand = prng(options.seed ?? 7);
  return Array.from({ length: options.batches }, (_, index) => {
    const contacts: number[] = [];
    const types: PlannedBatch['types'] = [];
    const accounts = new Set<number>();
    for (let i = 0; i < options.size; i++) {
      const c = Math.floor(rand() * options.contacts);
      contacts.push(c);
      types.push(rand() < 0.7 ? 'EMAIL_OPEN' : 'EMAIL_CLICK');
      accounts.add(c % options.accounts);
    }
    return { index, contacts, types, accounts: [...accounts] };
  });
}

/** The `activities` argument of recordActivities for a batch, "just happened" at `now`. */
export function activityInputs(
  batch: PlannedBatch,
  tag: string,
  accounts: number,
  now: number,
): Record<string, unknown>[] {
  const occurredAt = new Date(now - 1000).toISOString();
  return batch.contacts.map((c, i) => ({
    type: batch.types[i],
    occurredAt,
    externalId: `${tag}-b${batch.index}-${i}`,
    email: contactEmail(tag, accounts, c),
    properties: { campaign: 'subs-bench' },
  }));
}
