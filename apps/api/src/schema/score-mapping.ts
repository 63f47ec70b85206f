import type { AccountScoreEntity, LeadScoreEntity } from '@quorum/persistence';
import type { AccountScore, AccountSignals } from './types/account-score.type';
import type { LeadScore, ScoreReason } from './types/lead-score.type';

export function storedScore(s: LeadScoreEntity): LeadScore {
  return {
    ...s,
    reasons: s.reasons as ScoreReason[],
    override: s.override ? { ...s.override, activityAt: new Date(s.override.activityAt) } : null,
  };
}

/** Signals cross PostgreSQL as JSON: dates come back as strings. */
export function storedAccountScore(s: AccountScoreEntity): AccountScore {
  const signals = s.signals as unknown as AccountSignals & { lastActivityAt: string | null };
  return {
    ...s,
    reasons: s.reasons as ScoreReason[],
    signals: {
      ...signals,
      lastActivityAt: signals.lastActivityAt ? new Date(signals.lastActivityAt) : null,
    },
  };
}
