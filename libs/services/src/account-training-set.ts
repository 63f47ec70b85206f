import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { runQuery, type Database, type Repositories, type WorkspaceId } from '@quorum/persistence';
import type { FeatureRow } from '@quorum/predictive';
import {
  BUYING_ROLES,
  discoverFeatures,
  extractAccountFeatures,
  scoreAccount,
  scoreLead,
  type AccountContactHistory,
  type BuyingRoleName,
  type FeatureSelection,
  type FeatureSetV2,
  type ScoringModelDefinition,
  type SkippedFeature,
} from '@quorum/scoring';
import { accountFacts, activityFacts, contactFacts } from './lead-scoring.service';
import { contactLabel } from './account-scoring.service';
import { observeAccounts, type AccountObservationPoint } from './validation-dataset.service';

const YIELD_EVERY = 1_000;

/** What training an account model reads: one row per (account, window start). */
export interface AccountTrainingSet {
  set: FeatureSetV2;
  skipped: SkippedFeature[];
  rows: FeatureRow[];
  labels: number[];
  /** Stable keys for the folds: the account's domain. */
  keys: string[];
  times: number[];
  /** The rules account total of each observation (for a hybrid). */
  rulesTotals: number[];
}

/** Contacts of an observation as an account model reads them. */
export function historiesOf(o: AccountObservationPoint): AccountContactHistory[] {
  return o.contacts.map((c) => ({
    contactId: c.contact.id,
    label: contactLabel(c.contact),
    roles: c.roles,
    activities: c.history,
  }));
}

/** The rules account score of an observation, with its contacts scored as of the same moment. */
export function rulesAccountScore(
  rules: ScoringModelDefinition,
  o: AccountObservationPoint,
  options: { withHistories: boolean },
) {
  const account = accountFacts(o.account)!;
  const contacts = o.contacts.map((c) => {
    const lead = scoreLead(rules, contactFacts(c.contact), account, c.history, o.at);
    return {
      contactId: c.contact.id,
      total: lead.total,
      engagement: lead.engagement,
      lastActivityAt: lead.lastActivityAt,
    };
  });
  return scoreAccount(
    rules,
    account,
    contacts,
    o.buyingGroups,
    o.accountActivities,
    o.contacts.flatMap((c) => c.history.map((a) => a.occurredAt)),
    o.at,
    options.withHistories ? { contactHistories: historiesOf(o) } : {},
  );
}

/**
 * Every account observation, features chosen from the accounts' fields and attributes, their
 * contacts' activity and the buying roles present, and each row built by the engine's own
 * `extractAccountFeatures`, as account scoring does.
 */
export async function accountTrainingSet(
  db: Database,
  ws: WorkspaceId,
  rules: ScoringModelDefinition,
  window: { from: Date; to: Date; horizonDays: number },
  selection: FeatureSelection,
  withRulesTotals: boolean,
): Promise<AccountTrainingSet> {
  const observed: AccountObservationPoint[] = [];
  await observeAccounts(db, ws, window.from, window.to, window.horizonDays, (o) =>
    observed.push(o),
  );
  const discovery = discoverFeatures(
    observed.map((o) => ({
      contact: { email: '' },
      account: accountFacts(o.account),
      activities: [...o.accountActivities, ...o.contacts.flatMap((c) => c.history)],
    })),
    selection,
  );
  const roleCounts = new Map<string, number>();
  for (const o of observed) {
    for (const role of new Set(o.contacts.flatMap((c) => c.roles))) {
      roleCounts.set(role, (roleCounts.get(role) ?? 0) + 1);
    }
  }
  const needed = Math.max(10, Math.ceil(0.01 * observed.length));
  const set: FeatureSetV2 = {
    ...discovery.set,
    fields: discovery.set.fields.filter((f) => f.path.startsWith('account.')),
    account: {
      roles: BUYING_ROLES.filter((r) => (roleCounts.get(r) ?? 0) >= needed) as BuyingRoleName[],
    },
  };
  const out: AccountTrainingSet = {
    set,
    skipped: discovery.skipped,
    rows: [],
    labels: [],
    keys: [],
    times: [],
    rulesTotals: [],
  };
  for (const o of observed) {
    if (out.rows.length % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const account = accountFacts(o.account)!;
    out.rows.push(
      extractAccountFeatures(set, account, historiesOf(o), o.accountActivities, o.at).row,
    );
    out.labels.push(o.converted ? 1 : 0);
    out.keys.push(o.account.domain);
    out.times.push(o.at.getTime());
    out.rulesTotals.push(
      withRulesTotals ? rulesAccountScore(rules, o, { withHistories: false }).total : 0,
    );
  }
  return out;
}

/**
 * Accounts as they are now, in the shape account observations have: every contact with its
 * whole history and buying-group roles, the account's own activity, its buying groups. For
 * previews, which score them under two versions side by side.
 */
export async function currentAccountPoints(
  repos: Repositories,
  ws: WorkspaceId,
  accountIds: readonly string[],
  now: Date,
): Promise<AccountObservationPoint[]> {
  const accounts = await repos.accounts.findByIds(ws, accountIds);
  const ids = accounts.map((a) => a.id);
  if (ids.length === 0) return [];
  const links = await runQuery(
    repos.manager,
    repos.leadScores.contactScoresOfAccountsRead(ws, ids),
  );
  const contactIds = links.map((l) => l.contactId);
  // One after another: they share the transaction's connection.
  const contacts = await repos.contacts.findByIds(ws, contactIds);
  const activities = await repos.activities.forContacts(ws, contactIds);
  const own = await repos.activities.accountLevel(ws, ids);
  const groups = await repos.buyingGroups.findByAccountIds(ws, ids);
  const members = await runQuery(repos.manager, repos.buyingGroups.membersOfAccountsRead(ws, ids));
  return accounts.map((account) => ({
    account,
    contacts: contacts
      .filter((c) => c.accountId === account.id)
      .map((contact) => ({
        contact,
        roles: [...new Set(members.filter((m) => m.contactId === contact.id).map((m) => m.role))],
        history: (activities.get(contact.id) ?? []).map(activityFacts),
      })),
    accountActivities: (own.get(account.id) ?? []).map(activityFacts),
    buyingGroups: groups
      .filter((g) => g.accountId === account.id)
      .map((g) => ({
        id: g.id,
        name: g.name,
        requiredRoles: g.requiredRoles,
        members: members
          .filter((m) => m.buyingGroupId === g.id)
          .map((m) => ({ contactId: m.contactId, role: m.role })),
      })),
    at: now,
    converted: false,
  }));
}
