/** A column of feature rows as the learners see it. */
export interface TabularColumn {
  readonly name: string;
  /** A number (learned as a smooth curve or by splits), or a category (a level per value). */
  readonly type: 'number' | 'category';
  /** Drifts as time passes (a decayed count, days since): must be learned continuously. */
  readonly timeVarying?: boolean;
}

/** Fewest training rows a category level needs to be learned on its own. */
export const LEVEL_MIN_COUNT = 10;
/** Knots of the curve a logistic regression learns for a number. */
export const NUMBER_KNOTS = 6;
