import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { barsChart, columnStats, driftReport, driftSummary, histogramChart, type ColumnStats } from '../../../../src/lib/core/drift';
import { decodeColumns, type DatasetSource } from '../../../../src/lib/core/training';
import { importText } from '../../helpers';

const DATASETS = join(import.meta.dirname, '..', '..', '..', '..', 'datasets');
const SHIFTED = ['AgeCategory', 'BMI', 'PhysicalActivity', 'SleepTime'];

async function statsOf(text: string): Promise<ColumnStats[]> {
  const r = await importText(text);
  const source: DatasetSource = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const cols = await decodeColumns(source, r.schema.map((c) => c.name));
  return cols.map((c) => columnStats(c.schema.name, c.schema.type, c.data)).filter((s): s is ColumnStats => s !== null);
}

const sample = readFileSync(join(DATASETS, 'heart-sample.csv'), 'utf8');
const batch = readFileSync(join(DATASETS, 'heart-new-batch.csv'), 'utf8');
const features = (r: ReturnType<typeof driftReport>) => r.features.filter((f) => f.column !== 'HeartDisease');

describe('drift of the sample’s new batch (documented shift in four features)', () => {
  it('with 20,000 reference rows (Wasserstein / Jensen-Shannon at 0.1): the shifted features drift, the others do not', async () => {
    const [ref, cur] = await Promise.all([statsOf(sample), statsOf(batch)]);
    const r = driftReport(ref, cur);
    const drifted = features(r).filter((f) => f.drifted).map((f) => f.column).sort();
    expect(drifted).toEqual(SHIFTED);
    expect(r.features.find((f) => f.column === 'BMI')!.test).toBe('wasserstein');
    expect(r.features.find((f) => f.column === 'AgeCategory')!.test).toBe('jensenshannon');
    // Sorted by drift: the four shifted ones first.
    expect(r.features.slice(0, 4).map((f) => f.column).sort()).toEqual(SHIFTED);
    expect(r.datasetDrift).toBe(false); // 4 of 18 is under half
    expect(driftSummary(r)).toMatch(/^4 of 18 features drifted \(22%\): .*\. That is below the 50% at which the dataset counts as drifted\.$/);
    for (const f of r.features) expect(Number.isFinite(f.psi)).toBe(true);
  });

  it('with 1,000 reference rows (K-S / chi-square / z at p < 0.05): the shifted features drift', async () => {
    const head = sample.split('\n').slice(0, 1001).join('\n');
    const [ref, cur] = await Promise.all([statsOf(head), statsOf(batch)]);
    const r = driftReport(ref, cur);
    const bmi = r.features.find((f) => f.column === 'BMI')!;
    expect(bmi.test).toBe('ks');
    expect(bmi.score).toBeLessThan(0.05);
    expect(r.features.find((f) => f.column === 'Sex')!.test).toBe('z');
    expect(r.features.find((f) => f.column === 'AgeCategory')!.test).toBe('chisquare');
    for (const name of SHIFTED) expect(r.features.find((f) => f.column === name)!.drifted).toBe(true);
  });

  it('a batch against itself drifts nowhere; overrides change the test and threshold; the share threshold decides the verdict', async () => {
    const ref = await statsOf(sample);
    const same = driftReport(ref, ref);
    expect(same.drifted).toBe(0);
    const cur = await statsOf(batch);
    const strict = driftReport(ref, cur, { overrides: { Sex: { test: 'psi', threshold: 0 } }, shareThreshold: 0.2 });
    const sex = strict.features.find((f) => f.column === 'Sex')!;
    expect(sex.test).toBe('psi');
    expect(sex.drifted).toBe(true); // any PSI >= 0
    expect(strict.datasetDrift).toBe(true); // 5 of 18 >= 20%
    // A test that does not fit the column's kind is ignored.
    const wrong = driftReport(ref, cur, { overrides: { Sex: { test: 'ks' } } });
    expect(wrong.features.find((f) => f.column === 'Sex')!.test).toBe('jensenshannon');
  });
});

describe('charts and edge cases', () => {
  it('overlays histograms on shared bins, and bars with the rest as "other"', () => {
    const h = histogramChart(Float64Array.from([0, 1, 2, 3]), Float64Array.from([2, 3, 4]), 4);
    expect(h.kind).toBe('histogram');
    if (h.kind !== 'histogram') return;
    expect(h.edges).toEqual([0, 1, 2, 3, 4]);
    expect(h.reference).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(h.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const b = barsChart([['a', 8], ['b', 1], ['c', 1]], [['a', 5], ['d', 5]], 2);
    expect(b.kind === 'bars' && b.categories).toEqual(['a', 'd', 'other (2)']);
    expect(b.kind === 'bars' && b.reference).toEqual([0.8, 0, 0.2]);
  });

  it('skips a column with no values on one side, and one missing from the new data', () => {
    const ref: ColumnStats[] = [
      { name: 'x', kind: 'numeric', rows: 3, missing: 0, sorted: Float64Array.from([1, 2, 3]) },
      { name: 'y', kind: 'numeric', rows: 3, missing: 0, sorted: Float64Array.from([1, 2, 3]) },
    ];
    const cur: ColumnStats[] = [{ name: 'x', kind: 'numeric', rows: 2, missing: 2, sorted: new Float64Array() }];
    const r = driftReport(ref, cur);
    expect(r.tested).toBe(0);
    expect(r.skipped.map((s) => s.column)).toEqual(['x', 'y']);
    expect(driftSummary(r)).toMatch(/^No feature could be tested/);
  });
});

describe('the training split as a reference', () => {
  it('finds again exactly the rows training used, and summarises only those', async () => {
    const { prepareData, splitOf } = await import('../../../../src/lib/core/training');
    const { defaultTrainConfig } = await import('../../../../src/lib/core/training');
    const r = await importText(sample);
    const source: DatasetSource = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
    const cols = await decodeColumns(source, ['HeartDisease', 'BMI', 'Sex']);
    const config = { ...defaultTrainConfig(r.hash, 'HeartDisease', 'binary', ['BMI', 'Sex']), seed: 7 };
    const train = splitOf(config, cols[0]!).split.train;
    expect(train.length).toBe(prepareData(config, cols).sizes.train);
    const bmi = columnStats('BMI', 'numeric', cols[1]!.data, train)!;
    expect(bmi.rows).toBe(train.length);
    const sex = columnStats('Sex', 'categorical', cols[2]!.data, train)!;
    expect(sex.kind === 'categorical' && sex.counts.reduce((s, [, v]) => s + v, 0) + sex.missing).toBe(train.length);
  });
});
