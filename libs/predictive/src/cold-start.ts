import { formatCount } from './format';
import { countOutcomes } from './labels';

/**
 * The fewest conversions (and the fewest non-conversions) a workspace needs before a
 * predictive model is trained: below this the model learns noise, and the rules model stays.
 */
export const MIN_CONVERSIONS = 200;

/** Training refused: too few outcomes. */
export class ColdStartError extends Error {
  override readonly name = 'ColdStartError';
  constructor(
    readonly conversions: number,
    readonly nonConversions: number,
    readonly required: number,
  ) {
    super(
      `Not enough outcomes to train a predictive model: ${formatCount(conversions)} ` +
        `conversion${conversions === 1 ? '' : 's'} and ${formatCount(nonConversions)} ` +
        `non-conversion${nonConversions === 1 ? '' : 's'}, but at least ${formatCount(required)} ` +
        `of each are needed. Keep scoring with the rules model until more outcomes are recorded.`,
    );
  }
}

/** Throws `ColdStartError` unless there are at least `min` conversions and `min` non-conversions. */
export function assertEnoughOutcomes(labels: readonly number[], min = MIN_CONVERSIONS): void {
  const { conversions, nonConversions } = countOutcomes(labels);
  if (conversions < min || nonConversions < min) {
    throw new ColdStartError(conversions, nonConversions, min);
  }
}
