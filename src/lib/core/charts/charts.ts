/**
 * Chart builders: plain data in, Plotly `{data, layout}` out. Pure, so they
 * are tested in Node; Plot.svelte is the only file that imports Plotly.
 */
import type { ColumnProfile } from '../common';
import type { ClassBalance } from '../imbalance';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/**
 * Plotly interprets a few HTML-like tags in text; category names come from
 * user files, so they are entity-escaped to show as typed.
 */
export function plotText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BASE_LAYOUT = {
  margin: { l: 50, r: 10, t: 30, b: 60 },
  height: 260,
  bargap: 0.05,
  font: { size: 11 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
};

/** Histogram for numbers, bar chart of the top values for everything else. */
export function columnFigure(profile: ColumnProfile): Figure {
  const title = { text: plotText(profile.name), font: { size: 13 } };
  const h = profile.numeric?.histogram;
  if (h && h.counts.length > 0) {
    const x: number[] = [];
    const width: number[] = [];
    for (let i = 0; i < h.counts.length; i++) {
      const lo = h.edges[i] ?? 0;
      const hi = h.edges[i + 1] ?? lo;
      x.push((lo + hi) / 2);
      width.push(Math.max(hi - lo, Number.EPSILON));
    }
    return {
      data: [{ type: 'bar', x, y: h.counts, width, marker: { color: '#1f5fa8' }, hovertemplate: '%{x}: %{y} rows<extra></extra>' }],
      layout: { ...BASE_LAYOUT, title, xaxis: { title: { text: plotText(profile.name) } }, yaxis: { title: { text: 'rows' } } },
    };
  }
  const labels = profile.top.map((t) => plotText(t.value));
  const counts = profile.top.map((t) => t.count);
  if (profile.otherCount > 0) {
    labels.push('(other values)');
    counts.push(profile.otherCount);
  }
  return {
    data: [{ type: 'bar', x: labels, y: counts, marker: { color: '#1f5fa8' }, hovertemplate: '%{x}: %{y} rows<extra></extra>' }],
    layout: { ...BASE_LAYOUT, title, xaxis: { type: 'category', automargin: true }, yaxis: { title: { text: 'rows' } } },
  };
}

/** Class counts of a target, the minority class highlighted. */
export function classBalanceFigure(target: string, balance: ClassBalance): Figure {
  const colors = balance.classes.map((c) => (c.value === balance.minority.value ? '#c0392b' : '#1f5fa8'));
  return {
    data: [
      {
        type: 'bar',
        x: balance.classes.map((c) => plotText(c.value)),
        y: balance.classes.map((c) => c.count),
        text: balance.classes.map((c) => `${((c.count / balance.total) * 100).toFixed(1)}%`),
        textposition: 'auto',
        marker: { color: colors },
        hovertemplate: '%{x}: %{y} rows (%{text})<extra></extra>',
      },
    ],
    layout: {
      ...BASE_LAYOUT,
      title: { text: `Class distribution of ${plotText(target)}`, font: { size: 13 } },
      xaxis: { type: 'category' },
      yaxis: { title: { text: 'rows' } },
    },
  };
}
