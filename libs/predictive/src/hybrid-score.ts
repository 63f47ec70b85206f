export interface HybridInput {
  /** The rules model's total for the contact. */
  rulesTotal: number;
  /** The rules total that counts as 100 (e.g. fit.max + engagement.max); clamped to 0–100. */
  rulesScaleMax: number;
  /** The predictive model's probability, 0–1. */
  probability: number;
  /** Relative weights, each ≥ 0, not both 0; they are normalised to sum to 1. */
  weights: { rules: number; predictive: number };
}

export interface HybridScore {
  /** 0–100: rulesComponent + predictiveComponent. */
  score: number;
  /** The rules score on 0–100 times its normalised weight. */
  rulesComponent: number;
  /** The probability × 100 times its normalised weight. */
  predictiveComponent: number;
  /** The weights after normalising. */
  weights: { rules: number; predictive: number };
}

/**
 * A hybrid model's score: a weighted mean of the rules score rescaled to 0–100
 * (100 · clamp(rulesTotal / rulesScaleMax, 0, 1)) and the predicted probability × 100.
 * With weights { rules: 1, predictive: 3 }: 25% rules, 75% predictive. The two components are
 * returned so a reason can show how much of the score each model contributed.
 */
export function hybridScore(input: HybridInput): HybridScore {
  const { rulesTotal, rulesScaleMax, probability, weights } = input;
  if (!(rulesScaleMax > 0) || !Number.isFinite(rulesScaleMax)) {
    throw new RangeError(`rulesScaleMax must be > 0, got ${rulesScaleMax}`);
  }
  if (!Number.isFinite(rulesTotal))
    throw new RangeError(`rulesTotal must be finite, got ${rulesTotal}`);
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`probability must be in [0, 1], got ${probability}`);
  }
  const { rules, predictive } = weights;
  if (
    !(rules >= 0) ||
    !(predictive >= 0) ||
    !Number.isFinite(rules) ||
    !Number.isFinite(predictive)
  ) {
    throw new RangeError('weights must be finite and ≥ 0');
  }
  const sum = rules + predictive;
  if (sum === 0) throw new RangeError('at least one weight must be > 0');
  const wr = rules / sum;
  const wp = predictive / sum;
  const rules100 = 100 * Math.min(1, Math.max(0, rulesTotal / rulesScaleMax));
  const rulesComponent = wr * rules100;
  const predictiveComponent = wp * probability * 100;
  return {
    score: rulesComponent + predictiveComponent,
    rulesComponent,
    predictiveComponent,
    weights: { rules: wr, predictive: wp },
  };
}
