import type { ScoreEvent } from '@quorum/events';

export type Listener = (event: ScoreEvent) => void;

/**
 * Which events a listener can possibly accept, known before any event arrives: its event
 * type and, when its filter names accounts, those accounts. Its own predicate still
 * decides; the route only spares it the events that could never match.
 */
export interface Route {
  type: ScoreEvent['type'];
  accountIds?: readonly string[];
}

interface TypeRoutes {
  /** Listeners of every event of the type. */
  all: Set<Listener>;
  /** Listeners of some accounts' events, by account id (lower case). */
  byAccount: Map<string, Set<Listener>>;
}

/**
 * One workspace's listeners, indexed by route: an event reaches the listeners of its type
 * that follow every account, and those that follow its account, and no others. With a
 * thousand partners that each follow a few accounts, an event costs a few listener calls
 * instead of a thousand.
 */
export class ListenerRoutes {
  private readonly byType = new Map<string, TypeRoutes>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(listener: Listener, route: Route): () => void {
    let routes = this.byType.get(route.type);
    if (!routes) {
      routes = { all: new Set(), byAccount: new Map() };
      this.byType.set(route.type, routes);
    }
    const accounts = route.accountIds?.length
      ? [...new Set(route.accountIds.map((id) => id.toLowerCase()))]
      : null;
    if (accounts) {
      for (const id of accounts) {
        const set = routes.byAccount.get(id) ?? new Set<Listener>();
        set.add(listener);
        routes.byAccount.set(id, set);
      }
    } else routes.all.add(listener);
    this.count += 1;
    let removed = false;
    const owner = routes;
    return () => {
      if (removed) return;
      removed = true;
      this.count -= 1;
      if (!accounts) owner.all.delete(listener);
      else
        for (const id of accounts) {
          const set = owner.byAccount.get(id);
          set?.delete(listener);
          if (set?.size === 0) owner.byAccount.delete(id);
        }
      if (owner.all.size === 0 && owner.byAccount.size === 0) this.byType.delete(route.type);
    };
  }

  dispatch(event: ScoreEvent): void {
    const routes = this.byType.get(event.type);
    if (!routes) return;
    for (const listener of routes.all) listener(event);
    const accountId = 'accountId' in event ? event.accountId : null;
    if (accountId) {
      const followers = routes.byAccount.get(accountId.toLowerCase());
      if (followers) for (const listener of followers) listener(event);
    }
  }
}
