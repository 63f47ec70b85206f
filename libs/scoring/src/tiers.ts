/** Picking a tier, a grade and a quadrant from the computed parts. */
import type { Quadrant, QuadrantAction } from './lead-score';
import type { ScoringModelDefinition } from './model-definition';

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
