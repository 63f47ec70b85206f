import { describe, expect, it } from 'vitest';
import { ColdStartError } from './cold-start';
import { type FeatureSpec } from './feature-spec';
import { topFeatures, trainPredictiveModel, type PredictiveModel } from './predictive-model';
import { probabilityToScore, scorePredictive } from './reason-codes';
import { syntheticContacts } from './synthetic-contacts.spec-helper';

const spec: FeatureSpec = {
  columns: [
    { kind: 'categorical', name: 'plan' },
    { kind: 'numeric', name: 'visits', bins: 4, standardise: true },
    { kind: 'categorical', name: 'region' },
  ],
  interactions: [{ columns: ['plan', 'region'] }],
};
const { rows, labels } = syntheticContacts(3_000, 9);
const model = trainPredictiveModel(rows, labels, { spec, lambda: 2, folds: 3, seed: 1 });

describe('trainPredictiveModel', () => {
  it('stores the encoder, weights, training counts and cross-validated metrics', () => {
    expect(model.kind).toBe('logistic-regression');
    expect(model.weights).toHaveLength(model.encoder.width);
    expect(model.featureMeans).toHaveLength(model.encoder.width);
    expect(model.training.rows).toBe(3_000);
    expect(model.training.converged).toBe(true);
    expect(model.metrics!.folds).toHaveLength(3);
    expect(model.metrics!.pooled.auc).toBeGreaterThan(0.7);
    expect(model.metrics).not.toHaveProperty('outOfFold');
  });

  it('learns the direction of each effect', () => {
    const w = (name: string) => model.weights[model.encoder.featureNames.indexOf(name)]!;
    expect(w('plan=enterprise')).toBeGreaterThan(w('plan=team'));
    expect(w('plan=team')).toBeGreaterThan(w('plan=free'));
    expect(w('visits (standardised)')).toBeGreaterThan(0);
    const top = topFeatures(model, 3);
    expect(top).toHaveLength(3);
    expect(Math.abs(top[0]!.weight)).toBeGreaterThanOrEqual(Math.abs(top[2]!.weight));
  });

  it('refuses to train on too few outcomes', () => {
    const few = syntheticContacts(400, 3);
    expect(() => trainPredictiveModel(few.rows, few.labels, { spec, lambda: 1 })).toThrow(
      ColdStartError,
    );
    expect(() => trainPredictiveModel(few.rows, few.labels, { spec, lambda: 1 })).toThrow(
      /at least 200 of each/,
    );
  });

  it('chooses λ from a grid when given one', () => {
    const m = trainPredictiveModel(rows, labels, { spec, lambda: [1, 1e5], folds: 0 });
    expect(m.metrics).toBeNull();
    expect(m.lambda).toBe(1);
    expect(m.training.lambdaChoice!.candidates).toHaveLength(2);
  });
});

describe('scorePredictive', () => {
  const contact = { plan: 'enterprise', visits: 18, region: 'emea' };
  const s = scorePredictive(model, contact);

  it('gives a probability, also on 0–100', () => {
    expect(s.probability).toBeGreaterThan(0.5);
    expect(s.score).toBe(probabilityToScore(s.probability));
    expect(probabilityToScore(0.42371)).toBe(42.4);
  });

  it('has reason codes that sum to the log-odds minus the baseline', () => {
    const sum = s.contributions.reduce((t, c) => t + c.contribution, 0);
    expect(sum).toBeCloseTo(s.logit - s.baselineLogit, 10);
    const expectedBaseline = model.weights.reduce(
      (t, w, j) => t + w * model.featureMeans[j]!,
      model.intercept,
    );
    expect(s.baselineLogit).toBeCloseTo(expectedBaseline, 10);
    expect(s.contributions.map((c) => c.feature).sort()).toEqual(
      ['plan', 'plan × region', 'region', 'visits'].sort(),
    );
  });

  it('names the features that pushed the score up and down the most', () => {
    expect(s.up.map((c) => c.feature)).toEqual(expect.arrayContaining(['plan', 'visits']));
    expect(s.up.find((c) => c.feature === 'plan')).toMatchObject({
      label: 'plan=enterprise',
      value: 'enterprise',
    });
    const visits = s.contributions.find((c) => c.feature === 'visits')!;
    expect(visits.label).toBe(
      `${model.encoder.featureNames.find((n) => n.startsWith('visits≥'))} & visits (standardised)`,
    );
    s.up.forEach((c, i) => {
      expect(c.contribution).toBeGreaterThan(0);
      if (i > 0) expect(c.contribution).toBeLessThanOrEqual(s.up[i - 1]!.contribution);
    });
    const low = scorePredictive(model, { plan: 'free', visits: 0, region: 'apac' }, 2);
    expect(low.down[0]!.contribution).toBeLessThan(0);
    expect(low.down.length).toBeLessThanOrEqual(2);
    expect(low.down.map((c) => c.feature)).toContain('plan');
  });

  it('scores the same from the stored JSON', () => {
    const stored = JSON.parse(JSON.stringify(model)) as PredictiveModel;
    expect(scorePredictive(stored, contact)).toEqual(s);
  });
});
