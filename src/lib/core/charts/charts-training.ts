/**
 * Charts of a training run, as plain data: series for the SVG line charts
 * (live loss / metric curves, ROC and precision-recall curves), the confusion
 * matrix as table rows, and one Plotly figure (the residual scatter). The
 * evaluation is drawn without Plotly so that seeing a run's results never
 * pays Plotly's ~1 s first load on the main thread. Pure: tested in Node.
 */
import type { Figure } from './charts';
import { formatMetric } from '../common';
import type { ClassCurves, ResidualSummary } from '../metrics';
import type { EpochRecord, MainMetric } from '../training';

/** One line of a {@link LineChartModel}: `[x, y]` points in drawing order. */
export interface Series {
  name: string;
  points: [number, number][];
  dashed: boolean;
  color: string;
}

// Same look as the dataset charts in charts.ts.
const BASE_LAYOUT = {
  margin: { l: 55, r: 10, t: 30, b: 50 },
  height: 320,
  font: { size: 11 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
};

/** Class colours, in class order; repeats after ten classes. */
export const CLASS_COLORS = [
  '#1f5fa8',
  '#c0392b',
  '#2e8b57',
  '#8e44ad',
  '#d35400',
  '#16a085',
  '#b8860b',
  '#2c3e50',
  '#d63384',
  '#7f8c8d',
] as const;

const TRAIN_COLOR = '#1f5fa8';
const VALIDATION_COLOR = '#c0392b';
const GUIDE_LINE = { color: '#8a8f98', width: 1, dash: 'dash' };

function classColor(i: number): string {
  return CLASS_COLORS[i % CLASS_COLORS.length]!;
}

/** "Accuracy", "ROC AUC", "RMSE": the main metric as a person reads it. */
export function metricLabel(metric: MainMetric): string {
  switch (metric) {
    case 'auc':
      return 'ROC AUC';
    case 'accuracy':
      return 'Accuracy';
    case 'rmse':
      return 'RMSE';
  }
}

/** The metric's short name inside a series name: "train AUC", "validation accuracy". */
function metricShortName(metric: MainMetric): string {
  switch (metric) {
    case 'auc':
      return 'AUC';
    case 'accuracy':
      return 'accuracy';
    case 'rmse':
      return 'RMSE';
  }
}

const tickFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

const GUIDE_COLOR = '#8a8f98';

/**
 * One ROC line per class that has a curve, named "label (AUC 0.873)", plus the
 * dashed chance diagonal. Classes without a curve (absent from the test split,
 * or every row of it) are left out; their reason is in the evaluation's notes.
 * Drawn as SVG by LineChart: Plotly's first load blocks the page for ~1 s.
 */
export function rocSeries(curves: ClassCurves[]): Series[] {
  const out: Series[] = [];
  curves.forEach((c, i) => {
    if (!c.roc) return;
    out.push({
      name: `${c.label} (AUC ${formatMetric(c.rocAuc, 3)})`,
      points: c.roc.fpr.map((x, k) => [x, c.roc!.tpr[k]!] as [number, number]),
      dashed: false,
      color: classColor(curves.length === 1 ? 0 : i),
    });
  });
  out.push({ name: 'chance', points: [[0, 0], [1, 1]], dashed: true, color: GUIDE_COLOR });
  return out;
}

/**
 * Precision against recall per class that has a curve, named "label (AP 0.410)",
 * drawn as steps (as sklearn's PrecisionRecallDisplay: each precision holds until
 * the next recall). For a binary problem (one curve) a dashed line marks the
 * positive rate: the precision of a model that guesses, so the AP has something
 * to be read against.
 */
export function prSeries(curves: ClassCurves[]): Series[] {
  const out: Series[] = [];
  curves.forEach((c, i) => {
    if (!c.pr) return;
    const { recall, precision } = c.pr;
    const points: [number, number][] = [];
    recall.forEach((r, k) => {
      if (k > 0) points.push([r, precision[k - 1]!]);
      points.push([r, precision[k]!]);
    });
    out.push({ name: `${c.label} (AP ${formatMetric(c.averagePrecision, 3)})`, points, dashed: false, color: classColor(curves.length === 1 ? 0 : i) });
  });
  const only = curves.length === 1 ? curves[0] : undefined;
  if (only && only.positives + only.negatives > 0) {
    const rate = only.positives / (only.positives + only.negatives);
    out.push({ name: `positive rate ${formatMetric(rate, 3)}`, points: [[0, rate], [1, rate]], dashed: true, color: GUIDE_COLOR });
  }
  return out;
}

export interface ConfusionCell {
  count: number;
  /** Share of the row (the true class); 0 for a class with no test row. */
  share: number;
  /** "90 (90.0%)", or "0 (—)" in an empty row. */
  text: string;
}

/**
 * The confusion matrix as table rows (true class down, predicted across), each
 * cell with its count and its share of the row, which colours the cell so a
 * rare class's errors are as visible as a common one's.
 */
export function confusionTable(confusion: number[][], classes: string[]): { label: string; total: number; cells: ConfusionCell[] }[] {
  return confusion.map((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    return {
      label: classes[i] ?? String(i),
      total,
      cells: row.map((count) => ({
        count,
        share: total > 0 ? count / total : 0,
        text: `${count.toLocaleString('en-US')} (${total > 0 ? `${((count / total) * 100).toFixed(1)}%` : '—'})`,
      })),
    };
  });
}

/**
 * Residual (true − predicted) against the predicted value, with a dashed zero
 * line. The title says when the points are an evenly spaced sample of the rows.
 */
export function residualFigure(r: ResidualSummary): Figure {
  const count = r.predicted.length.toLocaleString('en-US');
  const title = r.sampled ? `Residuals against predictions (a sample of ${count} rows)` : 'Residuals against predictions';
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'test rows',
        x: r.predicted,
        y: r.residual,
        marker: { color: TRAIN_COLOR, size: 5, opacity: 0.55 },
        hovertemplate: 'predicted %{x:.4g}, residual %{y:.4g}<extra></extra>',
      },
    ],
    layout: {
      ...BASE_LAYOUT,
      title: { text: title, font: { size: 13 } },
      xaxis: { title: { text: 'Predicted value' }, zeroline: false },
      yaxis: { title: { text: 'Residual (true − predicted)' }, zeroline: false },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 0, y1: 0, line: GUIDE_LINE }],
      showlegend: false,
    },
  };
}

/** `[epoch, value]` for each epoch whose value is a finite number. */
function pointsOf(epochs: EpochRecord[], pick: (e: EpochRecord) => number | null): [number, number][] {
  const out: [number, number][] = [];
  for (const e of epochs) {
    const v = pick(e);
    if (v !== null && Number.isFinite(v) && Number.isFinite(e.epoch)) out.push([e.epoch, v]);
  }
  return out;
}

/**
 * The live curves of a run: loss and the main metric per epoch, train solid,
 * validation dashed. A validation series is left out when no epoch has a
 * validation value (an empty validation split); non-finite values are skipped.
 */
export function trainingCurves(epochs: EpochRecord[], metric: MainMetric): { loss: Series[]; metric: Series[] } {
  const short = metricShortName(metric);
  const pair = (what: string, train: (e: EpochRecord) => number | null, val: (e: EpochRecord) => number | null) => {
    const series: Series[] = [{ name: `train ${what}`, points: pointsOf(epochs, train), dashed: false, color: TRAIN_COLOR }];
    const valPoints = pointsOf(epochs, val);
    if (valPoints.length > 0) series.push({ name: `validation ${what}`, points: valPoints, dashed: true, color: VALIDATION_COLOR });
    return series;
  };
  return {
    loss: pair('loss', (e) => e.loss, (e) => e.valLoss),
    metric: pair(short, (e) => e.metric, (e) => e.valMetric),
  };
}

/** Step of 1, 2 or 5 times a power of ten closest to `rough`. */
function niceStep(rough: number): number {
  const exp = Math.floor(Math.log10(rough));
  const base = 10 ** exp;
  const f = rough / base;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * base;
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 × 10^k) from at or below
 * `min` to at or above `max`, ascending. An empty range is widened around its
 * value; non-finite input gives no ticks. Values are rounded to the step's
 * decimals, so 0.1 + 0.2 shows as 0.3.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, Math.round(count) - 1));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return ticks;
}

/** A tick of a {@link LineChartModel}: value, label and pixel position. */
export interface Tick {
  value: number;
  label: string;
  pos: number;
}

/** Everything LineChart.svelte draws, in pixels. */
export interface LineChartModel {
  /** True when no series has a point yet. */
  empty: boolean;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Tick[];
  yTicks: Tick[];
  lines: { name: string; color: string; dashed: boolean; path: string; last: { x: number; y: number } | null }[];
}

/** A tick label: no float noise, thousands separators. */
export function formatTick(v: number): string {
  return tickFormat.format(v);
}

/** Margins around the plot area, in pixels. */
const MARGIN = { left: 52, right: 14, top: 10, bottom: 34 };

/**
 * Pixel geometry of a line chart of `series` in a `width` × `height` box: x is
 * the epoch (integer ticks only, spanning the data), y spans nice ticks that
 * include every value. One point alone is placed in a widened range. With
 * `unit`, both axes are [0, 1] with ticks every 0.2 (rates: ROC, precision-recall).
 */
export function lineChartModel(series: Series[], width: number, height: number, unit = false): LineChartModel {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: Math.max(MARGIN.left + 1, width - MARGIN.right),
    bottom: Math.max(MARGIN.top + 1, height - MARGIN.bottom),
  };
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
  }
  if (!Number.isFinite(xMin) || !Number.isFinite(yMin)) {
    return { empty: true, plot, xTicks: [], yTicks: [], lines: [] };
  }
  if (unit) {
    // Rates and probabilities (ROC, precision-recall): both axes are [0, 1] whatever the data.
    [xMin, xMax, yMin, yMax] = [0, 1, 0, 1];
  }
  if (xMin === xMax) {
    xMin -= 1;
    xMax += 1;
  }
  const yValues = niceTicks(yMin, yMax, 5);
  const y0 = yValues[0]!;
  const y1 = yValues[yValues.length - 1]!;
  // Tenths of a pixel: finer is invisible and only bloats the markup.
  const round = (v: number) => Math.round(v * 10) / 10;
  const sx = (x: number) => round(plot.left + ((x - xMin) / (xMax - xMin)) * (plot.right - plot.left));
  const sy = (y: number) => round(plot.bottom - ((y - y0) / (y1 - y0)) * (plot.bottom - plot.top));
  const xTicks = niceTicks(xMin, xMax, 5)
    .filter((v) => (unit || Number.isInteger(v)) && v >= xMin && v <= xMax)
    .map((value) => ({ value, label: formatTick(value), pos: sx(value) }));
  const yTicks = yValues.map((value) => ({ value, label: formatTick(value), pos: sy(value) }));
  const lines = series.map((s) => {
    const pts = s.points.map(([x, y]) => ({ x: sx(x), y: sy(y) }));
    return {
      name: s.name,
      color: s.color,
      dashed: s.dashed,
      path: pts.map((p) => `${p.x},${p.y}`).join(' '),
      last: pts[pts.length - 1] ?? null,
    };
  });
  return { empty: false, plot, xTicks, yTicks, lines };
}

/**
 * What the chart shows at its latest epoch, for screen readers:
 * "train loss 0.31, validation loss 0.35 at epoch 7".
 */
export function seriesSummary(series: Series[], xName = 'epoch'): string {
  const parts: string[] = [];
  let lastX = -Infinity;
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    if (!last) continue;
    parts.push(`${s.name} ${Number(last[1].toPrecision(3))}`);
    lastX = Math.max(lastX, last[0]);
  }
  return parts.length === 0 ? 'No values yet' : `${parts.join(', ')} at ${xName} ${lastX}`;
}
