import { describe, expect, it } from 'vitest';
import { Rng, createRng, deriveSeed, normalizeSeed, permutation, randomNormal, seededShuffle } from '../../../../src/lib/core/common';
import { splitRows, splitSizes, validateFractions, type SplitFractions, type SplitResult } from '../../../../src/lib/core/training';

const F70: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

describe('seeded random numbers', () => {
  it('gives pinned first values (sfc32 seeded by splitmix32, checked against an independent implementation)', () => {
    const r = new Rng(42);
    expect([r.uint32(), r.uint32(), r.uint32(), r.uint32()]).toEqual([3825871779, 1851418855, 1383259262, 890322987]);
    const z = createRng(0);
    expect([z.uint32(), z.uint32()]).toEqual([548183886, 1097162541]);
    expect(z.next()).toBe(0.5167204516474158);
  });

  it('pins the first normal draws and has mean ~0 and variance ~1', () => {
    const g = new Rng(7);
    expect(randomNormal(g)).toBeCloseTo(0.1912452877363449, 14);
    expect(randomNormal(g)).toBeCloseTo(3.11584705044374, 14);
    let s = 0;
    let ss = 0;
    const n = 50_000;
    const h = new Rng(1);
    for (let i = 0; i < n; i++) {
      const v = randomNormal(h);
      s += v;
      ss += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.03);
  });

  it('keeps next() in [0, 1) and int(n) in range with every value reached', () => {
    const r = new Rng(3);
    const seen = new Uint32Array(7);
    for (let i = 0; i < 7000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      seen[r.int(7)]!++;
    }
    expect([...seen].every((c) => c > 850 && c < 1150)).toBe(true);
    expect(() => r.int(0)).toThrow(/whole number/);
    expect(() => r.int(2.5)).toThrow(/whole number/);
  });

  it('reads seeds as unsigned 32-bit integers and refuses the rest', () => {
    expect(normalizeSeed(-1)).toBe(4294967295);
    expect(normalizeSeed(2 ** 32 + 5)).toBe(5);
    expect(new Rng(-1).uint32()).toBe(new Rng(4294967295).uint32());
    expect(() => new Rng(1.5)).toThrow(/whole number/);
    expect(() => new Rng(Number.NaN)).toThrow(/whole number/);
  });

  it('clones a generator and derives independent named streams', () => {
    const a = new Rng(9);
    a.uint32();
    const b = a.clone();
    expect([a.uint32(), a.uint32()]).toEqual([b.uint32(), b.uint32()]);
    expect(deriveSeed(1, 'split')).toBe(deriveSeed(1, 'split'));
    expect(deriveSeed(1, 'split')).not.toBe(deriveSeed(1, 'shuffle'));
    expect(deriveSeed(1, 'split')).not.toBe(deriveSeed(2, 'split'));
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
  });

  it('shuffles deterministically into a permutation', () => {
    expect(Array.from(permutation(10, new Rng(1)))).toEqual([9, 7, 2, 8, 3, 5, 1, 6, 0, 4]);
    const a = seededShuffle(Uint32Array.from({ length: 100 }, (_, i) => i), new Rng(5));
    const b = seededShuffle(Uint32Array.from({ length: 100 }, (_, i) => i), new Rng(5));
    const c = seededShuffle(Uint32Array.from({ length: 100 }, (_, i) => i), new Rng(6));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(seededShuffle(['x'], new Rng(1))).toEqual(['x']);
  });
});

function checkPartition(s: SplitResult, rows: readonly number[]): void {
  const all = [...s.train, ...s.validation, ...s.test];
  expect(new Set(all).size).toBe(all.length); // no overlap
  expect(all.sort((a, b) => a - b)).toEqual([...rows].sort((a, b) => a - b)); // full coverage
  for (const part of [s.train, s.validation, s.test]) {
    for (let i = 1; i < part.length; i++) expect(part[i]! > part[i - 1]!).toBe(true); // sorted
  }
}

describe('split sizes', () => {
  it('uses largest-remainder rounding that sums exactly', () => {
    expect(splitSizes(1000, F70)).toEqual({ train: 700, validation: 150, test: 150 });
    expect(splitSizes(10, F70)).toEqual({ train: 7, validation: 2, test: 1 }); // 1.5 / 1.5: the tie goes to validation
    expect(splitSizes(101, F70)).toEqual({ train: 71, validation: 15, test: 15 });
    expect(splitSizes(100, { train: 0.57, validation: 0.43, test: 0 })).toEqual({ train: 57, validation: 43, test: 0 });
    expect(splitSizes(0, F70)).toEqual({ train: 0, validation: 0, test: 0 });
    for (let n = 0; n < 300; n++) {
      const s = splitSizes(n, { train: 0.6, validation: 0.25, test: 0.15 });
      expect(s.train + s.validation + s.test).toBe(n);
      expect(Math.abs(s.train - 0.6 * n)).toBeLessThan(1);
      expect(Math.abs(s.test - 0.15 * n)).toBeLessThan(1);
    }
  });

  it('refuses fractions that are negative, not numbers, leave no training rows or do not sum to 1', () => {
    expect(() => validateFractions({ train: 0.8, validation: 0.3, test: 0 })).toThrow(/add up to 1 \(they add up to 1.1\)/);
    expect(() => validateFractions({ train: 1.2, validation: -0.2, test: 0 })).toThrow(/validation fraction must not be negative/);
    expect(() => validateFractions({ train: Number.NaN, validation: 0.5, test: 0.5 })).toThrow(/train fraction must be a number/);
    expect(() => validateFractions({ train: 0, validation: 0.5, test: 0.5 })).toThrow(/train fraction must be above 0/);
    expect(() => validateFractions({ train: 0.7, validation: 0.2, test: 0.1 })).not.toThrow(); // 0.7 + 0.2 + 0.1 = 0.9999999999999999
    expect(() => splitRows({ rows: 10, fractions: { train: 0.5, validation: 0.2, test: 0.2 }, seed: 1 })).toThrow(/add up to 1/);
  });
});

describe('splitRows', () => {
  it('is deterministic for a seed, differs across seeds, and partitions the rows', () => {
    const a = splitRows({ rows: 500, fractions: F70, seed: 11 });
    const b = splitRows({ rows: 500, fractions: F70, seed: 11 });
    const c = splitRows({ rows: 500, fractions: F70, seed: 12 });
    expect(a).toEqual(b);
    expect(a.test).not.toEqual(c.test);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([350, 75, 75]);
    checkPartition(a, Array.from({ length: 500 }, (_, i) => i));
  });

  it('splits only the given rows (rows with a missing target left out by the caller)', () => {
    const rows = Uint32Array.from([0, 2, 3, 5, 8, 13, 21, 34, 55, 89]);
    const s = splitRows({ rows, fractions: { train: 0.8, validation: 0, test: 0.2 }, seed: 3 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([8, 0, 2]);
    checkPartition(s, [...rows]);
    // The set of rows decides, not their order.
    const reversed = splitRows({ rows: rows.slice().reverse(), fractions: { train: 0.8, validation: 0, test: 0.2 }, seed: 3 });
    expect(reversed).toEqual(s);
  });

  it('stratifies: every class within one row of its share, split sizes exact', () => {
    // 1000 rows: 60% class 0, 30% class 1, 10% class 2 (interleaved).
    const stratify = Uint32Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 2 : i % 10 <= 3 ? 1 : 0));
    const s = splitRows({ rows: 1000, fractions: F70, seed: 4, stratify });
    checkPartition(s, Array.from({ length: 1000 }, (_, i) => i));
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([700, 150, 150]);
    const count = (part: Uint32Array, c: number): number => part.filter((r) => stratify[r] === c).length;
    expect([0, 1, 2].map((c) => count(s.test, c))).toEqual([90, 45, 15]);
    expect([0, 1, 2].map((c) => count(s.train, c))).toEqual([420, 210, 70]);
    const again = splitRows({ rows: 1000, fractions: F70, seed: 4, stratify });
    expect(again).toEqual(s);
    expect(splitRows({ rows: 1000, fractions: F70, seed: 5, stratify }).test).not.toEqual(s.test);
  });

  it('keeps proportions within one row per class and exact sizes on random class mixes', () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 200; trial++) {
      // Every split at least 5%, every class at least 20 rows: no class needs the at-least-one bump.
      const validation = 0.05 + 0.25 * rng.next();
      const test = 0.05 + 0.25 * rng.next();
      const fractions = { train: 1 - validation - test, validation, test };
      const classSizes = Array.from({ length: 2 + rng.int(6) }, () => 20 + rng.int(300));
      const codes = classSizes.flatMap((nc, c) => new Array<number>(nc).fill(c));
      const stratify = seededShuffle(Uint32Array.from(codes), rng);
      const n = stratify.length;
      const s = splitRows({ rows: n, fractions, seed: trial, stratify });
      checkPartition(s, Array.from({ length: n }, (_, i) => i));
      expect({ train: s.train.length, validation: s.validation.length, test: s.test.length }).toEqual(splitSizes(n, fractions));
      for (const [name, part] of [['train', s.train], ['validation', s.validation], ['test', s.test]] as const) {
        const got = new Array<number>(classSizes.length).fill(0);
        for (const r of part) got[stratify[r]!]!++;
        const worst = Math.max(...classSizes.map((nc, c) => Math.abs(got[c]! - nc * fractions[name])));
        expect(worst).toBeLessThan(1);
      }
    }
  });

  it('partitions any class mix, tiny classes included, and gives every class of 3+ rows a row in each split', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const validation = 0.3 * rng.next();
      const test = 0.3 * rng.next();
      const fractions = { train: 1 - validation - test, validation, test };
      const n = 5 + rng.int(200);
      const k = 2 + rng.int(8);
      const stratify = Uint32Array.from({ length: n }, () => Math.min(k - 1, Math.floor(k * rng.next() ** 3)));
      const s = splitRows({ rows: n, fractions, seed: trial, stratify });
      checkPartition(s, Array.from({ length: n }, (_, i) => i));
      for (let c = 0; c < k; c++) {
        const nc = stratify.filter((v) => v === c).length;
        if (nc < 3) continue;
        for (const part of [s.train, s.validation, s.test]) expect(part.some((r) => stratify[r] === c)).toBe(true);
      }
    }
  });

  it('gives a class of 3+ rows at least one row in every split', () => {
    // 97 of class 0, 3 of class 1: 0.15 * 3 = 0.45 rows would round the rare class out of validation and test.
    const stratify = Uint32Array.from({ length: 100 }, (_, i) => (i >= 97 ? 1 : 0));
    const s = splitRows({ rows: 100, fractions: F70, seed: 1, stratify });
    for (const part of [s.train, s.validation, s.test]) expect(part.filter((r) => stratify[r] === 1).length).toBe(1);
    expect(s.train.length + s.validation.length + s.test.length).toBe(100);
    // 4 rows at 0.9 / 0.05 / 0.05: one each in validation and test, the rest in train.
    const four = splitRows({ rows: 4, fractions: { train: 0.9, validation: 0.05, test: 0.05 }, seed: 2, stratify: new Uint32Array(4) });
    expect([four.train.length, four.validation.length, four.test.length]).toEqual([2, 1, 1]);
    // 3 rows at 0.98 / 0.01 / 0.01: the guarantee wins over the proportions.
    const three = splitRows({ rows: 3, fractions: { train: 0.98, validation: 0.01, test: 0.01 }, seed: 2, stratify: new Uint32Array(3) });
    expect([three.train.length, three.validation.length, three.test.length]).toEqual([1, 1, 1]);
    // A class of 2 is too small for three splits: it is just rounded.
    const two = splitRows({ rows: Uint32Array.from([0, 1]), fractions: F70, seed: 2, stratify: new Uint32Array([5, 5]) });
    expect(two.train.length + two.validation.length + two.test.length).toBe(2);
  });

  it('takes class codes indexed by row and refuses codes that do not cover the rows', () => {
    const stratify = Uint32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const rows = Uint32Array.from([1, 3, 5, 7, 9, 0, 2]);
    const s = splitRows({ rows, fractions: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 8, stratify });
    checkPartition(s, [...rows]);
    expect(() => splitRows({ rows: 12, fractions: F70, seed: 1, stratify })).toThrow(/cover 10 rows, but row 10/);
  });
});
