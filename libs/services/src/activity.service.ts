import type { Clock } from '@quorum/config';
import type { ActivityWrite, Database, WorkspaceId } from '@quorum/persistence';
import { ACTIVITY_TYPES, type ActivityType } from '@quorum/scoring';
import { ensureAccounts, newContactWrite } from './contact.service';
import type { RescoreScheduler } from './rescore-scheduler';
import { IssueCollector } from './errors';
import { checkBulkSize, isUuid, optionalAttributes, optionalText } from './field-checks';
import { emailDomain, isPersonalEmailDomain, normalizeDomain, normalizeEmail } from './normalize';

export interface ActivityInput {
  type: ActivityType;
  occurredAt: Date;
  externalId: string;
  contactId?: string | null;
  email?: string | null;
  /** For account-level activity (e.g. INTENT_SURGE) that no single contact did. */
  accountId?: string | null;
  accountDomain?: string | null;
  properties?: Record<string, unknown> | null;
}

export interface RecordActivitiesResult {
  /** True when the rescore could not be queued; the reconciler picks the contacts up later. */
  scoringDelayed: boolean;
  accepted: number;
  duplicates: number;
  contactsCreated: number;
  /** The contacts whose activity changed, for the scoring pipeline. */
  contactIds: string[];
  /**
   * The accounts with new account-level activity (no contact): they are rolled up on their
   * own. Accounts of the contacts are rolled up right after the contacts are rescored.
   */
  accountIds: string[];
}

/** Activities older than this are refused as almost certainly a unit mistake. */
const EARLIEST = Date.UTC(2000, 0, 1);

interface Cleaned {
  type: ActivityType;
  occurredAt: Date;
  externalId: string;
  contactId?: string;
  email?: string;
  accountId?: string;
  accountDomain?: string;
  properties: Record<string, unknown>;
}

export class ActivityService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly maxFutureSkewMs: number,
    private readonly rescore: RescoreScheduler,
  ) {}

  /**
   * Commits the activities in PostgreSQL before returning. A repeated externalId is a
   * duplicate and is stored once; an unknown email creates the contact, as a new lead.
   * `requestId` is passed on to the rescore jobs, so the worker's logs name the request.
   */
  async recordActivities(
    ws: WorkspaceId,
    inputs: readonly ActivityInput[],
    requestId?: string,
  ): Promise<RecordActivitiesResult> {
    const issues = new IssueCollector();
    checkBulkSize(issues, 'activities', inputs);
    issues.throwIfAny();
    const latest = this.clock.now().getTime() + this.maxFutureSkewMs;
    const cleaned = inputs.map((input, i) =>
      cleanActivity(issues, `activities[${i}]`, input, latest),
    );
    issues.throwIfAny();

    const result = await this.store(ws, cleaned, issues);
    // The pending markers written with the activities are the durable record; these
    // jobs are the fast path, and a failure only delays scoring until the reconciler runs.
    const queued =
      (result.contactIds.length === 0 ||
        (await this.rescore.contacts(ws, result.contactIds, 'ACTIVITY', requestId))) &&
      (result.accountIds.length === 0 ||
        (await this.rescore.accounts(ws, result.accountIds, 'ACTIVITY', false, requestId)));
    return { ...result, scoringDelayed: !queued };
  }

  private store(
    ws: WorkspaceId,
    cleaned: Cleaned[],
    issues: IssueCollector,
  ): Promise<Omit<RecordActivitiesResult, 'scoringDelayed'>> {
    return this.db.transaction(ws, async (repos, commitWith) => {
      const contactIds = [...new Set(cleaned.flatMap((c) => (c.contactId ? [c.contactId] : [])))];
      const contactsById = new Map(
        (await repos.contacts.findByIds(ws, contactIds)).map((c) => [c.id, c]),
      );
      const accountIds = [...new Set(cleaned.flatMap((c) => (c.accountId ? [c.accountId] : [])))];
      const accountsById = new Map(
        (await repos.accounts.findByIds(ws, accountIds)).map((a) => [a.id, a]),
      );
      cleaned.forEach((c, i) => {
        if (c.contactId && !contactsById.has(c.contactId)) {
          issues.add(
            `activities[${i}].contactId`,
            `no contact with id ${c.contactId} in this workspace`,
          );
        }
        if (c.accountId && !accountsById.has(c.accountId)) {
          issues.add(
            `activities[${i}].accountId`,
            `no account with id ${c.accountId} in this workspace`,
          );
        }
      });
      issues.throwIfAny();

      const emails = [...new Set(cleaned.flatMap((c) => (c.email ? [c.email] : [])))];
      const contactsByEmail = new Map(
        (await repos.contacts.findByEmails(ws, emails)).map((c) => [c.email, c]),
      );
      const newEmails = emails.filter((e) => !contactsByEmail.has(e));
      const domainsNeeded = [
        ...newEmails.map(emailDomain).filter((d) => !isPersonalEmailDomain(d)),
        ...cleaned.flatMap((c) => (c.accountDomain ? [c.accountDomain] : [])),
      ];
      const { accounts: accountsByDomain } = await ensureAccounts(repos, ws, domainsNeeded);
      if (newEmails.length) {
        const created = await repos.contacts.upsertMany(
          ws,
          newEmails.map((email) => {
            const domain = emailDomain(email);
            const account = isPersonalEmailDomain(domain)
              ? undefined
              : accountsByDomain.get(domain);
            return newContactWrite(ws, email, account?.id ?? null);
          }),
        );
        for (const c of created) contactsByEmail.set(c.email, c);
      }

      const writes: ActivityWrite[] = cleaned.map((c) => {
        const contact = c.contactId
          ? contactsById.get(c.contactId)!
          : c.email
            ? contactsByEmail.get(c.email)!
            : null;
        const accountId = contact
          ? contact.accountId
          : (c.accountId ?? accountsByDomain.get(c.accountDomain!)!.id);
        return {
          contactId: contact?.id ?? null,
          accountId,
          type: c.type,
          occurredAt: c.occurredAt,
          properties: c.properties,
          externalId: c.externalId,
        };
      });
      const inserted = await repos.activities.insertNew(ws, writes);
      // The first of any repeated externalId is the one that was stored.
      const seen = new Set<string>();
      const stored = writes.filter((w) => {
        if (seen.has(w.externalId)) return false;
        seen.add(w.externalId);
        return inserted.has(w.externalId);
      });
      const changedContacts = [
        ...new Set(stored.flatMap((w) => (w.contactId ? [w.contactId] : []))),
      ];
      // A contact's marker stands for its account too: the contact's rescore marks the
      // account for its roll-up in the same transaction. So ingest locks no account
      // markers (which every batch touching an account would wait on) for contact activity.
      const accountLevel = [
        ...new Set(stored.flatMap((w) => (w.accountId && !w.contactId ? [w.accountId] : []))),
      ];
      // Rescores delete the markers they read as they commit, so a marker this transaction
      // holds makes them wait: the markers go with the COMMIT, not a round trip before it.
      if (changedContacts.length)
        commitWith(repos.pending.markQuery(ws, 'CONTACT', changedContacts));
      if (accountLevel.length) commitWith(repos.pending.markQuery(ws, 'ACCOUNT', accountLevel));
      return {
        accepted: inserted.size,
        duplicates: writes.length - inserted.size,
        contactsCreated: newEmails.length,
        contactIds: changedContacts,
        accountIds: accountLevel,
      };
    });
  }
}

function cleanActivity(
  issues: IssueCollector,
  path: string,
  input: ActivityInput,
  latest: number,
): Cleaned {
  if (!(ACTIVITY_TYPES as readonly string[]).includes(input.type)) {
    issues.add(`${path}.type`, `unknown activity type "${String(input.type).slice(0, 50)}"`);
  }
  const at = input.occurredAt instanceof Date ? input.occurredAt.getTime() : NaN;
  if (Number.isNaN(at)) issues.add(`${path}.occurredAt`, 'is not a valid date-time');
  else if (at > latest)
    issues.add(`${path}.occurredAt`, `is in the future (${input.occurredAt.toISOString()})`);
  else if (at < EARLIEST) issues.add(`${path}.occurredAt`, 'is before 2000-01-01');
  const externalId = optionalText(issues, `${path}.externalId`, input.externalId, 200);
  if (!externalId) issues.add(`${path}.externalId`, 'must not be empty');

  const cleaned: Cleaned = {
    type: input.type,
    occurredAt: input.occurredAt,
    externalId: externalId ?? '',
    properties: optionalAttributes(issues, `${path}.properties`, input.properties) ?? {},
  };
  const given = [input.contactId, input.email, input.accountId, input.accountDomain].filter(
    (v) => v != null,
  );
  if (given.length !== 1) {
    issues.add(
      `${path}.contactId`,
      'give exactly one of contactId, email, accountId or accountDomain',
    );
    return cleaned;
  }
  if (input.contactId != null) {
    if (!isUuid(input.contactId)) issues.add(`${path}.contactId`, 'is not a contact id');
    else cleaned.contactId = input.contactId.toLowerCase();
  } else if (input.email != null) {
    const email = normalizeEmail(input.email);
    if (!email)
      issues.add(
        `${path}.email`,
        `is not a valid email address (got "${input.email.slice(0, 100)}")`,
      );
    else cleaned.email = email;
  } else if (input.accountId != null) {
    if (!isUuid(input.accountId)) issues.add(`${path}.accountId`, 'is not an account id');
    else cleaned.accountId = input.accountId.toLowerCase();
  } else if (input.accountDomain != null) {
    const domain = normalizeDomain(input.accountDomain);
    if (!domain || isPersonalEmailDomain(domain)) {
      issues.add(
        `${path}.accountDomain`,
        `is not a company domain (got "${input.accountDomain.slice(0, 100)}")`,
      );
    } else cleaned.accountDomain = domain;
  }
  return cleaned;
}
