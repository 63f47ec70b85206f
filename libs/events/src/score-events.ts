/**
 * Score events, as they cross Redis. Dates are ISO strings, typed as strings. The event id
 * is the id of the stored history row, so a subscriber can resume from it. That id is one
 * sequence for every workspace: the API hands it to partners encrypted (EventIdCodec).
 */
export interface ScoreValues {
  total: number;
  tier: string;
}

export interface ScoreReasonPayload {
  ruleId: string;
  label: string;
  category: string;
  points: number;
  activityCount: number;
  kind: string;
}

interface EventBase {
  /**
   * `lead:<history id>`, `account:<history id>`, `lifecycle:<event id>` or
   * `backfill:<id>:<done + failed>:<status>` (see backfillProgressEventId).
   */
  eventId: string;
  workspaceId: string;
  /** ISO 8601. */
  at: string;
  cause: string;
  modelVersionId: string;
}

export interface LeadScoreChangedEvent extends EventBase {
  type: 'LEAD_SCORE_CHANGED';
  contactId: string;
  accountId: string | null;
  old: ScoreValues | null;
  new: ScoreValues & { fit: number; engagement: number; negative: number };
  reasons: ScoreReasonPayload[];
}

export interface AccountScoreChangedEvent extends EventBase {
  type: 'ACCOUNT_SCORE_CHANGED';
  accountId: string;
  old: ScoreValues | null;
  new: ScoreValues & { fit: number; engagement: number };
  reasons: ScoreReasonPayload[];
}

export interface LifecycleStageChangedEvent extends EventBase {
  type: 'LIFECYCLE_STAGE_CHANGED';
  contactId: string;
  from: string;
  to: string;
  reactivated: boolean;
  total: number;
}

export interface ScoringBackfillProgressEvent {
  type: 'SCORING_BACKFILL_PROGRESS';
  eventId: string;
  workspaceId: string;
  backfillId: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  at: string;
}

export type ScoreEvent =
  | LeadScoreChangedEvent
  | AccountScoreChangedEvent
  | LifecycleStageChangedEvent
  | ScoringBackfillProgressEvent;

/**
 * A backfill's progress event id names its state: the last batch of a backfill and its
 * completion have the same count, and a subscriber that was handed the one as the current
 * state must still receive the other.
 */
export function backfillProgressEventId(
  backfillId: string,
  status: string,
  done: number,
  failed: number,
): string {
  return `backfill:${backfillId}:${done + failed}:${status}`;
}

/** One channel per workspace: a subscriber never receives another tenant's events. */
export function eventChannel(prefix: string, workspaceId: string): string {
  return `${prefix}:events:${workspaceId}`;
}

/**
 * A message on a workspace's channel: the events of one publish, oldest first, as a JSON
 * array. One message per batch, not per event: at 1,000 activities/s a message per event
 * cost the worker and every API instance more than the events themselves.
 */
export function encodeEventMessage(events: readonly ScoreEvent[]): string {
  return JSON.stringify(events);
}

/** The events of a channel message; a single event object (older workers) is accepted too. */
export function decodeEventMessage(message: string): ScoreEvent[] {
  const parsed = JSON.parse(message) as ScoreEvent | ScoreEvent[];
  return Array.isArray(parsed) ? parsed : [parsed];
}
