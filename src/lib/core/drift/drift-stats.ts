/**
 * Per-feature drift statistics, defined as Evidently defines them so that a
 * Labbook drift report can be checked against an Evidently one. Read from
 * Evidently's source, evidently/legacy/calculations/stattests/*.py and
 * calculations/data_drift.py (the same in the older
 * evidently/calculations/stattests):
 *
 * - Before any test, ±inf become missing and missing values are dropped from
 *   both samples (`finiteSorted` does this for numbers).
 * - "ks": scipy.stats.ks_2samp(ref, cur) p-value (drift-ks.ts); drift when p <= 0.05.
 * - "chisquare": scipy.stats.chisquare(f_obs = current counts, f_exp = reference
 *   counts * n_cur / n_ref) over the union of categories; drift when p < 0.05.
 * - "z": two-proportion z-test, pooled variance, p = 2 (1 - Phi(|z|)), the first
 *   category in sorted order against the rest; p = 1 when both samples hold
 *   one and the same value; drift when p < 0.05.
 * - "wasserstein": scipy.stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001),
 *   np.std with ddof = 0; drift when >= 0.1.
 * - "jensenshannon": scipy.spatial.distance.jensenshannon(ref shares, cur shares),
 *   natural log (base None), shares from drift-binning.ts without zero filling;
 *   drift when >= 0.1.
 * - "psi": sum (ref - cur) ln(ref / cur) over shares with zeros filled
 *   (drift-binning.ts); drift when >= 0.1.
 * - Default test (`_get_default_stattest`), with n_values = distinct
 *   non-missing values of ref and cur together and reference rows counted
 *   after dropping missing values:
 *     reference rows <= 1000: numeric: n_values > 5 -> ks, 3..5 -> chisquare,
 *       <= 2 -> z; categorical: n_values > 2 -> chisquare, else z;
 *     reference rows > 1000: numeric: n_values > 5 -> wasserstein, else
 *       jensenshannon; categorical: jensenshannon.
 *
 * Distributions come from stdlib (chi-square upper tail via the regularized
 * incomplete gamma function, the normal CDF); the Kolmogorov distributions,
 * which no package provides, are in drift-kolmogorov.ts.
 */

import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import {
  alignCounts,
  categoricalFrequencies,
  countSorted,
  fillZeroShares,
  numericFrequencies,
  totalCount,
  type AlignedFrequencies,
  type CategoryCounts,
} from './drift-binning';
import { ks2samp } from './drift-ks';
import { ascending, sortFloat64InPlace } from './drift-sort';

export { ks2samp, type KsResult } from './drift-ks';
export { sortFloat64 } from './drift-sort';
export type { CategoryCounts } from './drift-binning';

/**
 * The finite values of `values`, ascending, in a new array: NaN and ±Infinity
 * are dropped, as Evidently drops them before every test.
 */
export function finiteSorted(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return sortFloat64InPlace(out);
}

/** Result of a chi-square goodness-of-fit test. */
export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  /** Degrees of freedom: categories - 1. */
  df: number;
}

/**
 * Pearson's chi-square goodness-of-fit test, as scipy.stats.chisquare(f_obs,
 * f_exp): statistic sum (o - e)^2 / e, p-value from the chi-square upper tail
 * with k - 1 degrees of freedom. Without `expected`, every category expects
 * the mean count (scipy's default). An expected count of 0 with an observed
 * count above 0 gives an infinite statistic and p = 0, as in scipy. With a
 * single category the test is undefined: df = 0 and p is NaN.
 */
export function chisquare(observed: ArrayLike<number>, expected?: ArrayLike<number>): ChiSquareResult {
  if (expected && observed.length !== expected.length) throw new Error('Observed and expected counts differ in length.');
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i]!;
  const mean = total / observed.length;
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected ? expected[i]! : mean;
    const d = observed[i]! - e;
    statistic += (d * d) / e;
  }
  const df = observed.length - 1;
  // Q(df/2, x/2) is chi2.sf; computing it directly keeps small p-values exact.
  const pValue = df < 1 ? NaN : statistic === Infinity ? 0 : gammainc(statistic / 2, df / 2, true, true);
  return { statistic, pValue, df };
}

/**
 * Evidently's chi-square drift test: current counts against the counts the
 * reference proportions predict for a sample of the current size.
 */
export function chiSquareTest(reference: CategoryCounts, current: CategoryCounts): ChiSquareResult {
  const aligned = alignCounts(reference, current);
  const scale = totalCount(current) / totalCount(reference);
  return chisquare(aligned.current, aligned.reference.map((c) => c * scale));
}

/** Result of a z-test. */
export interface ZTestResult {
  /** (p_ref - p_cur) / pooled standard error. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Two-proportion z-test with pooled variance (Evidently's
 * `proportions_diff_z_stat_ind`): z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)),
 * P the pooled share, p = 2 (1 - Phi(|z|)) exactly as Evidently writes it.
 * When P is 0 or 1 (one value throughout), returns z = 0 and p = 1, which
 * is what Evidently returns for that case.
 */
export function twoProportionZTest(refSuccesses: number, refN: number, curSuccesses: number, curN: number): ZTestResult {
  if (refN <= 0 || curN <= 0) throw new Error('The z-test needs two non-empty samples.');
  const p1 = refSuccesses / refN;
  const p2 = curSuccesses / curN;
  const pooled = (p1 * refN + p2 * curN) / (refN + curN);
  const variance = pooled * (1 - pooled) * (1 / refN + 1 / curN);
  if (!(variance > 0)) return { statistic: 0, pValue: 1 };
  const statistic = (p1 - p2) / Math.sqrt(variance);
  return { statistic, pValue: 2 * (1 - normalCdf(Math.abs(statistic), 0, 1)) };
}

/**
 * Evidently's z drift test on category counts: "success" is any category but
 * the first in sorted order (the choice only flips the statistic's sign).
 */
export function zTestCounts(reference: CategoryCounts, current: CategoryCounts): ZTestResult {
  const { keys, reference: r, current: c } = alignCounts(reference, current);
  const order = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  const first = order[0] ?? 0;
  const refN = r.reduce((s, v) => s + v, 0);
  const curN = c.reduce((s, v) => s + v, 0);
  return twoProportionZTest(refN - (r[first] ?? 0), refN, curN - (c[first] ?? 0), curN);
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * First Wasserstein (earth mover's) distance between two samples, as
 * scipy.stats.wasserstein_distance(a, b): the area between their empirical
 * CDFs, summed over the gaps of the pooled sorted values in one merge pass.
 * Inputs must be NaN-free; they are sorted into copies only if needed.
 */
export function wassersteinDistance(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) throw new Error('The Wasserstein distance needs two non-empty samples.');
  const u = ascending(a);
  const v = ascending(b);
  const n1 = u.length;
  const n2 = v.length;
  // |F_u - F_v| = |i n2 - j n1| / (n1 n2) between consecutive pooled values;
  // ties need no care, as equal neighbours add a zero-width gap.
  let i = 0;
  let j = 0;
  let k = 0;
  let sum = 0;
  let prev = Math.min(u[0]!, v[0]!);
  while (i < n1 && j < n2) {
    const x = u[i]!;
    const y = v[j]!;
    if (x <= y) {
      sum += Math.abs(k) * (x - prev);
      prev = x;
      k += n2;
      i++;
    } else {
      sum += Math.abs(k) * (y - prev);
      prev = y;
      k -= n1;
      j++;
    }
  }
  for (; i < n1; i++) {
    sum += Math.abs(k) * (u[i]! - prev);
    prev = u[i]!;
    k += n2;
  }
  for (; j < n2; j++) {
    sum += Math.abs(k) * (v[j]! - prev);
    prev = v[j]!;
    k -= n1;
  }
  return sum / n1 / n2;
}

/** Population standard deviation (np.std, ddof = 0), two-pass for accuracy. */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/**
 * Evidently's normed Wasserstein distance: wasserstein_distance(ref, cur)
 * divided by the reference's standard deviation (ddof = 0), floored at 0.001
 * so that a constant reference does not divide by zero.
 */
export function wassersteinNormed(reference: Float64Array, current: Float64Array): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

/** x log(x / y), 0 when x = 0 (scipy.special.rel_entr). */
function relEntr(x: number, y: number): number {
  if (x === 0 && y >= 0) return 0;
  return x > 0 && y > 0 ? x * Math.log(x / y) : Infinity;
}

/**
 * Jensen-Shannon distance, as scipy.spatial.distance.jensenshannon(p, q, base):
 * both vectors are normalized to sum 1, then
 * sqrt((KL(p || m) + KL(q || m)) / 2) with m = (p + q) / 2, natural log unless
 * `base` is given (base 2 bounds it by 1). A rounding-level negative sum is
 * clamped to 0, where scipy would return NaN.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) throw new Error('Jensen-Shannon needs two vectors of the same length.');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    js += relEntr(a, m) + relEntr(b, m);
  }
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(js, 0) / 2);
}

/** Population stability index over two share vectors (no zero filling here). */
export function psiFromShares(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const c = current[i]!;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

function psiOf(f: AlignedFrequencies): number {
  return psiFromShares(fillZeroShares(f.reference), fillZeroShares(f.current));
}

/** Evidently's PSI for a numeric column (binning as in drift-binning.ts). */
export function psiNumeric(reference: Float64Array, current: Float64Array): number {
  return psiOf(numericFrequencies(ascending(reference), ascending(current)));
}

/** Evidently's PSI for a categorical column. */
export function psiCategorical(reference: CategoryCounts, current: CategoryCounts): number {
  return psiOf(categoricalFrequencies(reference, current));
}

/** Evidently's Jensen-Shannon drift distance for a numeric column. */
export function jensenShannonNumeric(reference: Float64Array, current: Float64Array): number {
  const f = numericFrequencies(ascending(reference), ascending(current));
  return jensenShannonDistance(f.reference, f.current);
}

/** Evidently's Jensen-Shannon drift distance for a categorical column. */
export function jensenShannonCategorical(reference: CategoryCounts, current: CategoryCounts): number {
  const f = categoricalFrequencies(reference, current);
  return jensenShannonDistance(f.reference, f.current);
}

/** Names of the drift tests, as Evidently names them. */
export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/** What a drift test reports and when it calls drift. */
export interface DriftTestInfo {
  /** Evidently's display name. */
  label: string;
  /** A p-value (small = drift) or a distance (large = drift). */
  score: 'p-value' | 'distance';
  /** Evidently's default threshold. */
  defaultThreshold: number;
  /** Evidently's comparison: drift when score <= / < / >= threshold. */
  driftWhen: '<=' | '<' | '>=';
  /**
   * Column kinds a user may pick the test for (Evidently's
   * allowed_feature_types). The default choice also applies chisquare and z
   * to numeric columns with at most 5 values, on their value counts.
   */
  kinds: readonly ('numeric' | 'categorical')[];
}

/** Evidently's tests, thresholds and comparisons (ks uses <=, the other p-value tests <). */
export const DRIFT_TESTS: Readonly<Record<DriftTestName, DriftTestInfo>> = {
  ks: pValueTest('K-S p_value', '<=', ['numeric']),
  chisquare: pValueTest('chi-square p_value', '<', ['categorical']),
  z: pValueTest('Z-test p_value', '<', ['categorical']),
  wasserstein: distanceTest('Wasserstein distance (normed)', ['numeric']),
  jensenshannon: distanceTest('Jensen-Shannon distance', ['numeric', 'categorical']),
  psi: distanceTest('PSI', ['numeric', 'categorical']),
};

function pValueTest(label: string, driftWhen: '<=' | '<', kinds: DriftTestInfo['kinds']): DriftTestInfo {
  return { label, score: 'p-value', defaultThreshold: 0.05, driftWhen, kinds };
}

function distanceTest(label: string, kinds: DriftTestInfo['kinds']): DriftTestInfo {
  return { label, score: 'distance', defaultThreshold: 0.1, driftWhen: '>=', kinds };
}

/** What `defaultDriftTest` needs to know about a column. */
export interface DriftColumnInfo {
  /** 'binary' is a categorical (or 0/1) column with at most two values. */
  kind: 'numeric' | 'categorical' | 'binary';
  /**
   * Distinct non-missing values in reference and current together; only
   * "more than 2" and "more than 5" matter, so `distinctUnionSorted(ref, cur, 6)`
   * (drift-binning.ts) is enough.
   */
  distinct: number;
  /** Non-missing reference values. */
  referenceRows: number;
}

/** Evidently's default test for a column (`_get_default_stattest`) and its threshold. */
export function defaultDriftTest(column: DriftColumnInfo): { test: DriftTestName; threshold: number } {
  const small = column.referenceRows <= 1000;
  let test: DriftTestName;
  if (column.kind === 'numeric') {
    if (column.distinct > 5) test = small ? 'ks' : 'wasserstein';
    else test = small ? (column.distinct > 2 ? 'chisquare' : 'z') : 'jensenshannon';
  } else {
    test = small ? (column.distinct > 2 ? 'chisquare' : 'z') : 'jensenshannon';
  }
  return { test, threshold: DRIFT_TESTS[test].defaultThreshold };
}

/** Whether `score` means drift for `test` at `threshold` (default: Evidently's); NaN never does. */
export function isDrifted(test: DriftTestName, score: number, threshold = DRIFT_TESTS[test].defaultThreshold): boolean {
  switch (DRIFT_TESTS[test].driftWhen) {
    case '<=':
      return score <= threshold;
    case '<':
      return score < threshold;
    case '>=':
      return score >= threshold;
  }
}

/**
 * The score of `test` on a numeric column, from NaN-free samples (sorted or
 * not). Tests on counts (chisquare, z) count the distinct values.
 */
export function numericDriftScore(test: DriftTestName, reference: Float64Array, current: Float64Array): number {
  const ref = ascending(reference);
  const cur = ascending(current);
  switch (test) {
    case 'ks':
      return ks2samp(ref, cur).pValue;
    case 'wasserstein':
      return wassersteinNormed(ref, cur);
    case 'jensenshannon':
      return jensenShannonNumeric(ref, cur);
    case 'psi':
      return psiNumeric(ref, cur);
    case 'chisquare':
      return chiSquareTest(countSorted(ref), countSorted(cur)).pValue;
    case 'z':
      return zTestCounts(countSorted(ref), countSorted(cur)).pValue;
  }
}

/** The score of `test` on a categorical column, from category counts. */
export function categoricalDriftScore(test: DriftTestName, reference: CategoryCounts, current: CategoryCounts): number {
  switch (test) {
    case 'chisquare':
      return chiSquareTest(reference, current).pValue;
    case 'z':
      return zTestCounts(reference, current).pValue;
    case 'jensenshannon':
      return jensenShannonCategorical(reference, current);
    case 'psi':
      return psiCategorical(reference, current);
    case 'ks':
    case 'wasserstein':
      throw new Error(`The ${DRIFT_TESTS[test].label} test applies to numeric columns only.`);
  }
}
