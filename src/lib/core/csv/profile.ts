/**
 * Column profiles: counts, missing values, top values, and for numbers the
 * summary statistics and histogram a user would get from pandas' describe().
 */
import { columnAsNumbers, columnAsStrings, parseIsoDate } from './infer';
import { histogramRuns, meanStdRuns, quantileRuns, runsByCounting } from './runs';
import {
  TOP_K,
  type ColumnData,
  type ColumnProfile,
  type ColumnType,
  type DatasetProfile,
  type NumericStats,
  type ValueCount,
} from '../common';

/** The quantiles reported in NumericStats, in order. */
export const QUANTILES: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Histogram bins for non-integer data (and wide integer ranges). */
export const MAX_BINS = 30;

/**
 * Quantile of sorted data with numpy's default 'linear' method (pandas'
 * quantile and describe()): virtual index (n - 1) * p, interpolated the way
 * numpy's `_lerp` does, from the upper neighbour when the fraction is >= 0.5,
 * so results match to the last bit.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.min(lo + 1, n - 1);
  const t = index - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Sum with Neumaier compensation, so long columns keep full precision. */
function accurateSum(values: Float64Array): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}

/**
 * Mean and sample standard deviation (n - 1). Two passes, the second with the
 * correction term of the "corrected two-pass" algorithm, which cancels most
 * of the rounding error in the mean. std is NaN for a single value, as in pandas.
 */
export function meanStd(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = accurateSum(values) / n;
  if (n === 1) return { mean, std: NaN };
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
    s += d;
  }
  const variance = (ss - (s * s) / n) / (n - 1);
  return { mean, std: Math.sqrt(Math.max(0, variance)) };
}

/**
 * Equal-width histogram of sorted values. Integer data spanning at most 30
 * gets one bin per integer (edges at k ± 0.5) so bars sit on the values;
 * otherwise min(30, distinct values) bins between min and max.
 */
export function histogram(
  sorted: Float64Array,
  unique: number,
  integer: boolean,
): { edges: number[]; counts: number[] } {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (integer && Number.isInteger(min) && Number.isInteger(max) && max - min <= 30) {
    const bins = max - min + 1;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.max(0, Math.round(sorted[i]! - min)))]!++;
    const edges = Array.from({ length: bins + 1 }, (_, k) => min - 0.5 + k);
    return { edges, counts };
  }
  if (min === max) return { edges: [min - 0.5, max + 0.5], counts: [n] };
  const bins = Math.min(MAX_BINS, Math.max(1, unique));
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const k = Math.floor((sorted[i]! - min) / width);
    counts[k >= bins ? bins - 1 : k]!++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width));
  return { edges, counts };
}

/**
 * Keeps the K best (value, count) pairs: higher count first, ties by `less`
 * (value ascending). Insertion into a short sorted list: O(n * K) worst case,
 * far cheaper than sorting every distinct value when K is 20.
 */
class TopK<V> {
  readonly items: { value: V; count: number }[] = [];
  constructor(
    private readonly k: number,
    private readonly less: (a: V, b: V) => boolean,
  ) {}

  offer(value: V, count: number): void {
    const items = this.items;
    if (items.length === this.k) {
      const worst = items[items.length - 1]!;
      if (count < worst.count || (count === worst.count && !this.less(value, worst.value))) return;
      items.pop();
    }
    let at = items.length;
    while (at > 0) {
      const prev = items[at - 1]!;
      if (prev.count > count || (prev.count === count && this.less(prev.value, value))) break;
      at--;
    }
    items.splice(at, 0, { value, count });
  }
}

function emptyProfile(name: string, type: ColumnType, rows: number): ColumnProfile {
  return { name, type, count: 0, missing: rows, missingPct: rows > 0 ? 100 : 0, unique: 0, top: [], otherCount: 0 };
}

/** Columns with at most this many distinct numbers are profiled from counts instead of a sort. */
const COUNTED_DISTINCT_MAX = 4096;

function profileNumbers(name: string, type: ColumnType, data: ColumnData, rows: number): ColumnProfile {
  const all = columnAsNumbers(data);
  const integer = type === 'integer' || type === 'boolean';
  const runs = runsByCounting(all, COUNTED_DISTINCT_MAX);
  if (runs) {
    if (runs.n === 0) return emptyProfile(name, type, rows);
    const top = new TopK<number>(TOP_K, (a, b) => a < b);
    for (let k = 0; k < runs.values.length; k++) top.offer(runs.values[k]!, runs.counts[k]!);
    const numeric: NumericStats = {
      min: runs.values[0]!,
      max: runs.values[runs.values.length - 1]!,
      ...meanStdRuns(runs),
      quantiles: QUANTILES.map((p) => ({ p, value: quantileRuns(runs, p) })),
      histogram: histogramRuns(runs, integer, MAX_BINS),
    };
    const topValues: ValueCount[] = top.items.map((t) => ({ value: String(t.value), count: t.count }));
    return finishProfile(name, type, rows, runs.n, runs.values.length, topValues, { numeric });
  }
  let count = 0;
  for (let i = 0; i < all.length; i++) if (all[i] === all[i]) count++;
  if (count === 0) return emptyProfile(name, type, rows);
  const sorted = new Float64Array(count);
  for (let i = 0, j = 0; i < all.length; i++) {
    const x = all[i]!;
    if (x === x) sorted[j++] = x;
  }
  sorted.sort();

  const top = new TopK<number>(TOP_K, (a, b) => a < b);
  let unique = 0;
  for (let i = 0; i < count; ) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < count && sorted[j] === v) j++;
    unique++;
    top.offer(v, j - i);
    i = j;
  }
  const { mean, std } = meanStd(sorted);
  const numeric: NumericStats = {
    min: sorted[0]!,
    max: sorted[count - 1]!,
    mean,
    std,
    quantiles: QUANTILES.map((p) => ({ p, value: quantileSorted(sorted, p) })),
    histogram: histogram(sorted, unique, integer),
  };
  const topValues: ValueCount[] = top.items.map((t) => ({ value: String(t.value), count: t.count }));
  return finishProfile(name, type, rows, count, unique, topValues, { numeric });
}

function profileStrings(name: string, type: ColumnType, data: ColumnData, rows: number): ColumnProfile {
  const { codes, dict } = columnAsStrings(data);
  const counts = new Uint32Array(dict.length + 1);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  const top = new TopK<string>(TOP_K, (a, b) => a < b);
  let unique = 0;
  let count = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  for (let k = 1; k < counts.length; k++) {
    const c = counts[k]!;
    if (c === 0) continue;
    unique++;
    count += c;
    const value = dict[k - 1]!;
    top.offer(value, c);
    if (type === 'datetime') {
      const t = parseIsoDate(value);
      if (t < minT) minT = t;
      if (t > maxT) maxT = t;
    }
  }
  if (count === 0) return emptyProfile(name, type, rows);
  const extra: Partial<ColumnProfile> = {};
  if (type === 'datetime' && minT <= maxT) {
    extra.datetime = { min: new Date(minT).toISOString(), max: new Date(maxT).toISOString() };
  }
  const topValues: ValueCount[] = top.items.map((t) => ({ value: t.value, count: t.count }));
  return finishProfile(name, type, rows, count, unique, topValues, extra);
}

function finishProfile(
  name: string,
  type: ColumnType,
  rows: number,
  count: number,
  unique: number,
  top: ValueCount[],
  extra: Partial<ColumnProfile>,
): ColumnProfile {
  const missing = rows - count;
  let covered = 0;
  for (const t of top) covered += t.count;
  return {
    name,
    type,
    count,
    missing,
    missingPct: rows > 0 ? (missing / rows) * 100 : 0,
    unique,
    ...extra,
    top,
    otherCount: count - covered,
  };
}

/**
 * Profiles one column under `type`, whatever its storage (the user may have
 * overridden the inferred type). Numeric and integer columns (and booleans
 * stored as numbers) get NumericStats from `columnAsNumbers`, so strings that
 * do not parse count as missing there. Top values are strings; ties are
 * broken by value ascending (numeric order for numbers, code-unit order for
 * strings). Datetime columns also get their min and max as ISO strings (UTC).
 */
export function profileColumn(name: string, type: ColumnType, data: ColumnData, rows: number): ColumnProfile {
  const numeric = type === 'numeric' || type === 'integer' || (type === 'boolean' && data.kind === 'num');
  return numeric ? profileNumbers(name, type, data, rows) : profileStrings(name, type, data, rows);
}

/** Profiles every column; the three arrays are index-aligned (by position, never by name). */
export function profileDataset(
  names: readonly string[],
  types: readonly ColumnType[],
  columns: readonly ColumnData[],
  rows: number,
): DatasetProfile {
  const columnProfiles = columns.map((data, i) => profileColumn(names[i] ?? `column_${i + 1}`, types[i] ?? 'text', data, rows));
  return { rows, columns: columns.length, columnProfiles };
}
