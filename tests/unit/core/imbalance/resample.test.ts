import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from '../../../../src/lib/core/csv';
import { type SplitData, fitPreprocessor, transform, type InputColumn } from '../../../../src/lib/core/training';
import { Rng, randomNormal } from '../../../../src/lib/core/common';
import {
  applyStrategy,
  balancedClassWeights,
  categoricalBlocksOf,
  classCounts,
  randomOversample,
  randomUndersample,
  sampleWeights,
  smote,
  smoteWithOrigins,
} from '../../../../src/lib/core/imbalance';

/**
 * A split with `counts[c]` rows of class c. Column 0 is a unique row id (so a
 * row can be traced), the rest are normal draws shifted by the class.
 */
function makeSplit(counts: number[], cols: number, seed = 1): SplitData {
  const rows = counts.reduce((s, c) => s + c, 0);
  const rng = new Rng(seed);
  const x = new Float32Array(rows * cols);
  const y = new Float32Array(rows);
  let r = 0;
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++, r++) {
      y[r] = c;
      x[r * cols] = r;
      for (let j = 1; j < cols; j++) x[r * cols + j] = randomNormal(rng) + 2 * c;
    }
  });
  // Interleave the classes, as a real split would be.
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => ((a * 7919) % rows) - ((b * 7919) % rows) || a - b);
  return reorder({ x, y, rows }, cols, order);
}

function reorder(split: SplitData, cols: number, order: number[]): SplitData {
  const x = new Float32Array(order.length * cols);
  const y = new Float32Array(order.length);
  order.forEach((r, i) => {
    x.set(split.x.subarray(r * cols, r * cols + cols), i * cols);
    y[i] = split.y[r]!;
  });
  return { x, y, rows: order.length };
}

const rowOf = (s: SplitData, cols: number, i: number): number[] => Array.from(s.x.subarray(i * cols, i * cols + cols));
const key = (s: SplitData, cols: number, i: number): string => `${rowOf(s, cols, i).join(',')}|${s.y[i]}`;
const counts = (s: SplitData, k: number): number[] => classCounts(s.y.subarray(0, s.rows), k);

/** Keys of a split's rows with how often each appears. */
function multiset(s: SplitData, cols: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.rows; i++) m.set(key(s, cols, i), (m.get(key(s, cols, i)) ?? 0) + 1);
  return m;
}

/** The same split with junk behind its rows: functions must never read it. */
function withGarbage(s: SplitData, cols: number): SplitData {
  const x = new Float32Array((s.rows + 3) * cols).fill(999);
  x.set(s.x.subarray(0, s.rows * cols));
  const y = new Float32Array(s.rows + 3).fill(77); // 77 is not a class: reading it would throw
  y.set(s.y.subarray(0, s.rows));
  return { x, y, rows: s.rows };
}

/**
 * Brute force: the `n` nearest other rows of the same class, by squared
 * distance over `numeric` columns plus `penalty` per differing one-hot block;
 * the reference the SMOTE search must agree with.
 */
function bruteDistances(s: SplitData, cols: number, base: number, numeric: number[], blocks: number[][], penalty: number): { row: number; d: number }[] {
  const out: { row: number; d: number }[] = [];
  const catOf = (r: number, b: number[]): number => b.findIndex((j) => s.x[r * cols + j] === 1);
  for (let r = 0; r < s.rows; r++) {
    if (r === base || s.y[r] !== s.y[base]) continue;
    let d = 0;
    for (const j of numeric) d += (s.x[base * cols + j]! - s.x[r * cols + j]!) ** 2;
    for (const b of blocks) if (catOf(r, b) !== catOf(base, b)) d += penalty;
    out.push({ row: r, d });
  }
  return out.sort((a, b) => a.d - b.d || a.row - b.row);
}

describe('class weights', () => {
  it("are scikit-learn's balanced weights: n / (classes × count)", () => {
    expect(balancedClassWeights([90, 10])).toEqual([100 / 180, 100 / 20]);
    expect(balancedClassWeights([60, 30, 0, 10])).toEqual([100 / 240, 100 / 120, 0, 100 / 40]);
  });

  it('give each row its class weight, and the weighted classes sum equal', () => {
    const y = Float32Array.from([0, 1, 0, 0, 1]);
    const w = sampleWeights(y, balancedClassWeights(classCounts(y, 2)));
    expect(Array.from(w)).toEqual([5 / 6, 5 / 4, 5 / 6, 5 / 6, 5 / 4].map(Math.fround));
    expect(w[0]! * 3).toBeCloseTo(w[1]! * 2, 6);
  });

  it('reject a class index outside 0..k-1', () => {
    expect(() => classCounts(Float32Array.from([0, 2]), 2)).toThrow(/class index 2/);
    expect(() => classCounts(Float32Array.from([0, 0.5]), 2)).toThrow(/class index 0.5/);
  });
});

describe('random oversampling', () => {
  const cols = 4;
  const split = makeSplit([90, 10, 25], cols);

  it('draws every class up to the majority count and keeps every original row', () => {
    const out = randomOversample(split, cols, 3, 42);
    expect(out.rows).toBe(270);
    expect(counts(out, 3)).toEqual([90, 90, 90]);
    const after = multiset(out, cols);
    for (const [k, n] of multiset(split, cols)) expect(after.get(k) ?? 0).toBeGreaterThanOrEqual(n);
    // Copies are of the minority rows only; the majority is untouched.
    expect([...after].filter(([k]) => k.endsWith('|0')).every(([, n]) => n === 1)).toBe(true);
  });

  it('shuffles the output: the copies are not all at the end', () => {
    const out = randomOversample(split, cols, 3, 42);
    const tail = Array.from(out.y.subarray(out.rows - 50));
    expect(tail).toContain(0);
  });

  it('is seeded: same seed same rows, another seed other rows', () => {
    const a = randomOversample(split, cols, 3, 7);
    expect(randomOversample(split, cols, 3, 7)).toEqual(a);
    expect(Array.from(randomOversample(split, cols, 3, 8).x)).not.toEqual(Array.from(a.x));
  });

  it('leaves a class with no rows at zero', () => {
    expect(counts(randomOversample(makeSplit([5, 0, 2], cols), cols, 3, 1), 3)).toEqual([5, 0, 5]);
  });
});

describe('random undersampling', () => {
  const cols = 3;
  const split = makeSplit([90, 10, 25], cols);

  it('draws every class down to the minority count, without replacement, from the input rows', () => {
    const out = randomUndersample(split, cols, 3, 42);
    expect(counts(out, 3)).toEqual([10, 10, 10]);
    const input = multiset(split, cols);
    const after = multiset(out, cols);
    expect(after.size).toBe(30); // no row twice
    for (const k of after.keys()) expect(input.has(k)).toBe(true);
    // The minority class is kept whole.
    for (const [k] of [...input].filter(([k]) => k.endsWith('|1'))) expect(after.has(k)).toBe(true);
  });

  it('is seeded: same seed same rows, another seed other rows', () => {
    const a = randomUndersample(split, cols, 3, 3);
    expect(randomUndersample(split, cols, 3, 3)).toEqual(a);
    expect(Array.from(randomUndersample(split, cols, 3, 4).x)).not.toEqual(Array.from(a.x));
  });
});

describe('SMOTE', () => {
  const cols = 6;
  const split = makeSplit([200, 30, 60], cols);
  const numeric = [0, 1, 2, 3, 4, 5];

  it('appends (majority − count) synthetic rows per minority class after the unchanged originals', () => {
    const out = smoteWithOrigins(split, cols, 3, 11);
    expect(out.rows).toBe(600);
    expect(counts(out, 3)).toEqual([200, 200, 200]);
    expect(Array.from(out.x.subarray(0, split.rows * cols))).toEqual(Array.from(split.x));
    expect(Array.from(out.y.subarray(0, split.rows))).toEqual(Array.from(split.y));
    expect(out.origins).toHaveLength(310);
    expect(Array.from(out.y.subarray(split.rows, split.rows + 170)).every((c) => c === 1)).toBe(true);
    expect(Array.from(out.y.subarray(split.rows + 170)).every((c) => c === 2)).toBe(true);
    expect(smote(split, cols, 3, 11)).toEqual({ x: out.x, y: out.y, rows: out.rows });
  });

  it('puts every synthetic row on the segment from its base to one of the base’s 5 nearest rows of its class', () => {
    const out = smoteWithOrigins(split, cols, 3, 11);
    out.origins.forEach(({ base, neighbour, gap }, i) => {
      const row = split.rows + i;
      expect(out.y[row]).toBe(split.y[base]);
      expect(split.y[neighbour]).toBe(split.y[base]);
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(1);
      for (let j = 0; j < cols; j++) {
        const a = split.x[base * cols + j]!;
        const b = split.x[neighbour * cols + j]!;
        expect(Math.abs(out.x[row * cols + j]! - (a + gap * (b - a)))).toBeLessThan(1e-6 * Math.max(1, Math.abs(a), Math.abs(b)));
      }
      const nearest = bruteDistances(split, cols, base, numeric, [], 0);
      const d = nearest.find((n) => n.row === neighbour)!.d;
      expect(d).toBeLessThanOrEqual(nearest[4]!.d);
    });
  });

  it('uses every one of the 5 neighbours and spreads the bases over the class', () => {
    const out = smoteWithOrigins(split, cols, 3, 11);
    const ranks = new Set(out.origins.map(({ base, neighbour }) => bruteDistances(split, cols, base, numeric, [], 0).findIndex((n) => n.row === neighbour)));
    expect([...ranks].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(out.origins.filter((o) => split.y[o.base] === 1).map((o) => o.base)).size).toBeGreaterThan(25);
  });

  it('agrees with brute force on a larger class with duplicate rows and tied distances', () => {
    // 1,500 minority rows on a coarse 6 × 6 × 6 grid: many equal distances and repeated rows.
    const c = 3;
    const rng = new Rng(5);
    const n = 3400;
    const x = new Float32Array(n * c);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i < 1500 ? 1 : 0;
      for (let j = 0; j < c; j++) x[i * c + j] = i < 1500 ? rng.int(6) : randomNormal(rng);
    }
    const grid: SplitData = { x, y, rows: n };
    const out = smoteWithOrigins(grid, c, 2, 9, { neighbours: 3 });
    expect(out.origins).toHaveLength(400);
    for (const { base, neighbour } of out.origins) {
      const near = bruteDistances(grid, c, base, [0, 1, 2], [], 0);
      expect(near.find((m) => m.row === neighbour)!.d).toBeLessThanOrEqual(near[2]!.d);
    }
  });

  it('duplicates the one row of a class that has a single row', () => {
    const s = makeSplit([6, 1], 3);
    const out = smoteWithOrigins(s, 3, 2, 1);
    const only = Array.from(s.y).indexOf(1);
    expect(out.rows).toBe(12);
    for (let i = s.rows; i < out.rows; i++) expect(rowOf(out, 3, i)).toEqual(rowOf(s, 3, only));
    expect(out.origins.every((o) => o.base === only && o.neighbour === only && o.gap === 0)).toBe(true);
  });

  it('is seeded: same seed same rows, another seed other rows', () => {
    const a = smote(split, cols, 3, 21);
    expect(smote(split, cols, 3, 21)).toEqual(a);
    expect(Array.from(smote(split, cols, 3, 22).x)).not.toEqual(Array.from(a.x));
  });

  it('rejects overlapping blocks and bad neighbour counts', () => {
    expect(() => smote(split, cols, 3, 1, { categoricalBlocks: [[1, 2], [2, 3]] })).toThrow(/two categorical blocks/);
    expect(() => smote(split, cols, 3, 1, { categoricalBlocks: [[9]] })).toThrow(/outside/);
    expect(() => smote(split, cols, 3, 1, { neighbours: 0 })).toThrow(/at least 1 neighbour/);
  });
});

describe('SMOTE-NC', () => {
  // Columns: two numeric, a 3-category block (2..4) and a 2-category block (5..6).
  const cols = 7;
  const blocks = [
    [2, 3, 4],
    [5, 6],
  ];
  function mixed(): SplitData {
    const rng = new Rng(3);
    const n = 160;
    const x = new Float32Array(n * cols);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 4 === 0 ? 1 : 0;
      x[i * cols] = randomNormal(rng);
      x[i * cols + 1] = 3 * randomNormal(rng);
      x[i * cols + 2 + (rng.next() < 0.6 ? 0 : rng.int(3))] = 1;
      x[i * cols + 5 + rng.int(2)] = 1;
    }
    return { x, y, rows: n };
  }
  const split = mixed();

  /** imblearn's SMOTENC penalty: (median of the class's numeric population stds)² / 2 per differing block. */
  function penaltyOf(cls: number): number {
    const stds = [0, 1].map((j) => {
      const v: number[] = [];
      for (let i = 0; i < split.rows; i++) if (split.y[i] === cls) v.push(split.x[i * cols + j]!);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    });
    const med = (stds[0]! + stds[1]!) / 2;
    return (med * med) / 2;
  }

  it('gives one-hot blocks set to the majority category of the base’s 5 neighbours, numeric columns on the segment', () => {
    const out = smoteWithOrigins(split, cols, 2, 13, { categoricalBlocks: blocks });
    expect(out.rows).toBe(240);
    const penalty = penaltyOf(1);
    out.origins.forEach(({ base, neighbour, gap }, i) => {
      const row = split.rows + i;
      const near = bruteDistances(split, cols, base, [0, 1], blocks, penalty);
      expect(near.find((m) => m.row === neighbour)!.d).toBeLessThanOrEqual(near[4]!.d * (1 + 1e-9));
      for (const j of [0, 1]) {
        const a = split.x[base * cols + j]!;
        expect(out.x[row * cols + j]).toBeCloseTo(a + gap * (split.x[neighbour * cols + j]! - a), 5);
      }
      for (const block of blocks) {
        const values = block.map((j) => out.x[row * cols + j]!);
        expect(values.filter((v) => v === 1)).toHaveLength(1);
        expect(values.filter((v) => v === 0)).toHaveLength(block.length - 1);
        const votes = block.map((j) => near.slice(0, 5).filter((m) => split.x[m.row * cols + j] === 1).length);
        expect(values.indexOf(1)).toBe(votes.indexOf(Math.max(...votes)));
      }
    });
  });

  it('counts a differing block in the distance: a numerically nearer row of another category loses', () => {
    // Minority rows (x, category of block [1, 2]); the class's std of x is about 1.9, so a differing block costs ≈ 1.8.
    const rowsIn: [number, number, number][] = [
      [0, 1, 0],
      [0.1, 0, 1],
      [0.11, 1, 0],
      [3, 1, 0],
      [-3, 0, 1],
    ];
    const majority = Array.from({ length: 40 }, (): [number, number, number] => [10, 1, 0]);
    const all = [...rowsIn, ...majority];
    const s: SplitData = { x: Float32Array.from(all.flat()), y: Float32Array.from(all, (_, i) => (i < 5 ? 1 : 0)), rows: all.length };
    const out = smoteWithOrigins(s, 3, 2, 4, { neighbours: 1, categoricalBlocks: [[1, 2]] });
    const fromFirst = out.origins.filter((o) => o.base === 0);
    expect(fromFirst.length).toBeGreaterThan(0);
    // Row 1 is nearer on x (0.1 < 0.11) but of the other category: row 2 wins.
    expect(fromFirst.every((o) => o.neighbour === 2)).toBe(true);
    expect(out.origins.filter((o) => o.base === 1).every((o) => o.neighbour === 2)).toBe(true);
  });

  it('finds the blocks of categorical columns by feature name', () => {
    const column = (name: string, values: string[], type?: 'categorical'): InputColumn => {
      const b = new ColumnBuilder();
      for (const v of values) b.push(v);
      const built = b.finish();
      return { name, type: type ?? built.type, data: built.data };
    };
    const columns = [
      column('age', ['50', '61', '', '70', '45', '52']),
      column('sex', ['F', 'M', 'M', 'F', 'M', ''], 'categorical'),
      column('smoker', ['Yes', 'No', 'No', 'No', 'Yes', 'No']),
      column('race', ['a', 'b', 'c', 'a', 'a', 'b'], 'categorical'),
    ];
    const spec = fitPreprocessor(columns, Uint32Array.from([0, 1, 2, 3, 4, 5]), { missingIndicators: true, topK: 2 });
    const blocksFound = categoricalBlocksOf(spec.featureNames, spec);
    expect(blocksFound.map((b) => b.map((j) => spec.featureNames[j]))).toEqual([
      ['sex=M', 'sex=F', 'sex__other', 'sex__missing'],
      ['race=a', 'race=b', 'race__other'],
    ]);
    // Each block is one-hot in the transformed matrix, so SMOTE-NC can read it.
    const m = transform(spec, columns, Uint32Array.from([0, 1, 2, 3, 4, 5]));
    for (let i = 0; i < m.rows; i++) for (const b of blocksFound) expect(b.reduce((s, j) => s + m.x[i * m.cols + j]!, 0)).toBe(1);
  });
});

describe('applyStrategy', () => {
  const cols = 4;
  const split = makeSplit([90, 10], cols);

  it("returns the input unchanged for 'none'", () => {
    const r = applyStrategy('none', split, cols, 2, 1, []);
    expect(r.split).toBe(split);
    expect(r.weights).toBeNull();
  });

  it('weights rows for class weights and keeps the rows', () => {
    const r = applyStrategy('class-weights', split, cols, 2, 1, [], ['No', 'Yes']);
    expect(r.split).toBe(split);
    expect(Array.from(r.weights!)).toEqual(Array.from(split.y, (c) => Math.fround(c === 1 ? 5 : 100 / 180)));
    expect(r.note).toBe("Balanced class weights: 'No' rows weigh 0.56, 'Yes' rows weigh 5.00.");
  });

  it('resamples and says what it did in one sentence', () => {
    const names = ['No', 'Yes'];
    const over = applyStrategy('oversample', split, cols, 2, 1, [], names);
    expect(counts(over.split, 2)).toEqual([90, 90]);
    expect(over.note).toBe("Random oversampling: 80 copied rows; training now 50% 'Yes'.");
    const under = applyStrategy('undersample', split, cols, 2, 1, [], names);
    expect(counts(under.split, 2)).toEqual([10, 10]);
    expect(under.note).toBe("Random undersampling: 80 rows left out; training now 50% 'Yes'.");
    const sm = applyStrategy('smote', split, cols, 2, 1, [], names);
    expect(sm.split).toEqual(smote(split, cols, 2, 1));
    expect(sm.note).toBe("SMOTE: 80 synthetic 'Yes' rows; training now 50% 'Yes'.");
    expect(applyStrategy('smote', makeSplit([20000, 7655], 2), 2, 2, 1, []).note).toBe("SMOTE: 12,345 synthetic 'class 1' rows; training now 50% 'class 1'.");
  });
});

describe('rows past split.rows', () => {
  const cols = 5;
  const clean = makeSplit([40, 9], cols);
  const dirty = withGarbage(clean, cols);
  const noGarbage = (s: SplitData): void => {
    expect(s.x.length).toBe(s.rows * cols);
    expect(s.y.length).toBe(s.rows);
    expect(Array.from(s.x).some((v) => v === 999 || Number.isNaN(v))).toBe(false);
    expect(Array.from(s.y).every((v) => v === 0 || v === 1)).toBe(true);
  };

  it('are never read by any strategy', () => {
    noGarbage(randomOversample(dirty, cols, 2, 1));
    noGarbage(randomUndersample(dirty, cols, 2, 1));
    noGarbage(smote(dirty, cols, 2, 1));
    noGarbage(smote(dirty, cols, 2, 1, { categoricalBlocks: [[3, 4]] }));
    expect(randomOversample(dirty, cols, 2, 1)).toEqual(randomOversample(clean, cols, 2, 1));
    expect(smote(dirty, cols, 2, 1)).toEqual(smote(clean, cols, 2, 1));
    expect(applyStrategy('class-weights', dirty, cols, 2, 1, []).weights).toHaveLength(clean.rows);
  });
});
