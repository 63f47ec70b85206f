/**
 * Training time and scoring cost of a predictive model with the production recipe (the
 * fields and engagement counts `trainPredictiveModel` uses, λ grid, 5-fold cross-validation),
 * on synthetic contacts: N = 2,000, 10,000 and 50,000 observations. No database: this is the
 * CPU part of training; reading the history is the validation dataset's cost. Then the longest
 * stall of this thread's event loop while training N = BENCH_LOOP_ROWS (default 20,000) rows in
 * this thread and on a worker thread, as the API does.
 */
import { trainPredictiveModel, type FeatureRow } from '@quorum/predictive';
import {
  ACTIVITY_TYPES,
  defaultModelDefinition,
  predictiveFeatureRow,
  scoreLead,
  type ActivityFacts,
  type ActivityType,
  type ContactFacts,
  type PredictiveFeatureSet,
  type ScoringModelDefinition,
} from '@quorum/scoring';
import {
  PREDICTIVE_FIELDS,
  PREDICTIVE_LAMBDA_GRID,
  predictiveColumnSpecs,
  trainPredictiveModelInThread,
} from '@quorum/services';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';

const NOW = new Date('2026-08-01T00:00:00Z');
const DAY = 86_400_000;
const SENIORITIES = ['VP', 'Director', 'Manager', 'IC', 'C-Level'];
const INDUSTRIES = ['Software', 'Fintech', 'Retail', 'Health', 'Education'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Synthetic {
  contact: ContactFacts;
  industry: string;
  employeeCount: number;
  activities: ActivityFacts[];
  converts: boolean;
}

function synthetic(n: number, seed: number): Synthetic[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, (_, i) => {
    const seniority = SENIORITIES[Math.floor(rnd() * SENIORITIES.length)]!;
    const industry = INDUSTRIES[Math.floor(rnd() * INDUSTRIES.length)]!;
    const employeeCount = Math.round(10 * 2 ** (rnd() * 12));
    const activities: ActivityFacts[] = [];
    const count = Math.floor(rnd() * 12);
    for (let k = 0; k < count; k++) {
      activities.push({
        id: `${i}-${k}`,
        type: ACTIVITY_TYPES[Math.floor(rnd() * 9)] as ActivityType,
        occurredAt: new Date(NOW.getTime() - rnd() * 120 * DAY),
      });
    }
    const demos = activities.filter((a) => a.type === 'DEMO_REQUEST').length;
    const logit =
      -2 +
      (seniority === 'VP' || seniority === 'C-Level' ? 1 : 0) +
      (industry === 'Software' ? 0.7 : 0) +
      0.8 * demos +
      0.1 * count;
    return {
      contact: { email: `c${i}@x.io`, seniority },
      industry,
      employeeCount,
      activities,
      converts: rnd() < 1 / (1 + Math.exp(-logit)),
    };
  });
}

const features: PredictiveFeatureSet = {
  fields: [...PREDICTIVE_FIELDS],
  activityTypes: [...ACTIVITY_TYPES],
  halfLifeDays: 30,
};

function rowsOf(data: Synthetic[]): FeatureRow[] {
  return data.map((d) =>
    predictiveFeatureRow(
      features,
      d.contact,
      { industry: d.industry, employeeCount: d.employeeCount },
      d.activities,
      NOW,
    ),
  );
}

test('predictive training and scoring', () => {
  let model;
  for (const n of [2_000, 10_000, 50_000]) {
    const data = synthetic(n, n);
    const rows = rowsOf(data);
    const labels = data.map((d) => (d.converts ? 1 : 0));
    const started = performance.now();
    model = trainPredictiveModel(rows, labels, {
      spec: { columns: predictiveColumnSpecs(features) },
      lambda: PREDICTIVE_LAMBDA_GRID,
      folds: 5,
    });
    const ms = performance.now() - started;
    console.log(
      `train N=${n.toLocaleString('en')}: ${(ms / 1000).toFixed(2)} s, ${model.encoder.width} features, ` +
        `CV AUC ${model.metrics!.pooled.auc.toFixed(3)}, λ ${model.lambda}`,
    );
    expect(model.metrics!.pooled.auc).toBeGreaterThan(0.6);
  }

  const rules = defaultModelDefinition();
  const predictive: ScoringModelDefinition = {
    ...rules,
    predictive: {
      mode: 'PREDICTIVE',
      weights: null,
      rulesScaleMax: rules.fit.max + rules.engagement.max,
      features,
      model: model!,
      training: {
        from: NOW.toISOString(),
        to: NOW.toISOString(),
        horizonDays: 90,
        folds: 5,
        trainedAt: NOW.toISOString(),
        observations: 0,
        conversions: 0,
        durationMs: 0,
      },
    },
  };
  const contacts = synthetic(5_000, 99);
  for (const [name, definition] of [
    ['rules', rules],
    ['predictive', predictive],
  ] as const) {
    scoreLead(definition, contacts[0]!.contact, null, contacts[0]!.activities, NOW);
    const started = performance.now();
    for (const c of contacts) {
      scoreLead(definition, c.contact, { industry: c.industry }, c.activities, NOW);
    }
    const us = ((performance.now() - started) * 1000) / contacts.length;
    console.log(`scoreLead (${name}): ${us.toFixed(1)} µs per contact`);
  }
});

test('event loop stalls while training: in this thread vs on a worker thread', async () => {
  const n = Number(process.env['BENCH_LOOP_ROWS'] ?? 20_000);
  const data = synthetic(n, n);
  const rows = rowsOf(data);
  const labels = data.map((d) => (d.converts ? 1 : 0));
  const options = {
    spec: { columns: predictiveColumnSpecs(features) },
    lambda: PREDICTIVE_LAMBDA_GRID,
    folds: 5,
  };
  for (const where of ['this thread', 'worker thread'] as const) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    // A turn first, so the monitor's timer is armed before the work starts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const model =
      where === 'this thread'
        ? trainPredictiveModel(rows, labels, options)
        : await trainPredictiveModelInThread(rows, labels, options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    console.log(
      `train N=${n.toLocaleString('en')} on ${where}: ${((performance.now() - started) / 1000).toFixed(2)} s, ` +
        `longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`,
    );
    expect(model.metrics!.pooled.auc).toBeGreaterThan(0.6);
  }
});
