import { describe, expect, it } from 'vitest';
import { type FeatureRow } from '../feature-spec';
import { sigmoid } from '../probabilities';
import { createRng, shuffled } from '../rng';
import { groupFolds } from './group-folds';
import { selectModel, type SelectModelOptions } from './select-model';
import { type TabularColumn } from './tabular-column';

const columns: TabularColumn[] = [
  { name: 'plan', type: 'category' },
  { name: 'visits', type: 'number', timeVarying: true },
  { name: 'noise', type: 'number' },
];

/** Linear in the log-odds: a logistic regression is the right model. */
function data(n: number, seed: number) {
  const rng = createRng(seed);
  const rows: FeatureRow[] = [];
  const labels: number[] = [];
  const keys: string[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const plan = ['free', 'team', 'enterprise'][Math.floor(rng() * 3)]!;
    const visits = rng() * 10;
    rows.push({ plan, visits, noise: rng() });
    labels.push(rng() < sigmoid(-1.5 + (plan === 'enterprise' ? 1.2 : 0) + 0.2 * visits) ? 1 : 0);
    keys.push(`c${i}@example.com`);
    times.push(i < n * 0.7 ? 0 : 1);
  }
  return { rows, labels, keys, times };
}

const options = (d: ReturnType<typeof data>): SelectModelOptions => ({
  columns,
  kinds: ['logistic-regression', 'gradient-boosted-trees'],
  folds: 3,
  keys: d.keys,
  times: d.times,
  seed: 5,
});

describe('selectModel', () => {
  const d = data(2_000, 1);
  const selected = selectModel(d.rows, d.labels, options(d));

  it('cross-validates both kinds on the same folds and keeps the simpler one unless beaten', () => {
    expect(selected.evaluation.candidates.map((c) => c.kind)).toEqual([
      'logistic-regression',
      'gradient-boosted-trees',
    ]);
    for (const c of selected.evaluation.candidates) {
      expect(c.folds.map((f) => f.rows)).toEqual(
        selected.evaluation.candidates[0]!.folds.map((f) => f.rows),
      );
    }
    expect(selected.evaluation.chosen).toBe('logistic-regression');
    expect(selected.evaluation.reason).toMatch(/^Kept logistic-regression .*simpler model\.$/);
    expect(selected.model.importance).toBeDefined();
  });

  it('gives the same model and metrics whatever order the rows come in', () => {
    const order = shuffled(
      d.rows.map((_, i) => i),
      createRng(9),
    );
    const pick = <T>(xs: readonly T[]) => order.map((i) => xs[i]!);
    const again = selectModel(pick(d.rows), pick(d.labels), {
      ...options(d),
      keys: pick(d.keys),
      times: pick(d.times),
    });
    expect(again.model).toEqual(selected.model);
    expect(again.evaluation).toEqual(selected.evaluation);
    // Out-of-fold probabilities follow the rows they belong to.
    expect(again.outOfFold).toEqual(pick(selected.outOfFold));
  });

  it('checks the later window out of time, and says why when there is only one', () => {
    expect(selected.evaluation.outOfTime.unavailable).toBeNull();
    expect(selected.evaluation.outOfTime.testRows).toBe(600);
    const single = selectModel(d.rows, d.labels, {
      ...options(d),
      kinds: ['logistic-regression'],
      times: d.times.map(() => 0),
    });
    expect(single.evaluation.outOfTime.unavailable).toMatch(/same moment/);
  });

  it('warns about a column that alone separates the outcomes', () => {
    const leaky = d.rows.map((r, i) => ({ ...r, status: d.labels[i] ? 'won' : 'open' }));
    const warned = selectModel(leaky, d.labels, {
      ...options(d),
      kinds: ['logistic-regression'],
      columns: [...columns, { name: 'status', type: 'category' }],
    });
    expect(warned.evaluation.warnings).toEqual([expect.stringMatching(/^status alone separates/)]);
  });
});

describe('groupFolds', () => {
  it('puts every row of one key in one fold, the same for identical data in any order', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i % 100}`);
    const labels = keys.map((k) => (Number(k.slice(1)) % 4 === 0 ? 1 : 0));
    const folds = groupFolds(keys, labels, 5, 3);
    const foldOfKey = new Map<string, number>();
    keys.forEach((k, i) => {
      expect(foldOfKey.get(k) ?? folds[i]).toBe(folds[i]);
      foldOfKey.set(k, folds[i]!);
    });
    const reversed = groupFolds([...keys].reverse(), [...labels].reverse(), 5, 3);
    expect([...reversed].reverse()).toEqual([...folds]);
    // Converting keys are dealt round-robin: each fold holds 5 of the 25.
    const positives = [...foldOfKey].filter(([k]) => Number(k.slice(1)) % 4 === 0);
    for (let f = 0; f < 5; f++) expect(positives.filter(([, g]) => g === f)).toHaveLength(5);
  });
});
