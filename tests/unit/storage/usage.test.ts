import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { importText } from '../helpers';
import { saveImport } from '../../../src/lib/storage/datasets';
import { countRecords, recordBytes, usageByKind, USAGE_TABLES } from '../../../src/lib/storage/usage';
import type { RunDetailsRecord, RunSummaryRecord } from '../../../src/lib/storage/records';

const getDb = useFreshDatabase();

const summary = (i: number) =>
  ({ id: `run-${String(i).padStart(4, '0')}`, status: 'completed', notes: 'x'.repeat(i % 50), tags: [], createdAt: i }) as unknown as RunSummaryRecord;
const details = (i: number): RunDetailsRecord => ({
  runId: `run-${String(i).padStart(4, '0')}`,
  epochs: Array.from({ length: 1 + (i % 7) }, (_, e) => ({ epoch: e, loss: 1 / (e + 1), valLoss: null, metric: 0, valMetric: null, ms: 3 })),
  curves: null,
  residuals: null,
});

describe('recordBytes', () => {
  it('counts Blobs and binary arrays by their size, the rest by its JSON length', () => {
    const plain = { a: 'héllo', b: [1, 2, 3] };
    expect(recordBytes(plain)).toBe(JSON.stringify(plain).length);
    const withBlob = { hash: 'h', blob: new Blob([new Uint8Array(1234)]), bytes: new Float64Array(10) };
    expect(recordBytes(withBlob)).toBe(1234 + 80 + JSON.stringify({ hash: 'h' }).length);
  });
});

describe('usageByKind', () => {
  it('counts every table of the schema in exactly one kind', () => {
    const counted = Object.values(USAGE_TABLES).flat();
    expect([...counted].sort()).toEqual(getDb().tables.map((t) => t.name).sort());
  });

  it('is zero for every kind in an empty database', async () => {
    expect(await usageByKind()).toEqual({ datasets: 0, runs: 0, models: 0, reports: 0, notebooks: 0 });
  });

  it('counts a stored import under datasets: its chunk Blobs and dictionary Blob at their sizes', async () => {
    const csv = ['id,name,score', ...Array.from({ length: 500 }, (_, i) => `${i},name-${i % 13},${(i * 1.5).toFixed(1)}`)].join('\n');
    await saveImport(await importText(csv, 'pets.csv'), 'pets');
    const database = getDb();
    const chunks = await database.chunks.toArray();
    const [version] = await database.versions.toArray();
    const blobBytes = chunks.reduce((s, c) => s + c.blob.size, 0) + version!.dictBlob.size;
    expect(blobBytes).toBeGreaterThan(0);
    const usage = await usageByKind();
    expect(usage.datasets).toBeGreaterThan(blobBytes);
    const all = [...(await database.datasets.toArray()), version, ...chunks];
    expect(usage.datasets).toBe(all.reduce((s, r) => s + recordBytes(r), 0));
    expect(usage.runs).toBe(0);
  });

  it('reads every run exactly once across many small pages (summaries and details)', async () => {
    const database = getDb();
    const n = 257;
    await database.runs.bulkPut(Array.from({ length: n }, (_, i) => summary(i)));
    await database.runDetails.bulkPut(Array.from({ length: n }, (_, i) => details(i)));
    const expected = Array.from({ length: n }, (_, i) => recordBytes(summary(i)) + recordBytes(details(i))).reduce((a, b) => a + b, 0);
    // sliceMs 0 keeps the pages at their smallest: many page boundaries to get right.
    expect((await usageByKind({ sliceMs: 0 })).runs).toBe(expected);
    expect((await usageByKind()).runs).toBe(expected);
  });

  it('pages tables with compound keys (model files) without skipping or repeating a record', async () => {
    const database = getDb();
    const files = Array.from({ length: 60 }, (_, i) => ({
      versionId: `v${i % 3}`,
      path: `file-${i}.bin`,
      sha256: 'a'.repeat(64),
      bytes: 100 + i,
      blob: new Blob([new Uint8Array(100 + i)]),
    }));
    await database.modelFiles.bulkPut(files);
    const expected = files.reduce((s, f) => s + recordBytes(f), 0);
    expect((await usageByKind({ sliceMs: 0 })).models).toBe(expected);
  });

  it('stops between pages when aborted', async () => {
    const database = getDb();
    await database.runs.bulkPut(Array.from({ length: 50 }, (_, i) => summary(i)));
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(usageByKind({ signal: controller.signal })).rejects.toThrow('stopped');
  });
});

describe('countRecords', () => {
  it('counts notebooks, datasets, versions, runs, model versions and drift reports', async () => {
    await saveImport(await importText('a,b\n1,2\n3,4', 'two.csv'), 'two');
    await getDb().runs.bulkPut([summary(1), summary(2)]);
    expect(await countRecords()).toEqual({ notebooks: 0, datasets: 1, versions: 1, runs: 2, modelVersions: 0, driftReports: 0 });
  });
});
