/**
 * Reads an MLflow file store back (the layout write.ts makes, which is the
 * file store's): experiments, runs with every metric point, params, tags and
 * artifacts, registered models with versions and aliases. Reads as the stores
 * read: meta.yaml for the record, one file per key (sub folders are '/' in the
 * key), metric lines "<timestamp> <value> [<step>]" (step 0 when missing),
 * aliases from aliases/<alias> files.
 */
import { parsePythonFloat } from './format';
import { MlflowExportError } from './names';
import type { MlflowFile, MlflowMetricPoint, MlflowRunStatus, ParsedExperiment, ParsedModelVersion, ParsedRegisteredModel, ParsedRun, ParsedStore } from './types';
import { parseYaml, type YamlMap, type YamlValue } from './yaml';

const STATUS_BY_CODE: Readonly<Record<number, MlflowRunStatus>> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };
const decoder = new TextDecoder();

function str(v: YamlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new MlflowExportError(`expected a string, got ${JSON.stringify(v)}`);
}

function int(v: YamlValue | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new MlflowExportError(`expected an integer, got ${JSON.stringify(v)}`);
}

interface Tree {
  files: Map<string, Uint8Array>;
}

/** Files under `prefix/` as key → bytes, key relative to prefix. */
function under(tree: Tree, prefix: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [path, bytes] of tree.files) if (path.startsWith(`${prefix}/`)) out.set(path.slice(prefix.length + 1), bytes);
  return out;
}

function yamlAt(tree: Tree, path: string): YamlMap | null {
  const bytes = tree.files.get(path);
  return bytes === undefined ? null : parseYaml(decoder.decode(bytes));
}

function sortedEntries(m: Map<string, Uint8Array>): [string, Uint8Array][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function metricPoints(key: string, content: string): MlflowMetricPoint[] {
  return content
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parts = line.trim().split(' ');
      if (parts.length !== 2 && parts.length !== 3) throw new MlflowExportError(`metric '${key}': a line has ${parts.length} fields, expected 2 or 3`);
      return { key, timestamp: Number(parts[0]), value: parsePythonFloat(parts[1] ?? ''), step: parts.length === 3 ? Number(parts[2]) : 0 };
    });
}

function readRun(tree: Tree, expId: string, runId: string, meta: YamlMap): ParsedRun {
  const dir = `${expId}/${runId}`;
  const statusCode = int(meta.status) ?? 1;
  const status = STATUS_BY_CODE[statusCode];
  if (status === undefined) throw new MlflowExportError(`run ${runId}: unknown status ${statusCode}`);
  const params: Record<string, string> = {};
  for (const [k, b] of sortedEntries(under(tree, `${dir}/params`))) params[k] = decoder.decode(b);
  const tags: Record<string, string> = {};
  for (const [k, b] of sortedEntries(under(tree, `${dir}/tags`))) tags[k] = decoder.decode(b);
  const metrics = sortedEntries(under(tree, `${dir}/metrics`)).flatMap(([k, b]) => metricPoints(k, decoder.decode(b)));
  const artifacts = sortedEntries(under(tree, `${dir}/artifacts`)).map(([path, bytes]) => ({ path, bytes }));
  return {
    id: str(meta.run_id) ?? str(meta.run_uuid) ?? runId,
    // Like _get_run_from_info: the meta's run_name, else the mlflow.runName tag.
    name: str(meta.run_name) || (tags['mlflow.runName'] ?? null),
    experimentId: str(meta.experiment_id) ?? expId,
    status,
    startTime: int(meta.start_time),
    endTime: int(meta.end_time),
    userId: str(meta.user_id),
    lifecycleStage: str(meta.lifecycle_stage) ?? 'active',
    artifactUri: str(meta.artifact_uri) ?? '',
    params,
    tags,
    metrics,
    artifacts,
  };
}

function readModel(tree: Tree, name: string, meta: YamlMap, runs: ParsedRun[]): ParsedRegisteredModel {
  const dir = `models/${name}`;
  const aliases: Record<string, number> = {};
  for (const [alias, b] of sortedEntries(under(tree, `${dir}/aliases`))) aliases[alias] = Number(decoder.decode(b).trim());
  const versions: ParsedModelVersion[] = [];
  for (const path of tree.files.keys()) {
    const m = new RegExp(`^${escapeRegExp(dir)}/version-([^/]+)/meta\\.yaml$`).exec(path);
    if (m === null) continue;
    const vm = yamlAt(tree, path) ?? {};
    const source = str(vm.source) ?? '';
    const runId = str(vm.run_id);
    const run = runs.find((r) => r.id === runId);
    const prefix = run ? `${run.artifactUri}/` : null;
    versions.push({
      version: int(vm.version) ?? Number(m[1] ?? NaN),
      createdAt: int(vm.creation_timestamp),
      updatedAt: int(vm.last_updated_timestamp),
      runId,
      source,
      sourcePath: prefix !== null && source.startsWith(prefix) ? source.slice(prefix.length) : null,
      storageLocation: str(vm.storage_location),
      status: str(vm.status) ?? 'READY',
      currentStage: str(vm.current_stage),
      description: str(vm.description),
    });
  }
  versions.sort((a, b) => a.version - b.version);
  return { name: str(meta.name) ?? name, createdAt: int(meta.creation_timestamp), updatedAt: int(meta.last_updated_timestamp), description: str(meta.description), aliases, versions };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads the files of an MLflow file store. `root` is the folder the paths
 * start with ('mlruns'); files outside it are ignored. Folders other than
 * models/ with a meta.yaml are experiments; their sub folders with a meta.yaml
 * are runs. Experiments and runs are sorted by id, registered models by name.
 */
export function parseMlflowFiles(files: readonly MlflowFile[], root = 'mlruns'): ParsedStore {
  const tree: Tree = { files: new Map() };
  for (const f of files) if (f.path.startsWith(`${root}/`)) tree.files.set(f.path.slice(root.length + 1), f.bytes);

  const experiments: ParsedExperiment[] = [];
  const runs: ParsedRun[] = [];
  const modelNames = new Set<string>();
  for (const path of [...tree.files.keys()].sort()) {
    const parts = path.split('/');
    const [top = '', second = '', third = ''] = parts;
    if (top === 'models') {
      if (parts.length === 3 && third === 'meta.yaml') modelNames.add(second);
      continue;
    }
    if (top === '.trash') continue;
    if (parts.length === 2 && second === 'meta.yaml') {
      const meta = yamlAt(tree, path) ?? {};
      experiments.push({
        id: str(meta.experiment_id) ?? top,
        name: str(meta.name) ?? '',
        artifactLocation: str(meta.artifact_location) ?? '',
        lifecycleStage: str(meta.lifecycle_stage) ?? 'active',
        creationTime: int(meta.creation_time),
        lastUpdateTime: int(meta.last_update_time),
      });
    } else if (parts.length === 3 && third === 'meta.yaml' && !['tags', 'datasets', 'traces'].includes(second)) {
      runs.push(readRun(tree, top, second, yamlAt(tree, path) ?? {}));
    }
  }
  const registeredModels = [...modelNames].sort().map((name) => readModel(tree, name, yamlAt(tree, `models/${name}/meta.yaml`) ?? {}, runs));
  return { experiments, runs, registeredModels };
}
