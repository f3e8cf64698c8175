/**
 * The full-batch solver on the TF.js cpu backend, against references computed here in plain
 * float64 JavaScript (Gaussian elimination, Newton's method, long gradient descent), none of
 * which uses the app's linear algebra; and against scikit-learn's own numbers stored in
 * tests/fixtures/solver (each fixture says how it was made).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { solveLinear, type SolverOptions, type SolverResult } from '../../../src/lib/ml/solver';
import { Rng } from '../../../src/lib/core/common';
import { gaussSolve } from '../../support/reference-fit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** n x d standard normal features (float32, as the app stores them). */
function features(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * d }, () => normal(rng));
}

/** Row i with the intercept's 1 appended. */
const row = (x: Float32Array, d: number, i: number) => [...x.subarray(i * d, i * d + d), 1];

/** Ridge in mean form, (1/S) Σ s (y − xθ)² + l2 ||w||², by its normal equations: [w..., b] and the objective there. */
function ridgeReference(x: Float32Array, y: number[], d: number, l2: number, s: number[]): { theta: number[]; loss: number } {
  const S = s.reduce((a, b) => a + b, 0);
  const p = d + 1;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  y.forEach((yi, i) => {
    const r = row(x, d, i);
    for (let j = 0; j < p; j++) {
      b[j]! += (s[i]! * r[j]! * yi) / S;
      for (let k = 0; k < p; k++) a[j]![k]! += (s[i]! * r[j]! * r[k]!) / S;
    }
  });
  for (let j = 0; j < d; j++) a[j]![j]! += l2;
  const theta = gaussSolve(a, b);
  const sse = y.reduce((acc, yi, i) => acc + s[i]! * (yi - row(x, d, i).reduce((t, v, j) => t + v * theta[j]!, 0)) ** 2, 0);
  return { theta, loss: sse / S + l2 * theta.slice(0, d).reduce((t, v) => t + v * v, 0) };
}

/** Weighted L2 logistic regression, (1/S) Σ s logloss + ||w||²/(2CS), by Newton's method with step halving to machine precision. */
function logisticReference(x: Float32Array, y: number[], d: number, C: number, s: number[]): { theta: number[]; loss: number; grad: number } {
  const n = y.length;
  const S = s.reduce((a, b) => a + b, 0);
  const p = d + 1;
  const lam = Number.isFinite(C) ? 1 / (C * S) : 0;
  const objective = (t: number[]) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = row(x, d, i).reduce((a, v, j) => a + v * t[j]!, 0);
      f += s[i]! * (Math.max(z, 0) - y[i]! * z + Math.log1p(Math.exp(-Math.abs(z))));
    }
    return f / S + (lam / 2) * t.slice(0, d).reduce((a, v) => a + v * v, 0);
  };
  let theta = new Array<number>(p).fill(0);
  let g: number[] = [];
  for (let it = 0; it < 100; it++) {
    g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const r = row(x, d, i);
      const pr = 1 / (1 + Math.exp(-r.reduce((a, v, j) => a + v * theta[j]!, 0)));
      for (let j = 0; j < p; j++) {
        g[j]! += (s[i]! * (pr - y[i]!) * r[j]!) / S;
        for (let k = 0; k < p; k++) h[j]![k]! += (s[i]! * pr * (1 - pr) * r[j]! * r[k]!) / S;
      }
    }
    for (let j = 0; j < d; j++) {
      g[j]! += lam * theta[j]!;
      h[j]![j]! += lam;
    }
    if (Math.max(...g.map(Math.abs)) < 1e-14) break;
    const step = gaussSolve(h, g);
    let t = 1;
    const f0 = objective(theta);
    while (t > 1e-10 && objective(theta.map((v, j) => v - t * step[j]!)) > f0) t /= 2;
    theta = theta.map((v, j) => v - t * step[j]!);
  }
  return { theta, loss: objective(theta), grad: Math.max(...g.map(Math.abs)) };
}

/**
 * Multinomial logistic regression with all K columns, (1/S) Σ s [logsumexp(z) − z_y] + ||W||²/(2CS),
 * by plain gradient descent run until its gradient is below 1e-11 (slow, but it needs no Hessian).
 * Returns θ in the solver's layout (row-major [d+1, K], biases last, centred) and the objective.
 */
function softmaxReference(x: Float32Array, y: number[], d: number, K: number, C: number, s: number[]): { theta: number[]; loss: number; grad: number } {
  const n = y.length;
  const p = d + 1;
  const S = s.reduce((a, b) => a + b, 0);
  const lam = 1 / (C * S);
  const rows = Array.from({ length: n }, (_, i) => row(x, d, i));
  const theta = new Array<number>(p * K).fill(0);
  let gradMax = Infinity;
  let loss = 0;
  for (let it = 0; it < 200_000 && gradMax > 1e-11; it++) {
    const g = new Array<number>(p * K).fill(0);
    loss = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const z = Array.from({ length: K }, (_, k) => r.reduce((a, v, j) => a + v * theta[j * K + k]!, 0));
      const top = Math.max(...z);
      const lse = top + Math.log(z.reduce((a, v) => a + Math.exp(v - top), 0));
      loss += (s[i]! * (lse - z[y[i]!]!)) / S;
      for (let k = 0; k < K; k++) {
        const resid = Math.exp(z[k]! - lse) - (k === y[i] ? 1 : 0);
        for (let j = 0; j < p; j++) g[j * K + k]! += (s[i]! * resid * r[j]!) / S;
      }
    }
    for (let j = 0; j < d * K; j++) {
      g[j]! += lam * theta[j]!;
      loss += (lam / 2) * theta[j]! ** 2;
    }
    gradMax = Math.max(...g.map(Math.abs));
    for (let j = 0; j < p * K; j++) theta[j]! -= 1.0 * g[j]!;
  }
  const mean = theta.slice(d * K).reduce((a, v) => a + v, 0) / K;
  for (let k = 0; k < K; k++) theta[d * K + k]! -= mean;
  return { theta, loss, grad: gradMax };
}

/** Largest entry difference relative to the largest reference entry. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return a.length === b.length ? num / Math.max(den, 1e-12) : Infinity;
}

const params = (r: SolverResult) => [...r.kernel, ...r.bias];

async function solve(x: Float32Array, d: number, y: number[], w: number[] | null, options: SolverOptions): Promise<SolverResult> {
  const n = y.length;
  const xt = tf.tensor2d(x, [n, d]);
  const yt = options.kind === 'softmax' ? tf.tensor1d(y, 'int32') : tf.tensor2d(y, [n, 1]);
  const wt = w ? tf.tensor1d(w) : null;
  try {
    return await solveLinear(xt, yt, wt, options);
  } finally {
    xt.dispose();
    yt.dispose();
    wt?.dispose();
  }
}

/** Labels drawn from a logistic model (not separable). */
function logisticData(n: number, d: number, seed: number) {
  const x = features(n, d, seed);
  const rng = new Rng(seed + 100);
  const y = Array.from({ length: n }, (_, i): number => (rng.next() < 1 / (1 + Math.exp(-(0.5 + 1.2 * x[i * d]! - 0.8 * x[i * d + 1]!))) ? 1 : 0));
  return { x, y };
}

/** Labels drawn from a K-class softmax model. */
function softmaxData(n: number, d: number, K: number, seed: number) {
  const x = features(n, d, seed);
  const rng = new Rng(seed + 100);
  const y = Array.from({ length: n }, (_, i) => {
    const e = Array.from({ length: K }, (_, c) => Math.exp(c === 0 ? 0 : (c % 2 ? 1.2 : -0.9) * x[i * d + (c % d)]! + 0.3 * c));
    let u = rng.next() * e.reduce((a, b) => a + b, 0);
    let c = 0;
    while (u > e[c]! && c < K - 1) u -= e[c++]!;
    return c;
  });
  return { x, y };
}

describe('least squares', () => {
  const n = 300;
  const d = 4;
  const x = features(n, d, 1);
  const rng = new Rng(2);
  const y = Array.from({ length: n }, (_, i) => 1.5 + 2 * x[i * d]! - x[i * d + 1]! + 0.5 * x[i * d + 2]! + 0.3 * normal(rng));
  const ones = y.map(() => 1);
  const s = y.map((_, i) => 0.5 + (i % 3));

  it('matches the normal equations for ridge and weighted ridge: coefficients and loss to 1e-4 relative, in two solves', async () => {
    for (const [l2, weights] of [[0.1, null], [0.05, s], [0, s]] as const) {
      const r = await solve(x, d, y, weights ? [...weights] : null, { kind: 'least-squares', l2, tol: 1e-6, maxIter: 10 });
      const ref = ridgeReference(x, y, d, l2, weights ? [...weights] : ones);
      expect(relErr(params(r), ref.theta)).toBeLessThan(1e-4);
      expect(Math.abs(r.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
      expect(r).toMatchObject({ method: 'least-squares', converged: true, stopped: false, iterations: 2 });
      expect(r.gradNorm).toBeLessThanOrEqual(1e-6);
    }
  });

  it('recovers a known linear truth by OLS, and fits collinear one-hot columns with finite weights', async () => {
    // y is exactly 3 − 2·x1 + 0.25·x2 + 0.8·[group a]; the two group columns add up to the intercept's column.
    const group = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const xs = Float32Array.from({ length: n * 4 }, (_, k) => {
      const [i, j] = [Math.floor(k / 4), k % 4];
      return j < 2 ? x[i * d + j]! : j === 2 ? group[i]! : 1 - group[i]!;
    });
    const truth = (i: number) => 3 - 2 * xs[i * 4]! + 0.25 * xs[i * 4 + 1]! + 0.8 * group[i]!;
    const yt = Array.from({ length: n }, (_, i) => truth(i));
    const r = await solve(xs, 4, yt, null, { kind: 'least-squares', l2: 0, tol: 1e-6, maxIter: 10 });
    expect(r.converged).toBe(true);
    expect(params(r).every(Number.isFinite)).toBe(true);
    expect(r.kernel[0]).toBeCloseTo(-2, 5);
    expect(r.kernel[1]).toBeCloseTo(0.25, 5);
    // The split of 3 + 0.8·a between the intercept and the group columns is not identified; the fit is.
    expect(r.kernel[2]! - r.kernel[3]!).toBeCloseTo(0.8, 5);
    const fitted = (i: number) => [...xs.subarray(i * 4, i * 4 + 4)].reduce((a, v, j) => a + v * r.kernel[j]!, r.bias[0]!);
    expect(Math.max(...yt.map((v, i) => Math.abs(fitted(i) - v)))).toBeLessThan(1e-4);
    expect(r.loss).toBeLessThan(1e-9);
  });
});

describe('logistic regression', () => {
  const n = 400;
  const d = 3;
  const { x, y } = logisticData(n, d, 3);

  it('agrees with a float64 Newton reference, plain, with sample weights and with class weights, to 1e-4 relative', async () => {
    const rng = new Rng(5);
    const sampleWeights = y.map(() => 0.2 + 2 * rng.next());
    // Class weights as scikit-learn's 'balanced': n / (2 · count of the row's class), multiplied in by the caller.
    const positives = y.reduce((a, b) => a + b, 0);
    const balanced = y.map((v) => n / (2 * (v ? positives : n - positives)));
    for (const w of [null, sampleWeights, balanced]) {
      const r = await solve(x, d, y, w, { kind: 'logistic', C: 1, tol: 1e-8, maxIter: 100 });
      const ref = logisticReference(x, y, d, 1, w ?? y.map(() => 1));
      expect(ref.grad).toBeLessThan(1e-12);
      expect(r).toMatchObject({ method: 'newton', converged: true, stopped: false });
      expect(r.iterations).toBeLessThan(15);
      expect(relErr(params(r), ref.theta)).toBeLessThan(1e-4);
      expect(Math.abs(r.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
    }
  });

  it('keeps perfectly separable classes finite with C = 1, and says it did not converge without a penalty', async () => {
    const sep = Array.from({ length: n }, (_, i) => (x[i * d]! + x[i * d + 1]! > 0 ? 1 : 0));
    const r = await solve(x, d, sep, null, { kind: 'logistic', C: 1, tol: 1e-8, maxIter: 100 });
    const ref = logisticReference(x, sep, d, 1, sep.map(() => 1));
    expect(r.converged).toBe(true);
    expect(relErr(params(r), ref.theta)).toBeLessThan(1e-4);
    // Without a penalty there is no optimum: the weights grow while the loss creeps to 0.
    const free = await solve(x, d, sep, null, { kind: 'logistic', C: Infinity, tol: 1e-12, maxIter: 10 });
    expect(free).toMatchObject({ converged: false, stopped: false, iterations: 10 });
    expect([...params(free), free.loss, free.gradNorm].every(Number.isFinite)).toBe(true);
    expect(Math.abs(free.kernel[0]!)).toBeGreaterThan(5 * Math.abs(r.kernel[0]!));
    expect(free.loss).toBeLessThan(r.loss / 10);
  });

  it('reaches the same optimum by L-BFGS when Newton is ruled out', async () => {
    const r = await solve(x, d, y, null, { kind: 'logistic', C: 0.5, tol: 1e-8, maxIter: 200, newtonMaxParams: 1 });
    const ref = logisticReference(x, y, d, 0.5, y.map(() => 1));
    expect(r).toMatchObject({ method: 'lbfgs', converged: true });
    expect(relErr(params(r), ref.theta)).toBeLessThan(1e-4);
  });

  it('reports every iteration with a falling objective, stops when asked, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const seen: { iteration: number; loss: number; gradNorm: number; kernel: Float32Array }[] = [];
    const r = await solve(x, d, y, null, { kind: 'logistic', C: 1, tol: 1e-8, maxIter: 100, onIteration: (it) => void seen.push(it) });
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
    seen.slice(1).forEach((s, i) => expect(s.loss).toBeLessThan(seen[i]!.loss));
    expect(seen.at(-1)!.gradNorm).toBe(r.gradNorm);
    expect([...seen.at(-1)!.kernel]).toEqual([...r.kernel]);
    expect(seen.at(-1)!.kernel).not.toBe(r.kernel); // a copy
    let calls = 0;
    const stopped = await solve(x, d, y, null, { kind: 'logistic', C: 1, tol: 1e-12, maxIter: 100, stop: () => ++calls >= 2 });
    expect(stopped).toMatchObject({ stopped: true, converged: false, iterations: 2 });
    // An async callback that fails ends the solve with its error, still without leaking.
    const failing = solve(x, d, y, null, { kind: 'logistic', C: 1, tol: 1e-12, maxIter: 100, onIteration: async () => Promise.reject(new Error('cancelled')) });
    await expect(failing).rejects.toThrow('cancelled');
    await solve(x, d, y, null, { kind: 'logistic', C: 1, tol: 1e-8, maxIter: 100, newtonMaxParams: 1 });
    await solve(x, d, y, null, { kind: 'least-squares', l2: 0.1, tol: 1e-8, maxIter: 5 });
    await solve(x, d, y.map((v, i) => (v + i) % 3), null, { kind: 'softmax', classes: 3, C: 1, tol: 1e-8, maxIter: 50 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('softmax regression', () => {
  for (const K of [3, 4]) {
    it(`agrees with a long float64 gradient-descent run for ${K} classes, by Newton and by L-BFGS, intercepts centred`, async () => {
      const n = 300;
      const d = 3;
      const { x, y } = softmaxData(n, d, K, 10 + K);
      // The 4-class case also carries sample weights.
      const w = K === 4 ? y.map((_, i) => 0.5 + (i % 4) / 2) : null;
      const ref = softmaxReference(x, y, d, K, 1, w ?? y.map(() => 1));
      expect(ref.grad).toBeLessThan(1e-10);
      for (const newtonMaxParams of [2000, 1]) {
        const r = await solve(x, d, y, w, { kind: 'softmax', classes: K, C: 1, tol: 1e-8, maxIter: 300, newtonMaxParams });
        expect(r).toMatchObject({ method: newtonMaxParams === 1 ? 'lbfgs' : 'newton', converged: true });
        expect(r.kernel).toHaveLength(d * K);
        expect(relErr(params(r), ref.theta)).toBeLessThan(1e-4);
        expect(Math.abs(r.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
        expect(Math.abs(r.bias.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
      }
    });
  }
});

interface SklearnCase {
  name: string;
  csv: string;
  estimator: string;
  kind: SolverOptions['kind'];
  classes?: number;
  C?: number;
  l2?: number;
  weights: 'none' | 'column';
  coef: number[][];
  intercept: number[];
  loss: number;
}

describe('scikit-learn fixtures', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/solver/sklearn.json', import.meta.url), 'utf8')) as { how: string; cases: SklearnCase[] };
  for (const c of fixture.cases) {
    it(`${c.name}: ${c.estimator} coefficients, intercepts and objective to 1e-4 relative`, async () => {
      const lines = readFileSync(new URL(`../../fixtures/solver/${c.csv}`, import.meta.url), 'utf8').trim().split('\n');
      const header = lines[0]!.split(',');
      const cols = header.filter((h) => h.startsWith('x'));
      const rows = lines.slice(1).map((l) => l.split(',').map(Number));
      const at = (name: string) => header.indexOf(name);
      const x = Float32Array.from(rows.flatMap((r) => cols.map((h) => r[at(h)]!)));
      const y = rows.map((r) => r[at('y')]!);
      const w = c.weights === 'column' ? rows.map((r) => r[at('w')]!) : null;
      // float32 targets of size ~5 leave the least-squares gradient a few 1e-8 from 0.
      const tol = c.kind === 'least-squares' ? 1e-6 : 1e-8;
      const r = await solve(x, cols.length, y, w, { kind: c.kind, classes: c.classes, C: c.C ?? Infinity, l2: c.l2, tol, maxIter: 200 });
      expect(r.converged).toBe(true);
      // scikit-learn's coef_ is [K, d]; the solver's kernel is [d, K].
      const K = c.coef.length;
      const kernel = Array.from({ length: cols.length * K }, (_, j) => c.coef[j % K]![Math.floor(j / K)]!);
      const mean = K > 1 ? c.intercept.reduce((a, b) => a + b, 0) / K : 0;
      expect(relErr(params(r), [...kernel, ...c.intercept.map((b) => b - mean)])).toBeLessThan(1e-4);
      expect(Math.abs(r.loss - c.loss) / c.loss).toBeLessThan(1e-4);
    });
  }
});
