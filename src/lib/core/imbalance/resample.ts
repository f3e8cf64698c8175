/**
 * Class-imbalance strategies over the TRAINING split only: class weights,
 * random over/undersampling and SMOTE (SMOTE-NC when one-hot blocks are
 * given). Validation and test never pass through here, so they keep the true
 * class distribution and nothing synthetic leaks into a score. Every draw is
 * seeded; each function reads only the first `split.rows` rows, so a buffer
 * with spare capacity behind the rows is safe to pass.
 */
import type { SplitData, PreprocessSpec, Imbalance } from '../training';
import { Rng, deriveSeed, permutation } from '../common';
import { classFeatures, nearestNeighbours } from './knn';

/** How training handles class imbalance. */
export type ImbalanceStrategy = Imbalance;

/** Every strategy, in the order the UI lists them. */
export const IMBALANCE_STRATEGIES: readonly ImbalanceStrategy[] = ['none', 'class-weights', 'oversample', 'undersample', 'smote'];

/** Where a SMOTE row came from: input row indices and the interpolation gap in [0, 1). */
export interface SyntheticOrigin {
  base: number;
  neighbour: number;
  gap: number;
}

export interface SmoteOptions {
  /** Nearest minority neighbours to interpolate towards. Default 5 (imblearn's k_neighbors). */
  neighbours?: number;
  /** Column index groups of one-hot blocks (see `categoricalBlocksOf`); non-empty turns on SMOTE-NC. */
  categoricalBlocks?: number[][];
}

/**
 * Rows per class among `y`'s entries (pass `y.subarray(0, rows)` for a split).
 * @throws Error when an entry is not a class index in [0, k).
 */
export function classCounts(y: Float32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < y.length; i++) counts[classOf(y[i]!, k)]!++;
  return counts;
}

/**
 * scikit-learn's "balanced" class weights: n_samples / (n_classes × count).
 * A class with no rows gets weight 0 (nothing to weigh, and no division by 0).
 */
export function balancedClassWeights(counts: number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (c > 0 ? total / (counts.length * c) : 0));
}

/**
 * One weight per entry of `y`: the weight of its class.
 * @throws Error when an entry is not a class index of `classWeights`.
 */
export function sampleWeights(y: Float32Array, classWeights: number[]): Float32Array {
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = classWeights[classOf(y[i]!, classWeights.length)]!;
  return out;
}

/**
 * Random oversampling: every class with rows is drawn up, with replacement,
 * to the majority count. The original rows are all kept; the copies follow,
 * and the result is shuffled by a seeded permutation.
 */
export function randomOversample(split: SplitData, cols: number, k: number, seed: number): SplitData {
  const byClass = rowsByClass(split, cols, k);
  const target = Math.max(0, ...byClass.map((r) => r.length));
  const picked: number[] = [];
  for (let i = 0; i < split.rows; i++) picked.push(i);
  byClass.forEach((rows, c) => {
    if (rows.length === 0) return;
    const rng = new Rng(deriveSeed(seed, `oversample:${c}`));
    for (let n = rows.length; n < target; n++) picked.push(rows[rng.int(rows.length)]!);
  });
  const order = permutation(picked.length, new Rng(deriveSeed(seed, 'oversample:shuffle')));
  return gather(split, cols, Array.from(order, (i) => picked[i]!));
}

/**
 * Random undersampling: every class with rows is drawn down, without
 * replacement, to the smallest non-zero class count. Kept rows stay in their
 * input order (training shuffles each epoch anyway).
 */
export function randomUndersample(split: SplitData, cols: number, k: number, seed: number): SplitData {
  const byClass = rowsByClass(split, cols, k);
  const present = byClass.filter((r) => r.length > 0);
  const target = present.length === 0 ? 0 : Math.min(...present.map((r) => r.length));
  const keep = new Uint8Array(split.rows);
  byClass.forEach((rows, c) => {
    const pool = Uint32Array.from(rows);
    const rng = new Rng(deriveSeed(seed, `undersample:${c}`));
    // A partial Fisher-Yates: the first `target` slots become a uniform sample without replacement.
    for (let i = 0; i < Math.min(target, pool.length); i++) {
      const j = i + rng.int(pool.length - i);
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
      keep[pool[i]!] = 1;
    }
  });
  const picked: number[] = [];
  for (let i = 0; i < split.rows; i++) if (keep[i]) picked.push(i);
  return gather(split, cols, picked);
}

/** SMOTE; see `smoteWithOrigins`. Returns the originals followed by the synthetic rows. */
export function smote(split: SplitData, cols: number, k: number, seed: number, options: SmoteOptions = {}): SplitData {
  const { x, y, rows } = smoteWithOrigins(split, cols, k, seed, options);
  return { x, y, rows };
}

/**
 * SMOTE (Chawla et al. 2002) as imbalanced-learn does it: each class below
 * the majority count gets (majority − count) synthetic rows. Each one takes a
 * seeded random row of the class (base), one of its `neighbours` nearest rows
 * of the same class, and a gap ~ U(0, 1): new = base + gap × (neighbour − base)
 * on every numeric column. With one-hot blocks (SMOTE-NC), distances add
 * median-std² / 2 per block where two rows differ (imblearn scales the one-hot
 * 1s to median-std / 2, so a differing block adds two such squares; the
 * median of the class's numeric population stds, or 1 with no numeric
 * column), and each synthetic block is the category most frequent among the
 * base's neighbours (ties: the lowest column). A class with one row gets
 * copies of it (gap 0). The output is the input rows, unshuffled, followed by
 * the synthetic rows class by class; `origins[i]` describes synthetic row i.
 * @throws Error on bad options, blocks or class indices.
 */
export function smoteWithOrigins(
  split: SplitData,
  cols: number,
  k: number,
  seed: number,
  options: SmoteOptions = {},
): SplitData & { origins: SyntheticOrigin[] } {
  const neighbours = options.neighbours ?? 5;
  if (!Number.isInteger(neighbours) || neighbours < 1) throw new Error(`SMOTE needs at least 1 neighbour, got ${neighbours}.`);
  const byClass = rowsByClass(split, cols, k);
  const blocks = checkBlocks(options.categoricalBlocks ?? [], cols);
  const inBlock = new Uint8Array(cols);
  for (const b of blocks) for (const j of b) inBlock[j] = 1;
  const numeric: number[] = [];
  for (let j = 0; j < cols; j++) if (!inBlock[j]) numeric.push(j);

  const target = Math.max(0, ...byClass.map((r) => r.length));
  const extra = byClass.reduce((s, r) => s + (r.length > 0 ? target - r.length : 0), 0);
  const total = split.rows + extra;
  const x = new Float32Array(total * cols);
  const y = new Float32Array(total);
  x.set(split.x.subarray(0, split.rows * cols));
  y.set(split.y.subarray(0, split.rows));
  const origins: SyntheticOrigin[] = [];
  let out = split.rows;

  byClass.forEach((members, c) => {
    const m = members.length;
    if (m === 0 || m === target) return;
    const rng = new Rng(deriveSeed(seed, `smote:${c}`));
    if (m === 1) {
      const only = members[0]!;
      for (let n = m; n < target; n++, out++) {
        x.copyWithin(out * cols, only * cols, only * cols + cols);
        y[out] = c;
        origins.push({ base: only, neighbour: only, gap: 0 });
      }
      return;
    }
    const feats = classFeatures(split.x, cols, members, numeric, blocks);
    const kk = Math.min(neighbours, m - 1);
    const nn = nearestNeighbours(feats, kk);
    const votes = new Int32Array(Math.max(0, ...blocks.map((b) => b.length)));
    for (let n = m; n < target; n++, out++) {
      const bi = rng.int(m);
      const ni = nn[bi * kk + rng.int(kk)]!;
      const gap = rng.next();
      const base = members[bi]! * cols;
      const nb = members[ni]! * cols;
      const o = out * cols;
      for (const j of numeric) {
        const a = split.x[base + j]!;
        x[o + j] = a + gap * (split.x[nb + j]! - a);
      }
      blocks.forEach((block, b) => {
        // The most frequent category among the base's neighbours; ties go to the lowest column.
        votes.fill(0);
        for (let q = 0; q < kk; q++) {
          const cat = feats.cat[nn[bi * kk + q]! * blocks.length + b]!;
          if (cat >= 0) votes[cat]!++;
        }
        let best = -1;
        for (let v = 0; v < block.length; v++) if (votes[v]! > 0 && (best < 0 || votes[v]! > votes[best]!)) best = v;
        if (best >= 0) x[o + block[best]!] = 1;
      });
      y[out] = c;
      origins.push({ base: members[bi]!, neighbour: members[ni]!, gap });
    }
  });
  return { x, y, rows: total, origins };
}

/**
 * The column index groups of each categorical column's one-hot features
 * (`<col>=<category>`, `<col>__other`, and `<col>__missing` when the column
 * has an indicator: a flagged missing value sets only that column, so it
 * belongs to the block) in a matrix with columns `featureNames`.
 */
export function categoricalBlocksOf(featureNames: string[], spec: PreprocessSpec): number[][] {
  const index = new Map(featureNames.map((n, i) => [n, i]));
  const blocks: number[][] = [];
  for (const col of spec.columns) {
    if (col.type !== 'categorical') continue;
    const names = [...col.categories.map((c) => `${col.name}=${c}`), `${col.name}__other`];
    if (col.indicator) names.push(`${col.name}__missing`);
    const block = names.map((n) => index.get(n)).filter((i): i is number => i !== undefined);
    if (block.length > 0) blocks.push(block);
  }
  return blocks;
}

/**
 * Applies a strategy to the training split. Returns the split to train on,
 * per-row weights (class weights only, else null) and one sentence for the
 * screen. `featureBlocks` are the one-hot blocks (SMOTE-NC); `classNames`,
 * when given, name the classes in the note.
 */
export function applyStrategy(
  strategy: ImbalanceStrategy,
  split: SplitData,
  cols: number,
  k: number,
  seed: number,
  featureBlocks: number[][],
  classNames?: readonly string[],
): { split: SplitData; weights: Float32Array | null; note: string } {
  if (strategy === 'none') return { split, weights: null, note: 'No imbalance strategy: training on the original class balance.' };
  const before = classCounts(split.y.subarray(0, split.rows), k);
  const name = (c: number): string => `'${classNames?.[c] ?? `class ${c}`}'`;
  // The class the note follows: the smallest one with rows (lowest index on a tie).
  let minority = -1;
  before.forEach((n, c) => {
    if (n > 0 && (minority < 0 || n < before[minority]!)) minority = c;
  });
  const shareNote = (after: SplitData): string => {
    if (minority < 0 || after.rows === 0) return '';
    const share = classCounts(after.y.subarray(0, after.rows), k)[minority]! / after.rows;
    return `; training now ${formatPercent(share)} ${name(minority)}`;
  };
  switch (strategy) {
    case 'class-weights': {
      const classWeights = balancedClassWeights(before);
      const parts = before.flatMap((n, c) => (n > 0 ? [`${name(c)} rows weigh ${classWeights[c]!.toFixed(2)}`] : []));
      return {
        split,
        weights: sampleWeights(split.y.subarray(0, split.rows), classWeights),
        note: `Balanced class weights: ${parts.join(', ')}.`,
      };
    }
    case 'oversample': {
      const after = randomOversample(split, cols, k, seed);
      return { split: after, weights: null, note: `Random oversampling: ${count(after.rows - split.rows)} copied rows${shareNote(after)}.` };
    }
    case 'undersample': {
      const after = randomUndersample(split, cols, k, seed);
      return { split: after, weights: null, note: `Random undersampling: ${count(split.rows - after.rows)} rows left out${shareNote(after)}.` };
    }
    case 'smote': {
      const after = smote(split, cols, k, seed, { categoricalBlocks: featureBlocks });
      const grown = before.flatMap((n, c) => (n > 0 && n < Math.max(...before) ? [c] : []));
      const what = grown.length === 1 ? `synthetic ${name(grown[0]!)} rows` : `synthetic rows for ${grown.length} classes`;
      return { split: after, weights: null, note: `SMOTE: ${count(after.rows - split.rows)} ${what}${shareNote(after)}.` };
    }
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function classOf(v: number, k: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= k) throw new Error(`A training row has class index ${v}, outside 0..${k - 1}.`);
  return v;
}

/** Row indices of each class among the split's first `rows` rows, after checking the shapes. */
function rowsByClass(split: SplitData, cols: number, k: number): number[][] {
  if (!Number.isInteger(cols) || cols < 0) throw new Error(`Column count must be a whole number, got ${cols}.`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`Class count must be a whole number of at least 1, got ${k}.`);
  if (split.x.length < split.rows * cols || split.y.length < split.rows) {
    throw new Error(`The training split holds fewer values than ${split.rows} rows × ${cols} columns.`);
  }
  const byClass: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < split.rows; i++) byClass[classOf(split.y[i]!, k)]!.push(i);
  return byClass;
}

function gather(split: SplitData, cols: number, picked: readonly number[]): SplitData {
  const x = new Float32Array(picked.length * cols);
  const y = new Float32Array(picked.length);
  picked.forEach((r, i) => {
    x.set(split.x.subarray(r * cols, r * cols + cols), i * cols);
    y[i] = split.y[r]!;
  });
  return { x, y, rows: picked.length };
}

function checkBlocks(blocks: number[][], cols: number): number[][] {
  const seen = new Uint8Array(cols);
  for (const b of blocks) {
    for (const j of b) {
      if (!Number.isInteger(j) || j < 0 || j >= cols) throw new Error(`A categorical block names column ${j}, outside 0..${cols - 1}.`);
      if (seen[j]) throw new Error(`Column ${j} is in two categorical blocks.`);
      seen[j] = 1;
    }
  }
  return blocks.filter((b) => b.length > 0);
}
