import type { Redis } from 'ioredis';
import { encodeEventMessage, eventChannel, type ScoreEvent } from './score-events';

export interface ScoreEventPublisher {
  publish(events: readonly ScoreEvent[]): Promise<void>;
}

/**
 * Publishes on Redis pub/sub, one message per workspace per call. Best effort by design: the stored score history is the
 * record, and a subscriber that missed events resumes from it by event id.
 */
export class RedisScoreEventPublisher implements ScoreEventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async publish(events: readonly ScoreEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      // One message per workspace (a batch normally holds one).
      const byWorkspace = new Map<string, ScoreEvent[]>();
      for (const event of events) {
        const batch = byWorkspace.get(event.workspaceId);
        if (batch) batch.push(event);
        else byWorkspace.set(event.workspaceId, [event]);
      }
      await Promise.all(
        [...byWorkspace].map(([workspaceId, batch]) =>
          this.redis.publish(eventChannel(this.prefix, workspaceId), encodeEventMessage(batch)),
        ),
      );
    } catch (error) {
      this.onError(error as Error);
    }
  }
}

export const NO_EVENTS: ScoreEventPublisher = { publish: async () => undefined };
