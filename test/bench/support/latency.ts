/** Latency sampling for benches: sequential runs, nearest-rank percentiles. */

export interface LatencyStats {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of ascending `sorted` (q in 0–1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: sum / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/**
 * Runs `fn` `warmup` times unmeasured, then `iterations` times one after another, timing each
 * call with performance.now(). Returns the stats and the last call's result.
 */
export async function measure<T>(
  iterations: number,
  warmup: number,
  fn: () => Promise<T>,
): Promise<{ stats: LatencyStats; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < warmup; i++) last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    last = await fn();
    samples.push(performance.now() - start);
  }
  return { stats: summarise(samples), last: last as T };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;

export function formatStats(s: LatencyStats): string {
  return `p50 ${ms(s.p50)}, p90 ${ms(s.p90)}, p99 ${ms(s.p99)}, mean ${ms(s.mean)} (min ${ms(s.min)}, max ${ms(s.max)}, n=${s.n})`;
}

/** Reads a positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw == null || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer (got ${raw})`);
  }
  return value;
}

/**
 * Like `measure`, for several candidates at once: each iteration runs every candidate once, in
 * turn, so a noisy moment of the machine lands on all of them rather than on one. Also returns
 * each candidate's mean CPU time of this process (user + system) per call: how much of its
 * latency is spent computing here rather than waiting (on PostgreSQL, or on a busy machine).
 */
export async function measureInterleaved<K extends string>(
  iterations: number,
  warmup: number,
  candidates: Record<K, () => Promise<unknown>>,
): Promise<{ stats: Record<K, LatencyStats>; cpuMs: Record<K, number>; last: Record<K, unknown> }> {
  const keys = Object.keys(candidates) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const cpuMs = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const last = {} as Record<K, unknown>;
  for (let i = 0; i < warmup + iterations; i++) {
    for (const k of keys) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      last[k] = await candidates[k]();
      if (i >= warmup) {
        samples[k].push(performance.now() - start);
        const used = process.cpuUsage(cpu);
        cpuMs[k] += (used.user + used.system) / 1000 / iterations;
      }
    }
  }
  const stats = Object.fromEntries(keys.map((k) => [k, summarise(samples[k])])) as Record<
    K,
    LatencyStats
  >;
  return { stats, cpuMs, last };
}
