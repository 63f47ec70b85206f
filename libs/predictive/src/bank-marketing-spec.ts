import { type FeatureSpec } from './feature-spec';

/**
 * A feature recipe for the UCI Bank Marketing data (`bank-additional-full.csv`), used by the
 * eval CLI when the columns match. `duration` is never used: it is known only after the call.
 *
 * - client and campaign attributes one-hot; `age`, `campaign` and `previous` in quantile bins;
 *   `pdays` one-hot per value (999 = never contacted before);
 * - the quarterly/monthly economic indicators (`emp.var.rate`, `cons.price.idx`, `cons.conf.idx`,
 *   `nr.employed`) one-hot per value, and the daily `euribor3m` in 100 fine quantile bins (≥ 30
 *   rows each): together they place a call in its period of the campaign;
 * - four interactions: month × contact, poutcome × contact, month × day_of_week and
 *   euribor3m × day_of_week.
 *
 * Random k-fold cross-validation mixes calls from the same days into training and test, so the
 * period features are worth more there than when predicting a later period.
 */
export const BANK_MARKETING_SPEC: FeatureSpec = {
  columns: [
    { kind: 'numeric', name: 'age', bins: 10 },
    { kind: 'categorical', name: 'job' },
    { kind: 'categorical', name: 'marital' },
    { kind: 'categorical', name: 'education' },
    { kind: 'categorical', name: 'default' },
    { kind: 'categorical', name: 'housing' },
    { kind: 'categorical', name: 'loan' },
    { kind: 'categorical', name: 'contact' },
    { kind: 'categorical', name: 'month' },
    { kind: 'categorical', name: 'day_of_week' },
    { kind: 'numeric', name: 'campaign', bins: 12 },
    { kind: 'categorical', name: 'pdays' },
    { kind: 'numeric', name: 'previous', bins: 10 },
    { kind: 'categorical', name: 'poutcome' },
    { kind: 'categorical', name: 'emp.var.rate' },
    { kind: 'categorical', name: 'cons.price.idx' },
    { kind: 'categorical', name: 'cons.conf.idx' },
    { kind: 'numeric', name: 'euribor3m', bins: 100, minBinCount: 30 },
    { kind: 'categorical', name: 'nr.employed' },
  ],
  interactions: [
    { columns: ['month', 'contact'] },
    { columns: ['poutcome', 'contact'] },
    { columns: ['month', 'day_of_week'] },
    { columns: ['euribor3m', 'day_of_week'] },
  ],
};

/** True when every column the recipe uses is present. */
export function matchesBankMarketing(columns: readonly string[]): boolean {
  const have = new Set(columns);
  return BANK_MARKETING_SPEC.columns.every((c) => have.has(c.name));
}

/** Columns left out of the UCI data by default, and why. */
export const LEAKY_COLUMNS: Readonly<Record<string, string>> = {
  duration:
    'the call duration is known only after the call has ended (and duration 0 means "no"), so it leaks the outcome',
};
