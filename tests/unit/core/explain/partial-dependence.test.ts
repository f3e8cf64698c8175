import { describe, expect, it } from 'vitest';
import {
  encodeValue,
  featureBlocks,
  gridOf,
  numericGrid,
  partialDependence,
  sampleOf,
  type OutputColumn,
} from '../../../../src/lib/core/explain';
import { quantileSorted } from '../../../../src/lib/core/csv';
import { fitPreprocessor, transform, type InputColumn, type NumericFit } from '../../../../src/lib/core/training';
import { Rng } from '../../../../src/lib/core/common';

describe('numeric grid', () => {
  it('quantiles at even levels from the 5th to the 95th percentile (numpy’s linear rule)', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    // Position (n - 1) q on 1..100: value 1 + 99 q.
    expect(numericGrid(values, 5)).toEqual([1 + 99 * 0.05, 1 + 99 * 0.275, 1 + 99 * 0.5, 1 + 99 * 0.725, 1 + 99 * 0.95].map((v) => expect.closeTo(v, 10)));
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('uses the distinct values when there are no more than the grid points; ignores missing', () => {
    expect(numericGrid([3, 1, NaN, 2, 2, Infinity, 1], 5)).toEqual([1, 2, 3]);
    expect(numericGrid([], 5)).toEqual([]);
    // Heavy ties: duplicate quantiles are dropped.
    const tied = [...Array<number>(90).fill(0), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // Levels 0.05, 0.35, 0.65 fall among the zeros; 0.95 at position 94.05, between 5 and 6.
    expect(numericGrid(tied, 4)).toEqual([0, expect.closeTo(5.05, 10)]);
  });
});

/** age (numeric), smoker (boolean as text), region (categorical), and a datetime. */
function data(n: number) {
  const rng = new Rng(3);
  const age = Float64Array.from({ length: n }, () => Math.round(20 + rng.next() * 60));
  const smoker = Uint32Array.from({ length: n }, () => 1 + rng.int(2));
  const region = Uint32Array.from({ length: n }, () => 1 + rng.int(3));
  const day = Uint32Array.from({ length: n }, (_, i) => 1 + (i % 2));
  const columns: InputColumn[] = [
    { name: 'age', type: 'numeric', data: { kind: 'num', values: age } },
    { name: 'smoker', type: 'boolean', data: { kind: 'dict', codes: smoker, dict: ['no', 'yes'] } },
    { name: 'region', type: 'categorical', data: { kind: 'dict', codes: region, dict: ['north', 'south', 'east'] } },
    { name: 'day', type: 'datetime', data: { kind: 'dict', codes: day, dict: ['2024-01-01', '2024-06-01'] } },
  ];
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const spec = fitPreprocessor(columns, all);
  const m = transform(spec, columns, all);
  return { columns, spec, m, all };
}

describe('partialDependence', () => {
  const n = 300;
  const { columns, spec, m, all } = data(n);
  const blocks = featureBlocks(spec);
  const block = (name: string) => blocks.find((b) => b.feature === name)!;
  const fit = spec.columns.find((c) => c.name === 'age') as NumericFit;
  const ja = block('age').start;
  const js = block('smoker').start;
  const region = block('region');
  const weights: Record<string, number> = { north: 0.1, south: 0.2, east: 0.3 };
  const regionWeight = spec.featureNames.slice(region.start, region.end).map((name) => weights[name.slice('region='.length)] ?? 0);
  /** A stand-in model, additive and monotone in age: sigmoid(age_scaled) + 0.5 smoker + region weight. */
  const predict = async (x: Float32Array, rows: number) => {
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let r = 0;
      for (let j = region.start; j < region.end; j++) r += x[i * m.cols + j]! * regionWeight[j - region.start]!;
      out[i] = 1 / (1 + Math.exp(-x[i * m.cols + ja]!)) + 0.5 * x[i * m.cols + js]! + r;
    }
    return out;
  };
  const output: OutputColumn = { output: 'P(y = 1)', pick: (o) => Float64Array.from(o) };
  const features = ['age', 'smoker', 'region', 'day'].map((name) => ({ block: block(name), data: columns.find((c) => c.name === name)!.data }));

  it('averages the model over the sample with the feature set to each grid value: hand values, monotone in age', async () => {
    const progress: number[] = [];
    const curves = await partialDependence({ x: m.x, rows: n, cols: m.cols, spec, features, datasetRows: all, gridPoints: 6, sampleRows: 10_000, seed: 1, predict, output, onProgress: (d) => progress.push(d) });
    // The datetime feature has no curve.
    expect(curves.map((c) => c.feature)).toEqual(['age', 'smoker', 'region']);
    const sm = (i: number) => m.x[i * m.cols + js]!;
    const rg = (i: number) => {
      let r = 0;
      for (let j = region.start; j < region.end; j++) r += m.x[i * m.cols + j]! * regionWeight[j - region.start]!;
      return r;
    };
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const meanOver = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i)).reduce((s, v) => s + v, 0) / n;
    const restAge = meanOver((i) => 0.5 * sm(i) + rg(i));
    const age = curves[0]!;
    expect(age.kind).toBe('numeric');
    expect(age.output).toBe('P(y = 1)');
    expect(age.grid).toEqual(numericGrid(Float64Array.from(columns[0]!.data.kind === 'num' ? columns[0]!.data.values : []), 6));
    age.grid.forEach((g, k) => expect(age.mean[k]).toBeCloseTo(sig(Math.fround(((g as number) - fit.mean) / fit.std)) + restAge, 5));
    for (let k = 1; k < age.mean.length; k++) expect(age.mean[k]!).toBeGreaterThan(age.mean[k - 1]!);

    const restSmoker = meanOver((i) => sig(m.x[i * m.cols + ja]!) + rg(i));
    expect(curves[1]).toMatchObject({ kind: 'categorical', grid: ['false', 'true'] });
    expect(curves[1]!.mean[0]).toBeCloseTo(restSmoker, 5);
    expect(curves[1]!.mean[1]).toBeCloseTo(restSmoker + 0.5, 5);

    const restRegion = meanOver((i) => sig(m.x[i * m.cols + ja]!) + 0.5 * sm(i));
    const fitted = spec.columns.find((c) => c.name === 'region') as { categories: string[] };
    expect(curves[2]!.grid).toEqual(fitted.categories);
    curves[2]!.grid.forEach((g, k) => expect(curves[2]!.mean[k]).toBeCloseTo(restRegion + weights[g as string]!, 5));
    expect(progress).toEqual(Array.from({ length: age.grid.length + 2 + 3 }, (_, i) => i + 1));
  });

  it('uses a seeded sample of rows, and leaves the matrix as it was', async () => {
    const before = m.x.slice();
    const seen: number[] = [];
    const counting = async (x: Float32Array, rows: number) => {
      seen.push(rows);
      return predict(x, rows);
    };
    const opts = { x: m.x, rows: n, cols: m.cols, spec, features: features.slice(0, 1), datasetRows: all, gridPoints: 4, sampleRows: 50, predict: counting, output };
    const a = await partialDependence({ ...opts, seed: 8 });
    const b = await partialDependence({ ...opts, seed: 8 });
    const c = await partialDependence({ ...opts, seed: 9 });
    expect(b).toEqual(a);
    expect(c[0]!.mean).not.toEqual(a[0]!.mean);
    expect(new Set(seen)).toEqual(new Set([50]));
    expect(m.x).toEqual(before);
    const sample = sampleOf(n, 50, 8);
    expect(sample).toHaveLength(50);
    expect(new Set(sample).size).toBe(50);
    expect([...sample]).toEqual([...sample].sort((p, q) => p - q));
  });

  it('encodes a value through the model’s preprocessing', () => {
    expect(encodeValue(spec, block('age'), '50')).toEqual(Float32Array.from([(50 - fit.mean) / fit.std]));
    const hot = encodeValue(spec, region, 'south');
    expect(Array.from(hot)).toEqual(spec.featureNames.slice(region.start, region.end).map((f) => (f === 'region=south' ? 1 : 0)));
    // An unseen category lands in __other.
    expect(encodeValue(spec, region, 'west').at(-1)).toBe(1);
    expect(gridOf(spec, features[3]!, all, 5)).toBeNull();
  });
});
