import { encode } from './encode';
import { fitEncoder, type Encoder } from './encoder';
import { type FeatureRow, type FeatureSpec } from './feature-spec';
import { trainLogistic, type LinearModel, type LogisticFit } from './logistic-regression';
import { type SparseVector } from './sparse-vector';

export interface PathFit {
  encoder: Encoder;
  /** One fit per λ, in the order given. */
  fits: LogisticFit[];
}

/**
 * Fits the encoder on `rows`, then one logistic regression per λ. Each fit starts from the
 * previous one (warm start), so give λ from largest to smallest for speed.
 */
export function fitPath(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  spec: FeatureSpec,
  lambdas: readonly number[],
): PathFit {
  const encoder = fitEncoder(rows, spec);
  const X = rows.map((row) => encode(encoder, row));
  const fits: LogisticFit[] = [];
  let initial: LinearModel | undefined;
  for (const lambda of lambdas) {
    const fit = trainLogistic(X, labels, { lambda, width: encoder.width, initial });
    fits.push(fit);
    initial = fit;
  }
  return { encoder, fits };
}

/** Encodes rows with a fitted encoder. */
export function encodeRows(encoder: Encoder, rows: readonly FeatureRow[]): SparseVector[] {
  return rows.map((row) => encode(encoder, row));
}

export function pick<T>(items: readonly T[], indexes: readonly number[]): T[] {
  return indexes.map((i) => items[i] as T);
}
