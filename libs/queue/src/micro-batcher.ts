export interface MicroBatcherOptions<T> {
  /** The most items one `run` receives. */
  maxBatch: number;
  /** The most `run` calls in flight at once. */
  maxConcurrent: number;
  /** Items with the same key may share a batch (e.g. one workspace's contacts). */
  keyOf: (item: T) => string;
  run: (key: string, items: T[]) => Promise<void>;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for jobs that arrive one at a time: an item runs at once when a slot is
 * free, and items that arrive while every slot is busy wait and run together as one batch
 * as soon as a slot frees. So a lone job waits for nothing, and under load one
 * transaction does the work of many. A failed batch is retried item by item, so one item
 * that cannot succeed fails alone and the others still complete.
 */
export class MicroBatcher<T> {
  private readonly waiting = new Map<string, Waiting<T>[]>();
  private running = 0;

  constructor(private readonly options: MicroBatcherOptions<T>) {
    if (options.maxBatch < 1 || options.maxConcurrent < 1)
      throw new Error('MicroBatcher needs maxBatch and maxConcurrent of at least 1');
  }

  /** Settles when the batch holding the item has run (rejects with its error). */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const key = this.options.keyOf(item);
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(key, [{ item, resolve, reject }]);
      this.pump();
    });
  }

  /** Items waiting for a slot. */
  get backlog(): number {
    let n = 0;
    for (const queue of this.waiting.values()) n += queue.length;
    return n;
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrent && this.waiting.size > 0) {
      // The key waiting longest goes first (a Map iterates in insertion order).
      const [key, queue] = this.waiting.entries().next().value as [string, Waiting<T>[]];
      const batch = queue.splice(0, this.options.maxBatch);
      this.waiting.delete(key);
      // Its remainder goes to the back, behind keys that have waited longer.
      if (queue.length > 0) this.waiting.set(key, queue);
      this.running += 1;
      void this.execute(key, batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async execute(key: string, batch: Waiting<T>[]): Promise<void> {
    try {
      await this.options.run(
        key,
        batch.map((w) => w.item),
      );
      for (const w of batch) w.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    for (const w of batch) {
      try {
        await this.options.run(key, [w.item]);
        w.resolve();
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
