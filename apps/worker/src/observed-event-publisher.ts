import type { ScoreEvent, ScoreEventPublisher } from '@quorum/events';
import type { Logger } from '@quorum/observability';
import type { WorkerMetrics } from './worker-metrics';

/**
 * Logs each publish (with the request id of the job it was published in: one line per
 * batch, listing its event ids, so an event id a partner reports greps to its request) and
 * counts the events. A line per event cost more than the rescore at 1,000 activities/s.
 * Publishing stays best effort: a failure is logged, never thrown, because the stored score
 * history is the record and subscribers resume from it.
 */
export class ObservedScoreEventPublisher implements ScoreEventPublisher {
  constructor(
    /** Must reject when publishing fails. */
    private readonly inner: ScoreEventPublisher,
    private readonly logger: Logger,
    private readonly metrics?: WorkerMetrics,
  ) {}

  async publish(events: readonly ScoreEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.inner.publish(events);
    } catch (error) {
      this.logger.error(
        { err: error, eventIds: events.map((e) => e.eventId) },
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
        eventIds: events.map((e) => e.eventId),
      },
      'score events published',
    );
  }
}
