import { useApolloClient, useSubscription } from '@apollo/client/react';
import { isReference } from '@apollo/client/utilities';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { ACCOUNT_SCORE_CHANGED, LIVE_QUERIES, type AccountScoreChange } from './operations';
import type { LiveConnection, LiveStatus } from './session';

export interface RecentChange {
  delta: number;
  eventId: string;
}

interface LiveState {
  status: LiveStatus;
  /** The last score move of each account seen since the page opened. */
  recent: ReadonlyMap<string, RecentChange>;
  events: number;
}

const LiveContext = createContext<LiveState>({
  status: 'connecting',
  recent: new Map(),
  events: 0,
});

/** A burst of events costs one refetch, and a busy workspace at most one every 2 s. */
const REFETCH_DELAY_MS = 250;
const MIN_REFETCH_INTERVAL_MS = 2000;
/** Accounts whose last move is remembered for highlighting. */
const MAX_RECENT = 500;

/**
 * Subscribes to accountScoreChanged for the whole page. Each event updates the account's
 * score in the cache at once (its row re-sorts), then the open views are refetched for
 * what the event does not carry: history, signals, other pages.
 */
export function LiveUpdates({ live, children }: { live: LiveConnection; children: ReactNode }) {
  const client = useApolloClient();
  const status = useSyncExternalStore(live.subscribe, live.getStatus);
  const [recent, setRecent] = useState<ReadonlyMap<string, RecentChange>>(new Map());
  const [events, setEvents] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  const lastRefetch = useRef(0);

  const refetchSoon = useCallback(() => {
    if (timer.current !== undefined) return;
    const wait = Math.max(
      REFETCH_DELAY_MS,
      lastRefetch.current + MIN_REFETCH_INTERVAL_MS - Date.now(),
    );
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      lastRefetch.current = Date.now();
      // A failed refetch leaves the views as they were; the next event or reconnect tries again.
      client.refetchQueries({ include: LIVE_QUERIES }).catch((error: unknown) => {
        console.warn('Quorum dashboard: refreshing after a score change failed', error);
      });
    }, wait);
  }, [client]);

  useEffect(() => live.onReconnect(refetchSoon), [live, refetchSoon]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const apply = (event: AccountScoreChange) => {
    const delta = event.new.total - (event.old?.total ?? 0);
    client.cache.modify<{ score: { total: number; tier: string; scoreChange: number } | null }>({
      id: client.cache.identify({ __typename: 'Account', id: event.accountId }),
      fields: {
        score: (existing) =>
          existing && !isReference(existing)
            ? { ...existing, total: event.new.total, tier: event.new.tier, scoreChange: delta }
            : existing,
      },
    });
    setRecent((previous) => {
      const next = new Map(previous);
      next.delete(event.accountId);
      next.set(event.accountId, { delta, eventId: event.eventId });
      if (next.size > MAX_RECENT) next.delete(next.keys().next().value!);
      return next;
    });
    setEvents((n) => n + 1);
    refetchSoon();
  };

  useSubscription(ACCOUNT_SCORE_CHANGED, {
    onData: ({ data }) => {
      if (data.data) apply(data.data.accountScoreChanged);
    },
  });

  return <LiveContext value={{ status, recent, events }}>{children}</LiveContext>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
