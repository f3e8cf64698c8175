/**
 * A drift check of a new batch against a reference, column by column, as
 * Evidently does it by default (drift-stats.ts): the reference side is
 * summarised once (`columnStats`: sorted values or category counts) and can be
 * reused for every batch checked against it; each feature gets the default
 * test for its kind and size (or the one the user chose) with PSI beside it,
 * the chart data for overlaid distributions, and the dataset counts as drifted
 * when at least a share of its features drift. Pure: tested in Node.
 */
import { columnAsStrings } from '../csv';
import type { ColumnData, ColumnSchema } from '../common';
import {
  DRIFT_TESTS,
  categoricalDriftScore,
  defaultDriftTest,
  finiteSorted,
  isDrifted,
  numericDriftScore,
  psiCategorical,
  psiNumeric,
  type DriftTestName,
} from './drift-stats';

/** One column of one side, summarised for drift tests. */
export type ColumnStats =
  | { name: string; kind: 'numeric'; rows: number; missing: number; sorted: Float64Array }
  | { name: string; kind: 'categorical'; rows: number; missing: number; counts: [string, number][] };

/** The kind a stored column is tested as; null for columns drift is not measured on (text, dates). */
export function driftKind(type: ColumnSchema['type']): 'numeric' | 'categorical' | null {
  if (type === 'numeric' || type === 'integer') return 'numeric';
  if (type === 'categorical' || type === 'boolean') return 'categorical';
  return null;
}

/**
 * Summarises one stored column (or only `subset` of its rows, e.g. a model's
 * training split): finite values ascending, or category counts (missing values
 * counted apart).
 */
export function columnStats(name: string, type: ColumnSchema['type'], data: ColumnData, subset?: Uint32Array): ColumnStats | null {
  const kind = driftKind(type);
  if (kind === null) return null;
  const rows = subset ? subset.length : data.kind === 'num' ? data.values.length : data.codes.length;
  if (kind === 'numeric') {
    if (data.kind !== 'num') return null;
    const sorted = finiteSorted(subset ? Float64Array.from(subset, (r) => data.values[r]!) : data.values);
    return { name, kind, rows, missing: rows - sorted.length, sorted };
  }
  // Booleans stored as 0/1 numbers and dictionary text alike become category counts.
  const { codes, dict } = columnAsStrings(data);
  const perCode = new Float64Array(dict.length + 1);
  if (subset) for (let i = 0; i < subset.length; i++) perCode[codes[subset[i]!]!]!++;
  else for (let i = 0; i < codes.length; i++) perCode[codes[i]!]!++;
  const counts: [string, number][] = [];
  for (let k = 1; k <= dict.length; k++) if (perCode[k]! > 0) counts.push([dict[k - 1]!, perCode[k]!]);
  return { name, kind, rows, missing: perCode[0]!, counts };
}

/** The user's choice of test and threshold for one column. */
export interface ColumnOverride {
  test?: DriftTestName;
  threshold?: number;
}

export interface DriftOptions {
  /** Per column, by name. */
  overrides?: Readonly<Record<string, ColumnOverride>>;
  /** The dataset counts as drifted when at least this share of its tested features drift (Evidently: 0.5). */
  shareThreshold?: number;
  /** Bins of the overlaid histograms. */
  bins?: number;
  /** Categories drawn in the bar charts (the rest are summed as "other"). */
  maxCategories?: number;
}

/** What the overlaid chart of one feature shows: shares of each side per bin or category. */
export type DriftChart =
  | { kind: 'histogram'; edges: number[]; reference: number[]; current: number[] }
  | { kind: 'bars'; categories: string[]; reference: number[]; current: number[] };

export interface FeatureDrift {
  column: string;
  kind: 'numeric' | 'categorical';
  test: DriftTestName;
  testLabel: string;
  threshold: number;
  /** The test's score: a p-value or a distance (NaN when it cannot be computed). */
  score: number;
  drifted: boolean;
  /** How far past (>1) or short of (<1) its threshold the score is, to sort by. */
  strength: number;
  /** PSI, shown beside the chosen test. */
  psi: number;
  referenceMissingShare: number;
  currentMissingShare: number;
  chart: DriftChart;
  /** Why a column could not be tested (no values on one side). */
  note?: string;
}

export interface DriftResult {
  features: FeatureDrift[];
  tested: number;
  drifted: number;
  share: number;
  shareThreshold: number;
  datasetDrift: boolean;
  /** Columns not tested, with the reason. */
  skipped: { column: string; reason: string }[];
}

/** How far a score is into drift: >= 1 past its threshold. p-values on a log scale. */
function strengthOf(test: DriftTestName, score: number, threshold: number): number {
  if (!Number.isFinite(score)) return 0;
  if (DRIFT_TESTS[test].score === 'p-value') {
    const p = Math.max(score, 1e-300);
    return Math.log10(p) / Math.log10(threshold);
  }
  return threshold > 0 ? score / threshold : score > 0 ? Infinity : 0;
}

function shares(counts: ArrayLike<number>, total: number): number[] {
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}

/** Overlaid histogram of two sorted samples over one set of equal-width bins. */
export function histogramChart(ref: Float64Array, cur: Float64Array, bins: number): DriftChart {
  const lo = Math.min(ref[0] ?? Infinity, cur[0] ?? Infinity);
  const hi = Math.max(ref[ref.length - 1] ?? -Infinity, cur[cur.length - 1] ?? -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { kind: 'histogram', edges: [], reference: [], current: [] };
  const n = lo === hi ? 1 : bins;
  const width = lo === hi ? 1 : (hi - lo) / n;
  const edges = Array.from({ length: n + 1 }, (_, k) => (k === n ? (lo === hi ? lo + 0.5 : hi) : lo - (lo === hi ? 0.5 : 0) + k * width));
  const count = (s: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < s.length; i++) out[Math.min(n - 1, Math.max(0, Math.floor((s[i]! - lo) / width)))]!++;
    return shares(out, s.length);
  };
  return { kind: 'histogram', edges, reference: count(ref), current: count(cur) };
}

/** Overlaid bars of two category counts: the most frequent categories of both, the rest as "other". */
export function barsChart(ref: readonly [string, number][], cur: readonly [string, number][], max: number): DriftChart {
  const r = new Map(ref);
  const c = new Map(cur);
  const rn = ref.reduce((s, [, v]) => s + v, 0);
  const cn = cur.reduce((s, [, v]) => s + v, 0);
  const all = [...new Set([...r.keys(), ...c.keys()])];
  const weight = (k: string) => (rn > 0 ? (r.get(k) ?? 0) / rn : 0) + (cn > 0 ? (c.get(k) ?? 0) / cn : 0);
  all.sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = all.slice(0, max);
  const rest = all.slice(max);
  const categories = rest.length > 0 ? [...shown, `other (${rest.length})`] : shown;
  const side = (m: Map<string, number>, total: number) => {
    const out = shown.map((k) => (total > 0 ? (m.get(k) ?? 0) / total : 0));
    if (rest.length > 0) out.push(total > 0 ? rest.reduce((s, k) => s + (m.get(k) ?? 0), 0) / total : 0);
    return out;
  };
  return { kind: 'bars', categories, reference: side(r, rn), current: side(c, cn) };
}

/** One feature's drift, from the two sides' stats. */
export function featureDrift(ref: ColumnStats, cur: ColumnStats, override: ColumnOverride = {}, bins = 20, maxCategories = 12): FeatureDrift | { skipped: string } {
  if (ref.kind !== cur.kind) return { skipped: `its type changed (${ref.kind} in the reference, ${cur.kind} in the new data)` };
  const refN = ref.kind === 'numeric' ? ref.sorted.length : ref.counts.reduce((s, [, v]) => s + v, 0);
  const curN = cur.kind === 'numeric' ? cur.sorted.length : cur.counts.reduce((s, [, v]) => s + v, 0);
  if (refN === 0 || curN === 0) return { skipped: `it has no values in the ${refN === 0 ? 'reference' : 'new data'}` };
  let distinct: number;
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    distinct = distinctOf(ref.sorted, cur.sorted, 6);
  } else {
    distinct = new Set([...(ref as { counts: [string, number][] }).counts.map(([k]) => k), ...(cur as { counts: [string, number][] }).counts.map(([k]) => k)]).size;
  }
  const kind = ref.kind === 'categorical' && distinct <= 2 ? 'binary' : ref.kind;
  const chosen = defaultDriftTest({ kind, distinct, referenceRows: refN });
  const test = override.test && DRIFT_TESTS[override.test].kinds.includes(ref.kind) ? override.test : chosen.test;
  const threshold = override.threshold ?? (override.test ? DRIFT_TESTS[test].defaultThreshold : chosen.threshold);
  let score: number;
  let psi: number;
  let chart: DriftChart;
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    score = numericDriftScore(test, ref.sorted, cur.sorted);
    psi = psiNumeric(ref.sorted, cur.sorted);
    chart = histogramChart(ref.sorted, cur.sorted, bins);
  } else {
    const rc = new Map((ref as { counts: [string, number][] }).counts);
    const cc = new Map((cur as { counts: [string, number][] }).counts);
    score = categoricalDriftScore(test, rc, cc);
    psi = psiCategorical(rc, cc);
    chart = barsChart((ref as { counts: [string, number][] }).counts, (cur as { counts: [string, number][] }).counts, maxCategories);
  }
  return {
    column: ref.name,
    kind: ref.kind,
    test,
    testLabel: DRIFT_TESTS[test].label,
    threshold,
    score,
    drifted: Number.isFinite(score) && isDrifted(test, score, threshold),
    strength: strengthOf(test, score, threshold),
    psi,
    referenceMissingShare: ref.rows > 0 ? ref.missing / ref.rows : 0,
    currentMissingShare: cur.rows > 0 ? cur.missing / cur.rows : 0,
    chart,
  };
}

/** Distinct values of two ascending samples together, counted up to `cap`. */
function distinctOf(a: Float64Array, b: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (const s of [a, b]) {
    for (let i = 0; i < s.length && seen.size < cap; i++) if (i === 0 || s[i] !== s[i - 1]) seen.add(s[i]!);
    if (seen.size >= cap) break;
  }
  return seen.size;
}

/**
 * Every feature's drift, sorted by how strongly it drifted, and the dataset
 * verdict. Columns are matched by name; one side's missing columns are left
 * to the schema check.
 */
export function driftReport(reference: readonly ColumnStats[], current: readonly ColumnStats[], options: DriftOptions = {}): DriftResult {
  const curByName = new Map(current.map((c) => [c.name, c]));
  const features: FeatureDrift[] = [];
  const skipped: { column: string; reason: string }[] = [];
  for (const ref of reference) {
    const cur = curByName.get(ref.name);
    if (!cur) {
      skipped.push({ column: ref.name, reason: 'it is not in the new data' });
      continue;
    }
    // Own properties only: a column may be called __proto__ or constructor.
    const override = options.overrides && Object.hasOwn(options.overrides, ref.name) ? options.overrides[ref.name] : undefined;
    const f = featureDrift(ref, cur, override, options.bins, options.maxCategories);
    if ('skipped' in f) skipped.push({ column: ref.name, reason: f.skipped });
    else features.push(f);
  }
  features.sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.strength - a.strength || (a.column < b.column ? -1 : 1));
  const drifted = features.filter((f) => f.drifted).length;
  const shareThreshold = options.shareThreshold ?? 0.5;
  const share = features.length > 0 ? drifted / features.length : 0;
  return { features, tested: features.length, drifted, share, shareThreshold, datasetDrift: features.length > 0 && share >= shareThreshold, skipped };
}

/** "6 of 17 features drifted (35%): below the 50% at which the dataset counts as drifted." */
export function driftSummary(r: DriftResult): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (r.tested === 0) return 'No feature could be tested: the reference and the new data share no column with values on both sides.';
  const head = `${r.drifted} of ${r.tested} ${r.tested === 1 ? 'feature' : 'features'} drifted (${pct(r.share)})`;
  const names = r.features.filter((f) => f.drifted).slice(0, 5).map((f) => f.column);
  const which = names.length > 0 ? `: ${names.join(', ')}${r.drifted > names.length ? ', …' : ''}` : '';
  return r.datasetDrift
    ? `${head}${which}. That is at least ${pct(r.shareThreshold)} of the features: the dataset has drifted.`
    : `${head}${which}. That is below the ${pct(r.shareThreshold)} at which the dataset counts as drifted.`;
}
