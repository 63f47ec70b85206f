import { assertLabels } from './labels';
import { shuffled, type Rng } from './rng';

/**
 * Assigns each row to one of `k` folds so that every fold has (within one) the same number of
 * conversions and of non-conversions. Rows are shuffled with the given generator first.
 * Returns each row's fold, 0 … k−1.
 */
export function stratifiedFolds(labels: readonly number[], k: number, rng: Rng): Int32Array {
  assertLabels(labels);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${k}`);
  if (k > labels.length) throw new RangeError(`cannot make ${k} folds of ${labels.length} rows`);
  const positives: number[] = [];
  const negatives: number[] = [];
  labels.forEach((y, i) => (y === 1 ? positives : negatives).push(i));
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const group of [shuffled(positives, rng), shuffled(negatives, rng)]) {
    for (const i of group) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}
