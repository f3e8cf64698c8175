/**
 * Storage rules that keep several tabs (and a closed tab) from losing work: an import and
 * the cell that shows it are written together, a version in use can't be deleted, a run is
 * only created on a version that still exists, and a deleted or upgraded database is never
 * silently reopened empty.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { countRecords, deleteVersion, saveImport, VersionInUseError } from '../../../src/lib/storage/datasets';
import { createNotebook, getNotebook, saveCells } from '../../../src/lib/storage/notebooks';
import { createRunOn, getRun } from '../../../src/lib/storage/runs';
import { databaseLost, db, onDatabaseLost } from '../../../src/lib/storage/db';
import { createCell } from '../../../src/lib/core/notebook';
import { defaultTrainConfig } from '../../../src/lib/core/training';
import type { RunRecord } from '../../../src/lib/storage/records';
import { importText } from '../helpers';

const database = useFreshDatabase();
const CSV = 'id,species,weight\n1,cat,4.5\n2,dog,12.25\n3,cat,\n4,bird,0.03\n';

function runOn(hash: string, id = 'r1'): RunRecord {
  return {
    id, notebookId: null, cellId: null, datasetHash: hash,
    config: defaultTrainConfig(hash, 'species', 'multiclass', ['weight']),
    fingerprint: 'f'.repeat(64), status: 'running', statusMessage: null, notes: '', tags: [], reproducesRunId: null,
    createdAt: 1, heartbeatAt: 1, endedAt: null, durationMs: null, backend: null, environment: null, sizes: null,
    mainMetric: null, epochs: [], bestEpoch: null, stoppedEarly: false, preprocessing: null, target: null, evaluation: null, modelVersionId: null,
  };
}

describe('an import and its cell', () => {
  it('points the cell at the new version in the same write, in whichever notebook it sits', async () => {
    const nb = await createNotebook('Study', [createCell('dataset', 'cell-1')]);
    const result = await importText(CSV, 'pets.csv');
    await saveImport(result, 'pets', { notebookId: nb.id, cellId: 'cell-1', patch: (hash) => ({ versionHash: hash }) });
    const stored = await getNotebook(nb.id);
    expect(stored?.cells[0]?.config).toMatchObject({ versionHash: result.hash });
    expect(stored?.rev).toBe(2);
  });

  it('writes neither the version nor the cell when the write fails', async () => {
    const nb = await createNotebook('Study', [createCell('dataset', 'cell-1')]);
    const result = await importText(CSV, 'pets.csv');
    const broken = { ...result, chunks: [...result.chunks, result.chunks[0]!] }; // a duplicate chunk key fails the write
    await expect(saveImport(broken, 'pets', { notebookId: nb.id, cellId: 'cell-1', patch: (hash) => ({ versionHash: hash }) })).rejects.toThrow();
    expect((await getNotebook(nb.id))?.cells[0]?.config).toMatchObject({ versionHash: null });
    expect(await countRecords()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
  });
});

describe('a dataset version in use', () => {
  it('cannot be deleted while a live run trains on it, and can once the run is dead or done', async () => {
    const { version } = await saveImport(await importText(CSV, 'pets.csv'), 'pets');
    const source = await createRunOn(runOn(version.hash));
    expect(source.rows).toBe(4);
    await expect(deleteVersion(version.hash, new Set(['r1']))).rejects.toBeInstanceOf(VersionInUseError);
    await expect(deleteVersion(version.hash, new Set(['r1']))).rejects.toThrow(/once the run ends/);
    expect((await countRecords()).versions).toBe(1);
    // The tab that trained it closed (its lock is gone): the run no longer holds the version.
    await deleteVersion(version.hash, new Set());
    expect(await countRecords()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
  });

  it('creates no run on a version deleted a moment before', async () => {
    const { version } = await saveImport(await importText(CSV, 'pets.csv'), 'pets');
    await deleteVersion(version.hash);
    await expect(createRunOn(runOn(version.hash))).rejects.toThrow(/no longer stored/);
    expect(await getRun('r1')).toBeUndefined();
  });
});

describe('losing the database while the app is open', () => {
  it('stops for good when another tab deletes the database, so no later save lands in a new empty one', async () => {
    const nb = await createNotebook('Study');
    const reasons: string[] = [];
    const stop = onDatabaseLost((r) => reasons.push(r));
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(database().name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
    stop();
    expect(reasons).toEqual(['deleted']);
    expect(databaseLost()).toBe('deleted');
    const read = { rev: 1, cells: [] };
    await expect(saveCells(nb.id, { baseRev: read.rev, base: read.cells, cells: [createCell('markdown', 'a')], editedAt: {} })).rejects.toThrow();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(database().name);
  });

  it('stops when another tab opens a newer schema', async () => {
    await createNotebook('Study');
    const reasons: string[] = [];
    const stop = onDatabaseLost((r) => reasons.push(r));
    const newer = (db().verno + 1) * 10;
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(database().name, newer);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    stop();
    expect(reasons).toEqual(['upgraded']);
  });
});
