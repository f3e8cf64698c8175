/**
 * Plotly figures of a model version's analyses, for Plot.svelte: the
 * permutation importance bars, partial dependence curves, and the fairness
 * bar charts drawn from core/fairness's chart data. Plain data in,
 * `{data, layout}` out; user text (feature names, groups) is escaped with
 * plotText. Pure: tested in Node.
 */
import { metricLabel, plotText, type Figure } from '../charts';
import { GAP_METRICS, type FairnessChartData, type FairnessReport, type GroupGap } from '../fairness';
import type { ImportanceReport, PartialDependence } from './explain-types';

const ACCENT = '#1f5fa8';
const FLAG = '#c0392b';

const BASE_LAYOUT = {
  margin: { l: 60, r: 16, t: 36, b: 50 },
  font: { size: 11 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  showlegend: false,
};

/** Bars shown in the importance chart; the table lists every feature. */
export const MAX_IMPORTANCE_BARS = 20;

/** "auc" → "ROC AUC": an ImportanceReport's metric as read on screen (its own name when not a main metric). */
export function importanceMetricLabel(metric: string): string {
  return metric === 'auc' || metric === 'accuracy' || metric === 'rmse' ? metricLabel(metric) : metric;
}

/** Rows of the importance bars: most important first, at most `max`. */
export interface ImportanceBars {
  features: string[];
  mean: number[];
  std: number[];
}

/**
 * The bars of the importance chart: the report's features sorted by mean
 * drop (largest first; a NaN drop last), at most `max` of them, std 0 when
 * not finite.
 */
export function importanceBars(report: Pick<ImportanceReport, 'features'>, max = MAX_IMPORTANCE_BARS): ImportanceBars {
  const sorted = [...report.features].sort((a, b) => {
    const x = Number.isFinite(a.mean) ? a.mean : -Infinity;
    const y = Number.isFinite(b.mean) ? b.mean : -Infinity;
    return y - x;
  });
  const top = sorted.slice(0, Math.max(0, max));
  return {
    features: top.map((f) => f.feature),
    mean: top.map((f) => f.mean),
    std: top.map((f) => (Number.isFinite(f.std) ? f.std : 0)),
  };
}

/**
 * A horizontal bar chart of the mean drop per feature, error bars ± one
 * standard deviation over the repeats, the most important on top.
 */
export function importanceFigure(report: ImportanceReport, max = MAX_IMPORTANCE_BARS): Figure {
  const bars = importanceBars(report, max);
  const metric = importanceMetricLabel(report.metric);
  // Plotly draws a horizontal bar chart's first category at the bottom: reversed, the largest is on top.
  const y = bars.features.map(plotText).reverse();
  const x = [...bars.mean].reverse();
  const err = [...bars.std].reverse();
  return {
    data: [
      {
        type: 'bar',
        orientation: 'h',
        x,
        y,
        error_x: { type: 'data', array: err, visible: true, color: '#555' },
        customdata: err,
        marker: { color: ACCENT },
        hovertemplate: '%{y}: mean drop %{x:.4f} ± %{customdata:.4f}<extra></extra>',
      },
    ],
    layout: {
      ...BASE_LAYOUT,
      margin: { ...BASE_LAYOUT.margin, l: 140 },
      height: Math.max(200, 60 + 22 * bars.features.length),
      title: { text: `Drop of ${plotText(metric)} when a feature is shuffled`, font: { size: 13 } },
      xaxis: { title: { text: `mean drop of ${plotText(metric)} (± std over ${report.config.repeats} repeats)` }, zeroline: true },
      yaxis: { type: 'category', automargin: true },
    },
  };
}

/**
 * A partial dependence curve: the mean prediction against the feature's
 * grid, a line for a numeric feature, bars for a categorical one.
 */
export function partialDependenceFigure(pd: PartialDependence): Figure {
  const title = { text: plotText(pd.feature), font: { size: 13 } };
  const yaxis = { title: { text: plotText(pd.output) } };
  if (pd.kind === 'numeric') {
    return {
      data: [
        {
          type: 'scatter',
          mode: 'lines+markers',
          x: pd.grid,
          y: pd.mean,
          line: { color: ACCENT },
          marker: { size: 4 },
          hovertemplate: '%{x}: %{y:.4f}<extra></extra>',
        },
      ],
      layout: { ...BASE_LAYOUT, height: 260, title, xaxis: { title: { text: plotText(pd.feature) } }, yaxis },
    };
  }
  return {
    data: [
      {
        type: 'bar',
        x: pd.grid.map((g) => plotText(String(g))),
        y: pd.mean,
        marker: { color: ACCENT },
        hovertemplate: '%{x}: %{y:.4f}<extra></extra>',
      },
    ],
    layout: { ...BASE_LAYOUT, height: 260, title, xaxis: { type: 'category', automargin: true }, yaxis },
  };
}

/**
 * One fairness gap metric of one attribute as a bar chart: a bar per group
 * with its 95% interval as error bars, flagged bars in red and labelled
 * "gap" (the text says it too, not only the colour), too-small groups
 * labelled so, and a dashed line at the neutral value (0, or 1 for
 * disparate impact).
 */
export function fairnessFigure(chart: FairnessChartData): Figure {
  const labels = chart.x.map(plotText);
  const text = chart.x.map((_, i) => (chart.flagged[i] ? 'gap' : chart.tooSmall[i] ? 'too small' : ''));
  return {
    data: [
      {
        type: 'bar',
        x: labels,
        y: chart.y,
        error_y: { type: 'data', symmetric: false, array: chart.errorPlus, arrayminus: chart.errorMinus, visible: true, color: '#555' },
        marker: { color: chart.flagged.map((f) => (f ? FLAG : ACCENT)) },
        text,
        textposition: 'outside',
        cliponaxis: false,
        hovertemplate: '%{x}: %{y:.3f}<extra></extra>',
      },
    ],
    layout: {
      ...BASE_LAYOUT,
      height: 280,
      title: { text: plotText(chart.title), font: { size: 13 } },
      xaxis: { type: 'category', automargin: true },
      yaxis: { title: { text: 'gap (group against the rest)' }, zeroline: false },
      shapes: [
        {
          type: 'line',
          xref: 'paper',
          x0: 0,
          x1: 1,
          yref: 'y',
          y0: chart.neutral,
          y1: chart.neutral,
          line: { color: '#333', width: 1, dash: 'dash' },
        },
      ],
      annotations: [
        { xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: chart.neutral, yanchor: 'bottom', text: `no gap (${chart.neutral})`, showarrow: false, font: { size: 10, color: '#333' } },
      ],
    },
  };
}

/** Per attribute of a fairness report, its largest flagged gap (null when none is flagged), for the compare view. */
export interface LargestGap {
  attribute: string;
  gap: GroupGap | null;
  /** "B: demographic parity difference 0.210 [0.150, 0.270]", or "no gap flagged". */
  text: string;
}

/**
 * The largest flagged gap of each attribute: the flagged gap farthest from
 * its neutral value (for disparate impact, the ratio's distance from 1 on a
 * log scale, so 0.5 and 2 weigh the same). First in report order on a tie.
 */
export function largestFlaggedGaps(report: Pick<FairnessReport, 'attributes'>): LargestGap[] {
  return report.attributes.map((a) => {
    let best: GroupGap | null = null;
    let bestSize = -Infinity;
    for (const g of a.gaps) {
      if (!g.flagged) continue;
      const size = g.metric === 'disparate-impact' ? Math.abs(Math.log(g.value / g.neutral)) : Math.abs(g.value - g.neutral);
      // An infinite distance (a ratio of 0) is the largest; an undefined one only stands in for none.
      if (best === null || size > bestSize) {
        best = g;
        bestSize = Number.isNaN(size) ? -Infinity : size;
      }
    }
    const label = best ? (GAP_METRICS.find((m) => m.metric === best.metric)?.label ?? best.metric) : '';
    const r = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'not defined');
    const text = best ? `${best.group}: ${label.toLowerCase()} ${r(best.value)} [${r(best.interval.low)}, ${r(best.interval.high)}]` : 'no gap flagged';
    return { attribute: a.grouping.column, gap: best, text };
  });
}

/** The `n` most important features with their mean drop ("x1 0.1234"), for the compare view. */
export function topFeatures(report: Pick<ImportanceReport, 'features'>, n = 3): { feature: string; mean: number; text: string }[] {
  const bars = importanceBars(report, n);
  return bars.features.map((feature, i) => {
    const mean = bars.mean[i]!;
    return { feature, mean, text: `${feature} ${Number.isFinite(mean) ? mean.toFixed(4) : 'not defined'}` };
  });
}
