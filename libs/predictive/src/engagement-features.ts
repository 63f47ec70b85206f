/** Half-life decay, as in the rules engine: weight 2^(−ageDays / halfLifeDays). */
const DAY_MS = 86_400_000;

export interface TimedActivity {
  type: string;
  /** Epoch milliseconds. */
  occurredAtMs: number;
}

/**
 * Decayed engagement counts per activity type as of `asOfMs`, for features such as
 * `engagement.EMAIL_CLICK`. Only activities strictly before `asOfMs` count (as-of scoring must
 * not see the future); each counts 2^(−age/halfLife). Every type in `types` gets a value
 * (0 when absent), so rows have the same columns.
 */
export function decayedEngagementCounts(
  activities: readonly TimedActivity[],
  asOfMs: number,
  halfLifeDays: number,
  types: readonly string[],
  prefix = 'engagement.',
): Record<string, number> {
  if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be > 0, got ${halfLifeDays}`);
  const out: Record<string, number> = {};
  for (const t of types) out[prefix + t] = 0;
  for (const a of activities) {
    if (!(a.occurredAtMs < asOfMs)) continue;
    const key = prefix + a.type;
    if (!(key in out)) continue;
    const ageDays = (asOfMs - a.occurredAtMs) / DAY_MS;
    out[key] = (out[key] as number) + 2 ** (-ageDays / halfLifeDays);
  }
  return out;
}
