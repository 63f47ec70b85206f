/** Throws unless every value is a probability in [0, 1]. */
export function assertProbabilities(probs: readonly number[]): void {
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${i} must be in [0, 1], got ${p}`);
  }
}

/** The logistic function 1 / (1 + e^−z), stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(p / (1 − p)). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}
