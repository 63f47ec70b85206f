/**
 * Synthetic lead data with a known generating model, column-major as the trees take it: a mix
 * of firmographic numbers (with missing values), categorical codes, activity counts, recency
 * in days (NaN = never) and decayed activity counts (continuous, time-varying).
 */
import { createRng, normal } from '../rng';

export interface SyntheticLeads {
  names: string[];
  columns: Float64Array[];
  labels: number[];
  /** The true log-odds of each row. */
  trueLogit: Float64Array;
  /** Which columns vary with time (decayed counts, recency). */
  timeVarying: boolean[];
}

export function syntheticLeads(n: number, seed: number, noiseColumns = 0): SyntheticLeads {
  const rng = createRng(seed);
  const names = [
    'employees',
    'industry',
    'seniority',
    'pageViews30d',
    'decayedVisits',
    'daysSinceLastVisit',
    'demoRequests',
  ];
  for (let j = 0; j < noiseColumns; j++) names.push(`noise${j}`);
  const columns = names.map(() => new Float64Array(n));
  const labels: number[] = [];
  const trueLogit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const employees = rng() < 0.15 ? Number.NaN : Math.round(Math.exp(3 + 2 * normal(rng)));
    const industry = Math.floor(rng() * 10);
    const seniority = Math.floor(rng() * 5);
    const pageViews = Math.floor(-Math.log(1 - rng()) * 3);
    const decayed = pageViews * Math.exp(-rng() * 2);
    const days = pageViews === 0 ? Number.NaN : rng() * 60;
    const demos = rng() < 0.08 ? 1 : 0;
    const values = [employees, industry, seniority, pageViews, decayed, days, demos];
    for (let j = 0; j < noiseColumns; j++) values.push(normal(rng));
    values.forEach((v, j) => ((columns[j] as Float64Array)[i] = v));
    const z =
      -2.2 +
      (Number.isNaN(employees) ? -0.4 : employees > 200 && employees < 5000 ? 0.9 : 0) +
      (industry === 2 || industry === 7 ? 0.8 : 0) +
      (seniority >= 3 ? 0.6 : 0) * (industry === 2 ? 1.5 : 1) +
      0.5 * Math.min(decayed, 4) +
      (Number.isNaN(days) ? -0.3 : days < 7 ? 0.7 : 0) +
      1.6 * demos;
    trueLogit[i] = z;
    labels.push(rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  const timeVarying = names.map(
    (name) => name === 'decayedVisits' || name === 'daysSinceLastVisit',
  );
  return { names, columns, labels, trueLogit, timeVarying };
}

/** Row i of column-major data. */
export function rowOf(columns: readonly Float64Array[], i: number): Float64Array {
  return Float64Array.from(columns, (c) => c[i] as number);
}
