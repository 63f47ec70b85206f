import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type {
  AccountEntity,
  ContactEntity,
  Database,
  ScoringModelVersionEntity,
  WorkspaceId,
} from '@quorum/persistence';
import { scoreLead, type ActivityFacts, type ScoringModelDefinition } from '@quorum/scoring';
import { InputError } from './errors';
import { accountFacts, activityFacts, contactFacts } from './lead-scoring.service';
import { CONVERSION_TYPES } from './outcome.service';

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
 * Contacts that had already converted before a window starts are left out of it.
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
    if (!(from < to)) throw new InputError([{ path: 'from', message: 'must be before `to`' }]);
    if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 730) {
      throw new InputError([
        { path: 'horizonDays', message: 'must be a whole number of days from 1 to 730' },
      ]);
    }
    // One snapshot: an outcome or activity recorded between two reads must not pair with a
    // contact list from before it.
    const { contactRows, accounts, activities, outcomes } = await this.db.transaction(
      ws,
      async (repos) => ({
        contactRows: await repos.contacts.allInWorkspace(ws),
        accounts: await repos.accounts.allInWorkspace(ws),
        activities: await repos.activities.contactActivitiesBefore(ws, to),
        outcomes: await repos.outcomes.forWorkspace(ws, CONVERSION_TYPES),
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
    for (const o of outcomes) {
      if (!o.contactId) continue;
      const list = conversions.get(o.contactId) ?? [];
      list.push(o.occurredAt);
      conversions.set(o.contactId, list);
    }

    let count = 0;
    for (let start = from.getTime(); start < to.getTime(); start += horizonDays * DAY_MS) {
      const at = new Date(start);
      const end = start + horizonDays * DAY_MS;
      for (const contact of contactRows) {
        const converted = conversions.get(contact.id) ?? [];
        if (converted.some((d) => d.getTime() <= start)) continue;
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
