import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../storage/fresh-db';
import { ModelVersionView, thresholdText, type VersionSource } from '../../../src/lib/state/model-version.svelte';
import { getModelFiles, saveModelVersion, verifyModelVersion } from '../../../src/lib/storage/models';
import { getVersionFacts } from '../../../src/lib/storage/bundles';
import { driftReportsOf, saveDriftReport } from '../../../src/lib/storage/drift';
import { createRun } from '../../../src/lib/storage/runs';
import type { DriftReportRecord, RunRecord, RunSummaryRecord } from '../../../src/lib/storage/records';
import { LINEAGE_JSON, METRICS_JSON, MODEL_JSON, WEIGHTS_BIN, sealModelVersion } from '../../../src/lib/core/models';
import { defaultTrainConfig, type PreprocessSpec, type TargetSpec } from '../../../src/lib/core/training';

const database = useFreshDatabase();

const HASH = 'a'.repeat(64);
const enc = new TextEncoder();
const preprocessing: PreprocessSpec = {
  version: 1,
  options: { impute: 'median', missingIndicators: false, topK: 20 },
  fittedRows: 80,
  columns: [{ name: 'age', type: 'integer', missing: 0, indicator: false, fill: 50, mean: 50, std: 10 }],
  featureNames: ['age'],
};
const target: TargetSpec = { task: 'classification', type: 'boolean', classes: ['false', 'true'], counts: [50, 30], keys: 'text' };

/** The page reads storage through the same calls RecordsState makes. */
const storage: VersionSource = { files: getModelFiles, driftReports: driftReportsOf, facts: getVersionFacts, verify: verifyModelVersion };

function run(id: string): RunRecord {
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
    sizes: { train: 80, validation: 10, test: 10, droppedMissingTarget: 0 },
    mainMetric: 'auc',
    epochs: [],
    bestEpoch: 1,
    stoppedEarly: false,
    preprocessing,
    target,
    evaluation: null,
    modelVersionId: null,
  };
}

/** Stores run `id` and registers it as a version of "heart" whose metrics.json carries `threshold`. */
async function stored(id: string, threshold: number, seed = 1) {
  const r = run(id);
  await createRun({ ...r, status: 'running' });
  return saveModelVersion({
    run: r,
    modelName: 'heart',
    version: await sealModelVersion([
      { path: MODEL_JSON, bytes: enc.encode('{"modelTopology":{},"weightsManifest":[]}') },
      { path: WEIGHTS_BIN, bytes: Uint8Array.from([seed, 2, 3, 4, 5, 6, 7, 8]) },
      { path: METRICS_JSON, bytes: enc.encode(JSON.stringify({ threshold })) },
      { path: LINEAGE_JSON, bytes: enc.encode(JSON.stringify({ runId: id, datasetHash: HASH })) },
    ]),
    inputSchema: [{ name: 'age', type: 'integer' }],
    preprocessing,
    target,
    headline: { rocAuc: 0.8 },
  });
}

const report = (id: string, modelVersionId: string, createdAt: number) => ({ id, modelVersionId, createdAt, summary: id }) as unknown as DriftReportRecord;

describe('ModelVersionView', () => {
  it('reads a stored version’s files, facts and drift reports, and verifies its files', async () => {
    const v = await stored('r1', 0.42);
    await saveDriftReport(report('old', v.id, 1));
    await saveDriftReport(report('new', v.id, 2));
    await saveDriftReport(report('other', 'f'.repeat(64), 3));
    const page = new ModelVersionView(storage);
    await page.load(v.id).done;
    expect(page.files.map((f) => f.path)).toEqual([LINEAGE_JSON, METRICS_JSON, MODEL_JSON, WEIGHTS_BIN]);
    expect(page.facts).toEqual({ lineage: { runId: 'r1', datasetHash: HASH }, threshold: 0.42 });
    expect(page.reports.map((r) => r.id)).toEqual(['new', 'old']);
    expect(page.filesError).toBeNull();

    const verifying = page.verify();
    expect(page.verifying).toBe(true);
    await verifying;
    expect(page.verifying).toBe(false);
    expect(page.result).toEqual({ ok: true, problems: [] });

    const weights = page.files.find((f) => f.path === WEIGHTS_BIN)!;
    await database().modelFiles.put({ ...weights, blob: new Blob([Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9])]) });
    await page.verify();
    expect(page.result?.ok).toBe(false);
    expect(page.result?.problems).toEqual([expect.stringMatching(/^weights\.bin: SHA-256/)]);
  });

  it('drops the answers for a version the page has left, and clears the last verification', async () => {
    const v1 = await stored('r1', 0.42, 1);
    const v2 = await stored('r2', 0.5, 2);
    const page = new ModelVersionView(storage);
    await page.load(v1.id).done;
    await page.verify();
    const first = page.load(v2.id);
    expect(page.result).toBeNull();
    expect(page.facts).toBeNull();
    first.stop();
    await first.done;
    // The stale answers were dropped: v1's files still show.
    expect(page.files[0]!.versionId).toBe(v1.id);
    await page.load(v2.id).done;
    expect(page.files.every((f) => f.versionId === v2.id)).toBe(true);
    expect(page.facts?.threshold).toBe(0.5);
  });

  it('says what could not be read, and an unknown version has no files or facts', async () => {
    const failing: VersionSource = {
      files: () => Promise.reject(new Error('disk gone')),
      driftReports: () => Promise.reject(new Error('nope')),
      facts: () => Promise.resolve(null),
      verify: () => Promise.reject(new Error('the version is not stored')),
    };
    const page = new ModelVersionView(failing);
    await page.load('x').done;
    expect(page.filesError).toBe('The files could not be read: disk gone');
    expect(page.reports).toEqual([]);
    await page.verify();
    expect(page.result).toEqual({ ok: false, problems: ['the version is not stored'] });

    const unknown = new ModelVersionView(storage);
    await unknown.load('0'.repeat(64)).done;
    expect(unknown.files).toEqual([]);
    expect(unknown.facts).toBeNull();
  });
});

describe('thresholdText', () => {
  const none = () => undefined;
  const own = { modelVersionId: 'v1', threshold: { choice: { threshold: 0.37, note: 'tuned for F1 on the validation split' } } } as unknown as RunSummaryRecord;

  it('names the version a threshold was set from, by number when stored', () => {
    const facts = { lineage: { thresholdFrom: 'p'.repeat(64) } as never, threshold: 0.45 };
    expect(thresholdText('v2', facts, undefined, () => ({ version: 1 }))).toBe("0.450 (set by hand on the test split's scores, from v1; in metrics.json)");
    expect(thresholdText('v2', facts, undefined, none)).toBe(`0.450 (set by hand on the test split's scores, from version ${'p'.repeat(12)}; in metrics.json)`);
  });

  it('takes the run’s choice for the version it registered, else metrics.json', () => {
    expect(thresholdText('v1', null, own, none)).toBe('0.370 (tuned for F1 on the validation split)');
    expect(thresholdText('v9', null, own, none)).toBe('…');
    expect(thresholdText('v9', { lineage: {} as never, threshold: 0.6 }, own, none)).toBe('0.600 (tuned on the validation split; from metrics.json)');
    expect(thresholdText('v9', { lineage: {} as never, threshold: null }, undefined, none)).toBe('0.500 (default)');
  });
});
