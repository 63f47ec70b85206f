import fc from 'fast-check';
import type { PredictiveModel } from '@quorum/predictive';
import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import type { ActivityFacts, ContactFacts } from './facts';
import type { PredictiveSection, ScoringModelDefinition } from './model-definition';
import { largestRemainder, predictiveFeatureRow } from './predictive-score';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

const NOW = new Date('2025-03-10T09:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

/**
 * A hand-built model: log-odds = −2 + 1·[VP] − 0.5·[other seniority] + 2·z(decayed demo requests).
 * Training means: VP 0.2, Manager 0.5, other 0.3, demo requests 0.25.
 */
function handModel(
  weights = [1, 0, -0.5, 0, 2],
  featureMeans = [0.2, 0.5, 0.3, 0, 0.25],
  intercept = -2,
): PredictiveModel {
  return {
    kind: 'logistic-regression',
    version: 1,
    spec: {
      columns: [
        { kind: 'categorical', name: 'contact.seniority' },
        { kind: 'numeric', name: 'engagement.DEMO_REQUEST', bins: 0, standardise: true },
      ],
    },
    encoder: {
      version: 1,
      width: 5,
      featureNames: [
        'contact.seniority=VP',
        'contact.seniority=Manager',
        'contact.seniority=(other)',
        'engagement.DEMO_REQUEST=(missing)',
        'engagement.DEMO_REQUEST (standardised)',
      ],
      groups: [
        {
          kind: 'categorical',
          name: 'contact.seniority',
          start: 0,
          end: 3,
          levels: ['VP', 'Manager'],
        },
        {
          kind: 'numeric',
          name: 'engagement.DEMO_REQUEST',
          start: 3,
          end: 5,
          cuts: null,
          standardised: { mean: 0, sd: 1 },
        },
      ],
    },
    weights,
    intercept,
    lambda: 1,
    featureMeans,
    training: {
      rows: 1000,
      conversions: 250,
      baseRate: 0.25,
      iterations: 5,
      converged: true,
      lambdaChoice: null,
    },
    metrics: null,
  };
}

function section(
  model: PredictiveModel,
  overrides: Partial<PredictiveSection> = {},
): PredictiveSection {
  return {
    mode: 'PREDICTIVE',
    weights: null,
    rulesScaleMax: 200,
    features: {
      fields: ['contact.seniority'],
      activityTypes: ['DEMO_REQUEST'],
      halfLifeDays: 30,
    },
    model,
    training: {
      from: '2024-01-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
      horizonDays: 90,
      folds: 5,
      trainedAt: NOW.toISOString(),
      observations: 1000,
      conversions: 250,
      durationMs: 1,
    },
    ...overrides,
  };
}

function withSection(s: PredictiveSection): ScoringModelDefinition {
  return { ...defaultModelDefinition(), predictive: s };
}

const vp: ContactFacts = { email: 'ada@example.com', seniority: 'VP', title: 'VP Engineering' };
const demo = (id: string, at: Date): ActivityFacts => ({
  id,
  type: 'DEMO_REQUEST',
  occurredAt: at,
});

function hundredthsSum(reasons: { points: number }[]): number {
  return reasons.reduce((s, r) => s + Math.round(r.points * 100), 0);
}

describe('predictive worked example: VP with one demo request 30 days ago (half-life 30)', () => {
  // x: VP = 1, decayed demo requests = 0.5. The average training row's log-odds
  // m = −2 + 0.2 − 0.15 + 2·0.25 = −1.45; contributions: seniority 1·0.8 − 0.5·(−0.3) = 0.95,
  // demo requests 2·(0.5 − 0.25) = 0.5. L = 0, so p = 0.5 and the total is 50.
  // The baseline is the base rate 25% (L₀ = ln(1/3) = −1.0986). The gap m − L₀ = −0.3514 is
  // shared by importance (seniority 2·1·0.2·0.8 + 2·0.5·0.3·0.7 = 0.53, demo requests 0.8·2 = 1.6):
  // d = 0.95 − 0.0874 = 0.8626 and 0.5 − 0.2640 = 0.2360. Secant slope k = (50 − 25) / 1.0986
  // = 22.756: seniority 19.63, demo requests 5.37, baseline 25.
  const score = scoreLead(withSection(section(handModel())), vp, null, [demo('a1', ago(30))], NOW);

  it('gives 100 × the probability as the total, tiered by the version’s tiers', () => {
    expect(score.total).toBe(50);
    expect(score.tier).toBe('NURTURE');
  });

  it('explains it: the base rate and each feature group’s log-odds, scaled to points', () => {
    expect(score.reasons.map((r) => [r.ruleId, r.label, r.kind, r.points])).toEqual([
      ['predictive.baseline', 'Base rate: 25.0% of contacts converted', 'BASELINE', 25],
      ['predictive.contact.seniority', 'Seniority: VP', 'FEATURE', 19.63],
      ['predictive.activity.DEMO_REQUEST', 'Demo requests: 1', 'FEATURE', 5.37],
    ]);
    expect(hundredthsSum(score.reasons)).toBe(5000);
    expect(score.reasons.map((r) => r.activityCount)).toEqual([0, 0, 1]);
    expect(score.reasons.every((r) => r.category === 'PREDICTIVE')).toBe(true);
  });

  it('keeps fit and engagement from the rules sections (grade, quadrant)', () => {
    const rules = scoreLead(defaultModelDefinition(), vp, null, [demo('a1', ago(30))], NOW);
    expect([score.fit, score.engagement, score.grade, score.quadrant]).toEqual([
      rules.fit,
      rules.engagement,
      rules.grade,
      rules.quadrant,
    ]);
  });

  it('pushes the score down for a feature below the average', () => {
    const other = scoreLead(
      withSection(section(handModel())),
      { email: 'x@example.com', seniority: 'Intern' },
      null,
      [],
      NOW,
    );
    const seniority = other.reasons.find((r) => r.ruleId === 'predictive.contact.seniority')!;
    expect(seniority.label).toBe('Seniority: Intern');
    expect(seniority.points).toBeLessThan(0);
    expect(other.total).toBeLessThan(25);
  });
});

describe('hybrid worked example: rules and predictive weighted 1 : 3', () => {
  const activities = [demo('a1', ago(30))];
  const rules = scoreLead(defaultModelDefinition(), vp, null, activities, NOW);
  const hybrid = scoreLead(
    withSection(section(handModel(), { mode: 'HYBRID', weights: { rules: 1, predictive: 3 } })),
    vp,
    null,
    activities,
    NOW,
  );

  it('is 25% of the rules score on 0–100 plus 75% of 100 × the probability', () => {
    const expected = 0.25 * 100 * Math.min(1, Math.max(0, rules.total / 200)) + 0.75 * 50;
    // Rounded to hundredths.
    expect(Math.abs(hybrid.total - expected)).toBeLessThanOrEqual(0.0051);
  });

  it('has the rules reasons scaled and the predictive reasons weighted, summing to the total', () => {
    expect(hundredthsSum(hybrid.reasons)).toBe(Math.round(hybrid.total * 100));
    for (const r of rules.reasons) {
      const scaled = hybrid.reasons.find((h) => h.ruleId === r.ruleId)!;
      expect(scaled.points).toBeCloseTo((r.points * 0.25 * 100) / 200, 1);
    }
    const baseline = hybrid.reasons.find((h) => h.ruleId === 'predictive.baseline')!;
    expect(baseline.points).toBeCloseTo(0.75 * 25, 1);
  });

  it('shows the clamp of a rules score above its scale as a HYBRID cap reason', () => {
    const small = scoreLead(
      withSection(
        section(handModel(), {
          mode: 'HYBRID',
          weights: { rules: 1, predictive: 1 },
          rulesScaleMax: 1,
        }),
      ),
      vp,
      null,
      activities,
      NOW,
    );
    expect(small.total).toBeCloseTo(50 + 25, 2);
    expect(small.reasons.find((r) => r.ruleId === 'hybrid.rules.cap')).toMatchObject({
      category: 'HYBRID',
      kind: 'CAP',
    });
    expect(hundredthsSum(small.reasons)).toBe(7500);
  });
});

describe('no look-ahead', () => {
  it('counts only activities strictly before the moment scored', () => {
    const features = section(handModel()).features;
    const before = predictiveFeatureRow(features, vp, null, [demo('a1', ago(30))], NOW);
    const withLater = predictiveFeatureRow(
      features,
      vp,
      null,
      [demo('a1', ago(30)), demo('a2', NOW), demo('a3', new Date(NOW.getTime() + DAY))],
      NOW,
    );
    expect(withLater).toEqual(before);
    expect(before['engagement.DEMO_REQUEST']).toBeCloseTo(0.5, 12);
  });
});

describe('property: predictive and hybrid reasons sum exactly to the total', () => {
  const weight = fc.double({ min: -4, max: 4, noNaN: true });
  const mean = fc.double({ min: 0, max: 1, noNaN: true });
  it('holds for any weights, means, contact and weighting', () => {
    fc.assert(
      fc.property(
        fc.array(weight, { minLength: 5, maxLength: 5 }),
        fc.array(mean, { minLength: 5, maxLength: 5 }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.constantFrom('VP', 'Manager', 'Intern', null),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
        fc.option(
          fc.record({
            rules: fc.double({ min: 0, max: 5, noNaN: true }),
            predictive: fc.double({ min: 0.01, max: 5, noNaN: true }),
          }),
        ),
        (weights, means, intercept, seniority, ages, hybrid) => {
          const model = handModel(weights, means, intercept);
          const s = section(
            model,
            hybrid ? { mode: 'HYBRID', weights: hybrid, rulesScaleMax: 50 } : {},
          );
          const activities = ages.map((d, i) => demo(`a${i}`, ago(d)));
          const score = scoreLead(
            withSection(s),
            { email: 'p@example.com', seniority },
            null,
            activities,
            NOW,
          );
          expect(hundredthsSum(score.reasons)).toBe(Math.round(score.total * 100));
          expect(score.total).toBeGreaterThanOrEqual(0);
          expect(score.total).toBeLessThanOrEqual(100);
          for (const r of score.reasons) expect(Number.isFinite(r.points)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('largestRemainder', () => {
  it('rounds each value to its floor or ceiling and hits the target sum', () => {
    expect(largestRemainder([1900.02, 2031.02, 1068.96], 5000)).toEqual([1900, 2031, 1069]);
    expect(largestRemainder([-10.6, 20.7], 10)).toEqual([-11, 21]);
    expect(largestRemainder([], 0)).toEqual([]);
  });
});

describe('validating a predictive section', () => {
  it('keeps a valid section through validation', () => {
    const result = validateModelDefinition(withSection(section(handModel())));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model.predictive).toEqual(section(handModel()));
  });

  it('names what is wrong', () => {
    const bad = withSection(
      section(handModel([1, 2]), {
        mode: 'HYBRID',
        weights: null,
        features: {
          fields: ['contact.shoeSize'],
          activityTypes: ['DEMO_REQUEST'],
          halfLifeDays: 30,
        },
      }),
    );
    const result = validateModelDefinition(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining([
          'predictive.weights',
          'predictive.features.fields[0]',
          'predictive.model.weights',
          'predictive.model.encoder.groups[0].name',
        ]),
      );
    }
  });

  it('refuses a section whose encoder or stored model fields are malformed, naming the path', () => {
    type Raw = Record<string, any>;
    const cases: [string, (s: Raw) => void][] = [
      ['predictive.model.encoder.groups[0].levels', (s) => delete s.model.encoder.groups[0].levels],
      [
        'predictive.model.encoder.groups[0].levels',
        (s) => (s.model.encoder.groups[0].levels = [1, 2]),
      ],
      [
        'predictive.model.encoder.groups[0].levels',
        (s) => (s.model.encoder.groups[0].levels = ['VP', 'VP']),
      ],
      [
        'predictive.model.encoder.groups[0].end',
        (s) => (s.model.encoder.groups[0].levels = ['VP']),
      ],
      ['predictive.model.encoder.groups[1].cuts', (s) => (s.model.encoder.groups[1].cuts = 'x')],
      ['predictive.model.encoder.groups[1].cuts', (s) => (s.model.encoder.groups[1].cuts = [2, 1])],
      ['predictive.model.encoder.groups[1].cuts', (s) => delete s.model.encoder.groups[1].cuts],
      [
        'predictive.model.encoder.groups[1].standardised',
        (s) => (s.model.encoder.groups[1].standardised = { mean: 0, sd: 0 }),
      ],
      [
        'predictive.model.encoder.groups[1].standardised',
        (s) => delete s.model.encoder.groups[1].standardised,
      ],
      [
        'predictive.model.encoder.groups[1]',
        (s) => (s.model.encoder.groups[1].standardised = null),
      ],
      ['predictive.model.encoder.featureNames', (s) => (s.model.encoder.featureNames[0] = 7)],
      ['predictive.model.lambda', (s) => (s.model.lambda = 'big')],
      ['predictive.model.spec', (s) => delete s.model.spec],
      ['predictive.model.training', (s) => delete s.model.training],
      ['predictive.model.training.baseRate', (s) => (s.model.training.baseRate = 2)],
      ['predictive.model.training.converged', (s) => (s.model.training.converged = 'yes')],
      ['predictive.model.metrics', (s) => delete s.model.metrics],
      [
        'predictive.model.metrics.pooled',
        (s) => (s.model.metrics = { k: 5, meanAuc: 0.7, sdAuc: 0.01, folds: [] }),
      ],
      ['predictive.training.trainedAt', (s) => (s.training.trainedAt = 'yesterday')],
      ['predictive.training.observations', (s) => (s.training.observations = -1)],
      ['predictive.training.horizonDays', (s) => (s.training.horizonDays = '90')],
    ];
    for (const [path, spoil] of cases) {
      const raw = structuredClone(section(handModel())) as unknown as Raw;
      spoil(raw);
      const result = validateModelDefinition({ ...defaultModelDefinition(), predictive: raw });
      expect(result.ok, path).toBe(false);
      if (!result.ok)
        expect(
          result.issues.map((i) => i.path),
          String(spoil),
        ).toContain(path);
    }
  });

  it('checks the cross-validated metrics and an interaction group’s columns', () => {
    const fold = {
      rows: 500,
      conversions: 125,
      baseRate: 0.25,
      auc: 0.7,
      brier: 0.2,
      logLoss: 0.6,
      calibration: [],
      lift: [],
    };
    const metrics = {
      k: 2,
      seed: 42,
      folds: [
        { ...fold, fold: 0, trainRows: 500, lambda: 1, lambdaChoice: null },
        { ...fold, fold: 1, trainRows: 500, lambda: 1, lambdaChoice: null, auc: null },
      ],
      pooled: { ...fold, rows: 1000, conversions: 250 },
      meanAuc: 0.7,
      sdAuc: 0,
    };
    const good = section({ ...handModel(), metrics } as PredictiveModel);
    expect(validateModelDefinition(withSection(good)).ok).toBe(true);

    const badMetrics = structuredClone(good) as any;
    badMetrics.model.metrics.pooled.auc = 'high';
    badMetrics.model.metrics.folds[1].brier = Number.NaN;
    const result = validateModelDefinition(withSection(badMetrics));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toEqual([
        'predictive.model.metrics.pooled.auc',
        'predictive.model.metrics.folds[1].brier',
      ]);
    }

    const crossed = structuredClone(section(handModel())) as any;
    crossed.model.encoder.width = 6;
    crossed.model.encoder.featureNames.push('x');
    crossed.model.weights.push(0);
    crossed.model.featureMeans.push(0);
    crossed.model.encoder.groups.push({
      kind: 'interaction',
      name: 'contact.seniority × engagement.DEMO_REQUEST',
      start: 5,
      end: 6,
      columns: ['contact.seniority', 'engagement.DEMO_REQUEST'],
      levels: [],
    });
    const interaction = validateModelDefinition(withSection(crossed));
    expect(interaction.ok).toBe(false);
    if (!interaction.ok) {
      expect(interaction.issues).toEqual([
        {
          path: 'predictive.model.encoder.groups[2].columns[1]',
          message: "numeric column 'engagement.DEMO_REQUEST' needs cuts to be crossed",
        },
      ]);
    }
  });

  it('reserves the predictive reason ids', () => {
    const model = defaultModelDefinition();
    model.fit.rules[0]!.id = 'predictive.mine';
    const result = validateModelDefinition(model);
    expect(result.ok).toBe(false);
  });
});
