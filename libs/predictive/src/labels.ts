/** Binary outcomes: 1 = converted, 0 = did not. */

export type Label = 0 | 1;

export interface OutcomeCounts {
  total: number;
  conversions: number;
  nonConversions: number;
  /** conversions / total, or null with no rows. */
  baseRate: number | null;
}

/** Throws unless every label is 0 or 1 and, when given, the lengths match. */
export function assertLabels(labels: readonly number[], expectedLength?: number): void {
  if (expectedLength !== undefined && labels.length !== expectedLength) {
    throw new RangeError(`expected ${expectedLength} labels, got ${labels.length}`);
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${String(y)}`);
  }
}

export function countOutcomes(labels: readonly number[]): OutcomeCounts {
  assertLabels(labels);
  let conversions = 0;
  for (const y of labels) conversions += y;
  const total = labels.length;
  return {
    total,
    conversions,
    nonConversions: total - conversions,
    baseRate: total === 0 ? null : conversions / total,
  };
}
