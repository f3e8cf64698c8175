import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { getModelFileBytes, getModel, saveModelVersion, saveThresholdVersion, verifyModelVersion } from '../../../src/lib/storage/models';
import { createRun, getRun } from '../../../src/lib/storage/runs';
import type { RunRecord } from '../../../src/lib/storage/records';
import {
  LINEAGE_JSON,
  METRICS_JSON,
  MODEL_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  WEIGHTS_BIN,
  canonicalJson,
  sealModelVersion,
  modelFromFiles,
} from '../../../src/lib/core/models';
import { classificationMetrics } from '../../../src/lib/core/metrics';
import {
  defaultTrainConfig,
  type Evaluation,
  type TestScores,
  type PreprocessSpec,
  type TargetSpec,
} from '../../../src/lib/core/training';

const database = useFreshDatabase();

const HASH = 'a'.repeat(64);
const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256sum = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const preprocessing: PreprocessSpec = {
  version: 1,
  options: { impute: 'median', missingIndicators: false, topK: 20 },
  fittedRows: 80,
  columns: [{ name: 'age', type: 'integer', missing: 0, indicator: false, fill: 50, mean: 50, std: 10 }],
  featureNames: ['age'],
};
const target: TargetSpec = { task: 'classification', type: 'boolean', classes: ['false', 'true'], counts: [50, 30], keys: 'text' };

// Twelve test rows with hand-picked scores: positives at 0.9, 0.75, 0.6, 0.4, 0.2; negatives at 0.8, 0.55, 0.5, 0.3, 0.25, 0.1, 0.05.
const testScores: TestScores = {
  labels: Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0]),
  scores: Float32Array.from([0.9, 0.8, 0.75, 0.6, 0.55, 0.5, 0.4, 0.3, 0.25, 0.2, 0.1, 0.05]),
};
const proba = new Float32Array(24);
testScores.scores.forEach((p, i) => {
  proba[2 * i] = 1 - p;
  proba[2 * i + 1] = p;
});
const baseline = { kind: 'majority' as const, label: 'always “false”', metrics: { accuracy: 7 / 12 } };
const atHalf = classificationMetrics(Uint32Array.from(testScores.labels), proba, target.classes);
const evaluation: Evaluation = { ...atHalf, task: 'binary', baseline };

/** JSON as the app writes it: canonical, NaN as null. */
const json = (v: unknown) => enc.encode(canonicalJson(JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)))));

function run(id: string, scores: TestScores | null): RunRecord {
  return {
    id,
    notebookId: null,
    cellId: null,
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
    sizes: { train: 80, validation: 10, test: 12, droppedMissingTarget: 0 },
    mainMetric: 'auc',
    epochs: [],
    bestEpoch: 1,
    stoppedEarly: false,
    preprocessing,
    target,
    evaluation,
    modelVersionId: null,
    testScores: scores,
  };
}

/** Registers run `id` (with or without stored test scores) as version 1 of "heart". */
async function registered(id: string, scores: TestScores | null, weightsSeed = 1) {
  const r = run(id, scores);
  await createRun({ ...r, status: 'running' });
  return saveModelVersion({
    run: r,
    modelName: 'heart',
    version: await sealModelVersion([
      { path: MODEL_JSON, bytes: enc.encode('{"modelTopology":{},"weightsManifest":[]}') },
      { path: WEIGHTS_BIN, bytes: Uint8Array.from([weightsSeed, 2, 3, 4, 5, 6, 7, 8]) },
      { path: PREPROCESSING_JSON, bytes: json(preprocessing) },
      { path: TARGET_JSON, bytes: json(target) },
      { path: SCHEMA_JSON, bytes: json([{ name: 'age', type: 'integer' }]) },
      { path: METRICS_JSON, bytes: json(evaluation) },
      { path: LINEAGE_JSON, bytes: json({ runId: id, datasetHash: HASH, config: { target: 'sick' } }) },
    ]),
    inputSchema: [{ name: 'age', type: 'integer' }],
    preprocessing,
    target,
    headline: { rocAuc: atHalf.rocAuc },
  });
}

async function counts() {
  return { versions: await database().modelVersions.count(), files: await database().modelFiles.count(), models: await database().models.toArray() };
}

describe('saveThresholdVersion', () => {
  it('registers the next version with the same model files, metrics.json at the new threshold and a new id', async () => {
    const v1 = await registered('r1', testScores);
    const v2 = await saveThresholdVersion(v1.id, 0.45);
    expect(v2.version).toBe(2);
    expect(v2.modelName).toBe('heart');
    expect(v2.runId).toBe('r1');
    expect(v2.id).not.toBe(v1.id);
    expect(v2.id).toBe(sha256sum(v2.manifestText));
    expect((await getModel('heart'))!.latestVersion).toBe(2);

    const [before, after] = await Promise.all([getModelFileBytes(v1.id), getModelFileBytes(v2.id)]);
    for (const path of [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_JSON, TARGET_JSON, SCHEMA_JSON]) expect(after.get(path)).toEqual(before.get(path));
    const metrics = JSON.parse(dec.decode(after.get(METRICS_JSON))) as { threshold: number; confusion: number[][]; accuracy: number; baseline: unknown };
    expect(metrics.threshold).toBe(0.45);
    // By hand at 0.45: predicted positive 0.9, 0.8, 0.75, 0.6, 0.55, 0.5 -> tp 3, fp 3; fn 2 (0.4, 0.2), tn 4.
    expect(metrics.confusion).toEqual([
      [4, 3],
      [2, 3],
    ]);
    expect(metrics.accuracy).toBeCloseTo(7 / 12, 12);
    expect(metrics.baseline).toEqual(baseline);
    expect(v2.headline.accuracy).toBeCloseTo(7 / 12, 12);
    const lineage = JSON.parse(dec.decode(after.get(LINEAGE_JSON))) as Record<string, unknown>;
    expect(lineage).toMatchObject({ runId: 'r1', thresholdFrom: v1.id, threshold: 0.45 });

    // Predictions with the new version read its threshold from metrics.json.
    expect(modelFromFiles(after).threshold).toBe(0.45);
    expect(modelFromFiles(before).threshold).toBe(0.5);
    expect(await verifyModelVersion(v2.id)).toEqual({ ok: true, problems: [] });
    // The run still points at the version it trained.
    expect((await getRun('r1'))!.modelVersionId).toBe(v1.id);
  });

  it('refuses the same threshold twice, writing nothing', async () => {
    const v1 = await registered('r1', testScores);
    const v2 = await saveThresholdVersion(v1.id, 0.3);
    const was = await counts();
    await expect(saveThresholdVersion(v1.id, 0.3)).rejects.toThrow(`Threshold 0.300 is already registered as version 2 of “heart” (these exact files, ${v2.id.slice(0, 12)}). Nothing was saved.`);
    expect(await counts()).toEqual(was);
    // Another threshold is a new version again.
    expect((await saveThresholdVersion(v1.id, 0.301)).version).toBe(3);
  });

  it('refuses a run without stored test scores, an unknown version and a threshold outside [0, 1]', async () => {
    const v1 = await registered('old', null);
    const was = await counts();
    await expect(saveThresholdVersion(v1.id, 0.3)).rejects.toThrow(/kept no test scores/);
    await expect(saveThresholdVersion('f'.repeat(64), 0.3)).rejects.toThrow(/is not stored in this browser/);
    expect(await counts()).toEqual(was);
    const v = await registered('r2', testScores, 2);
    await expect(saveThresholdVersion(v.id, 1.2)).rejects.toThrow(/between 0 and 1/);
    expect(await database().modelVersions.count()).toBe(2);
  });
});
