import type {
  AccountScoreChangedEvent,
  LeadScoreChangedEvent,
  LifecycleStageChangedEvent,
  ScoreEvent,
  ScoringBackfillProgressEvent,
} from '@quorum/events';

/** Each returns a predicate run on the raw event, before any GraphQL execution. */
export function leadFilter(f: {
  contactIds?: string[];
  accountIds?: string[];
  tiers?: string[];
  minTotal?: number;
  tierChangesOnly?: boolean;
}) {
  const contacts = f.contactIds?.length
    ? new Set(f.contactIds.map((id) => id.toLowerCase()))
    : null;
  const accounts = f.accountIds?.length
    ? new Set(f.accountIds.map((id) => id.toLowerCase()))
    : null;
  const tiers = f.tiers?.length ? new Set(f.tiers) : null;
  return (e: ScoreEvent): e is LeadScoreChangedEvent =>
    e.type === 'LEAD_SCORE_CHANGED' &&
    (!contacts || contacts.has(e.contactId)) &&
    (!accounts || (e.accountId !== null && accounts.has(e.accountId))) &&
    (!tiers || tiers.has(e.new.tier)) &&
    (f.minTotal == null || e.new.total >= f.minTotal) &&
    (!f.tierChangesOnly || e.old?.tier !== e.new.tier);
}

export function accountFilter(f: {
  accountIds?: string[];
  tiers?: string[];
  tierChangesOnly?: boolean;
  minDelta?: number;
}) {
  const accounts = f.accountIds?.length
    ? new Set(f.accountIds.map((id) => id.toLowerCase()))
    : null;
  const tiers = f.tiers?.length ? new Set(f.tiers) : null;
  return (e: ScoreEvent): e is AccountScoreChangedEvent =>
    e.type === 'ACCOUNT_SCORE_CHANGED' &&
    (!accounts || accounts.has(e.accountId)) &&
    (!tiers || tiers.has(e.new.tier)) &&
    (!f.tierChangesOnly || e.old?.tier !== e.new.tier) &&
    (f.minDelta == null || Math.abs(e.new.total - (e.old?.total ?? 0)) >= f.minDelta);
}

export function lifecycleFilter(f: { stages?: ('MQL' | 'SQL' | 'REACTIVATED')[] }) {
  const stages = f.stages?.length ? new Set(f.stages) : null;
  return (e: ScoreEvent): e is LifecycleStageChangedEvent =>
    e.type === 'LIFECYCLE_STAGE_CHANGED' &&
    (!stages ||
      (e.reactivated && stages.has('REACTIVATED')) ||
      (!e.reactivated && (e.to === 'MQL' || e.to === 'SQL') && stages.has(e.to)));
}

export function backfillFilter(backfillId: string) {
  return (e: ScoreEvent): e is ScoringBackfillProgressEvent =>
    e.type === 'SCORING_BACKFILL_PROGRESS' && e.backfillId === backfillId;
}
