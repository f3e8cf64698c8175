/**
 * Distributions of Kolmogorov-Smirnov statistics, for the two-sample KS
 * test's asymptotic p-value (see drift-ks.ts).
 *
 * Why this is written here rather than taken from a library: no npm package
 * we could find ships the finite-n two-sided Kolmogorov distribution
 * (scipy's `kstwo`). `@stdlib/stats-kstest` has a Marsaglia-Tsang-Wang
 * routine, but only as an unexported file inside the package, it switches to
 * a rough closed-form approximation in regions where scipy stays exact, and
 * the package pulls in some forty distribution packages we do not need. So
 * this file ports scipy's own choices (scipy/stats/_ksstats.py, the
 * Simard & L'Ecuyer 2011 dispatch, and scipy.special's `smirnov` and
 * `kolmogorov` from cephes/kolmogorov.c), so that p-values agree with
 * `scipy.stats.ks_2samp`, which is what Evidently calls.
 *
 * Differences from scipy, all far below what a 0.05 threshold can see:
 * - Where scipy uses the Pomeranz recursion (n <= 140, 0.754693 < n*x^2 <= 4)
 *   we use the Durbin matrix (MTW) method; both are exact algorithms.
 * - `smirnovSf` sums the same Birnbaum-Tingey series in log space in plain
 *   doubles, where cephes uses double-double arithmetic: we agree to ~1e-9
 *   relative at n = 160,000 and more closely for smaller n.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
/** exp() of anything below this is 0 (cephes MINLOG, log(2^-1022)). */
const MIN_LOG = -708.3964185322641;
/** Scale factor for the matrix powers, as in scipy (2^128). */
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Survival function of the limiting Kolmogorov distribution,
 * P(sqrt(n) * D_n > x) as n -> infinity (scipy.special.kolmogorov).
 * Two series, switching at x = 0.82 as cephes does, each unrolled to the
 * terms that matter in double precision.
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // Below ~0.0406 the CDF underflows: the SF is 1.
  if (x <= Math.PI / Math.sqrt(746 * 8)) return 1;
  if (x <= 0.82) {
    // CDF = sqrt(2 pi)/x * sum_k exp(-(2k-1)^2 pi^2 / (8 x^2))
    const w = SQRT_2PI / x;
    const logu8 = -PI2 / (x * x);
    const u = Math.exp(logu8 / 8);
    let cdf: number;
    if (u === 0) {
      cdf = Math.exp(logu8 / 8 + Math.log(w));
    } else {
      const u8 = Math.exp(logu8);
      let p = 1 + u8 ** 3;
      p = 1 + u8 * u8 * p;
      p = 1 + u8 * p;
      cdf = w * u * p;
    }
    return clip01(1 - cdf);
  }
  // SF = 2 sum_k (-1)^(k-1) exp(-2 k^2 x^2)
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  let p = 1 - v3 * v3 * v;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  return clip01(2 * v * p);
}

/**
 * Survival function of the one-sided statistic D_n+ for a sample of n,
 * P(D_n+ >= x) (scipy.special.smirnov(n, x)), by the Birnbaum-Tingey sum
 *   x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v).
 * Every term is positive, so summing logs in doubles loses nothing to
 * cancellation.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxfl = Math.floor(nx);
  const alpha = nx - nxfl;
  // x <= 1/n: CDF = x (1 + x)^(n-1).
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxfl >= n - 1) return clip01((1 - x) ** n);
  if (n > 1_000_000) {
    // cephes' approximation for huge n: p ~ exp(-(6nx + 1)^2 / (18n)).
    return clip01(Math.exp(-((6 * nx + 1) ** 2) / 18 / n));
  }
  // Last index with 1 - x - v/n > 0, i.e. n - ceil(nx) (a zero factor ends the sum).
  const last = n - nxfl - 1;
  const eps = 2.220446049250313e-16;
  let sum = 0;
  let logC = 0; // log C(n, v), updated incrementally
  for (let v = 0; v <= last; v++) {
    const t1 = x + v / n;
    const t2 = (n - v) / n - x;
    if (t2 <= 0) break; // n*x within rounding of an integer
    const term = Math.exp(logC + (v - 1) * Math.log(t1) + (n - v) * Math.log(t2));
    sum += term;
    // Terms fall away quickly past their peak; stop once the rest cannot matter.
    if (term > 0 && 4 * (last - v) * term < eps * sum) break;
    if (term === 0 && v > n / 2) break;
    logC += Math.log((n - v) / (v + 1));
  }
  return clip01(x * sum);
}

/** log(n! / n^n) by Stirling's series, without the cancellation of n log n. */
function logFactorialOverPower(n: number): number {
  const coeffs = [
    -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176,
    0.0008417508417508417, -0.0005952380952380953, 0.0007936507936507937,
    -0.002777777777777778, 0.08333333333333333,
  ];
  const rn = 1 / n;
  const z = rn / n;
  let poly = 0;
  for (const c of coeffs) poly = poly * z + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** out = a * b for m x m row-major matrices (out must not alias a or b). */
function matmul(a: Float64Array, b: Float64Array, out: Float64Array, m: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[ri + k]!;
      if (aik === 0) continue;
      const rk = k * m;
      for (let j = 0; j < m; j++) out[ri + j]! += aik * b[rk + j]!;
    }
  }
}

/**
 * P(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang and Wang (2003)
 * compute it (scipy's `_kolmogn_DMTW`): the k-th diagonal entry of
 * (n!/n^n) H^n for an m x m matrix H, m = 2k - 1, k = ceil(n d). Exact;
 * cost O(m^3 log n), so used only where m is small.
 */
export function kolmogorovDurbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let hm = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1]!;
  }
  for (let r = 0; r < m; r++) hm[r * m] = v[r]!;
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c]!;

  let pw = new Float64Array(m * m);
  for (let i = 0; i < m; i++) pw[i * m + i] = 1;
  let tmp = new Float64Array(m * m);
  let expnt = 0;
  let hExpnt = 0;
  const diag = (k - 1) * m + (k - 1);
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2 === 1) {
      matmul(pw, hm, tmp, m);
      [pw, tmp] = [tmp, pw];
      expnt += hExpnt;
      // Not in scipy: keep the running product in range too (exact, powers of 2).
      if (Math.abs(pw[diag]!) > EP128) {
        for (let i = 0; i < pw.length; i++) pw[i]! *= EM128;
        expnt += 128;
      }
    }
    matmul(hm, hm, tmp, m);
    [hm, tmp] = [tmp, hm];
    hExpnt *= 2;
    if (Math.abs(hm[diag]!) > EP128) {
      for (let i = 0; i < hm.length; i++) hm[i]! *= EM128;
      hExpnt += 128;
    }
  }
  let p = pw[diag]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p *= 2 ** expnt;
  return clip01(p);
}

/**
 * P(D_n <= x) by the Pelz-Good (1976) asymptotic expansion to O(n^-3/2)
 * (scipy's `_kolmogn_PelzGood`), the large-n, small-x workhorse.
 */
export function kolmogorovPelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  // Horner over the odd terms c_m q^(m^2), m = 2k - 1.
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    s0 = s0 * qp + 1;
    s1 = s1 * qp + (k1a + k1b * m2);
    s2 = s2 * qp + (k2a + k2b * m2 + k2c * m4);
    s3 = s3 * qp + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const f = q * SQRT_2PI;
  s0 = (s0 * f) / z;
  s1 = (s1 * f) / (6 * z4);
  s2 = (s2 * f) / (72 * z ** 7);
  s3 = (s3 * f) / (6480 * z ** 10);
  // The sums over all integers k that K_2 and K_3 also carry.
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = SQRT3 * z;
  let e2 = 0;
  let e3 = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    const kpi = Math.PI * k;
    e2 += k2 * qk;
    e3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  s2 += (e2 * PI2 * SQRT_2PI) / (-36 * z3);
  s3 += (e3 * PI2 * SQRT_2PI) / (216 * z6);
  return s0 + s1 / Math.sqrt(n) + s2 / n + s3 / n ** 1.5;
}

/**
 * Survival function of the two-sided one-sample KS statistic D_n,
 * P(D_n > x) for a sample of n (scipy.stats.kstwo.sf(x, n)). Chooses among
 * the exact and asymptotic methods by the regions of Simard & L'Ecuyer
 * (2011), as scipy does.
 * @param n sample size, a positive integer (NaN otherwise)
 */
export function kstwoSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben-Gambino: 1/(2n) <= x <= 1/n, CDF = n!/n^n (2t - 1)^n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n); // Ruben-Gambino
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x)); // D+ and D- cannot both exceed 1/2
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip01(1 - kolmogorovDurbinCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovDurbinCdf(n, x) : kolmogorovPelzGoodCdf(n, x);
  return clip01(1 - cdf);
}
