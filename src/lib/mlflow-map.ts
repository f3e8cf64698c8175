/**
 * Labbook's stored records mapped onto core/mlflow's input shapes: one MLflow
 * experiment per notebook, a run per Labbook run (params from its config,
 * metrics from its epochs and test split, tags, artifacts), registered models
 * with the exported versions and their aliases. Pure: the records come in
 * already read (mlflow-export.ts reads them from storage).
 */
import {
  aliasProblem,
  modelNameProblem,
  pythonFloatRepr,
  sanitizeMlflowKey,
  type MlflowArtifact,
  type MlflowExperimentInput,
  type MlflowMetricPoint,
  type MlflowRegisteredModelInput,
  type MlflowRunInput,
  type MlflowRunStatus,
} from './core/mlflow';
import { sha256Hex } from './core/common';
import { summarizeEvaluation, type EvaluationSummary, type RunStatus, type TrainConfig } from './core/training';
import type { ModelFileInput } from './core/models';
import type { ModelRecord, ModelVersionRecord, NotebookRecord, RunRecord } from './storage/records';

/** The experiment of runs with no notebook (or whose notebook is gone). */
export const LABBOOK_EXPERIMENT = 'Labbook';
/** MLflow's experiment 0, written beside the notebooks' experiments. */
const DEFAULT_EXPERIMENT = 'Default';

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

/** A model version of a run with the files it carries into the export. */
export interface VersionSource {
  record: ModelVersionRecord;
  /** The version's stored files (manifest order). */
  files: readonly ModelFileInput[];
  /** Files the bundle code writes beside them: README.md (the model card), fairness.json, importance.json, stored extras. */
  extras: readonly ModelFileInput[];
  /** The drift reports and evaluations about the version, as JSON files (written under `reports/`). */
  reports?: readonly ModelFileInput[];
}

/** Everything read for one run. */
export interface RunSource {
  run: RunRecord;
  /** The dataset version's name and number, when it is still stored. */
  dataset: { name: string; version: number } | null;
  /** Its model versions; the one the run made (run.modelVersionId) first. */
  versions: VersionSource[];
}

/**
 * The MLflow run id of a Labbook run: a UUID without its dashes (the 32 hex
 * digits MLflow's own ids have), 32 hex digits as they are, anything else the
 * first 32 hex digits of its SHA-256. The Labbook id stays in tag labbook.run_id.
 */
export async function mlflowRunId(labbookId: string): Promise<string> {
  const id = labbookId.toLowerCase();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return id.replaceAll('-', '');
  if (/^[0-9a-f]{32}$/.test(id)) return id;
  return (await sha256Hex(encoder.encode(labbookId))).slice(0, 32);
}

const STATUS: Readonly<Record<RunStatus, MlflowRunStatus>> = {
  completed: 'FINISHED',
  failed: 'FAILED',
  interrupted: 'FAILED',
  cancelled: 'KILLED',
  running: 'RUNNING',
};

export function mlflowStatus(status: RunStatus): MlflowRunStatus {
  return STATUS[status];
}

/** A param's text: strings as they are, whole numbers as digits, other numbers as Python prints them, booleans and null as JSON. */
function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  return JSON.stringify(value) ?? String(value);
}

/** Flattens a config: nested objects as dotted keys, arrays as JSON, undefined left out. */
export function flattenParams(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flattenParams(v as Record<string, unknown>, key));
    else out[key] = Array.isArray(v) ? JSON.stringify(v) : paramText(v);
  }
  return out;
}

/** Every config field, the dataset version (hash, name, number) and the decision threshold of a binary run. */
export function runParams(config: TrainConfig, datasetHash: string, dataset: RunSource['dataset'], evaluation: EvaluationSummary | null): Record<string, string> {
  const params = flattenParams(config as unknown as Record<string, unknown>);
  params.dataset_hash = datasetHash;
  if (dataset) {
    params.dataset_name = dataset.name;
    params.dataset_version = String(dataset.version);
  }
  if (evaluation && evaluation.task !== 'regression' && typeof evaluation.threshold === 'number') params.decision_threshold = paramText(evaluation.threshold);
  return params;
}

/**
 * A point per epoch for loss, val_loss, the main metric (auc, accuracy or rmse,
 * on training rows) and val_<metric>; step = the epoch number. Epochs keep
 * their durations, not their clock times, so an epoch's timestamp is the run's
 * start plus the durations of the epochs up to it (never after its end).
 */
export function epochMetrics(run: RunRecord): MlflowMetricPoint[] {
  const name = run.mainMetric ?? 'metric';
  const out: MlflowMetricPoint[] = [];
  let elapsed = 0;
  for (const e of run.epochs) {
    elapsed += Number.isFinite(e.ms) && e.ms > 0 ? e.ms : 0;
    let timestamp = Math.round(run.createdAt + elapsed);
    if (run.endedAt !== null) timestamp = Math.min(timestamp, Math.round(run.endedAt));
    const point = (key: string, value: number | null) => {
      if (value !== null) out.push({ key, value, step: e.epoch, timestamp });
    };
    point('loss', e.loss);
    point('val_loss', e.valLoss);
    point(name, e.metric);
    point(`val_${name}`, e.valMetric);
  }
  return out;
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The test split's numbers as test_<snake_case> at step 0 (test_roc_auc, test_balanced_accuracy, test_rmse…), not n or the threshold. */
export function testMetrics(evaluation: EvaluationSummary, timestamp: number): MlflowMetricPoint[] {
  const out: MlflowMetricPoint[] = [];
  for (const [k, v] of Object.entries(evaluation)) {
    if (k === 'n' || k === 'threshold' || typeof v !== 'number') continue;
    out.push({ key: `test_${snake(k)}`, value: v, step: 0, timestamp: Math.round(timestamp) });
  }
  return out;
}

/** The run's lineage as labbook.* tags, and each of its own tags as an MLflow tag with an empty value. */
export function runTagsFor(run: RunRecord): Record<string, string> {
  const tags: Record<string, string> = { 'labbook.run_id': run.id, 'labbook.dataset_hash': run.datasetHash };
  if (run.notebookId) tags['labbook.notebook'] = run.notebookId;
  if (run.cellFingerprint) tags['labbook.cell_fingerprint'] = run.cellFingerprint;
  if (run.retrainedFrom) tags['labbook.retrained_from'] = run.retrainedFrom;
  if (run.modelVersionId) tags['labbook.model_version'] = run.modelVersionId;
  if (run.statusMessage) tags['labbook.status_message'] = run.statusMessage;
  if (run.tags.length > 0) {
    // Every tag exactly, then each as a key (made a valid MLflow key; mlflow.* and labbook.* keys are left to those).
    tags['labbook.tags'] = JSON.stringify(run.tags);
    for (const t of run.tags) {
      // No '/': a tag 'a' beside a tag 'a/b' would be both a file and a folder.
      const key = sanitizeMlflowKey(t).replaceAll('/', '_');
      if (!key.startsWith('mlflow.') && !key.startsWith('labbook.') && !(key in tags)) tags[key] = '';
    }
  }
  return tags;
}

/** Where a version's files go in its run's artifacts: the run's own model in `model/`, others under versions/<name>-v<N>/. */
export function versionDir(version: ModelVersionRecord, primary: boolean): string {
  if (primary) return '';
  const slug = version.modelName.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '') || 'model';
  return `versions/${slug}-v${version.version}/`;
}

/** The artifact files of a run: model files, the model card and analyses, drift reports and evaluations of its versions, evaluation.json, config.json. */
export function runArtifacts(source: RunSource, evaluation: EvaluationSummary | null): MlflowArtifact[] {
  const out: MlflowArtifact[] = [];
  source.versions.forEach((v, i) => {
    const dir = versionDir(v.record, i === 0);
    for (const f of v.files) out.push({ path: `${dir}model/${f.path}`, bytes: f.bytes });
    for (const e of v.extras) out.push({ path: `${dir}${e.path === 'README.md' ? 'model_card.md' : e.path}`, bytes: e.bytes });
    for (const r of v.reports ?? []) out.push({ path: `${dir}reports/${r.path}`, bytes: r.bytes });
  });
  if (evaluation) out.push({ path: 'evaluation.json', bytes: json(evaluation) });
  out.push({ path: 'config.json', bytes: json(source.run.config) });
  return out;
}

/** One run in MLflow's terms, in experiment `experimentId`. */
export async function runInput(source: RunSource, experimentId: string): Promise<MlflowRunInput> {
  const { run } = source;
  const evaluation = run.evaluation ? summarizeEvaluation(run.evaluation).summary : null;
  const epochs = epochMetrics(run);
  const endTime = run.status === 'running' ? null : Math.round(run.endedAt ?? run.heartbeatAt);
  const testAt = endTime ?? epochs[epochs.length - 1]?.timestamp ?? run.createdAt;
  return {
    id: await mlflowRunId(run.id),
    name: run.name || `run-${run.id.slice(0, 8)}`,
    experimentId,
    status: mlflowStatus(run.status),
    startTime: Math.round(run.createdAt),
    endTime,
    params: runParams(run.config, run.datasetHash, source.dataset, evaluation),
    tags: runTagsFor(run),
    metrics: [...epochs, ...(evaluation ? testMetrics(evaluation, testAt) : [])],
    artifacts: runArtifacts(source, evaluation),
    note: run.notes,
  };
}

/**
 * One experiment per notebook the runs belong to, numbered 1, 2… by the
 * notebook's creation, named by its title (made unique with " (2)"; never
 * "Default"), then "Labbook" for runs of no notebook or of a deleted one.
 * Returns the experiments and each run's experiment id.
 */
export function experimentsFor(runs: readonly RunRecord[], notebooks: readonly NotebookRecord[]): { experiments: MlflowExperimentInput[]; experimentOf: Map<string, string> } {
  const byId = new Map(notebooks.map((n) => [n.id, n]));
  const used = [...new Set(runs.map((r) => r.notebookId).filter((id): id is string => id !== null && byId.has(id)))]
    .map((id) => byId.get(id)!)
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const orphans = runs.filter((r) => r.notebookId === null || !byId.has(r.notebookId));
  const taken = new Set([DEFAULT_EXPERIMENT, ...(orphans.length > 0 ? [LABBOOK_EXPERIMENT] : [])]);
  const experiments: MlflowExperimentInput[] = [];
  const idOfNotebook = new Map<string, string>();
  for (const nb of used) {
    const base = nb.title.trim() || 'Untitled notebook';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    const id = String(experiments.length + 1);
    experiments.push({ id, name, createdAt: Math.round(nb.createdAt) });
    idOfNotebook.set(nb.id, id);
  }
  const labbookId = String(experiments.length + 1);
  if (orphans.length > 0) experiments.push({ id: labbookId, name: LABBOOK_EXPERIMENT, createdAt: Math.round(Math.min(...orphans.map((r) => r.createdAt))) });
  const experimentOf = new Map(runs.map((r) => [r.id, (r.notebookId !== null ? idOfNotebook.get(r.notebookId) : undefined) ?? labbookId]));
  return { experiments, experimentOf };
}

/** An exported version: its record, its MLflow run id and where its files are in the run's artifacts. */
export interface ExportedVersion {
  record: ModelVersionRecord;
  runId: string;
  source: string;
}

/**
 * The registered models of the exported versions, with Labbook's version
 * numbers and the aliases that point at exported versions. A name MLflow
 * refuses ('/', '\', '%') has those characters replaced by '_'; an alias
 * MLflow reserves ('latest', 'v1'…) is left out. Each is said in `notes`.
 */
export function registeredModelsFor(models: readonly ModelRecord[], versions: readonly ExportedVersion[], notes: string[]): MlflowRegisteredModelInput[] {
  const out: MlflowRegisteredModelInput[] = [];
  const names = new Set<string>();
  for (const model of [...models].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const mine = versions.filter((v) => v.record.modelName === model.name).sort((a, b) => a.record.version - b.record.version);
    if (mine.length === 0) continue;
    let name = model.name;
    if (modelNameProblem(name) !== null) {
      name = name.replace(/[/\\%]/g, '_');
      if (name === '.' || name === '..') name = `model${name}`;
      notes.push(`Model “${model.name}” is called “${name}” in MLflow, which refuses '/', '\\' and '%' in names.`);
    }
    for (let n = 2; names.has(name); n++) name = `${name} (${n})`;
    names.add(name);
    const numberOf = new Map(mine.map((v) => [v.record.id, v.record.version]));
    const aliases: Record<string, number> = {};
    for (const [alias, versionId] of Object.entries(model.aliases)) {
      const version = numberOf.get(versionId);
      if (version === undefined) continue;
      const problem = aliasProblem(alias);
      if (problem === null) aliases[alias] = version;
      else notes.push(`Alias “${alias}” of “${model.name}” is left out: ${problem}.`);
    }
    out.push({
      name,
      createdAt: Math.round(model.createdAt),
      updatedAt: Math.round(model.updatedAt),
      aliases,
      versions: mine.map((v) => ({
        version: v.record.version,
        createdAt: Math.round(v.record.createdAt),
        runId: v.runId,
        source: v.source,
        status: 'READY' as const,
        description: `Labbook model version ${v.record.id}`,
      })),
    });
  }
  return out;
}
