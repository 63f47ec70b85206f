import type { ScoreEvent } from '@quorum/events';
import type { Route } from './listener-routes';
import type { ScoreEventHub } from './score-event-hub';

export class SlowConsumerError extends Error {
  constructor(limit: number) {
    super(`subscription closed: more than ${limit} events were waiting to be delivered`);
    this.name = 'SlowConsumerError';
  }
}

export interface EventStreamOptions<T extends ScoreEvent> {
  hub: ScoreEventHub;
  workspaceId: string;
  /** Applied before GraphQL execution: events that do not match cost nothing more. */
  accept: (event: ScoreEvent) => event is T;
  /** The events `accept` can match at all: the hub does not even call it for others. */
  route: Route;
  /** Events missed since the client's last event id, oldest first (bounded). */
  replay?: () => Promise<T[]>;
  maxBuffered: number;
  onEnd?: () => void;
  /** Called for each event handed to the subscriber (metrics). */
  onDelivered?: (event: T) => void;
}

/**
 * Replay, then live, with no gap and no duplicate: the live subscription starts (and
 * buffers) before the replay is read, and live events already replayed are skipped by id.
 * A consumer that falls more than `maxBuffered` events behind is cut off.
 */
export async function eventStream<T extends ScoreEvent>(
  options: EventStreamOptions<T>,
): Promise<AsyncIterableIterator<T>> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let failure: Error | null = null;
  let done = false;
  let replayed: Set<string> | null = null;
  const pendingLive: T[] = [];

  const delivered = (event: T): IteratorResult<T> => {
    options.onDelivered?.(event);
    return { value: event, done: false };
  };

  const push = (event: T) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(delivered(event));
    } else if (queue.length >= options.maxBuffered) {
      failure = new SlowConsumerError(options.maxBuffered);
      void finish();
    } else {
      queue.push(event);
    }
  };

  const unlisten = await options.hub.listen(
    options.workspaceId,
    (event) => {
      if (!options.accept(event)) return;
      if (replayed === null && options.replay) pendingLive.push(event);
      else if (!replayed?.has(event.eventId)) push(event);
    },
    options.route,
  );

  if (options.replay) {
    const missed = await options.replay();
    replayed = new Set(missed.map((e) => e.eventId));
    for (const event of missed) push(event);
    for (const event of pendingLive.splice(0)) if (!replayed.has(event.eventId)) push(event);
  }

  async function finish(): Promise<IteratorResult<T>> {
    if (!done) {
      done = true;
      unlisten();
      options.onEnd?.();
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value: undefined, done: true });
      }
    }
    return { value: undefined, done: true };
  }

  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next(): Promise<IteratorResult<T>> {
      // The stream may have ended by the time the budget lets this delivery run.
      if (queue.length > 0)
        return options.hub.deliveries.next(() =>
          queue.length > 0 ? delivered(queue.shift()!) : iterator.next(),
        );
      if (failure) {
        const error = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: finish,
    throw: async (error?: unknown) => {
      await finish();
      throw error;
    },
  };
  return iterator;
}
