import { summarise, type LatencyStats } from '../latency';

/** Formatting for the ingest bench's report. */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mb = (n: number) => `${n.toFixed(0)} MB`;
export const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function msStats(samples: readonly number[]): LatencyStats | null {
  return samples.length ? summarise(samples) : null;
}

export function fmtMs(s: LatencyStats | null): string {
  if (!s) return 'n/a';
  const f = (x: number) => (x >= 10_000 ? sec(x) : `${x.toFixed(0)} ms`);
  return `p50 ${f(s.p50)}, p90 ${f(s.p90)}, p99 ${f(s.p99)}, max ${f(s.max)} (n=${int(s.n)})`;
}

export const met = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

/** Left-aligned label column. */
export function row(label: string, value: string, width = 44): string {
  return `  ${label.padEnd(width)} ${value}`;
}
