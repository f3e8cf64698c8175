/**
 * Seeded train / validation / test splits, optionally stratified by class.
 *
 * Sizes come from largest-remainder rounding of `n * fraction`, so they
 * always add up to n exactly and each is within one row of its exact share.
 * A stratified split rounds each class the same way and then fixes the
 * per-class roundings so that the totals still equal the unstratified sizes
 * (a small max-flow over classes x splits); each class then lands within one
 * row of its exact share in every split.
 */
import { Rng, deriveSeed, seededShuffle } from '../common';

/** Shares of the rows for each split; each >= 0, train > 0, summing to 1. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** Row indices of each split, sorted ascending. */
export interface SplitResult {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export interface SplitOptions {
  /**
   * The rows to split: a count n (rows 0..n-1) or the row indices. Rows
   * whose target is missing must be left out by the caller: they can be
   * neither stratified nor scored.
   */
  rows: number | Uint32Array;
  fractions: SplitFractions;
  /** Integer seed; same seed and rows, same split. */
  seed: number;
  /**
   * Class code of each row, indexed by row index (so a target column's
   * dictionary codes can be passed as they are): `stratify[r]` is row r's
   * class. When given, every split keeps the class proportions.
   */
  stratify?: Uint32Array;
}

const SPLITS = ['train', 'validation', 'test'] as const;
const FRACTION_TOLERANCE = 1e-9;

/**
 * Checks split fractions.
 * @throws Error with a message for the screen when a fraction is negative,
 * not a number, train is 0, or they do not sum to 1 (within 1e-9).
 */
export function validateFractions(fractions: SplitFractions): void {
  for (const name of SPLITS) {
    const f = fractions[name];
    if (typeof f !== 'number' || !Number.isFinite(f)) {
      throw new Error(`The ${name} fraction must be a number, got ${String(f)}.`);
    }
    if (f < 0) throw new Error(`The ${name} fraction must not be negative (got ${f}).`);
  }
  if (fractions.train <= 0) throw new Error('The train fraction must be above 0: a model needs rows to learn from.');
  const sum = fractions.train + fractions.validation + fractions.test;
  if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
    throw new Error(
      `The train, validation and test fractions must add up to 1 (they add up to ${+sum.toFixed(12)}).`,
    );
  }
}

/** n * f, snapped to a whole number when float error alone keeps it off one (0.57 * 100). */
function share(n: number, f: number): number {
  const x = n * f;
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 * Math.max(1, n) ? r : x;
}

/**
 * Largest-remainder rounding: whole numbers summing to `total`, each the
 * floor or ceiling of its exact share; ties go to the earlier entry.
 */
function largestRemainder(total: number, exact: readonly number[]): number[] {
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k]!.i]!++;
  return out;
}

/**
 * The number of rows each split gets out of n, as the UI shows them before
 * training. Sums to n exactly.
 * @throws Error on invalid fractions or a negative / fractional n.
 */
export function splitSizes(n: number, fractions: SplitFractions): SplitFractions {
  validateFractions(fractions);
  if (!Number.isInteger(n) || n < 0) throw new Error(`The row count must be a whole number, got ${n}.`);
  const [train, validation, test] = largestRemainder(
    n,
    SPLITS.map((s) => share(n, fractions[s])),
  ) as [number, number, number];
  return { train, validation, test };
}

/**
 * Splits rows into train, validation and test, seeded. With `stratify`,
 * each class is shuffled and cut separately so every split keeps the class
 * proportions (each class within one row of its exact share per split, the
 * split sizes the same as without stratification), and a class with at
 * least as many rows as there are non-empty splits (3 with the usual
 * fractions) gets at least one row in each split whose fraction is above 0;
 * that guarantee wins over exact proportions for very small classes.
 * @throws Error on invalid fractions, a bad seed, or `stratify` too short
 * for the row indices.
 */
export function splitRows(options: SplitOptions): SplitResult {
  const { fractions, seed, stratify } = options;
  validateFractions(fractions);
  const rows = typeof options.rows === 'number' ? range(options.rows) : options.rows;
  const n = rows.length;
  const sizes = splitSizes(n, fractions);
  // A named stream, so other seeded steps of a run never reuse the split's numbers.
  const rng = new Rng(deriveSeed(seed, 'split'));
  let parts: Uint32Array[];
  if (stratify === undefined) {
    // Sorted first, so the split depends on the set of rows and not on their order.
    parts = cut(seededShuffle(Uint32Array.from(rows).sort(), rng), SPLITS.map((s) => sizes[s]));
  } else {
    parts = stratifiedParts(rows, stratify, fractions, sizes, rng);
  }
  const [train, validation, test] = parts.map((p) => p.sort()) as [Uint32Array, Uint32Array, Uint32Array];
  return { train, validation, test };
}

function range(n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`The row count must be a whole number, got ${n}.`);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Consecutive pieces of `rows` with the given lengths. */
function cut(rows: Uint32Array, lengths: readonly number[]): Uint32Array[] {
  let at = 0;
  return lengths.map((len) => {
    const piece = rows.slice(at, at + len);
    at += len;
    return piece;
  });
}

function stratifiedParts(
  rows: Uint32Array,
  stratify: Uint32Array,
  fractions: SplitFractions,
  sizes: SplitFractions,
  rng: Rng,
): Uint32Array[] {
  // Group rows by class, classes in code order so the shuffles happen in a fixed order.
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const c = stratify[r];
    if (c === undefined) {
      throw new Error(`The class codes cover ${stratify.length} rows, but row ${r} was asked for.`);
    }
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(r);
  }
  const classes = [...groups.keys()].sort((a, b) => a - b);
  const counts = allocate(
    classes.map((c) => groups.get(c)!.length),
    SPLITS.map((s) => fractions[s]),
    SPLITS.map((s) => sizes[s]),
  );
  const parts = SPLITS.map((_, s) => new Uint32Array(counts.reduce((a, row) => a + row[s]!, 0)));
  const filled = SPLITS.map(() => 0);
  classes.forEach((c, ci) => {
    // Sorted first, so the split depends on the set of rows and not on their order.
    const members = Uint32Array.from(groups.get(c)!).sort();
    const pieces = cut(seededShuffle(members, rng), counts[ci]!);
    pieces.forEach((p, s) => {
      parts[s]!.set(p, filled[s]);
      filled[s]! += p.length;
    });
  });
  return parts;
}

/**
 * Rows per (class, split): each class's counts sum to its size; each count
 * is the floor or ceiling of its exact share (bar the at-least-one bump);
 * column sums equal `totals` whenever the bumps leave that possible.
 */
function allocate(classSizes: number[], fractions: number[], totals: number[]): number[][] {
  const S = fractions.length;
  const positive = fractions.filter((f) => f > 0).length;
  const exact = classSizes.map((n) => fractions.map((f) => share(n, f)));
  const counts = exact.map((row) => row.map((x) => Math.floor(x)));
  // 1 where a class may still take one more row in a split (a fractional share, not bumped).
  const room = exact.map((row, c) => row.map((x, s) => (x > counts[c]![s]! ? 1 : 0)));
  classSizes.forEach((n, c) => {
    const row = counts[c]!;
    if (n < positive) return;
    for (let s = 0; s < S; s++) {
      if (fractions[s]! > 0 && row[s] === 0) {
        row[s] = 1;
        room[c]![s] = 0;
      }
    }
    // Bumps may overshoot the class: take back from the largest split, keeping every positive split >= 1.
    let over = row.reduce((a, v) => a + v, 0) - n;
    while (over > 0) {
      let best = -1;
      for (let s = 0; s < S; s++) if (row[s]! > 1 && (best < 0 || row[s]! > row[best]!)) best = s;
      row[best]!--;
      room[c]![best] = 0;
      over--;
    }
  });
  const leftover = classSizes.map((n, c) => n - counts[c]!.reduce((a, v) => a + v, 0));
  const need = totals.map((t, s) => Math.max(0, t - counts.reduce((a, row) => a + row[s]!, 0)));
  distribute(leftover, need, room, exact, counts);
  // Only reached when bumps made exact totals impossible: the rest goes where its share is largest.
  leftover.forEach((left, c) => {
    const row = counts[c]!;
    for (; left > 0; left--) {
      let best = 0;
      for (let s = 1; s < S; s++) if (exact[c]![s]! - row[s]! > exact[c]![best]! - row[best]!) best = s;
      row[best]!++;
    }
    leftover[c] = 0;
  });
  return counts;
}

/**
 * Gives the leftover rows of each class to splits that still need rows, at
 * most one extra per (class, split) with room: a bipartite b-matching,
 * solved by a greedy pass (largest remainders first) and then augmenting
 * paths, which complete the assignment whenever one exists. Mutates
 * `leftover`, `need`, `room` and `counts`.
 */
function distribute(leftover: number[], need: number[], room: number[][], exact: number[][], counts: number[][]): void {
  const C = leftover.length;
  const S = need.length;
  // taken[c][s] = 1 when class c got its extra row in split s here (and so could move it).
  const taken = leftover.map(() => new Array<number>(S).fill(0));
  const move = (c: number, s: number, d: number): void => {
    counts[c]![s]! += d;
    room[c]![s]! -= d;
    taken[c]![s]! += d;
  };
  const cells: { c: number; s: number; r: number }[] = [];
  for (let c = 0; c < C; c++) {
    for (let s = 0; s < S; s++) if (room[c]![s]) cells.push({ c, s, r: exact[c]![s]! - counts[c]![s]! });
  }
  cells.sort((p, q) => q.r - p.r || p.c - q.c || p.s - q.s);
  for (const { c, s } of cells) {
    if (leftover[c]! > 0 && need[s]! > 0) {
      move(c, s, 1);
      leftover[c]!--;
      need[s]!--;
    }
  }
  for (let c0 = 0; c0 < C; c0++) {
    while (leftover[c0]! > 0) {
      const path = augmentingPath(c0, need, room, taken);
      if (!path) break;
      // Along the path only the ends change in total: c0 places one more row, the last split needs one less.
      for (const [c, s, d] of path) move(c, s, d);
      leftover[c0]!--;
      need[path[path.length - 1]![1]]!--;
    }
  }
}

/**
 * Breadth-first search from class `start`: class -> split where it has room;
 * a split that needs no more rows -> a class holding an extra row there,
 * which may move it elsewhere. Returns the steps [class, split, +1 | -1].
 */
function augmentingPath(start: number, need: number[], room: number[][], taken: number[][]): [number, number, number][] | null {
  const S = need.length;
  const prevOfSplit = new Array<[number, number] | undefined>(S); // [class that enters, split it leaves or -1]
  const seenClass = new Set<number>([start]);
  let frontier: { c: number; via: number }[] = [{ c: start, via: -1 }];
  while (frontier.length) {
    const next: { c: number; via: number }[] = [];
    for (const { c, via } of frontier) {
      for (let s = 0; s < S; s++) {
        if (prevOfSplit[s] || !room[c]![s]) continue;
        prevOfSplit[s] = [c, via];
        if (need[s]! > 0) return tracePath(s, prevOfSplit);
        for (let c2 = 0; c2 < taken.length; c2++) {
          if (!seenClass.has(c2) && taken[c2]![s] === 1) {
            seenClass.add(c2);
            next.push({ c: c2, via: s });
          }
        }
      }
    }
    frontier = next;
  }
  return null;
}

function tracePath(end: number, prevOfSplit: ([number, number] | undefined)[]): [number, number, number][] {
  const steps: [number, number, number][] = [];
  let s = end;
  for (;;) {
    const [c, via] = prevOfSplit[s]!;
    steps.push([c, s, 1]);
    if (via < 0) break;
    steps.push([c, via, -1]);
    s = via;
  }
  return steps.reverse();
}
