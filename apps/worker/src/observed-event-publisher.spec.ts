import type { ScoreEvent } from '@quorum/events';
import { createLogger } from '@quorum/observability';
import { describe, expect, it } from 'vitest';
import { ObservedScoreEventPublisher } from './observed-event-publisher';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('worker', 'info', {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { lines, logger };
}

const event = (type: 'LEAD_SCORE_CHANGED' | 'ACCOUNT_SCORE_CHANGED', id: number) =>
  ({
    type,
    eventId: `${type === 'LEAD_SCORE_CHANGED' ? 'lead' : 'account'}:${id}`,
    workspaceId: 'w1',
  }) as ScoreEvent;

describe('ObservedScoreEventPublisher', () => {
  it('logs one line per published batch, with every event id and the count per type', async () => {
    const { lines, logger } = capture();
    const published: ScoreEvent[][] = [];
    const publisher = new ObservedScoreEventPublisher(
      { publish: async (events) => void published.push([...events]) },
      logger,
    );
    const events = [
      event('LEAD_SCORE_CHANGED', 1),
      event('LEAD_SCORE_CHANGED', 2),
      event('ACCOUNT_SCORE_CHANGED', 7),
    ];
    await publisher.publish(events);
    await publisher.publish([]);
    expect(published).toEqual([events]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'score events published',
      workspaceId: 'w1',
      events: 3,
      eventTypes: { LEAD_SCORE_CHANGED: 2, ACCOUNT_SCORE_CHANGED: 1 },
      eventIds: ['lead:1', 'lead:2', 'account:7'],
    });
  });

  it('logs a failed publish as an error naming the events, and does not throw', async () => {
    const { lines, logger } = capture();
    const publisher = new ObservedScoreEventPublisher(
      {
        publish: async () => {
          throw new Error('redis down');
        },
      },
      logger,
    );
    await expect(publisher.publish([event('ACCOUNT_SCORE_CHANGED', 3)])).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'score events not published',
        eventIds: ['account:3'],
      }),
    ]);
  });
});
