import type { Redis } from 'ioredis';
import { eventChannel, type ScoreEvent } from './score-events';

export interface ScoreEventPublisher {
  publish(events: readonly ScoreEvent[]): Promise<void>;
}

/**
 * Publishes on Redis pub/sub. Best effort by design: the stored score history is the
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
      const pipeline = this.redis.pipeline();
      for (const event of events)
        pipeline.publish(eventChannel(this.prefix, event.workspaceId), JSON.stringify(event));
      await pipeline.exec();
    } catch (error) {
      this.onError(error as Error);
    }
  }
}

export const NO_EVENTS: ScoreEventPublisher = { publish: async () => undefined };
