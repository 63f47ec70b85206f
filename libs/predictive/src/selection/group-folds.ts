import { assertLabels } from '../labels';

/** FNV-1a, 32 bits, of a string mixed with a seed: stable across runs, processes and machines. */
export function stableHash(key: string, seed = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche, so keys that differ in their last character spread over every fold.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Assigns rows to `k` folds by a stable key (an email, an external id): every row of one key
 * lands in the same fold (a contact observed in several windows never trains the model that
 * tests it), and identical data gives identical folds whatever ids the database generated.
 * Keys are ordered by their seeded hash and dealt round-robin, keys with a conversion and keys
 * without separately, so every fold gets its share of each.
 */
export function groupFolds(
  keys: readonly string[],
  labels: readonly number[],
  k: number,
  seed: number,
): Int32Array {
  assertLabels(labels, keys.length);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${k}`);
  const converted = new Map<string, boolean>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    converted.set(key, (converted.get(key) ?? false) || labels[i] === 1);
  }
  if (converted.size < k) {
    throw new RangeError(`cannot make ${k} folds of ${converted.size} distinct keys`);
  }
  const byHash = (a: string, b: string) =>
    stableHash(a, seed) - stableHash(b, seed) || (a < b ? -1 : a > b ? 1 : 0);
  const positives = [...converted]
    .filter(([, c]) => c)
    .map(([key]) => key)
    .sort(byHash);
  const negatives = [...converted]
    .filter(([, c]) => !c)
    .map(([key]) => key)
    .sort(byHash);
  const foldOfKey = new Map<string, number>();
  let next = 0;
  for (const group of [positives, negatives]) {
    for (const key of group) {
      foldOfKey.set(key, next);
      next = (next + 1) % k;
    }
  }
  return Int32Array.from(keys, (key) => foldOfKey.get(key)!);
}
