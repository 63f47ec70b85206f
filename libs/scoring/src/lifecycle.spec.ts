import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import { nextLifecycle, type LifecycleStage, type LifecycleState } from './lifecycle';

// mql 60, sql 90, dormantDays 30
const model = defaultModelDefinition();
const NOW = new Date('2025-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);
const state = (stage: LifecycleStage, belowMqlSince: Date | null = null): LifecycleState => ({
  stage,
  belowMqlSince,
});

describe('nextLifecycle', () => {
  it('keeps a LEAD below the MQL threshold', () => {
    expect(nextLifecycle(model, state('LEAD'), 59.99, NOW)).toEqual({
      state: state('LEAD'),
      transition: null,
    });
  });

  it('moves LEAD to MQL at the MQL threshold', () => {
    expect(nextLifecycle(model, state('LEAD'), 60, NOW)).toEqual({
      state: state('MQL'),
      transition: { from: 'LEAD', to: 'MQL', reactivated: false },
    });
  });

  it('moves LEAD straight to SQL in one transition', () => {
    expect(nextLifecycle(model, state('LEAD'), 90, NOW)).toEqual({
      state: state('SQL'),
      transition: { from: 'LEAD', to: 'SQL', reactivated: false },
    });
  });

  it('moves MQL to SQL at the SQL threshold', () => {
    expect(nextLifecycle(model, state('MQL'), 95, NOW).transition).toEqual({
      from: 'MQL',
      to: 'SQL',
      reactivated: false,
    });
  });

  it('never moves backward', () => {
    expect(nextLifecycle(model, state('SQL'), 70, NOW)).toEqual({
      state: state('SQL'),
      transition: null,
    });
    expect(nextLifecycle(model, state('SQL'), 10, NOW).state.stage).toBe('SQL');
    expect(nextLifecycle(model, state('MQL'), -40, NOW).state.stage).toBe('MQL');
  });

  it('never touches OPPORTUNITY, CUSTOMER or DISQUALIFIED', () => {
    for (const stage of ['OPPORTUNITY', 'CUSTOMER', 'DISQUALIFIED'] as const) {
      for (const total of [-10, 0, 60, 95, 500]) {
        expect(nextLifecycle(model, state(stage), total, NOW)).toEqual({
          state: state(stage),
          transition: null,
        });
      }
    }
  });

  it('remembers when an MQL/SQL first dropped below the MQL threshold', () => {
    const dropped = nextLifecycle(model, state('SQL'), 59, NOW);
    expect(dropped).toEqual({ state: state('SQL', NOW), transition: null });
    const stillBelow = nextLifecycle(model, state('SQL', daysAgo(12)), 20, NOW);
    expect(stillBelow).toEqual({ state: state('SQL', daysAgo(12)), transition: null });
  });

  it('reactivates when the threshold is regained after dormantDays', () => {
    expect(nextLifecycle(model, state('MQL', daysAgo(30)), 60, NOW)).toEqual({
      state: state('MQL'),
      transition: { from: 'MQL', to: 'MQL', reactivated: true },
    });
    expect(nextLifecycle(model, state('SQL', daysAgo(45)), 75, NOW)).toEqual({
      state: state('SQL'),
      transition: { from: 'SQL', to: 'SQL', reactivated: true },
    });
  });

  it('reactivates a dormant MQL into SQL when the total reaches SQL', () => {
    expect(nextLifecycle(model, state('MQL', daysAgo(31)), 90, NOW)).toEqual({
      state: state('SQL'),
      transition: { from: 'MQL', to: 'SQL', reactivated: true },
    });
  });

  it('does not reactivate before dormantDays; it only clears belowMqlSince', () => {
    expect(nextLifecycle(model, state('MQL', daysAgo(30, -1)), 60, NOW)).toEqual({
      state: state('MQL'),
      transition: null,
    });
    // The forward move still happens, as a plain transition.
    expect(nextLifecycle(model, state('MQL', daysAgo(5)), 92, NOW)).toEqual({
      state: state('SQL'),
      transition: { from: 'MQL', to: 'SQL', reactivated: false },
    });
  });

  it('walks a whole story: MQL, dormant for 40 days, reactivated', () => {
    let current = state('LEAD');
    const steps: Array<[number, number]> = [
      [0, 65],
      [10, 40],
      [20, 30],
      [50, 70],
    ];
    const transitions = steps.map(([day, total]) => {
      const step = nextLifecycle(model, current, total, new Date(NOW.getTime() + day * DAY));
      current = step.state;
      return step.transition;
    });
    expect(transitions).toEqual([
      { from: 'LEAD', to: 'MQL', reactivated: false },
      null,
      null,
      { from: 'MQL', to: 'MQL', reactivated: true },
    ]);
  });

  it('does not mutate the given state', () => {
    const since = daysAgo(40);
    const given = state('MQL', since);
    nextLifecycle(model, given, 70, NOW);
    expect(given).toEqual(state('MQL', daysAgo(40)));
    expect(given.belowMqlSince).toBe(since);
  });
});
