import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { solveLinear, type SolverOptions } from '../../../src/lib/ml/solver';
import { Rng } from '../../../src/lib/core/random';
import { gaussSolve, softmaxFit } from '../../support/reference-fit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** n x d standard normal features (float32, as the app stores them). */
function features(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * d }, () => normal(rng));
}

const row = (x: Float32Array, d: number, i: number) => [...x.subarray(i * d, i * d + d), 1];

/**
 * Weighted L2-penalized logistic regression in float64, by Newton's method run to machine
 * precision, written here independently of the app: the objective is
 * (1/S) Σ s_i logloss_i + ||w||² / (2 C S).
 */
function logisticReference(x: Float32Array, y: number[], d: number, C: number, s: number[] = y.map(() => 1)): { theta: number[]; loss: number } {
  const n = y.length;
  const S = s.reduce((a, b) => a + b, 0);
  const p = d + 1;
  let theta = new Array<number>(p).fill(0);
  const lam = Number.isFinite(C) ? 1 / (C * S) : 0;
  const objective = (t: number[]) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = row(x, d, i).reduce((a, v, j) => a + v * t[j]!, 0);
      f += s[i]! * (Math.max(z, 0) - y[i]! * z + Math.log1p(Math.exp(-Math.abs(z))));
    }
    return f / S + (lam / 2) * t.slice(0, d).reduce((a, v) => a + v * v, 0);
  };
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(p).fill(0);
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
    const step = gaussSolve(h, g);
    theta = theta.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-13) break;
  }
  return { theta, loss: objective(theta) };
}

/** Relative agreement of two vectors in the max norm. */
const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(den, 1e-12);
};

async function solve(x: Float32Array, n: number, d: number, y: tf.Tensor, w: number[] | null, options: SolverOptions) {
  const xt = tf.tensor2d(x, [n, d]);
  const wt = w ? tf.tensor1d(w) : null;
  try {
    return await solveLinear(xt, y, wt, options);
  } finally {
    xt.dispose();
    y.dispose();
    wt?.dispose();
  }
}

describe('least squares', () => {
  const n = 300;
  const d = 4;
  const x = features(n, d, 1);
  const rng = new Rng(2);
  const y = Array.from({ length: n }, (_, i) => 1.5 + [2, -1, 0.5, 0][0]! * x[i * d]! - x[i * d + 1]! + 0.5 * x[i * d + 2]! + 0.3 * normal(rng));
  const s = Array.from({ length: n }, (_, i) => 0.5 + (i % 3));

  /** The normal equations of (1/S) Σ s (y − x θ)² + l2 ||w||², solved in float64 here. */
  function reference(l2: number, weights: number[]): number[] {
    const S = weights.reduce((a, b) => a + b, 0);
    const p = d + 1;
    const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const b = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const r = row(x, d, i);
      for (let j = 0; j < p; j++) {
        b[j]! += (weights[i]! * r[j]! * y[i]!) / S;
        for (let k = 0; k < p; k++) a[j]![k]! += (weights[i]! * r[j]! * r[k]!) / S;
      }
    }
    for (let j = 0; j < d; j++) a[j]![j]! += l2;
    return gaussSolve(a, b);
  }

  it('matches the normal equations for OLS, ridge and weighted ridge to 1e-4 relative', async () => {
    for (const [l2, weights] of [[0, null], [0.1, null], [0.05, s]] as const) {
      const r = await solve(x, n, d, tf.tensor1d(y), weights ? [...weights] : null, { kind: 'least-squares', l2, tol: 1e-6, maxIter: 10 });
      const ref = reference(l2, weights ? [...weights] : y.map(() => 1));
      expect(relErr([...r.kernel, ...r.bias], ref)).toBeLessThan(1e-4);
      expect(r).toMatchObject({ method: 'least-squares', converged: true });
      expect(r.iterations).toBeLessThanOrEqual(3);
    }
  });
});

describe('logistic regression by Newton', () => {
  const n = 400;
  const d = 3;
  const x = features(n, d, 3);
  const rng = new Rng(4);
  const y = Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(0.5 + 1.2 * x[i * d]! - 0.8 * x[i * d + 1]!))) ? 1 : 0));

  it('agrees with a float64 reference on coefficients and loss to 1e-4 relative, with and without sample weights', async () => {
    const classWeights = y.map((v) => (v === 1 ? 2.5 : 0.7));
    for (const w of [null, classWeights]) {
      const r = await solve(x, n, d, tf.tensor1d(y), w, { kind: 'logistic', C: 1, tol: 1e-7, maxIter: 100 });
      const ref = logisticReference(x, y, d, 1, w ?? undefined);
      expect(r).toMatchObject({ method: 'newton', converged: true, stopped: false });
      expect(r.iterations).toBeLessThan(15);
      expect(relErr([...r.kernel, ...r.bias], ref.theta)).toBeLessThan(1e-4);
      expect(Math.abs(r.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
    }
  });

  it('keeps perfectly separable classes finite with C = 1, and says it did not converge without a penalty', async () => {
    const sep = Array.from({ length: n }, (_, i) => (x[i * d]! + x[i * d + 1]! > 0 ? 1 : 0));
    const r = await solve(x, n, d, tf.tensor1d(sep), null, { kind: 'logistic', C: 1, tol: 1e-7, maxIter: 100 });
    const ref = logisticReference(x, sep, d, 1);
    expect(r.converged).toBe(true);
    expect(relErr([...r.kernel, ...r.bias], ref.theta)).toBeLessThan(1e-4);
    // Without a penalty there is no optimum: the weights grow while the loss creeps to 0. The solver
    // still returns finite numbers, far larger than the penalized ones, and a near-zero loss.
    const free = await solve(x, n, d, tf.tensor1d(sep), null, { kind: 'logistic', C: Infinity, tol: 1e-12, maxIter: 30 });
    expect([...free.kernel, ...free.bias].every(Number.isFinite)).toBe(true);
    expect(Math.abs(free.kernel[0]!)).toBeGreaterThan(5 * Math.abs(r.kernel[0]!));
    expect(free.loss).toBeLessThan(r.loss / 10);
  });

  it('reports every iteration with a falling objective, stops when asked, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const r = await solve(x, n, d, tf.tensor1d(y), null, { kind: 'logistic', C: 1, tol: 1e-7, maxIter: 100, onIteration: (it) => void losses.push(it.loss) });
    expect(losses).toHaveLength(r.iterations);
    losses.slice(1).forEach((l, i) => expect(l).toBeLessThanOrEqual(losses[i]! + 1e-7));
    let calls = 0;
    const stopped = await solve(x, n, d, tf.tensor1d(y), null, { kind: 'logistic', C: 1, tol: 1e-12, maxIter: 100, stop: () => ++calls >= 2 });
    expect(stopped).toMatchObject({ stopped: true, converged: false, iterations: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('softmax regression', () => {
  for (const k of [3, 4]) {
    it(`agrees with a long float64 reference run for ${k} classes (Newton and L-BFGS), intercepts centred`, async () => {
      const n = 300;
      const d = 3;
      const x = features(n, d, 10 + k);
      const rng = new Rng(20 + k);
      const y = Array.from({ length: n }, (_, i) => {
        const z = Array.from({ length: k }, (_, c) => (c === 0 ? 0 : (c % 2 ? 1.2 : -0.9) * x[i * d + (c % d)]! + 0.3 * c));
        const e = z.map(Math.exp);
        let u = rng.next() * e.reduce((a, b) => a + b, 0);
        let c = 0;
        while (u > e[c]! && c < k - 1) u -= e[c++]!;
        return c;
      });
      const theta = softmaxFit(x, Float32Array.from(y), n, d, k, 1, 20_000, 0.5);
      // The reference's intercepts, centred like the solver's (their common shift is free).
      const meanB = theta.reduce((s, t) => s + t[d]!, 0) / k;
      const refKernel = Array.from({ length: d * k }, (_, j) => theta[j % k]![Math.floor(j / k)]!);
      const refBias = theta.map((t) => t[d]! - meanB);
      for (const newtonMaxParams of [2000, 1]) {
        const r = await solve(x, n, d, tf.tensor1d(y, 'int32'), null, { kind: 'softmax', classes: k, C: 1, tol: 1e-7, maxIter: 200, newtonMaxParams });
        expect(r.method).toBe(newtonMaxParams === 1 ? 'lbfgs' : 'newton');
        expect(r.converged).toBe(true);
        expect(relErr([...r.kernel, ...r.bias], [...refKernel, ...refBias])).toBeLessThan(1e-4);
        expect(Math.abs(r.bias.reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
      }
    });
  }
});
