import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  columnStats,
  driftReport,
  type ColumnStats,
  parseReferenceStats,
  quantileSample,
  referenceStatsJson,
} from '../../../../src/lib/core/drift';
import { decodeColumns, type DatasetSource } from '../../../../src/lib/core/training';
import { importText } from '../../helpers';

const DATASETS = join(import.meta.dirname, '..', '..', '..', '..', 'datasets');

async function statsOf(text: string): Promise<{ hash: string; rows: number; stats: ColumnStats[] }> {
  const r = await importText(text);
  const source: DatasetSource = { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const cols = await decodeColumns(source, r.schema.map((c) => c.name));
  return { hash: r.hash, rows: r.rows, stats: cols.map((c) => columnStats(c.schema.name, c.schema.type, c.data)).filter((s): s is ColumnStats => s !== null) };
}

describe('reference statistics in a bundle', () => {
  it('a compacted reference gives the same verdicts as the full one on the sample’s new batch', async () => {
    const ref = await statsOf(readFileSync(join(DATASETS, 'heart-sample.csv'), 'utf8'));
    const cur = await statsOf(readFileSync(join(DATASETS, 'heart-new-batch.csv'), 'utf8'));
    const file = parseReferenceStats(referenceStatsJson(ref.hash, ref.rows, ref.stats));
    expect(file.datasetHash).toBe(ref.hash);
    const full = driftReport(ref.stats, cur.stats);
    const compact = driftReport(file.columns, cur.stats);
    expect(compact.features.map((f) => [f.column, f.test, f.drifted])).toEqual(full.features.map((f) => [f.column, f.test, f.drifted]));
    const bmi = (r: typeof full) => r.features.find((f) => f.column === 'BMI')!.score;
    expect(Math.abs(bmi(compact) - bmi(full))).toBeLessThan(0.01);
  });

  it('keeps first and last values and evenly spaced order statistics', () => {
    const s = Float64Array.from({ length: 10_001 }, (_, i) => i);
    const q = quantileSample(s, 11);
    expect(Array.from(q)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
    expect(quantileSample(Float64Array.from([3, 4]), 11)).toHaveLength(2);
  });

  it('refuses a malformed or doctored file, naming what is wrong', () => {
    const good = referenceStatsJson('a'.repeat(64), 3, [{ name: 'x', kind: 'numeric', rows: 3, missing: 0, sorted: Float64Array.from([1, 2, 3]) }]);
    expect(parseReferenceStats(good).columns[0]!.kind).toBe('numeric');
    expect(() => parseReferenceStats('{')).toThrow(/not JSON/);
    expect(() => parseReferenceStats(good.replace('[1,2,3]', '[3,2,1]'))).toThrow(/“x” is not sorted/);
    expect(() => parseReferenceStats(good.replace('"numeric"', '"weird"'))).toThrow(/unknown kind/);
    expect(() => parseReferenceStats(good.replace('labbook-reference-stats', 'other'))).toThrow(/unknown format/);
  });
});
