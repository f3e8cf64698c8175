/**
 * The two-sample Kolmogorov-Smirnov test, computed as
 * scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto') does,
 * because Evidently's "ks" drift test is exactly that call:
 *
 * - statistic: D = sup |F_a(x) - F_b(x)| over the pooled values, with
 *   right-continuous empirical CDFs (ties handled by counting <= x);
 * - p-value, when max(n_a, n_b) <= 10,000 ("exact"): the share of all
 *   C(n_a + n_b, n_a) orderings of the pooled sample whose D is at least the
 *   observed one, by counting lattice paths (Hodges 1958; the recursion for
 *   1 - p of Viehmann 2021), as scipy's `_attempt_exact_2kssamp`;
 * - otherwise ("asymptotic"): kstwo.sf(D, round(n_a n_b / (n_a + n_b))),
 *   the finite-n Kolmogorov distribution at the effective sample size.
 *
 * As in scipy, the exact p-value assumes continuous data (no ties); with
 * ties it is the usual, slightly conservative, approximation.
 */

import { kstwoSf } from './drift-kolmogorov';
import { ascending } from './drift-sort';

/** scipy's MAX_AUTO_N: the exact method is tried up to this larger sample size. */
export const KS_MAX_EXACT_N = 10_000;

/** Result of `ks2samp`. */
export interface KsResult {
  /** The KS statistic D in [0, 1]. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Which p-value computation was used. */
  method: 'exact' | 'asymptotic';
}

/**
 * The two-sided KS statistic of two ascending samples, in one merge pass:
 * max over pooled values v of |count(a <= v)/n_a - count(b <= v)/n_b|.
 * The gap is tracked as the integer i n_b - j n_a, exact and cheaper than
 * two divisions a step, and turned into scipy's i/n_a - j/n_b at the end.
 */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let k = 0; // i * n2 - j * n1
  let kMax = 0;
  let iMax = 0;
  let jMax = 0;
  let kMin = 0;
  let iMin = 0;
  let jMin = 0;
  while (i < n1 && j < n2) {
    const x = a[i]!;
    const y = b[j]!;
    // A run of equal values within one sample moves k monotonically, so its
    // inner points cannot be extremes; a value in both samples must be
    // consumed from both before the gap means anything.
    if (x < y) {
      i++;
      k += n2;
    } else if (y < x) {
      j++;
      k -= n1;
    } else {
      while (i < n1 && a[i] === x) i++;
      while (j < n2 && b[j] === x) j++;
      k = i * n2 - j * n1;
    }
    if (k > kMax) [kMax, iMax, jMax] = [k, i, j];
    else if (k < kMin) [kMin, iMin, jMin] = [k, i, j];
  }
  // Once one sample is used up the gap shrinks steadily to 0: no new extremes.
  const maxS = iMax / n1 - jMax / n2;
  const minS = -(iMin / n1 - jMin / n2);
  return Math.min(Math.max(maxS, minS, 0), 1);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * P(D_{n,n} >= h/n) for two samples of equal size n: the share of paths that
 * leave the band |x - y| < h, by the reflection series
 * 2 sum_k (-1)^(k-1) C(2n, n - kh) / C(2n, n), nested Horner-style to avoid
 * cancellation (scipy's `_compute_prob_outside_square`).
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h / lcm(m, n)): the share of monotone lattice paths from
 * (0,0) to (m,n) that touch |x/m - y/n| >= h/lcm. Walks the columns keeping
 * only the band's sliding window, and carries 1 - p directly so that small
 * p-values keep their precision (scipy's `_compute_outer_prob_inside_method`).
 * @param g gcd(m, n)
 */
export function probOutsideBand(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, curlen + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/**
 * The exact two-sided p-value for statistic d with sample sizes n1, n2, and
 * d rounded to the lattice h / lcm(n1, n2) it must lie on, as scipy reports
 * it. The p-value is null when rounding took it outside [0, 1]; scipy then
 * falls back to the asymptotic distribution (keeping the rounded d), and so
 * do we.
 */
export function ksExactPValue(n1: number, n2: number, d: number): { statistic: number; pValue: number | null } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return { statistic, pValue: p >= 0 && p <= 1 ? p : null };
}

/**
 * Two-sample KS test, two-sided, matching scipy.stats.ks_2samp's defaults.
 * Inputs must be free of NaN (drop missing values first, as Evidently does);
 * they are not changed, and are sorted into copies only if not already
 * ascending, so pass sorted arrays to share one sort across statistics.
 * @throws Error when a sample is empty or holds NaN.
 */
export function ks2samp(a: Float64Array, b: Float64Array): KsResult {
  if (a.length === 0 || b.length === 0) throw new Error('The KS test needs two non-empty samples.');
  const sa = ascending(a);
  const sb = ascending(b);
  const n1 = sa.length;
  const n2 = sb.length;
  let d = ksStatisticSorted(sa, sb);
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = ksExactPValue(n1, n2, d);
    if (exact.pValue !== null) return { statistic: exact.statistic, pValue: exact.pValue, method: 'exact' };
    d = exact.statistic;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: kstwoSf(roundHalfEven(en), d), method: 'asymptotic' };
}

/** numpy's round (ties to even), which scipy applies to the effective n. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
