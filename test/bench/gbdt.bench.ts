/**
 * Gradient-boosted trees: training time with early stopping on 50,000 observations × 60
 * features (synthetic leads with a known generating model: firmographics with missing values,
 * categorical codes, activity counts over three windows, recency and decayed counts per
 * activity type, the last two soft), the trees kept, and scoring with exact TreeSHAP
 * contributions in rows per second on this thread. Then a larger model (300 trees of 31
 * leaves, depth 6) to show how scoring scales, and the UCI Bank Marketing data when present
 * (../shared/data, read in place). The machine is shared: the load average is printed, and
 * CPU time next to wall time.
 */
import {
  createRng,
  normal,
  predictGbdtLogit,
  predictGbdtLogits,
  prepareTreeShap,
  rocAuc,
  parseCsv,
  buildDataset,
  trainGbdt,
  treeShap,
  treeShapTableSize,
  type GbdtModel,
  type GbdtOptions,
} from '@quorum/predictive';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';

const ACTIVITY_TYPES = 9;
const WINDOWS = [7, 30, 90];

interface Data {
  names: string[];
  soft: boolean[];
  columns: Float64Array[];
  labels: number[];
}

/** 60 columns: 8 firmographic, 27 counts, 9 recencies, 9 decayed counts, 7 noise. */
function syntheticLeads(n: number, seed: number): Data {
  const rng = createRng(seed);
  const names = [
    'employees',
    'revenue',
    'industry',
    'country',
    'seniority',
    'department',
    'isCustomer',
    'hasPhone',
  ];
  for (let a = 0; a < ACTIVITY_TYPES; a++) {
    for (const w of WINDOWS) names.push(`count.${a}.${w}d`);
  }
  for (let a = 0; a < ACTIVITY_TYPES; a++) names.push(`daysSince.${a}`);
  for (let a = 0; a < ACTIVITY_TYPES; a++) names.push(`decayed.${a}`);
  for (let j = 0; j < 7; j++) names.push(`noise.${j}`);
  const soft = names.map((name) => name.startsWith('daysSince.') || name.startsWith('decayed.'));
  const columns = names.map(() => new Float64Array(n));
  const labels: number[] = [];
  const rate = [0.6, 0.3, 1.2, 0.2, 0.1, 0.05, 0.4, 0.02, 0.8];
  const weight = [0.1, 0.35, 0.05, 0.6, 0.9, 1.4, 0.2, 1.8, 0.15];
  for (let i = 0; i < n; i++) {
    let j = 0;
    const put = (v: number) => ((columns[j++] as Float64Array)[i] = v);
    const employees = rng() < 0.2 ? Number.NaN : Math.round(Math.exp(3.5 + 1.8 * normal(rng)));
    const revenue = Number.isNaN(employees) ? Number.NaN : employees * Math.exp(11 + normal(rng));
    const industry = Math.floor(rng() * 15);
    const country = Math.floor(Math.min(19, -Math.log(1 - rng()) * 4));
    const seniority = Math.floor(rng() * 6);
    const department = Math.floor(rng() * 8);
    const isCustomer = rng() < 0.1 ? 1 : 0;
    const hasPhone = rng() < 0.4 ? (rng() < 0.5 ? 1 : 0) : Number.NaN;
    [employees, revenue, industry, country, seniority, department, isCustomer, hasPhone].forEach(
      put,
    );
    const engaged = Math.exp(0.8 * normal(rng));
    let z =
      -3 +
      (employees > 150 && employees < 8000 ? 0.8 : 0) +
      (industry % 5 === 1 ? 0.7 : 0) +
      (seniority >= 4 ? 0.5 : 0) * (department === 2 ? 1.6 : 1) +
      (country < 2 ? 0.3 : 0) +
      0.5 * isCustomer;
    const days: number[] = [];
    const decayed: number[] = [];
    for (let a = 0; a < ACTIVITY_TYPES; a++) {
      // Activity ages in days, most recent first.
      const count = Math.floor(-Math.log(1 - rng()) * (rate[a] as number) * engaged * 4);
      const ages = Array.from({ length: count }, () => rng() * 120).sort((x, y) => x - y);
      for (const w of WINDOWS) put(ages.filter((age) => age <= w).length);
      days.push(ages.length > 0 ? (ages[0] as number) : Number.NaN);
      const d = ages.reduce((s, age) => s + Math.exp((-age * Math.LN2) / 30), 0);
      decayed.push(d);
      z += (weight[a] as number) * Math.min(d, 3);
      if (ages.length > 0 && (ages[0] as number) < 3) z += 0.3 * (weight[a] as number);
    }
    days.forEach(put);
    decayed.forEach(put);
    for (let k = 0; k < 7; k++) put(normal(rng));
    labels.push(rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { names, soft, columns, labels };
}

function timed<T>(work: () => T): { result: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function describeModel(model: GbdtModel): string {
  const leaves = model.trees.reduce((s, t) => s + t.leafValue.length, 0);
  const json = JSON.stringify(model).length;
  return (
    `${model.training.rounds} rounds, ${model.trees.length} trees kept (${model.training.stop}), ` +
    `${leaves} leaves, JSON ${(json / 1024).toFixed(0)} KB`
  );
}

/** Scores rows 0 … rows − 1 with contributions; returns rows per second (wall and CPU). */
function scoringThroughput(model: GbdtModel, columns: Float64Array[], rows: number): string {
  const prepared = timed(() => prepareTreeShap(model));
  const width = columns.length;
  const x = new Float64Array(width);
  const out = new Float64Array(width);
  let check = 0;
  const pass = () =>
    timed(() => {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < width; j++) x[j] = (columns[j] as Float64Array)[i] as number;
        const r = treeShap(model, x, out);
        check += r.logit;
      }
    });
  pass(); // warm-up
  const runs = [pass(), pass(), pass()];
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const bestCpu = Math.min(...runs.map((r) => r.cpuMs));
  const plain = timed(() => {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < width; j++) x[j] = (columns[j] as Float64Array)[i] as number;
      check += predictGbdtLogit(model, x);
    }
  });
  expect(Number.isFinite(check)).toBe(true);
  return (
    `scoring with contributions: ${Math.round((rows * 1000) / best.wallMs).toLocaleString('en')} rows/s ` +
    `(${((best.wallMs * 1000) / rows).toFixed(1)} µs/row wall; ` +
    `${Math.round((rows * 1000) / bestCpu).toLocaleString('en')} rows per CPU-second), ` +
    `best of 3 over ${rows.toLocaleString('en')} rows; tables ${((treeShapTableSize(model) * 8) / 1e6).toFixed(1)} MB ` +
    `built in ${prepared.wallMs.toFixed(0)} ms; logit only: ` +
    `${Math.round((rows * 1000) / plain.wallMs).toLocaleString('en')} rows/s`
  );
}

test('GBDT on 50,000 synthetic leads × 60 features: training, trees kept, scoring with reasons', () => {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on 2 cores`,
  );
  const train = syntheticLeads(50_000, 1);
  const held = syntheticLeads(20_000, 2);
  expect(train.columns).toHaveLength(60);
  const options: GbdtOptions = { featureNames: train.names, softFeatures: train.soft, seed: 1 };
  const fit = timed(() => trainGbdt(train.columns, train.labels, options));
  const model = fit.result;
  const auc = rocAuc([...predictGbdtLogits(model, held.columns)], held.labels);
  console.log(
    `train 50,000 × 60 (defaults, early stopping on 10%): ${(fit.wallMs / 1000).toFixed(2)} s wall, ` +
      `${(fit.cpuMs / 1000).toFixed(2)} s CPU; ${describeModel(model)}; held-out AUC ${auc.toFixed(3)}`,
  );
  console.log(scoringThroughput(model, held.columns, 20_000));
  expect(auc).toBeGreaterThan(0.7);

  const large = timed(() =>
    trainGbdt(train.columns, train.labels, {
      ...options,
      maxDepth: 6,
      maxLeaves: 31,
      learningRate: 0.05,
      maxTrees: 300,
      earlyStopping: false,
    }),
  );
  console.log(
    `train 300 trees of ≤ 31 leaves, depth 6, no early stopping: ${(large.wallMs / 1000).toFixed(2)} s wall, ` +
      `${(large.cpuMs / 1000).toFixed(2)} s CPU; ${describeModel(large.result)}`,
  );
  console.log(scoringThroughput(large.result, held.columns, 5_000));
  expect(JSON.stringify(large.result).length).toBeLessThan(2_000_000);
});

const UCI = resolve(__dirname, '../../../shared/data/uci-bank-marketing/bank-additional-full.csv');

test.skipIf(!existsSync(UCI))('GBDT on UCI bank marketing (41,188 rows, without duration)', () => {
  const csv = parseCsv(readFileSync(UCI, 'utf8'));
  const data = buildDataset(csv.header, csv.records, { drop: ['duration'] });
  // Categorical columns as codes ordered by conversion rate (on all rows: a timing run).
  const columns = data.columns.map((c) => {
    const values = data.rows.map((r) => r[c.name]);
    if (c.kind === 'numeric')
      return Float64Array.from(values, (v) => (v == null ? Number.NaN : Number(v)));
    const stats = new Map<string, [number, number]>();
    values.forEach((v, i) => {
      const s = stats.get(String(v)) ?? [0, 0];
      s[0]++;
      s[1] += data.labels[i] as number;
      stats.set(String(v), s);
    });
    const order = [...stats.entries()].sort((a, b) => a[1][1] / a[1][0] - b[1][1] / b[1][0]);
    const code = new Map(order.map(([level], k) => [level, k]));
    return Float64Array.from(values, (v) => code.get(String(v)) as number);
  });
  const fit = timed(() =>
    trainGbdt(columns, data.labels, { featureNames: data.columns.map((c) => c.name), seed: 1 }),
  );
  console.log(
    `UCI train 41,188 × ${columns.length}: ${(fit.wallMs / 1000).toFixed(2)} s wall, ` +
      `${(fit.cpuMs / 1000).toFixed(2)} s CPU; ${describeModel(fit.result)}`,
  );
  console.log(`UCI ${scoringThroughput(fit.result, columns, 20_000)}`);
  expect(fit.result.trees.length).toBeGreaterThan(0);
});
