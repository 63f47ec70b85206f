/** Picking a tier, a grade and a quadrant from the computed parts. */
import type { Quadrant, QuadrantAction } from './lead-score';
import type { ScoringModelDefinition, TierBand } from './model-definition';

export const QUADRANT_ACTIONS: Readonly<Record<Quadrant, QuadrantAction>> = Object.freeze({
  HIGH_FIT_HIGH_ENGAGEMENT: 'ROUTE_NOW',
  HIGH_FIT_LOW_ENGAGEMENT: 'NURTURE_AND_ALERT',
  LOW_FIT_HIGH_ENGAGEMENT: 'REVIEW',
  LOW_FIT_LOW_ENGAGEMENT: 'DEPRIORITIZE',
});

/**
 * The first band (sorted by minimum, highest first) whose minimum `value` reaches; below every
 * minimum, the lowest band. `bandsDescending` must not be empty.
 */
export function pickBand<T>(
  bandsDescending: readonly T[],
  value: number,
  minimumOf: (band: T) => number,
): T {
  for (const band of bandsDescending) {
    if (minimumOf(band) <= value) return band;
  }
  return bandsDescending[bandsDescending.length - 1]!;
}

/** Tier cut-offs kept current for tiers set by share: tier name → lowest total. */
export type TierCutoffs = ReadonlyMap<string, number>;

/**
 * The first tier (in the model's order, top first) whose minimum the total reaches — the kept
 * cut-off for a tier set by share, else its `min` — and whose fit and engagement conditions
 * hold; below every tier, the lowest.
 */
export function pickTier(
  tiersDescending: readonly TierBand[],
  total: number,
  fit: number,
  engagement: number,
  cutoffs?: TierCutoffs,
): TierBand {
  for (const band of tiersDescending) {
    const min = cutoffs?.get(band.name) ?? band.min;
    if (total < min) continue;
    if (band.minFit !== undefined && band.minFit !== null && fit < band.minFit) continue;
    if (
      band.minEngagement !== undefined &&
      band.minEngagement !== null &&
      engagement < band.minEngagement
    ) {
      continue;
    }
    return band;
  }
  return tiersDescending[tiersDescending.length - 1]!;
}

export function quadrantFor(
  fit: number,
  engagement: number,
  thresholds: ScoringModelDefinition['quadrant'],
): Quadrant {
  const highFit = fit >= thresholds.fitThreshold;
  const highEngagement = engagement >= thresholds.engagementThreshold;
  if (highFit) return highEngagement ? 'HIGH_FIT_HIGH_ENGAGEMENT' : 'HIGH_FIT_LOW_ENGAGEMENT';
  return highEngagement ? 'LOW_FIT_HIGH_ENGAGEMENT' : 'LOW_FIT_LOW_ENGAGEMENT';
}
