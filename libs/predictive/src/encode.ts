import {
  columnKey,
  levelIndex,
  levelOf,
  numberOf,
  type Encoder,
  type EncoderGroup,
} from './encoder';
import { type FeatureRow } from './feature-spec';
import { binIndex, hatWeights } from './quantile-bins';
import { toDense, type SparseVector } from './sparse-vector';

const groupsByNameCache = new WeakMap<Encoder, Map<string, EncoderGroup>>();

function groupsByName(encoder: Encoder): Map<string, EncoderGroup> {
  let map = groupsByNameCache.get(encoder);
  if (!map) {
    map = new Map(encoder.groups.map((g) => [g.name, g]));
    groupsByNameCache.set(encoder, map);
  }
  return map;
}

/** A row as a sparse feature vector (indices ascending), using a fitted encoder. */
export function encode(encoder: Encoder, row: FeatureRow): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  const byName = groupsByName(encoder);
  for (const group of encoder.groups) {
    if (group.kind === 'categorical') {
      const i = levelIndex(group).get(levelOf(row[group.name]));
      indices.push(i === undefined ? group.end - 1 : group.start + i);
      values.push(1);
    } else if (group.kind === 'numeric') {
      const x = numberOf(row[group.name]);
      const binCount = group.cuts === null ? 0 : group.cuts.length + 1;
      const knots = group.knots ?? null;
      if (x === null) {
        indices.push(group.start + binCount);
        values.push(1);
        continue;
      }
      if (group.cuts !== null) {
        indices.push(group.start + binIndex(group.cuts, x));
        values.push(1);
      }
      if (group.standardised !== null) {
        const z = (x - group.standardised.mean) / group.standardised.sd;
        if (z !== 0) {
          indices.push(group.start + binCount + 1);
          values.push(z);
        }
      }
      if (knots !== null) {
        const first = group.end - knots.length;
        const { index, weight } = hatWeights(knots, x);
        if (weight > 0) {
          indices.push(first + index);
          values.push(weight);
        }
        if (weight < 1) {
          indices.push(first + index + 1);
          values.push(1 - weight);
        }
      }
    } else {
      const [a, b] = group.columns;
      const ga = byName.get(a);
      const gb = byName.get(b);
      if (!ga || ga.kind === 'interaction' || !gb || gb.kind === 'interaction') {
        throw new RangeError(`interaction ${group.name}: columns missing from the encoder`);
      }
      const key = `${columnKey(ga, row[a])} × ${columnKey(gb, row[b])}`;
      const i = levelIndex(group).get(key);
      indices.push(i === undefined ? group.end - 1 : group.start + i);
      values.push(1);
    }
  }
  return { indices, values };
}

/** A row as a dense feature vector of length `encoder.width`. */
export function encodeDense(encoder: Encoder, row: FeatureRow): number[] {
  return toDense(encode(encoder, row), encoder.width);
}
