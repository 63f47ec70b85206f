import type { Clock } from '@quorum/config';
import { randomUUID } from 'node:crypto';
import type {
  AccountEntity,
  ContactEntity,
  ContactFilter,
  ContactListRow,
  ContactOrder,
  ContactWrite,
  Database,
  Page,
  PageRequest,
  Repositories,
  WorkspaceId,
} from '@quorum/persistence';
import { IssueCollector, NotFoundError } from './errors';
import { checkBulkSize, isUuid, optionalAttributes, optionalText } from './field-checks';
import { emailDomain, isPersonalEmailDomain, normalizeDomain, normalizeEmail } from './normalize';
import type { RescoreScheduler } from './rescore-scheduler';

export const LIFECYCLE_STAGES = [
  'LEAD',
  'MQL',
  'SQL',
  'OPPORTUNITY',
  'CUSTOMER',
  'DISQUALIFIED',
] as const;
export type LifecycleStageName = (typeof LIFECYCLE_STAGES)[number];

export interface ContactInput {
  email: string;
  accountId?: string | null;
  accountDomain?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  title?: string | null;
  seniority?: string | null;
  department?: string | null;
  country?: string | null;
  unsubscribed?: boolean | null;
  lifecycleStage?: LifecycleStageName | null;
  attributes?: Record<string, unknown> | null;
}

export interface UpsertContactsResult {
  contacts: ContactEntity[];
  created: number;
  updated: number;
  accountsCreated: number;
}

type Cleaned = Omit<ContactInput, 'email' | 'accountDomain'> & {
  email: string;
  accountDomain?: string | null;
};

export class ContactService {
  constructor(
    private readonly db: Database,
    private readonly rescore: RescoreScheduler,
    private readonly clock: Clock,
  ) {}

  async upsertContacts(
    ws: WorkspaceId,
    inputs: readonly ContactInput[],
  ): Promise<UpsertContactsResult> {
    const issues = new IssueCollector();
    checkBulkSize(issues, 'contacts', inputs);
    issues.throwIfAny();
    const cleaned = inputs.map((input, i) => cleanContact(issues, `contacts[${i}]`, input));
    const seen = new Map<string, number>();
    cleaned.forEach((c, i) => {
      if (!c.email) return;
      const first = seen.get(c.email);
      if (first !== undefined)
        issues.add(`contacts[${i}].email`, `duplicates contacts[${first}] (${c.email})`);
      else seen.set(c.email, i);
    });
    issues.throwIfAny();

    const result = await this.store(ws, cleaned, issues);
    await this.rescore.contacts(
      ws,
      result.contacts.map((c) => c.id),
      'CONTACT_UPDATED',
    );
    return result;
  }

  private store(
    ws: WorkspaceId,
    cleaned: Cleaned[],
    issues: IssueCollector,
  ): Promise<UpsertContactsResult> {
    return this.db.transaction(ws, async (repos) => {
      const accountIds = [
        ...new Set(cleaned.map((c) => c.accountId).filter((id): id is string => !!id)),
      ];
      const known = new Set((await repos.accounts.findByIds(ws, accountIds)).map((a) => a.id));
      cleaned.forEach((c, i) => {
        if (c.accountId && !known.has(c.accountId)) {
          issues.add(
            `contacts[${i}].accountId`,
            `no account with id ${c.accountId} in this workspace`,
          );
        }
      });
      issues.throwIfAny();

      const existing = new Map(
        (
          await repos.contacts.findByEmails(
            ws,
            cleaned.map((c) => c.email),
          )
        ).map((c) => [c.email, c]),
      );
      const wanted = new Map<number, string>();
      cleaned.forEach((c, i) => {
        const domain = accountDomainFor(c, existing.get(c.email));
        if (domain) wanted.set(i, domain);
      });
      const { accounts, created: accountsCreated } = await ensureAccounts(repos, ws, [
        ...wanted.values(),
      ]);
      const writes: ContactWrite[] = cleaned.map((c, i) => {
        const stored = existing.get(c.email);
        const domain = wanted.get(i);
        const accountId =
          c.accountId ?? (domain ? accounts.get(domain)!.id : (stored?.accountId ?? null));
        return mergeContact(ws, c, stored, accountId);
      });
      const contacts = await repos.contacts.upsertMany(ws, writes);
      await repos.pending.mark(
        ws,
        'CONTACT',
        contacts.map((c) => c.id),
      );
      return {
        contacts,
        created: cleaned.length - existing.size,
        updated: existing.size,
        accountsCreated,
      };
    });
  }

  list(
    ws: WorkspaceId,
    filter: ContactFilter,
    order: ContactOrder,
    page: PageRequest,
  ): Promise<Page<ContactListRow>> {
    return this.db.repos.contacts.list(ws, filter, order, page);
  }

  count(ws: WorkspaceId, filter: ContactFilter): Promise<number> {
    return this.db.repos.contacts.count(ws, filter);
  }

  async findByEmail(ws: WorkspaceId, rawEmail: string): Promise<ContactEntity | null> {
    const email = normalizeEmail(rawEmail);
    if (!email) return null;
    const [contact] = await this.db.repos.contacts.findByEmails(ws, [email]);
    return contact ?? null;
  }

  /** Erases the person: the contact, their activities and memberships (by cascade). */
  async deleteContact(ws: WorkspaceId, id: string, actorKeyId: string | null): Promise<void> {
    const accountId = await this.db.transaction(ws, async (repos) => {
      const [contact] = isUuid(id) ? await repos.contacts.findByIds(ws, [id]) : [];
      if (!contact || !(await repos.contacts.delete(ws, id)))
        throw new NotFoundError('Contact', id, 'id');
      await repos.pending.clear(ws, 'CONTACT', [id]);
      if (contact.accountId) await repos.pending.mark(ws, 'ACCOUNT', [contact.accountId]);
      // The record keeps which contact was erased, never who the person was.
      await repos.audit.record(ws, {
        action: 'CONTACT_ERASED',
        actorKeyId,
        targetType: 'CONTACT',
        targetId: id,
        details: {},
        at: this.clock.now(),
      });
      return contact.accountId;
    });
    if (accountId) await this.rescore.accounts(ws, [accountId], 'CONTACT_DELETED');
  }
}

/** The domain whose account a contact should belong to, when one should be set now. */
function accountDomainFor(c: Cleaned, stored: ContactEntity | undefined): string | null {
  if (c.accountId) return null;
  if (c.accountDomain) return c.accountDomain;
  if (stored?.accountId) return null;
  const domain = emailDomain(c.email);
  return isPersonalEmailDomain(domain) ? null : domain;
}

/** Finds or creates (with only a domain) the accounts of these domains. */
export async function ensureAccounts(
  repos: Repositories,
  ws: WorkspaceId,
  domains: readonly string[],
): Promise<{ accounts: Map<string, AccountEntity>; created: number }> {
  const unique = [...new Set(domains)];
  const accounts = new Map(
    (await repos.accounts.findByDomains(ws, unique)).map((a) => [a.domain, a]),
  );
  const missing = unique.filter((d) => !accounts.has(d));
  if (missing.length) {
    const created = await repos.accounts.upsertMany(
      ws,
      missing.map((domain) => ({
        workspaceId: ws,
        id: randomUUID(),
        domain,
        name: null,
        industry: null,
        employeeCount: null,
        annualRevenue: null,
        country: null,
        region: null,
        technologies: [],
        ownerId: null,
        attributes: {},
      })),
    );
    for (const a of created) accounts.set(a.domain, a);
  }
  return { accounts, created: missing.length };
}

/** A new contact for an email seen for the first time (e.g. in an activity). */
export function newContactWrite(
  ws: WorkspaceId,
  email: string,
  accountId: string | null,
): ContactWrite {
  return mergeContact(ws, { email }, undefined, accountId);
}

function cleanContact(issues: IssueCollector, path: string, input: ContactInput): Cleaned {
  const email = normalizeEmail(input.email ?? '');
  if (!email)
    issues.add(
      `${path}.email`,
      `is not a valid email address (got "${String(input.email).slice(0, 100)}")`,
    );
  if (input.accountId && input.accountDomain) {
    issues.add(`${path}.accountDomain`, 'give accountId or accountDomain, not both');
  }
  if (input.accountId != null && !isUuid(input.accountId)) {
    issues.add(
      `${path}.accountId`,
      `is not an account id (got "${input.accountId.slice(0, 100)}")`,
    );
  }
  let accountDomain: string | null | undefined;
  if (input.accountDomain != null) {
    accountDomain = normalizeDomain(input.accountDomain);
    if (!accountDomain)
      issues.add(
        `${path}.accountDomain`,
        `is not a valid domain (got "${input.accountDomain.slice(0, 100)}")`,
      );
    else if (isPersonalEmailDomain(accountDomain)) {
      issues.add(
        `${path}.accountDomain`,
        `${accountDomain} is a personal mailbox provider, not a company`,
      );
    }
  }
  return {
    email: email ?? '',
    accountId: input.accountId ?? undefined,
    accountDomain,
    firstName: optionalText(issues, `${path}.firstName`, input.firstName, 100),
    lastName: optionalText(issues, `${path}.lastName`, input.lastName, 100),
    title: optionalText(issues, `${path}.title`, input.title, 200),
    seniority: optionalText(issues, `${path}.seniority`, input.seniority, 50),
    department: optionalText(issues, `${path}.department`, input.department, 100),
    country: optionalText(issues, `${path}.country`, input.country, 100),
    unsubscribed: input.unsubscribed ?? undefined,
    lifecycleStage: input.lifecycleStage ?? undefined,
    attributes: optionalAttributes(issues, `${path}.attributes`, input.attributes),
  };
}

function pick<T>(given: T | undefined, stored: T | undefined, fallback: T): T {
  if (given !== undefined) return given;
  return stored !== undefined ? stored : fallback;
}

function mergeContact(
  ws: WorkspaceId,
  c: Cleaned,
  stored: ContactEntity | undefined,
  accountId: string | null,
): ContactWrite {
  return {
    workspaceId: ws,
    id: stored?.id ?? randomUUID(),
    accountId,
    email: c.email,
    firstName: pick(c.firstName, stored?.firstName, null),
    lastName: pick(c.lastName, stored?.lastName, null),
    title: pick(c.title, stored?.title, null),
    seniority: pick(c.seniority, stored?.seniority, null),
    department: pick(c.department, stored?.department, null),
    country: pick(c.country, stored?.country, null),
    unsubscribed: pick(c.unsubscribed ?? undefined, stored?.unsubscribed, false),
    lifecycleStage: pick(c.lifecycleStage ?? undefined, stored?.lifecycleStage, 'LEAD'),
    attributes: pick(c.attributes ?? undefined, stored?.attributes, {}),
  };
}
