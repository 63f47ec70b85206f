import type { ScoreEvent, ScoreEventPublisher } from '@quorum/events';
import type { Logger } from '@quorum/observability';
import type { WorkerMetrics } from './worker-metrics';

/**
 * Logs each published event (with the request id of the job it was published in) and
 * counts it. Publishing stays best effort: a failure is logged, never thrown, because the
 * stored score history is the record and subscribers resume from it.
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
    for (const event of events) {
      this.metrics?.eventsPublished.inc({ type: event.type });
      this.logger.info(
        {
          eventId: event.eventId,
          eventType: event.type,
          workspaceId: event.workspaceId,
          ...('contactId' in event && { contactId: event.contactId }),
          ...('accountId' in event && { accountId: event.accountId }),
        },
        'score event published',
      );
    }
  }
}
