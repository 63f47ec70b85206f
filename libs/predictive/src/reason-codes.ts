import { encode } from './encode';
import { type FeatureRow, type FeatureValue } from './feature-spec';
import { linearPredictor } from './logistic-regression';
import { type PredictiveModel } from './predictive-model';
import { sigmoid } from './probabilities';

export interface FeatureContribution {
  /** The column or interaction (`job`, `month × contact`). */
  feature: string;
  /** The feature(s) this contact has on in that group (`job=admin.`, `age∈[30,39)`). */
  label: string;
  /** The contact's raw value (null for an interaction). */
  value: FeatureValue;
  /** Log-odds pushed up (+) or down (−) relative to the average training contact. */
  contribution: number;
}

export interface PredictiveScore {
  /** 0–1. */
  probability: number;
  /** The probability shown 0–100, one decimal. */
  score: number;
  logit: number;
  /** The log-odds of a contact with every feature at its training mean. */
  baselineLogit: number;
  baselineProbability: number;
  /** Every feature group, largest |contribution| first; they sum to logit − baselineLogit. */
  contributions: FeatureContribution[];
  /** Reason codes: the groups that pushed the score up the most, largest first. */
  up: FeatureContribution[];
  /** … and down the most, most negative first. */
  down: FeatureContribution[];
}

/** 0.4237 → 42.4. */
export function probabilityToScore(probability: number): number {
  return Math.round(probability * 1000) / 10;
}

/**
 * Scores a contact with reason codes. Feature j contributes wⱼ·(xⱼ − x̄ⱼ) log-odds, x̄ⱼ its
 * training mean; a group's contribution is the sum over its features, so a one-hot column
 * counts once, labelled with the level the contact has.
 */
export function scorePredictive(
  model: PredictiveModel,
  row: FeatureRow,
  reasons = 3,
): PredictiveScore {
  const x = encode(model.encoder, row);
  const logit = linearPredictor(model, x);
  const active = new Map<number, number>();
  x.indices.forEach((j, k) => active.set(j, x.values[k] as number));
  let baselineLogit = model.intercept;
  const contributions: FeatureContribution[] = model.encoder.groups.map((group) => {
    let contribution = 0;
    const labels: string[] = [];
    for (let j = group.start; j < group.end; j++) {
      const w = model.weights[j] as number;
      const mean = model.featureMeans[j] as number;
      baselineLogit += w * mean;
      const v = active.get(j) ?? 0;
      contribution += w * (v - mean);
      if (active.has(j)) labels.push(model.encoder.featureNames[j] as string);
    }
    return {
      feature: group.name,
      label: labels.join(' & ') || group.name,
      value: group.kind === 'interaction' ? null : (row[group.name] ?? null),
      contribution,
    };
  });
  contributions.sort(
    (a, b) =>
      Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1),
  );
  const probability = sigmoid(logit);
  return {
    probability,
    score: probabilityToScore(probability),
    logit,
    baselineLogit,
    baselineProbability: sigmoid(baselineLogit),
    contributions,
    up: contributions.filter((c) => c.contribution > 0).slice(0, reasons),
    down: contributions
      .filter((c) => c.contribution < 0)
      .sort((a, b) => a.contribution - b.contribution)
      .slice(0, reasons),
  };
}
