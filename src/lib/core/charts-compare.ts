/**
 * Charts of the experiment comparison view, as pixel geometry for SVG: a
 * parallel-coordinates plot (run parameters -> a chosen metric) and a scatter of
 * a metric against one parameter. Drawn without Plotly, whose first load blocks
 * the main thread for ~1 s. Pure: tested in Node.
 */
import { CLASS_COLORS, formatMetric, formatTick, niceTicks } from './charts-training';

/** A parameter or metric value of one run; null = missing (e.g. hidden units of a linear model). */
export type AxisValue = number | string | null;

/** One vertical axis of a parallel-coordinates plot; the values live on the lines. */
export interface PcAxisInput {
  key: string;
  label: string;
}

/** One run of a parallel-coordinates plot: one value per axis, in axis order. */
export interface PcLineInput {
  id: string;
  label: string;
  values: AxisValue[];
}

/** How values are placed along an axis. `none`: every value is missing. */
export type AxisKind = 'linear' | 'log' | 'constant' | 'category' | 'none';

/** A tick of a compare chart: label and pixel position along its axis. */
export interface AxisTick {
  label: string;
  pos: number;
}

export interface PcAxis {
  key: string;
  label: string;
  /** The label wrapped to fit the space over the axis; the last line may end in "…". */
  labelLines: string[];
  /** Where and how to anchor the label so the outer axes' labels stay inside the drawing. */
  labelX: number;
  labelAnchor: 'start' | 'middle' | 'end';
  x: number;
  kind: AxisKind;
  ticks: AxisTick[];
  /** True when some line has no value here: it meets the axis on the "—" tick at `missingY`. */
  hasMissing: boolean;
}

export interface PcLine {
  id: string;
  label: string;
  /** Polyline points, "x,y x,y …", one per axis. */
  path: string;
  color: string;
  /** The metric is missing or not finite: drawn grey and dashed, never the best. */
  dashed: boolean;
  best: boolean;
  highlight: boolean;
  /** Hover text: "Run label: Learning rate 0.01, Batch size 512, ROC AUC 0.8412". */
  title: string;
}

/** The metric's colour scale, for the legend. Colours are those of the min and max values. */
export interface ColorScale {
  label: string;
  min: number;
  max: number;
  minLabel: string;
  maxLabel: string;
  minColor: string;
  maxColor: string;
}

/** Everything ParallelCoordinates.svelte draws, in pixels. */
export interface ParallelCoordinatesModel {
  /** True without axes or lines. */
  empty: boolean;
  /** The value range of every axis spans top..bottom; missing values sit below at `missingY`. */
  plot: { left: number; top: number; right: number; bottom: number };
  missingY: number | null;
  axes: PcAxis[];
  /** In drawing order: missing metric first, then worst to best metric, the best, the highlighted run last. */
  lines: PcLine[];
  scale: ColorScale | null;
  bestId: string | null;
  /**
   * With more than MAX_SINGLE_LINES runs, the ordinary lines (all but the best and the
   * highlighted one) are drawn as a few paths, one per colour step, instead of one element
   * each: a thousand <polyline>s with tooltips took ~200 ms to lay out. `lines` then holds
   * only the best and highlighted ones. Empty below the limit.
   */
  bundles: { color: string; dashed: boolean; d: string; count: number }[];
}

/** Radius of a scatter point, in pixels. */
export const POINT_R = 4;
/** Above this many runs, parallel coordinates and the scatter bundle their marks by colour (see `bundles`). */
export const MAX_SINGLE_LINES = 150;
/** Colour steps of a bundled plot: finer steps look no different. */
const BUNDLE_STEPS = 16;

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

/** Worst and best ends of the metric colour scale: one hue, so "darker = better" reads at once. */
const WORST_COLOR = '#9ecae1';
const BEST_COLOR = '#08306b';
const MISSING_COLOR = '#9aa0a6';
const MISSING_LABEL = '—';
/** Gap between an axis's range and its "missing" tick. */
const MISSING_GAP = 20;
/** Rough width of one 10-11 px label character, to wrap and thin labels without measuring text. */
const CHAR_PX = 6.2;

// Tenths of a pixel: finer is invisible and only bloats the markup.
const round = (v: number) => Math.round(v * 10) / 10;

/** A metric with 4 decimals, "—" when missing. */
const metricText = (v: number | null) => (v === null || !Number.isFinite(v) ? MISSING_LABEL : formatMetric(v));

/**
 * A parameter value as a person reads it: "0.01", "512", "1,024", "1e-7",
 * strings as they are, "—" when missing.
 */
export function formatAxisValue(v: AxisValue): string {
  if (v === null) return MISSING_LABEL;
  if (typeof v === 'string') return v === '' ? '(blank)' : v;
  if (!Number.isFinite(v)) return MISSING_LABEL;
  const abs = Math.abs(v);
  // formatTick keeps six decimals, which would show 1e-7 as "0".
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return String(Number(v.toPrecision(4)));
  return formatTick(v);
}

/** A value placed along an axis: t in [0, 1] (0 = low end or first category), null = missing. */
interface Scale {
  kind: AxisKind;
  t: (v: AxisValue) => number | null;
  ticks: { label: string; t: number }[];
  hasMissing: boolean;
}

/** Min and max without spreading (a long array would overflow the call stack). */
function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

const isMissing = (v: AxisValue) => v === null || (typeof v === 'number' && !Number.isFinite(v));

/**
 * The scale of one axis's values. Numeric when every present value is a number:
 * log10 with ticks at powers of ten when all are > 0 and span more than a factor
 * of 20 (learning rates), else linear over niceTicks. Otherwise categorical in
 * first-seen order; `band` centres categories in equal slots (room to dodge
 * scatter points) instead of spreading them end to end.
 */
function buildScale(values: AxisValue[], band: boolean): Scale {
  const present = values.filter((v) => !isMissing(v)) as (number | string)[];
  const hasMissing = present.length < values.length;
  if (present.length === 0) return { kind: 'none', t: () => null, ticks: [], hasMissing };
  if (present.every((v) => typeof v === 'number')) {
    const nums = present as number[];
    const [min, max] = extent(nums);
    const num = (v: AxisValue) => (isMissing(v) || typeof v !== 'number' ? null : v);
    if (min === max) {
      return { kind: 'constant', t: (v) => (num(v) === null ? null : 0.5), ticks: [{ label: formatAxisValue(min), t: 0.5 }], hasMissing };
    }
    if (min > 0 && max / min > 20) {
      // Whole decades, so the ticks sit at the ends and 0.01 is halfway between 1e-3 and 1e-1.
      const k0 = Math.floor(Math.log10(min) + 1e-9);
      const k1 = Math.ceil(Math.log10(max) - 1e-9);
      const step = Math.max(1, Math.ceil((k1 - k0) / 6));
      const ticks: Scale['ticks'] = [];
      for (let k = k0; k <= k1; k += step) ticks.push({ label: formatAxisValue(10 ** k), t: (k - k0) / (k1 - k0) });
      const t = (v: AxisValue) => {
        const n = num(v);
        return n === null ? null : (Math.log10(n) - k0) / (k1 - k0);
      };
      return { kind: 'log', t, ticks, hasMissing };
    }
    const values5 = niceTicks(min, max, 5);
    const lo = values5[0]!;
    const hi = values5[values5.length - 1]!;
    const t = (v: AxisValue) => {
      const n = num(v);
      return n === null ? null : (n - lo) / (hi - lo);
    };
    return { kind: 'linear', t, ticks: values5.map((v) => ({ label: formatTick(v), t: (v - lo) / (hi - lo) })), hasMissing };
  }
  const order = new Map<string, number>();
  for (const v of present) {
    const s = String(v);
    if (!order.has(s)) order.set(s, order.size);
  }
  const n = order.size;
  const place = (i: number) => (band ? (i + 0.5) / n : n === 1 ? 0.5 : i / (n - 1));
  const t = (v: AxisValue) => {
    if (isMissing(v)) return null;
    const i = order.get(String(v));
    return i === undefined ? null : place(i);
  };
  const ticks = [...order.keys()].map((s, i) => ({ label: formatAxisValue(s), t: place(i) }));
  return { kind: 'category', t, ticks, hasMissing };
}

/** Every `k`-th tick so that labels `spacing` px apart each get `need` px. */
function thin<T>(ticks: T[], lengthPx: number, need: number): T[] {
  if (ticks.length < 2) return ticks;
  const spacing = lengthPx / (ticks.length - 1);
  const k = Math.max(1, Math.ceil(need / Math.max(1, spacing)));
  return ticks.filter((_, i) => i % k === 0);
}

/** `s` cut to `max` characters with "…". */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** Words of `label` in lines of at most `chars` characters, at most `maxLines` lines. */
function wrapLabel(label: string, chars: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= chars || line === '') line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  const kept = lines.slice(0, maxLines).map((l) => clip(l, chars));
  // What does not fit goes into the last line, which clip then ends with "…".
  if (lines.length > maxLines) kept[maxLines - 1] = clip(lines.slice(maxLines - 1).join(' '), chars);
  return kept.length > 0 ? kept : [''];
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const WORST_RGB = hexToRgb(WORST_COLOR);
const BEST_RGB = hexToRgb(BEST_COLOR);

/** The colour `q` of the way from the worst (0) to the best (1) end of the metric scale. */
function scaleColor(q: number): string {
  const c = WORST_RGB.map((v, i) => Math.round(v + (BEST_RGB[i]! - v) * Math.min(1, Math.max(0, q))));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The finite numeric metric of a value, or null. */
const metricOf = (v: AxisValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Index of the best finite metric (max, or min with lowerIsBetter; first on a tie), or -1. */
function bestIndex(metrics: (number | null)[], lowerIsBetter: boolean): number {
  let best = -1;
  metrics.forEach((m, i) => {
    if (m === null) return;
    const b = best < 0 ? null : metrics[best]!;
    if (b === null || (lowerIsBetter ? m < b : m > b)) best = i;
  });
  return best;
}

/** Fewest decimals (2 to 6) at which `min` and `max` read differently, for the legend. */
function rangeLabels(min: number, max: number): [string, string] {
  for (let d = 2; d <= 6; d++) {
    const pair: [string, string] = [formatMetric(min, d), formatMetric(max, d)];
    if (pair[0] !== pair[1] || min === max) return pair;
  }
  return [formatMetric(min, 6), formatMetric(max, 6)];
}

function lineTitle(axes: PcAxisInput[], line: PcLineInput): string {
  const parts = axes.map((a, i) => {
    const v = line.values[i] ?? null;
    return `${a.label} ${i === axes.length - 1 && typeof v === 'number' ? metricText(v) : formatAxisValue(v)}`;
  });
  return `${line.label}: ${parts.join(', ')}`;
}

/**
 * Pixel geometry of a parallel-coordinates plot in a `width` × `height` box.
 * The last axis is the metric: lines are coloured by it from light (worst) to
 * dark (best), `lowerIsBetter` flipping which end is best; lines without a
 * finite metric are grey, dashed and never the best. Each axis is log, linear,
 * constant or categorical by its values (see buildScale); missing values meet
 * their axis on a "—" tick below its range.
 */
export function parallelCoordinatesModel(
  axes: PcAxisInput[],
  lines: PcLineInput[],
  width: number,
  height: number,
  opts: { lowerIsBetter?: boolean; highlightId?: string | null } = {},
): ParallelCoordinatesModel {
  const lowerIsBetter = opts.lowerIsBetter ?? false;
  // The metric axis's tick labels go on its right, clear of the lines that fan into it.
  const margin = { left: 56, right: 44 };
  const left = margin.left;
  const right = Math.max(left + 1, width - margin.right);
  const n = axes.length;
  const xs = axes.map((_, i) => round(n === 1 ? (left + right) / 2 : left + (i * (right - left)) / (n - 1)));
  const spacing = n > 1 ? (right - left) / (n - 1) : right - left;
  const labels = axes.map((a, i) => {
    const x = xs[i]!;
    // Centred over its axis when it fits; else an outer label hangs inwards from the drawing's edge.
    const budget = n === 1 ? width - 8 : i === 0 ? x - 4 + spacing / 2 - 6 : i === n - 1 ? width - 4 - x + spacing / 2 - 6 : spacing - 10;
    const lines = wrapLabel(a.label, Math.max(6, Math.floor(budget / CHAR_PX)));
    const half = (Math.max(...lines.map((l) => l.length)) * CHAR_PX) / 2;
    if (n > 1 && i === 0 && half > x - 4) return { lines, x: 4, anchor: 'start' as const };
    if (n > 1 && i === n - 1 && half > width - 4 - x) return { lines, x: width - 4, anchor: 'end' as const };
    return { lines, x, anchor: 'middle' as const };
  });
  const labelLines = labels.map((l) => l.lines);
  const top = 14 + Math.max(1, ...labelLines.map((l) => l.length)) * 12;
  const scales = axes.map((_, j) => buildScale(lines.map((l) => l.values[j] ?? null), false));
  const anyMissing = scales.some((s) => s.hasMissing);
  const bottom = Math.max(top + 1, height - 10 - (anyMissing ? MISSING_GAP : 0));
  const plot = { left, top, right, bottom };
  const missingY = anyMissing ? bottom + MISSING_GAP : null;
  if (n === 0 || lines.length === 0) {
    return { empty: true, plot, missingY: null, axes: [], lines: [], scale: null, bestId: null, bundles: [] };
  }
  // Categories read top-down in first-seen order; numbers grow upwards.
  const yOf = (s: Scale, t: number) => round(s.kind === 'category' ? top + t * (bottom - top) : bottom - t * (bottom - top));
  const outAxes: PcAxis[] = axes.map((a, j) => {
    const s = scales[j]!;
    const ticks = s.ticks.map((t) => ({ label: clip(t.label, 12), pos: yOf(s, t.t) }));
    return {
      key: a.key,
      label: a.label,
      labelLines: labelLines[j]!,
      labelX: round(labels[j]!.x),
      labelAnchor: labels[j]!.anchor,
      x: xs[j]!,
      kind: s.kind,
      ticks: thin(ticks, bottom - top, 12),
      hasMissing: s.hasMissing,
    };
  });

  const metrics = lines.map((l) => metricOf(l.values[n - 1]));
  const finite = metrics.filter((m): m is number => m !== null);
  const [min, max] = finite.length > 0 ? extent(finite) : [0, 0];
  const quality = (m: number) => (max === min ? 1 : lowerIsBetter ? (max - m) / (max - min) : (m - min) / (max - min));
  const best = bestIndex(metrics, lowerIsBetter);
  const highlightId = opts.highlightId ?? null;

  const built = lines.map((l, i) => {
    const pts = scales.map((s, j) => {
      const t = s.t(l.values[j] ?? null);
      return `${xs[j]!},${t === null ? missingY! : yOf(s, t)}`;
    });
    const m = metrics[i]!;
    return {
      line: {
        id: l.id,
        label: l.label,
        path: pts.join(' '),
        color: m === null ? MISSING_COLOR : scaleColor(quality(m)),
        dashed: m === null,
        best: i === best,
        highlight: highlightId !== null && l.id === highlightId,
        title: lineTitle(axes, l),
      },
      // Drawing rank: the better a line, the later (higher) it is drawn.
      rank: m === null ? -1 : quality(m),
      i,
    };
  });
  const tier = (b: (typeof built)[number]) => (b.line.highlight ? 2 : b.line.best ? 1 : 0);
  built.sort((a, b) => tier(a) - tier(b) || a.rank - b.rank || a.i - b.i);

  let scale: ColorScale | null = null;
  if (finite.length > 0) {
    const [minLabel, maxLabel] = rangeLabels(min, max);
    scale = { label: axes[n - 1]!.label, min, max, minLabel, maxLabel, minColor: scaleColor(quality(min)), maxColor: scaleColor(quality(max)) };
  }
  const bestId = best >= 0 ? lines[best]!.id : null;
  if (lines.length <= MAX_SINGLE_LINES) return { empty: false, plot, missingY, axes: outAxes, lines: built.map((b) => b.line), scale, bestId, bundles: [] };
  // Bundled: one path per colour step ("M x,y L x,y … M …"), in drawing order (worst first).
  const groups = new Map<string, { color: string; dashed: boolean; d: string[]; count: number; rank: number }>();
  const single: PcLine[] = [];
  for (const b of built) {
    if (b.line.best || b.line.highlight) {
      single.push(b.line);
      continue;
    }
    const step = b.rank < 0 ? -1 : Math.round(b.rank * (BUNDLE_STEPS - 1));
    const color = step < 0 ? MISSING_COLOR : scaleColor(step / (BUNDLE_STEPS - 1));
    let g = groups.get(color);
    if (!g) {
      g = { color, dashed: step < 0, d: [], count: 0, rank: step };
      groups.set(color, g);
    }
    g.d.push(`M${b.line.path.replace(/ /g, 'L')}`);
    g.count++;
  }
  const bundles = [...groups.values()].sort((a, b) => a.rank - b.rank).map((g) => ({ color: g.color, dashed: g.dashed, d: g.d.join(''), count: g.count }));
  return { empty: false, plot, missingY, axes: outAxes, lines: single, scale, bestId, bundles };
}

const plural = (count: number, one: string) => `${count.toLocaleString('en-US')} ${one}${count === 1 ? '' : 's'}`;

/**
 * What a parallel-coordinates plot shows, for screen readers: "Parallel
 * coordinates of 12 runs over Learning rate, Batch size to ROC AUC; best ROC
 * AUC 0.8412 (Run abc12345: Learning rate 0.01, Batch size 512)".
 */
export function parallelCoordinatesSummary(axes: PcAxisInput[], lines: PcLineInput[], opts: { lowerIsBetter?: boolean } = {}): string {
  const metric = axes[axes.length - 1];
  if (!metric || lines.length === 0) return 'No runs to compare';
  const params = axes.slice(0, -1);
  const head = `Parallel coordinates of ${plural(lines.length, 'run')}${params.length > 0 ? ` over ${params.map((a) => a.label).join(', ')}` : ''} to ${metric.label}`;
  const metrics = lines.map((l) => metricOf(l.values[axes.length - 1]));
  const best = bestIndex(metrics, opts.lowerIsBetter ?? false);
  if (best < 0) return `${head}; no run has a ${metric.label}`;
  const line = lines[best]!;
  const values = params.map((a, i) => `${a.label} ${formatAxisValue(line.values[i] ?? null)}`).join(', ');
  const without = metrics.filter((m) => m === null).length;
  return `${head}; best ${metric.label} ${metricText(metrics[best]!)} (${line.label}${values ? `: ${values}` : ''})${without > 0 ? `; ${plural(without, 'run')} without ${metric.label}` : ''}`;
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
