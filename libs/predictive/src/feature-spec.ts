/**
 * What to learn from: which attributes of a row become features and how.
 *
 * - `categorical`: one feature per level seen at least `minCount` times in the training rows,
 *   plus `name=(other)` for rarer and unseen levels (a missing value is the level `(missing)`).
 * - `numeric`: `bins` quantile bins fitted on the training rows, one-hot (`age∈[30,39)`), plus
 *   `name=(missing)`; with `standardise`, also the raw value as (x − mean) / sd
 *   (`age (standardised)`). Columns with at most `bins` distinct values get one bin per value;
 *   bins holding fewer than `minBinCount` rows are merged with a neighbour. With `knots`, also
 *   a piecewise-linear curve through that many knots at training quantiles (`age≈30`: hat
 *   functions, two of them on for any value): the score is then continuous in the value, so a
 *   number that drifts with time (a decayed count, days since an activity) never makes it jump.
 * - `interaction`: the cross of two spec columns' levels or bins
 *   (`month=may × contact=telephone`), combinations seen fewer than `minCount` times going to
 *   `(other)`.
 */

export type FeatureValue = string | number | boolean | null | undefined;

/** One contact (or CSV line): attribute name → value. */
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

export interface CategoricalColumnSpec {
  readonly kind: 'categorical';
  readonly name: string;
  readonly minCount?: number;
}

export interface NumericColumnSpec {
  readonly kind: 'numeric';
  readonly name: string;
  /** Number of quantile bins; 0 for none (then set `standardise`). Default 10. */
  readonly bins?: number;
  readonly minBinCount?: number;
  readonly standardise?: boolean;
  /** Knots of a piecewise-linear curve (≥ 2), placed at training quantiles; absent: none. */
  readonly knots?: number;
}

export type ColumnSpec = CategoricalColumnSpec | NumericColumnSpec;

export interface InteractionSpec {
  readonly columns: readonly [string, string];
  readonly minCount?: number;
}

export interface FeatureSpec {
  readonly columns: readonly ColumnSpec[];
  readonly interactions?: readonly InteractionSpec[];
}

/** Default minimum rows for a level, a bin or an interaction cell to get its own feature. */
export const DEFAULT_MIN_COUNT = 10;
export const DEFAULT_NUMERIC_BINS = 10;

export const MISSING_LEVEL = '(missing)';
export const OTHER_LEVEL = '(other)';
