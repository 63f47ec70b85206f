import type { Clock } from '@quorum/config';
import type {
  AccountScoreChangedEvent,
  LeadScoreChangedEvent,
  LifecycleStageChangedEvent,
  ScoreReasonPayload,
} from '@quorum/events';
import type { Database, WorkspaceId } from '@quorum/persistence';
import type { EventIdCodec, EventKind } from './event-ids';

/** How far back a reconnecting subscriber can resume, and how many events at most. */
export const REPLAY_WINDOW_MS = 24 * 3_600_000;
export const REPLAY_LIMIT = 10_000;

function sumOf(
  reasons: { category: string; points: number }[] | null,
  categories: string[],
): number {
  const hundredths = (reasons ?? [])
    .filter((r) => categories.includes(r.category))
    .reduce((sum, r) => sum + Math.round(r.points * 100), 0);
  return hundredths / 100;
}

/**
 * Rebuilds the events a subscriber missed from the stored history (bounded). `since` is an
 * event id as partners see it (see EventIdCodec); the events come back with internal ids, as
 * live ones do, and the API encodes both on the way out.
 */
export class ScoreEventReplayService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly eventIds: EventIdCodec,
  ) {}

  private since(): Date {
    return new Date(this.clock.now().getTime() - REPLAY_WINDOW_MS);
  }

  private async after(ws: WorkspaceId, since: string, kind: EventKind): Promise<string> {
    await this.eventIds.prepare(ws);
    return this.eventIds.decode(ws, since, kind);
  }

  async leadEvents(ws: WorkspaceId, since: string): Promise<LeadScoreChangedEvent[]> {
    const rows = await this.db.repos.scoreEvents.leadHistoryAfter(
      ws,
      await this.after(ws, since, 'lead'),
      this.since(),
      REPLAY_LIMIT,
    );
    return rows.map((r) => ({
      type: 'LEAD_SCORE_CHANGED',
      eventId: `lead:${r.id}`,
      workspaceId: ws,
      at: r.at.toISOString(),
      cause: r.cause,
      modelVersionId: r.model_version_id,
      contactId: r.contact_id,
      accountId: r.account_id,
      old: r.old_total === null ? null : { total: r.old_total, tier: r.old_tier! },
      new: {
        total: r.new_total,
        tier: r.new_tier,
        fit: sumOf(r.reasons, ['FIT']),
        engagement: sumOf(r.reasons, ['ENGAGEMENT']),
        negative: -sumOf(r.reasons, ['NEGATIVE']),
      },
      reasons: (r.reasons ?? []) as ScoreReasonPayload[],
    }));
  }

  async accountEvents(ws: WorkspaceId, since: string): Promise<AccountScoreChangedEvent[]> {
    const rows = await this.db.repos.scoreEvents.accountHistoryAfter(
      ws,
      await this.after(ws, since, 'account'),
      this.since(),
      REPLAY_LIMIT,
    );
    return rows.map((r) => ({
      type: 'ACCOUNT_SCORE_CHANGED',
      eventId: `account:${r.id}`,
      workspaceId: ws,
      at: r.at.toISOString(),
      cause: r.cause,
      modelVersionId: r.model_version_id,
      accountId: r.account_id,
      old: r.old_total === null ? null : { total: r.old_total, tier: r.old_tier! },
      new: {
        total: r.new_total,
        tier: r.new_tier,
        fit: sumOf(r.reasons, ['FIT']),
        engagement: sumOf(r.reasons, ['ROLLUP', 'COMMITTEE', 'INTENT']),
      },
      reasons: (r.reasons ?? []) as ScoreReasonPayload[],
    }));
  }

  async lifecycleEvents(ws: WorkspaceId, since: string): Promise<LifecycleStageChangedEvent[]> {
    const rows = await this.db.repos.scoreEvents.lifecycleAfter(
      ws,
      await this.after(ws, since, 'lifecycle'),
      this.since(),
      REPLAY_LIMIT,
    );
    return rows.map((r) => ({
      type: 'LIFECYCLE_STAGE_CHANGED',
      eventId: `lifecycle:${r.id}`,
      workspaceId: ws,
      at: r.at.toISOString(),
      cause: r.cause,
      modelVersionId: r.model_version_id,
      contactId: r.contact_id,
      from: r.from_stage,
      to: r.to_stage,
      reactivated: r.reactivated,
      total: r.total,
    }));
  }
}
