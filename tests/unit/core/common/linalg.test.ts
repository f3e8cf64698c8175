/**
 * The host-side float64 algebra of the solvers, against what the answers must satisfy
 * (L Lᵀ = A, A x = b, the secant equation) and against Gaussian elimination written here.
 */
import { describe, expect, it } from 'vitest';
import {
  axpy,
  centreRows,
  cholesky,
  choleskySolve,
  dot,
  lbfgsDirection,
  maxAbs,
  rememberPair,
  solveCholesky,
  type CorrectionPair,
  Rng,
} from '../../../../src/lib/core/common';
import { gaussSolve } from '../../../support/reference-fit';

/** A x for a row-major n x n A. */
const times = (a: Float64Array, x: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => a[i * n + k]! * x[k]!).reduce((s, v) => s + v, 0));

/** B Bᵀ + shift·I for a random n x r B: symmetric, positive definite when r >= n or shift > 0. */
function gram(n: number, r: number, seed: number, shift = 0): Float64Array {
  const rng = new Rng(seed);
  const b = Array.from({ length: n * r }, () => rng.next() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < r; k++) a[i * n + j]! += b[i * r + k]! * b[j * r + k]!;
  for (let i = 0; i < n; i++) a[i * n + i]! += shift;
  return a;
}

/** Gaussian elimination (the reference fits' own) on a row-major n x n A. */
const gauss = (a: Float64Array, b: number[], n: number): number[] =>
  gaussSolve(Array.from({ length: n }, (_, i) => [...a.subarray(i * n, i * n + n)]), b);

describe('cholesky', () => {
  it('factorizes a positive definite matrix exactly: L is lower triangular and L Lᵀ = A, no jitter', () => {
    const n = 12;
    const a = gram(n, 20, 1);
    const { l, jitter } = cholesky(a, n);
    expect(jitter).toBe(0);
    let err = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) expect(l[i * n + j]).toBe(0);
        let s = 0;
        for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
        err = Math.max(err, Math.abs(s - a[i * n + j]!));
      }
    }
    expect(err).toBeLessThan(1e-12);
  });

  it('solves A x = b as Gaussian elimination does, to 1e-10', () => {
    const n = 15;
    const a = gram(n, 30, 2, 0.1);
    const rng = new Rng(3);
    const b = Array.from({ length: n }, () => rng.next() * 10 - 5);
    const { x, jitter } = choleskySolve(a, b, n);
    expect(jitter).toBe(0);
    const ref = gauss(a, b, n);
    expect(maxAbs(x.map((v, i) => v - ref[i]!))).toBeLessThan(1e-10 * maxAbs(ref));
  });

  it('adds the smallest jitter that works when a semidefinite matrix has a zero pivot, and still solves a consistent system', () => {
    // v vᵀ with v = (1, 2, 3): rank one, so the second pivot is exactly 0.
    const v = [1, 2, 3];
    const a = Float64Array.from({ length: 9 }, (_, k) => v[Math.floor(k / 3)]! * v[k % 3]!);
    const { l, jitter } = cholesky(a, 3);
    const mean = (1 + 4 + 9) / 3;
    expect(jitter).toBeCloseTo(mean * 1e-12, 20);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i * 3 + k]! * l[j * 3 + k]!;
        expect(s).toBeCloseTo(a[i * 3 + j]! + (i === j ? jitter : 0), 9);
      }
    }
    // b = A (1, 1, 1) lies in A's range: the jittered solution reproduces it, and is the minimum-norm one, (6/14)·v.
    const b = times(a, [1, 1, 1], 3);
    const x = solveCholesky(cholesky(a, 3), b);
    expect(maxAbs(times(a, x, 3).map((s, i) => s - b[i]!))).toBeLessThan(1e-6);
    expect(maxAbs(x.map((xi, i) => xi - (6 / 14) * v[i]!))).toBeLessThan(1e-6);
  });

  it('refuses a clearly indefinite matrix and a matrix with NaN', () => {
    expect(() => cholesky(Float64Array.from([1, 3, 3, 1]), 2)).toThrow(/not positive semidefinite/);
    expect(() => cholesky(Float64Array.from([1, 0, 0, NaN]), 2)).toThrow(/non-finite/);
  });
});

describe('vectors and L-BFGS', () => {
  it('dot, axpy and the ∞-norm', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    const y = Float64Array.from([1, 1, 1]);
    axpy(2, [1, -2, 0.5], y);
    expect([...y]).toEqual([3, -3, 2]);
    expect(maxAbs([0.5, -7, 3])).toBe(7);
  });

  it('is steepest descent without pairs, and satisfies the secant equation H y = s of the newest pair', () => {
    expect([...lbfgsDirection([1, -2, 0.5], [])]).toEqual([-1, 2, -0.5]);
    // Pairs from the quadratic ½ xᵀ A x, whose gradient change over a step s is y = A s.
    const n = 6;
    const a = gram(n, 10, 4, 0.5);
    const rng = new Rng(5);
    const history: CorrectionPair[] = Array.from({ length: 4 }, () => {
      const s = Float64Array.from({ length: n }, () => rng.next() - 0.5);
      const y = Float64Array.from(times(a, s, n));
      return { s, y, rho: 1 / dot(s, y) };
    });
    const newest = history.at(-1)!;
    const d = lbfgsDirection(newest.y, history);
    expect(maxAbs(d.map((v, i) => v + newest.s[i]!))).toBeLessThan(1e-12 * maxAbs(newest.s) + 1e-15);
    // And it is a descent direction for any gradient.
    const g = Array.from({ length: n }, () => rng.next() - 0.5);
    expect(dot(g, lbfgsDirection(g, history))).toBeLessThan(0);
  });

  it('keeps the newest pairs with positive curvature, at most `memory` of them', () => {
    const history: CorrectionPair[] = [];
    rememberPair(history, [0, 0], [1, 0], [0, 0], [-1, 0], 2); // sᵀy < 0: skipped
    expect(history).toHaveLength(0);
    for (let i = 1; i <= 3; i++) rememberPair(history, [0, 0], [i, 0], [0, 0], [2 * i, 1], 2);
    expect(history.map((h) => h.s[0])).toEqual([2, 3]);
    expect(history[1]!.rho).toBeCloseTo(1 / (3 * 6), 15);
  });

  it('centres each row of K entries to sum 0', () => {
    const v = Float64Array.from([1, 2, 3, -4, 0, 10]);
    centreRows(v, 3);
    expect([...v]).toEqual([-1, 0, 1, -6, -2, 8]);
  });
});
