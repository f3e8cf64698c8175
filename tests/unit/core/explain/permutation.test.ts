import { describe, expect, it } from 'vitest';
import {
  featureBlocks,
  permutationImportance,
  scoreOutputs,
  metricOf,
  higherIsBetter,
  outputColumn,
  type FeatureBlock,
} from '../../../../src/lib/core/explain';
import { fitPreprocessor, transform, type InputColumn, type TargetSpec } from '../../../../src/lib/core/training';
import { deriveSeed, permutation, Rng } from '../../../../src/lib/core/common';

/** A table where only a (weight 3) and b (weight -2) carry signal; c, d and colour are noise. */
function table(n: number, seed: number) {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  const dict = ['red', 'green', 'blue'];
  const codes = new Uint32Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.next() * 2 - 1;
    b[i] = rng.next() * 2 - 1;
    c[i] = rng.next() * 2 - 1;
    d[i] = rng.next() * 2 - 1;
    codes[i] = 1 + rng.int(3);
    y[i] = 3 * a[i]! - 2 * b[i]! + 0.1 * (rng.next() - 0.5);
  }
  const columns: InputColumn[] = [
    { name: 'a', type: 'numeric', data: { kind: 'num', values: a } },
    { name: 'colour', type: 'categorical', data: { kind: 'dict', codes, dict } },
    { name: 'b', type: 'numeric', data: { kind: 'num', values: b } },
    { name: 'c', type: 'numeric', data: { kind: 'num', values: c } },
    { name: 'd', type: 'numeric', data: { kind: 'num', values: d } },
  ];
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const spec = fitPreprocessor(columns, all);
  const m = transform(spec, columns, all);
  return { spec, m, y };
}

/** A linear model on the encoded matrix: it uses a and b only (scaled back to raw units). */
function linear(spec: ReturnType<typeof table>['spec'], cols: number) {
  const fa = spec.columns.find((c) => c.name === 'a')! as { mean: number; std: number };
  const fb = spec.columns.find((c) => c.name === 'b')! as { mean: number; std: number };
  const ja = spec.featureNames.indexOf('a');
  const jb = spec.featureNames.indexOf('b');
  return (x: Float32Array): Float64Array => {
    const rows = x.length / cols;
    return Float64Array.from({ length: rows }, (_, i) => 3 * (x[i * cols + ja]! * fa.std + fa.mean) - 2 * (x[i * cols + jb]! * fb.std + fb.mean));
  };
}

function rmse(y: Float64Array, p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - p[i]!) ** 2;
  return Math.sqrt(s / y.length);
}

describe('featureBlocks', () => {
  it('gives each input column its block of matrix columns, a one-hot group together', () => {
    const { spec } = table(50, 1);
    const blocks = featureBlocks(spec);
    // colour: 3 kept categories + __other.
    expect(blocks.map((b) => [b.feature, b.start, b.end])).toEqual([
      ['a', 0, 1],
      ['colour', 1, 5],
      ['b', 5, 6],
      ['c', 6, 7],
      ['d', 7, 8],
    ]);
    expect([...spec.featureNames.slice(1, 4)].sort()).toEqual(['colour=blue', 'colour=green', 'colour=red']);
    expect(spec.featureNames[4]).toBe('colour__other');
  });
});

describe('permutationImportance', () => {
  const n = 400;
  const { spec, m, y } = table(n, 7);
  const blocks = featureBlocks(spec);
  const model = linear(spec, m.cols);
  const score = async (x: Float32Array) => rmse(y, model(x));

  it('ranks the features carrying signal first; noise features drop nothing', async () => {
    const progress: [number, number, string][] = [];
    const r = await permutationImportance({ x: m.x, rows: n, cols: m.cols, features: blocks, score, higherIsBetter: false, repeats: 3, seed: 42, onProgress: (d, t, f) => progress.push([d, t, f]) });
    expect(r.features.slice(0, 2).map((f) => f.feature)).toEqual(['a', 'b']);
    expect(r.features[0]!.mean).toBeGreaterThan(r.features[1]!.mean);
    expect(r.features[1]!.mean).toBeGreaterThan(1);
    // The model never reads them: exactly no drop, in their original order.
    expect(r.features.slice(2).map((f) => [f.feature, f.mean, f.std])).toEqual([
      ['colour', 0, 0],
      ['c', 0, 0],
      ['d', 0, 0],
    ]);
    expect(r.baseline).toBeCloseTo(rmse(y, model(m.x)), 12);
    expect(progress).toHaveLength(15);
    expect(progress[0]).toEqual([1, 15, 'a']);
    expect(progress.at(-1)).toEqual([15, 15, 'd']);
  });

  it('each drop is the brute-force score of a freshly shuffled copy; mean and std of the drops', async () => {
    const r = await permutationImportance({ x: m.x, rows: n, cols: m.cols, features: blocks, score, higherIsBetter: false, repeats: 4, seed: 9 });
    const baseline = rmse(y, model(m.x));
    const a = r.features.find((f) => f.feature === 'a')!;
    const expected = [0, 1, 2, 3].map((rep) => {
      const order = permutation(n, new Rng(deriveSeed(deriveSeed(9, 'importance:a'), rep)));
      const copy = m.x.slice();
      for (let i = 0; i < n; i++) copy[i * m.cols] = m.x[order[i]! * m.cols]!;
      return rmse(y, model(copy)) - baseline;
    });
    expect(a.drops).toHaveLength(4);
    a.drops.forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 12));
    const mean = expected.reduce((s, v) => s + v, 0) / 4;
    const std = Math.sqrt(expected.reduce((s, v) => s + (v - mean) ** 2, 0) / 4);
    expect(a.mean).toBeCloseTo(mean, 12);
    expect(a.std).toBeCloseTo(std, 12);
    expect(a.std).toBeGreaterThan(0);
  });

  it('is reproducible with a seed, differs with another, and a higher-is-better score counts a fall as the drop', async () => {
    const opts = { x: m.x, rows: n, cols: m.cols, features: blocks, score, higherIsBetter: false, repeats: 2 } as const;
    const one = await permutationImportance({ ...opts, seed: 5 });
    const two = await permutationImportance({ ...opts, seed: 5 });
    const other = await permutationImportance({ ...opts, seed: 6 });
    expect(two).toEqual(one);
    expect(other.features[0]!.drops).not.toEqual(one.features[0]!.drops);
    // The same numbers as a "higher is better" score (negated loss).
    const negated = await permutationImportance({ ...opts, seed: 5, higherIsBetter: true, score: async (x) => -(await score(x)) });
    negated.features.forEach((f, i) => f.drops.forEach((d, j) => expect(d).toBeCloseTo(one.features[i]!.drops[j]!, 12)));
    // A feature's drops do not depend on the features shuffled before it.
    const alone = await permutationImportance({ ...opts, seed: 5, features: [blocks.find((b) => b.feature === 'b')!] });
    expect(alone.features[0]!.drops).toEqual(one.features.find((f) => f.feature === 'b')!.drops);
  });

  it('moves a one-hot block together, changes only that block, reuses one buffer and restores it', async () => {
    const colour = blocks.find((b) => b.feature === 'colour')!;
    const seen = new Set<Float32Array>();
    const check = (shuffled: FeatureBlock | null) => async (x: Float32Array) => {
      seen.add(x);
      let moved = 0;
      for (let i = 0; i < n; i++) {
        let hot = 0;
        for (let j = colour.start; j < colour.end; j++) hot += x[i * m.cols + j]!;
        expect(hot).toBe(1);
        for (let j = 0; j < m.cols; j++) {
          const inBlock = shuffled !== null && j >= shuffled.start && j < shuffled.end;
          if (!inBlock) expect(x[i * m.cols + j]).toBe(m.x[i * m.cols + j]);
          else if (x[i * m.cols + j] !== m.x[i * m.cols + j]) moved++;
        }
      }
      if (shuffled) expect(moved).toBeGreaterThan(0);
      return 0;
    };
    const before = m.x.slice();
    let call = 0;
    // Call 0 is the baseline (nothing shuffled), then two repeats per feature, in order.
    const score = (x: Float32Array) => {
      const shuffled = call === 0 ? null : blocks[Math.floor((call - 1) / 2)]!;
      call++;
      return check(shuffled)(x);
    };
    await permutationImportance({ x: m.x, rows: n, cols: m.cols, features: blocks, score, higherIsBetter: true, repeats: 2, seed: 1 });
    expect(call).toBe(1 + blocks.length * 2);
    expect(seen.size).toBe(1);
    expect(m.x).toEqual(before);
  });

  it('stops where step throws, and rejects a bad shape', async () => {
    let calls = 0;
    const stop = async () => {
      if (++calls === 4) throw new Error('cancelled');
    };
    let scored = 0;
    await expect(permutationImportance({ x: m.x, rows: n, cols: m.cols, features: blocks, score: async () => (scored++, 0), higherIsBetter: true, repeats: 5, seed: 1, step: stop })).rejects.toThrow('cancelled');
    expect(scored).toBe(3);
    await expect(permutationImportance({ x: m.x, rows: n + 1, cols: m.cols, features: blocks, score, higherIsBetter: true, repeats: 1, seed: 1 })).rejects.toThrow(/values/);
  });
});

describe('scoring head outputs', () => {
  const binary: TargetSpec = { task: 'classification', type: 'categorical', classes: ['no', 'yes'], counts: [1, 1], keys: 'text' };
  const three: TargetSpec = { task: 'classification', type: 'categorical', classes: ['a', 'b', 'c'], counts: [1, 1, 1], keys: 'text' };
  const reg: TargetSpec = { task: 'regression', type: 'numeric', mean: 10, std: 2, scaled: true };

  it('picks the main metric as training does', () => {
    expect([metricOf(binary), metricOf(three), metricOf(reg)]).toEqual(['auc', 'accuracy', 'rmse']);
    expect([higherIsBetter('auc'), higherIsBetter('accuracy'), higherIsBetter('rmse')]).toEqual([true, true, false]);
  });

  it('AUC, accuracy and RMSE (in target units) by hand', () => {
    // Positives score 0.8 and 0.4, negatives 0.1 and 0.5: 3 of 4 pairs ordered -> 0.75.
    expect(scoreOutputs(binary, 'auc', [1, 1, 0, 0], Float32Array.from([0.8, 0.4, 0.1, 0.5]))).toBeCloseTo(0.75, 12);
    // argmax: c, a, b vs truth c, b, b -> 2/3.
    expect(scoreOutputs(three, 'accuracy', [2, 1, 1], Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.3, 0.2, 0.2, 0.6, 0.2]))).toBeCloseTo(2 / 3, 12);
    // Scaled outputs 0 and 1 are 10 and 12; truth 11 and 11 -> RMSE 1.
    expect(scoreOutputs(reg, 'rmse', [11, 11], Float32Array.from([0, 1]))).toBeCloseTo(1, 12);
    expect(() => scoreOutputs(three, 'accuracy', [0, 1], Float32Array.from([0.1, 0.9]))).toThrow(RangeError);
  });

  it('names and picks the averaged output', () => {
    expect(outputColumn(binary, 'HeartDisease').output).toBe('P(HeartDisease = yes)');
    const multi = outputColumn(three, 'kind', 'b');
    expect(multi.output).toBe('P(kind = b)');
    expect(Array.from(multi.pick(Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.25, 0.25]), 2))).toEqual([Math.fround(0.2), 0.25]);
    expect(outputColumn(three, 'kind').output).toBe('P(kind = a)');
    const r = outputColumn(reg, 'BMI');
    expect(r.output).toBe('predicted BMI');
    expect(Array.from(r.pick(Float32Array.from([0, -1]), 2))).toEqual([10, 8]);
  });
});
