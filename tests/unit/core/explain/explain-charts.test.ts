import { describe, expect, it } from 'vitest';
import {
  fairnessFigure,
  importanceBars,
  importanceFigure,
  importanceMetricLabel,
  largestFlaggedGaps,
  partialDependenceFigure,
  topFeatures,
} from '../../../../src/lib/core/explain/explain-charts';
import { fairnessChartData } from '../../../../src/lib/core/fairness';
import type { ImportanceReport } from '../../../../src/lib/core/explain';
import { FAIRNESS, IMPORTANCE } from '../models/analysis-fixtures';

/** The same features out of order, one with an undefined mean. */
const SHUFFLED: ImportanceReport = {
  ...IMPORTANCE,
  features: [
    { feature: 'noise', mean: -0.001, std: NaN, drops: [] },
    { feature: 'x1', mean: 0.2, std: 0.01, drops: [] },
    { feature: 'broken', mean: NaN, std: NaN, drops: [] },
    { feature: 'x2', mean: 0.3, std: 0.03, drops: [] },
    { feature: '<b>g</b>', mean: 0.05, std: 0.02, drops: [] },
  ],
};

describe('importance chart', () => {
  it('sorts by mean drop, largest first, an undefined one last, and caps the bars', () => {
    expect(importanceBars(SHUFFLED)).toEqual({
      features: ['x2', 'x1', '<b>g</b>', 'noise', 'broken'],
      mean: [0.3, 0.2, 0.05, -0.001, NaN],
      std: [0.03, 0.01, 0.02, 0, 0],
    });
    expect(importanceBars(SHUFFLED, 2).features).toEqual(['x2', 'x1']);
  });

  it('draws horizontal bars with the largest on top, ± std error bars, and escaped names', () => {
    const fig = importanceFigure(SHUFFLED, 3);
    const trace = fig.data[0]!;
    expect(trace.orientation).toBe('h');
    // Plotly puts the first category at the bottom: reversed, x2 is on top.
    expect(trace.y).toEqual(['&lt;b&gt;g&lt;/b&gt;', 'x1', 'x2']);
    expect(trace.x).toEqual([0.05, 0.2, 0.3]);
    expect((trace.error_x as { array: number[] }).array).toEqual([0.02, 0.01, 0.03]);
    expect(JSON.stringify(fig.layout)).toContain('ROC AUC');
    expect(JSON.stringify(fig.layout)).toContain('5 repeats');
  });

  it('names the metric as the app does', () => {
    expect(importanceMetricLabel('auc')).toBe('ROC AUC');
    expect(importanceMetricLabel('rmse')).toBe('RMSE');
    expect(importanceMetricLabel('f1')).toBe('f1');
  });
});

describe('partial dependence chart', () => {
  it('is a line over a numeric grid and bars over categories', () => {
    const line = partialDependenceFigure(IMPORTANCE.partialDependence[0]!);
    expect(line.data[0]).toMatchObject({ type: 'scatter', x: [-1, 0, 1], y: [0.2, 0.5, 0.8] });
    expect(JSON.stringify(line.layout)).toContain('P(label = Yes)');
    const bars = partialDependenceFigure({ ...IMPORTANCE.partialDependence[1]!, grid: ['red', '<i>x</i>'] });
    expect(bars.data[0]).toMatchObject({ type: 'bar', x: ['red', '&lt;i&gt;x&lt;/i&gt;'], y: [0.6, 0.4] });
  });
});

describe('fairness chart', () => {
  it('has a bar per group with asymmetric interval bars, flagged bars marked in colour and text, and the neutral line', () => {
    // B's disparate impact 0.1 / 0.55 = 0.1818… in [0.08, 0.30]: +0.1182, −0.1018. A's 5.5 in [0.95, 14]: +8.5, −4.55.
    const fig = fairnessFigure(fairnessChartData(FAIRNESS, 'group', 'disparate-impact'));
    const trace = fig.data[0]!;
    expect(trace.x).toEqual(['A', 'B']);
    expect(trace.y).toEqual([5.5, 0.1 / 0.55]);
    const err = trace.error_y as { array: number[]; arrayminus: number[]; symmetric: boolean };
    expect(err.symmetric).toBe(false);
    expect(err.array[0]).toBeCloseTo(8.5, 12);
    expect(err.arrayminus[0]).toBeCloseTo(4.55, 12);
    expect(err.array[1]).toBeCloseTo(0.3 - 0.1 / 0.55, 12);
    expect(err.arrayminus[1]).toBeCloseTo(0.1 / 0.55 - 0.08, 12);
    expect(trace.text).toEqual(['', 'gap']);
    const colours = (trace.marker as { color: string[] }).color;
    expect(colours[0]).not.toBe(colours[1]);
    const shapes = (fig.layout.shapes as { y0: number; y1: number }[])[0]!;
    expect([shapes.y0, shapes.y1]).toEqual([1, 1]);
  });

  it('labels a too-small group so, never "gap"', () => {
    const fig = fairnessFigure(fairnessChartData(FAIRNESS, 'age', 'demographic-parity'));
    expect(fig.data[0]!.x).toEqual(['[40, 90]']);
    expect(fig.data[0]!.text).toEqual(['too small']);
  });
});

describe('compare view summaries', () => {
  it('gives the largest flagged gap per attribute: disparate impact’s log distance beats the differences', () => {
    // group: B's DI |ln(0.1818)| = 1.70 > DP 0.45 > EO 0.4 > AO 0.3; A's DI is not flagged.
    const [group, age] = largestFlaggedGaps(FAIRNESS);
    expect(group!.attribute).toBe('group');
    expect(group!.gap?.group).toBe('B');
    expect(group!.gap?.metric).toBe('disparate-impact');
    expect(group!.text).toBe('B: disparate impact ratio 0.182 [0.080, 0.300]');
    // age: its only group is too small, so nothing is flagged.
    expect(age).toEqual({ attribute: 'age', gap: null, text: 'no gap flagged' });
  });

  it('compares differences by their distance from 0 when no ratio is flagged', () => {
    const onlyDiffs = { attributes: [{ ...FAIRNESS.attributes[0]!, gaps: FAIRNESS.attributes[0]!.gaps.filter((g) => g.metric !== 'disparate-impact') }] };
    // A's DP −0.45 and B's DP 0.45 tie at 0.45: the first in report order (A) stays.
    expect(largestFlaggedGaps(onlyDiffs)[0]!.text).toBe('A: demographic parity difference -0.450 [-0.560, -0.330]');
  });

  it('lists the top 3 features with their mean drop', () => {
    expect(topFeatures(SHUFFLED).map((t) => t.text)).toEqual(['x2 0.3000', 'x1 0.2000', '<b>g</b> 0.0500']);
  });
});
