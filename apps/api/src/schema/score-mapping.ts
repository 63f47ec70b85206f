import type { LeadScoreEntity } from '@quorum/persistence';
import type { LeadScore, ScoreReason } from './types/lead-score.type';

export function storedScore(s: LeadScoreEntity): LeadScore {
  return {
    ...s,
    reasons: s.reasons as ScoreReason[],
    override: s.override ? { ...s.override, activityAt: new Date(s.override.activityAt) } : null,
  };
}
