import type { WorkspaceId } from '@quorum/persistence';
import type { JobProducer } from '@quorum/queue';

/** Asks for contacts or a whole workspace to be rescored. */
export interface RescoreScheduler {
  /** Returns false when the request could not be queued (scoring is delayed, not lost). */
  contacts(ws: WorkspaceId, contactIds: readonly string[], cause: string): Promise<boolean>;
  workspace(ws: WorkspaceId, cause: string): Promise<boolean>;
}

/**
 * A burst of activity for one contact becomes one rescore: the first activity queues a
 * job delayed by `delayMs`, and later ones within the throttle window are dropped. The
 * window is shorter than the delay, so a dropped request always precedes the start of
 * the queued job, which therefore reads its (already committed) activities.
 */
export class QueuedRescoreScheduler implements RescoreScheduler {
  constructor(
    private readonly producer: JobProducer,
    private readonly delayMs = 100,
  ) {}

  async contacts(ws: WorkspaceId, contactIds: readonly string[], cause: string): Promise<boolean> {
    try {
      await Promise.all(
        contactIds.map((contactId) =>
          this.producer.enqueue(
            'rescore-contact',
            { workspaceId: ws, contactId, cause },
            {
              delay: this.delayMs,
              deduplication: {
                id: `rescore-contact-${ws}-${contactId}`,
                ttl: Math.max(1, this.delayMs - 20),
              },
            },
          ),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  async workspace(ws: WorkspaceId, cause: string): Promise<boolean> {
    try {
      await this.producer.enqueue('rescore-workspace', { workspaceId: ws, cause });
      return true;
    } catch {
      return false;
    }
  }
}
