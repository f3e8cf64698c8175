/**
 * Permutation importance (Breiman 2001; scikit-learn's
 * `permutation_importance`): how much the model's score on the test split
 * drops when one feature's values are shuffled across rows, which breaks
 * that feature's link to the target while keeping its distribution. A
 * feature's whole block of encoded columns (a one-hot group) moves together,
 * so a row always carries one real category.
 */
import { deriveSeed, permutation, Rng } from '../common';
import type { FeatureImportance } from './explain-types';
import type { FeatureBlock } from './feature-blocks';

export interface PermutationOptions {
  /** The encoded test matrix, row-major rows x cols. Not modified. */
  x: Float32Array;
  rows: number;
  cols: number;
  /** The features to shuffle, each a block of matrix columns. */
  features: readonly Pick<FeatureBlock, 'feature' | 'start' | 'end'>[];
  /** The model's metric on a matrix of the same shape (it predicts, so async). */
  score: (x: Float32Array) => Promise<number>;
  /** False for a loss (RMSE): its rise is then the drop. */
  higherIsBetter: boolean;
  repeats: number;
  seed: number;
  /** The score of the unshuffled matrix, when already known (saves one prediction). */
  baseline?: number;
  /** After each score: done of total, and the feature just shuffled. */
  onProgress?: (done: number, total: number, feature: string) => void;
  /** A cancel point, awaited before each score (it throws to stop). */
  step?: () => Promise<void>;
}

export interface PermutationResult {
  baseline: number;
  /** Most important first (by mean drop; ties keep the features' order). */
  features: FeatureImportance[];
}

/**
 * The row order of `feature`'s shuffle number `repeat`: a seeded stream per
 * (feature, repeat), so a feature's drops do not depend on which other
 * features were shuffled before it.
 */
export function shuffleOrder(rows: number, seed: number, feature: string, repeat: number): Uint32Array {
  return permutation(rows, new Rng(deriveSeed(deriveSeed(seed, `importance:${feature}`), repeat)));
}

/** Mean and population standard deviation (as numpy's std, like scikit-learn reports). */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const ss = values.reduce((s, v) => s + (v - mean) * (v - mean), 0);
  return { mean, std: Math.sqrt(ss / n) };
}

/**
 * The drop of the score when each feature is shuffled, `repeats` times per feature.
 * One scratch copy of the matrix is reused: only the shuffled block changes
 * between scores, and it is restored once its feature is done.
 * @throws Error on a bad shape, block or repeat count; whatever `step` throws (cancel)
 */
export async function permutationImportance(opts: PermutationOptions): Promise<PermutationResult> {
  const { x, rows, cols, features, repeats } = opts;
  if (x.length !== rows * cols) throw new Error(`The matrix has ${x.length} values, not ${rows} x ${cols}.`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`Repeats must be a whole number of at least 1, got ${repeats}.`);
  for (const f of features) {
    if (!(f.start >= 0 && f.end > f.start && f.end <= cols)) throw new Error(`Feature “${f.feature}” has no valid column range (${f.start} to ${f.end} of ${cols}).`);
  }
  const scratch = x.slice();
  const baseline = opts.baseline ?? (await (async () => {
    await opts.step?.();
    return opts.score(scratch);
  })());
  const total = features.length * repeats;
  let done = 0;
  const out: FeatureImportance[] = [];
  for (const f of features) {
    const width = f.end - f.start;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = shuffleOrder(rows, opts.seed, f.feature, r);
      for (let i = 0; i < rows; i++) {
        const from = order[i]! * cols + f.start;
        const to = i * cols + f.start;
        for (let j = 0; j < width; j++) scratch[to + j] = x[from + j]!;
      }
      await opts.step?.();
      const s = await opts.score(scratch);
      drops.push(opts.higherIsBetter ? baseline - s : s - baseline);
      opts.onProgress?.(++done, total, f.feature);
    }
    // Put the feature back before the next one is shuffled.
    for (let i = 0; i < rows; i++) {
      const at = i * cols + f.start;
      for (let j = 0; j < width; j++) scratch[at + j] = x[at + j]!;
    }
    out.push({ feature: f.feature, ...meanStd(drops), drops });
  }
  const ranked = out.map((f, i) => ({ f, i })).sort((a, b) => b.f.mean - a.f.mean || a.i - b.i);
  return { baseline, features: ranked.map((r) => r.f) };
}
