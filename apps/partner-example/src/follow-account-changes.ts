import { setTimeout as sleep } from 'node:timers/promises';
import {
  AccountScoreChangedDocument,
  createSubscriptionClient,
  QuorumConnectionClosedError,
  QuorumRequestError,
  subscribe,
  type QuorumConnection,
} from '@quorum/client';
import type { Client } from 'graphql-ws';
import type { AccountChange } from './format-change';

export interface FollowOptions {
  connection: QuorumConnection;
  /** The event id to resume after (the last one handled), or null for live events only. */
  lastEventId(): string | null;
  /** Handles one change; it must be done (printed, saved) when it returns. */
  onChange(change: AccountChange): void;
  log(message: string): void;
  signal: AbortSignal;
  retryDelayMs?(failures: number): number;
}

/**
 * A subscription that delivered a change or stayed up this long was healthy: the backoff
 * starts again after it. One that ended sooner counts as a failure, even when the server
 * ended it cleanly, so a server that keeps ending subscriptions is not hammered.
 */
export const HEALTHY_RUN_MS = 60_000;

/** Up to 15 s between attempts, with jitter so many partners do not reconnect in step. */
function defaultRetryDelay(failures: number): number {
  const base = Math.min(15_000, 250 * 2 ** Math.min(failures, 6));
  return base / 2 + Math.random() * (base / 2);
}

/** A wrong key, a missing scope or a bad `since` will not fix itself by retrying. */
function isFatal(error: unknown): boolean {
  if (error instanceof ChangeHandlingError) return true;
  if (error instanceof QuorumConnectionClosedError) return error.isAuthFailure;
  if (error instanceof QuorumRequestError) {
    return error.codes.some((code) =>
      ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED'].includes(
        code,
      ),
    );
  }
  return false;
}

/** Printing or saving a change failed: retrying would skip that change, so stop. */
export class ChangeHandlingError extends Error {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super(`could not handle ${eventId}: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'ChangeHandlingError';
  }
}

/** Runs one subscription until the server ends it, the connection fails, or `signal` aborts. */
function followOnce(client: Client, since: string | null, options: FollowOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      options.signal.removeEventListener('abort', onAbort);
      unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish();
    const unsubscribe = subscribe(
      client,
      AccountScoreChangedDocument,
      { since },
      {
        next: (data) => {
          // Nothing after a failure or a stop: the next run resumes from the last saved event.
          if (done) return;
          try {
            options.onChange(data.accountScoreChanged);
          } catch (error) {
            finish(new ChangeHandlingError(data.accountScoreChanged.eventId, error));
          }
        },
        error: (error) => finish(error),
        complete: () => finish(),
      },
    );
    options.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follows accountScoreChanged until `signal` aborts. Every (re)connection subscribes with
 * `since` = the last event handled, so a dropped connection or a restart misses nothing and
 * repeats nothing (Quorum replays up to 24 hours of missed events, then continues live).
 */
export async function followAccountChanges(options: FollowOptions): Promise<void> {
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  let failures = 0;
  while (!options.signal.aborted) {
    const since = options.lastEventId();
    const startedAt = Date.now();
    let delivered = false;
    const client = createSubscriptionClient(options.connection, {
      lazy: true,
      // Reconnection is ours: graphql-ws would resubscribe with the first `since` again.
      retryAttempts: 0,
      on: {
        connected: () => {
          options.log(
            `connected; ${since ? `resuming after ${since}` : 'no saved event: live changes from now'}`,
          );
        },
      },
    });
    try {
      await followOnce(client, since, {
        ...options,
        onChange: (change) => {
          delivered = true;
          options.onChange(change);
        },
      });
      if (!options.signal.aborted) options.log('the server ended the subscription; reconnecting');
    } catch (error) {
      if (isFatal(error)) throw error;
      options.log(`connection lost (${(error as Error).message}); reconnecting`);
    } finally {
      await client.dispose();
    }
    if (options.signal.aborted) break;
    const healthy = delivered || Date.now() - startedAt >= HEALTHY_RUN_MS;
    failures = healthy ? 0 : failures + 1;
    await sleep(retryDelay(failures), undefined, { signal: options.signal }).catch(() => undefined);
  }
}
