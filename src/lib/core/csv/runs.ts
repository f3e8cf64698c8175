/**
 * Sorted numbers as runs: each distinct value (ascending) with how many times
 * it occurs. Statistics computed from runs repeat, value by value, the very
 * operations done over the sorted array, so results are identical to the last
 * bit; but a low-cardinality column is counted in one pass instead of sorted.
 */

export interface Runs {
  /** Distinct values, ascending. */
  values: Float64Array;
  /** Occurrences of each value. */
  counts: Float64Array;
  /** Total number of values (sum of counts). */
  n: number;
}

/**
 * Runs of the non-NaN values of `all` by counting, or null when there are
 * more than `maxDistinct` distinct values (sort those instead) or a -0 (whose
 * place among the zeros depends on the sort).
 */
export function runsByCounting(all: Float64Array, maxDistinct: number): Runs | null {
  const index = new Map<number, number>();
  const counts: number[] = [];
  let n = 0;
  let lastValue = NaN;
  let lastSlot = -1;
  for (let i = 0; i < all.length; i++) {
    const x = all[i]!;
    if (x !== x) continue;
    n++;
    if (x === lastValue) {
      counts[lastSlot]!++;
      continue;
    }
    if (x === 0 && 1 / x < 0) return null;
    let slot = index.get(x);
    if (slot === undefined) {
      slot = counts.push(0) - 1;
      if (slot >= maxDistinct) return null;
      index.set(x, slot);
    }
    counts[slot]!++;
    lastValue = x;
    lastSlot = slot;
  }
  const values = Float64Array.from(index.keys()).sort();
  const sortedCounts = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) sortedCounts[k] = counts[index.get(values[k]!)!]!;
  return { values, counts: sortedCounts, n };
}

/** The value at rank `r` (0-based) of the sorted data. */
function valueAt(runs: Runs, r: number): number {
  let seen = 0;
  for (let k = 0; k < runs.values.length; k++) {
    seen += runs.counts[k]!;
    if (r < seen) return runs.values[k]!;
  }
  return NaN;
}

/** `quantileSorted` over runs. */
export function quantileRuns(runs: Runs, p: number): number {
  const n = runs.n;
  if (n === 0) return NaN;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.min(lo + 1, n - 1);
  const t = index - lo;
  const a = valueAt(runs, lo);
  const b = valueAt(runs, hi);
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `meanStd` over runs: the same Neumaier sum and corrected two-pass, value by value. */
export function meanStdRuns(runs: Runs): { mean: number; std: number } {
  const { values, counts, n } = runs;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  let comp = 0;
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!;
    const ax = Math.abs(x);
    for (let c = counts[k]!; c > 0; c--) {
      const t = sum + x;
      comp += Math.abs(sum) >= ax ? sum - t + x : x - t + sum;
      sum = t;
    }
  }
  const mean = (sum + comp) / n;
  if (n === 1) return { mean, std: NaN };
  let ss = 0;
  let s = 0;
  for (let k = 0; k < values.length; k++) {
    const d = values[k]! - mean;
    for (let c = counts[k]!; c > 0; c--) {
      ss += d * d;
      s += d;
    }
  }
  const variance = (ss - (s * s) / n) / (n - 1);
  return { mean, std: Math.sqrt(Math.max(0, variance)) };
}

/** `histogram` over runs (see profile.ts for the binning rules). */
export function histogramRuns(runs: Runs, integer: boolean, maxBins: number): { edges: number[]; counts: number[] } {
  const { values, counts: runCounts, n } = runs;
  if (n === 0) return { edges: [], counts: [] };
  const m = values.length;
  const min = values[0]!;
  const max = values[m - 1]!;
  if (integer && Number.isInteger(min) && Number.isInteger(max) && max - min <= 30) {
    const bins = max - min + 1;
    const counts = new Array<number>(bins).fill(0);
    for (let k = 0; k < m; k++) counts[Math.min(bins - 1, Math.max(0, Math.round(values[k]! - min)))]! += runCounts[k]!;
    const edges = Array.from({ length: bins + 1 }, (_, k) => min - 0.5 + k);
    return { edges, counts };
  }
  if (min === max) return { edges: [min - 0.5, max + 0.5], counts: [n] };
  const bins = Math.min(maxBins, Math.max(1, m));
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let k = 0; k < m; k++) {
    const b = Math.floor((values[k]! - min) / width);
    counts[b >= bins ? bins - 1 : b]! += runCounts[k]!;
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width));
  return { edges, counts };
}
