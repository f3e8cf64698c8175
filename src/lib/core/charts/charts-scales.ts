/**
 * Scales, labels and colours shared by the charts of the experiment comparison
 * view (charts-compare: parallel coordinates; charts-scatter: a metric against a
 * parameter). Pure: tested in Node through those charts.
 */
import { formatTick, niceTicks } from './charts-training';
import { formatMetric } from '../common';

/** A parameter or metric value of one run; null = missing (e.g. hidden units of a linear model). */
export type AxisValue = number | string | null;

/** How values are placed along an axis. `none`: every value is missing. */
export type AxisKind = 'linear' | 'log' | 'constant' | 'category' | 'none';

/** A tick of a compare chart: label and pixel position along its axis. */
export interface AxisTick {
  label: string;
  pos: number;
}

/** Above this many runs, parallel coordinates and the scatter bundle their marks by colour (see `bundles`). */
export const MAX_SINGLE_LINES = 150;
/** Colour steps of a bundled plot: finer steps look no different. */
export const BUNDLE_STEPS = 16;

/** Worst and best ends of the metric colour scale: one hue, so "darker = better" reads at once. */
const WORST_COLOR = '#9ecae1';
const BEST_COLOR = '#08306b';
/** Colour of a line or point whose metric is missing or not finite. */
export const MISSING_COLOR = '#9aa0a6';
/** How a missing value reads on an axis, a tick or in a tooltip. */
export const MISSING_LABEL = '—';
/** Gap between an axis's range and its "missing" tick. */
export const MISSING_GAP = 20;
/** Rough width of one 10-11 px label character, to wrap and thin labels without measuring text. */
export const CHAR_PX = 6.2;

/** `v` to tenths of a pixel: finer is invisible and only bloats the markup. */
export const round = (v: number) => Math.round(v * 10) / 10;

/** A metric with 4 decimals, "—" when missing. */
export const metricText = (v: number | null) => (v === null || !Number.isFinite(v) ? MISSING_LABEL : formatMetric(v));

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
export interface Scale {
  kind: AxisKind;
  t: (v: AxisValue) => number | null;
  ticks: { label: string; t: number }[];
  hasMissing: boolean;
}

/** Min and max without spreading (a long array would overflow the call stack). */
export function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** True for null and for a number that is not finite (NaN, ±Infinity). */
export const isMissing = (v: AxisValue) => v === null || (typeof v === 'number' && !Number.isFinite(v));

/**
 * The scale of one axis's values. Numeric when every present value is a number:
 * log10 with ticks at powers of ten when all are > 0 and span more than a factor
 * of 20 (learning rates), else linear over niceTicks. Otherwise categorical in
 * first-seen order; `band` centres categories in equal slots (room to dodge
 * scatter points) instead of spreading them end to end.
 */
export function buildScale(values: AxisValue[], band: boolean): Scale {
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
export function thin<T>(ticks: T[], lengthPx: number, need: number): T[] {
  if (ticks.length < 2) return ticks;
  const spacing = lengthPx / (ticks.length - 1);
  const k = Math.max(1, Math.ceil(need / Math.max(1, spacing)));
  return ticks.filter((_, i) => i % k === 0);
}

/** `s` cut to `max` characters with "…". */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** Words of `label` in lines of at most `chars` characters, at most `maxLines` lines. */
export function wrapLabel(label: string, chars: number, maxLines = 3): string[] {
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

/** "#rrggbb" as [r, g, b], each 0..255. */
function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const WORST_RGB = hexToRgb(WORST_COLOR);
const BEST_RGB = hexToRgb(BEST_COLOR);

/** The colour `q` of the way from the worst (0) to the best (1) end of the metric scale. */
export function scaleColor(q: number): string {
  const c = WORST_RGB.map((v, i) => Math.round(v + (BEST_RGB[i]! - v) * Math.min(1, Math.max(0, q))));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The finite numeric metric of a value, or null. */
export const metricOf = (v: AxisValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Index of the best finite metric (max, or min with lowerIsBetter; first on a tie), or -1. */
export function bestIndex(metrics: (number | null)[], lowerIsBetter: boolean): number {
  let best = -1;
  metrics.forEach((m, i) => {
    if (m === null) return;
    const b = best < 0 ? null : metrics[best]!;
    if (b === null || (lowerIsBetter ? m < b : m > b)) best = i;
  });
  return best;
}

/** "1 run", "12 runs", "1,024 runs": a count with its noun, plural unless 1. */
export const plural = (count: number, one: string) => `${count.toLocaleString('en-US')} ${one}${count === 1 ? '' : 's'}`;
