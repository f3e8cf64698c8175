/**
 * Turning two samples into aligned frequency vectors, the way Evidently's
 * `get_binned_data` does for its Jensen-Shannon and PSI tests
 * (evidently/legacy/calculations/stattests/utils.py):
 *
 * - a numeric column whose reference has more than 20 distinct values is cut
 *   into equal-width bins over the pooled data, with the bin count from
 *   Sturges' rule: np.histogram_bin_edges(concat(ref, cur), bins='sturges');
 *   (Evidently's `n_bins=30` argument is accepted but never used);
 * - anything else is counted per distinct value over the union of both
 *   samples' values, a value missing from one sample counting 0 there;
 * - frequencies are count / sample size;
 * - for PSI only, zeros are then replaced, separately in each vector, by
 *   (smallest non-zero share) / 1e6 if that share is <= 1e-4, else by 1e-4.
 */

/** Category -> count. A Map keeps its keys' types; a plain object's keys are strings. */
export type CategoryCounts = ReadonlyMap<string | number, number> | Readonly<Record<string, number>>;

/** Two frequency vectors over the same bins or categories. */
export interface AlignedFrequencies {
  /** Bin labels: category keys, distinct values, or bin left edges. */
  keys: (string | number)[];
  reference: Float64Array;
  current: Float64Array;
}

function entries(counts: CategoryCounts): [string | number, number][] {
  return counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
}

/** Sum of a count map's values. */
export function totalCount(counts: CategoryCounts): number {
  let s = 0;
  for (const [, c] of entries(counts)) s += c;
  return s;
}

/**
 * Aligns two count maps over the union of their keys (reference keys first,
 * then keys seen only in current) and returns raw counts. Keys counted 0 on
 * both sides are left out, as Evidently's keys are the values actually seen.
 */
export function alignCounts(
  reference: CategoryCounts,
  current: CategoryCounts,
): { keys: (string | number)[]; reference: Float64Array; current: Float64Array } {
  const totals = new Map<string | number, [number, number]>();
  for (const [k, v] of entries(reference)) {
    const t = totals.get(k) ?? [0, 0];
    t[0] += v;
    totals.set(k, t);
  }
  for (const [k, v] of entries(current)) {
    const t = totals.get(k) ?? [0, 0];
    t[1] += v;
    totals.set(k, t);
  }
  const keys: (string | number)[] = [];
  const r: number[] = [];
  const c: number[] = [];
  for (const [k, [rv, cv]] of totals) {
    if (rv === 0 && cv === 0) continue;
    keys.push(k);
    r.push(rv);
    c.push(cv);
  }
  return { keys, reference: Float64Array.from(r), current: Float64Array.from(c) };
}

/** Counts of each distinct value of an ascending array, as a Map (value -> count). */
export function countSorted(sorted: Float64Array): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    out.set(v, j - i);
    i = j;
  }
  return out;
}

/** Number of distinct values in an ascending array. */
export function distinctSorted(sorted: Float64Array): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/**
 * Number of distinct values in the union of two ascending arrays, counting
 * no further than `cap` (choosing a default test only asks "more than 5?").
 */
export function distinctUnionSorted(a: Float64Array, b: Float64Array, cap = Infinity): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while ((i < a.length || j < b.length) && d < cap) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    d++;
  }
  return d;
}

/** First index whose value is >= x (or, with `inclusive`, > x), in an ascending array. */
function searchSorted(sorted: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? sorted[mid]! <= x : sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bin edges of np.histogram_bin_edges(concat(a, b), bins='sturges') for two
 * ascending, non-empty arrays, with numpy's arithmetic step for step
 * (width = range / (log2(size) + 1), bins = ceil(range / width), edges by
 * linspace), so values on an edge fall in the same bin as in numpy.
 */
export function sturgesEdges(a: Float64Array, b: Float64Array): Float64Array {
  let first = Math.min(a[0]!, b[0]!);
  let last = Math.max(a[a.length - 1]!, b[b.length - 1]!);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const size = a.length + b.length;
  const width = (last - first) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * np.histogram counts of an ascending array over `edges`: bins are
 * [e_i, e_{i+1}), the last one closed.
 */
export function histogramSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let lower = searchSorted(sorted, edges[0]!, false);
  for (let i = 0; i < bins; i++) {
    const upper = searchSorted(sorted, edges[i + 1]!, i === bins - 1);
    counts[i] = upper - lower;
    lower = upper;
  }
  return counts;
}

function divide(counts: Float64Array, n: number): Float64Array {
  for (let i = 0; i < counts.length; i++) counts[i]! /= n;
  return counts;
}

/**
 * Evidently's frequencies for a numeric column, from two ascending,
 * NaN-free, non-empty samples: Sturges histogram when the reference has
 * more than 20 distinct values, else shares per distinct value.
 */
export function numericFrequencies(reference: Float64Array, current: Float64Array): AlignedFrequencies {
  if (distinctSorted(reference) > 20) {
    const edges = sturgesEdges(reference, current);
    return {
      keys: [...edges.subarray(0, edges.length - 1)],
      reference: divide(histogramSorted(reference, edges), reference.length),
      current: divide(histogramSorted(current, edges), current.length),
    };
  }
  const keys: number[] = [];
  const r: number[] = [];
  const c: number[] = [];
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const v = j >= current.length || (i < reference.length && reference[i]! <= current[j]!) ? reference[i]! : current[j]!;
    const i0 = i;
    const j0 = j;
    while (i < reference.length && reference[i] === v) i++;
    while (j < current.length && current[j] === v) j++;
    keys.push(v);
    r.push((i - i0) / reference.length);
    c.push((j - j0) / current.length);
  }
  return { keys, reference: Float64Array.from(r), current: Float64Array.from(c) };
}

/** Evidently's frequencies for a categorical column: shares per category over the union of keys. */
export function categoricalFrequencies(reference: CategoryCounts, current: CategoryCounts): AlignedFrequencies {
  const aligned = alignCounts(reference, current);
  return {
    keys: aligned.keys,
    reference: divide(aligned.reference, totalCount(reference)),
    current: divide(aligned.current, totalCount(current)),
  };
}

/**
 * Evidently's `feel_zeroes` for PSI (a copy; the input is unchanged): every
 * zero share becomes min(non-zero)/1e6 when that minimum is <= 1e-4, else
 * 1e-4, so that log(ref/cur) stays finite.
 */
export function fillZeroShares(shares: Float64Array): Float64Array {
  let min = Infinity;
  for (const s of shares) if (s !== 0 && s < min) min = s;
  const fill = min <= 1e-4 ? min / 1e6 : 1e-4;
  return shares.map((s) => (s === 0 ? fill : s));
}
