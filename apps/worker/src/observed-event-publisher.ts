import type { ScoreEvent, ScoreEventPublisher } from '@quorum/events';
import type { Logger } from '@quorum/observability';
import { trustedWorkspaceId } from '@quorum/persistence';
import type { EventIdCodec } from '@quorum/services';
import type { WorkerMetrics } from './worker-metrics';

/**
 * Logs each publish (with the request id of the job it was published in: one line per
 * batch, listing its event ids as partners see them, so an event id a partner reports greps to
 * its request) and counts the events. A line per event cost more than the rescore at 1,000 activities/s.
 * Publishing stays best effort: a failure is logged, never thrown, because the stored score
 * history is the record and subscribers resume from it.
 */
export class ObservedScoreEventPublisher implements ScoreEventPublisher {
  constructor(
    /** Must reject when publishing fails. */
    private readonly inner: ScoreEventPublisher,
    private readonly logger: Logger,
    private readonly metrics?: WorkerMetrics,
    /** Encodes the logged ids as the API hands them out; internal ids are logged without it. */
    private readonly eventIds?: EventIdCodec,
  ) {}

  /** The events' ids as partners see them (internal ones if the keys cannot be read). */
  private async publicIds(events: readonly ScoreEvent[]): Promise<string[]> {
    const codec = this.eventIds;
    if (!codec) return events.map((e) => e.eventId);
    try {
      for (const ws of new Set(events.map((e) => e.workspaceId)))
        await codec.prepare(trustedWorkspaceId(ws));
      return events.map((e) => codec.encode(trustedWorkspaceId(e.workspaceId), e.eventId));
    } catch {
      return events.map((e) => e.eventId);
    }
  }

  async publish(events: readonly ScoreEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.inner.publish(events);
    } catch (error) {
      this.logger.error(
        { err: error, eventIds: await this.publicIds(events) },
        'score events not published',
      );
      return;
    }
    const eventTypes: Record<string, number> = {};
    for (const event of events) eventTypes[event.type] = (eventTypes[event.type] ?? 0) + 1;
    for (const [type, n] of Object.entries(eventTypes))
      this.metrics?.eventsPublished.inc({ type }, n);
    const workspaceIds = [...new Set(events.map((e) => e.workspaceId))];
    this.logger.info(
      {
        ...(workspaceIds.length === 1 ? { workspaceId: workspaceIds[0] } : { workspaceIds }),
        events: events.length,
        eventTypes,
        eventIds: await this.publicIds(events),
      },
      'score events published',
    );
  }
}
