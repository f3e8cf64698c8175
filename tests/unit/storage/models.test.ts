import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import {
  ALIAS_MESSAGE,
  MODEL_NAME_MESSAGE,
  MODEL_JSON,
  WEIGHTS_BIN,
  sealModelVersion,
} from '../../../src/lib/core/models';
import {
  aliasHistory,
  aliasesOf,
  countRunsAndModels,
  getModel,
  getModelFiles,
  getModelVersion,
  listModels,
  removeAlias,
  saveModelVersion,
  setAlias,
  verifyModelVersion,
  versionsForDataset,
  versionsForRun,
  type SaveModelInput,
} from '../../../src/lib/storage/models';
import { createRun, getRun } from '../../../src/lib/storage/runs';
import type { RunRecord } from '../../../src/lib/storage/records';
import { defaultTrainConfig, type PreprocessSpec, type TargetSpec } from '../../../src/lib/core/training';

const database = useFreshDatabase();

const HASH = 'a'.repeat(64);
const enc = new TextEncoder();
const sha256sum = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const preprocessing: PreprocessSpec = {
  version: 1,
  options: { impute: 'median', missingIndicators: false, topK: 20 },
  fittedRows: 80,
  columns: [{ name: 'age', type: 'integer', missing: 0, indicator: false, fill: 50, mean: 50, std: 10 }],
  featureNames: ['age'],
};
const target: TargetSpec = { task: 'classification', type: 'boolean', classes: ['false', 'true'], counts: [50, 30], keys: 'text' };

function completedRun(id: string): RunRecord {
  return {
    id,
    notebookId: 'nb1',
    cellId: 'cell1',
    datasetHash: HASH,
    config: defaultTrainConfig(HASH, 'sick', 'binary', ['age']),
    fingerprint: 'f'.repeat(64),
    status: 'completed',
    statusMessage: null,
    notes: '',
    tags: [],
    reproducesRunId: null,
    createdAt: 1_000,
    heartbeatAt: 2_000,
    endedAt: 2_000,
    durationMs: 1_000,
    backend: null,
    environment: null,
    sizes: { train: 80, validation: 10, test: 10, droppedMissingTarget: 0 },
    mainMetric: 'auc',
    epochs: [{ epoch: 1, loss: 0.5, valLoss: 0.55, metric: 0.8, valMetric: 0.78, ms: 10 }],
    bestEpoch: 1,
    stoppedEarly: false,
    preprocessing,
    target,
    evaluation: null,
    modelVersionId: null,
  };
}

/** Distinct weights per seed give distinct version ids, as two trainings would. */
async function input(runId: string, seed: number, modelName = 'heart'): Promise<SaveModelInput> {
  return {
    run: completedRun(runId),
    modelName,
    version: await sealModelVersion([
      { path: MODEL_JSON, bytes: enc.encode('{"modelTopology":{},"weightsManifest":[]}') },
      { path: WEIGHTS_BIN, bytes: new Uint8Array([seed, 1, 2, 3, 4, 5, 6, 7]) },
      { path: 'lineage.json', bytes: enc.encode(JSON.stringify({ runId })) },
    ]),
    inputSchema: [{ name: 'age', type: 'integer' }],
    preprocessing,
    target,
    headline: { rocAuc: 0.81, accuracy: 0.77 },
  };
}

async function snapshot() {
  return {
    runs: await database().runs.toArray(),
    models: await database().models.toArray(),
    versions: await database().modelVersions.toArray(),
    files: await database().modelFiles.count(),
    events: await database().aliasEvents.toArray(),
  };
}

describe('model registry', () => {
  it('numbers two saves of the same name as versions 1 and 2, linked to their runs', async () => {
    await createRun({ ...completedRun('r1'), status: 'running' });
    const v1 = await saveModelVersion(await input('r1', 1, '  heart  '));
    const v2 = await saveModelVersion(await input('r2', 2));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.modelName).toBe('heart');
    expect(v1.id).toBe(sha256sum(v1.manifestText));
    expect(v1.task).toBe('binary');
    expect((await getRun('r1'))!).toMatchObject({ status: 'completed', modelVersionId: v1.id });
    expect((await getRun('r2'))!.modelVersionId).toBe(v2.id);
    const list = await listModels();
    expect(list).toHaveLength(1);
    expect(list[0]!.model).toMatchObject({ name: 'heart', latestVersion: 2, aliases: {} });
    expect(list[0]!.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await versionsForDataset(HASH)).map((v) => v.id).sort()).toEqual([v1.id, v2.id].sort());
    expect((await versionsForRun('r2')).map((v) => v.id)).toEqual([v2.id]);
    expect(await getModelVersion(v1.id)).toEqual(v1);
    expect(await countRunsAndModels()).toEqual({ runs: 2, modelVersions: 2 });
  });

  it('stores every file with the hash sha256sum prints, and verifies them', async () => {
    const saved = await saveModelVersion(await input('r1', 1));
    const files = await getModelFiles(saved.id);
    expect(files.map((f) => f.path)).toEqual(['lineage.json', 'model.json', 'weights.bin']);
    const weights = files.find((f) => f.path === WEIGHTS_BIN)!;
    const bytes = new Uint8Array(await weights.blob.arrayBuffer());
    expect(Array.from(bytes)).toEqual([1, 1, 2, 3, 4, 5, 6, 7]);
    expect(weights.sha256).toBe(sha256sum(bytes));
    expect(await verifyModelVersion(saved.id)).toEqual({ ok: true, problems: [] });
  });

  it('finds a tampered or lost file when verifying', async () => {
    const saved = await saveModelVersion(await input('r1', 1));
    const weights = (await getModelFiles(saved.id)).find((f) => f.path === WEIGHTS_BIN)!;
    await database().modelFiles.put({ ...weights, blob: new Blob([new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9])]) });
    const tampered = await verifyModelVersion(saved.id);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([expect.stringMatching(/^weights\.bin: SHA-256 is [0-9a-f]{12}…, manifest says [0-9a-f]{12}…\.$/)]);
    await database().modelFiles.delete([saved.id, MODEL_JSON]);
    const lost = await verifyModelVersion(saved.id);
    expect(lost.problems).toHaveLength(2);
    expect(lost.problems.some((p) => p.startsWith('model.json: missing'))).toBe(true);
    expect((await verifyModelVersion('0'.repeat(64))).ok).toBe(false);
  });

  it('moves the champion alias from v1 to v2 and keeps the history', async () => {
    const v1 = await saveModelVersion(await input('r1', 1));
    const v2 = await saveModelVersion(await input('r2', 2));
    await setAlias('heart', 'champion', v1.id, 10);
    await setAlias('heart', 'champion', v1.id, 15); // already there: no event
    await setAlias('heart', 'staging', v2.id, 18);
    const model = await setAlias('heart', 'champion', v2.id, 20);
    expect(model.aliases).toEqual({ champion: v2.id, staging: v2.id });
    expect(aliasesOf(model, v2.id)).toEqual(['champion', 'staging']);
    expect(aliasesOf(model, v1.id)).toEqual([]);
    const champion = (await aliasHistory('heart')).filter((e) => e.alias === 'champion');
    expect(champion.map(({ from, to, at }) => ({ from, to, at }))).toEqual([
      { from: null, to: v1.id, at: 10 },
      { from: v1.id, to: v2.id, at: 20 },
    ]);
    await removeAlias('heart', 'staging', 30);
    await removeAlias('heart', 'staging', 31); // not set: no event
    const history = await aliasHistory('heart');
    expect(history.map((e) => [e.alias, e.at])).toEqual([
      ['champion', 10],
      ['staging', 18],
      ['champion', 20],
      ['staging', 30],
    ]);
    expect(history[3]).toMatchObject({ from: v2.id, to: null });
    expect((await getModel('heart'))!.aliases).toEqual({ champion: v2.id });
  });

  it('refuses a malformed alias or another model’s version and stores nothing', async () => {
    const v1 = await saveModelVersion(await input('r1', 1));
    const other = await saveModelVersion(await input('r2', 2, 'other'));
    const before = await snapshot();
    for (const bad of ['Champion', '1st', '', 'has space', 'a'.repeat(33), 'prod!']) {
      await expect(setAlias('heart', bad, v1.id)).rejects.toThrow(ALIAS_MESSAGE);
    }
    await expect(setAlias('heart', 'champion', other.id)).rejects.toThrow(/not a version of “heart”/);
    await expect(setAlias('nobody', 'champion', v1.id)).rejects.toThrow(/no model called/);
    expect(await snapshot()).toEqual(before);
    await setAlias('heart', 'a'.repeat(32), v1.id);
    await setAlias('heart', 'prod_v2-b', v1.id);
  });

  it('refuses a model name that is blank or longer than 64 characters', async () => {
    await expect(saveModelVersion(await input('r1', 1, '   '))).rejects.toThrow(MODEL_NAME_MESSAGE);
    await expect(saveModelVersion(await input('r1', 1, 'x'.repeat(65)))).rejects.toThrow(MODEL_NAME_MESSAGE);
    expect((await saveModelVersion(await input('r1', 1, 'x'.repeat(64)))).modelName).toHaveLength(64);
  });

  it('a duplicate save changes nothing: runs, models, versions and files stay as they were', async () => {
    await saveModelVersion(await input('r1', 1));
    await createRun({ ...completedRun('r2'), status: 'running' });
    const before = await snapshot();
    const again = await input('r2', 1);
    again.version = (await input('r1', 1)).version; // the very same bytes, so the same manifest id
    await expect(saveModelVersion({ ...again, modelName: 'copy' })).rejects.toThrow(/already registered as version 1 of “heart”/);
    expect(await snapshot()).toEqual(before);
    expect(await getModel('copy')).toBeUndefined();
  });

  it('a write failing half-way rolls back the model, the version and the run', async () => {
    await saveModelVersion(await input('r1', 1));
    await createRun({ ...completedRun('r2'), status: 'running' });
    const before = await snapshot();
    const original = database().modelFiles.bulkAdd.bind(database().modelFiles);
    database().modelFiles.bulkAdd = (() =>
      Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))) as unknown as typeof original;
    try {
      await expect(saveModelVersion(await input('r2', 2))).rejects.toThrow(/quota/);
      await expect(saveModelVersion(await input('r3', 3, 'fresh'))).rejects.toThrow(/quota/);
    } finally {
      database().modelFiles.bulkAdd = original;
    }
    expect(await snapshot()).toEqual(before);
    expect((await getRun('r2'))!.modelVersionId).toBeNull();
    expect(await getModel('fresh')).toBeUndefined();
    expect((await saveModelVersion(await input('r2', 2))).version).toBe(2);
  });

  it('refuses a sealed version that does not hold together, writing nothing', async () => {
    await createRun({ ...completedRun('r1'), status: 'running' });
    const before = await snapshot();
    const good = await input('r1', 1);
    const files = good.version.files.map((f) => (f.path === WEIGHTS_BIN ? { ...f, sha256: '0'.repeat(64) } : f));
    await expect(saveModelVersion({ ...good, version: { ...good.version, files } })).rejects.toThrow(/^The model version does not hold together: weights\.bin: sealed as 000000000000…, manifest says [0-9a-f]{12}…\. Nothing was saved\.$/);
    await expect(saveModelVersion({ ...good, version: { ...good.version, id: 'f'.repeat(64) } })).rejects.toThrow(/manifest: SHA-256 is [0-9a-f]{12}…, the version id is ffffffffffff…/);
    await expect(saveModelVersion({ ...good, version: { ...good.version, files: good.version.files.slice(1) } })).rejects.toThrow(/lists 3 files, the version has 2/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to register a run that did not complete', async () => {
    const i = await input('r1', 1);
    i.run = { ...i.run, status: 'failed' };
    await expect(saveModelVersion(i)).rejects.toThrow(/Only a completed run/);
    expect(await countRunsAndModels()).toEqual({ runs: 0, modelVersions: 0 });
  });
});
