/** A feature vector as its non-zero entries, indices ascending. */
export interface SparseVector {
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/** Dense (`number[]`) or sparse. */
export type FeatureVector = readonly number[] | SparseVector;

export function isSparse(x: FeatureVector): x is SparseVector {
  return !Array.isArray(x);
}

export function toDense(x: SparseVector, width: number): number[] {
  const out = new Array<number>(width).fill(0);
  x.indices.forEach((j, k) => {
    if (j < 0 || j >= width) throw new RangeError(`index ${j} outside width ${width}`);
    out[j] = x.values[k] as number;
  });
  return out;
}

export function toSparse(x: readonly number[]): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  x.forEach((v, j) => {
    if (v !== 0) {
      indices.push(j);
      values.push(v);
    }
  });
  return { indices, values };
}
