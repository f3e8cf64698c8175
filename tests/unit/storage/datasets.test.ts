import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import {
  countRecords,
  deleteVersion,
  getChunks,
  getVersion,
  listDatasets,
  saveImport,
  setColumnType,
} from '../../../src/lib/storage/datasets';
import { readColumn, reprofileColumn } from '../../../src/lib/core/csv';
import { isQuotaError } from '../../../src/lib/core/common';
import { importText } from '../helpers';

const database = useFreshDatabase();

const CSV_V1 = 'id,species,weight\n1,cat,4.5\n2,dog,12.25\n3,cat,\n4,bird,0.03\n';
const CSV_V2 = CSV_V1 + '5,dog,30\n';

describe('dataset storage', () => {
  it('stores an import and reads every column back exactly', async () => {
    const result = await importText(CSV_V1, 'pets.csv');
    const outcome = await saveImport(result, 'pets');
    expect(outcome.status).toBe('created');
    expect(outcome.version.version).toBe(1);
    const stored = await getVersion(result.hash);
    expect(stored?.rows).toBe(4);
    expect(stored?.schema.map((c) => c.name)).toEqual(['id', 'species', 'weight']);
    const chunks = await getChunks(result.hash);
    expect(chunks.length).toBe(result.chunks.length);
    const weight = await readColumn({ chunks, dictBlob: stored!.dictBlob, columnIndex: 2, storage: 'num' });
    expect(weight.kind).toBe('num');
    if (weight.kind === 'num') {
      expect(Array.from(weight.values.slice(0, 2))).toEqual([4.5, 12.25]);
      expect(Number.isNaN(weight.values[2])).toBe(true);
      expect(weight.values[3]).toBe(0.03);
    }
    const species = await readColumn({ chunks, dictBlob: stored!.dictBlob, columnIndex: 1, storage: 'dict' });
    expect(species.kind).toBe('dict');
    if (species.kind === 'dict') {
      expect(Array.from(species.codes, (c) => species.dict[c - 1])).toEqual(['cat', 'dog', 'cat', 'bird']);
    }
  });

  it('stores identical bytes only once, even under another name', async () => {
    const a = await saveImport(await importText(CSV_V1, 'pets.csv'), 'pets');
    const before = await countRecords();
    const b = await saveImport(await importText(CSV_V1, 'copy.csv'), 'copy');
    expect(b.status).toBe('existing');
    expect(b.version.hash).toBe(a.version.hash);
    expect(await countRecords()).toEqual(before);
  });

  it('numbers versions of a dataset by name, newest first', async () => {
    await saveImport(await importText(CSV_V1, 'pets.csv'), 'pets');
    const second = await saveImport(await importText(CSV_V2, 'pets.csv'), 'pets');
    expect(second.version.version).toBe(2);
    const list = await listDatasets();
    expect(list).toHaveLength(1);
    expect(list[0]!.versions.map((v) => [v.version, v.rows])).toEqual([
      [2, 5],
      [1, 4],
    ]);
  });

  it('deleting versions removes their chunks and finally the dataset: nothing orphaned', async () => {
    const v1 = await saveImport(await importText(CSV_V1, 'pets.csv'), 'pets');
    const v2 = await saveImport(await importText(CSV_V2, 'pets.csv'), 'pets');
    await deleteVersion(v1.version.hash);
    expect(await getChunks(v1.version.hash)).toHaveLength(0);
    expect((await countRecords()).datasets).toBe(1);
    await deleteVersion(v2.version.hash);
    expect(await countRecords()).toEqual({ datasets: 0, versions: 0, chunks: 0 });
  });

  it('rolls the whole import back when a write fails half-way', async () => {
    await saveImport(await importText(CSV_V1, 'pets.csv'), 'pets');
    const before = await countRecords();
    const result = await importText(CSV_V2, 'pets.csv');
    // Make the chunk write fail after the dataset and version rows were written, the way a full disk does.
    const original = database().chunks.bulkAdd.bind(database().chunks);
    database().chunks.bulkAdd = (() => {
      const inner = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return Promise.reject(Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner }));
    }) as unknown as typeof original;
    let caught: unknown;
    try {
      await saveImport(result, 'pets');
    } catch (err) {
      caught = err;
    } finally {
      database().chunks.bulkAdd = original;
    }
    expect(isQuotaError(caught)).toBe(true);
    expect(await countRecords()).toEqual(before);
    expect(await getVersion(result.hash)).toBeUndefined();
  });

  it('a type override re-profiles the column from storage and is kept', async () => {
    const result = await importText('code,label\n1,a\n2,b\n2,a\n3,a\n', 'codes.csv');
    await saveImport(result, 'codes');
    const version = (await getVersion(result.hash))!;
    expect(version.schema[0]!.type).toBe('integer');
    const profile = await reprofileColumn({
      chunks: await getChunks(result.hash),
      dictBlob: version.dictBlob,
      columnIndex: 0,
      storage: version.schema[0]!.storage,
      name: 'code',
      type: 'categorical',
      rows: version.rows,
    });
    expect(profile.numeric).toBeUndefined();
    expect(profile.top[0]).toEqual({ value: '2', count: 2 });
    const updated = await setColumnType(result.hash, 0, 'categorical', profile);
    expect(updated.schema[0]!.type).toBe('categorical');
    expect(updated.schema[0]!.inferredType).toBe('integer');
    expect((await getVersion(result.hash))!.profile.columnProfiles[0]!.type).toBe('categorical');
  });
});
