import { metricsOf, type Metrics } from '../cross-validate';
import { type FeatureRow } from '../feature-spec';
import { countOutcomes } from '../labels';
import { predictProbabilities } from './learners';
import { type TrainedModel } from './trained-model';

/** The later windows hold at least this share of the rows. */
export const OUT_OF_TIME_SHARE = 0.2;
/** Fewest conversions (and non-conversions) on each side for the check to mean anything. */
export const OUT_OF_TIME_MIN_OUTCOMES = 20;

export interface OutOfTimeResult {
  /** Null when the check could be made; otherwise why not. */
  unavailable: string | null;
  /** Observations from this moment on (ISO 8601) were held out. */
  splitAt: string | null;
  trainRows: number;
  testRows: number;
  /** Metrics of the model fitted on the earlier windows, on the later ones. */
  metrics: Metrics | null;
}

/**
 * Trains on the earlier observation windows and validates on the later ones (whole windows, the
 * latest holding at least `OUT_OF_TIME_SHARE` of the rows): how the model does on a period it
 * has not seen, next to random cross-validation, which mixes periods.
 */
export function outOfTime(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  times: readonly number[],
  fit: (rows: FeatureRow[], labels: number[]) => TrainedModel,
): OutOfTimeResult {
  const none = (why: string): OutOfTimeResult => ({
    unavailable: why,
    splitAt: null,
    trainRows: 0,
    testRows: 0,
    metrics: null,
  });
  const windows = [...new Set(times)].sort((a, b) => a - b);
  if (windows.length < 2) {
    return none('all observations start at the same moment: train over more than one window');
  }
  let split = windows.length - 1;
  const atOrAfter = (t: number) => times.filter((x) => x >= t).length;
  while (split > 1 && atOrAfter(windows[split]!) < OUT_OF_TIME_SHARE * rows.length) split--;
  const splitAt = windows[split]!;
  const train: number[] = [];
  const test: number[] = [];
  times.forEach((t, i) => (t < splitAt ? train : test).push(i));
  const trainCounts = countOutcomes(train.map((i) => labels[i]!));
  const testCounts = countOutcomes(test.map((i) => labels[i]!));
  for (const [side, c] of [
    ['earlier', trainCounts],
    ['later', testCounts],
  ] as const) {
    if (Math.min(c.conversions, c.nonConversions) < OUT_OF_TIME_MIN_OUTCOMES) {
      return none(
        `the ${side} windows hold ${c.conversions} conversions and ${c.nonConversions} ` +
          `non-conversions; ${OUT_OF_TIME_MIN_OUTCOMES} of each are needed`,
      );
    }
  }
  const model = fit(
    train.map((i) => rows[i]!),
    train.map((i) => labels[i]!),
  );
  const probs = predictProbabilities(
    model,
    test.map((i) => rows[i]!),
  );
  return {
    unavailable: null,
    splitAt: new Date(splitAt).toISOString(),
    trainRows: train.length,
    testRows: test.length,
    metrics: metricsOf(
      probs,
      test.map((i) => labels[i]!),
    ),
  };
}
