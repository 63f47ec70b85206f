import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

type SendCallback = (error?: Error) => void;
type Send = (data: unknown, options?: object | SendCallback, callback?: SendCallback) => void;

/**
 * graphql-ws sends one WebSocket message per event and waits for each write to reach the
 * kernel before it sends the next, so every delivery costs a write system call of its own:
 * over a third of the API's CPU at 16,000 deliveries/s. A coalesced connection's socket is
 * corked from its first send in a turn of the event loop until the end of that turn, so
 * what it is sent in one turn goes to the kernel in one write.
 *
 * For that, a send is reported done as soon as it is queued, while less than
 * `maxUnflushedBytes` wait to be written; past that it is reported done only once written,
 * so a subscriber that does not read still stops its subscriptions, which are then cut off
 * by their event buffer (see eventStream) rather than growing this process's memory.
 */
export class WriteCoalescer {
  private readonly corked = new Set<Socket>();
  private flushScheduled = false;

  constructor(private readonly maxUnflushedBytes: number) {}

  coalesce(socket: WebSocket, raw: Socket): void {
    const send = socket.send.bind(socket) as Send;
    const coalesced: Send = (data, options, callback) => {
      if (typeof options === 'function') {
        callback = options as SendCallback;
        options = {};
      }
      this.cork(raw);
      if (!callback || socket.bufferedAmount >= this.maxUnflushedBytes) {
        send(data, options ?? {}, callback);
        return;
      }
      // A write that fails later closes the connection, and graphql-ws cleans up on close.
      send(data, options ?? {}, () => undefined);
      callback();
    };
    socket.send = coalesced as WebSocket['send'];
  }

  private cork(raw: Socket): void {
    if (this.corked.has(raw) || raw.destroyed) return;
    raw.cork();
    this.corked.add(raw);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const raw of this.corked) raw.uncork();
    this.corked.clear();
  }
}
