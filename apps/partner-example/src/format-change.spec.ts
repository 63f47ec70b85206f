import { describe, expect, it } from 'vitest';
import { formatChange, type AccountChange } from './format-change';

const change: AccountChange = {
  eventId: 'account:17',
  accountId: 'a1',
  cause: 'ACTIVITY',
  modelVersionId: 'm1',
  at: '2026-11-30T10:00:00.000Z',
  old: { total: 40, tier: 'WARM' },
  new: { total: 62.5, tier: 'HOT', fit: 30, engagement: 32.5 },
  reasons: [
    {
      ruleId: 'f',
      label: 'Target industry',
      category: 'FIT',
      kind: 'RULE',
      points: 30,
      activityCount: 0,
    },
    {
      ruleId: 'c',
      label: 'Roll-up cap',
      category: 'ROLLUP',
      kind: 'CAP',
      points: -40,
      activityCount: 0,
    },
    {
      ruleId: 'r',
      label: 'Contact #1',
      category: 'ROLLUP',
      kind: 'RULE',
      points: 72.5,
      activityCount: 0,
    },
  ],
};

describe('formatChange', () => {
  it('prints one readable line: account, old → new total and tier, top reasons by impact, event id', () => {
    const line = formatChange(change, { json: false, top: 2 });
    expect(line).toBe(
      '2026-11-30T10:00:00.000Z account a1: 40 (WARM) → 62.5 (HOT) [ACTIVITY] because Contact #1 +72.5, Roll-up cap -40 (account:17)',
    );
    expect(line).not.toContain('\n');
  });

  it('prints one JSON object per line, a first score having no old value', () => {
    const parsed = JSON.parse(formatChange({ ...change, old: null }, { json: true, top: 1 }));
    expect(parsed).toEqual({
      eventId: 'account:17',
      accountId: 'a1',
      old: null,
      new: { total: 62.5, tier: 'HOT' },
      delta: 62.5,
      cause: 'ACTIVITY',
      at: '2026-11-30T10:00:00.000Z',
      topReasons: [{ label: 'Contact #1', points: 72.5 }],
    });
  });
});
