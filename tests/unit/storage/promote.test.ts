import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { MODEL_JSON, WEIGHTS_BIN, sealModelVersion } from '../../../src/lib/core/models';
import { aliasHistory, getModel, promote, saveModelVersion, setAlias, type SaveModelInput } from '../../../src/lib/storage/models';
import type { RunRecord } from '../../../src/lib/storage/records';
import { defaultTrainConfig, type PreprocessSpec, type TargetSpec } from '../../../src/lib/core/training';

const database = useFreshDatabase();
const HASH = 'b'.repeat(64);
const enc = new TextEncoder();
const preprocessing: PreprocessSpec = {
  version: 1,
  options: { impute: 'median', missingIndicators: false, topK: 20 },
  fittedRows: 80,
  columns: [{ name: 'age', type: 'integer', missing: 0, indicator: false, fill: 50, mean: 50, std: 10 }],
  featureNames: ['age'],
};
const target: TargetSpec = { task: 'classification', type: 'boolean', classes: ['false', 'true'], counts: [50, 30], keys: 'text' };

function run(id: string): RunRecord {
  return {
    id, notebookId: 'nb1', cellId: 'cell1', datasetHash: HASH, config: defaultTrainConfig(HASH, 'sick', 'binary', ['age']), fingerprint: 'f'.repeat(64),
    status: 'completed', statusMessage: null, notes: '', tags: [], reproducesRunId: null, createdAt: 1, heartbeatAt: 2, endedAt: 2, durationMs: 1,
    backend: null, environment: null, sizes: { train: 80, validation: 10, test: 10, droppedMissingTarget: 0 }, mainMetric: 'auc', epochs: [],
    bestEpoch: 1, stoppedEarly: false, preprocessing, target, evaluation: null, modelVersionId: null,
  };
}

async function input(runId: string, seed: number, modelName = 'heart'): Promise<SaveModelInput> {
  return {
    run: run(runId),
    modelName,
    version: await sealModelVersion([
      { path: MODEL_JSON, bytes: enc.encode('{"modelTopology":{},"weightsManifest":[]}') },
      { path: WEIGHTS_BIN, bytes: new Uint8Array([seed, 9, 8]) },
      { path: 'lineage.json', bytes: enc.encode(JSON.stringify({ runId })) },
    ]),
    inputSchema: [{ name: 'age', type: 'integer' }],
    preprocessing,
    target,
    headline: { rocAuc: 0.8 },
  };
}

describe('promote', () => {
  it('moves the alias and records who, why and the evaluation in the same event; setAlias still records none', async () => {
    const v1 = await saveModelVersion(await input('r1', 1));
    const v2 = await saveModelVersion(await input('r2', 2));
    await setAlias('heart', 'champion', v1.id, 10);
    const model = await promote('heart', 'champion', v2.id, { by: '  Ada  ', why: 'challenger better on ROC AUC by 0.021 [0.012, 0.030]', evaluationId: 'ev-1' }, 20);
    expect(model.aliases).toEqual({ champion: v2.id });
    expect((await getModel('heart'))!.aliases).toEqual({ champion: v2.id });
    const events = await aliasHistory('heart');
    expect(events.map(({ id: _id, ...e }) => e)).toEqual([
      { modelName: 'heart', alias: 'champion', from: null, to: v1.id, at: 10 },
      { modelName: 'heart', alias: 'champion', from: v1.id, to: v2.id, at: 20, by: 'Ada', why: 'challenger better on ROC AUC by 0.021 [0.012, 0.030]', evaluationId: 'ev-1' },
    ]);
  });

  it('stores blank names and reasons as null, does nothing where the alias already points, and writes nothing when refused', async () => {
    const v1 = await saveModelVersion(await input('r1', 1));
    const other = await saveModelVersion(await input('r3', 3, 'other'));
    await promote('heart', 'champion', v1.id, { by: ' ', why: '', evaluationId: null }, 5);
    await promote('heart', 'champion', v1.id, { by: 'Bo', why: 'again', evaluationId: 'ev-2' }, 6);
    const events = await aliasHistory('heart');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ to: v1.id, by: null, why: null, evaluationId: null, at: 5 });
    await expect(promote('heart', 'champion', other.id, { by: 'Bo', why: 'x', evaluationId: 'ev-3' })).rejects.toThrow(/not a version of “heart”/);
    await expect(promote('heart', 'Champion!', v1.id, { by: 'Bo', why: 'x', evaluationId: null })).rejects.toThrow();
    expect(await database().aliasEvents.count()).toBe(1);
    expect((await getModel('heart'))!.aliases).toEqual({ champion: v1.id });
  });
});
