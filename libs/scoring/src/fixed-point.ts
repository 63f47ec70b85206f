/**
 * Integer arithmetic for points, so that sums are exact and independent of order.
 *
 * A single activity's decayed points are quantised to units of 1/10 000 of a point; a reason is
 * the sum of its units rounded (half away from zero) to hundredths. Integer sums cannot drift with
 * summation order, and quantising each activity monotonically keeps "more activity never lowers the
 * score" exactly true.
 */

export const UNITS_PER_POINT = 10_000;
const UNITS_PER_HUNDREDTH = UNITS_PER_POINT / 100;

/** Model validation bounds every points value and max by this, so unit sums stay exact integers. */
export const MAX_ABS_POINTS = 1_000_000;

export function pointsToUnits(points: number): number {
  const rounded = Math.round(Math.abs(points) * UNITS_PER_POINT);
  if (rounded === 0) return 0;
  return points < 0 ? -rounded : rounded;
}

export function unitsToHundredths(units: number): number {
  const magnitude = Math.floor((Math.abs(units) + UNITS_PER_HUNDREDTH / 2) / UNITS_PER_HUNDREDTH);
  if (magnitude === 0) return 0;
  return units < 0 ? -magnitude : magnitude;
}

export function pointsToHundredths(points: number): number {
  return unitsToHundredths(pointsToUnits(points));
}

/** The largest whole number of hundredths not above `max`, so a clamped part never exceeds it. */
export function capToHundredths(max: number): number {
  const nearest = Math.round(max * 100);
  return nearest / 100 > max ? nearest - 1 : nearest;
}

export function hundredthsToPoints(hundredths: number): number {
  return hundredths / 100;
}
