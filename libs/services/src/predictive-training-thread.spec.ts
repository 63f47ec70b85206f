import {
  ColdStartError,
  createRng,
  sigmoid,
  trainPredictiveModel,
  type FeatureRow,
  type FeatureSpec,
} from '@quorum/predictive';
import { describe, expect, it } from 'vitest';
import { trainPredictiveModelInThread } from './predictive-training-thread';

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

const spec: FeatureSpec = {
  columns: [
    { kind: 'categorical', name: 'plan' },
    { kind: 'numeric', name: 'visits', bins: 4, standardise: true },
  ],
};

describe('trainPredictiveModelInThread', () => {
  it('trains on another thread the same model as in this one', async () => {
    const { rows, labels } = syntheticContacts(2_000, 4);
    const options = { spec, lambda: [1, 10], folds: 3, seed: 3, minConversions: 100 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const model = await trainPredictiveModelInThread(rows, labels, options);
    clearInterval(timer);
    expect(model).toEqual(trainPredictiveModel(rows, labels, options));
    // This thread's timers kept running while the other one trained.
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses too few outcomes at once, before starting a thread', () => {
    const { rows, labels } = syntheticContacts(300, 4);
    expect(() => trainPredictiveModelInThread(rows, labels, { spec, lambda: 1 })).toThrow(
      ColdStartError,
    );
  });

  it('rejects with the error the training threw', async () => {
    const { rows, labels } = syntheticContacts(2_000, 4);
    await expect(
      trainPredictiveModelInThread(rows, labels, {
        spec: { columns: [{ kind: 'numeric', name: 'visits', bins: 0 }] },
        lambda: 1,
        minConversions: 100,
      }),
    ).rejects.toThrow(/with bins 0, set standardise/);
  });
});
