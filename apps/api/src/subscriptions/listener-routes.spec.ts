import type { ScoreEvent } from '@quorum/events';
import { describe, expect, it } from 'vitest';
import { ListenerRoutes, type Listener } from './listener-routes';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

function accountEvent(accountId: string): ScoreEvent {
  return {
    type: 'ACCOUNT_SCORE_CHANGED',
    eventId: `account:${accountId}`,
    workspaceId: 'w',
    at: '2026-11-30T00:00:00.000Z',
    cause: 'ACTIVITY',
    modelVersionId: 'm',
    accountId,
    old: null,
    new: { total: 50, tier: 'WARM', fit: 20, engagement: 30 },
    reasons: [],
  };
}

function leadEvent(accountId: string | null): ScoreEvent {
  return {
    type: 'LEAD_SCORE_CHANGED',
    eventId: 'lead:1',
    workspaceId: 'w',
    at: '2026-11-30T00:00:00.000Z',
    cause: 'ACTIVITY',
    modelVersionId: 'm',
    contactId: 'c',
    accountId,
    old: null,
    new: { total: 10, tier: 'COLD', fit: 5, engagement: 5, negative: 0 },
    reasons: [],
  };
}

function recorder() {
  const seen: string[] = [];
  const listener =
    (name: string): Listener =>
    (e) =>
      seen.push(`${name}:${e.eventId}`);
  return { seen, listener };
}

describe('ListenerRoutes', () => {
  it('hands an event to the listeners of its type that follow all accounts or its account', () => {
    const routes = new ListenerRoutes();
    const r = recorder();
    routes.add(r.listener('all'), { type: 'ACCOUNT_SCORE_CHANGED' });
    routes.add(r.listener('a'), { type: 'ACCOUNT_SCORE_CHANGED', accountIds: [A.toUpperCase()] });
    routes.add(r.listener('b'), { type: 'ACCOUNT_SCORE_CHANGED', accountIds: [B] });
    routes.add(r.listener('ab'), { type: 'ACCOUNT_SCORE_CHANGED', accountIds: [A, B, A] });
    routes.add(r.listener('leads'), { type: 'LEAD_SCORE_CHANGED' });
    routes.add(r.listener('leads-a'), { type: 'LEAD_SCORE_CHANGED', accountIds: [A] });

    routes.dispatch(accountEvent(A));
    expect(r.seen.sort()).toEqual([`all:account:${A}`, `a:account:${A}`, `ab:account:${A}`].sort());
    r.seen.length = 0;
    routes.dispatch(leadEvent(null));
    routes.dispatch(leadEvent(A));
    expect(r.seen).toEqual(['leads:lead:1', 'leads:lead:1', 'leads-a:lead:1']);
    expect(routes.size).toBe(6);
  });

  it('forgets a listener on removal, once, and drops empty routes', () => {
    const routes = new ListenerRoutes();
    const r = recorder();
    const removeAb = routes.add(r.listener('ab'), {
      type: 'ACCOUNT_SCORE_CHANGED',
      accountIds: [A, B],
    });
    const removeAll = routes.add(r.listener('all'), { type: 'ACCOUNT_SCORE_CHANGED' });
    removeAb();
    removeAb();
    expect(routes.size).toBe(1);
    routes.dispatch(accountEvent(B));
    expect(r.seen).toEqual([`all:account:${B}`]);
    removeAll();
    expect(routes.size).toBe(0);
    routes.dispatch(accountEvent(B));
    expect(r.seen).toHaveLength(1);
  });
});
