/** Lifecycle stage changes driven by a new lead score total. */
import { DAY_MS } from './decay';
import type { ScoringModelDefinition } from './model-definition';

export type LifecycleStage = 'LEAD' | 'MQL' | 'SQL' | 'OPPORTUNITY' | 'CUSTOMER' | 'DISQUALIFIED';

export interface LifecycleState {
  stage: LifecycleStage;
  /** When an MQL/SQL contact's total last dropped below the MQL threshold; null while above it. */
  belowMqlSince: Date | null;
}

export interface LifecycleTransition {
  from: LifecycleStage;
  to: LifecycleStage;
  reactivated: boolean;
}

export interface LifecycleStep {
  state: LifecycleState;
  transition: LifecycleTransition | null;
}

/**
 * Scoring moves a contact forward only (LEAD → MQL → SQL) and never touches stages set by people
 * or the CRM (OPPORTUNITY, CUSTOMER, DISQUALIFIED). An MQL/SQL whose total stays below the MQL
 * threshold for at least `dormantDays` and then regains it is reported as reactivated.
 */
export function nextLifecycle(
  model: ScoringModelDefinition,
  state: LifecycleState,
  newTotal: number,
  now: Date,
  /** The contact's engagement, checked against `lifecycle.minEngagement` when that is set. */
  engagement = Number.POSITIVE_INFINITY,
): LifecycleStep {
  const { dormantDays } = model.lifecycle;
  // Below the engagement a threshold requires, a total counts as below the MQL threshold.
  const engaged = engagement >= (model.lifecycle.minEngagement ?? Number.NEGATIVE_INFINITY);
  const mql = engaged ? model.lifecycle.mql : Number.POSITIVE_INFINITY;
  const sql = engaged ? model.lifecycle.sql : Number.POSITIVE_INFINITY;
  const unchanged = (): LifecycleStep => ({ state: copy(state), transition: null });

  switch (state.stage) {
    case 'OPPORTUNITY':
    case 'CUSTOMER':
    case 'DISQUALIFIED':
      return unchanged();
    case 'LEAD': {
      const to = newTotal >= sql ? 'SQL' : newTotal >= mql ? 'MQL' : null;
      if (to === null) return unchanged();
      return {
        state: { stage: to, belowMqlSince: null },
        transition: { from: 'LEAD', to, reactivated: false },
      };
    }
    case 'MQL':
    case 'SQL': {
      const { stage, belowMqlSince } = state;
      if (newTotal < mql) {
        return {
          state: { stage, belowMqlSince: new Date((belowMqlSince ?? now).getTime()) },
          transition: null,
        };
      }
      const to = stage === 'MQL' && newTotal >= sql ? 'SQL' : stage;
      const reactivated =
        belowMqlSince !== null && now.getTime() - belowMqlSince.getTime() >= dormantDays * DAY_MS;
      const next: LifecycleState = { stage: to, belowMqlSince: null };
      if (reactivated) return { state: next, transition: { from: stage, to, reactivated: true } };
      if (to !== stage) return { state: next, transition: { from: stage, to, reactivated: false } };
      return { state: next, transition: null };
    }
  }
}

function copy(state: LifecycleState): LifecycleState {
  return {
    stage: state.stage,
    belowMqlSince: state.belowMqlSince === null ? null : new Date(state.belowMqlSince.getTime()),
  };
}
