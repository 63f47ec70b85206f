import { Redis } from 'ioredis';

/**
 * Counts what the queues did during the bench by reading BullMQ's event streams
 * (`<prefix>:<queue>:events`) from a separate connection: jobs added by name, requests
 * absorbed by deduplication, jobs completed or failed, and per job the time from added to
 * active (delay + queueing) and from active to completed (the handler). Stream ids carry the
 * Redis server's time in ms. The streams are trimmed (~10,000 events), so the reader polls
 * often and reports how many events it missed, if any.
 */
export interface JobTimes {
  name: string;
  added: number;
  active?: number;
  completed?: number;
}

export class QueueEventCounter {
  private readonly redis: Redis;
  private readonly keys: string[];
  private readonly lastIds = new Map<string, string>();
  private readonly startAdded = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  readonly events = new Map<string, number>();
  readonly addedByName = new Map<string, number>();
  readonly jobs = new Map<string, JobTimes>();
  read = 0;
  missed = 0;

  constructor(redisUrl: string, prefix: string, queues: string[]) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.keys = queues.map((q) => `${prefix}:${q}:events`);
  }

  private async entriesAdded(key: string): Promise<number> {
    try {
      const info = (await this.redis.call('XINFO', 'STREAM', key)) as unknown[];
      const i = info.indexOf('entries-added');
      return i >= 0 ? Number(info[i + 1]) : 0;
    } catch {
      return 0; // the stream does not exist yet
    }
  }

  async start(): Promise<void> {
    await this.redis.connect();
    for (const key of this.keys) {
      const last = (await this.redis.xrevrange(key, '+', '-', 'COUNT', 1))[0];
      this.lastIds.set(key, last ? last[0] : '0-0');
      this.startAdded.set(key, await this.entriesAdded(key));
    }
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const ids = this.keys.map((k) => this.lastIds.get(k)!);
      let result: [string, [string, string[]][]][] | null;
      try {
        result = (await this.redis.xread(
          'COUNT',
          20_000,
          'BLOCK',
          200,
          'STREAMS',
          ...this.keys,
          ...ids,
        )) as [string, [string, string[]][]][] | null;
      } catch {
        if (!this.running) return;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      for (const [key, entries] of result ?? []) {
        for (const [id, fields] of entries) this.record(id, fields);
        if (entries.length) this.lastIds.set(key, entries.at(-1)![0]);
      }
    }
  }

  private record(id: string, fields: string[]): void {
    this.read += 1;
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    const event = f['event'] ?? '?';
    this.events.set(event, (this.events.get(event) ?? 0) + 1);
    const at = Number(id.split('-')[0]);
    const jobId = f['jobId'];
    if (event === 'added' && jobId) {
      const name = f['name'] ?? '?';
      this.addedByName.set(name, (this.addedByName.get(name) ?? 0) + 1);
      this.jobs.set(jobId, { name, added: at });
    } else if (event === 'active' && jobId) {
      const job = this.jobs.get(jobId);
      if (job && job.active === undefined) job.active = at;
    } else if (event === 'completed' && jobId) {
      const job = this.jobs.get(jobId);
      if (job) job.completed = at;
    }
  }

  /** Stops reading (after one last read) and works out how many events were trimmed unread. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await new Promise((r) => setTimeout(r, 300));
    this.running = false;
    await this.loop;
    let added = 0;
    for (const key of this.keys)
      added += (await this.entriesAdded(key)) - this.startAdded.get(key)!;
    this.missed = Math.max(0, added - this.read);
    this.redis.disconnect();
  }

  /** Jobs of one name that completed, with their wait and run times in ms. */
  completedJobs(name: string): { wait: number; run: number; added: number }[] {
    return [...this.jobs.values()]
      .filter((j) => j.name === name && j.active !== undefined && j.completed !== undefined)
      .map((j) => ({ wait: j.active! - j.added, run: j.completed! - j.active!, added: j.added }));
  }
}

/** How many jobs a BullMQ queue holds right now, by state (read straight from its keys). */
export class QueueDepth {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly queue: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  }

  async read(): Promise<{ waiting: number; delayed: number; active: number }> {
    const k = (s: string) => `${this.prefix}:${this.queue}:${s}`;
    const [wait, prioritized, delayed, active] = (await this.redis
      .multi()
      .llen(k('wait'))
      .zcard(k('prioritized'))
      .zcard(k('delayed'))
      .llen(k('active'))
      .exec())!.map(([, n]) => Number(n));
    return { waiting: wait! + prioritized!, delayed: delayed!, active: active! };
  }

  close(): void {
    this.redis.disconnect();
  }
}
