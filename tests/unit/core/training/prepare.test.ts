import { describe, expect, it } from 'vitest';
import { decodeColumns, prepareData, defaultTrainConfig, type DatasetSource } from '../../../../src/lib/core/training';
import { importText } from '../../helpers';

async function load(csv: string): Promise<DatasetSource> {
  const r = await importText(csv);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

function csv(rows: number, row: (i: number) => string, header: string): string {
  return [header, ...Array.from({ length: rows }, (_, i) => row(i))].join('\n');
}

describe('prepareData', () => {
  it('drops rows without a target, splits stratified, and fits scaling on the training rows only', async () => {
    const ds = await load(csv(100, (i) => `id${i},${i},${i % 10 === 0 ? '' : i % 4 === 0 ? 'yes' : 'no'}`, 'name,x,label'));
    const config = defaultTrainConfig(ds.hash, 'label', 'binary', ['name', 'x']);
    const data = prepareData(config, await decodeColumns(ds, ['label', 'name', 'x']));
    expect(data.sizes).toEqual({ train: 63, validation: 14, test: 13, droppedMissingTarget: 10 });
    expect(data.notices).toContain('10 rows have no “label” value and were left out.');
    expect(data.notices.join(' ')).toMatch(/Text columns “name” are not used/);
    expect(data.featureNames).toEqual(['x']);
    expect(data.inputSchema).toEqual([{ name: 'x', type: 'integer' }]);
    // Standardized with the training rows' own mean and std: the train column has mean 0 and std 1.
    const xs = Array.from(data.train.x);
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 5);
    // Stratified: 'yes' is 20/90 of the labelled rows; each split keeps that share within a row.
    const share = (y: Float32Array) => y.reduce((s, v) => s + v, 0);
    expect(share(data.train.y)).toBe(14);
    expect(share(data.test.y)).toBe(3);
    expect(data.mainMetric).toBe('auc');
    expect(data.outputs).toBe(1);
  });

  it('asks for multiclass when a binary target has three classes', async () => {
    const ds = await load(csv(60, (i) => `${i},${['a', 'b', 'c'][i % 3]}`, 'x,label'));
    const columns = await decodeColumns(ds, ['label', 'x']);
    expect(() => prepareData(defaultTrainConfig(ds.hash, 'label', 'binary', ['x']), columns)).toThrow(/has 3 classes.*choose multiclass/);
    const data = prepareData(defaultTrainConfig(ds.hash, 'label', 'multiclass', ['x']), columns);
    expect(data.outputs).toBe(3);
    expect(data.mainMetric).toBe('accuracy');
  });

  it('says which column is missing from the dataset version', async () => {
    const ds = await load('x,label\n1,a\n2,b\n');
    await expect(decodeColumns(ds, ['label', 'nope'])).rejects.toThrow('The dataset version has no column “nope”.');
  });
});
