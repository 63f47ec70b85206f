import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Linux /proc readings for the subscription bench: peak memory and CPU time by process. */

export interface Memory {
  /** Peak resident set (VmHWM), MB. */
  peakMb: number;
  /** Resident set now (VmRSS), MB. */
  rssMb: number;
}

export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

let ticks: number | undefined;
function ticksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** User + system CPU of a process so far, ms (undefined once it has gone). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/** Pids whose command name is one of `names` (and whose command line holds `argument`). */
export function pidsNamed(names: readonly string[], argument?: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (!names.some((n) => comm === n || comm.startsWith(`${n}:`))) continue;
      if (argument && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(argument)) continue;
      found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Busy CPU of the whole machine so far (all cores), ms. */
function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / ticksPerSecond();
}

/** Time during which some runnable task waited for a CPU (PSI), ms; undefined without PSI. */
function cpuPressureMs(): number | undefined {
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0]!;
    return Number(/total=(\d+)/.exec(some)?.[1]) / 1000;
  } catch {
    return undefined;
  }
}

/** CPU time per process group (pid lists), and of the whole machine: to diff with a later one. */
export interface CpuSnapshot {
  at: number;
  groups: Map<string, Map<number, number>>;
  machineMs: number;
  pressureMs: number | undefined;
}

export function cpuSnapshot(groups: Record<string, readonly number[]>): CpuSnapshot {
  const byGroup = new Map<string, Map<number, number>>();
  for (const [name, pids] of Object.entries(groups)) {
    const byPid = new Map<number, number>();
    for (const pid of pids) {
      const ms = cpuMsOf(pid);
      if (ms !== undefined) byPid.set(pid, ms);
    }
    byGroup.set(name, byPid);
  }
  return {
    at: performance.now(),
    groups: byGroup,
    machineMs: machineBusyMs(),
    pressureMs: cpuPressureMs(),
  };
}

/**
 * Share of one core used by each group between two snapshots (a pid absent from the first
 * started in between and counts from zero), by the whole machine, by every process outside the
 * groups, and the share of the time some task was kept waiting for a CPU. In per cent.
 */
export function cpuBetween(
  a: CpuSnapshot,
  b: CpuSnapshot,
  /** CPU ms measured elsewhere over the same interval, by name. */
  extra: Record<string, number> = {},
): { name: string; percent: number }[] {
  const wall = b.at - a.at;
  const rows: { name: string; percent: number }[] = [];
  let ours = 0;
  for (const [name, byPid] of b.groups) {
    let ms = 0;
    for (const [pid, now] of byPid) ms += now - (a.groups.get(name)?.get(pid) ?? 0);
    ours += ms;
    rows.push({ name, percent: (ms / wall) * 100 });
  }
  for (const [name, ms] of Object.entries(extra)) {
    ours += ms;
    rows.push({ name, percent: (ms / wall) * 100 });
  }
  const machine = b.machineMs - a.machineMs;
  rows.push({ name: 'machine', percent: (machine / wall) * 100 });
  rows.push({ name: 'other processes', percent: (Math.max(0, machine - ours) / wall) * 100 });
  if (a.pressureMs !== undefined && b.pressureMs !== undefined)
    rows.push({ name: 'CPU pressure', percent: ((b.pressureMs - a.pressureMs) / wall) * 100 });
  return rows;
}
