import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/lib/core/common';
import { fairnessReport, percentileInterval, type FairnessReport, type GapMetric, type GroupGap } from '../../../../src/lib/core/fairness';
import { inputOf, type Cells } from './helpers';

// Test split by hand (favourable = positive):
//   group A, 40 rows: 20 favourable labels (TP 15, FN 5), 20 not (FP 5, TN 15)
//   group B, 60 rows: 20 favourable labels (TP 10, FN 10), 40 not (FP 4, TN 36)
const AB: Cells[] = [
  { group: 'A', tp: 15, fn: 5, fp: 5, tn: 15 },
  { group: 'B', tp: 10, fn: 10, fp: 4, tn: 36 },
];
// Dataset: A 100 rows, 60 favourable (q = 0.6); B 300 rows, 90 favourable (q = 0.3).
const AB_DATA = [
  { group: 'A', rows: 100, favourable: 60 },
  { group: 'B', rows: 300, favourable: 90 },
];

const gap = (r: FairnessReport, group: string, metric: GapMetric, attribute = 0): GroupGap =>
  r.attributes[attribute]!.gaps.find((g) => g.group === group && g.metric === metric)!;

describe('fairnessReport: values by hand', () => {
  const report = fairnessReport(inputOf(AB_DATA, AB));
  const [a, b] = report.attributes[0]!.groups;

  it('counts rows and keeps the config', () => {
    expect(report.kind).toBe('fairness');
    expect(report.datasetRows).toBe(400);
    expect(report.testRows).toBe(100);
    expect(report.threshold).toBe(0.5);
    expect(report.attributes[0]!.grouping).toEqual({ column: 'Group', kind: 'categorical' });
  });

  it('pre-training CI = (na - nd) / (na + nd) and DPL = qa - qd (Clarify)', () => {
    const [preA, preB] = report.attributes[0]!.preTraining;
    // A: na = 300, nd = 100 -> 200 / 400 = 0.5; DPL = 0.3 - 0.6 = -0.3.
    expect(preA).toMatchObject({ group: 'A', size: 100, tooSmall: false });
    expect(preA!.classImbalance).toBeCloseTo(0.5, 12);
    expect(preA!.labelDifference).toBeCloseTo(-0.3, 12);
    // B: (100 - 300) / 400 = -0.5; DPL = 0.6 - 0.3 = 0.3.
    expect(preB!.classImbalance).toBeCloseTo(-0.5, 12);
    expect(preB!.labelDifference).toBeCloseTo(0.3, 12);
  });

  it('rates per group', () => {
    // A: label 20/40, selected (15 + 5)/40, recall 15/20, FPR 5/20, precision 15/20, accuracy 30/40.
    expect(a).toMatchObject({ group: 'A', size: 40, tooSmall: false, labelRate: 0.5, selectionRate: 0.5, recall: 0.75, falsePositiveRate: 0.25, precision: 0.75, accuracy: 0.75 });
    // B: label 20/60, selected 14/60, recall 10/20, FPR 4/40, precision 10/14, accuracy 46/60.
    expect(b!.labelRate).toBeCloseTo(1 / 3, 12);
    expect(b!.selectionRate).toBeCloseTo(14 / 60, 12);
    expect(b!.recall).toBe(0.5);
    expect(b!.falsePositiveRate).toBeCloseTo(0.1, 12);
    expect(b!.precision).toBeCloseTo(10 / 14, 12);
    expect(b!.accuracy).toBeCloseTo(46 / 60, 12);
  });

  it('gaps of B against the rest (A): rest minus group, ratio group / rest', () => {
    // DPPL = 0.5 - 14/60; DI = (14/60) / 0.5; RD = 0.75 - 0.5; AOD = ((0.25 - 0.1) + (0.75 - 0.5)) / 2.
    expect(gap(report, 'B', 'demographic-parity').value).toBeCloseTo(0.5 - 14 / 60, 12);
    expect(gap(report, 'B', 'disparate-impact').value).toBeCloseTo(14 / 30, 12);
    expect(gap(report, 'B', 'equal-opportunity').value).toBeCloseTo(0.25, 12);
    expect(gap(report, 'B', 'average-odds').value).toBeCloseTo(0.2, 12);
    expect(gap(report, 'B', 'demographic-parity').neutral).toBe(0);
    expect(gap(report, 'B', 'disparate-impact').neutral).toBe(1);
  });

  it('gaps of A against the rest (B) have the other sign, and DI the inverse ratio', () => {
    expect(gap(report, 'A', 'demographic-parity').value).toBeCloseTo(14 / 60 - 0.5, 12);
    expect(gap(report, 'A', 'disparate-impact').value).toBeCloseTo(30 / 14, 12);
    expect(gap(report, 'A', 'equal-opportunity').value).toBeCloseTo(-0.25, 12);
    expect(gap(report, 'A', 'average-odds').value).toBeCloseTo(-0.2, 12);
  });

  it('disparate impact under 0.8 fails the four-fifths rule', () => {
    expect(gap(report, 'B', 'disparate-impact').fourFifths).toBe(true); // 0.467
    expect(gap(report, 'A', 'disparate-impact').fourFifths).toBe(false); // 2.14
    expect(gap(report, 'A', 'demographic-parity').fourFifths).toBeUndefined();
  });

  it('flags only gaps whose interval excludes the neutral value', () => {
    for (const g of report.attributes[0]!.gaps) {
      const excludes = g.interval.low > g.neutral || g.interval.high < g.neutral;
      expect(g.flagged).toBe(excludes);
      expect(g.interval.low).toBeLessThanOrEqual(g.interval.high);
    }
    // DPPL of B is 0.267 with a standard error near 0.1: the interval clears 0.
    expect(gap(report, 'B', 'demographic-parity').flagged).toBe(true);
  });
});

describe('fairnessReport: small groups and undefined rates', () => {
  it('never flags a group under 30 rows, however large its gap', () => {
    // C: 10 rows, 5 favourable, none selected (TP 0, FN 5, FP 0, TN 5); A and B as above.
    const r = fairnessReport(inputOf([...AB_DATA, { group: 'C', rows: 20, favourable: 10 }], [...AB, { group: 'C', tp: 0, fn: 5, fp: 0, tn: 5 }]));
    const c = gap(r, 'C', 'demographic-parity');
    // Rest (A + B, 100 rows) selects 34/100; C selects 0.
    expect(c.value).toBeCloseTo(0.34, 12);
    expect(c.interval.low).toBeGreaterThan(0);
    expect(c.tooSmall).toBe(true);
    expect(c.flagged).toBe(false);
    expect(r.attributes[0]!.groups[2]).toMatchObject({ group: 'C', size: 10, tooSmall: true });
    expect(r.attributes[0]!.preTraining[2]).toMatchObject({ group: 'C', size: 20, tooSmall: true });
    expect(gap(r, 'B', 'demographic-parity').tooSmall).toBe(false);
  });

  it('gives NaN, a NaN interval and no flag when a rate is undefined', () => {
    // D: 40 rows, no favourable label at all (FP 10, TN 30): its recall is undefined.
    const r = fairnessReport(inputOf(AB_DATA, [...AB, { group: 'D', tp: 0, fn: 0, fp: 10, tn: 30 }]));
    const d = r.attributes[0]!.groups.find((g) => g.group === 'D')!;
    expect(d.recall).toBeNaN();
    expect(d.precision).toBe(0);
    expect(d.labelRate).toBe(0);
    const eo = gap(r, 'D', 'equal-opportunity');
    expect(eo.value).toBeNaN();
    expect(eo.interval.low).toBeNaN();
    expect(eo.flagged).toBe(false);
    // The group only seen in the test split has no dataset rows.
    expect(r.attributes[0]!.preTraining.find((p) => p.group === 'D')).toMatchObject({ size: 0, tooSmall: true, classImbalance: 1 });
  });

  it('reports missing attribute values as their own group', () => {
    const input = inputOf(AB_DATA, AB);
    const col = input.test.attributes[0]!;
    if (col.kind !== 'dict') throw new Error('dict expected');
    col.codes.fill(0, 0, 5); // the first five test rows (A, TP) lose their group
    const r = fairnessReport(input);
    const missing = r.attributes[0]!.groups.find((g) => g.group === '(missing)')!;
    expect(missing).toMatchObject({ size: 5, tooSmall: true, recall: 1, selectionRate: 1 });
    expect(r.attributes[0]!.groups.find((g) => g.group === 'A')!.size).toBe(35);
  });
});

describe('bootstrap intervals', () => {
  it('is reproducible: same seed same intervals, another seed other intervals', () => {
    const one = fairnessReport(inputOf(AB_DATA, AB, { seed: 11 }));
    const again = fairnessReport(inputOf(AB_DATA, AB, { seed: 11 }));
    const other = fairnessReport(inputOf(AB_DATA, AB, { seed: 12 }));
    const intervals = (r: FairnessReport) => r.attributes[0]!.gaps.map((g) => g.interval);
    expect(intervals(again)).toEqual(intervals(one));
    expect(intervals(other)).not.toEqual(intervals(one));
  });

  /** n rows in each of groups X and Y; labels and predictions favourable with the given probabilities. */
  function generated(pX: number, pY: number, n: number, seed: number): Cells[] {
    const rng = new Rng(seed);
    return (
      [
        ['X', pX],
        ['Y', pY],
      ] as const
    ).map(([group, p]) => {
      const c: Cells = { group, tp: 0, fn: 0, fp: 0, tn: 0 };
      for (let i = 0; i < n; i++) {
        const label = rng.next() < 0.5;
        const pred = rng.next() < p;
        if (label && pred) c.tp++;
        else if (label) c.fn++;
        else if (pred) c.fp++;
        else c.tn++;
      }
      return c;
    });
  }

  it('excludes 0 on a strongly biased table, with the width of the normal approximation', () => {
    // 1,000 rows per group; X selected with p 0.7, Y with 0.4.
    const cells = generated(0.7, 0.4, 1000, 3);
    const r = fairnessReport(inputOf([{ group: 'X', rows: 50, favourable: 25 }, { group: 'Y', rows: 50, favourable: 25 }], cells, { resamples: 1000 }));
    const y = gap(r, 'Y', 'demographic-parity');
    expect(y.value).toBeGreaterThan(0.2);
    expect(y.interval.low).toBeGreaterThan(0);
    expect(y.flagged).toBe(true);
    // Normal approximation: 2 * 1.96 * sqrt(pX (1 - pX) / nX + pY (1 - pY) / nY), from the observed rates.
    const g = r.attributes[0]!.groups;
    const se = Math.sqrt(g.reduce((s, x) => s + (x.selectionRate * (1 - x.selectionRate)) / x.size, 0));
    const width = y.interval.high - y.interval.low;
    expect(width / (2 * 1.96 * se)).toBeGreaterThan(0.85);
    expect(width / (2 * 1.96 * se)).toBeLessThan(1.15);
    expect(gap(r, 'Y', 'disparate-impact').flagged).toBe(true);
  });

  it('includes 0 on an unbiased table', () => {
    const cells = generated(0.5, 0.5, 1000, 4);
    const r = fairnessReport(inputOf([{ group: 'X', rows: 50, favourable: 25 }, { group: 'Y', rows: 50, favourable: 25 }], cells, { resamples: 1000 }));
    for (const metric of ['demographic-parity', 'equal-opportunity', 'average-odds'] as const) {
      const y = gap(r, 'Y', metric);
      expect(y.interval.low).toBeLessThan(0);
      expect(y.interval.high).toBeGreaterThan(0);
      expect(y.flagged).toBe(false);
    }
    const di = gap(r, 'Y', 'disparate-impact');
    expect(di.interval.low).toBeLessThan(1);
    expect(di.interval.high).toBeGreaterThan(1);
  });

  it('gives NaN intervals and no flags with 0 resamples', () => {
    const r = fairnessReport(inputOf(AB_DATA, AB, { resamples: 0 }));
    expect(r.attributes[0]!.gaps.every((g) => Number.isNaN(g.interval.low) && !g.flagged)).toBe(true);
  });

  it('percentile interval ignores NaN (numpy linear percentiles)', () => {
    // 0..100 plus NaNs: np.percentile(range(101), [2.5, 97.5]) = [2.5, 97.5].
    const values = Float64Array.from([...Array.from({ length: 101 }, (_, i) => 100 - i), NaN, NaN]);
    expect(percentileInterval(values)).toEqual({ low: 2.5, high: 97.5 });
    expect(percentileInterval(Float64Array.from([NaN]))).toEqual({ low: NaN, high: NaN });
  });
});

describe('several attributes', () => {
  it('draws the same resamples for every attribute (a binned one alongside gives the same intervals)', () => {
    const single = fairnessReport(inputOf(AB_DATA, AB));
    const both = inputOf(AB_DATA, AB, { attributes: ['Group', 'Age'] });
    const age = (n: number) => ({ kind: 'num' as const, values: Float64Array.from({ length: n }, (_, i) => 20 + (i % 50)) });
    both.dataset.attributes.push(age(400));
    both.test.attributes.push(age(100));
    const r = fairnessReport(both);
    expect(r.attributes[0]!.gaps).toEqual(single.attributes[0]!.gaps);
    // Age 20..69 over 400 rows, 4 quantile bins: edges 20, 32, 44.5, 57, 69 (numpy linear).
    expect(r.attributes[1]!.grouping).toEqual({ column: 'Age', kind: 'binned', edges: [20, 32, 44.5, 57, 69] });
    expect(r.attributes[1]!.groups.map((g) => g.group)).toEqual(['[20, 32)', '[32, 44.5)', '[44.5, 57)', '[57, 69]']);
    // Test rows i = 0..99 have ages 20..69, 20..69: 12 ages per bin below 32, so 24 rows.
    expect(r.attributes[1]!.groups.map((g) => g.size)).toEqual([24, 26, 24, 26]);
  });
});

describe('fairnessReport input checks', () => {
  it('rejects columns that do not line up with the rows', () => {
    const input = inputOf(AB_DATA, AB);
    input.test.predicted = Array.from(input.test.predicted).slice(1);
    expect(() => fairnessReport(input)).toThrow(/labels but/);
    const noColumn = inputOf(AB_DATA, AB);
    noColumn.test.attributes = [];
    expect(() => fairnessReport(noColumn)).toThrow(/one column per sensitive attribute/);
  });
});
