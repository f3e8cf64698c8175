import { describe, expect, it } from 'vitest';
import { histogram, meanStd, profileColumn, profileDataset, quantileSorted } from '../../../../src/lib/core/csv/profile';
import type { ColumnData } from '../../../../src/lib/core/common';

const num = (values: number[]): ColumnData => ({ kind: 'num', values: new Float64Array(values) });

function dict(values: (string | null)[]): ColumnData {
  const dictionary: string[] = [];
  const codes = values.map((v) => {
    if (v === null) return 0;
    let k = dictionary.indexOf(v);
    if (k < 0) k = dictionary.push(v) - 1;
    return k + 1;
  });
  return { kind: 'dict', codes: new Uint32Array(codes), dict: dictionary };
}

describe('numeric profile', () => {
  it('matches hand-computed stats for [1, 2, 3, 4, 10] plus a missing value', () => {
    const p = profileColumn('x', 'numeric', num([10, 1, NaN, 3, 2, 4]), 6);
    expect(p.count).toBe(5);
    expect(p.missing).toBe(1);
    expect(p.missingPct).toBeCloseTo(100 / 6, 12);
    expect(p.unique).toBe(5);
    const s = p.numeric!;
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.mean).toBe(4);
    // Deviations -3 -2 -1 0 6: squares sum to 50; 50 / (5 - 1) = 12.5.
    expect(s.std).toBe(Math.sqrt(12.5));
    // Linear interpolation at (n - 1) p = 0.2, 1, 2, 3, 3.8: 1.2, 2, 3, 4 and 4 + 0.8 * 6 = 8.8,
    // which numpy (and so pandas) computes from the upper end as 10 - 6 * 0.2, one ulp below 8.8:
    // numpy.quantile([1, 2, 3, 4, 10], 0.95) == 8.799999999999999.
    expect(s.quantiles.map((q) => q.p)).toEqual([0.05, 0.25, 0.5, 0.75, 0.95]);
    expect(s.quantiles.map((q) => q.value)).toEqual([1.2, 2, 3, 4, 8.799999999999999]);
    // 5 distinct values: 5 bins of width 1.8 from 1 to 10.
    expect(s.histogram.counts).toEqual([2, 2, 0, 0, 1]);
    expect(s.histogram.edges).toHaveLength(6);
    expect(s.histogram.edges[0]).toBe(1);
    expect(s.histogram.edges[1]).toBeCloseTo(2.8, 12);
    expect(s.histogram.edges[5]).toBe(10);
  });

  it('gives integers one bin per value when they span at most 30', () => {
    const p = profileColumn('k', 'integer', num([1, 2, 3, 4, 10]), 5);
    expect(p.numeric!.histogram.counts).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect(p.numeric!.histogram.edges).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
    // Days 0..30 (PhysicalHealth-like): 31 bins, one per day.
    const days = profileColumn('d', 'integer', num([0, 30, 15, 15]), 4).numeric!.histogram;
    expect(days.counts).toHaveLength(31);
    expect(days.counts[15]).toBe(2);
    // A wide integer range falls back to at most 30 equal-width bins.
    const wide = profileColumn('w', 'integer', num(Array.from({ length: 100 }, (_, i) => i * 7)), 100).numeric!.histogram;
    expect(wide.counts).toHaveLength(30);
    expect(wide.counts.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('matches numpy for quantiles of an even-length sample', () => {
    // numpy.quantile([1, 2, 3, 4], [0.05, 0.25, 0.5, 0.75, 0.95]).tolist() printed by numpy itself
    // (3.85 comes out one ulp low, as 4 - 1 * 0.15000000000000002).
    const sorted = [1, 2, 3, 4];
    expect([0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantileSorted(sorted, p))).toEqual([
      1.15, 1.75, 2.5, 3.25, 3.8499999999999996,
    ]);
    expect(quantileSorted([7], 0.5)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('keeps mean and std accurate with a large offset', () => {
    const { mean, std } = meanStd(new Float64Array([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]));
    expect(mean).toBe(1e9 + 10);
    expect(std).toBe(Math.sqrt(30)); // deviations -6 -3 3 6: 90 / 3
    expect(meanStd(new Float64Array([5])).std).toBeNaN(); // like pandas
  });

  it('handles a constant column and one with no values', () => {
    const c = profileColumn('c', 'numeric', num([2.5, 2.5]), 2).numeric!;
    expect(c.std).toBe(0);
    expect(c.histogram).toEqual({ edges: [2, 3], counts: [2] });
    const none = profileColumn('n', 'numeric', num([NaN, NaN]), 2);
    expect(none).toMatchObject({ count: 0, missing: 2, missingPct: 100, unique: 0, top: [], otherCount: 0 });
    expect(none.numeric).toBeUndefined();
    expect(histogram(new Float64Array(0), 0, false)).toEqual({ edges: [], counts: [] });
  });

  it('profiles strings read as numbers when the type is numeric', () => {
    const p = profileColumn('s', 'integer', dict(['1', '2', 'x', null]), 4);
    expect(p.count).toBe(2); // 'x' does not parse: missing as a number
    expect(p.numeric!.mean).toBe(1.5);
  });
});

describe('top values', () => {
  it('orders by count, then value ascending, with the rest in otherCount', () => {
    const p = profileColumn('c', 'categorical', dict(['b', 'a', 'b', 'c', 'a', 'd', null]), 7);
    expect(p.top).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
      { value: 'd', count: 1 },
    ]);
    expect(p).toMatchObject({ count: 6, missing: 1, unique: 4, otherCount: 0 });
    expect(p.numeric).toBeUndefined();
  });

  it('keeps the 20 most frequent of many values', () => {
    // Value vK appears K times for K = 1..30: top is v30..v11, the rest 1+2+...+10 = 55.
    const values: string[] = [];
    for (let k = 1; k <= 30; k++) for (let j = 0; j < k; j++) values.push(`v${k}`);
    const p = profileColumn('c', 'categorical', dict(values), values.length);
    expect(p.top).toHaveLength(20);
    expect(p.top[0]).toEqual({ value: 'v30', count: 30 });
    expect(p.top[19]).toEqual({ value: 'v11', count: 11 });
    expect(p.otherCount).toBe(55);
    expect(p.unique).toBe(30);
  });

  it('formats numbers with String() and breaks ties numerically', () => {
    const p = profileColumn('n', 'numeric', num([10, 9, 9, 10, 0.5]), 5);
    expect(p.top).toEqual([
      { value: '9', count: 2 },
      { value: '10', count: 2 },
      { value: '0.5', count: 1 },
    ]);
  });
});

describe('datetime and dataset profiles', () => {
  it('reports datetime min and max as ISO strings', () => {
    const p = profileColumn('t', 'datetime', dict(['2021-05-01', '2020-01-02T03:04:05Z', null, '2021-05-01']), 4);
    expect(p.datetime).toEqual({ min: '2020-01-02T03:04:05.000Z', max: '2021-05-01T00:00:00.000Z' });
    expect(p.unique).toBe(2);
  });

  it('profiles columns by position', () => {
    const d = profileDataset(['a', 'a'], ['integer', 'categorical'], [num([1, 2]), dict(['x', 'y'])], 2);
    expect(d.rows).toBe(2);
    expect(d.columns).toBe(2);
    expect(d.columnProfiles.map((c) => c.type)).toEqual(['integer', 'categorical']);
  });
});
