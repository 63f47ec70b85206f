import type {
  AccountScoreChangedEvent,
  LeadScoreChangedEvent,
  LifecycleStageChangedEvent,
  ScoreEvent,
} from '@quorum/events';
import { describe, expect, it } from 'vitest';
import { accountFilter, backfillFilter, leadFilter, lifecycleFilter } from './filters';

const CONTACT = '6f1c2c1e-1111-4a4a-8a8a-000000000001';
const ACCOUNT = '6f1c2c1e-2222-4a4a-8a8a-000000000002';
const base = {
  workspaceId: '6f1c2c1e-0000-4a4a-8a8a-000000000000',
  at: '2026-11-30T12:00:00.000Z',
  cause: 'ACTIVITY',
  modelVersionId: '6f1c2c1e-3333-4a4a-8a8a-000000000003',
};

function lead(
  old: { total: number; tier: string } | null,
  next: { total: number; tier: string },
  accountId: string | null = ACCOUNT,
): LeadScoreChangedEvent {
  return {
    ...base,
    type: 'LEAD_SCORE_CHANGED',
    eventId: 'lead:1',
    contactId: CONTACT,
    accountId,
    old,
    new: { ...next, fit: 0, engagement: next.total, negative: 0 },
    reasons: [],
  };
}

function account(
  old: { total: number; tier: string } | null,
  next: { total: number; tier: string },
): AccountScoreChangedEvent {
  return {
    ...base,
    type: 'ACCOUNT_SCORE_CHANGED',
    eventId: 'account:1',
    accountId: ACCOUNT,
    old,
    new: { ...next, fit: 0, engagement: next.total },
    reasons: [],
  };
}

function lifecycle(to: string, reactivated = false): LifecycleStageChangedEvent {
  return {
    ...base,
    type: 'LIFECYCLE_STAGE_CHANGED',
    eventId: 'lifecycle:1',
    contactId: CONTACT,
    from: 'LEAD',
    to,
    reactivated,
    total: 70,
  };
}

describe('leadFilter', () => {
  const warmToHot = lead({ total: 55, tier: 'WARM' }, { total: 81, tier: 'HOT' });
  const withinWarm = lead({ total: 55, tier: 'WARM' }, { total: 60, tier: 'WARM' });

  it('passes every lead event without a filter, and nothing else', () => {
    expect(leadFilter({})(warmToHot)).toBe(true);
    expect(leadFilter({})(account(null, { total: 5, tier: 'COLD' }))).toBe(false);
  });

  it('matches contact and account ids whatever their case', () => {
    expect(leadFilter({ contactIds: [CONTACT.toUpperCase()] })(warmToHot)).toBe(true);
    expect(leadFilter({ contactIds: [ACCOUNT] })(warmToHot)).toBe(false);
    expect(leadFilter({ accountIds: [ACCOUNT.toUpperCase()] })(warmToHot)).toBe(true);
    // A contact without an account never matches an account filter.
    expect(
      leadFilter({ accountIds: [ACCOUNT] })(lead(null, { total: 9, tier: 'COLD' }, null)),
    ).toBe(false);
  });

  it('filters on the new tier and total, and on tier changes (a first score is one)', () => {
    expect(leadFilter({ tiers: ['HOT'] })(warmToHot)).toBe(true);
    expect(leadFilter({ tiers: ['HOT'] })(withinWarm)).toBe(false);
    expect(leadFilter({ minTotal: 81 })(warmToHot)).toBe(true);
    expect(leadFilter({ minTotal: 81.5 })(warmToHot)).toBe(false);
    expect(leadFilter({ tierChangesOnly: true })(warmToHot)).toBe(true);
    expect(leadFilter({ tierChangesOnly: true })(withinWarm)).toBe(false);
    expect(leadFilter({ tierChangesOnly: true })(lead(null, { total: 9, tier: 'COLD' }))).toBe(
      true,
    );
  });

  it('needs every condition given', () => {
    expect(leadFilter({ tiers: ['HOT'], minTotal: 90 })(warmToHot)).toBe(false);
    expect(leadFilter({ tiers: ['HOT'], accountIds: [ACCOUNT] })(warmToHot)).toBe(true);
  });
});

describe('accountFilter', () => {
  it('filters on account ids, tier and tier changes', () => {
    const up = account({ total: 40, tier: 'WARM' }, { total: 75, tier: 'HOT' });
    expect(accountFilter({})(up)).toBe(true);
    expect(accountFilter({ accountIds: [ACCOUNT.toUpperCase()] })(up)).toBe(true);
    expect(accountFilter({ accountIds: [CONTACT] })(up)).toBe(false);
    expect(accountFilter({ tiers: ['WARM'] })(up)).toBe(false);
    expect(accountFilter({ tierChangesOnly: true })(up)).toBe(true);
    expect(
      accountFilter({ tierChangesOnly: true })(
        account({ total: 40, tier: 'WARM' }, { total: 45, tier: 'WARM' }),
      ),
    ).toBe(false);
    expect(accountFilter({})(lead(null, { total: 9, tier: 'COLD' }))).toBe(false);
  });

  it('minDelta counts moves up and down, and a first score from zero', () => {
    const filter = accountFilter({ minDelta: 10 });
    expect(filter(account({ total: 40, tier: 'WARM' }, { total: 50, tier: 'WARM' }))).toBe(true);
    expect(filter(account({ total: 40, tier: 'WARM' }, { total: 30, tier: 'WARM' }))).toBe(true);
    expect(filter(account({ total: 40, tier: 'WARM' }, { total: 49.9, tier: 'WARM' }))).toBe(false);
    expect(filter(account(null, { total: 12, tier: 'COLD' }))).toBe(true);
    expect(filter(account(null, { total: 8, tier: 'COLD' }))).toBe(false);
  });
});

describe('lifecycleFilter', () => {
  it('passes every stage change without stages', () => {
    const all = lifecycleFilter({});
    expect(all(lifecycle('MQL'))).toBe(true);
    expect(all(lifecycle('LEAD', true))).toBe(true);
  });

  it('tells MQL, SQL and reactivation apart', () => {
    const mql = lifecycleFilter({ stages: ['MQL'] });
    const sql = lifecycleFilter({ stages: ['SQL'] });
    const reactivated = lifecycleFilter({ stages: ['REACTIVATED'] });
    expect([mql, sql, reactivated].map((f) => f(lifecycle('MQL')))).toEqual([true, false, false]);
    expect([mql, sql, reactivated].map((f) => f(lifecycle('SQL')))).toEqual([false, true, false]);
    // A dormant lead coming back to MQL is a reactivation, not a new MQL.
    expect([mql, sql, reactivated].map((f) => f(lifecycle('MQL', true)))).toEqual([
      false,
      false,
      true,
    ]);
    // Falling back to a lead or going dormant is none of the three.
    expect([mql, sql, reactivated].map((f) => f(lifecycle('DORMANT')))).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('backfillFilter', () => {
  it('passes only the progress of its own backfill', () => {
    const progress = (backfillId: string): ScoreEvent => ({
      type: 'SCORING_BACKFILL_PROGRESS',
      eventId: `backfill:${backfillId}:1`,
      workspaceId: base.workspaceId,
      backfillId,
      status: 'RUNNING',
      total: 2,
      done: 1,
      failed: 0,
      at: base.at,
    });
    expect(backfillFilter(ACCOUNT)(progress(ACCOUNT))).toBe(true);
    expect(backfillFilter(ACCOUNT)(progress(CONTACT))).toBe(false);
    expect(backfillFilter(ACCOUNT)(lifecycle('MQL'))).toBe(false);
  });
});
