/**
 * Small dense linear algebra in float64 for the full-batch solvers: the
 * Hessians and normal equations are at most a few thousand entries a side,
 * so they are solved on the host while the sums over rows that build them
 * run on the device.
 */

/**
 * Pivots below this share of their column's diagonal are taken as zero: the
 * matrices are built from float32 sums (relative error ~1e-7), so a column
 * that is a combination of others (one-hot columns plus the intercept, the
 * free common shift of softmax intercepts) leaves a pivot of that order, not 0.
 */
export const PIVOT_TOLERANCE = 1e-6;

/**
 * Solves A x = b for a symmetric positive semidefinite A (n x n, row-major)
 * by a Cholesky factorization that drops dependent directions: where a pivot
 * is (numerically) zero, that unknown is set to 0 instead of being divided by
 * noise. The answer is then a solution of the least-squares problem restricted
 * to the independent columns, which is what a Newton step needs on collinear
 * features: the same fitted values, finite weights.
 * @returns the solution and how many directions were dropped
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): { x: Float64Array; dropped: number } {
  const { l, dropped } = cholesky(a, n);
  return { x: solveFactored(l, b, n), dropped };
}

/** The lower Cholesky factor of A with dependent columns zeroed (their diagonal is 0). */
export function cholesky(a: Float64Array, n: number): { l: Float64Array; dropped: number } {
  const l = new Float64Array(n * n);
  let dropped = 0;
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    const scale = Math.abs(a[j * n + j]!);
    if (!(d > PIVOT_TOLERANCE * scale) || !Number.isFinite(d)) {
      dropped++;
      continue; // column j stays zero: x_j = 0
    }
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / djj;
    }
  }
  return { l, dropped };
}

/** Solves L Lᵀ x = b given the lower factor L; unknowns with a zero pivot are 0. */
export function solveFactored(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lii = l[i * n + i]!;
    if (lii === 0) continue;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / lii;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const lii = l[i * n + i]!;
    if (lii === 0) continue;
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / lii;
  }
  return x;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The largest absolute entry (the ∞-norm). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
