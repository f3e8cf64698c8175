import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { exportMlflow, mlflowExportFileName, readMlflowExport, type MlflowExportProgress } from '../../../src/lib/mlflow-export';
import { MLFLOW_REWRITE_SCRIPT, MLFLOW_REWRITE_SCRIPT_NAME, parseMlflowFiles, type MlflowFile, type ParsedRun, type ParsedStore } from '../../../src/lib/core/mlflow';
import { headlineMetrics, modelFiles, sealModelVersion, type Lineage } from '../../../src/lib/core/models';
import { Rng } from '../../../src/lib/core/common';
import { defaultTrainConfig, summarizeEvaluation, type TrainConfig, type TrainResult } from '../../../src/lib/core/training';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import { saveImport } from '../../../src/lib/storage/datasets';
import { createNotebook } from '../../../src/lib/storage/notebooks';
import { createRun } from '../../../src/lib/storage/runs';
import { getModelFiles, saveModelVersion, setAlias } from '../../../src/lib/storage/models';
import type { DriftReportRecord, EvaluationRecord, ModelVersionRecord, RunRecord } from '../../../src/lib/storage/records';
import { saveDriftReport } from '../../../src/lib/storage/drift';
import { saveEvaluation } from '../../../src/lib/storage/evaluations';
import { driftReportJson } from '../../../src/lib/core/drift';
import type { ImportResult } from '../../../src/lib/core/common';

useFreshDatabase();

const dec = new TextDecoder();
const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };
/** MLflow's run id of a Labbook id that is not a UUID: the first 32 hex digits of its SHA-256 (computed here with node:crypto). */
const mlflowId = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 32);

function csv(rows: number): string {
  const rng = new Rng(5);
  const lines = ['x1,x2,colour,sick'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]},${x1 - x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

interface Trained {
  config: TrainConfig;
  result: TrainResult;
}

let ds: ImportResult;
const trained: Trained[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  ds = await importText(csv(200), 'heart.csv');
  for (const seed of [1, 2]) {
    const config: TrainConfig = { ...defaultTrainConfig(ds.hash, 'sick', 'binary', ['x1', 'x2', 'colour']), backend: 'cpu', solver: 'minibatch', autoBudget: false, earlyStopping: false, epochs: 3, model: 'mlp', hiddenUnits: [3], seed };
    const source = { hash: ds.hash, rows: ds.rows, schema: ds.schema, dictBlob: ds.dictBlob, chunks: ds.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
    const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });
    const out = await runTraining({ runId: `run-${seed}`, config, dataset: source }, { host: cpuHost, environment: env });
    if (out.status !== 'completed') throw new Error(`training failed: ${out.message}`);
    trained.push({ config, result: out.result });
  }
}, 60_000);

function runRecord(t: Trained, id: string, notebookId: string | null, extra: Partial<RunRecord>): RunRecord {
  const r = t.result;
  return {
    id,
    notebookId,
    cellId: null,
    name: `logreg-${id}`,
    datasetHash: ds.hash,
    config: t.config,
    fingerprint: 'f'.repeat(64),
    status: 'completed',
    statusMessage: null,
    notes: '',
    tags: [],
    reproducesRunId: null,
    createdAt: 1_700_000_000_000,
    heartbeatAt: 1_700_000_100_000,
    endedAt: 1_700_000_100_000,
    durationMs: r.durationMs,
    backend: r.backend,
    environment: r.environment,
    sizes: r.sizes,
    mainMetric: r.mainMetric,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    preprocessing: r.preprocessing,
    target: r.target,
    evaluation: r.evaluation,
    threshold: r.threshold,
    modelVersionId: null,
    ...extra,
  };
}

async function register(t: Trained, run: RunRecord): Promise<ModelVersionRecord> {
  const lineage: Lineage = { runId: run.id, datasetHash: ds.hash, notebookId: run.notebookId, fingerprint: run.fingerprint, config: t.config, appVersion: 'test', tfjsVersion: tf.version.tfjs, backend: t.result.backend.used };
  return saveModelVersion({
    run,
    modelName: 'sick',
    version: await sealModelVersion(modelFiles(t.result, lineage)),
    inputSchema: t.result.inputSchema,
    preprocessing: t.result.preprocessing,
    target: t.result.target,
    headline: headlineMetrics(summarizeEvaluation(t.result.evaluation).summary),
  });
}

interface Stored {
  one: RunRecord;
  two: RunRecord;
  v1: ModelVersionRecord;
  v2: ModelVersionRecord;
}

/** The parts of a drift report and an evaluation the export reads (the rest is carried as it is). */
const DRIFT = (versionId: string) =>
  ({ id: 'drift-report-1', createdAt: Date.UTC(2026, 2, 1), notebookId: null, currentHash: 'c'.repeat(64), currentLabel: 'new v1', modelVersionId: versionId, modelLabel: 'sick v1', summary: '1 of 3 features drifted' }) as unknown as DriftReportRecord;
const EVALUATION = (champion: string, challenger: string) =>
  ({ id: 'evaluation-1', createdAt: Date.UTC(2026, 2, 2), notebookId: null, cellId: null, cellFingerprint: null, datasetHash: ds.hash, datasetLabel: 'heart v1', target: 'sick', models: [], modelVersionIds: [champion, challenger], ms: 1 }) as unknown as EvaluationRecord;

/** Run one in notebook "Heart study" (v1 of "sick", alias staging), run two in no notebook (v2, alias champion). */
async function store(): Promise<Stored> {
  await saveImport(ds, 'heart');
  const nb = await createNotebook('Heart study');
  const one = runRecord(trained[0]!, 'run-1', nb.id, { notes: 'First try: 3 units', tags: ['baseline', 'a:b'], cellFingerprint: 'cf-123', retrainedFrom: 'drift-9' });
  const two = runRecord(trained[1]!, 'run-2', null, { createdAt: 1_700_000_200_000, heartbeatAt: 1_700_000_300_000, endedAt: 1_700_000_300_000 });
  await createRun({ ...one, status: 'running' });
  await createRun({ ...two, status: 'running' });
  const v1 = await register(trained[0]!, one);
  const v2 = await register(trained[1]!, two);
  await setAlias('sick', 'staging', v1.id);
  await setAlias('sick', 'champion', v2.id);
  // A drift report about v1, and an evaluation of v1 against v2: exported with each version's run.
  await saveDriftReport(DRIFT(v1.id));
  await saveEvaluation(EVALUATION(v1.id, v2.id));
  return { one: { ...one, modelVersionId: v1.id }, two: { ...two, modelVersionId: v2.id }, v1, v2 };
}

function unzip(zip: Uint8Array): { files: MlflowFile[]; names: string[]; text: (name: string) => string | undefined } {
  const entries = unzipSync(zip);
  const names = Object.keys(entries).sort();
  return { files: names.map((path) => ({ path, bytes: entries[path]! })), names, text: (name) => (entries[name] ? dec.decode(entries[name]) : undefined) };
}

function runOf(store: ParsedStore, labbookId: string): ParsedRun {
  const run = store.runs.find((r) => r.id === mlflowId(labbookId));
  if (!run) throw new Error(`run ${labbookId} not exported`);
  return run;
}

describe('exportMlflow: every run', () => {
  let stored: Stored;
  let parsed: ParsedStore;
  let zip: ReturnType<typeof unzip>;
  const progress: MlflowExportProgress[] = [];

  beforeEach(async () => {
    stored = await store();
    progress.length = 0;
    const result = await exportMlflow(null, { onProgress: (p) => progress.push(p), now: new Date(2026, 2, 7, 15, 4) });
    expect(result.fileName).toBe('labbook-mlflow-2026-03-07.zip');
    expect([result.runs, result.experiments, result.registeredModels, result.modelVersions]).toEqual([2, 2, 1, 2]);
    zip = unzip(result.zip);
    parsed = parseMlflowFiles(zip.files);
  });

  it('reports each run read, then the zip', () => {
    expect(progress.map((p) => [p.label, p.done, p.total])).toEqual([
      ['Reading run 1 of 2', 0, 2],
      ['Reading run 2 of 2', 1, 2],
      ['Writing the zip', 2, 2],
    ]);
  });

  it('holds mlruns/, the rewrite script and README.txt at the root', () => {
    expect(zip.names.filter((n) => !n.startsWith('mlruns/'))).toEqual(['README.txt', MLFLOW_REWRITE_SCRIPT_NAME]);
    expect(zip.text(MLFLOW_REWRITE_SCRIPT_NAME)).toBe(MLFLOW_REWRITE_SCRIPT);
    expect(zip.text('README.txt')).toContain(`python3 ${MLFLOW_REWRITE_SCRIPT_NAME} mlruns`);
    expect(zip.text('README.txt')).toContain('mlflow migrate-filestore --source ./mlruns --target sqlite:///mlflow.db');
  });

  it('one experiment per notebook, by its title, and "Labbook" for the run of no notebook', () => {
    expect(parsed.experiments.map((e) => [e.id, e.name])).toEqual([
      ['0', 'Default'],
      ['1', 'Heart study'],
      ['2', 'Labbook'],
    ]);
    expect(runOf(parsed, 'run-1').experimentId).toBe('1');
    expect(runOf(parsed, 'run-2').experimentId).toBe('2');
  });

  it('run info: name, status, start and end times', () => {
    const one = runOf(parsed, 'run-1');
    expect([one.name, one.status, one.startTime, one.endTime]).toEqual(['logreg-run-1', 'FINISHED', 1_700_000_000_000, 1_700_000_100_000]);
  });

  it('every config field as a param (arrays as JSON), the dataset version and the decision threshold', () => {
    const { params } = runOf(parsed, 'run-1');
    const config = stored.one.config;
    expect(Object.keys(params).sort()).toEqual([...Object.keys(config), 'dataset_hash', 'dataset_name', 'dataset_version', 'decision_threshold'].sort());
    expect(params.hiddenUnits).toBe('[3]');
    expect(params.features).toBe('["x1","x2","colour"]');
    expect(params.epochs).toBe('3');
    expect(params.model).toBe('mlp');
    expect(params.solver).toBe('minibatch');
    expect(params.target).toBe('sick');
    expect(params.seed).toBe('1');
    expect(params.stratify).toBe(String(config.stratify));
    expect(params.learningRate).toBe(String(config.learningRate));
    expect(params.trainFraction).toBe(String(config.trainFraction));
    expect(params.datasetHash).toBe(ds.hash);
    expect([params.dataset_hash, params.dataset_name, params.dataset_version]).toEqual([ds.hash, 'heart', '1']);
    const evaluation = stored.one.evaluation;
    expect(params.decision_threshold).toBe(String(evaluation?.task === 'binary' ? evaluation.threshold : NaN));
  });

  it('every epoch point of loss, val_loss, the main metric and its validation twin, step = epoch, timestamp = start + durations', () => {
    const { metrics } = runOf(parsed, 'run-1');
    const run = stored.one;
    const m = run.mainMetric ?? 'metric';
    const expected: string[] = [];
    let at = run.createdAt;
    for (const e of run.epochs) {
      at += e.ms;
      const t = Math.round(at);
      expected.push(`loss|${e.epoch}|${t}|${e.loss}`, `${m}|${e.epoch}|${t}|${e.metric}`);
      if (e.valLoss !== null) expected.push(`val_loss|${e.epoch}|${t}|${e.valLoss}`);
      if (e.valMetric !== null) expected.push(`val_${m}|${e.epoch}|${t}|${e.valMetric}`);
    }
    const got = metrics.filter((p) => !p.key.startsWith('test_')).map((p) => `${p.key}|${p.step}|${p.timestamp}|${p.value}`);
    expect(run.epochs.length).toBe(3);
    expect(got.sort()).toEqual(expected.sort());
  });

  it('the test split at step 0 as test_* (test_roc_auc, test_accuracy…), stamped at the end', () => {
    const { metrics } = runOf(parsed, 'run-1');
    const e = stored.one.evaluation;
    if (e?.task !== 'binary') throw new Error('a binary run');
    const test = Object.fromEntries(metrics.filter((p) => p.key.startsWith('test_')).map((p) => [p.key, p]));
    expect(Object.keys(test).sort()).toEqual(['test_accuracy', 'test_average_precision', 'test_balanced_accuracy', 'test_g_mean', 'test_log_loss', 'test_minority_f1', 'test_roc_auc'].filter((k) => k !== 'test_minority_f1' || e.minorityF1 !== null).sort());
    expect(test.test_roc_auc).toMatchObject({ value: e.rocAuc, step: 0, timestamp: 1_700_000_100_000 });
    expect(test.test_accuracy?.value).toBe(e.accuracy);
    expect(test.test_balanced_accuracy?.value).toBe(e.balancedAccuracy);
    expect(test.test_log_loss?.value).toBe(e.logLoss);
  });

  it('tags: lineage, the run tags, the note', () => {
    const { tags } = runOf(parsed, 'run-1');
    expect(tags).toMatchObject({
      'labbook.run_id': 'run-1',
      'labbook.dataset_hash': ds.hash,
      'labbook.notebook': stored.one.notebookId,
      'labbook.cell_fingerprint': 'cf-123',
      'labbook.retrained_from': 'drift-9',
      'labbook.model_version': stored.v1.id,
      'labbook.tags': '["baseline","a:b"]',
      baseline: '',
      a_b: '',
      'mlflow.runName': 'logreg-run-1',
      'mlflow.note.content': 'First try: 3 units',
    });
    const two = runOf(parsed, 'run-2').tags;
    expect(two['labbook.notebook']).toBeUndefined();
    expect(two['labbook.cell_fingerprint']).toBeUndefined();
    expect(two['mlflow.note.content']).toBeUndefined();
  });

  it("artifacts: the version's stored files under model/, byte for byte, the model card, evaluation.json, config.json", async () => {
    const { artifacts } = runOf(parsed, 'run-1');
    const stored1 = await getModelFiles(stored.v1.id);
    expect(stored1.length).toBeGreaterThan(3);
    for (const f of stored1) {
      const got = artifacts.find((a) => a.path === `model/${f.path}`);
      expect(got, f.path).toBeDefined();
      expect(Buffer.from(got!.bytes).equals(Buffer.from(await f.blob.arrayBuffer()))).toBe(true);
    }
    expect(artifacts.filter((a) => a.path.startsWith('model/')).length).toBe(stored1.length);
    const card = dec.decode(artifacts.find((a) => a.path === 'model_card.md')?.bytes);
    expect(card).toContain('sick');
    expect(card).toContain(stored.v1.id.slice(0, 12));
    const evaluation = JSON.parse(dec.decode(artifacts.find((a) => a.path === 'evaluation.json')?.bytes)) as Record<string, unknown>;
    expect(evaluation).toEqual(JSON.parse(JSON.stringify(summarizeEvaluation(stored.one.evaluation!).summary)));
    expect(JSON.parse(dec.decode(artifacts.find((a) => a.path === 'config.json')?.bytes))).toEqual(stored.one.config);
  });

  it("a version's drift reports and evaluations under reports/, as the drift cell and the evaluation store them", () => {
    const one = runOf(parsed, 'run-1').artifacts.filter((a) => a.path.startsWith('reports/'));
    const two = runOf(parsed, 'run-2').artifacts.filter((a) => a.path.startsWith('reports/'));
    expect(one.map((a) => a.path)).toEqual(['reports/drift-2026-03-01-drift-re.json', 'reports/evaluation-2026-03-02-evaluati.json']);
    expect(two.map((a) => a.path)).toEqual(['reports/evaluation-2026-03-02-evaluati.json']);
    expect(dec.decode(one[0]!.bytes)).toBe(driftReportJson(DRIFT(stored.v1.id)));
    expect(JSON.parse(dec.decode(two[0]!.bytes))).toEqual(EVALUATION(stored.v1.id, stored.v2.id));
  });

  it('the registered model: versions 1 and 2 with their runs and source model/, and both aliases', () => {
    expect(parsed.registeredModels.map((m) => m.name)).toEqual(['sick']);
    const model = parsed.registeredModels[0]!;
    expect(model.versions.map((v) => [v.version, v.runId, v.sourcePath, v.status])).toEqual([
      [1, mlflowId('run-1'), 'model', 'READY'],
      [2, mlflowId('run-2'), 'model', 'READY'],
    ]);
    expect(model.aliases).toEqual({ staging: 1, champion: 2 });
    expect(model.versions[0]?.description).toBe(`Labbook model version ${stored.v1.id}`);
  });
});

describe('the zip, unzipped, after the README\'s rewrite command', () => {
  it.skipIf(spawnSync('python3', ['--version']).status !== 0)('points both experiments\' runs and both versions at the unzipped folder', async () => {
    await store();
    const { zip } = await exportMlflow(null);
    const dir = mkdtempSync(join(tmpdir(), 'labbook mlflow '));
    try {
      for (const [path, bytes] of Object.entries(unzipSync(zip))) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      execFileSync('python3', [MLFLOW_REWRITE_SCRIPT_NAME, 'mlruns'], { cwd: dir });
      const root = pathToFileURL(join(dir, 'mlruns')).href;
      const metas = unzip(zip).names.filter((n) => n.endsWith('meta.yaml')).map((path) => ({ path, bytes: readFileSync(join(dir, path)) }));
      const back = parseMlflowFiles(metas);
      const [one, two] = [mlflowId('run-1'), mlflowId('run-2')];
      expect(back.runs.map((r) => r.artifactUri).sort()).toEqual([`${root}/1/${one}/artifacts`, `${root}/2/${two}/artifacts`].sort());
      expect(back.registeredModels[0]?.versions.map((v) => v.source)).toEqual([`${root}/1/${one}/artifacts/model`, `${root}/2/${two}/artifacts/model`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exportMlflow: selected runs', () => {
  it('exports only those, in their own experiment, with only their versions and the aliases that point at them', async () => {
    await store();
    const progress: string[] = [];
    const result = await exportMlflow(['run-2'], { onProgress: (p) => progress.push(p.label) });
    expect(progress).toEqual(['Reading run 1 of 1', 'Writing the zip']);
    const parsed = parseMlflowFiles(unzip(result.zip).files);
    expect(parsed.runs.map((r) => r.tags['labbook.run_id'])).toEqual(['run-2']);
    expect(parsed.experiments.map((e) => e.name)).toEqual(['Default', 'Labbook']);
    const model = parsed.registeredModels[0]!;
    expect(model.versions.map((v) => [v.version, v.runId])).toEqual([[2, mlflowId('run-2')]]);
    expect(model.aliases).toEqual({ champion: 2 });
  });

  it('skips ids no longer stored, and refuses an export with no run at all', async () => {
    await store();
    const { input } = await readMlflowExport(['gone', 'run-1']);
    expect(input.runs.map((r) => r.tags['labbook.run_id'])).toEqual(['run-1']);
    await expect(exportMlflow(['gone'])).rejects.toThrow('There are no runs to export.');
  });
});

describe('mlflowExportFileName', () => {
  it('is labbook-mlflow-YYYY-MM-DD.zip in local time', () => {
    expect(mlflowExportFileName(new Date(2026, 0, 5, 23, 59))).toBe('labbook-mlflow-2026-01-05.zip');
  });
});
