/**
 * Handing an event to a subscriber runs its GraphQL result and its WebSocket write as
 * microtasks, and microtasks all run before the event loop takes any I/O. One message from
 * Redis can mean tens of thousands of deliveries: without a pause they held this process for
 * seconds, while its HTTP requests waited and its database transactions sat idle holding
 * locks that the worker needed (recordActivities failed to get a connection). So after
 * `perSlice` deliveries, the next ones wait for a later turn of the event loop, in order.
 */
export class DeliveryBudget {
  private used = 0;
  private waiting: (() => void)[] = [];
  private resumeScheduled = false;

  constructor(private readonly perSlice: number) {}

  /** `deliver()` now, or after pending I/O when this slice is spent. */
  next<T>(deliver: () => T | Promise<T>): Promise<T> {
    if (this.used < this.perSlice && this.waiting.length === 0) {
      this.used++;
      return Promise.resolve(deliver());
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(deliver());
        } catch (error) {
          reject(error);
        }
      });
      this.scheduleResume();
    });
  }

  private scheduleResume(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => this.resume());
  }

  private resume(): void {
    this.resumeScheduled = false;
    const now = this.waiting.splice(0, this.perSlice);
    this.used = now.length;
    // Deliveries these cause come back through next(), queued behind the rest.
    if (this.waiting.length > 0) this.scheduleResume();
    for (const run of now) run();
  }
}
