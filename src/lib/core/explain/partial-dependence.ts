/**
 * Partial dependence (Friedman 2001; scikit-learn's `partial_dependence`,
 * method "brute"): the model's mean prediction over a seeded sample of test
 * rows when one feature is set to each value of a grid, every other feature
 * left as it is. A value is encoded through the model's own preprocessing, so
 * scaling, one-hot blocks and missing indicators are exactly as in training.
 */
import { deriveSeed, permutation, Rng, type ColumnData } from '../common';
import { columnAsNumbers, quantileSorted } from '../csv';
import type { PreprocessSpec } from '../training';
import type { PartialDependence } from './explain-types';
import { encodeValue, type FeatureBlock } from './feature-blocks';
import type { OutputColumn } from './scoring';

/** Categorical curves show at most this many categories (the model's most frequent). */
export const MAX_PD_CATEGORIES = 20;

/** Lower and upper quantile of a numeric grid. */
const GRID_LOW = 0.05;
const GRID_HIGH = 0.95;


/**
 * The grid of a numeric feature from its raw values (NaN and infinities
 * ignored): when it has at most `points` distinct values, those values (an
 * integer count, a flag stored as a number); otherwise `points` quantiles at
 * evenly spaced levels from the 5th to the 95th percentile, duplicates dropped.
 */
export function numericGrid(values: ArrayLike<number>, points: number): number[] {
  if (!Number.isInteger(points) || points < 2) throw new Error(`Grid points must be a whole number of at least 2, got ${points}.`);
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) present.push(values[i]!);
  const sorted = Float64Array.from(present).sort();
  const distinct: number[] = [];
  for (const v of sorted) {
    if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
    if (distinct.length > points) break;
  }
  if (distinct.length <= points) return distinct;
  const grid: number[] = [];
  for (let i = 0; i < points; i++) {
    const v = quantileSorted(sorted, GRID_LOW + ((GRID_HIGH - GRID_LOW) * i) / (points - 1));
    if (grid.length === 0 || grid[grid.length - 1] !== v) grid.push(v);
  }
  return grid;
}

/** One feature's curve to draw: its block and its stored raw column. */
export interface PdFeature {
  block: FeatureBlock;
  /** The feature's raw column as stored (indexed by dataset row). */
  data: ColumnData;
}

/**
 * The grid of a feature: numeric and integer columns by `numericGrid` over the
 * raw values at `datasetRows`; categorical ones the model's kept categories
 * (most frequent first, at most MAX_PD_CATEGORIES); booleans false and true.
 * Null for a datetime feature (no curve: its parts are several features).
 */
export function gridOf(spec: PreprocessSpec, f: PdFeature, datasetRows: Uint32Array, points: number): Pick<PartialDependence, 'kind' | 'grid'> | null {
  const fit = spec.columns.find((c) => c.name === f.block.feature);
  if (!fit || fit.type === 'text' || fit.type === 'datetime') return null;
  if (fit.type === 'categorical') return { kind: 'categorical', grid: fit.categories.slice(0, MAX_PD_CATEGORIES) };
  if (fit.type === 'boolean') return { kind: 'categorical', grid: ['false', 'true'] };
  const all = columnAsNumbers(f.data);
  return { kind: 'numeric', grid: numericGrid(Float64Array.from(datasetRows, (r) => all[r]!), points) };
}

export interface PartialDependenceOptions {
  /** The encoded test matrix, row-major rows x cols. Not modified. */
  x: Float32Array;
  rows: number;
  cols: number;
  spec: PreprocessSpec;
  features: readonly PdFeature[];
  /** The dataset row of each matrix row (for the raw values of a numeric grid). */
  datasetRows: Uint32Array;
  gridPoints: number;
  sampleRows: number;
  seed: number;
  /** Head outputs of a matrix of `rows` rows. */
  predict: (x: Float32Array, rows: number) => Promise<Float32Array>;
  /** What is averaged (see scoring's outputColumn). */
  output: OutputColumn;
  /** After each grid point: done of total, and the feature. */
  onProgress?: (done: number, total: number, feature: string) => void;
  /** A cancel point, awaited before each prediction (it throws to stop). */
  step?: () => Promise<void>;
}

/** The seeded sample of matrix rows a curve averages over, ascending. */
export function sampleOf(rows: number, sampleRows: number, seed: number): Uint32Array {
  const m = Math.max(0, Math.min(rows, Math.floor(sampleRows)));
  return permutation(rows, new Rng(deriveSeed(seed, 'partial-dependence'))).slice(0, m).sort();
}

/**
 * The partial dependence curve of each feature (datetime features are left
 * out). One copy of the sample rows is reused: only the feature's block is
 * set per grid value, and restored once the feature is done.
 * @throws Error on a bad shape; whatever `step` throws (cancel)
 */
export async function partialDependence(opts: PartialDependenceOptions): Promise<PartialDependence[]> {
  const { x, rows, cols } = opts;
  if (x.length !== rows * cols) throw new Error(`The matrix has ${x.length} values, not ${rows} x ${cols}.`);
  if (opts.datasetRows.length !== rows) throw new Error(`${opts.datasetRows.length} dataset rows were given for ${rows} matrix rows.`);
  const sample = sampleOf(rows, opts.sampleRows, opts.seed);
  const m = sample.length;
  const original = new Float32Array(m * cols);
  sample.forEach((r, i) => original.set(x.subarray(r * cols, (r + 1) * cols), i * cols));
  const scratch = original.slice();
  const grids = opts.features.map((f) => gridOf(opts.spec, f, opts.datasetRows, opts.gridPoints));
  const total = grids.reduce((s, g) => s + (g?.grid.length ?? 0), 0);
  let done = 0;
  const out: PartialDependence[] = [];
  for (let fi = 0; fi < opts.features.length; fi++) {
    const g = grids[fi];
    const { block } = opts.features[fi]!;
    if (!g) continue;
    const width = block.end - block.start;
    const mean: number[] = [];
    for (const value of g.grid) {
      const encoded = encodeValue(opts.spec, block, String(value));
      for (let i = 0; i < m; i++) scratch.set(encoded, i * cols + block.start);
      await opts.step?.();
      const values = opts.output.pick(await opts.predict(scratch, m), m);
      let sum = 0;
      for (let i = 0; i < m; i++) sum += values[i]!;
      mean.push(m > 0 ? sum / m : NaN);
      opts.onProgress?.(++done, total, block.feature);
    }
    for (let i = 0; i < m; i++) {
      const at = i * cols + block.start;
      scratch.set(original.subarray(at, at + width), at);
    }
    out.push({ feature: block.feature, kind: g.kind, grid: g.grid, mean, output: opts.output.output });
  }
  return out;
}
