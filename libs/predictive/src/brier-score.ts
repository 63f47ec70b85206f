import { assertLabels } from './labels';
import { assertProbabilities } from './probabilities';

/**
 * Mean squared difference between predicted probability and outcome (0 is perfect; always
 * predicting the base rate b scores b·(1 − b)). NaN for no rows.
 */
export function brierScore(probs: readonly number[], labels: readonly number[]): number {
  assertLabels(labels, probs.length);
  assertProbabilities(probs);
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const d = (probs[i] as number) - (labels[i] as number);
    sum += d * d;
  }
  return sum / probs.length;
}

/** Mean negative log-likelihood (natural log), probabilities clipped to [1e−15, 1 − 1e−15]. */
export function logLoss(probs: readonly number[], labels: readonly number[]): number {
  assertLabels(labels, probs.length);
  assertProbabilities(probs);
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probs[i] as number));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probs.length;
}
