import { randomBytes } from 'node:crypto';
import { ok } from '../graphql-client';
import type { FaultStack, TimedGql } from './fault-stack';

/**
 * Scoring made exact for fault tests: under `exactModel` every EMAIL_OPEN is worth 1 point,
 * forever (no decay, no lookback, no cap in reach), nothing else scores, and an account's total
 * is the plain sum of its contacts' totals. So a contact's stored total must equal the number of
 * its accepted activities, and an account's the number of its contacts' accepted activities:
 * "every accepted activity counted exactly once" becomes an equality.
 */
export function exactModel(base: Record<string, any>): Record<string, unknown> {
  return {
    ...base,
    fit: { max: 100, rules: [] },
    engagement: {
      max: 100_000,
      halfLifeDays: null,
      lookbackDays: null,
      rules: [
        {
          id: 'exact.email-open',
          label: 'Opened an email (1 point each)',
          activityType: 'EMAIL_OPEN',
          where: [],
          points: 1,
          maxCount: null,
          overridesToTopTier: false,
          overrideDays: null,
        },
      ],
    },
    negative: { rules: [] },
    account: {
      ...base['account'],
      fit: { max: 100, rules: [] },
      rollup: { topN: 1000, factor: 1, max: 100_000 },
      committee: {
        engagementThreshold: 0,
        windowDays: 30,
        engagedContactPoints: 0,
        engagedContactsCap: 1,
        coveragePoints: 0,
        decisionMakerPoints: 0,
        surgePoints: 0,
        surgeRatio: 2,
        surgeMinActivities: 5,
        recency: [],
        max: 1,
      },
      intent: { max: 1, halfLifeDays: null, lookbackDays: null, rules: [] },
    },
  };
}

export interface Backfill {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
}

/** Polls until `check` returns a value; on timeout throws with the last diagnosis it gave. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<{ value?: T; diagnosis: string }>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const result = await check();
      if (result.value !== undefined) return result.value;
      last = result.diagnosis;
    } catch (error) {
      last = `check threw: ${(error as Error).message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached within ${timeoutMs} ms; last state: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function waitForBackfill(
  gql: TimedGql,
  versionId: string,
  timeoutMs = 30_000,
): Promise<Backfill> {
  return pollUntil(
    `backfill of model version ${versionId}`,
    async () => {
      const data = await ok(
        gql(
          `query($id: ID!) { scoringModelVersion(id: $id) { latestBackfill { id status total done failed } } }`,
          { id: versionId },
        ),
      );
      const backfill: Backfill | null = data.scoringModelVersion?.latestBackfill ?? null;
      const finished = backfill && ['COMPLETED', 'FAILED'].includes(backfill.status);
      return { value: finished ? backfill : undefined, diagnosis: JSON.stringify(backfill) };
    },
    timeoutMs,
  );
}

/** Publishes a definition (or a copy of `basedOn`) as a new version and waits for the full rescore it triggers. */
export async function publishAndBackfill(
  gql: TimedGql,
  draft: { definitionJson: Record<string, unknown> } | { basedOn: string },
): Promise<{ versionId: string; backfill: Backfill }> {
  const created = await ok(
    gql(
      `mutation($definitionJson: JSONObject, $basedOn: ID) {
        createScoringModelDraft(definitionJson: $definitionJson, basedOn: $basedOn) { id }
      }`,
      draft,
    ),
  );
  const versionId = created.createScoringModelDraft.id as string;
  await ok(
    gql(`mutation($id: ID!) { publishScoringModel(versionId: $id) { id isActive } }`, {
      id: versionId,
    }),
  );
  return { versionId, backfill: await waitForBackfill(gql, versionId) };
}

export interface ExactWorkspace {
  id: string;
  gql: TimedGql;
  versionId: string;
}

/** A fresh workspace, created with the admin token, scoring under `exactModel`. */
export async function createExactWorkspace(
  stack: FaultStack,
  name: string,
): Promise<ExactWorkspace> {
  const created = await ok(
    stack.admin(
      `mutation($name: String!) { createWorkspace(name: $name) { workspace { id } secret } }`,
      { name },
    ),
  );
  const gql = stack.client(created.createWorkspace.secret);
  const active = await ok(gql(`{ scoringModel { id definitionJson } }`));
  const { versionId, backfill } = await publishAndBackfill(gql, {
    definitionJson: exactModel(active.scoringModel.definitionJson),
  });
  if (backfill.status !== 'COMPLETED' || backfill.failed !== 0) {
    throw new Error(`the exact model's backfill did not complete: ${JSON.stringify(backfill)}`);
  }
  return { id: created.createWorkspace.workspace.id, gql, versionId };
}

export interface ActivityInput {
  type: 'EMAIL_OPEN';
  occurredAt: string;
  externalId: string;
  email: string;
}

export interface Batch {
  activities: ActivityInput[];
  /** What the API must answer for this batch. */
  expected: { accepted: number; duplicates: number; contactsCreated: number };
  fresh: ActivityInput[];
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  contactsCreated: number;
  scoringDelayed: boolean;
}

/**
 * What the test has sent and what the API accepted: the expected count per contact is the
 * number of distinct externalIds accepted for it. Batches mix new activities with deliberate
 * duplicates (resent from earlier batches, and repeated within the batch).
 */
export class ActivityLedger {
  readonly emails: string[];
  readonly domains: string[];
  private readonly tag = randomBytes(3).toString('hex');
  private readonly accepted = new Map<string, ActivityInput>();
  private readonly knownEmails = new Set<string>();
  private readonly perContact = new Map<string, number>();
  private next = 0;
  private readonly base = Date.now() - 3 * 86_400_000;

  constructor(contacts: number, accounts: number) {
    this.domains = Array.from({ length: accounts }, (_, i) => `acct${i}-${this.tag}.com`);
    this.emails = Array.from({ length: contacts }, (_, i) => `c${i}@${this.domains[i % accounts]}`);
  }

  /**
   * `perContact` new activities for each contact in `contacts` (indices), plus `resend`
   * activities accepted earlier and `repeat` of this batch's own activities sent twice.
   */
  batch(contacts: readonly number[], perContact: number, resend = 0, repeat = 0): Batch {
    const fresh: ActivityInput[] = [];
    for (const index of contacts) {
      for (let k = 0; k < perContact; k++) {
        const n = this.next++;
        fresh.push({
          type: 'EMAIL_OPEN',
          // Spread over the last three days; no decay, so only the count matters.
          occurredAt: new Date(this.base + ((n * 7_919_000) % (3 * 86_400_000))).toISOString(),
          externalId: `${this.tag}-${n}`,
          email: this.emails[index]!,
        });
      }
    }
    const earlier = [...this.accepted.values()];
    const resent = Array.from(
      { length: Math.min(resend, earlier.length) },
      (_, i) => earlier[(i * 31 + this.next) % earlier.length]!,
    );
    const uniqueResent = [...new Set(resent)];
    const repeated = fresh.slice(0, Math.min(repeat, fresh.length));
    const newEmails = new Set(fresh.map((a) => a.email).filter((e) => !this.knownEmails.has(e)));
    return {
      activities: interleave([...fresh, ...uniqueResent], repeated),
      expected: {
        accepted: fresh.length,
        duplicates: uniqueResent.length + repeated.length,
        contactsCreated: newEmails.size,
      },
      fresh,
    };
  }

  /** Records a batch the API answered as expected. */
  commit(batch: Batch): void {
    for (const a of batch.fresh) {
      this.accepted.set(a.externalId, a);
      this.knownEmails.add(a.email);
      this.perContact.set(a.email, (this.perContact.get(a.email) ?? 0) + 1);
    }
  }

  /** Expected lead total per contact email (only contacts that exist). */
  expectedContacts(): Map<string, number> {
    return new Map([...this.perContact].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Expected account total per domain: the sum of its contacts' totals. */
  expectedAccounts(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [email, n] of this.perContact) {
      const domain = email.slice(email.indexOf('@') + 1);
      totals.set(domain, (totals.get(domain) ?? 0) + n);
    }
    return totals;
  }

  totalAccepted(): number {
    return this.accepted.size;
  }
}

/** Puts the repeats among the other items, so duplicates are not all at the end. */
function interleave<T>(items: T[], repeats: T[]): T[] {
  const out = [...items];
  repeats.forEach((r, i) => out.splice(Math.min(out.length, (i + 1) * 7), 0, r));
  return out;
}

/** Sends a batch through `recordActivities` and checks the counts it answers. */
export async function sendBatch(
  gql: TimedGql,
  ledger: ActivityLedger,
  batch: Batch,
): Promise<BatchResult> {
  const data = await ok(
    gql(
      `mutation($activities: [ActivityInput!]!) {
        recordActivities(activities: $activities) { accepted duplicates contactsCreated scoringDelayed }
      }`,
      { activities: batch.activities },
    ),
  );
  const result = data.recordActivities as BatchResult;
  const got = {
    accepted: result.accepted,
    duplicates: result.duplicates,
    contactsCreated: result.contactsCreated,
  };
  if (JSON.stringify(got) !== JSON.stringify(batch.expected)) {
    throw new Error(
      `recordActivities answered ${JSON.stringify(got)}, expected ${JSON.stringify(batch.expected)}`,
    );
  }
  ledger.commit(batch);
  return result;
}

interface StoredState {
  contacts: Map<string, { total: number | null; engagement: number | null }>;
  accounts: Map<string, number | null>;
  pending: number;
}

async function storedState(stack: FaultStack, ws: string): Promise<StoredState> {
  const q = (sql: string) => stack.db.dataSource.query(sql, [ws]);
  const [contacts, accounts, pending] = await Promise.all([
    q(`SELECT c.email, s.total, s.engagement FROM contacts c
       LEFT JOIN lead_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
       WHERE c.workspace_id = $1`),
    q(`SELECT a.domain, s.total FROM accounts a
       LEFT JOIN account_scores s ON s.workspace_id = a.workspace_id AND s.account_id = a.id
       WHERE a.workspace_id = $1`),
    q(`SELECT count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1`),
  ]);
  return {
    contacts: new Map(
      contacts.map((r: { email: string; total: number | null; engagement: number | null }) => [
        r.email,
        { total: r.total, engagement: r.engagement },
      ]),
    ),
    accounts: new Map(
      accounts.map((r: { domain: string; total: number | null }) => [r.domain, r.total]),
    ),
    pending: pending[0].n,
  };
}

/** Differences between the stored scores and the ledger's expectation (empty when exact). */
function differences(
  state: StoredState,
  ledger: ActivityLedger,
  only?: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const expectedContacts = ledger.expectedContacts();
  const expectedAccounts = ledger.expectedAccounts();
  if (!only && state.contacts.size !== expectedContacts.size)
    problems.push(`${state.contacts.size} contacts stored, ${expectedContacts.size} expected`);
  for (const [email, n] of expectedContacts) {
    if (only && !only.has(email)) continue;
    const stored = state.contacts.get(email);
    if (!stored) problems.push(`contact ${email} missing`);
    else if (stored.total !== n || stored.engagement !== n)
      problems.push(
        `contact ${email}: total ${stored.total}, engagement ${stored.engagement}, expected ${n}`,
      );
  }
  if (!only) {
    if (state.accounts.size !== expectedAccounts.size)
      problems.push(`${state.accounts.size} accounts stored, ${expectedAccounts.size} expected`);
    for (const [domain, n] of expectedAccounts) {
      const stored = state.accounts.get(domain);
      if (stored !== n) problems.push(`account ${domain}: total ${stored}, expected ${n}`);
    }
    if (state.pending !== 0) problems.push(`${state.pending} pending_rescores markers left`);
  }
  return problems;
}

/** What still differs from the ledger's expectation, now (empty when every score is exact). */
export async function exactDifferences(
  stack: FaultStack,
  ws: string,
  ledger: ActivityLedger,
): Promise<string[]> {
  return differences(await storedState(stack, ws), ledger);
}

/**
 * Waits until every stored score equals the ledger's expectation and no pending marker is left
 * (or, with `only`, until those contacts' scores do). Throws with what still differs.
 */
export async function waitUntilExact(
  stack: FaultStack,
  ws: string,
  ledger: ActivityLedger,
  timeoutMs: number,
  only?: ReadonlySet<string>,
): Promise<void> {
  await pollUntil(
    only ? `exact scores of ${only.size} contacts` : 'exact scores for every contact and account',
    async () => {
      const problems = differences(await storedState(stack, ws), ledger, only);
      return {
        value: problems.length === 0 ? true : undefined,
        diagnosis: `${problems.length} differences: ${problems.slice(0, 8).join('; ')}${
          problems.length > 8 ? '; ...' : ''
        }`,
      };
    },
    timeoutMs,
    200,
  );
}

/**
 * Once settled: checks the public view (GraphQL) and the stored history against the ledger,
 * and every stored lead score against an on-the-fly recompute (`scoreAsOf`). Returns the
 * problems found (empty when everything is exact).
 */
export async function auditExact(
  stack: FaultStack,
  workspace: ExactWorkspace,
  ledger: ActivityLedger,
): Promise<string[]> {
  const problems: string[] = [];
  // Several small queries rather than one: each stays within the API's query cost limit.
  type Node = Record<string, any>;
  const contactPage = async (fields: string, variables?: Record<string, unknown>) => {
    const data = await ok(
      workspace.gql(
        `query${variables ? '($at: DateTimeISO!)' : ''} {
          contacts(first: 500) { totalCount edges { node { email ${fields} } } }
        }`,
        variables,
      ),
    );
    return {
      totalCount: data.contacts.totalCount as number,
      byEmail: new Map<string, Node>(
        data.contacts.edges.map((e: { node: Node }) => [e.node.email, e.node]),
      ),
    };
  };
  const scores = await contactPage('score { total engagement modelVersionId }');
  const asOf = await contactPage('scoreAsOf(at: $at) { total engagement }', {
    at: new Date().toISOString(),
  });
  const counts = await contactPage('activities(first: 1) { totalCount } account { domain }');
  const data = {
    contacts: {
      totalCount: scores.totalCount,
      edges: [...scores.byEmail.values()].map((node): { node: Node } => ({
        node: {
          ...node,
          scoreAsOf: asOf.byEmail.get(node.email)?.scoreAsOf,
          activities: counts.byEmail.get(node.email)?.activities,
        },
      })),
    },
    accounts: (
      await ok(
        workspace.gql(
          `{ accounts(first: 500) { totalCount edges { node { domain score { total rollup } } } } }`,
        ),
      )
    ).accounts,
  };
  const expectedContacts = ledger.expectedContacts();
  const expectedAccounts = ledger.expectedAccounts();
  if (data.contacts.totalCount !== expectedContacts.size)
    problems.push(
      `contacts.totalCount ${data.contacts.totalCount}, expected ${expectedContacts.size}`,
    );
  for (const { node } of data.contacts.edges) {
    const n = expectedContacts.get(node.email);
    if (n === undefined) {
      problems.push(`unexpected contact ${node.email}`);
      continue;
    }
    if (!node.score) {
      problems.push(`contact ${node.email} has no score`);
      continue;
    }
    if (node.score.total !== n || node.score.engagement !== n)
      problems.push(`contact ${node.email}: score ${JSON.stringify(node.score)}, expected ${n}`);
    if (node.score.modelVersionId !== workspace.versionId)
      problems.push(`contact ${node.email} scored under ${node.score.modelVersionId}`);
    if (node.scoreAsOf?.total !== node.score.total)
      problems.push(
        `contact ${node.email}: stored total ${node.score.total} but a recompute gives ${node.scoreAsOf?.total}`,
      );
    if (node.activities.totalCount !== n)
      problems.push(
        `contact ${node.email}: ${node.activities.totalCount} activities stored, ${n} accepted`,
      );
  }
  if (data.accounts.totalCount !== expectedAccounts.size)
    problems.push(
      `accounts.totalCount ${data.accounts.totalCount}, expected ${expectedAccounts.size}`,
    );
  for (const { node } of data.accounts.edges) {
    const n = expectedAccounts.get(node.domain);
    if (node.score?.total !== n || node.score?.rollup !== n)
      problems.push(`account ${node.domain}: score ${JSON.stringify(node.score)}, expected ${n}`);
  }

  const q = (sql: string) => stack.db.dataSource.query(sql, [workspace.id]);
  const [{ n: activities }] = await q(
    'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1',
  );
  if (activities !== ledger.totalAccepted())
    problems.push(`${activities} activities stored, ${ledger.totalAccepted()} accepted`);
  // A worker that has just started runs its decay sweep, which marks every recent contact
  // and account again; those markers are claimed within moments, so wait for them.
  let pending = -1;
  for (let waited = 0; waited <= 10_000; waited += 100) {
    [{ n: pending }] = await q(
      'SELECT count(*)::int AS n FROM pending_rescores WHERE workspace_id = $1',
    );
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (pending !== 0) problems.push(`${pending} pending_rescores markers left`);

  // History is append-only and serialised per contact/account: each row starts where the
  // previous one ended, totals only grow (activities only add points), the last is the score.
  const leadHistory = await q(
    `SELECT c.email AS key, h.old_total, h.new_total FROM lead_score_history h
     JOIN contacts c ON c.workspace_id = h.workspace_id AND c.id = h.contact_id
     WHERE h.workspace_id = $1 ORDER BY h.contact_id, h.id`,
  );
  problems.push(...historyProblems('lead', leadHistory, expectedContacts));
  const accountHistory = await q(
    `SELECT a.domain AS key, h.old_total, h.new_total FROM account_score_history h
     JOIN accounts a ON a.workspace_id = h.workspace_id AND a.id = h.account_id
     WHERE h.workspace_id = $1 ORDER BY h.account_id, h.id`,
  );
  problems.push(...historyProblems('account', accountHistory, expectedAccounts));
  return problems;
}

function historyProblems(
  kind: string,
  rows: { key: string; old_total: number | null; new_total: number }[],
  expected: Map<string, number>,
): string[] {
  const problems: string[] = [];
  const byKey = new Map<string, { old_total: number | null; new_total: number }[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  for (const [key, n] of expected) {
    const chain = byKey.get(key) ?? [];
    if (chain.length === 0) {
      problems.push(`${kind} ${key}: no history`);
      continue;
    }
    if (chain[0]!.old_total !== null)
      problems.push(`${kind} ${key}: first history row starts at ${chain[0]!.old_total}`);
    for (let i = 1; i < chain.length; i++) {
      const [prev, cur] = [chain[i - 1]!, chain[i]!];
      if (cur.old_total !== prev.new_total || !(cur.new_total > cur.old_total!))
        problems.push(
          `${kind} ${key}: history row ${i} goes ${cur.old_total} → ${cur.new_total} after ${prev.new_total}`,
        );
    }
    if (chain[chain.length - 1]!.new_total !== n)
      problems.push(
        `${kind} ${key}: history ends at ${chain[chain.length - 1]!.new_total}, score ${n}`,
      );
  }
  return problems;
}

/**
 * A full recompute: publishes a copy of the active model, which rescores every contact and then
 * every account from PostgreSQL alone, and compares each stored total with the incremental one.
 */
export async function fullRecomputeDifferences(
  stack: FaultStack,
  workspace: ExactWorkspace,
): Promise<string[]> {
  const before = await storedState(stack, workspace.id);
  const { versionId, backfill } = await publishAndBackfill(workspace.gql, {
    basedOn: workspace.versionId,
  });
  const after = await storedState(stack, workspace.id);
  const problems: string[] = [];
  if (backfill.status !== 'COMPLETED' || backfill.failed !== 0)
    problems.push(`backfill ${JSON.stringify(backfill)}`);
  if (backfill.total !== before.contacts.size + before.accounts.size)
    problems.push(
      `backfill covered ${backfill.total} of ${before.contacts.size + before.accounts.size}`,
    );
  for (const [email, s] of before.contacts) {
    if (after.contacts.get(email)?.total !== s.total)
      problems.push(
        `contact ${email}: incremental ${s.total}, full recompute ${after.contacts.get(email)?.total}`,
      );
  }
  for (const [domain, total] of before.accounts) {
    if (after.accounts.get(domain) !== total)
      problems.push(
        `account ${domain}: incremental ${total}, full recompute ${after.accounts.get(domain)}`,
      );
  }
  const [{ n: stale }] = await stack.db.dataSource.query(
    `SELECT count(*)::int AS n FROM lead_scores WHERE workspace_id = $1 AND model_version_id <> $2`,
    [workspace.id, versionId],
  );
  if (stale !== 0) problems.push(`${stale} lead scores not rescored by the full recompute`);
  return problems;
}
