import { describe, expect, it } from 'vitest';
import { formatMetric } from '../../../../src/lib/core/common';
import { confusionTable, lineChartModel, metricLabel, niceTicks, prSeries, residualFigure, rocSeries, seriesSummary, trainingCurves, type Series } from '../../../../src/lib/core/charts';
import { classificationMetrics, regressionMetrics } from '../../../../src/lib/core/metrics';
import type { EpochRecord } from '../../../../src/lib/core/training';

type Trace = Record<string, unknown>;

/** sklearn's documented example: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75, AP = 0.8333. */
function binaryMetrics(classes = ['no', 'yes']) {
  const p1 = [0.1, 0.4, 0.35, 0.8];
  return classificationMetrics(Uint32Array.from([0, 0, 1, 1]), Float64Array.from(p1.flatMap((p) => [1 - p, p])), classes);
}

describe('rocSeries', () => {
  it('names the class line with its AUC, keeps sklearn\'s points, and adds the dashed chance diagonal', () => {
    const [line, chance, ...rest] = rocSeries(binaryMetrics().curves);
    expect(rest).toEqual([]);
    expect(line!.name).toBe('yes (AUC 0.750)');
    // sklearn's roc_curve of the same example: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1].
    expect(line!.points).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(line!.dashed).toBe(false);
    expect(chance).toMatchObject({ name: 'chance', points: [[0, 0], [1, 1]], dashed: true });
  });

  it('keeps class labels as typed (SVG text is escaped by Svelte, not by us)', () => {
    expect(rocSeries(binaryMetrics(['a', '<b>bold</b>']).curves)[0]!.name).toBe('<b>bold</b> (AUC 0.750)');
  });

  it('draws one line per multiclass curve and skips a class with no test row', () => {
    // Class "c" never appears in yTrue: no curve, so only a and b plus the diagonal.
    const m = classificationMetrics(
      Uint32Array.from([0, 1, 0, 1]),
      Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.5, 0.3, 0.2, 0.2, 0.7, 0.1]),
      ['a', 'b', 'c'],
    );
    const series = rocSeries(m.curves);
    expect(series.map((t) => t.name)).toEqual(['a (AUC 1.000)', 'b (AUC 1.000)', 'chance']);
    expect(series[0]!.color).not.toBe(series[1]!.color);
  });
});

describe('prSeries', () => {
  it('names the curve with its AP, draws steps and the positive-rate baseline for a binary task', () => {
    const [line, base] = prSeries(binaryMetrics().curves);
    expect(line!.name).toBe('yes (AP 0.833)');
    // sklearn's precision_recall_curve of the same example: recall [1, 1, .5, .5, 0],
    // precision [.5, 2/3, .5, 1, 1]; each precision holds until the next recall (steps).
    expect(line!.points).toEqual([
      [1, 0.5],
      [1, 0.5],
      [1, 2 / 3],
      [0.5, 2 / 3],
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(base).toMatchObject({ name: 'positive rate 0.500', points: [[0, 0.5], [1, 0.5]], dashed: true });
  });

  it('uses the positive rate of an imbalanced split', () => {
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    const p = [0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.6, 0.3, 0.9, 0.5];
    const m = classificationMetrics(Uint32Array.from(y), Float64Array.from(p.flatMap((v) => [1 - v, v])), ['neg', 'pos']);
    expect(prSeries(m.curves)[1]).toMatchObject({ name: 'positive rate 0.200', points: [[0, 0.2], [1, 0.2]] });
  });

  it('has no baseline for one-vs-rest curves', () => {
    const m = classificationMetrics(
      Uint32Array.from([0, 1, 2]),
      Float64Array.from([0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8]),
      ['a', 'b', 'c'],
    );
    expect(prSeries(m.curves)).toHaveLength(3);
  });
});

describe('confusionTable', () => {
  const rows = confusionTable(
    [
      [90, 10],
      [3, 1],
    ],
    ['ok', 'fraud'],
  );

  it('shades by row share so the rare class shows, and writes "count (row %)"', () => {
    expect(rows.map((r) => r.label)).toEqual(['ok', 'fraud']);
    expect(rows.map((r) => r.total)).toEqual([100, 4]);
    expect(rows.map((r) => r.cells.map((c) => c.share))).toEqual([
      [0.9, 0.1],
      [0.75, 0.25],
    ]);
    expect(rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['90 (90.0%)', '10 (10.0%)'],
      ['3 (75.0%)', '1 (25.0%)'],
    ]);
  });

  it('leaves a class with no test row at share 0 instead of NaN', () => {
    const empty = confusionTable(
      [
        [2, 0],
        [0, 0],
      ],
      ['a', 'b'],
    );
    expect(empty[1]!.cells.map((c) => [c.share, c.text])).toEqual([
      [0, '0 (—)'],
      [0, '0 (—)'],
    ]);
  });
});

describe('residualFigure', () => {
  it('plots predicted against residual with a zero line', () => {
    const m = regressionMetrics([1, 2, 3], [1.5, 2, 2]);
    const fig = residualFigure(m.residuals);
    const t = fig.data[0] as Trace;
    expect(t.x).toEqual([1.5, 2, 2]);
    expect(t.y).toEqual([-0.5, 0, 1]);
    const shapes = fig.layout.shapes as { y0: number; y1: number }[];
    expect(shapes[0]).toMatchObject({ y0: 0, y1: 0 });
    expect((fig.layout.title as { text: string }).text).not.toContain('sample');
  });

  it('says so in the title when the points are a sample', () => {
    const y = Array.from({ length: 50 }, (_, i) => i);
    const m = regressionMetrics(y, y.map((v) => v + 1), { maxResidualPoints: 10 });
    const title = (residualFigure(m.residuals).layout.title as { text: string }).text;
    expect(title).toContain('a sample of 10 rows');
  });
});

describe('trainingCurves', () => {
  const rec = (epoch: number, loss: number, valLoss: number | null, metric: number, valMetric: number | null): EpochRecord => ({
    epoch,
    loss,
    valLoss,
    metric,
    valMetric,
    ms: 10,
  });

  it('gives train (solid) and validation (dashed) series, skipping epochs without validation', () => {
    const c = trainingCurves(
      [rec(1, 0.7, null, 0.6, null), rec(2, 0.5, 0.55, 0.7, 0.68), rec(3, 0.4, 0.45, 0.8, 0.75)],
      'auc',
    );
    expect(c.loss.map((s) => [s.name, s.dashed])).toEqual([
      ['train loss', false],
      ['validation loss', true],
    ]);
    expect(c.loss[0]!.points).toEqual([
      [1, 0.7],
      [2, 0.5],
      [3, 0.4],
    ]);
    expect(c.loss[1]!.points).toEqual([
      [2, 0.55],
      [3, 0.45],
    ]);
    expect(c.metric.map((s) => s.name)).toEqual(['train AUC', 'validation AUC']);
    expect(c.metric[1]!.points).toEqual([
      [2, 0.68],
      [3, 0.75],
    ]);
    expect(c.loss[0]!.color).not.toBe(c.loss[1]!.color);
  });

  it('names the metric and skips non-finite values; no validation series without a validation split', () => {
    const c = trainingCurves([rec(1, NaN, null, 3.2, null), rec(2, 1.2, null, Infinity, null)], 'rmse');
    expect(c.loss).toHaveLength(1);
    expect(c.loss[0]!.points).toEqual([[2, 1.2]]);
    expect(c.metric.map((s) => s.name)).toEqual(['train RMSE']);
    expect(c.metric[0]!.points).toEqual([[1, 3.2]]);
    expect(trainingCurves([], 'accuracy').metric[0]!.name).toBe('train accuracy');
  });
});

describe('labels and formatting', () => {
  it('metricLabel', () => {
    expect(metricLabel('auc')).toBe('ROC AUC');
    expect(metricLabel('accuracy')).toBe('Accuracy');
    expect(metricLabel('rmse')).toBe('RMSE');
  });

  it('formatMetric', () => {
    expect(formatMetric(0.87345)).toBe('0.8735');
    expect(formatMetric(0.5, 3)).toBe('0.500');
    expect(formatMetric(12345.678, 2)).toBe('12,345.68');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatMetric(NaN)).toBe('—');
    expect(formatMetric(0)).toBe('0.0000');
    expect(formatMetric(3e-7)).toBe('3.000e-7');
  });
});

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0.31, 0.72, 5)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(120, 980, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('widens an empty range and rejects non-finite input', () => {
    expect(niceTicks(0, 0, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    const t = niceTicks(2, 2, 5);
    expect(t[0]).toBeLessThan(2);
    expect(t[t.length - 1]).toBeGreaterThan(2);
    expect(niceTicks(NaN, 1, 5)).toEqual([]);
  });

  it('has no float noise', () => {
    for (const v of niceTicks(0.1, 0.35, 5)) expect(String(v).length).toBeLessThanOrEqual(4);
  });
});

describe('lineChartModel and seriesSummary', () => {
  it('spans [0, 1] on both axes with 0.2 ticks for rate curves, whatever the data', () => {
    const m = lineChartModel([{ name: 'roc', points: [[0, 0], [0.3, 0.9], [1, 1]], dashed: false, color: '#000' }], 400, 200, true);
    expect(m.xTicks.map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(m.yTicks.map((t) => t.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(m.xTicks[0]!.pos).toBe(m.plot.left);
    expect(m.xTicks.at(-1)!.pos).toBe(m.plot.right);
  });

  const series: Series[] = [
    { name: 'train loss', points: [[1, 0.7], [2, 0.5], [7, 0.31]], dashed: false, color: '#000' },
    { name: 'validation loss', points: [[1, 0.72], [7, 0.35]], dashed: true, color: '#f00' },
  ];

  it('maps data to the plot area with integer epoch ticks', () => {
    const m = lineChartModel(series, 400, 200);
    expect(m.empty).toBe(false);
    expect(m.xTicks.every((t) => Number.isInteger(t.value))).toBe(true);
    expect(m.xTicks[0]!.pos).toBeGreaterThanOrEqual(m.plot.left);
    expect(m.yTicks[0]!.value).toBeLessThanOrEqual(0.31);
    expect(m.yTicks[m.yTicks.length - 1]!.value).toBeGreaterThanOrEqual(0.72);
    // Epoch 7 is the last x: the right edge.
    expect(m.lines[0]!.last!.x).toBeCloseTo(m.plot.right, 0);
    expect(m.lines[0]!.path.split(' ')).toHaveLength(3);
  });

  it('handles no points and a single point', () => {
    expect(lineChartModel([{ ...series[0]!, points: [] }], 400, 200).empty).toBe(true);
    const one = lineChartModel([{ ...series[0]!, points: [[1, 0.5]] }], 400, 200);
    expect(one.empty).toBe(false);
    expect(one.lines[0]!.last).not.toBeNull();
    expect(Number.isFinite(one.lines[0]!.last!.y)).toBe(true);
  });

  it('summarises the last values', () => {
    expect(seriesSummary(series)).toBe('train loss 0.31, validation loss 0.35 at epoch 7');
    expect(seriesSummary([])).toBe('No values yet');
  });
});
