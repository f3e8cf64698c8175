/**
 * "Export to MLflow": the selected runs (or all) read from storage, mapped onto
 * MLflow's file store (mlflow-map.ts, core/mlflow) and zipped with the
 * artifact-URI rewrite script and a README.txt. Runs in the backup worker
 * (readMlflowExport reads every model file; zipping deflates them).
 */
import { zipSync, type Zippable } from 'fflate';
import {
  MAX_PARAM_VALUE_LENGTH,
  MLFLOW_REWRITE_SCRIPT,
  MLFLOW_REWRITE_SCRIPT_NAME,
  mlflowStoreFiles,
  type MlflowFile,
  type MlflowStoreInput,
} from './core/mlflow';
import { compareCodeUnits, type ModelFileInput } from './core/models';
import { getDataset, getVersion } from './storage/datasets';
import { getModel, getModelFileBytes, versionsForRun } from './storage/models';
import { bundleExportInput } from './storage/bundles';
import { listNotebooks } from './storage/notebooks';
import { driftReportsOf } from './storage/drift';
import { evaluationsOfVersion } from './storage/evaluations';
import { driftReportJson } from './core/drift';
import { getRun, listRuns } from './storage/runs';
import type { ModelRecord, RunRecord } from './storage/records';
import { experimentsFor, registeredModelsFor, runInput, versionDir, type ExportedVersion, type RunSource, type VersionSource } from './mlflow-map';

export interface MlflowExportProgress {
  /** Runs read so far. */
  done: number;
  total: number;
  /** "Reading run 3 of 12", then "Writing the zip". */
  label: string;
}

export interface MlflowExportOptions {
  onProgress?: (p: MlflowExportProgress) => void;
  /** The date in the file name (default now). */
  now?: Date;
}

export interface MlflowExportResult {
  zip: Uint8Array;
  /** labbook-mlflow-YYYY-MM-DD.zip */
  fileName: string;
  runs: number;
  experiments: number;
  registeredModels: number;
  modelVersions: number;
  /** What was changed or left out on the way (a renamed model, a reserved alias, a missing model card). */
  notes: string[];
}

export const README_NAME = 'README.txt';

/** The download's name: labbook-mlflow-YYYY-MM-DD.zip (local date). */
export function mlflowExportFileName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `labbook-mlflow-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}.zip`;
}

/** README.txt at the zip's root: what it is and the commands that open it. */
export function mlflowReadme(runs: number, experiments: number): string {
  return [
    'Labbook runs exported to MLflow',
    '===============================',
    '',
    `${runs} run(s) in ${experiments} experiment(s), with their model versions and the registered models and aliases`,
    "that point at them, in MLflow's file-store layout (the mlruns folder).",
    '',
    '1. Unzip this file and open a terminal in the unzipped folder.',
    `2. Point the artifact paths at this folder (Python 3, standard library only; run it again after moving the folder):`,
    `     python3 ${MLFLOW_REWRITE_SCRIPT_NAME} mlruns`,
    '3. Either open the file store directly (MLflow 3 keeps it in maintenance mode, hence the variable):',
    '     MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ./mlruns',
    '   or move it into SQLite (MLflow 3.10 or later) and open that:',
    '     mlflow migrate-filestore --source ./mlruns --target sqlite:///mlflow.db',
    '     mlflow server --backend-store-uri sqlite:///mlflow.db',
    '   The artifacts (model files) stay in mlruns/ either way: keep the folder.',
    '',
    'One experiment per Labbook notebook ("Labbook" for runs of no notebook). Each run keeps its Labbook id in the',
    'tag labbook.run_id; params are its training settings, metrics its epochs (step = epoch) and test scores (test_*).',
    '',
  ].join('\n');
}

/** A version's files and the extras the bundle code writes beside them (the model card, analyses); the files alone when the card cannot be made. */
async function versionSource(record: VersionSource['record'], notes: string[]): Promise<VersionSource> {
  const reports = await versionReports(record.id);
  try {
    const { input } = await bundleExportInput(record.id);
    return { record, files: input.files, extras: input.extras, reports };
  } catch (err) {
    const bytes = await getModelFileBytes(record.id);
    const files: ModelFileInput[] = [...bytes].map(([path, b]) => ({ path, bytes: b })).sort((a, b) => compareCodeUnits(a.path, b.path));
    notes.push(`${record.modelName} v${record.version}: exported without its model card (${err instanceof Error ? err.message : String(err)})`);
    return { record, files, extras: [], reports };
  }
}

/** The drift reports (as the drift cell exports them) and champion/challenger evaluations about a version, oldest first. */
async function versionReports(versionId: string): Promise<ModelFileInput[]> {
  const enc = new TextEncoder();
  const [drift, evaluations] = await Promise.all([driftReportsOf(versionId), evaluationsOfVersion(versionId)]);
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return [
    ...drift.reverse().map((r) => ({ path: `drift-${day(r.createdAt)}-${r.id.slice(0, 8)}.json`, bytes: enc.encode(driftReportJson(r)) })),
    ...evaluations.reverse().map((e) => ({ path: `evaluation-${day(e.createdAt)}-${e.id.slice(0, 8)}.json`, bytes: enc.encode(`${JSON.stringify(e, null, 2)}\n`) })),
  ];
}

async function runSource(run: RunRecord, notes: string[]): Promise<RunSource> {
  const version = await getVersion(run.datasetHash);
  const dataset = version ? await getDataset(version.datasetId) : undefined;
  const records = (await versionsForRun(run.id)).sort(
    (a, b) => Number(b.id === run.modelVersionId) - Number(a.id === run.modelVersionId) || a.createdAt - b.createdAt || a.version - b.version,
  );
  const versions: VersionSource[] = [];
  for (const r of records) versions.push(await versionSource(r, notes));
  return { run, dataset: version && dataset ? { name: dataset.name, version: version.version } : null, versions };
}

/**
 * Reads the runs (`runIds`, or every stored run when null; ids no longer
 * stored are skipped) with their model versions, notebooks and registry, as
 * core/mlflow's input. Reports progress per run read.
 */
export async function readMlflowExport(runIds: readonly string[] | null, onProgress?: (p: MlflowExportProgress) => void): Promise<{ input: MlflowStoreInput; notes: string[] }> {
  const ids = runIds ?? (await listRuns()).map((r) => r.id);
  const notes: string[] = [];
  const sources: RunSource[] = [];
  for (let i = 0; i < ids.length; i++) {
    onProgress?.({ done: i, total: ids.length, label: `Reading run ${i + 1} of ${ids.length}` });
    const run = await getRun(ids[i]!);
    if (run) sources.push(await runSource(run, notes));
  }
  if (sources.length === 0) throw new Error('There are no runs to export.');
  sources.sort((a, b) => a.run.createdAt - b.run.createdAt || compareCodeUnits(a.run.id, b.run.id));
  const { experiments, experimentOf } = experimentsFor(
    sources.map((s) => s.run),
    await listNotebooks(),
  );
  const runs = [];
  const exported: ExportedVersion[] = [];
  for (const s of sources) {
    const run = await runInput(s, experimentOf.get(s.run.id)!);
    runs.push(run);
    s.versions.forEach((v, i) => exported.push({ record: v.record, runId: run.id, source: `${versionDir(v.record, i === 0)}model` }));
  }
  const models: ModelRecord[] = [];
  for (const name of new Set(exported.map((v) => v.record.modelName))) {
    const model = await getModel(name);
    if (model) models.push(model);
  }
  return { input: { experiments, runs, registeredModels: registeredModelsFor(models, exported, notes) }, notes };
}

/** The zip: mlruns/… as written, the rewrite script and README.txt at the root. */
export function mlflowZip(files: readonly MlflowFile[], readme: string): Uint8Array {
  const enc = new TextEncoder();
  const tree: Zippable = {};
  // Flat names with '/' are folders in the zip; fflate takes them as they are.
  for (const f of files) tree[f.path] = f.bytes;
  tree[MLFLOW_REWRITE_SCRIPT_NAME] = enc.encode(MLFLOW_REWRITE_SCRIPT);
  tree[README_NAME] = enc.encode(readme);
  return zipSync(tree, { level: 6 });
}

/** The whole export: read, map, check against MLflow's rules (core throws MlflowExportError), zip. */
export async function exportMlflow(runIds: readonly string[] | null, options: MlflowExportOptions = {}): Promise<MlflowExportResult> {
  const { input, notes } = await readMlflowExport(runIds, options.onProgress);
  const total = input.runs.length;
  options.onProgress?.({ done: total, total, label: 'Writing the zip' });
  // 'sanitize' only cuts a param value over MLflow's 6,000 characters (a long feature list; config.json keeps it whole).
  for (const run of input.runs) {
    for (const [key, value] of Object.entries(run.params)) {
      if (value.length > MAX_PARAM_VALUE_LENGTH) notes.push(`Run ${run.name}: param ${key} is cut to MLflow's ${MAX_PARAM_VALUE_LENGTH} characters (config.json has it whole).`);
    }
  }
  const files = mlflowStoreFiles(input, { invalidKeys: 'sanitize' });
  const zip = mlflowZip(files, mlflowReadme(total, input.experiments.length));
  return {
    zip,
    fileName: mlflowExportFileName(options.now ?? new Date()),
    runs: total,
    experiments: input.experiments.length,
    registeredModels: input.registeredModels.length,
    modelVersions: input.registeredModels.reduce((n, m) => n + m.versions.length, 0),
    notes,
  };
}

