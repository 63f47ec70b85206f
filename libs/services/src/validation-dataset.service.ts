import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  runQuery,
  type AccountEntity,
  type ContactEntity,
  type Database,
  type ScoringModelVersionEntity,
  type WorkspaceId,
} from '@quorum/persistence';
import { scoreLead, type ActivityFacts, type ScoringModelDefinition } from '@quorum/scoring';
import { InputError } from './errors';
import { accountFacts, activityFacts, contactFacts } from './lead-scoring.service';
import { CONVERSION_TYPES, OUTCOME_TYPES, type OutcomeType } from './outcome.service';

const DAY_MS = 86_400_000;
/** Observations visited between two turns of the event loop. */
const YIELD_EVERY = 1_000;
/** Bounds the work of one validation run. */
export const MAX_OBSERVATIONS = 200_000;

export interface Observation {
  contactId: string;
  /** The as-of moment: the start of the observation window. */
  at: Date;
  total: number;
  fit: number;
  engagement: number;
  tier: string;
  /** An OPPORTUNITY_CREATED or WON outcome within (at, at + horizon]. */
  converted: boolean;
}

/** One contact at the start of one observation window, seen only as it was then. */
export interface ObservationPoint {
  contact: ContactEntity;
  account: AccountEntity | null;
  /** The contact's activities strictly before `at`: nothing later may reach features or scores. */
  history: ActivityFacts[];
  at: Date;
  converted: boolean;
}

/**
 * Scores every contact as of the start of each observation window, using only the
 * activities that occurred before that moment, and labels whether it converted within
 * the horizon. Windows are consecutive: from, from + horizon, … while before `to`.
 * Contacts that had already converted, or were lost, before a window starts are left out of
 * it: they are no longer open leads.
 */
export class ValidationDatasetService {
  constructor(private readonly db: Database) {}

  async build(
    ws: WorkspaceId,
    version: Pick<ScoringModelVersionEntity, 'definition'>,
    from: Date,
    to: Date,
    horizonDays: number,
  ): Promise<Observation[]> {
    const model = version.definition as unknown as ScoringModelDefinition;
    const observations: Observation[] = [];
    await this.observe(ws, from, to, horizonDays, (o) => {
      const score = scoreLead(
        model,
        contactFacts(o.contact),
        accountFacts(o.account),
        o.history,
        o.at,
      );
      observations.push({
        contactId: o.contact.id,
        at: o.at,
        total: score.total,
        fit: score.fit,
        engagement: score.engagement,
        tier: score.tier,
        converted: o.converted,
      });
    });
    return observations;
  }

  /**
   * Visits every (contact, window start) observation with the contact's history before that
   * moment and whether it converted within the horizon. Validation scores these; training
   * builds its feature rows from them.
   */
  async observe(
    ws: WorkspaceId,
    from: Date,
    to: Date,
    horizonDays: number,
    visit: (observation: ObservationPoint) => void,
  ): Promise<number> {
    checkWindow(from, to, horizonDays);
    // One snapshot: an outcome or activity recorded between two reads must not pair with a
    // contact list from before it.
    const { contactRows, accounts, activities, outcomes } = await this.db.transaction(
      ws,
      async (repos) => ({
        contactRows: await repos.contacts.allInWorkspace(ws),
        accounts: await repos.accounts.allInWorkspace(ws),
        activities: await repos.activities.contactActivitiesBefore(ws, to),
        outcomes: await repos.outcomes.forWorkspace(ws, OUTCOME_TYPES),
      }),
      'REPEATABLE READ',
    );
    const accountRows = new Map(accounts.map((a) => [a.id, a]));
    const byContact = new Map<string, ActivityFacts[]>();
    for (const a of activities) {
      const list = byContact.get(a.contactId!) ?? [];
      list.push(activityFacts(a));
      byContact.set(a.contactId!, list);
    }
    const conversions = new Map<string, Date[]>();
    const closings = new Map<string, Date[]>();
    for (const o of outcomes) {
      if (!o.contactId) continue;
      for (const [map, wanted] of [
        [conversions, CONVERSION_TYPES.includes(o.type as OutcomeType)],
        [closings, true],
      ] as const) {
        if (!wanted) continue;
        const list = map.get(o.contactId) ?? [];
        list.push(o.occurredAt);
        map.set(o.contactId, list);
      }
    }

    let count = 0;
    for (let start = from.getTime(); start < to.getTime(); start += horizonDays * DAY_MS) {
      const at = new Date(start);
      const end = start + horizonDays * DAY_MS;
      for (const contact of contactRows) {
        const converted = conversions.get(contact.id) ?? [];
        if ((closings.get(contact.id) ?? []).some((d) => d.getTime() <= start)) continue;
        const history = (byContact.get(contact.id) ?? []).filter(
          (a) => a.occurredAt.getTime() < start,
        );
        if (history.length === 0 && contact.createdAt.getTime() > start) continue;
        count += 1;
        // Up to 200k observations are scored here: let other requests in between batches.
        if (count % YIELD_EVERY === 0) await yieldToEventLoop();
        if (count > MAX_OBSERVATIONS) {
          throw new InputError([
            {
              path: 'from',
              message: `more than ${MAX_OBSERVATIONS} observations: shorten the period or lengthen the horizon`,
            },
          ]);
        }
        visit({
          contact,
          account: contact.accountId ? (accountRows.get(contact.accountId) ?? null) : null,
          history,
          at,
          converted: converted.some((d) => d.getTime() > start && d.getTime() <= end),
        });
      }
    }
    return count;
  }
}

/** One account at the start of one observation window, seen only as it was then. */
export interface AccountObservationPoint {
  account: AccountEntity;
  /** Its contacts with activity before `at` (and their activity before `at` only). */
  contacts: { contact: ContactEntity; roles: string[]; history: ActivityFacts[] }[];
  /** Its own activities (no contact) before `at`. */
  accountActivities: ActivityFacts[];
  buyingGroups: {
    id: string;
    name: string;
    requiredRoles: string[];
    members: { contactId: string; role: string }[];
  }[];
  at: Date;
  /** An OPPORTUNITY_CREATED or WON outcome of the account within (at, at + horizon]. */
  converted: boolean;
}

/**
 * Account observations, as `observe` makes contact ones: every account as of each window start,
 * with its contacts' activity and its own before that moment, labelled by an outcome recorded
 * for the account (`accountId`) within the horizon. Accounts with an outcome that closed them
 * (WON or LOST) before a window starts are left out of it.
 */
export async function observeAccounts(
  db: Database,
  ws: WorkspaceId,
  from: Date,
  to: Date,
  horizonDays: number,
  visit: (observation: AccountObservationPoint) => void,
): Promise<number> {
  checkWindow(from, to, horizonDays);
  const data = await db.transaction(
    ws,
    async (repos) => {
      const accounts = await repos.accounts.allInWorkspace(ws);
      const ids = accounts.map((a) => a.id);
      return {
        accounts,
        contacts: await repos.contacts.allInWorkspace(ws),
        activities: await repos.activities.contactActivitiesBefore(ws, to),
        accountActivities: await repos.activities.accountActivitiesBefore(ws, to),
        outcomes: await repos.outcomes.forWorkspace(ws, OUTCOME_TYPES),
        groups: await repos.buyingGroups.findByAccountIds(ws, ids),
        members: ids.length
          ? await runQuery(repos.manager, repos.buyingGroups.membersOfAccountsRead(ws, ids))
          : [],
      };
    },
    'REPEATABLE READ',
  );
  const byAccount = <T>(items: readonly T[], key: (t: T) => string | null) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const k = key(item);
      if (k === null) continue;
      const list = map.get(k) ?? [];
      list.push(item);
      map.set(k, list);
    }
    return map;
  };
  const contactsOf = byAccount(data.contacts, (c) => c.accountId);
  const activitiesOf = byAccount(data.activities, (a) => a.contactId);
  const ownOf = byAccount(data.accountActivities, (a) => a.accountId);
  const outcomesOf = byAccount(data.outcomes, (o) => o.accountId);
  const groupsOf = byAccount(data.groups, (g) => g.accountId);
  const membersOf = byAccount(data.members, (m) => m.buyingGroupId);
  const rolesOf = byAccount(data.members, (m) => m.contactId);
  let count = 0;
  for (let start = from.getTime(); start < to.getTime(); start += horizonDays * DAY_MS) {
    const end = start + horizonDays * DAY_MS;
    for (const account of data.accounts) {
      const outcomes = outcomesOf.get(account.id) ?? [];
      if (outcomes.some((o) => o.occurredAt.getTime() <= start)) continue;
      const contacts = (contactsOf.get(account.id) ?? []).flatMap((contact) => {
        const history = (activitiesOf.get(contact.id) ?? [])
          .filter((a) => a.occurredAt.getTime() < start)
          .map(activityFacts);
        const roles = [...new Set((rolesOf.get(contact.id) ?? []).map((m) => m.role))];
        return history.length > 0 ? [{ contact, roles, history }] : [];
      });
      const accountActivities = (ownOf.get(account.id) ?? [])
        .filter((a) => a.occurredAt.getTime() < start)
        .map(activityFacts);
      if (contacts.length === 0 && accountActivities.length === 0) continue;
      count += 1;
      if (count % YIELD_EVERY === 0) await yieldToEventLoop();
      if (count > MAX_OBSERVATIONS) {
        throw new InputError([
          {
            path: 'from',
            message: `more than ${MAX_OBSERVATIONS} observations: shorten the period or lengthen the horizon`,
          },
        ]);
      }
      visit({
        account,
        contacts,
        accountActivities,
        buyingGroups: (groupsOf.get(account.id) ?? []).map((g) => ({
          id: g.id,
          name: g.name,
          requiredRoles: g.requiredRoles,
          members: (membersOf.get(g.id) ?? []).map((m) => ({
            contactId: m.contactId,
            role: m.role,
          })),
        })),
        at: new Date(start),
        converted: outcomes.some(
          (o) =>
            CONVERSION_TYPES.includes(o.type as OutcomeType) &&
            o.occurredAt.getTime() > start &&
            o.occurredAt.getTime() <= end,
        ),
      });
    }
  }
  return count;
}

function checkWindow(from: Date, to: Date, horizonDays: number): void {
  if (!(from < to)) throw new InputError([{ path: 'from', message: 'must be before `to`' }]);
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 730) {
    throw new InputError([
      { path: 'horizonDays', message: 'must be a whole number of days from 1 to 730' },
    ]);
  }
}
