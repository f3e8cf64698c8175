import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from '../../../../src/lib/core/csv';
import {
  fitPreprocessor,
  missingColumns,
  transform,
  transformRecords,
  type CategoricalFit,
  type DatetimeFit,
  type FeatureMatrix,
  type InputColumn,
  type NumericFit,
  type PreprocessSpec,
  encodeTarget,
  fitTarget,
  toClassIndices,
  unscaleTarget,
} from '../../../../src/lib/core/training';
import { datePart, dateParts, median } from '../../../../src/lib/core/training/preprocess-values';
import { Rng, type ColumnData, type ColumnType } from '../../../../src/lib/core/common';

/** A column as the importer stores it (same builder), with its inferred type unless one is given. */
function col(name: string, values: readonly string[], type?: ColumnType): InputColumn {
  const b = new ColumnBuilder();
  for (const v of values) b.push(v);
  const built = b.finish();
  return { name, type: type ?? built.type, data: built.data };
}

const rowsOf = (...r: number[]): Uint32Array => Uint32Array.from(r);
const range = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);

/** Column j of a feature matrix, by feature name. */
function feature(m: FeatureMatrix, name: string): number[] {
  const j = m.featureNames.indexOf(name);
  if (j < 0) throw new Error(`no feature ${name} in ${m.featureNames.join(', ')}`);
  return Array.from({ length: m.rows }, (_, i) => m.x[i * m.cols + j]!);
}

function meanStd(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

const fitOf = <T>(spec: PreprocessSpec, name: string): T => spec.columns.find((c) => c.name === name) as T;

describe('fitting on the training rows only', () => {
  const train = rowsOf(0, 1, 2, 3);
  const make = (extreme: string, category: string, date: string): InputColumn[] => [
    col('age', ['1', '2', '3', '4', extreme]),
    col('color', ['red', 'red', 'blue', 'red', category], 'categorical'),
    col('seen', ['2024-01-01', '2024-01-03', '2024-01-05', '2024-01-07', date]),
  ];

  it('learns median, mean, std, categories and date scales from train rows alone', () => {
    const spec = fitPreprocessor(make('1000000', 'ultraviolet', '1900-06-01T12:00'), train);
    const age = fitOf<NumericFit>(spec, 'age');
    expect(age.fill).toBe(2.5);
    expect(age.mean).toBe(2.5);
    expect(age.std).toBeCloseTo(Math.sqrt(1.25), 12);
    const color = fitOf<CategoricalFit>(spec, 'color');
    expect(color.categories).toEqual(['red', 'blue']);
    expect(color.counts).toEqual([3, 1]);
    // No time of day in the training dates: no hour feature, even though a test date has one.
    expect(fitOf<DatetimeFit>(spec, 'seen').parts.map((p) => p.part)).toEqual(['year', 'month', 'dayofweek', 'dayofyear']);
    expect(spec.fittedRows).toBe(4);
    // A different test row changes nothing in the fit.
    const other = fitPreprocessor(make('-7', 'red', '2030-12-31'), train);
    expect(other).toEqual(spec);
  });

  it('standardizes train features to mean 0 and std 1, missing values included', () => {
    const cols = [col('x', ['10', 'NA', '30', '35', '', '90', '-5']), col('when', ['2020-01-01T10:00', '2021-06-15T08:30', '', '2022-03-03T23:59', '2019-12-31T00:00', '2020-02-29T12:00', '2023-07-04T06:15'])];
    const train = rowsOf(0, 1, 2, 3, 4, 5);
    const m = transform(fitPreprocessor(cols, train), cols, train);
    for (const name of ['x', 'when__year', 'when__month', 'when__dayofweek', 'when__dayofyear', 'when__hour']) {
      const { mean, std } = meanStd(feature(m, name));
      expect(mean).toBeCloseTo(0, 6);
      expect(std).toBeCloseTo(1, 6);
    }
  });
});

describe('numeric and boolean columns', () => {
  it('imputes the training median (or mean) and adds an indicator only where training had gaps', () => {
    const cols = [col('x', ['1', '2', 'NA', '10', '']), col('y', ['5', '5', '5', '5', 'NA'])];
    const train = rowsOf(0, 1, 2, 3);
    const spec = fitPreprocessor(cols, train, { missingIndicators: true });
    expect(spec.featureNames).toEqual(['x', 'x__missing', 'y']);
    const x = fitOf<NumericFit>(spec, 'x');
    expect(x.fill).toBe(2); // median of 1, 2, 10
    expect(x.missing).toBe(1);
    const m = transform(spec, cols, range(5));
    // Imputed rows sit at the median's standardized value.
    expect(feature(m, 'x')[2]).toBeCloseTo((2 - x.mean) / x.std, 6);
    expect(feature(m, 'x')[4]).toBeCloseTo((2 - x.mean) / x.std, 6);
    expect(feature(m, 'x__missing')).toEqual([0, 0, 1, 0, 1]);
    // A constant column: std 1, features 0, and the missing test value imputed with 5.
    expect(fitOf<NumericFit>(spec, 'y').std).toBe(1);
    expect(feature(m, 'y')).toEqual([0, 0, 0, 0, 0]);
    const mean = fitPreprocessor(cols, train, { impute: 'mean' });
    expect(fitOf<NumericFit>(mean, 'x').fill).toBeCloseTo(13 / 3, 12);
    expect(mean.featureNames).toEqual(['x', 'y']);
  });

  it('takes the median like numpy (middle pair averaged), ignoring NaN', () => {
    expect(median(Float64Array.from([5, 1, NaN, 3]))).toBe(3);
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
    expect(median(Float64Array.from([7, 7, 7, 1, 7, 7]))).toBe(7);
    expect(median(Float64Array.from([NaN]))).toBeNaN();
    const rng = new Rng(3);
    for (let trial = 0; trial < 500; trial++) {
      const a = Float64Array.from({ length: 1 + rng.int(40) }, () => (rng.int(6) === 0 ? NaN : rng.int(trial % 2 ? 3 : 100)));
      const sorted = a.filter((v) => v === v).sort();
      const h = sorted.length >> 1;
      const expected = sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
      expect(median(a)).toEqual(expected);
    }
  });

  it('reads booleans as 0/1 and imputes the training majority', () => {
    const cols = [col('smoker', ['Yes', 'no', 'YES', 'yes', 'NA', 'No']), col('flag', ['1', '0', '1', '', '1', '0'], 'boolean')];
    const spec = fitPreprocessor(cols, rowsOf(0, 1, 2, 3, 4), { missingIndicators: true });
    const m = transform(spec, cols, range(6));
    expect(feature(m, 'smoker')).toEqual([1, 0, 1, 1, 1, 0]);
    expect(feature(m, 'smoker__missing')).toEqual([0, 0, 0, 0, 1, 0]);
    expect(feature(m, 'flag')).toEqual([1, 0, 1, 1, 1, 0]);
    const r = transformRecords(spec, [{ smoker: 't', flag: 'true' }, { smoker: 'F', flag: '0' }, { smoker: 'maybe', flag: '7' }]);
    expect(feature(r, 'smoker')).toEqual([1, 0, 1]); // 'maybe' is unreadable: imputed, and flagged
    expect(feature(r, 'smoker__missing')).toEqual([0, 0, 1]);
    expect(feature(r, 'flag')).toEqual([1, 0, 1]);
  });
});

describe('categorical columns', () => {
  const values = ['a', 'b', 'a', 'c', 'a', 'b', 'd', 'c', 'b', 'a', 'e', ''];

  it('one-hot encodes the top K training categories plus __other', () => {
    const cols = [col('cat', values, 'categorical')];
    const spec = fitPreprocessor(cols, range(12), { topK: 2 });
    const fit = fitOf<CategoricalFit>(spec, 'cat');
    expect(fit.categories).toEqual(['a', 'b']);
    expect(fit.otherCount).toBe(4); // c, c, d, e
    expect(spec.featureNames).toEqual(['cat=a', 'cat=b', 'cat__other']);
    const m = transform(spec, cols, range(12));
    expect(feature(m, 'cat=a')).toEqual([1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1]); // the missing last row -> most frequent 'a'
    expect(feature(m, 'cat__other')).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    // Exactly one hot per row.
    for (let i = 0; i < m.rows; i++) expect(m.x.subarray(i * m.cols, (i + 1) * m.cols).reduce((a, b) => a + b, 0)).toBe(1);
    // Ties broken by value, the same on every machine: c (2) before d and e (1 each).
    expect(fitOf<CategoricalFit>(fitPreprocessor(cols, range(12), { topK: 4 }), 'cat').categories).toEqual(['a', 'b', 'c', 'd']);
    expect(fitPreprocessor(cols, range(12)).featureNames).toHaveLength(6);
  });

  it('sends unseen categories to __other, never crashing', () => {
    const cols = [col('cat', values, 'categorical')];
    const spec = fitPreprocessor(cols, range(6), { topK: 2 });
    const test = transform(spec, cols, rowsOf(6, 10)); // d and e were never seen in training
    expect(feature(test, 'cat__other')).toEqual([1, 1]);
    const r = transformRecords(spec, [{ cat: 'purple' }, { cat: 'b' }, { cat: ' a' }]);
    expect(feature(r, 'cat__other')).toEqual([1, 0, 1]);
    expect(feature(r, 'cat=b')).toEqual([0, 1, 0]);
  });

  it('flags missing values with __missing when indicators are on', () => {
    const cols = [col('cat', values, 'categorical')];
    const spec = fitPreprocessor(cols, range(12), { topK: 2, missingIndicators: true });
    expect(spec.featureNames).toEqual(['cat=a', 'cat=b', 'cat__other', 'cat__missing']);
    const r = transformRecords(spec, [{ cat: 'NA' }, {}, { cat: 'a' }]);
    expect(Array.from(r.x)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('keys number-stored categories by number, so 1.50 and 1.5 are one category', () => {
    const cols = [col('grade', ['1.5', '2', '2', '3', '1.5'], 'categorical')];
    expect(cols[0]!.data.kind).toBe('num');
    const spec = fitPreprocessor(cols, range(5));
    expect(fitOf<CategoricalFit>(spec, 'grade').categories).toEqual(['1.5', '2', '3']);
    const r = transformRecords(spec, [{ grade: '1.50' }, { grade: '2.0' }, { grade: 'x' }]);
    expect(feature(r, 'grade=1.5')).toEqual([1, 0, 0]);
    expect(feature(r, 'grade=2')).toEqual([0, 1, 0]);
    expect(feature(r, 'grade__other')).toEqual([0, 0, 1]);
  });
});

describe('datetime columns', () => {
  it('computes the parts by hand-checked values (UTC, as written)', () => {
    const t = Date.UTC(2024, 2, 15, 13, 30); // Friday 15 March 2024, 13:30
    expect(['year', 'month', 'dayofweek', 'dayofyear', 'hour'].map((p) => datePart(t, p as 'year'))).toEqual([2024, 3, 5, 75, 13.5]);
    expect(datePart(Date.UTC(2023, 11, 31), 'dayofyear')).toBe(365);
    expect(datePart(Date.UTC(2024, 11, 31, 23, 59, 59), 'dayofyear')).toBe(366); // leap year
    expect(datePart(Date.UTC(2023, 11, 31), 'dayofweek')).toBe(0); // a Sunday
    const before1970 = Date.UTC(1969, 11, 31, 23);
    expect([datePart(before1970, 'dayofweek'), datePart(before1970, 'dayofyear'), datePart(before1970, 'hour')]).toEqual([3, 365, 23]);
  });

  it('agrees with Date on every part, across four millennia', () => {
    const rng = new Rng(12);
    const from = Date.UTC(0, 0, 1) - 1900 * 365.25 * 86_400_000; // about year 0
    const span = Date.UTC(9999, 11, 31) - from;
    for (let i = 0; i < 5000; i++) {
      const t = Math.floor(from + rng.next() * span);
      const d = new Date(t);
      const start = new Date(0);
      start.setUTCFullYear(d.getUTCFullYear(), 0, 1);
      const dayOfYear = Math.floor((t - start.getTime()) / 86_400_000) + 1;
      const hour = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600 + d.getUTCMilliseconds() / 3_600_000;
      const p = dateParts(t);
      expect([p.year, p.month, p.dayofweek, p.dayofyear]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), dayOfYear]);
      expect(p.hour).toBeCloseTo(hour, 9);
    }
  });

  it('expands a column into standardized parts, with the hour when training has times', () => {
    const cols = [col('at', ['2024-03-15T13:30:00', '2024-03-16 06:00', '2023-12-31', 'NA'])];
    const spec = fitPreprocessor(cols, range(4), { missingIndicators: true, impute: 'mean' });
    expect(spec.featureNames).toEqual(['at__year', 'at__month', 'at__dayofweek', 'at__dayofyear', 'at__hour', 'at__missing']);
    const fit = fitOf<DatetimeFit>(spec, 'at');
    const hour = fit.parts.find((p) => p.part === 'hour')!;
    expect(hour.fill).toBeCloseTo((13.5 + 6 + 0) / 3, 12);
    const doy = fit.parts.find((p) => p.part === 'dayofyear')!;
    expect(doy.fill).toBeCloseTo((75 + 76 + 365) / 3, 12);
    const r = transformRecords(spec, [{ at: '2024-03-15T13:30' }, { at: '' }]);
    expect(feature(r, 'at__dayofyear')[0]).toBeCloseTo((75 - doy.mean) / doy.std, 5);
    expect(feature(r, 'at__dayofyear')[1]).toBeCloseTo(0, 6); // mean-imputed: 0 once standardized
    expect(feature(r, 'at__missing')).toEqual([0, 1]);
  });
});

describe('applying a fitted spec', () => {
  const raw: Record<string, string>[] = [
    { id: 'p1', age: '54', sex: 'M', chol: '289', smoker: 'Yes', visit: '2021-04-01', grade: '2', note: 'fine' },
    { id: 'p2', age: '61', sex: 'F', chol: 'NA', smoker: 'No', visit: '2021-05-17T09:45', grade: '3', note: 'tired' },
    { id: 'p3', age: '', sex: 'M', chol: '310', smoker: '', visit: '', grade: '2', note: 'fine' },
    { id: 'p4', age: '47', sex: 'X', chol: '250', smoker: 'yes', visit: '2020-12-31T23:00', grade: '1.50', note: 'ok' },
    { id: 'p5', age: '70.5', sex: 'F', chol: '199', smoker: 'no', visit: '2022-02-28', grade: '10', note: 'n/a' },
    { id: 'p6', age: '39', sex: '__proto__', chol: '240', smoker: 'No', visit: '2019-07-04', grade: '3', note: 'fine' },
  ];
  const names = Object.keys(raw[0]!);
  const types: Record<string, ColumnType> = { grade: 'categorical', note: 'text', id: 'text' };
  const columns = names.map((n) => col(n, raw.map((r) => r[n]!), types[n]));
  const train = rowsOf(0, 1, 2, 3);

  it('gives transformRecords the same features as transform on the imported columns', () => {
    const spec = fitPreprocessor(columns, train, { missingIndicators: true });
    expect(spec.columns.filter((c) => c.type === 'text').map((c) => c.name)).toEqual(['id', 'note']);
    expect(spec.featureNames.some((f) => f.startsWith('note') || f.startsWith('id'))).toBe(false);
    const stored = transform(spec, columns, range(6));
    expect(transformRecords(spec, raw)).toEqual(stored);
    expect(transformRecords(spec, raw.map((r) => new Map(Object.entries(r))))).toEqual(stored);
    expect(stored.rows).toBe(6);
    expect(stored.x).toBeInstanceOf(Float32Array);
    expect(stored.x.length).toBe(6 * stored.cols);
  });

  it('survives a JSON round trip with identical outputs', () => {
    const spec = fitPreprocessor(columns, train, { topK: 2, missingIndicators: true });
    const revived = JSON.parse(JSON.stringify(spec)) as PreprocessSpec;
    expect(revived).toEqual(spec);
    expect(transform(revived, columns, range(6))).toEqual(transform(spec, columns, range(6)));
    expect(transformRecords(revived, raw)).toEqual(transformRecords(spec, raw));
  });

  it('treats __proto__ as an ordinary category value and column name', () => {
    const spec = fitPreprocessor(columns, range(6));
    expect(spec.featureNames).toContain('sex=__proto__');
    const r = transformRecords(spec, [raw[5]!]);
    expect(feature(r, 'sex=__proto__')).toEqual([1]);

    const weird = [col('__proto__', ['a', 'b', 'a'], 'categorical'), col('constructor', ['1', '2', '3'])];
    const s2 = fitPreprocessor(weird, range(3));
    expect(s2.featureNames).toEqual(['__proto__=a', '__proto__=b', '__proto____other', 'constructor']);
    const records = [JSON.parse('{"__proto__": "b", "constructor": "3"}') as Record<string, string>, {}];
    const out = transformRecords(s2, records);
    expect(feature(out, '__proto__=b')).toEqual([1, 0]);
    // The empty record's missing values are imputed, not read from Object.prototype.
    expect(feature(out, '__proto__=a')).toEqual([0, 1]);
    expect(feature(out, 'constructor')[1]).toBe(0);
    expect(({} as Record<string, unknown>).b).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('names a missing column, checks headers, refuses bad options and rows', () => {
    const spec = fitPreprocessor(columns, train);
    expect(() => transform(spec, columns.filter((c) => c.name !== 'chol'), train)).toThrow(/“chol” that the model was trained on is missing/);
    expect(missingColumns(spec, ['age', 'sex', 'note'])).toEqual(['chol', 'smoker', 'visit', 'grade']);
    expect(() => transform(spec, columns, rowsOf(6))).toThrow(/Row 6 is past the end/);
    expect(() => fitPreprocessor([columns[1]!, columns[1]!], train)).toThrow(/Two input columns are named “age”/);
    expect(() => fitPreprocessor(columns, train, { topK: 0 })).toThrow(/Top-K/);
  });

  it('fits columns with no training values without producing NaN', () => {
    const cols = [col('x', ['', '', '5']), col('c', ['', '', 'q'], 'categorical'), col('d', ['', '', '2020-01-01'], 'datetime')];
    const spec = fitPreprocessor(cols, rowsOf(0, 1));
    // NaN would turn into null in JSON and the round trip would differ.
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    expect(fitOf<NumericFit>(spec, 'x')).toMatchObject({ fill: 0, mean: 0, std: 1, missing: 2 });
    const m = transform(spec, cols, range(3));
    expect(Array.from(m.x).every(Number.isFinite)).toBe(true);
    expect(feature(m, 'c__other')).toEqual([1, 1, 1]);
  });
});

describe('target encoding', () => {
  const dict = (values: string[]): ColumnData => col('t', values).data;

  it('sorts classes (booleans false first, numbers by value) from the training rows', () => {
    const yes = dict(['Yes', 'No', 'No', 'Yes', 'No', '']);
    const spec = fitTarget(yes, 'boolean', range(6));
    expect(spec.task === 'classification' && spec.classes).toEqual(['No', 'Yes']);
    expect(spec.task === 'classification' && spec.counts).toEqual([3, 2]);
    const enc = encodeTarget(spec, yes, range(6));
    expect(Array.from(enc.y.subarray(0, 5))).toEqual([1, 0, 0, 1, 0]);
    expect(enc.unknown).toBe(1);
    expect(Number.isNaN(enc.y[5])).toBe(true);
    const nums = col('t', ['10', '2', '1', '2', '10', '7']);
    const s2 = fitTarget(nums.data, 'categorical', range(5));
    expect(s2.task === 'classification' && s2.classes).toEqual(['1', '2', '10']);
    // Class '7' appears only outside training: unknown, not a crash.
    const e2 = encodeTarget(s2, nums.data, range(6));
    expect(e2.unknown).toBe(1);
    expect(Array.from(toClassIndices(e2.y.subarray(0, 5)))).toEqual([2, 1, 0, 1, 2]);
    expect(() => toClassIndices(e2.y)).toThrow(/no class/);
    expect(() => fitTarget(yes, 'boolean', rowsOf(1, 2))).toThrow(/same target value/);
  });

  it('scales regression targets with training mean and std, and undoes it', () => {
    const y = col('y', ['1', '2', '3', '4', '100']).data;
    const spec = fitTarget(y, 'numeric', range(4), { scale: true });
    expect(spec.task).toBe('regression');
    if (spec.task !== 'regression') return;
    expect(spec.mean).toBe(2.5);
    expect(spec.std).toBeCloseTo(Math.sqrt(1.25), 12);
    const enc = encodeTarget(spec, y, range(5));
    expect(enc.y[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 6);
    expect(unscaleTarget(spec, enc.y)[4]).toBeCloseTo(100, 4);
    const raw = fitTarget(y, 'numeric', range(4));
    expect(raw.task === 'regression' && raw.scaled).toBe(false);
    expect(Array.from(encodeTarget(raw, y, range(5)).y)).toEqual([1, 2, 3, 4, 100]);
    expect(() => fitTarget(dict(['a', 'b']), 'categorical', range(2), { task: 'regression' })).toThrow(/cannot be a regression target/);
  });
});
