/** Age and exponential decay of activity points. */

export const DAY_MS = 86_400_000;

export function ageInDays(nowMs: number, occurredAtMs: number): number {
  return (nowMs - occurredAtMs) / DAY_MS;
}

/** `2^(−ageDays / halfLifeDays)`; a null half-life means no decay. */
export function decayFactor(ageDays: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null) return 1;
  return 2 ** (-ageDays / halfLifeDays);
}
