import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { LabbookDB, useDatabase } from '../../../src/lib/storage/db';
import { splitRunV3 } from '../../../src/lib/storage/migrations';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'db', 'v2-runs.json'), 'utf8')) as { runs: Record<string, unknown>[] };

/** A database as schema version 2 declared it, holding `runs`. */
async function v2Database(name: string, runs: Record<string, unknown>[]): Promise<void> {
  const v2 = new Dexie(name);
  v2.version(1).stores({ notebooks: 'id, updatedAt', datasets: 'id, &name, updatedAt', versions: 'hash, datasetId, [datasetId+version], createdAt', chunks: '[hash+index], hash' });
  v2.version(2).stores({
    runs: 'id, notebookId, datasetHash, status, createdAt, fingerprint, modelVersionId, *tags',
    models: 'name, updatedAt',
    modelVersions: 'id, modelName, &[modelName+version], runId, datasetHash, createdAt',
    modelFiles: '[versionId+path], versionId',
    aliasEvents: '++id, modelName, at',
  });
  await v2.table('runs').bulkAdd(runs);
  v2.close();
}

describe('frozen upgrades', () => {
  it('schema 2 -> 3 splits the stored fixture runs exactly, keeping every field', async () => {
    const name = `migrate-v2-${Math.random()}`;
    await v2Database(name, fixture.runs);
    const upgraded = new LabbookDB(name);
    useDatabase(upgraded);
    try {
      await upgraded.open();
      const [cls, reg, failed] = await Promise.all(['cls1', 'reg1', 'failed1'].map((id) => upgraded.runs.get(id)));
      const [clsD, regD, failedD] = await Promise.all(['cls1', 'reg1', 'failed1'].map((id) => upgraded.runDetails.get(id)));
      // Written out by hand from the fixture, not computed with the code under test.
      expect(cls).toEqual({
        id: 'cls1', notebookId: 'nb1', cellId: 'c2', datasetHash: 'aa', status: 'completed', tags: ['baseline'], createdAt: 1, fingerprint: 'f1', modelVersionId: 'mv1',
        config: { task: 'binary', target: 'HeartDisease', epochs: 2 },
        evaluation: { task: 'binary', accuracy: 0.91, rocAuc: 0.82 },
        epochCount: 2,
      });
      expect(clsD).toEqual({
        runId: 'cls1',
        epochs: [{ epoch: 1, loss: 0.7, valLoss: 0.72 }, { epoch: 2, loss: 0.6, valLoss: 0.65 }],
        curves: [{ kind: 'roc', points: [[0, 0], [0.2, 0.7], [1, 1]] }],
        residuals: null,
      });
      expect(reg?.evaluation).toEqual({ task: 'regression', rmse: 3.1, r2: 0.4 });
      expect(reg?.epochCount).toBe(1);
      expect(regD).toEqual({ runId: 'reg1', epochs: [{ epoch: 1, loss: 12.5 }], curves: null, residuals: { mean: 0.01, predicted: [25.1, 30.2], residual: [-1.2, 0.8] } });
      expect(failed).toMatchObject({ id: 'failed1', status: 'failed', evaluation: null, epochCount: 0 });
      expect(failedD).toEqual({ runId: 'failed1', epochs: [], curves: null, residuals: null });
      expect('epochs' in cls!).toBe(false);
    } finally {
      upgraded.close();
      await upgraded.delete();
    }
  });

  it('a run already split passes through the schema 3 upgrade unchanged', () => {
    const summary = { id: 'r', status: 'completed', evaluation: null, epochCount: 0 };
    expect(splitRunV3(summary)).toEqual({ summary, details: { runId: 'r', epochs: [], curves: null, residuals: null } });
  });

  it('no upgrade imports runtime code: migrations.ts imports nothing but Dexie types', () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', '..', 'src', 'lib', 'storage', 'migrations.ts'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['dexie']);
  });
});
