/**
 * Small static SVG charts of one feature's drift, for the standalone HTML
 * report (drift-html.ts): an overlaid histogram (reference as grey bars, new
 * data as blue outlined bars on the same bins) or grouped bars per category.
 * Plain markup, no script, no external reference, every user string escaped,
 * so the chart can be inlined into a file that opens offline. Pure: tested in
 * Node.
 */
import type { DriftChart } from './drift';

/** Escapes text for HTML (and SVG) element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Colours of the two sides: print-safe and readable in grey scale (filled against outlined). */
export const DRIFT_COLORS = { reference: '#b3b3b3', current: '#1f6fd1' } as const;

const HEIGHT = 84;
const TOP = 4;
const PLOT = 56;
const MIN_WIDTH = 240;
/** Characters of a category label drawn under its bars; the full text is in the group's <title>. */
export const CATEGORY_LABEL_CHARS = 7;

/** A coordinate, rounded to keep the markup small. */
function c(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** A share as a percentage for tooltips. */
function share(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

/** An axis value in at most four significant digits. */
export function shortNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** `text` cut to `max` characters with an ellipsis. */
export function truncate(text: string, max = CATEGORY_LABEL_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function open(width: number, label: string): string {
  const l = escapeHtml(label);
  return `<svg class="chart" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${l}"><title>${l}</title>`;
}

function barHeight(v: number, max: number): number {
  return Number.isFinite(v) && max > 0 ? (Math.max(0, v) / max) * PLOT : 0;
}

function bar(x: number, w: number, v: number, max: number, side: 'reference' | 'current'): string {
  const h = barHeight(v, max);
  const y = TOP + PLOT - h;
  return side === 'reference'
    ? `<rect x="${c(x)}" y="${c(y)}" width="${c(w)}" height="${c(h)}" fill="${DRIFT_COLORS.reference}"/>`
    : `<rect x="${c(x)}" y="${c(y)}" width="${c(w)}" height="${c(h)}" fill="none" stroke="${DRIFT_COLORS.current}" stroke-width="1.2"/>`;
}

function baseline(width: number): string {
  return `<line x1="4" x2="${width - 4}" y1="${TOP + PLOT + 0.5}" y2="${TOP + PLOT + 0.5}" stroke="#666" stroke-width="1"/>`;
}

function maxOf(...lists: readonly number[][]): number {
  let m = 0;
  for (const l of lists) for (const v of l) if (Number.isFinite(v) && v > m) m = v;
  return m;
}

function empty(label: string): string {
  return `${open(MIN_WIDTH, label)}<text x="${MIN_WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" font-size="10" fill="#666">no values to draw</text></svg>`;
}

/** The overlaid histogram: one grey bar (reference share) and one blue outline (new data share) per bin. */
function histogram(chart: Extract<DriftChart, { kind: 'histogram' }>, label: string): string {
  const n = Math.min(chart.reference.length, chart.current.length, Math.max(0, chart.edges.length - 1));
  if (n === 0) return empty(label);
  const width = MIN_WIDTH;
  const bw = (width - 8) / n;
  const max = maxOf(chart.reference, chart.current);
  const parts = [open(width, `${label}: distribution of the reference (grey) and the new data (blue)`)];
  for (let k = 0; k < n; k++) {
    const x = 4 + k * bw;
    const tip = `${shortNumber(chart.edges[k]!)} to ${shortNumber(chart.edges[k + 1]!)}: reference ${share(chart.reference[k]!)}, new data ${share(chart.current[k]!)}`;
    parts.push(`<g><title>${escapeHtml(tip)}</title>${bar(x + 0.5, Math.max(0.5, bw - 1), chart.reference[k]!, max, 'reference')}${bar(x + 1.1, Math.max(0.5, bw - 2.2), chart.current[k]!, max, 'current')}</g>`);
  }
  parts.push(baseline(width));
  const y = TOP + PLOT + 13;
  parts.push(`<text x="4" y="${y}" font-size="9" fill="#333">${escapeHtml(shortNumber(chart.edges[0]!))}</text>`);
  parts.push(`<text x="${width - 4}" y="${y}" font-size="9" fill="#333" text-anchor="end">${escapeHtml(shortNumber(chart.edges[n]!))}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Grouped bars per category: grey (reference share) beside blue outline (new data share), the label truncated under them. */
function bars(chart: Extract<DriftChart, { kind: 'bars' }>, label: string): string {
  const n = Math.min(chart.categories.length, chart.reference.length, chart.current.length);
  if (n === 0) return empty(label);
  const group = 34;
  const width = Math.max(MIN_WIDTH, 8 + n * group);
  const gw = (width - 8) / n;
  const bw = Math.min(12, (gw - 6) / 2);
  const max = maxOf(chart.reference, chart.current);
  const parts = [open(width, `${label}: share of each category in the reference (grey) and the new data (blue)`)];
  for (let k = 0; k < n; k++) {
    const name = chart.categories[k]!;
    const mid = 4 + k * gw + gw / 2;
    const tip = `${name}: reference ${share(chart.reference[k]!)}, new data ${share(chart.current[k]!)}`;
    parts.push(
      `<g><title>${escapeHtml(tip)}</title>${bar(mid - bw - 0.5, bw, chart.reference[k]!, max, 'reference')}${bar(mid + 1.1, bw - 1.2, chart.current[k]!, max, 'current')}` +
        `<text x="${c(mid)}" y="${TOP + PLOT + 12}" font-size="8" fill="#333" text-anchor="middle">${escapeHtml(truncate(name))}</text></g>`,
    );
  }
  parts.push(baseline(width));
  parts.push('</svg>');
  return parts.join('');
}

/** The inline SVG of one feature's chart; `label` (the column name) is escaped into its <title> and aria-label. */
export function driftChartSvg(chart: DriftChart, label: string): string {
  return chart.kind === 'histogram' ? histogram(chart, label) : bars(chart, label);
}
