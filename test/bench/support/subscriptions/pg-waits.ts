import type { Pool } from 'pg';
import { cpuMsOf } from './proc';

/**
 * Samples pg_stat_activity for the bench's database: what the API's and the worker's sessions
 * are doing (running, waiting on a lock, idle in a transaction while the Node process is busy),
 * as the average number of sessions in each state; and the CPU time of their backends, read at
 * every sample, since pools close idle connections and a backend's time leaves with it.
 */
export class PgWaitSampler {
  private readonly tally = new Map<string, Map<string, number>>();
  private samples = 0;
  /** Per backend pid: its CPU ms when first seen (0 if it started after the first sample), and last seen. */
  private readonly backendCpu = new Map<number, { first: number; last: number }>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly database: string,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        try {
          const { rows } = await this.pool.query<{
            app: string;
            state: string;
            type: string | null;
            event: string | null;
            pid: number;
          }>(
            `SELECT application_name AS app, state, wait_event_type AS type, wait_event AS event, pid
             FROM pg_stat_activity
             WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name LIKE 'quorum-%'`,
            [this.database],
          );
          this.samples += 1;
          for (const r of rows) {
            const ms = cpuMsOf(r.pid);
            if (ms !== undefined) {
              const seen = this.backendCpu.get(r.pid);
              if (seen) seen.last = ms;
              else this.backendCpu.set(r.pid, { first: this.samples === 1 ? ms : 0, last: ms });
            }
            const label =
              r.state === 'active'
                ? r.type && r.type !== 'Client'
                  ? `${r.type}:${r.event}`
                  : 'running'
                : r.state;
            if (label === 'idle') continue;
            const byLabel = this.tally.get(r.app) ?? new Map<string, number>();
            byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
            this.tally.set(r.app, byLabel);
          }
        } catch {
          // the database is busy or going away: skip the sample
        }
        await new Promise((r) =>
          setTimeout(r, Math.max(0, this.intervalMs - (Date.now() - started))),
        );
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** CPU ms used by the database's backends (the API's, the worker's, the bench's) while sampling. */
  backendCpuMs(): { ms: number; backends: number } {
    let ms = 0;
    for (const { first, last } of this.backendCpu.values()) ms += last - first;
    return { ms, backends: this.backendCpu.size };
  }

  /** Per application, its non-idle states by the average number of sessions in them. */
  summary(): { app: string; states: [string, number][] }[] {
    return [...this.tally].map(([app, byLabel]) => ({
      app,
      states: [...byLabel]
        .map(([label, n]) => [label, n / Math.max(1, this.samples)] as [string, number])
        .sort((a, b) => b[1] - a[1]),
    }));
  }
}
