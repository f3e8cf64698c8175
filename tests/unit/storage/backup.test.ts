import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LabbookDB, useDatabase } from '../../../src/lib/storage/db';
import { useFreshDatabase } from './fresh-db';
import { memorySink, writeArchive } from '../../../src/lib/storage/backup-write';
import { restoreArchive } from '../../../src/lib/storage/backup-restore';
import { ArchiveError, describeReport } from '../../../src/lib/core/backup';
import { unzipSync, zipSync } from 'fflate';

/* eslint-disable @typescript-eslint/no-explicit-any */
const getDb = useFreshDatabase();

async function seed(d: LabbookDB): Promise<void> {
  await d.notebooks.put({ id: 'nb1', title: 'Churn', createdAt: 1, updatedAt: 2, rev: 3, cells: [
    { id: 'c1', kind: 'dataset', config: { versionHash: 'h1', delimiter: 'auto', target: null } },
    { id: 'c2', kind: 'train', config: { config: null, modelName: 'churn', runIds: ['r1'] } },
  ] } as any);
  await d.notebooks.put({ id: 'nb2', title: 'Other', createdAt: 1, updatedAt: 2, cells: [] } as any);
  await d.datasets.put({ id: 'd1', name: 'churn', createdAt: 1, updatedAt: 1 });
  await d.versions.put({ hash: 'h1', datasetId: 'd1', version: 1, storedBytes: 6, chunkCount: 2, dictBlob: new Blob(['["a"]']), schema: [], profile: { nan: NaN } } as any);
  await d.chunks.bulkPut([
    { hash: 'h1', index: 0, layout: [] as any, blob: new Blob([new Uint8Array([1, 2, 3])]) },
    { hash: 'h1', index: 1, layout: [] as any, blob: new Blob([new Uint8Array([4, 5, 6])]) },
  ]);
  await d.runs.put({ id: 'r1', datasetHash: 'h1', modelVersionId: 'mv1', status: 'completed', tags: [], metric: Infinity } as any);
  await d.runDetails.put({ runId: 'r1', epochs: [{ loss: 1 }], curves: null, residuals: null, testScores: { labels: new Uint8Array([0, 1]), scores: new Float32Array([0.25, 0.75]) } } as any);
  await d.runs.put({ id: 'r2', datasetHash: 'h1', modelVersionId: null, status: 'failed', tags: [] } as any);
  await d.models.put({ name: 'churn', createdAt: 1, updatedAt: 1, latestVersion: 1, aliases: { prod: 'mv1' } });
  await d.modelVersions.put({ id: 'mv1', modelName: 'churn', version: 1, runId: 'r1', datasetHash: 'h1' } as any);
  await d.modelFiles.put({ versionId: 'mv1', path: 'model.json', sha256: 'x', bytes: 2, blob: new Blob(['{}']) });
  await d.aliasEvents.add({ modelName: 'churn', alias: 'prod', from: null, to: 'mv1', at: 5 });
  await d.predictions.put({ id: 'p1', modelVersionId: 'mv1', datasetHash: 'h1', createdAt: 1, csv: new Blob(['a,b\n']) } as any);
  await d.driftReports.put({ id: 'dr1', currentHash: 'h1', modelVersionId: null, reference: { kind: 'dataset', datasetHash: 'h1', label: 'x' } } as any);
  await d.settings.put({ key: 'folder', value: 'not backed up' });
}

async function backup(options: Partial<Parameters<typeof writeArchive>[1]> = {}): Promise<Blob> {
  const sink = memorySink();
  await writeArchive(sink, { format: 'labbook-workspace', appVersion: 'test', now: 0, ...options });
  return new Blob(sink.chunks as Uint8Array<ArrayBuffer>[]);
}

async function dump(d: LabbookDB): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['notebooks', 'datasets', 'versions', 'chunks', 'runs', 'runDetails', 'models', 'modelVersions', 'modelFiles', 'aliasEvents', 'predictions', 'driftReports']) {
    const rows = await d.table(t).toArray();
    out[t] = await Promise.all(rows.map(async (r: any) => normalize(r)));
  }
  return out;
}
async function normalize(v: any): Promise<any> {
  if (v instanceof Blob) return `blob:${new TextDecoder().decode(new Uint8Array(await v.arrayBuffer()))}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${Array.from(v as any).join(',')}`;
  if (Array.isArray(v)) return Promise.all(v.map(normalize));
  if (v && typeof v === 'object') {
    const o: any = {};
    for (const k of Object.keys(v)) if (k !== 'id' || !('alias' in v)) o[k] = await normalize(v[k]);
    return o;
  }
  return v;
}

async function fresh(): Promise<LabbookDB> {
  const d = new LabbookDB(`restore-${Math.random()}`);
  useDatabase(d);
  await d.open();
  return d;
}

describe('workspace backup and restore', () => {
  it('round-trips every record, id, hash, blob and typed array into a fresh database', async () => {
    await seed(getDb());
    const before = await dump(getDb());
    const zip = await backup();
    const target = await fresh();
    const report = await restoreArchive(zip, 'b.zip');
    expect(report.added).toEqual({ notebooks: 2, datasets: 1, versions: 1, models: 1, modelVersions: 1, aliasEvents: 1, runs: 2, predictions: 1, driftReports: 1 });
    expect(await dump(target)).toEqual(before);
    expect(await target.settings.count()).toBe(0);
    const again = await restoreArchive(zip, 'b.zip');
    expect(again.added).toEqual({});
    expect(again.alreadyHad.runs).toBe(2);
    expect(again.alreadyHad.aliasEvents).toBe(1);
    expect(describeReport(again)).toMatch(/^Added nothing; already had 2 notebooks/);
    expect(await target.aliasEvents.count()).toBe(1);
  });

  it('keeps yours when a record differs and refuses a dataset whose name is taken', async () => {
    await seed(getDb());
    const zip = await backup();
    const target = await fresh();
    await target.notebooks.put({ id: 'nb1', title: 'Mine', createdAt: 1, updatedAt: 9, cells: [] } as any);
    await target.datasets.put({ id: 'dX', name: 'churn', createdAt: 1, updatedAt: 1 });
    await target.modelVersions.put({ id: 'other', modelName: 'churn', version: 1 } as any);
    const report = await restoreArchive(zip, 'b.zip');
    expect((await target.notebooks.get('nb1'))!.title).toBe('Mine');
    expect(report.keptYours).toEqual([{ table: 'notebooks', key: '“Churn”' }]);
    expect(report.refused.map((r) => r.table)).toEqual(['datasets', 'versions', 'modelVersions']);
    expect(await target.versions.count()).toBe(0);
    expect(await target.chunks.count()).toBe(0);
    expect(describeReport(report)).toContain('refused: dataset churn (a different dataset named “churn” already exists here)');
  });

  it('refuses a tampered, cut-off or padded archive and writes nothing', async () => {
    await seed(getDb());
    const zip = new Uint8Array(await (await backup()).arrayBuffer());
    const d = await fresh();
    // Flip one byte inside the first chunk's data (stored entries: the bytes 1,2,3 appear as is).
    const at = zip.findIndex((b, i) => b === 1 && zip[i + 1] === 2 && zip[i + 2] === 3);
    const flipped = zip.slice();
    flipped[at] = (flipped[at] ?? 0) ^ 0xff;
    await expect(restoreArchive(new Blob([flipped]), 'b.zip')).rejects.toThrow(/versions\/h1\/\d\.bin does not match its SHA-256 in the manifest/);
    await expect(restoreArchive(new Blob([zip.slice(0, zip.length - 300)]), 'b.zip')).rejects.toThrow(ArchiveError);
    await expect(restoreArchive(new Blob([zip.slice(0, zip.length - 300)]), 'b.zip')).rejects.toThrow(/cut off/);
    expect(await d.notebooks.count()).toBe(0);
    expect(await d.runs.count()).toBe(0);
  });

  it('exports one notebook with exactly what it references', async () => {
    await seed(getDb());
    const zip = await backup({ format: 'labbook-notebook', notebookId: 'nb1' });
    const target = await fresh();
    const report = await restoreArchive(zip, 'n.zip');
    expect(report.format).toBe('labbook-notebook');
    expect(report.notebookId).toBe('nb1');
    expect((await target.notebooks.toArray()).map((n) => n.id)).toEqual(['nb1']);
    expect((await target.runs.toArray()).map((r) => r.id)).toEqual(['r1']);
    expect((await target.modelVersions.toArray()).map((r) => r.id)).toEqual(['mv1']);
    expect(await target.chunks.count()).toBe(2);
    expect(await target.aliasEvents.count()).toBe(1);
    expect(await target.predictions.count()).toBe(0);
  });

  it('writes what is referred to before what refers to it, notebooks last, and the manifest at the very end', async () => {
    await seed(getDb());
    const zip = new Uint8Array(await (await backup()).arrayBuffer());
    const text = new TextDecoder('latin1').decode(zip);
    const first = (group: string) => text.indexOf(`${group}/`);
    const order = ['datasets', 'versions', 'runs', 'modelVersions', 'models', 'aliasEvents', 'predictions', 'driftReports', 'notebooks'];
    const positions = order.map(first);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The first mention of each name is its entry's local header; the central directory comes after them all.
    expect(text.indexOf('labbook-manifest.json')).toBeGreaterThan(positions.at(-1)!);
  });

  it('stops with the reason, instead of writing a broken file, when the backup would pass the zip size limit', async () => {
    await seed(getDb());
    const whole = (await backup()).size;
    const sink = memorySink();
    let closed = false;
    sink.close = async () => {
      closed = true;
    };
    await expect(writeArchive(sink, { format: 'labbook-workspace', appVersion: 'test', now: 0, limitBytes: whole - 100 })).rejects.toThrow(
      /larger than 4 GB, which the backup file format cannot hold yet/,
    );
    expect(closed).toBe(false);
    // The estimate alone (the stored bytes of versions and model files) can already refuse it.
    await expect(writeArchive(memorySink(), { format: 'labbook-workspace', appVersion: 'test', now: 0, limitBytes: 3 })).rejects.toThrow(/larger than 4 GB/);
  });

  it('reads archives whose entries are deflated (as earlier versions wrote them), and refuses a damaged one, naming it', async () => {
    await seed(getDb());
    const stored = unzipSync(new Uint8Array(await (await backup()).arrayBuffer()));
    const deflated = zipSync(Object.fromEntries(Object.entries(stored).map(([name, bytes]) => [name, [bytes, { level: 6 }]])));
    const d = await fresh();
    const report = await restoreArchive(new Blob([deflated]), 'old.zip');
    expect(describeReport(report)).toMatch(/^Added 2 notebooks, 1 dataset, 1 dataset version/);
    await d.delete();
    const name = new TextEncoder().encode('runs/r1/record.json');
    const header = deflated.findIndex((_, i) => name.every((b, j) => deflated[i + j] === b)) - 30;
    const flipped = deflated.slice();
    const at = header + 30 + name.length + 3;
    flipped[at] = (flipped[at] ?? 0) ^ 0x5a;
    const e = await fresh();
    await expect(restoreArchive(new Blob([flipped]), 'b.zip')).rejects.toThrow(/runs\/r1\/record\.json (is damaged \(it does not inflate( to its size)?\)|does not match its SHA-256)/);
    expect(await e.runs.count()).toBe(0);
  });
});
