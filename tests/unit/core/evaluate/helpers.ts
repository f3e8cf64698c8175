/** Independent references for the evaluate tests: numpy's linear percentile, explicit resampled arrays. */

/** numpy.percentile(values, p * 100) with the linear method, NaN values dropped. */
export function npPercentile(values: number[], p: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

/** The rows of `values` at `rows` (an explicit resample). */
export function take(values: ArrayLike<number>, rows: ArrayLike<number>, width = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) for (let c = 0; c < width; c++) out.push(values[rows[i]! * width + c]!);
  return out;
}

/** Binary p(1) as the n x 2 probabilities the metrics domain reads. */
export function twoColumns(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length * 2);
  for (let i = 0; i < scores.length; i++) {
    out[2 * i] = 1 - scores[i]!;
    out[2 * i + 1] = scores[i]!;
  }
  return out;
}
