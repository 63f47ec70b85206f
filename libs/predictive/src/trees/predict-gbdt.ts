import { sigmoid } from '../probabilities';
import { compileForest, forestLogit } from './compiled-forest';
import { type GbdtModel } from './gbdt-model';

/** Throws unless x has one value per feature of the model. */
export function assertRowWidth(model: GbdtModel, x: ArrayLike<number>): void {
  const width = model.featureNames.length;
  if (x.length !== width) {
    throw new RangeError(`expected ${width} feature values, got ${x.length}`);
  }
}

/** The model's log-odds for one row (x[j] = value of featureNames[j]; NaN = missing, never null). */
export function predictGbdtLogit(model: GbdtModel, x: ArrayLike<number>): number {
  assertRowWidth(model, x);
  return forestLogit(compileForest(model), x, 0);
}

/** The model's probability for one row. */
export function predictGbdtProbability(model: GbdtModel, x: ArrayLike<number>): number {
  return sigmoid(predictGbdtLogit(model, x));
}

/** Log-odds of every row of column-major data (one Float64Array per feature, as in training). */
export function predictGbdtLogits(
  model: GbdtModel,
  columns: readonly Float64Array[],
): Float64Array {
  const c = compileForest(model);
  if (columns.length !== c.width) {
    throw new RangeError(`expected ${c.width} columns, got ${columns.length}`);
  }
  const n = columns.length > 0 ? (columns[0] as Float64Array).length : 0;
  for (const [j, col] of columns.entries()) {
    if (col.length !== n) throw new RangeError(`column ${j} has ${col.length} rows, expected ${n}`);
  }
  const row = new Float64Array(c.width);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c.width; j++) row[j] = (columns[j] as Float64Array)[i] as number;
    out[i] = forestLogit(c, row, 0);
  }
  return out;
}
