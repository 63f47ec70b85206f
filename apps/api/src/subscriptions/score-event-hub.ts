import { eventChannel, type ScoreEvent } from '@quorum/events';
import { Redis } from 'ioredis';

type Listener = (event: ScoreEvent) => void;

export interface ControlMessage {
  type: 'KEY_REVOKED';
  workspaceId: string;
  keyId: string;
}

export function controlChannel(prefix: string): string {
  return `${prefix}:control`;
}

/**
 * One Redis subscriber per API process. A workspace's channel is subscribed while at
 * least one local subscription listens to it; each event is parsed once and handed to
 * every listener, so the cost of an event does not grow with the number of subscribers.
 */
export class ScoreEventHub {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly controlListeners = new Set<(message: ControlMessage) => void>();
  delivered = 0;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) =>
      this.dispatch(channel, message),
    );
  }

  /** Does not wait for Redis: ioredis subscribes (and re-subscribes) whenever it connects. */
  start(): void {
    this.subscriber.subscribe(controlChannel(this.prefix)).catch(() => undefined);
  }

  onControl(listener: (message: ControlMessage) => void): void {
    this.controlListeners.add(listener);
  }

  /** Resolves once Redis confirms the subscription, so nothing published after is missed. */
  async listen(workspaceId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(workspaceId);
    if (!set) {
      set = new Set();
      this.listeners.set(workspaceId, set);
    }
    set.add(listener);
    await this.subscriber.subscribe(eventChannel(this.prefix, workspaceId));
    return () => {
      const current = this.listeners.get(workspaceId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(workspaceId);
        void this.subscriber
          .unsubscribe(eventChannel(this.prefix, workspaceId))
          .catch(() => undefined);
      }
    };
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private dispatch(channel: string, message: string): void {
    if (channel === controlChannel(this.prefix)) {
      const control = JSON.parse(message) as ControlMessage;
      for (const listener of this.controlListeners) listener(control);
      return;
    }
    const workspaceId = channel.slice(channel.lastIndexOf(':') + 1);
    const set = this.listeners.get(workspaceId);
    if (!set || set.size === 0) return;
    const event = JSON.parse(message) as ScoreEvent;
    if (event.workspaceId !== workspaceId) return;
    for (const listener of set) listener(event);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}
