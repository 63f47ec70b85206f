import { QUEUES } from '@quorum/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { distribution, type Distribution } from './analysis';

/**
 * The scoring queue seen from outside: its backlog while activities flow, and the timings of
 * the jobs it kept once completed (BullMQ keeps the latest 10,000): how long a job waited past
 * its debounce delay for a worker slot, and how long it ran.
 */
export class ScoringQueueStats {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private running = false;
  private loop: Promise<void> | undefined;
  /** The largest backlog seen (ready to run + delayed), and when. */
  peak = { waiting: 0, delayed: 0, active: 0, at: 0 };

  constructor(redisUrl: string, prefix: string) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => undefined);
    this.queue = new Queue(QUEUES.scoring, { connection: this.connection, prefix });
    this.queue.on('error', () => undefined);
  }

  /** True when nothing is waiting, delayed or running on the scoring queue. */
  async idle(): Promise<boolean> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(c).every((n) => n === 0);
  }

  startSampling(intervalMs = 500): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
          const waiting = (c['waiting'] ?? 0) + (c['prioritized'] ?? 0);
          if (waiting + (c['delayed'] ?? 0) > this.peak.waiting + this.peak.delayed)
            this.peak = {
              waiting,
              delayed: c['delayed'] ?? 0,
              active: c['active'] ?? 0,
              at: Date.now(),
            };
        } catch {
          // skip the sample
        }
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
  }

  async stopSampling(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Per job name, over the kept completed jobs that finished in [from, to]. */
  async completedTimings(
    from: number,
    to: number,
  ): Promise<{ name: string; n: number; wait: Distribution; run: Distribution; kept: number }[]> {
    const jobs = await this.queue.getJobs(['completed'], 0, 9_999, true);
    const byName = new Map<string, { wait: number[]; run: number[] }>();
    for (const job of jobs) {
      if (!job?.processedOn || !job.finishedOn) continue;
      if (job.finishedOn < from || job.finishedOn > to) continue;
      const entry = byName.get(job.name) ?? { wait: [], run: [] };
      entry.wait.push(job.processedOn - (job.timestamp + (job.opts.delay ?? 0)));
      entry.run.push(job.finishedOn - job.processedOn);
      byName.set(job.name, entry);
    }
    return [...byName].map(([name, e]) => ({
      name,
      n: e.run.length,
      wait: distribution(e.wait),
      run: distribution(e.run),
      kept: jobs.length,
    }));
  }

  async close(): Promise<void> {
    await this.stopSampling();
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}
