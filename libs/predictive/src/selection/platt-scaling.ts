import { trainLogistic, predictProbability } from '../logistic-regression';
import { createRng } from '../rng';
import { stratifiedFolds } from '../stratified-folds';

export const CALIBRATION_FOLDS = 5;

/**
 * A score that is not a probability (a rules total, a hybrid mix) mapped to one by logistic
 * (Platt) scaling fitted out of fold: each row's probability comes from a fit on the other
 * folds, so a calibration table built from them is honest. Null with fewer than 5 conversions
 * or non-conversions.
 */
export function crossFittedProbabilities(
  scores: readonly number[],
  labels: readonly number[],
): number[] | null {
  const positives = labels.filter((l) => l === 1).length;
  if (positives < CALIBRATION_FOLDS || labels.length - positives < CALIBRATION_FOLDS) return null;
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / scores.length) || 1;
  const z = scores.map((x) => [(x - mean) / sd]);
  const folds = stratifiedFolds(labels, CALIBRATION_FOLDS, createRng(7));
  const probabilities = new Array<number>(scores.length);
  for (let k = 0; k < CALIBRATION_FOLDS; k += 1) {
    const trainX: number[][] = [];
    const trainY: number[] = [];
    folds.forEach((fold, i) => {
      if (fold !== k) {
        trainX.push(z[i]!);
        trainY.push(labels[i]!);
      }
    });
    const fit = trainLogistic(trainX, trainY, { lambda: 1e-3 });
    folds.forEach((fold, i) => {
      if (fold === k) probabilities[i] = predictProbability(fit, z[i]!);
    });
  }
  return probabilities;
}
