/**
 * Parallel coordinates of the experiment comparison view (run parameters -> a
 * chosen metric), as pixel geometry for SVG. Drawn without Plotly, whose first
 * load blocks the main thread for ~1 s. Scales, labels and colours are shared
 * with the scatter (charts-scatter) in charts-scales. Pure: tested in Node.
 */
import {
  BUNDLE_STEPS,
  CHAR_PX,
  MAX_SINGLE_LINES,
  MISSING_COLOR,
  MISSING_GAP,
  bestIndex,
  buildScale,
  extent,
  formatAxisValue,
  metricOf,
  metricText,
  plural,
  round,
  scaleColor,
  thin,
  wrapLabel,
  type AxisKind,
  type AxisTick,
  type AxisValue,
  type Scale,
} from './charts-scales';
import { formatMetric } from '../common';

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
  ticks: PcTick[];
  /** True when some line has no value here: it meets the axis on the "—" tick at `missingY`. */
  hasMissing: boolean;
}

/** A tick; `full` holds the whole label when `label` had to be shortened, for a tooltip. */
export interface PcTick extends AxisTick {
  full?: string;
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

/**
 * `text` in at most `max` characters: cut in the middle ("clas…ghts") by
 * default, since category values such as "oversample-random" and
 * "oversample-smote" tell apart at their ends; or at the end.
 */
export function shortenLabel(text: string, max: number, at: 'middle' | 'end' = 'middle'): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  if (at === 'end') return `${text.slice(0, max - 1).trimEnd()}…`;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${text.slice(0, head).trimEnd()}…${tail > 0 ? text.slice(text.length - tail).trimStart() : ''}`;
}

/** Tick labels the first axis may widen the left margin for, as a share of the width. */
const MAX_LEFT_SHARE = 0.2;
/** Gap between an axis and its tick labels, and from a label to whatever lies beyond it. */
const TICK_GAP = 5;
const TICK_CLEAR = 3;
/** Longer tick labels would cover the lines they sit over; the full text is in the tooltip. */
const MAX_TICK_CHARS = 16;

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
  const scales = axes.map((_, j) => buildScale(lines.map((l) => l.values[j] ?? null), false));
  // The first axis's tick labels hang left of it: widen the margin for them, up to a share of the width.
  const firstTick = axes.length > 1 ? Math.min(MAX_TICK_CHARS, Math.max(0, ...scales[0]!.ticks.map((t) => t.label.length))) : 0;
  const left = Math.round(Math.min(Math.max(margin.left, firstTick * CHAR_PX + TICK_GAP + TICK_CLEAR), Math.max(margin.left, width * MAX_LEFT_SHARE)));
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
    // Ticks sit left of their axis, the metric's right of it: room up to the edge or the previous axis.
    const room = j === n - 1 ? width - xs[j]! : j === 0 ? xs[j]! : spacing;
    const chars = Math.min(MAX_TICK_CHARS, Math.max(4, Math.floor((room - TICK_GAP - TICK_CLEAR) / CHAR_PX)));
    const ticks = s.ticks.map((t): PcTick => {
      const label = shortenLabel(t.label, chars);
      return label === t.label ? { label, pos: yOf(s, t.t) } : { label, pos: yOf(s, t.t), full: t.label };
    });
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
