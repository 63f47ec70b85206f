import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

/**
 * Linux /proc sampling for the ingest bench: peak memory of the API and worker, and the CPU
 * time of every process that takes part (the processes under test, their PostgreSQL
 * backends, PostgreSQL's background processes, Redis, and the bench's own clients).
 */

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** VmRSS and VmHWM (peak RSS) in KiB, or null when the process is gone. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used, or null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
}

/** Processes whose command line starts with `prefix` (e.g. "postgres:" or "redis-server"). */
export function processesNamed(prefix: string): { pid: number; title: string }[] {
  const found: { pid: number; title: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (title.startsWith(prefix)) found.push({ pid: Number(entry), title });
    } catch {
      // gone
    }
  }
  return found;
}

export type CpuSnapshot = Map<string, number>;

export interface WaitSample {
  at: number;
  /** application_name → counts of backends by state ("active", "Lock:transactionid", ...). */
  byApp: Map<string, Map<string, number>>;
}

/**
 * Samples every `intervalMs`: the RSS of the API and worker (their peak), and the CPU
 * seconds of each group of processes. A process that exits keeps its last reading, so a
 * group's total only grows and the CPU of a phase is the difference of two snapshots.
 * PostgreSQL backends are grouped by application_name (from pg_stat_activity), and the
 * state of our database's backends is counted each time (how often they wait on locks).
 */
export class ProcessSampler {
  private readonly lastCpu = new Map<number, { group: string; seconds: number }>();
  private readonly peakRssKb = new Map<string, number>();
  private readonly appOfPid = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  readonly waits: WaitSample[] = [];
  private recordWaits = false;

  constructor(
    private readonly options: {
      /** Named processes of ours, e.g. { api: pid, worker: pid }. */
      processes: Record<string, number>;
      /** A pool on the bench database, to read pg_stat_activity. */
      monitor: Pool;
      database: string;
      intervalMs?: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.options.intervalMs ?? 250);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
  }

  /** Counts backend states from now on (the ingest and drain phases). */
  watchWaits(on: boolean): void {
    this.recordWaits = on;
  }

  /** Starts (or restarts, with a new pid) following one of our processes. */
  setProcess(name: string, pid: number): void {
    this.options.processes[name] = pid;
  }

  peakRssMb(name: string): number {
    return (this.peakRssKb.get(name) ?? 0) / 1024;
  }

  /** Takes a fresh reading and returns each group's cumulative CPU seconds. */
  async snapshot(): Promise<CpuSnapshot> {
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.sample();
    const totals = new Map<string, number>();
    for (const { group, seconds } of this.lastCpu.values())
      totals.set(group, (totals.get(group) ?? 0) + seconds);
    const usage = process.cpuUsage();
    totals.set('bench clients (this process)', (usage.user + usage.system) / 1e6);
    const machine = machineCpu();
    totals.set('machine busy (all processes)', machine.busy);
    totals.set('machine total (cores × wall)', machine.total);
    return totals;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const [name, pid] of Object.entries(this.options.processes)) {
        const mem = memoryOf(pid);
        if (mem) this.peakRssKb.set(name, Math.max(this.peakRssKb.get(name) ?? 0, mem.rssKb));
        const cpu = cpuSecondsOf(pid);
        if (cpu !== null) this.lastCpu.set(pid, { group: name, seconds: cpu });
      }
      const rows: {
        pid: number;
        application_name: string;
        datname: string | null;
        state: string | null;
        wait_event_type: string | null;
        wait_event: string | null;
      }[] = (
        await this.options.monitor.query(
          `SELECT pid, application_name, datname, state, wait_event_type, wait_event
           FROM pg_stat_activity WHERE backend_type = 'client backend'`,
        )
      ).rows;
      const byApp = new Map<string, Map<string, number>>();
      for (const r of rows) {
        const ours = r.datname === this.options.database;
        this.appOfPid.set(r.pid, ours ? r.application_name || 'other' : '(other databases)');
        if (!ours || !this.recordWaits || r.application_name === 'quorum-bench') continue;
        const state =
          r.state === 'active' && r.wait_event_type && r.wait_event_type !== 'Client'
            ? `waiting ${r.wait_event_type}:${r.wait_event}`
            : (r.state ?? 'unknown');
        const counts = byApp.get(r.application_name) ?? new Map<string, number>();
        counts.set(state, (counts.get(state) ?? 0) + 1);
        byApp.set(r.application_name, counts);
      }
      if (this.recordWaits) this.waits.push({ at: Date.now(), byApp });
      for (const { pid, title } of processesNamed('postgres')) {
        const cpu = cpuSecondsOf(pid);
        if (cpu === null) continue;
        const app = this.appOfPid.get(pid);
        const group = app
          ? app === '(other databases)'
            ? 'postgres: other databases (not ours)'
            : `postgres backends of ${app}`
          : /^postgres:\s+\S+:\s+\S+\s+\S+\s+\S+\(\d+\)/.test(title) ||
              /postgres \S+ \[local\]/.test(title)
            ? 'postgres: backends not yet classified'
            : 'postgres: background (wal, checkpoint, vacuum)';
        this.lastCpu.set(pid, { group, seconds: cpu });
      }
      for (const { pid } of processesNamed('redis-server')) {
        const cpu = cpuSecondsOf(pid);
        if (cpu !== null) this.lastCpu.set(pid, { group: 'redis-server (shared)', seconds: cpu });
      }
    } catch {
      // A failed sample is skipped; the next one catches up.
    } finally {
      this.busy = false;
    }
  }
}

/** CPU seconds per group between two snapshots, largest first. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): [string, number][] {
  return [...b.entries()]
    .map(([group, seconds]) => [group, seconds - (a.get(group) ?? 0)] as [string, number])
    .sort((x, y) => y[1] - x[1]);
}
