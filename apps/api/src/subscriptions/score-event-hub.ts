import { decodeEventMessage, eventChannel } from '@quorum/events';
import { Redis } from 'ioredis';
import { DeliveryBudget } from './delivery-budget';
import { ListenerRoutes, type Listener, type Route } from './listener-routes';

/** ~20–50 ms of deliveries between two looks at pending I/O. */
const DELIVERIES_PER_SLICE = 2_000;

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
 * least one local subscription listens to it; each event is parsed once and handed to the
 * listeners whose route it fits (see ListenerRoutes). A message holds a batch of events.
 */
export class ScoreEventHub {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, ListenerRoutes>();
  private readonly controlListeners = new Set<(message: ControlMessage) => void>();
  /** Shared by every subscription of this process (see DeliveryBudget). */
  readonly deliveries = new DeliveryBudget(DELIVERIES_PER_SLICE);

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
  async listen(workspaceId: string, listener: Listener, route: Route): Promise<() => void> {
    let routes = this.listeners.get(workspaceId);
    if (!routes) {
      routes = new ListenerRoutes();
      this.listeners.set(workspaceId, routes);
    }
    const remove = routes.add(listener, route);
    await this.subscriber.subscribe(eventChannel(this.prefix, workspaceId));
    return () => {
      remove();
      const current = this.listeners.get(workspaceId);
      if (current && current.size === 0) {
        this.listeners.delete(workspaceId);
        void this.subscriber
          .unsubscribe(eventChannel(this.prefix, workspaceId))
          .catch(() => undefined);
      }
    };
  }

  listenerCount(): number {
    let n = 0;
    for (const routes of this.listeners.values()) n += routes.size;
    return n;
  }

  private dispatch(channel: string, message: string): void {
    if (channel === controlChannel(this.prefix)) {
      const control = JSON.parse(message) as ControlMessage;
      for (const listener of this.controlListeners) listener(control);
      return;
    }
    const workspaceId = channel.slice(channel.lastIndexOf(':') + 1);
    const routes = this.listeners.get(workspaceId);
    if (!routes || routes.size === 0) return;
    for (const event of decodeEventMessage(message))
      if (event.workspaceId === workspaceId) routes.dispatch(event);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}
