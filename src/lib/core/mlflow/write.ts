/**
 * Labbook's runs and registry as MLflow's file store lays them out
 * (mlflow/store/tracking/file_store.py, mlflow/store/model_registry/file_store.py):
 *
 *   mlruns/<exp>/meta.yaml                         the experiment
 *   mlruns/<exp>/<run>/meta.yaml                   the run info (status as an int)
 *   mlruns/<exp>/<run>/params/<key>                the value, no newline
 *   mlruns/<exp>/<run>/metrics/<key>               "<timestamp> <value> <step>\n" per point
 *   mlruns/<exp>/<run>/tags/<key>                  the value, no newline
 *   mlruns/<exp>/<run>/artifacts/<path>            the bytes
 *   mlruns/models/<name>/meta.yaml                 the registered model
 *   mlruns/models/<name>/version-<n>/meta.yaml     a model version
 *   mlruns/models/<name>/aliases/<alias>           the version number, no newline
 *
 * A key with '/' is a sub folder (metrics/val/loss), as the store's os.path.join makes it.
 */
import { pythonFloatRepr } from './format';
import {
  MlflowExportError,
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  aliasProblem,
  artifactPathProblem,
  experimentIdProblem,
  experimentNameProblem,
  keyProblem,
  modelNameProblem,
  runIdProblem,
  sanitizeMlflowKey,
} from './names';
import type { MlflowExportInput, MlflowExportOptions, MlflowFile, MlflowRegisteredModelInput, MlflowRunInput, MlflowRunStatus, MlflowStoreInput } from './types';
import { dumpYaml, type YamlMap } from './yaml';

/** Stands for the mlruns folder until the rewrite script puts the real path in. */
export const MLFLOW_PLACEHOLDER_ROOT = 'file:///labbook-mlflow-export/mlruns';

/** service.proto RunStatus, stored as an int in a run's meta.yaml (_make_persisted_run_info_dict). */
export const RUN_STATUS_CODES: Readonly<Record<MlflowRunStatus, number>> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
/** SourceType.LOCAL, written for every run by _make_persisted_run_info_dict. */
export const SOURCE_TYPE_LOCAL = 4;
/** Folders in an experiment that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
const RESERVED_RUN_FOLDERS = new Set(['tags', 'datasets', 'traces']);

const encoder = new TextEncoder();
const text = (s: string): Uint8Array => encoder.encode(s);

interface Ctx {
  root: string;
  user: string;
  sanitize: boolean;
  problems: string[];
}

/** A meta.yaml; a time that is not an integer was noted by checkInt, so it only stops the export. */
function yamlFile(path: string, map: YamlMap, ctx: Ctx, out: MlflowFile[]): void {
  try {
    out.push({ path, bytes: text(dumpYaml(map)) });
  } catch (e) {
    if (ctx.problems.length === 0) ctx.problems.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkInt(what: string, v: number, ctx: Ctx, min = 0): void {
  if (!Number.isSafeInteger(v) || v < min) ctx.problems.push(`${what}: ${v} is not a whole number ≥ ${min}`);
}

/** The key to write, or null after noting why it cannot be written. */
function keyFor(kind: string, key: string, where: string, ctx: Ctx): string | null {
  const problem = keyProblem(key);
  if (problem === null) return key;
  if (ctx.sanitize) return sanitizeMlflowKey(key);
  ctx.problems.push(`${where}: ${kind} '${key}' — ${problem}`);
  return null;
}

function valueFor(kind: string, key: string, value: string, limit: number, where: string, ctx: Ctx): string {
  if (value.length <= limit) return value;
  if (!ctx.sanitize) ctx.problems.push(`${where}: ${kind} '${key}' has ${value.length} characters, MLflow takes at most ${limit}`);
  return value.slice(0, limit);
}

/** Puts key → value into a keyed folder, refusing two keys that land on one file (or a file and a folder). */
function claim(files: Map<string, string>, key: string, original: string, kind: string, where: string, ctx: Ctx): boolean {
  const clash = [...files.keys()].find((k) => k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`));
  if (clash !== undefined) {
    ctx.problems.push(`${where}: ${kind} '${original}' lands on the same file as '${files.get(clash) ?? clash}'`);
    return false;
  }
  files.set(key, original);
  return true;
}

export function experimentMeta(id: string, name: string, createdAt: number, root: string): YamlMap {
  return { artifact_location: `${root}/${id}`, creation_time: createdAt, experiment_id: id, last_update_time: createdAt, lifecycle_stage: 'active', name };
}

export function runMeta(run: MlflowRunInput, root: string, user: string): YamlMap {
  const artifactUri = `${root}/${run.experimentId}/${run.id}/artifacts`;
  return {
    artifact_uri: artifactUri,
    end_time: run.endTime,
    entry_point_name: '',
    experiment_id: run.experimentId,
    lifecycle_stage: 'active',
    run_id: run.id,
    run_name: run.name,
    run_uuid: run.id,
    source_name: '',
    source_type: SOURCE_TYPE_LOCAL,
    source_version: '',
    start_time: run.startTime,
    status: RUN_STATUS_CODES[run.status],
    tags: [],
    user_id: user,
  };
}

/** The tags MLflow's fluent start_run and create_run set, then the run's own, then the note. */
export function runTags(run: MlflowRunInput, user: string): Record<string, string> {
  const tags: Record<string, string> = { 'mlflow.runName': run.name, 'mlflow.source.name': 'Labbook', 'mlflow.source.type': 'LOCAL', 'mlflow.user': user };
  Object.assign(tags, run.tags);
  if (run.note !== undefined && run.note !== '') tags['mlflow.note.content'] = run.note;
  return tags;
}

function runFiles(run: MlflowRunInput, ctx: Ctx, out: MlflowFile[]): void {
  const where = `run ${run.id}`;
  const dir = `mlruns/${run.experimentId}/${run.id}`;
  checkInt(`${where} start time`, run.startTime, ctx);
  if (run.endTime !== null) checkInt(`${where} end time`, run.endTime, ctx);
  if (run.tags['mlflow.runName'] !== undefined && run.tags['mlflow.runName'] !== run.name)
    ctx.problems.push(`${where}: tag mlflow.runName '${run.tags['mlflow.runName']}' differs from the run name '${run.name}'`);
  yamlFile(`${dir}/meta.yaml`, runMeta(run, ctx.root, ctx.user), ctx, out);

  const params = new Map<string, string>();
  for (const [k, v] of Object.entries(run.params)) {
    const key = keyFor('param', k, where, ctx);
    if (key !== null && claim(params, key, k, 'param', where, ctx))
      out.push({ path: `${dir}/params/${key}`, bytes: text(valueFor('param', k, v, MAX_PARAM_VALUE_LENGTH, where, ctx)) });
  }

  const lines = new Map<string, string[]>();
  const metricKeys = new Map<string, string>();
  const keyOf = new Map<string, string | null>();
  for (const m of run.metrics) {
    if (!keyOf.has(m.key)) {
      const key = keyFor('metric', m.key, where, ctx);
      keyOf.set(m.key, key !== null && claim(metricKeys, key, m.key, 'metric', where, ctx) ? key : null);
    }
    const key = keyOf.get(m.key);
    if (key === null || key === undefined) continue;
    checkInt(`${where} metric '${m.key}' timestamp`, m.timestamp, ctx);
    checkInt(`${where} metric '${m.key}' step`, m.step, ctx, Number.MIN_SAFE_INTEGER);
    const list = lines.get(key) ?? [];
    list.push(`${m.timestamp} ${pythonFloatRepr(m.value)} ${m.step}\n`);
    lines.set(key, list);
  }
  for (const [key, list] of lines) out.push({ path: `${dir}/metrics/${key}`, bytes: text(list.join('')) });

  const tags = new Map<string, string>();
  for (const [k, v] of Object.entries(runTags(run, ctx.user))) {
    const key = keyFor('tag', k, where, ctx);
    if (key !== null && claim(tags, key, k, 'tag', where, ctx))
      out.push({ path: `${dir}/tags/${key}`, bytes: text(valueFor('tag', k, v, MAX_TAG_VALUE_LENGTH, where, ctx)) });
  }

  const artifacts = new Map<string, string>();
  for (const a of run.artifacts) {
    const problem = artifactPathProblem(a.path);
    if (problem !== null) ctx.problems.push(`${where}: artifact '${a.path}' — ${problem}`);
    else if (claim(artifacts, a.path, a.path, 'artifact', where, ctx)) out.push({ path: `${dir}/artifacts/${a.path}`, bytes: a.bytes });
  }
}

function modelFiles(model: MlflowRegisteredModelInput, input: MlflowStoreInput, ctx: Ctx, out: MlflowFile[]): void {
  const where = `registered model '${model.name}'`;
  const nameProblem = modelNameProblem(model.name);
  if (nameProblem !== null) {
    ctx.problems.push(`${where}: ${nameProblem}`);
    return;
  }
  const dir = `mlruns/models/${model.name}`;
  checkInt(`${where} created`, model.createdAt, ctx);
  checkInt(`${where} updated`, model.updatedAt, ctx);
  const versionNumbers = new Set<number>();
  for (const v of model.versions) {
    checkInt(`${where} version`, v.version, ctx, 1);
    if (versionNumbers.has(v.version)) ctx.problems.push(`${where}: version ${v.version} appears twice`);
    versionNumbers.add(v.version);
  }
  const aliases: Record<string, string> = {};
  for (const [alias, version] of Object.entries(model.aliases)) {
    const problem = aliasProblem(alias);
    if (problem !== null) ctx.problems.push(`${where}: alias '${alias}' — ${problem}`);
    else if (!versionNumbers.has(version)) ctx.problems.push(`${where}: alias '${alias}' points at version ${version}, which is not exported`);
    else {
      aliases[alias] = String(version);
      out.push({ path: `${dir}/aliases/${alias}`, bytes: text(String(version)) });
    }
  }
  // The registry rewrites this file after every alias change, with the aliases read back from aliases/.
  const meta: YamlMap = { aliases, creation_timestamp: model.createdAt, description: model.description ?? null, last_updated_timestamp: model.updatedAt, name: model.name };
  yamlFile(`${dir}/meta.yaml`, meta, ctx, out);

  for (const v of model.versions) {
    const run = input.runs.find((r) => r.id === v.runId);
    const problem = artifactPathProblem(v.source);
    if (problem !== null) ctx.problems.push(`${where} version ${v.version}: source '${v.source}' — ${problem}`);
    checkInt(`${where} version ${v.version} created`, v.createdAt, ctx);
    const source = `${ctx.root}/${run?.experimentId ?? input.experiments[0]?.id ?? '0'}/${v.runId}/artifacts/${v.source}`;
    const versionMeta: YamlMap = {
      aliases: Object.keys(aliases).filter((a) => aliases[a] === String(v.version)),
      creation_timestamp: v.createdAt,
      current_stage: 'None',
      description: v.description ?? null,
      last_updated_timestamp: v.createdAt,
      name: model.name,
      run_id: v.runId,
      run_link: null,
      source,
      status: v.status,
      status_message: null,
      storage_location: source,
      user_id: null,
      version: v.version,
    };
    yamlFile(`${dir}/version-${v.version}/meta.yaml`, versionMeta, ctx, out);
  }
}

/**
 * Every file of the export, as MLflow's file store would have written it.
 * Throws MlflowExportError listing everything MLflow would refuse (names,
 * ids, keys, aliases, non-integer times); nothing is half written.
 */
export function mlflowFiles(input: MlflowExportInput, options: MlflowExportOptions = {}): MlflowFile[] {
  return mlflowStoreFiles({ experiments: [input.experiment], runs: input.runs, registeredModels: input.registeredModels }, options);
}

/**
 * mlflowFiles for several experiments (one per notebook): each run goes into
 * the experiment its experimentId names. Experiment 0 "Default" is written
 * once (created at the earliest experiment's time) unless one of them is '0'
 * or defaultExperiment is false. Throws MlflowExportError as mlflowFiles, and
 * on two experiments with one id or one name (MLflow's stores keep names
 * unique; a SQL store refuses the second).
 */
export function mlflowStoreFiles(input: MlflowStoreInput, options: MlflowExportOptions = {}): MlflowFile[] {
  const ctx: Ctx = { root: (options.rootUri ?? MLFLOW_PLACEHOLDER_ROOT).replace(/\/+$/, ''), user: options.user ?? 'labbook', sanitize: options.invalidKeys === 'sanitize', problems: [] };
  const out: MlflowFile[] = [];
  const experimentIds = new Set<string>();
  const experimentNames = new Set<string>();
  const writeDefault = options.defaultExperiment !== false && !input.experiments.some((e) => e.id === '0');
  if (input.experiments.length === 0) ctx.problems.push('there is no experiment to export');
  if (writeDefault && input.experiments.length > 0) {
    const createdAt = Math.min(...input.experiments.map((e) => e.createdAt));
    yamlFile('mlruns/0/meta.yaml', experimentMeta('0', 'Default', createdAt, ctx.root), ctx, out);
    experimentNames.add('Default');
  }
  for (const exp of input.experiments) {
    const idProblem = experimentIdProblem(exp.id);
    if (idProblem !== null) ctx.problems.push(`experiment id '${exp.id}': ${idProblem}`);
    else if (experimentIds.has(exp.id)) ctx.problems.push(`experiment id '${exp.id}' appears twice`);
    const nameProblem = experimentNameProblem(exp.name);
    if (nameProblem !== null) ctx.problems.push(`experiment name: ${nameProblem}`);
    else if (experimentNames.has(exp.name)) ctx.problems.push(`experiment name '${exp.name}' appears twice`);
    checkInt('experiment created', exp.createdAt, ctx);
    if (idProblem === null && !experimentIds.has(exp.id)) yamlFile(`mlruns/${exp.id}/meta.yaml`, experimentMeta(exp.id, exp.name, exp.createdAt, ctx.root), ctx, out);
    experimentIds.add(exp.id);
    experimentNames.add(exp.name);
  }

  const runIds = new Set<string>();
  const only = input.experiments.length === 1 ? input.experiments[0] : undefined;
  for (const run of input.runs) {
    const problem = runIdProblem(run.id) ?? (RESERVED_RUN_FOLDERS.has(run.id) ? `'${run.id}' is a reserved experiment folder` : null);
    if (problem !== null) ctx.problems.push(`run id '${run.id}': ${problem}`);
    else if (runIds.has(run.id)) ctx.problems.push(`run id '${run.id}' appears twice`);
    else if (!experimentIds.has(run.experimentId))
      ctx.problems.push(
        only !== undefined
          ? `run ${run.id}: experiment '${run.experimentId}' is not the exported experiment '${only.id}'`
          : `run ${run.id}: experiment '${run.experimentId}' is not one of the exported experiments`,
      );
    else runFiles(run, ctx, out);
    runIds.add(run.id);
  }

  const names = new Set<string>();
  for (const model of input.registeredModels) {
    if (names.has(model.name)) ctx.problems.push(`registered model '${model.name}' appears twice`);
    names.add(model.name);
    modelFiles(model, input, ctx, out);
  }
  if (ctx.problems.length > 0) throw new MlflowExportError(`MLflow would refuse this export:\n- ${ctx.problems.join('\n- ')}`);
  return out;
}
