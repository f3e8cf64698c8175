import { describe, expect, it } from 'vitest';
import {
  categoricalFrequencies,
  fillZeroShares,
  histogramSorted,
  numericFrequencies,
  sturgesEdges,
} from '../../../../src/lib/core/drift/drift-binning';
import {
  kolmogorovDurbinCdf,
  kolmogorovPelzGoodCdf,
  kolmogorovSf,
  kstwoSf,
  smirnovSf,
} from '../../../../src/lib/core/drift/drift-kolmogorov';
import { ksExactPValue, ksStatisticSorted } from '../../../../src/lib/core/drift/drift-ks';
import { sortFloat64 } from '../../../../src/lib/core/drift/drift-sort';
import {
  DRIFT_TESTS,
  categoricalDriftScore,
  chiSquareTest,
  chisquare,
  defaultDriftTest,
  finiteSorted,
  isDrifted,
  jensenShannonCategorical,
  jensenShannonDistance,
  ks2samp,
  numericDriftScore,
  populationStd,
  psiCategorical,
  twoProportionZTest,
  wassersteinDistance,
  wassersteinNormed,
  zTestCounts,
} from '../../../../src/lib/core/drift';
import { Rng, randomNormal } from '../../../../src/lib/core/common';

const f64 = (values: number[]) => Float64Array.from(values);

/** |actual - expected| <= rel * |expected| (or <= rel when expected is 0). */
function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1));
}

function normals(rng: Rng, n: number, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = randomNormal(rng) + shift;
  return out;
}

/** Counts of n draws from categories c0, c1, ... with the given probabilities. */
function drawCategories(rng: Rng, probs: number[], n: number): Map<string, number> {
  const counts = new Map(probs.map((_, i) => [`c${i}`, 0]));
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    let k = 0;
    while (k < probs.length - 1 && u >= probs[k]!) u -= probs[k++]!;
    counts.set(`c${k}`, counts.get(`c${k}`)! + 1);
  }
  return counts;
}

/**
 * Brute force: for every way to interleave n1 values of one sample among
 * n2 of the other (all C(n1 + n2, n1), equally likely under H0 without
 * ties), the KS statistic as a multiple of 1/lcm; returns how many reach each.
 */
function enumerateKs(n1: number, n2: number): { lcm: number; atLeast: (h: number) => number; total: number } {
  let g = n1;
  for (let b = n2; b !== 0; ) [g, b] = [b, g % b];
  const lcm = (n1 * n2) / g;
  const hs: number[] = [];
  const n = n1 + n2;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    if (bits !== n1) continue;
    let i = 0;
    let j = 0;
    let best = 0;
    for (let p = 0; p < n; p++) {
      if (mask & (1 << p)) i++;
      else j++;
      best = Math.max(best, Math.abs(i * (lcm / n1) - j * (lcm / n2)));
    }
    hs.push(best);
  }
  return { lcm, total: hs.length, atLeast: (h) => hs.filter((x) => x >= h).length };
}

describe('two-sample Kolmogorov-Smirnov', () => {
  it('computes the statistic by hand-checkable cases, ties included', () => {
    expect(ksStatisticSorted(f64([1, 2, 3]), f64([4, 5, 6]))).toBe(1);
    // ECDF gaps at 1, 2, 3, 4: 1/4, 3/4 - 1/3, 1 - 2/3, 0 -> 5/12.
    expectRel(ksStatisticSorted(f64([1, 2, 2, 3]), f64([2, 3, 4])), 5 / 12, 1e-15);
    expect(ksStatisticSorted(f64([0, 1]), f64([0, 1]))).toBe(0);
    // Unsorted input is sorted inside and not changed.
    const a = f64([3, 1, 2]);
    expect(ks2samp(a, f64([6, 4, 5])).statistic).toBe(1);
    expect([...a]).toEqual([3, 1, 2]);
  });

  it('gives exact p-values equal to enumerating every ordering of the pooled sample', () => {
    // All separated: only 2 of C(6,3) = 20 orderings reach D = 1.
    const separated = ks2samp(f64([1, 2, 3]), f64([4, 5, 6]));
    expect(separated.method).toBe('exact');
    expect(separated.pValue).toBeCloseTo(0.1, 15);
    for (const [n1, n2] of [
      [6, 6],
      [7, 7],
      [5, 7],
      [8, 10],
      [4, 9],
      [9, 6],
    ] as const) {
      const e = enumerateKs(n1, n2);
      for (let h = 1; h <= e.lcm; h++) {
        const count = e.atLeast(h);
        const exact = ksExactPValue(n1, n2, h / e.lcm);
        expect(exact.statistic).toBe(h / e.lcm);
        // null: rounding pushed p just past 1, which only happens where p is 1.
        if (exact.pValue === null) expect(count).toBe(e.total);
        else expect(Math.abs(exact.pValue - count / e.total)).toBeLessThan(1e-12);
      }
    }
  });

  it('switches to the asymptotic distribution above 10,000 rows, as scipy does', () => {
    const big = f64(Array.from({ length: 10_001 }, (_, i) => i));
    expect(ks2samp(big, f64([1, 2, 3])).method).toBe('asymptotic');
    expect(ks2samp(big.subarray(0, 10_000), big.subarray(0, 9_000)).method).toBe('exact');
    // Like scipy, an exact result that rounds past 1 (here 1 + 2^-52) falls back to the asymptotic one.
    expect(ks2samp(big.subarray(0, 10_000), big.subarray(1, 10_001))).toEqual({
      statistic: 1e-4,
      pValue: 1,
      method: 'asymptotic',
    });
  });

  it('matches scipy.stats.ks_2samp on deterministic samples in each regime', () => {
    // a_i = (i + 0.5)/n1, b_j = (j + 0.5)/n2 * s + o; expected values from scipy 1.17.1.
    const cases: [number, number, number, number, number, number, 'exact' | 'asymptotic'][] = [
      [300, 200, 0.9, 0.1, 0.10333333333333333, 0.1469143786743388, 'exact'],
      [25, 40, 0.5, 0.3, 0.32, 0.06774497468468825, 'exact'],
      [4000, 3000, 0.98, 0.02, 0.02025, 0.4776788488509518, 'exact'],
      [20000, 300, 0.9, 0.075, 0.0765, 0.05934471872460978, 'asymptotic'],
      [15000, 12000, 0.98, 0.02, 0.020066666666666667, 0.009188981052455981, 'asymptotic'],
      [10001, 60, 0.9, 0.1, 0.10748925107489252, 0.4603607773706605, 'asymptotic'],
    ];
    for (const [n1, n2, s, o, d, p, method] of cases) {
      const a = Float64Array.from({ length: n1 }, (_, i) => (i + 0.5) / n1);
      const b = Float64Array.from({ length: n2 }, (_, j) => ((j + 0.5) / n2) * s + o);
      const r = ks2samp(a, b);
      expect(r.method).toBe(method);
      expectRel(r.statistic, d, 1e-14);
      expectRel(r.pValue, p, 1e-9);
    }
  });

  it('rejects empty samples and NaN', () => {
    expect(() => ks2samp(f64([]), f64([1]))).toThrow(/non-empty/);
    expect(() => ks2samp(f64([1, NaN]), f64([1]))).toThrow(/NaN/);
  });
});

describe('Kolmogorov distributions', () => {
  it('gives the limiting distribution at published points', () => {
    // scipy.special.kolmogorov docs: kolmogorov([0, 0.5, 1.0]) = [1, 0.96394524, 0.26999967].
    expect(kolmogorovSf(0)).toBe(1);
    expectRel(kolmogorovSf(0.5), 0.96394524, 1e-8);
    expectRel(kolmogorovSf(1), 0.26999967, 1e-8);
    // The classic critical values of the KS tables: 1.3581 at 5%, 1.6276 at 1%.
    expect(kolmogorovSf(1.3581)).toBeCloseTo(0.05, 5);
    expect(kolmogorovSf(1.6276)).toBeCloseTo(0.01, 5);
  });

  it("reproduces Marsaglia, Tsang and Wang's worked example, P(D_10 <= 0.274)", () => {
    expectRel(kolmogorovDurbinCdf(10, 0.274), 0.6284796154565043, 1e-14);
    expectRel(kstwoSf(10, 0.274), 1 - 0.6284796154565043, 1e-13);
  });

  it('computes the one-sided Smirnov tail exactly (hand sum for n = 5)', () => {
    // x * sum_{v=0}^{2} C(5,v) (x + v/5)^(v-1) (1 - x - v/5)^(5-v) at x = 0.5:
    // 0.03125 + 0.02025 + 0.0045 = 0.056 (also scipy.special.smirnov's doc example).
    expectRel(smirnovSf(5, 0.5), 0.056, 1e-14);
    expect(smirnovSf(5, 0)).toBe(1);
    expect(smirnovSf(5, 1)).toBe(0);
  });

  it('agrees between exact and asymptotic methods where they meet', () => {
    // Pelz-Good against the exact matrix method at n = 141, n x^2 = 1.
    const x = 1 / Math.sqrt(141);
    expectRel(kolmogorovPelzGoodCdf(141, x), kolmogorovDurbinCdf(141, x), 1e-4);
    // 2 * Smirnov against the exact two-sided tail at n x^2 = 2.2 (they differ by P(D+ and D- both large)).
    const y = Math.sqrt(2.2 / 200);
    expectRel(2 * smirnovSf(200, y), 1 - kolmogorovDurbinCdf(200, y), 1e-5);
    // Large n tends to the limit.
    expectRel(kstwoSf(1_000_000, 1.2 / 1000), kolmogorovSf(1.2), 2e-3);
  });

  it('matches scipy.stats.kstwo.sf in every region of its method choice', () => {
    // [n, x, scipy 1.17.1 kstwo.sf(x, n)]
    const cases: [number, number, number][] = [
      [10, 0.6, 0.0005681672000000003], // x >= 0.5: 2 * smirnov
      [100, 0.14, 0.03582511969274945], // n <= 140, n x^2 <= 4 (scipy: Pomeranz; here Durbin)
      [100, 0.25, 5.408871776434847e-6], // n <= 140, n x^2 > 4: 2 * smirnov
      [1000, 0.03, 0.3226902143914636], // Pelz-Good
      [1000, 0.05, 0.013012074781090332], // n x^2 >= 2.2: 2 * smirnov
      [50000, 0.002, 0.9880386605338913],
      [100000, 0.0006, 0.9999999999999791], // n x^1.5 <= 1.4: Durbin
      [159898, 0.004, 0.011959054609640894],
      [2000000, 0.0012, 0.006297183259583361], // n > 1e6: Smirnov approximation
      [2000000, 0.0008, 0.15445575917381638],
      [500, 0.0015, 1], // below 1/(2n)
    ];
    for (const [n, x, sf] of cases) expectRel(kstwoSf(n, x), sf, 1e-8);
  });
});

describe('chi-square', () => {
  it('matches the scipy.stats.chisquare documentation examples', () => {
    const even = chisquare([16, 18, 16, 14, 12, 12]);
    expectRel(even.statistic, 2.0, 1e-14);
    expectRel(even.pValue, 0.84914503608460956, 1e-12);
    expect(even.df).toBe(5);
    const given = chisquare([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expectRel(given.statistic, 3.5, 1e-14);
    expectRel(given.pValue, 0.62338762774958223, 1e-12);
  });

  it('tests current counts against reference proportions, as Evidently does', () => {
    // Expected = reference counts (same totals): (40-50)^2/50 + 0 + (30-20)^2/20 = 7,
    // and with 2 degrees of freedom the tail is exactly exp(-7/2).
    const r = chiSquareTest({ a: 50, b: 30, c: 20 }, { a: 40, b: 30, c: 30 });
    expect(r.statistic).toBeCloseTo(7, 12);
    expectRel(r.pValue, Math.exp(-3.5), 1e-12);
    // Reference of 200 scaled to a current of 100 gives the same test.
    expectRel(chiSquareTest({ a: 100, b: 60, c: 40 }, { a: 40, b: 30, c: 30 }).pValue, Math.exp(-3.5), 1e-12);
    // A category the reference never had: infinite statistic, p = 0.
    expect(chiSquareTest(new Map([['a', 10], ['b', 10]]), new Map([['a', 5], ['b', 5], ['new', 1]])).pValue).toBe(0);
  });
});

describe('two-proportion z-test', () => {
  it('matches a hand computation', () => {
    // p1 = 0.30, p2 = 0.45, pooled 0.375: z = -0.15 / sqrt(0.375 * 0.625 * (1/100 + 1/100)).
    const r = twoProportionZTest(30, 100, 45, 100);
    expectRel(r.statistic, -0.15 / Math.sqrt(0.375 * 0.625 * 0.02), 1e-14);
    expectRel(r.statistic, -2.1908902300206643, 1e-14);
    expectRel(r.pValue, 0.028459736916310565, 1e-10); // 2 * scipy.stats.norm.sf(2.19089...)
  });

  it('runs on category counts, and gives p = 1 for one shared value', () => {
    const r = zTestCounts(new Map([['no', 70], ['yes', 30]]), new Map([['no', 55], ['yes', 45]]));
    expectRel(r.pValue, 0.028459736916310565, 1e-10);
    expect(zTestCounts({ x: 10 }, { x: 20 })).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('Wasserstein distance', () => {
  it('matches the scipy.stats.wasserstein_distance documentation and hand cases', () => {
    expect(wassersteinDistance(f64([0, 1, 3]), f64([5, 6, 8]))).toBeCloseTo(5, 14);
    expect(wassersteinDistance(f64([0, 1]), f64([0, 1]))).toBe(0);
    // Half the mass moves from 0 to 1: 0.5.
    expect(wassersteinDistance(f64([0, 0]), f64([0, 1]))).toBeCloseTo(0.5, 15);
  });

  it('norms by the reference standard deviation with ddof = 0, floored at 0.001', () => {
    // np.std([0, 1, 3]) = sqrt(42/27).
    expectRel(populationStd(f64([0, 1, 3])), Math.sqrt(42 / 27), 1e-15);
    expectRel(wassersteinNormed(f64([0, 1, 3]), f64([5, 6, 8])), 5 / Math.sqrt(42 / 27), 1e-14);
    expectRel(wassersteinNormed(f64([2, 2, 2]), f64([2, 2, 3])), (1 / 3) / 0.001, 1e-12);
  });
});

describe('Jensen-Shannon distance', () => {
  it('matches the scipy.spatial.distance.jensenshannon documentation', () => {
    expectRel(jensenShannonDistance([1, 0], [0, 1]), 0.8325546111576977, 1e-15); // sqrt(ln 2)
    expectRel(jensenShannonDistance([1, 0], [0, 1], 2), 1, 1e-15);
    expectRel(jensenShannonDistance([1, 0, 0], [0, 1, 0], 2), 1, 1e-15);
    expectRel(jensenShannonDistance([1, 0], [0.5, 0.5]), 0.46450140402245893, 1e-14);
    expect(jensenShannonDistance([1, 0, 0], [1, 0, 0])).toBe(0);
    // Inputs are normalized first.
    expectRel(jensenShannonDistance([2, 0], [3, 3]), 0.46450140402245893, 1e-14);
  });

  it('uses category shares over the union of categories', () => {
    // A category seen only in current is a 0 share in reference (no zero filling for JS).
    expectRel(jensenShannonCategorical({ a: 1 }, { b: 1 }), Math.sqrt(Math.LN2), 1e-15);
    expectRel(
      jensenShannonCategorical({ a: 50, b: 30, c: 20 }, { a: 40, b: 30, c: 30 }),
      jensenShannonDistance([0.5, 0.3, 0.2], [0.4, 0.3, 0.3]),
      1e-15,
    );
  });
});

describe('population stability index and binning', () => {
  it('sums (ref - cur) ln(ref / cur) over shares (hand example)', () => {
    // 0.1 ln(0.5/0.4) + 0 + (-0.1) ln(0.2/0.3) = 0.1 ln(1.875).
    expectRel(psiCategorical({ a: 50, b: 30, c: 20 }, { a: 40, b: 30, c: 30 }), 0.1 * Math.log(1.875), 1e-14);
  });

  it("fills zero shares as Evidently's feel_zeroes does", () => {
    // Smallest non-zero share 0.4 > 1e-4, so the zero becomes 1e-4.
    const expected = (0.6 - 0.5) * Math.log(0.6 / 0.5) + (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    expectRel(psiCategorical({ a: 60, b: 40 }, { a: 50, b: 40, c: 10 }), expected, 1e-13);
    // At or below 1e-4 the fill is a millionth of the smallest share.
    expect([...fillZeroShares(f64([0.99995, 0.00005, 0]))]).toEqual([0.99995, 0.00005, 0.00005 / 1e6]);
  });

  it("cuts numeric data into numpy's Sturges bins over both samples", () => {
    const a = f64(Array.from({ length: 50 }, (_, i) => i));
    const b = f64(Array.from({ length: 50 }, (_, i) => 50 + i));
    // np.histogram_bin_edges(np.arange(100.0), 'sturges'): 8 bins of 12.375 over [0, 99].
    const edges = sturgesEdges(a, b);
    expect([...edges]).toEqual([0, 12.375, 24.75, 37.125, 49.5, 61.875, 74.25, 86.625, 99]);
    expect([...histogramSorted(a, edges)]).toEqual([13, 12, 13, 12, 0, 0, 0, 0]);
    // Left edges are closed, the last bin includes 99.
    expect([...histogramSorted(b, edges)]).toEqual([0, 0, 0, 0, 12, 13, 12, 13]);
    expect(numericFrequencies(a, b).reference[0]).toBe(13 / 50);
  });

  it('counts distinct values instead when the reference has at most 20', () => {
    const f = numericFrequencies(f64([1, 1, 2, 3]), f64([2, 4]));
    expect(f.keys).toEqual([1, 2, 3, 4]);
    expect([...f.reference]).toEqual([0.5, 0.25, 0.25, 0]);
    expect([...f.current]).toEqual([0, 0.5, 0, 0.5]);
    const c = categoricalFrequencies(new Map([['x', 3], ['y', 1], ['never', 0]]), { y: 2 });
    expect(c.keys).toEqual(['x', 'y']);
  });
});

describe('sorting and missing values', () => {
  it('sorts like Float64Array.prototype.sort, special values included', () => {
    const rng = new Rng(5);
    const values = Float64Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : i % 13 === 0 ? Infinity : (rng.next() - 0.5) * Math.exp(40 * (rng.next() - 0.5)),
    );
    const ours = sortFloat64(values);
    const builtin = Float64Array.from(values).sort();
    expect(ours.every((v, i) => Object.is(v, builtin[i]))).toBe(true);
  });

  it('drops NaN and infinities before testing, as Evidently does', () => {
    expect([...finiteSorted([3, NaN, -Infinity, 1, Infinity, 2])]).toEqual([1, 2, 3]);
  });
});

describe("Evidently's default tests and thresholds", () => {
  it('chooses the test by column kind, distinct values and reference size', () => {
    const pick = (kind: 'numeric' | 'categorical' | 'binary', distinct: number, referenceRows: number) =>
      defaultDriftTest({ kind, distinct, referenceRows }).test;
    expect(pick('numeric', 6, 1000)).toBe('ks');
    expect(pick('numeric', 5, 1000)).toBe('chisquare');
    expect(pick('numeric', 2, 1000)).toBe('z');
    expect(pick('categorical', 3, 1000)).toBe('chisquare');
    expect(pick('categorical', 2, 1000)).toBe('z');
    expect(pick('binary', 2, 500)).toBe('z');
    expect(pick('numeric', 6, 1001)).toBe('wasserstein');
    expect(pick('numeric', 5, 1001)).toBe('jensenshannon');
    expect(pick('categorical', 40, 1001)).toBe('jensenshannon');
    expect(pick('binary', 2, 319_795)).toBe('jensenshannon');
    expect(defaultDriftTest({ kind: 'numeric', distinct: 100, referenceRows: 5000 }).threshold).toBe(0.1);
    expect(defaultDriftTest({ kind: 'numeric', distinct: 100, referenceRows: 50 }).threshold).toBe(0.05);
  });

  it("compares scores with Evidently's operators", () => {
    expect(isDrifted('ks', 0.05)).toBe(true); // ks: p <= threshold
    expect(isDrifted('chisquare', 0.05)).toBe(false); // chisquare and z: p < threshold
    expect(isDrifted('z', 0.049)).toBe(true);
    expect(isDrifted('wasserstein', 0.1)).toBe(true); // distances: >= threshold
    expect(isDrifted('jensenshannon', 0.099)).toBe(false);
    expect(isDrifted('psi', 0.3, 0.25)).toBe(true);
    expect(isDrifted('ks', NaN)).toBe(false);
    expect(DRIFT_TESTS.wasserstein.label).toBe('Wasserstein distance (normed)');
  });

  it('scores numeric columns with count tests on their distinct values', () => {
    expect(numericDriftScore('z', f64([0, 0, 1]), f64([0, 0, 1]))).toBe(twoProportionZTest(1, 3, 1, 3).pValue);
    expect(numericDriftScore('chisquare', f64([1, 2, 3]), f64([1, 2, 3]))).toBe(1);
    expect(() => categoricalDriftScore('ks', { a: 1 }, { a: 1 })).toThrow(/numeric/);
  });
});

describe('behaviour on simulated data', () => {
  it('flags drift in at most 10 of 100 seeds (5 expected) when both samples share a distribution', () => {
    const probs = [0.4, 0.3, 0.2, 0.1];
    let ksExact = 0;
    let ksAsymptotic = 0;
    let chi = 0;
    let z = 0;
    for (let seed = 0; seed < 100; seed++) {
      const rng = new Rng(seed);
      if (isDrifted('ks', ks2samp(normals(rng, 200), normals(rng, 200)).pValue)) ksExact++;
      if (isDrifted('ks', ks2samp(normals(rng, 12_000), normals(rng, 500)).pValue)) ksAsymptotic++;
      // Evidently's chi-square treats reference shares as known: calibrated when the reference is much larger.
      if (isDrifted('chisquare', chiSquareTest(drawCategories(rng, probs, 20_000), drawCategories(rng, probs, 200)).pValue)) chi++;
      if (isDrifted('z', zTestCounts(drawCategories(rng, [0.3, 0.7], 500), drawCategories(rng, [0.3, 0.7], 500)).pValue)) z++;
    }
    // Expected about 5 each (Binomial(100, 0.05) exceeds 10 with probability ~1%); these seeds give 2, 3, 4, 4.
    for (const flagged of [ksExact, ksAsymptotic, chi, z]) expect(flagged).toBeLessThanOrEqual(10);
  });

  it("inherits Evidently's chi-square over-flagging when reference and current are the same size", () => {
    // cur - ref has twice the variance the test assumes: about 27% false alarms at 3 degrees of freedom.
    const probs = [0.4, 0.3, 0.2, 0.1];
    let flagged = 0;
    for (let seed = 0; seed < 100; seed++) {
      const rng = new Rng(seed);
      if (chiSquareTest(drawCategories(rng, probs, 500), drawCategories(rng, probs, 500)).pValue < 0.05) flagged++;
    }
    expect(flagged).toBeGreaterThan(12);
    expect(flagged).toBeLessThan(45);
  });

  it('flags a +0.5 sd mean shift with 1,000 rows by KS and by normed Wasserstein', () => {
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Rng(1000 + seed);
      const reference = normals(rng, 1000);
      const current = normals(rng, 1000, 0.5);
      const ks = ks2samp(reference, current);
      expect(ks.method).toBe('exact');
      expect(isDrifted('ks', ks.pValue)).toBe(true);
      expect(ks.pValue).toBeLessThan(1e-10);
      const w = wassersteinNormed(reference, current);
      expect(isDrifted('wasserstein', w)).toBe(true);
      expect(w).toBeGreaterThan(0.35);
      expect(w).toBeLessThan(0.65);
    }
  });
});
