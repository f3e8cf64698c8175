/**
 * A scatter of a metric against one run parameter, for the experiment
 * comparison view, as pixel geometry for SVG (no Plotly). Its x axis follows the
 * parallel coordinates' rules (charts-scales: buildScale). Pure: tested in Node.
 */
import { CLASS_COLORS, formatTick, niceTicks } from './charts-training';
import {
  CHAR_PX,
  MAX_SINGLE_LINES,
  MISSING_LABEL,
  bestIndex,
  buildScale,
  clip,
  extent,
  formatAxisValue,
  isMissing,
  metricText,
  plural,
  round,
  thin,
  type AxisKind,
  type AxisTick,
  type AxisValue,
} from './charts-scales';

/** Radius of a scatter point, in pixels. */
export const POINT_R = 4;

export interface ScatterPointInput {
  id: string;
  label: string;
  x: AxisValue;
  y: number | null;
  color?: string;
}

export interface ScatterPoint {
  id: string;
  label: string;
  cx: number;
  cy: number;
  color: string;
  best: boolean;
  /** The x value as shown ("0.01", "relu", "—") and the y value ("0.8412"), for tooltips. */
  xText: string;
  yText: string;
}

/** Everything ScatterChart.svelte draws, in pixels. */
export interface ScatterModel {
  /** True when no point has a finite y. */
  empty: boolean;
  plot: { left: number; top: number; right: number; bottom: number };
  xKind: AxisKind;
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  /** In drawing order, the best point last (on top); with bundles, only the best. */
  points: ScatterPoint[];
  /** With more than MAX_SINGLE_LINES points, the others as one path of circles per colour (no tooltips). */
  bundles: { color: string; d: string; count: number }[];
  /** Points left out because their y is missing or not finite. */
  omitted: number;
  bestId: string | null;
}

/** Margins around the scatter's plot area: those of LineChart, so the two sit side by side. */
const SCATTER_MARGIN = { left: 52, right: 14, top: 10, bottom: 34 };

/**
 * Pixel geometry of a scatter of a metric (y, linear over niceTicks) against a
 * parameter (x: log, linear, constant or categorical as in the parallel
 * coordinates). Points without a finite y are left out and counted in
 * `omitted`; a missing x sits on a "—" tick at the right end. Points sharing a
 * category are dodged side by side in input order, so the chart is the same on
 * every draw. The best y (max, or min with lowerIsBetter; first on a tie) is marked.
 */
export function scatterModel(points: ScatterPointInput[], width: number, height: number, opts: { lowerIsBetter?: boolean } = {}): ScatterModel {
  const plot = {
    left: SCATTER_MARGIN.left,
    top: SCATTER_MARGIN.top,
    right: Math.max(SCATTER_MARGIN.left + 1, width - SCATTER_MARGIN.right),
    bottom: Math.max(SCATTER_MARGIN.top + 1, height - SCATTER_MARGIN.bottom),
  };
  const kept = points.filter((p) => p.y !== null && Number.isFinite(p.y));
  const omitted = points.length - kept.length;
  if (kept.length === 0) return { empty: true, plot, xKind: 'none', xTicks: [], yTicks: [], points: [], bundles: [], omitted, bestId: null };

  const ys = kept.map((p) => p.y!);
  const yValues = niceTicks(...extent(ys), 5);
  const y0 = yValues[0]!;
  const y1 = yValues[yValues.length - 1]!;
  const sy = (y: number) => round(plot.bottom - ((y - y0) / (y1 - y0)) * (plot.bottom - plot.top));
  const yTicks = yValues.map((v) => ({ label: formatTick(v), pos: sy(v) }));

  const numeric = kept.every((p) => isMissing(p.x) || typeof p.x === 'number');
  // A categorical axis takes "—" as its last category; a numeric one keeps a slot right of its range.
  const xs = kept.map((p) => (!numeric && isMissing(p.x) ? MISSING_LABEL : p.x));
  const s = buildScale(xs, !numeric);
  // With no x value at all, the "—" tick takes the middle.
  const slot = numeric && s.hasMissing && s.kind !== 'none' ? 40 : 0;
  const missingX = s.kind === 'none' ? (plot.left + plot.right) / 2 : plot.right - 10;
  const xEnd = plot.right - slot;
  const sx = (t: number) => plot.left + t * (xEnd - plot.left);
  const xTicks = s.ticks.map((t) => ({ label: clip(t.label, 14), pos: round(sx(t.t)) }));
  if (numeric && s.hasMissing) xTicks.push({ label: MISSING_LABEL, pos: round(missingX) });
  const widest = Math.max(...xTicks.map((t) => t.label.length));

  // Side-by-side dodge inside a category's slot: at most 6 px apart, within 60% of the slot.
  const seen = new Map<number, number>();
  const counts = new Map<number, number>();
  const ts = xs.map((x) => s.t(x));
  if (s.kind === 'category') for (const t of ts) counts.set(t!, (counts.get(t!) ?? 0) + 1);
  const bandPx = s.kind === 'category' ? (xEnd - plot.left) / s.ticks.length : 0;

  const best = bestIndex(ys, opts.lowerIsBetter ?? false);
  const out: ScatterPoint[] = kept.map((p, i) => {
    const t = ts[i]!;
    let cx = t === null ? missingX : sx(t);
    if (s.kind === 'category' && t !== null) {
      const m = counts.get(t)!;
      const k = seen.get(t) ?? 0;
      seen.set(t, k + 1);
      const step = m > 1 ? Math.min(6, (bandPx * 0.6) / (m - 1)) : 0;
      cx += (k - (m - 1) / 2) * step;
    }
    return {
      id: p.id,
      label: p.label,
      cx: round(cx),
      cy: sy(p.y!),
      color: p.color ?? CLASS_COLORS[0],
      best: i === best,
      xText: formatAxisValue(p.x),
      yText: metricText(p.y),
    };
  });
  const drawn = [...out.filter((p) => !p.best), ...out.filter((p) => p.best)];
  // Many points: all but the best become one path of circles per colour (see ScatterModel.bundles).
  const bundled = drawn.length > MAX_SINGLE_LINES;
  const groups = new Map<string, { color: string; d: string[]; count: number }>();
  if (bundled) {
    for (const p of drawn) {
      if (p.best) continue;
      const g = groups.get(p.color) ?? { color: p.color, d: [], count: 0 };
      g.d.push(`M${round(p.cx - POINT_R)},${p.cy}a${POINT_R},${POINT_R} 0 1,0 ${2 * POINT_R},0a${POINT_R},${POINT_R} 0 1,0 ${-2 * POINT_R},0`);
      g.count++;
      groups.set(p.color, g);
    }
  }
  return {
    empty: false,
    plot,
    xKind: s.kind,
    xTicks: s.kind === 'category' ? thin(xTicks, xEnd - plot.left, widest * CHAR_PX + 8) : xTicks,
    yTicks,
    points: bundled ? drawn.filter((p) => p.best) : drawn,
    bundles: [...groups.values()].map((g) => ({ color: g.color, d: g.d.join(''), count: g.count })),
    omitted,
    bestId: kept[best]!.id,
  };
}

/**
 * What a scatter shows, for screen readers: "ROC AUC against Learning rate,
 * 12 runs: best 0.8412 at 0.01", and how many runs had no value to plot.
 */
export function scatterSummary(points: ScatterPointInput[], xLabel: string, yLabel: string, opts: { lowerIsBetter?: boolean } = {}): string {
  const kept = points.filter((p) => p.y !== null && Number.isFinite(p.y));
  const head = `${yLabel} against ${xLabel}`;
  if (kept.length === 0) return `${head}: no run has a ${yLabel}`;
  const best = kept[bestIndex(kept.map((p) => p.y), opts.lowerIsBetter ?? false)]!;
  const omitted = points.length - kept.length;
  return `${head}, ${plural(kept.length, 'run')}: best ${metricText(best.y)} at ${formatAxisValue(best.x)}${omitted > 0 ? `; ${plural(omitted, 'run')} without ${yLabel} left out` : ''}`;
}
