/**
 * Seeded bootstrap draws as per-row counts, and percentile intervals. The same
 * counts are handed to every model, which is what makes the differences paired.
 */
import { Rng } from '../common';
import { quantileSorted } from '../csv';
import type { Interval } from './evaluate-types';

/** 2^31: draws use 31 random bits so the modulo stays a small-integer operation. */
const HALF_RANGE = 2_147_483_648;

/** Draws one resample after another: n rows with replacement, uniform, seeded. */
export interface Resampler {
  /**
   * Fills `counts` (length n) with how many times each row is drawn in the next
   * resample; when `rows` (length n) is given, also the drawn row indices in draw order.
   */
  next(counts: Int32Array, rows?: Uint32Array): void;
}

/** A resampler of n rows whose stream is fixed by `seed` (Rng, unbiased by rejection). */
export function createResampler(n: number, seed: number): Resampler {
  if (!Number.isInteger(n) || n < 1 || n > HALF_RANGE) throw new RangeError(`The bootstrap needs between 1 and ${HALF_RANGE} rows, got ${n}.`);
  const rng = new Rng(seed);
  const limit = HALF_RANGE - (HALF_RANGE % n);
  // One block of n draws per resample, filled in one call (the state stays in locals); a
  // draw past the largest multiple of n (rare) is replaced by the stream's next value.
  const block = new Uint32Array(n);
  return {
    next(counts, rows) {
      counts.fill(0);
      rng.fillUint32(block);
      for (let i = 0; i < n; i++) {
        let u = block[i]! >>> 1;
        while (u >= limit) u = rng.uint32() >>> 1;
        const row = u % n;
        counts[row]! += 1;
        if (rows) rows[i] = row;
      }
    },
  };
}

/**
 * The 2.5% and 97.5% percentiles (numpy's linear method) of the values that
 * are not NaN, and how many were NaN; NaN bounds when none is defined.
 */
export function percentileInterval(values: Float64Array): Interval & { undefinedCount: number } {
  const kept = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) kept[m++] = v;
  }
  const undefinedCount = values.length - m;
  if (m === 0) return { low: NaN, high: NaN, undefinedCount };
  const sorted = kept.subarray(0, m).sort();
  return { low: quantileSorted(sorted, 0.025), high: quantileSorted(sorted, 0.975), undefinedCount };
}
