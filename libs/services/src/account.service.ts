import { randomUUID } from 'node:crypto';
import type {
  AccountEntity,
  AccountFilter,
  AccountListRow,
  AccountOrder,
  AccountWrite,
  Database,
  Page,
  PageRequest,
  WorkspaceId,
} from '@quorum/persistence';
import { IssueCollector } from './errors';
import { checkBulkSize, optionalAttributes, optionalCount, optionalText } from './field-checks';
import { normalizeDomain } from './normalize';
import type { RescoreScheduler } from './rescore-scheduler';

export interface AccountInput {
  domain: string;
  name?: string | null;
  industry?: string | null;
  employeeCount?: number | null;
  annualRevenue?: number | null;
  country?: string | null;
  region?: string | null;
  technologies?: string[] | null;
  ownerId?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface UpsertAccountsResult {
  accounts: AccountEntity[];
  created: number;
  updated: number;
}

type Cleaned = Omit<AccountInput, 'domain'> & { domain: string };

export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly rescore: RescoreScheduler,
  ) {}

  /**
   * Inserts or updates accounts keyed by normalised domain. A field left out keeps its
   * stored value; null clears it. Any invalid item refuses the whole call.
   */
  async upsertAccounts(
    ws: WorkspaceId,
    inputs: readonly AccountInput[],
  ): Promise<UpsertAccountsResult> {
    const issues = new IssueCollector();
    checkBulkSize(issues, 'accounts', inputs);
    issues.throwIfAny();
    const cleaned = inputs.map((input, i) => cleanAccount(issues, `accounts[${i}]`, input));
    const firstIndex = new Map<string, number>();
    cleaned.forEach((c, i) => {
      if (!c.domain) return;
      const seen = firstIndex.get(c.domain);
      if (seen !== undefined) {
        issues.add(`accounts[${i}].domain`, `duplicates accounts[${seen}] (${c.domain})`);
      } else firstIndex.set(c.domain, i);
    });
    issues.throwIfAny();

    const result = await this.db.transaction(ws, async (repos) => {
      const existing = await repos.accounts.findByDomains(
        ws,
        cleaned.map((c) => c.domain),
      );
      const byDomain = new Map(existing.map((a) => [a.domain, a]));
      const writes: AccountWrite[] = cleaned.map((c) =>
        mergeAccount(ws, c, byDomain.get(c.domain)),
      );
      const accounts = await repos.accounts.upsertMany(ws, writes);
      const ids = accounts.map((a) => a.id);
      // Contacts' markers before accounts', the order every writer takes them in.
      await repos.pending.markContactsOfAccounts(ws, ids);
      await repos.pending.mark(ws, 'ACCOUNT', ids);
      return { accounts, created: cleaned.length - byDomain.size, updated: byDomain.size };
    });
    // Account attributes feed the fit of the account and of each of its contacts.
    const ids = result.accounts.map((a) => a.id);
    await this.rescore.accounts(ws, ids, 'ACCOUNT_UPDATED', true);
    return result;
  }

  list(
    ws: WorkspaceId,
    filter: AccountFilter,
    order: AccountOrder,
    page: PageRequest,
  ): Promise<Page<AccountListRow>> {
    return this.db.repos.accounts.list(ws, filter, order, page);
  }

  count(ws: WorkspaceId, filter: AccountFilter, order?: AccountOrder): Promise<number> {
    return this.db.repos.accounts.count(ws, filter, order);
  }

  async findByDomain(ws: WorkspaceId, rawDomain: string): Promise<AccountEntity | null> {
    const domain = normalizeDomain(rawDomain);
    if (!domain) return null;
    const [account] = await this.db.repos.accounts.findByDomains(ws, [domain]);
    return account ?? null;
  }
}

function cleanAccount(issues: IssueCollector, path: string, input: AccountInput): Cleaned {
  const domain = normalizeDomain(input.domain ?? '');
  if (!domain)
    issues.add(
      `${path}.domain`,
      `is not a valid domain (got "${String(input.domain).slice(0, 100)}")`,
    );
  const technologies =
    input.technologies === undefined
      ? undefined
      : (input.technologies ?? [])
          .map((t, j) => optionalText(issues, `${path}.technologies[${j}]`, t, 100) ?? '')
          .filter(Boolean);
  if (technologies && technologies.length > 200)
    issues.add(`${path}.technologies`, 'at most 200 technologies');
  return {
    domain: domain ?? '',
    name: optionalText(issues, `${path}.name`, input.name, 300),
    industry: optionalText(issues, `${path}.industry`, input.industry, 120),
    employeeCount: optionalCount(issues, `${path}.employeeCount`, input.employeeCount, {
      integer: true,
    }),
    annualRevenue: optionalCount(issues, `${path}.annualRevenue`, input.annualRevenue, {
      integer: false,
    }),
    country: optionalText(issues, `${path}.country`, input.country, 100),
    region: optionalText(issues, `${path}.region`, input.region, 100),
    technologies,
    ownerId: optionalText(issues, `${path}.ownerId`, input.ownerId, 100),
    attributes: optionalAttributes(issues, `${path}.attributes`, input.attributes),
  };
}

function pick<T>(given: T | undefined, stored: T | undefined, fallback: T): T {
  if (given !== undefined) return given;
  return stored !== undefined ? stored : fallback;
}

function mergeAccount(
  ws: WorkspaceId,
  c: Cleaned,
  stored: AccountEntity | undefined,
): AccountWrite {
  return {
    workspaceId: ws,
    id: stored?.id ?? randomUUID(),
    domain: c.domain,
    name: pick(c.name, stored?.name, null),
    industry: pick(c.industry, stored?.industry, null),
    employeeCount: pick(c.employeeCount, stored?.employeeCount, null),
    annualRevenue: pick(c.annualRevenue, stored?.annualRevenue, null),
    country: pick(c.country, stored?.country, null),
    region: pick(c.region, stored?.region, null),
    technologies: pick(c.technologies ?? undefined, stored?.technologies, []),
    ownerId: pick(c.ownerId, stored?.ownerId, null),
    attributes: pick(c.attributes ?? undefined, stored?.attributes, {}),
  };
}
