import { choleskySolve } from './cholesky';
import { assertLabels } from './labels';
import { sigmoid } from './probabilities';
import { isSparse, type FeatureVector } from './sparse-vector';

/**
 * L2-regularised logistic regression. Minimises
 *
 *   Σᵢ [ log(1 + e^ηᵢ) − yᵢ·ηᵢ ] + (λ/2)·‖w‖²,   ηᵢ = b + w·xᵢ
 *
 * — the penalty is on the summed (not the mean) log-loss and never on the intercept b, so
 * λ = 1 is light regularisation with thousands of rows and strong with a few dozen.
 *
 * Deterministic: Newton's method (IRLS) with a dense Hessian and a backtracking line search
 * while the feature count is moderate (`NEWTON_MAX_FEATURES`), else L-BFGS; both start from
 * w = 0 and b = logit(base rate) unless given a warm start.
 */

export interface LinearModel {
  weights: readonly number[];
  intercept: number;
}

export interface LogisticOptions {
  /** L2 penalty λ ≥ 0 (see above). */
  lambda: number;
  /** Number of features; required for sparse input, checked for dense input. */
  width?: number;
  method?: 'auto' | 'newton' | 'lbfgs';
  /** Default 50 for Newton, 1000 for L-BFGS. */
  maxIterations?: number;
  /** Start from these coefficients (e.g. the fit for a neighbouring λ). */
  initial?: LinearModel;
}

export interface LogisticFit extends LinearModel {
  weights: number[];
  lambda: number;
  method: 'newton' | 'lbfgs';
  iterations: number;
  converged: boolean;
  /** The penalised objective at the solution. */
  objective: number;
}

/** Above this many features `method: 'auto'` uses L-BFGS instead of a dense Newton step. */
export const NEWTON_MAX_FEATURES = 800;

/** Rows in compressed sparse row form. */
interface Csr {
  n: number;
  width: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

function toCsr(X: readonly FeatureVector[], width: number | undefined): Csr {
  let w = width;
  let nnz = 0;
  for (const x of X) {
    if (isSparse(x)) {
      if (x.indices.length !== x.values.length)
        throw new RangeError('sparse vector: indices and values differ in length');
      nnz += x.indices.length;
    } else {
      if (w === undefined) w = x.length;
      if (x.length !== w)
        throw new RangeError(`dense rows must all have length ${w}, got ${x.length}`);
      for (const v of x) if (v !== 0) nnz++;
    }
  }
  if (w === undefined) {
    if (X.length === 0) w = 0;
    else throw new RangeError('width is required for sparse rows');
  }
  const ptr = new Int32Array(X.length + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let k = 0;
  X.forEach((x, i) => {
    if (isSparse(x)) {
      let last = -1;
      x.indices.forEach((j, t) => {
        if (!Number.isInteger(j) || j < 0 || j >= (w as number) || j <= last) {
          throw new RangeError(`row ${i}: sparse indices must be ascending integers in [0, ${w})`);
        }
        last = j;
        idx[k] = j;
        val[k++] = x.values[t] as number;
      });
    } else {
      x.forEach((v, j) => {
        if (v !== 0) {
          idx[k] = j;
          val[k++] = v;
        }
      });
    }
    ptr[i + 1] = k;
  });
  for (let t = 0; t < val.length; t++) {
    if (!Number.isFinite(val[t])) throw new RangeError('feature values must be finite');
  }
  return { n: X.length, width: w, ptr, idx, val };
}

/** Linear predictors η = b + X·w into `eta`. */
function linear(csr: Csr, beta: Float64Array, eta: Float64Array): void {
  const b = beta[csr.width] as number;
  for (let i = 0; i < csr.n; i++) {
    let s = b;
    for (let k = csr.ptr[i] as number; k < (csr.ptr[i + 1] as number); k++) {
      s += (beta[csr.idx[k] as number] as number) * (csr.val[k] as number);
    }
    eta[i] = s;
  }
}

/** log(1 + e^η), stable. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function objective(
  csr: Csr,
  y: readonly number[],
  beta: Float64Array,
  lambda: number,
  eta: Float64Array,
): number {
  linear(csr, beta, eta);
  let f = 0;
  for (let i = 0; i < csr.n; i++)
    f += softplus(eta[i] as number) - (y[i] as number) * (eta[i] as number);
  let ww = 0;
  for (let j = 0; j < csr.width; j++) ww += (beta[j] as number) ** 2;
  return f + 0.5 * lambda * ww;
}

/** Gradient at the η last computed by `objective`. */
function gradient(
  csr: Csr,
  y: readonly number[],
  beta: Float64Array,
  lambda: number,
  eta: Float64Array,
  g: Float64Array,
): void {
  g.fill(0);
  const P = csr.width;
  for (let i = 0; i < csr.n; i++) {
    const r = sigmoid(eta[i] as number) - (y[i] as number);
    for (let k = csr.ptr[i] as number; k < (csr.ptr[i + 1] as number); k++) {
      g[csr.idx[k] as number] += r * (csr.val[k] as number);
    }
    g[P] += r;
  }
  for (let j = 0; j < P; j++) g[j] += lambda * (beta[j] as number);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function startingPoint(
  csr: Csr,
  y: readonly number[],
  initial: LinearModel | undefined,
): Float64Array {
  const beta = new Float64Array(csr.width + 1);
  if (initial) {
    if (initial.weights.length !== csr.width)
      throw new RangeError(`initial weights must have length ${csr.width}`);
    beta.set(initial.weights);
    beta[csr.width] = initial.intercept;
    return beta;
  }
  let pos = 0;
  for (const v of y) pos += v;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, csr.n ? pos / csr.n : 0.5));
  beta[csr.width] = Math.log(rate / (1 - rate));
  return beta;
}

function newton(
  csr: Csr,
  y: readonly number[],
  lambda: number,
  beta: Float64Array,
  maxIterations: number,
) {
  const P = csr.width;
  const D = P + 1;
  const eta = new Float64Array(csr.n);
  const g = new Float64Array(D);
  const trial = new Float64Array(D);
  const H = new Float64Array(D * D);
  let f = objective(csr, y, beta, lambda, eta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    gradient(csr, y, beta, lambda, eta, g);
    H.fill(0);
    for (let i = 0; i < csr.n; i++) {
      const p = sigmoid(eta[i] as number);
      const h = p * (1 - p);
      const from = csr.ptr[i] as number;
      const to = csr.ptr[i + 1] as number;
      for (let a = from; a < to; a++) {
        const ja = csr.idx[a] as number;
        const hv = h * (csr.val[a] as number);
        const row = ja * D;
        for (let b = from; b <= a; b++)
          H[row + (csr.idx[b] as number)] += hv * (csr.val[b] as number);
        H[P * D + ja] += hv;
      }
      H[P * D + P] += h;
    }
    let ridge = 1e-10;
    let step: Float64Array | null = null;
    while (step === null) {
      const A = H.slice();
      for (let j = 0; j < D; j++)
        A[j * D + j] += (j < P ? lambda : 0) + ridge * (1 + (A[j * D + j] as number));
      step = choleskySolve(A, g, D);
      ridge *= 100;
      if (ridge > 1e6) throw new Error('logistic regression: Hessian is singular');
    }
    // Backtracking (Armijo) along −step.
    const slope = dot(g, step);
    let t = 1;
    let fNew = f;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < D; j++) trial[j] = (beta[j] as number) - t * (step[j] as number);
      fNew = objective(csr, y, trial, lambda, eta);
      if (fNew <= f - 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(fNew <= f)) {
      objective(csr, y, beta, lambda, eta);
      converged = true;
      break;
    }
    let maxStep = 0;
    for (let j = 0; j < D; j++) maxStep = Math.max(maxStep, Math.abs(t * (step[j] as number)));
    beta.set(trial);
    converged = f - fNew <= 1e-10 * (1 + Math.abs(fNew)) || maxStep <= 1e-8;
    f = fNew;
  }
  return { beta, iterations, converged, objective: f };
}

function lbfgs(
  csr: Csr,
  y: readonly number[],
  lambda: number,
  beta: Float64Array,
  maxIterations: number,
) {
  const D = csr.width + 1;
  const m = 10;
  const eta = new Float64Array(csr.n);
  const g = new Float64Array(D);
  const gNew = new Float64Array(D);
  const trial = new Float64Array(D);
  const d = new Float64Array(D);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let f = objective(csr, y, beta, lambda, eta);
  gradient(csr, y, beta, lambda, eta, g);
  let iterations = 0;
  let converged = false;
  const alpha = new Array<number>(m).fill(0);
  while (iterations < maxIterations && !converged) {
    iterations++;
    // Two-loop recursion: d = −H·g.
    for (let j = 0; j < D; j++) d[j] = -(g[j] as number);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = (rho[k] as number) * dot(S[k]!, d);
      for (let j = 0; j < D; j++) d[j] -= (alpha[k] as number) * (Y[k]![j] as number);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let j = 0; j < D; j++) d[j] *= gamma;
    } else {
      const norm = Math.sqrt(dot(g, g));
      for (let j = 0; j < D; j++) d[j] /= Math.max(1, norm);
    }
    for (let k = 0; k < S.length; k++) {
      const b = (rho[k] as number) * dot(Y[k]!, d);
      for (let j = 0; j < D; j++) d[j] += (S[k]![j] as number) * ((alpha[k] as number) - b);
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      for (let j = 0; j < D; j++) d[j] = -(g[j] as number);
      slope = dot(g, d);
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
    }
    let t = 1;
    let fNew = f;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < D; j++) trial[j] = (beta[j] as number) + t * (d[j] as number);
      fNew = objective(csr, y, trial, lambda, eta);
      if (fNew <= f + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(fNew <= f)) {
      converged = true;
      break;
    }
    gradient(csr, y, trial, lambda, eta, gNew);
    const s = new Float64Array(D);
    const yv = new Float64Array(D);
    for (let j = 0; j < D; j++) {
      s[j] = (trial[j] as number) - (beta[j] as number);
      yv[j] = (gNew[j] as number) - (g[j] as number);
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    beta.set(trial);
    g.set(gNew);
    let gMax = 0;
    for (let j = 0; j < D; j++) gMax = Math.max(gMax, Math.abs(g[j] as number));
    converged = f - fNew <= 1e-12 * (1 + Math.abs(fNew)) || gMax <= 1e-6;
    f = fNew;
  }
  return { beta, iterations, converged, objective: f };
}

/** Fits weights and intercept to rows `X` and outcomes `y` (0/1). */
export function trainLogistic(
  X: readonly FeatureVector[],
  y: readonly number[],
  options: LogisticOptions,
): LogisticFit {
  assertLabels(y, X.length);
  const { lambda } = options;
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const csr = toCsr(X, options.width);
  const method =
    options.method === 'newton' || options.method === 'lbfgs'
      ? options.method
      : csr.width <= NEWTON_MAX_FEATURES
        ? 'newton'
        : 'lbfgs';
  const start = startingPoint(csr, y, options.initial);
  const result =
    method === 'newton'
      ? newton(csr, y, lambda, start, options.maxIterations ?? 50)
      : lbfgs(csr, y, lambda, start, options.maxIterations ?? 1000);
  return {
    weights: Array.from(result.beta.subarray(0, csr.width)),
    intercept: result.beta[csr.width] as number,
    lambda,
    method,
    iterations: result.iterations,
    converged: result.converged,
    objective: result.objective,
  };
}

/** η = b + w·x: the log-odds. */
export function linearPredictor(model: LinearModel, x: FeatureVector): number {
  let s = model.intercept;
  if (isSparse(x)) {
    x.indices.forEach((j, k) => {
      s += (model.weights[j] as number) * (x.values[k] as number);
    });
  } else {
    if (x.length !== model.weights.length) {
      throw new RangeError(`expected ${model.weights.length} features, got ${x.length}`);
    }
    x.forEach((v, j) => {
      s += (model.weights[j] as number) * v;
    });
  }
  return s;
}

/** The predicted probability σ(b + w·x). */
export function predictProbability(model: LinearModel, x: FeatureVector): number {
  return sigmoid(linearPredictor(model, x));
}
