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

/** Waits for a burst of events to pass before refetching, so 50 changes cost one refetch. */
const REFETCH_DELAY_MS = 250;

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

  const refetchSoon = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      void client.refetchQueries({ include: LIVE_QUERIES });
    }, REFETCH_DELAY_MS);
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
    setRecent((previous) =>
      new Map(previous).set(event.accountId, { delta, eventId: event.eventId }),
    );
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
