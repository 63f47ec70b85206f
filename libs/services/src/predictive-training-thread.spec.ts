import {
  ColdStartError,
  createRng,
  selectModel,
  sigmoid,
  type FeatureRow,
  type TabularColumn,
} from '@quorum/predictive';
import { describe, expect, it } from 'vitest';
import { selectModelInThread } from './predictive-training-thread';

// Runs the built dist/predictive-training.thread-entry.js: `npm run build` first.
/** Conversion more likely on the enterprise plan and with more visits. */
function syntheticContacts(n: number, seed: number): { rows: FeatureRow[]; labels: number[] } {
  const rng = createRng(seed);
  const plans = ['enterprise', 'team', 'free'];
  const rows: FeatureRow[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const plan = plans[Math.floor(rng() * plans.length)]!;
    const visits = Math.floor(rng() * 20);
    rows.push({ plan, visits });
    labels.push(
      rng() < sigmoid(-1.6 + (plan === 'enterprise' ? 1.2 : 0) + 0.12 * (visits - 10)) ? 1 : 0,
    );
  }
  return { rows, labels };
}

const columns: TabularColumn[] = [
  { name: 'plan', type: 'category' },
  { name: 'visits', type: 'number' },
];

function options(n: number) {
  return {
    columns,
    kinds: ['logistic-regression' as const],
    folds: 3,
    keys: Array.from({ length: n }, (_, i) => `c${i}@example.com`),
    times: new Array<number>(n).fill(0),
    seed: 3,
    minConversions: 100,
  };
}

describe('selectModelInThread', () => {
  it('trains on another thread the same model as in this one', async () => {
    const { rows, labels } = syntheticContacts(2_000, 4);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const selected = await selectModelInThread(rows, labels, options(rows.length));
    clearInterval(timer);
    expect(selected).toEqual(selectModel(rows, labels, options(rows.length)));
    expect(selected.evaluation.candidates[0]!.pooled.auc).toBeGreaterThan(0.6);
    // This thread's timers kept running while the other one trained.
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses too few outcomes at once, before starting a thread', () => {
    const { rows, labels } = syntheticContacts(300, 4);
    expect(() =>
      selectModelInThread(rows, labels, { ...options(rows.length), minConversions: 200 }),
    ).toThrow(ColdStartError);
  });

  it('rejects with the error the training threw', async () => {
    const { rows, labels } = syntheticContacts(2_000, 4);
    await expect(
      selectModelInThread(rows, labels, { ...options(rows.length), folds: 1 }),
    ).rejects.toThrow(/folds must be an integer ≥ 2/);
  });
});
