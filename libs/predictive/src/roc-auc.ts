import { assertLabels } from './labels';

/**
 * Ranks 1..n of `values` ascending, tied values sharing the average of their ranks
 * (so 3 values tied at positions 4, 5, 6 all get 5).
 */
export function averageRanks(values: readonly number[]): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start] as number] as number;
    while (end < n && values[order[end] as number] === v) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let i = start; i < end; i++) ranks[order[i] as number] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Exact area under the ROC curve: the probability that a random converter scores above a
 * random non-converter, ties counting one half (Mann–Whitney U / (n₁·n₀), average ranks).
 * Returns NaN when there are no converters or no non-converters (the AUC is undefined).
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  assertLabels(labels, scores.length);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  }
  const ranks = averageRanks(scores);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      positives++;
      rankSum += ranks[i] as number;
    }
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
