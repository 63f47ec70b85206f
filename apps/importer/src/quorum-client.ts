import type { ImportKind } from './fields';
import type { ApiInput } from './row-conversion';

/** What one accepted bulk call reported; fields a kind does not have are 0. */
export interface BulkCounts {
  created: number;
  updated: number;
  accountsCreated: number;
  accepted: number;
  duplicates: number;
  contactsCreated: number;
  scoringDelayed: boolean;
}

export type BulkOutcome =
  | { ok: true; counts: BulkCounts }
  /** The API refused the call (nothing written): the problems of each item, by index. */
  | { ok: false; issues: Map<number, ItemIssue[]>; unplaced: string[] };

export interface ItemIssue {
  /** The field the issue is about, e.g. `domain` from `accounts[3].domain`. */
  field: string | null;
  message: string;
}

/** The import cannot go on (key refused, API unreachable, unexpected error). */
export class ImportAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportAborted';
  }
}

const MUTATIONS: Record<ImportKind, { name: string; text: string }> = {
  accounts: {
    name: 'upsertAccounts',
    text: 'mutation ImportAccounts($items: [AccountInput!]!) { upsertAccounts(accounts: $items) { created updated } }',
  },
  contacts: {
    name: 'upsertContacts',
    text: 'mutation ImportContacts($items: [ContactInput!]!) { upsertContacts(contacts: $items) { created updated accountsCreated } }',
  },
  activities: {
    name: 'recordActivities',
    text: 'mutation ImportActivities($items: [ActivityInput!]!) { recordActivities(activities: $items) { accepted duplicates contactsCreated scoringDelayed } }',
  },
};

interface GraphQLError {
  message: string;
  extensions?: { code?: string; issues?: { path?: string; message?: string }[] } & Record<
    string,
    unknown
  >;
}

export interface ClientOptions {
  url: string;
  key: string;
  /** Attempts for a network failure or a 5xx answer before giving up. */
  maxAttempts?: number;
  /**
   * Longest total wait on 429 answers for one call before the import stops: an API that
   * only ever answers 429 (a budget of 0, a misconfigured proxy) must not hold it forever.
   */
  maxRateLimitWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onWait?: (reason: 'rate-limit' | 'retry', ms: number) => void;
}

export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;

/**
 * The three bulk mutations over GraphQL/HTTP with an API key. Keeps to the key's write
 * budget: waits out `x-ratelimit-reset` when the budget is spent and `retry-after` on a
 * 429, for up to `maxRateLimitWaitMs` in all per call; retries network failures and 5xx
 * answers with backoff (safe: every write is idempotent by its key).
 */
export class QuorumClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private waitUntil = 0;

  constructor(private readonly options: ClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async bulk(kind: ImportKind, items: readonly ApiInput[]): Promise<BulkOutcome> {
    const mutation = MUTATIONS[kind];
    const body = JSON.stringify({ query: mutation.text, variables: { items } });
    const maxAttempts = this.options.maxAttempts ?? 6;
    const maxRateLimitWaitMs = this.options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    let rateLimitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const pause = this.waitUntil - Date.now();
      if (pause > 0) await this.sleep(pause);
      let response: Response;
      let payload: { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
      try {
        response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${this.options.key}`,
          },
          body,
        });
        payload = (await response.json()) as typeof payload;
      } catch (error) {
        if (attempt >= maxAttempts) {
          throw new ImportAborted(
            `cannot reach ${this.options.url}: ${(error as Error).message} (after ${attempt} attempts)`,
          );
        }
        await this.backoff(attempt);
        continue;
      }
      this.noteBudget(response.headers);
      const errors = payload.errors ?? [];
      const code = errors[0]?.extensions?.code;
      if (response.status === 429 || code === 'RATE_LIMITED') {
        const seconds = Number(response.headers.get('retry-after') ?? 1);
        const ms = Math.max(1, Number.isFinite(seconds) ? seconds : 1) * 1000;
        if (rateLimitedMs + ms > maxRateLimitWaitMs) {
          throw new ImportAborted(
            `${this.options.url} kept answering 429 (rate limited): waited ${formatWait(rateLimitedMs)} in all for one call of ${items.length} rows, and it asks for ${formatWait(ms)} more. Check the key's write budget (RATE_LIMIT_WRITES_PER_MINUTE) or anything between you and Quorum, or allow longer with --max-rate-limit-wait <minutes>.`,
          );
        }
        rateLimitedMs += ms;
        this.options.onWait?.('rate-limit', ms);
        this.waitUntil = Date.now() + ms;
        // A 429 is not a failed attempt: the budget for network failures and 5xx starts again.
        attempt = 0;
        continue;
      }
      // A 5xx, or an internal error (a deadlock, a timeout): nothing was written, and
      // sending again is safe because every write is idempotent by its key.
      if ((response.status >= 500 || code === 'INTERNAL_SERVER_ERROR') && !payload.data) {
        if (attempt >= maxAttempts) {
          throw new ImportAborted(
            `${this.options.url} answered ${response.status}${code ? ` ${code}` : ''}: ${errors[0]?.message ?? 'no detail'} (after ${attempt} attempts)`,
          );
        }
        await this.backoff(attempt);
        continue;
      }
      if (errors.length === 0 && payload.data?.[mutation.name]) {
        return {
          ok: true,
          counts: countsOf(payload.data[mutation.name] as Record<string, unknown>),
        };
      }
      if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) {
        return { ok: false, ...issuesByIndex(errors) };
      }
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
        throw new ImportAborted(
          `the API key was refused (${code}): ${errors[0]!.message}. It needs the WRITE scope.`,
        );
      }
      throw new ImportAborted(
        `${mutation.name} failed (HTTP ${response.status}): ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ') || 'no data in the answer'}`,
      );
    }
  }

  private async backoff(attempt: number): Promise<void> {
    const ms = Math.min(10_000, 250 * 2 ** attempt);
    this.options.onWait?.('retry', ms);
    await this.sleep(ms);
  }

  /** Spent budget: hold the next call until the window resets rather than earn a 429. */
  private noteBudget(headers: Headers): void {
    if (headers.get('x-ratelimit-budget') !== 'writes') return;
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (remaining === 0 && Number.isFinite(reset) && reset > 0) {
      this.options.onWait?.('rate-limit', reset * 1000);
      this.waitUntil = Date.now() + reset * 1000;
    }
  }
}

function formatWait(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6_000) / 10} min` : `${Math.round(ms / 1000)} s`;
}

function countsOf(data: Record<string, unknown>): BulkCounts {
  const n = (key: string) => (typeof data[key] === 'number' ? (data[key] as number) : 0);
  return {
    created: n('created'),
    updated: n('updated'),
    accountsCreated: n('accountsCreated'),
    accepted: n('accepted'),
    duplicates: n('duplicates'),
    contactsCreated: n('contactsCreated'),
    scoringDelayed: data['scoringDelayed'] === true,
  };
}

const ITEM_PATH = /^\w+\[(\d+)\](?:\.([\w.]+))?/;
/** graphql-js names the offending variable value in the message when coercion fails. */
const COERCION_PATH = /at "\w+\[(\d+)\](?:\.([\w.]+))?"/;

/**
 * BAD_USER_INPUT answers: Quorum's own carry `issues[]` with paths like
 * `accounts[3].domain`; a variable that fails GraphQL coercion names its path in the
 * message. What cannot be tied to an item is returned as `unplaced`.
 */
export function issuesByIndex(errors: readonly GraphQLError[]): {
  issues: Map<number, ItemIssue[]>;
  unplaced: string[];
} {
  const issues = new Map<number, ItemIssue[]>();
  const unplaced: string[] = [];
  const add = (index: number, field: string | null, message: string) => {
    const list = issues.get(index) ?? [];
    list.push({ field, message });
    issues.set(index, list);
  };
  for (const error of errors) {
    const listed = error.extensions?.issues ?? [];
    if (listed.length > 0) {
      for (const issue of listed) {
        const match = ITEM_PATH.exec(issue.path ?? '');
        if (match) add(Number(match[1]), match[2] ?? null, issue.message ?? error.message);
        else unplaced.push(`${issue.path}: ${issue.message}`);
      }
      continue;
    }
    const match = COERCION_PATH.exec(error.message);
    if (match) add(Number(match[1]), match[2] ?? null, error.message);
    else unplaced.push(error.message);
  }
  return { issues, unplaced };
}
