/**
 * Small dense linear algebra in float64 for the full-batch solvers: the
 * Hessians and normal equations are at most a few thousand entries a side,
 * so they are factorized on the host while the sums over rows that build
 * them run on the device. Matrices are Float64Array, row-major, n x n.
 */

/** Jitter tried, as multiples of the diagonal's mean, when a pivot is not positive: 1e-12, 1e-10, ..., 1. */
const JITTER_STEPS = [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1];

/** The lower Cholesky factor L (A + jitter·I = L Lᵀ) and the jitter that was needed (0 if none). */
export interface CholeskyFactor {
  l: Float64Array;
  n: number;
  jitter: number;
}

/**
 * Cholesky factorization of a symmetric positive (semi)definite matrix.
 * Semidefinite matrices are common here (one-hot columns plus an intercept,
 * no penalty), and their float32-built entries can make a zero pivot slightly
 * negative: when a pivot is not positive, the factorization starts again with
 * a growing multiple of the diagonal's mean added to the diagonal.
 * Only the lower triangle of `a` is read.
 * @throws Error when `a` has a non-finite entry or is not close to semidefinite.
 */
export function cholesky(a: Float64Array, n: number): CholeskyFactor {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i]!;
  if (!Number.isFinite(trace)) throw new Error('The matrix to factorize has a non-finite entry.');
  // An all-zero diagonal (a flat objective) still gets a jitter of a sensible size.
  const scale = trace > 0 ? trace / n : 1;
  const l = new Float64Array(n * n);
  if (factorInto(a, n, 0, l)) return { l, n, jitter: 0 };
  for (const step of JITTER_STEPS) {
    if (factorInto(a, n, step * scale, l)) return { l, n, jitter: step * scale };
  }
  throw new Error('The matrix is not positive semidefinite: no Cholesky factor even with jitter.');
}

/** Writes the factor of A + shift·I into `l`; false at the first pivot that is not positive. */
function factorInto(a: Float64Array, n: number, shift: number, l: Float64Array): boolean {
  l.fill(0);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]! + shift;
    for (let k = 0; k < j; k++) d -= l[rj + k]! * l[rj + k]!;
    if (!(d > 0)) return false; // also catches NaN
    const djj = Math.sqrt(d);
    l[rj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      l[ri + j] = s / djj;
    }
  }
  return true;
}

/** Solves (L Lᵀ) x = b with the factor from `cholesky`. */
export function solveCholesky(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const { l, n } = factor;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solves A x = b for a symmetric positive (semi)definite A; `jitter` is what had to be added to A's diagonal. */
export function choleskySolve(a: Float64Array, b: ArrayLike<number>, n: number): { x: Float64Array; jitter: number } {
  const factor = cholesky(a, n);
  return { x: solveCholesky(factor, b), jitter: factor.jitter };
}

/** The mean of A's diagonal. */
export function diagonalMean(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + i]!;
  return n > 0 ? s / n : 0;
}

/** Σ a_i b_i. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** y ← y + alpha·x, in place. */
export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** The largest absolute entry (the ∞-norm). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** One L-BFGS correction pair: s = step taken, y = change of gradient, rho = 1 / (sᵀy). */
export interface CorrectionPair {
  s: Float64Array;
  y: Float64Array;
  rho: number;
}

/**
 * L-BFGS's two-loop recursion (Nocedal & Wright, algorithm 7.4): −H·g where
 * H approximates the inverse Hessian from the stored pairs (oldest first),
 * scaled by sᵀy / yᵀy of the newest pair. With no pairs it is −g.
 */
export function lbfgsDirection(grad: ArrayLike<number>, history: readonly CorrectionPair[]): Float64Array {
  const q = Float64Array.from(grad);
  const alpha = new Float64Array(history.length);
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    alpha[i] = h.rho * dot(h.s, q);
    axpy(-alpha[i]!, h.y, q);
  }
  const last = history[history.length - 1];
  if (last) {
    const gamma = dot(last.s, last.y) / dot(last.y, last.y);
    for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  }
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    axpy(alpha[i]! - h.rho * dot(h.y, q), h.s, q);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
  return q;
}

/**
 * Stores the pair of a step from `from` to `to` (gradients gFrom, gTo), oldest dropped past
 * `memory`; a pair without positive curvature (sᵀy <= 0) would break the recursion and is skipped.
 */
export function rememberPair(history: CorrectionPair[], from: ArrayLike<number>, to: ArrayLike<number>, gFrom: ArrayLike<number>, gTo: ArrayLike<number>, memory: number): void {
  const s = Float64Array.from({ length: from.length }, (_, j) => to[j]! - from[j]!);
  const y = Float64Array.from({ length: from.length }, (_, j) => gTo[j]! - gFrom[j]!);
  const sy = dot(s, y);
  if (!(sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) return;
  history.push({ s, y, rho: 1 / sy });
  if (history.length > memory) history.shift();
}

/** Subtracts from each consecutive group of K entries (a row of a row-major [rows, K] matrix) its mean, in place. */
export function centreRows(v: Float64Array, K: number): void {
  for (let r = 0; r < v.length; r += K) {
    let mean = 0;
    for (let k = 0; k < K; k++) mean += v[r + k]!;
    mean /= K;
    for (let k = 0; k < K; k++) v[r + k]! -= mean;
  }
}
