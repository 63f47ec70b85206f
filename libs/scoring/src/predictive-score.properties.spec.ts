/**
 * Properties of predictive scores with models trained on features from everything a workspace
 * has (version-2 feature sets), for both model kinds, predictive and hybrid: the reasons add up
 * exactly to the total and stay few and readable, the baseline is the base rate, the order of
 * activities never matters, and a score drifts by slivers, never jumps, as time passes.
 */
import fc from 'fast-check';
import { createRng, fitCandidate, sigmoid, type TrainedModel } from '@quorum/predictive';
import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import type { FeatureSetV2, ScoringModelDefinition } from './model-definition';
import { extractFeatures, featureColumns } from './predictive-features';
import {
  ABSENT_MATERIAL_POINTS,
  MAX_NAMED_REASONS,
  PREDICTIVE_OTHER_RULE_ID,
} from './predictive-reasons';
import { scoreLead } from './score-lead';
import { validateModelDefinition } from './validate-model';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const SET: FeatureSetV2 = {
  version: 2,
  fields: [
    { path: 'contact.seniority', type: 'category' },
    { path: 'contact.department', type: 'category' },
    { path: 'account.employeeCount', type: 'number' },
    { path: 'account.industry', type: 'category' },
    { path: 'contact.attributes.plan', type: 'category' },
    { path: 'contact.attributes.signedUp', type: 'date' },
    // The same for everyone: the logistic regression's curve has no knots, only a missing flag.
    { path: 'contact.attributes.seats', type: 'number' },
  ],
  activities: {
    types: ['ANY', 'EMAIL_CLICK', 'PAGE_VIEW', 'DEMO_REQUEST'],
    halfLivesDays: [7, 30, 90],
  },
  properties: [{ property: 'url', urlPath: true, values: ['/pricing', '/docs'] }],
};
const SENIORITY = ['VP', 'Director', 'Manager', 'IC'];
const TYPES = ['EMAIL_CLICK', 'PAGE_VIEW', 'DEMO_REQUEST', 'EMAIL_OPEN'] as const;

interface Person {
  contact: ContactFacts;
  account: AccountFacts | null;
  activities: ActivityFacts[];
}

function person(rng: () => number, i: number): Person {
  const activities: ActivityFacts[] = [];
  const n = Math.floor(rng() * 8);
  for (let k = 0; k < n; k++) {
    const type = TYPES[Math.floor(rng() * TYPES.length)]!;
    activities.push({
      id: `a${i}-${k}`,
      type,
      occurredAt: new Date(NOW.getTime() - (0.1 + rng() * 150) * DAY),
      properties: type === 'PAGE_VIEW' ? { url: rng() < 0.5 ? '/pricing/x' : '/docs' } : {},
    });
  }
  return {
    contact: {
      email: `p${i}@x.io`,
      seniority: rng() < 0.1 ? null : SENIORITY[Math.floor(rng() * SENIORITY.length)]!,
      department: rng() < 0.5 ? 'Sales' : 'IT',
      attributes: {
        plan: rng() < 0.3 ? 'enterprise' : 'free',
        seats: 5,
        signedUp: new Date(NOW.getTime() - rng() * 400 * DAY).toISOString().slice(0, 10),
      },
    },
    account:
      rng() < 0.2
        ? null
        : {
            employeeCount: Math.round(10 + rng() * 5000),
            industry: rng() < 0.5 ? 'Software' : 'Retail',
          },
    activities,
  };
}

/** Converts with VP, enterprise, demo requests and pricing views. */
function trainingData(n: number) {
  const rng = createRng(3);
  const people = Array.from({ length: n }, (_, i) => person(rng, i));
  const rows = people.map((p) => extractFeatures(SET, p.contact, p.account, p.activities, NOW));
  const labels = people.map((p) => {
    const demo = p.activities.some((a) => a.type === 'DEMO_REQUEST') ? 1.5 : 0;
    const pricing = p.activities.filter((a) => a.properties?.['url'] === '/pricing/x').length * 0.4;
    const vp = p.contact.seniority === 'VP' ? 1 : 0;
    const plan = (p.contact.attributes as { plan: string }).plan === 'enterprise' ? 0.8 : 0;
    return rng() < sigmoid(-2 + demo + pricing + vp + plan) ? 1 : 0;
  });
  return { rows, labels };
}

const { rows, labels } = trainingData(3_000);
const columns = featureColumns(SET);
const models: TrainedModel[] = [
  fitCandidate('logistic-regression', rows, labels, columns, 1),
  fitCandidate('gradient-boosted-trees', rows, labels, columns, 1),
];

function definition(model: TrainedModel, hybrid: boolean): ScoringModelDefinition {
  const rules = defaultModelDefinition();
  return {
    ...rules,
    predictive: {
      mode: hybrid ? 'HYBRID' : 'PREDICTIVE',
      weights: hybrid ? { rules: 1, predictive: 2 } : null,
      rulesScaleMax: 200,
      features: SET,
      model,
      training: {
        from: NOW.toISOString(),
        to: NOW.toISOString(),
        horizonDays: 60,
        folds: 5,
        trainedAt: NOW.toISOString(),
        observations: rows.length,
        conversions: 0,
        durationMs: 0,
      },
    },
  };
}

const definitions = models.flatMap((m) => [
  { name: `${m.kind} predictive`, model: m, definition: definition(m, false) },
  { name: `${m.kind} hybrid`, model: m, definition: definition(m, true) },
]);
const personArb = fc
  .integer({ min: 0, max: 2 ** 31 - 1 })
  .map((seed) => person(createRng(seed), seed));
const hundredths = (reasons: { points: number }[]) =>
  reasons.reduce((s, r) => s + Math.round(r.points * 100), 0);

describe.each(definitions)('$name', ({ model, definition: def }) => {
  it('is a definition that validates as stored (JSON, as in the database)', () => {
    const result = validateModelDefinition(JSON.parse(JSON.stringify(def)));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('has reasons that sum exactly to the total: the base rate, at most 8 named, the rest as other factors', () => {
    fc.assert(
      fc.property(personArb, (p) => {
        const score = scoreLead(def, p.contact, p.account, p.activities, NOW);
        expect(hundredths(score.reasons)).toBe(Math.round(score.total * 100));
        const predictive = score.reasons.filter((r) => r.category === 'PREDICTIVE');
        const named = predictive.filter(
          (r) => r.kind === 'FEATURE' && r.ruleId !== PREDICTIVE_OTHER_RULE_ID,
        );
        expect(named.length).toBeLessThanOrEqual(MAX_NAMED_REASONS);
        expect(
          predictive.filter((r) => r.ruleId === PREDICTIVE_OTHER_RULE_ID).length,
        ).toBeLessThanOrEqual(1);
        const baseline = predictive.find((r) => r.kind === 'BASELINE');
        if (baseline) {
          expect(baseline.label).toBe(
            `Base rate: ${(100 * model.training.baseRate).toFixed(1)}% of contacts converted`,
          );
        }
        // Something the contact does not have is named only when it moved the score.
        for (const r of named.filter((r) => r.label.startsWith('No '))) {
          expect(Math.abs(r.points)).toBeGreaterThanOrEqual(ABSENT_MATERIAL_POINTS - 0.01);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the order of the activities', () => {
    fc.assert(
      fc.property(personArb, (p) => {
        const forward = scoreLead(def, p.contact, p.account, p.activities, NOW);
        const backward = scoreLead(def, p.contact, p.account, [...p.activities].reverse(), NOW);
        expect(backward).toEqual(forward);
      }),
      { numRuns: 100 },
    );
  });

  it('drifts by slivers as time passes: a minute moves no score by more than 0.02, an hour by 1', () => {
    fc.assert(
      fc.property(personArb, fc.double({ min: 0, max: 60, noNaN: true }), (p, offsetDays) => {
        const at = new Date(NOW.getTime() + offsetDays * DAY);
        const score = (ms: number) =>
          scoreLead(def, p.contact, p.account, p.activities, new Date(at.getTime() + ms)).total;
        const base = score(0);
        expect(Math.abs(score(60_000) - base)).toBeLessThanOrEqual(0.02);
        expect(Math.abs(score(3_600_000) - base)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });
});
