/**
 * Model registry repository: registered model names, their numbered versions
 * (identified by the SHA-256 of their manifest), the versions' files and the
 * history of aliases such as `champion`. A save hashes everything first and
 * then writes model, version, files and run in one transaction, so a failure
 * leaves the registry and the run exactly as they were. A bundle import
 * (a version trained in another browser) does the same with the bundle's
 * files and extras.
 */
import { db } from './db';
import { putRunParts } from './runs';
import type { AliasEventRecord, ModelExtraRecord, ModelFileRecord, ModelRecord, ModelVersionRecord, RunRecord } from './records';
import {
  LINEAGE_JSON,
  METRICS_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  buildManifest,
  canonicalJson,
  compareCodeUnits,
  utf8,
  verifyFiles,
  type ModelFileInput,
  type ModelManifest,
  type VerifyResult,
} from '../core/model-manifest';
import { sha256Hex } from '../core/hashing';
import { BundleError, NOTHING_IMPORTED, README_FILE, REFERENCE_STATS_FILE, parseBundleJson, type BuildBundleInput } from '../core/bundle';
import { checkVersionDocument } from '../core/bundle-model';
import type { VerifiedBundle } from '../core/bundle-read';
import { modelCard } from '../core/bundle-card';
import { headlineMetrics, type Lineage } from '../core/run-results';
import { summarizeEvaluation, type Evaluation, type EvaluationSummary, type InputSchemaColumn } from '../core/training';
import type { PreprocessSpec } from '../core/preprocess';
import type { TargetSpec } from '../core/target';
import type { Task } from '../core/train-config';

export const MODEL_NAME_MESSAGE = 'A model name needs 1 to 64 characters.';
export const ALIAS_MESSAGE =
  'An alias starts with a lower-case letter and has at most 32 lower-case letters, digits, “-” or “_” (like champion).';
const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export interface SaveModelInput {
  /** The finished run, status 'completed'; it is stored with modelVersionId set. */
  run: RunRecord;
  modelName: string;
  files: readonly ModelFileInput[];
  inputSchema: InputSchemaColumn[];
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  headline: Record<string, number>;
}

export interface ModelWithVersions {
  model: ModelRecord;
  /** Newest first. */
  versions: ModelVersionRecord[];
}

function short(id: string): string {
  return id.slice(0, 12);
}

/** A model name as stored: trimmed, 1 to 64 characters; throws MODEL_NAME_MESSAGE otherwise. */
export function normalizeModelName(name: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > 64) throw new Error(MODEL_NAME_MESSAGE);
  return trimmed;
}

/** Whether an alias is well formed: /^[a-z][a-z0-9_-]{0,31}$/. */
export function isValidAlias(alias: string): boolean {
  return ALIAS_PATTERN.test(alias);
}

/**
 * Registers a run's model as the next version of `modelName` (created if
 * needed). Throws, writing nothing, on a bad name, a run that did not
 * complete, or files whose manifest id is already stored.
 */
export async function saveModelVersion(input: SaveModelInput): Promise<ModelVersionRecord> {
  const modelName = normalizeModelName(input.modelName);
  if (input.run.status !== 'completed') {
    throw new Error(`Only a completed run can be registered; run ${short(input.run.id)} is ${input.run.status}.`);
  }
  // Hash before the transaction: an await on anything but Dexie inside it would commit it early.
  // The bytes are copied first so what is hashed is exactly what is stored.
  const copies = input.files.map((f) => ({ path: f.path, bytes: f.bytes.slice() }));
  const { manifest, text, id } = await buildManifest(copies);
  const fileRecords: ModelFileRecord[] = manifest.files.map((entry) => {
    const bytes = copies.find((c) => c.path === entry.path)!.bytes;
    return { versionId: id, path: entry.path, sha256: entry.sha256, bytes: entry.bytes, blob: new Blob([bytes]) };
  });
  const now = Date.now();
  const d = db();
  return d.transaction('rw', [d.runs, d.runDetails, d.models, d.modelVersions, d.modelFiles], async () => {
    const existing = await d.modelVersions.get(id);
    if (existing) {
      throw new Error(
        `These exact model files are already registered as version ${existing.version} of “${existing.modelName}” ` +
          `(${short(id)}). Nothing was saved.`,
      );
    }
    const model: ModelRecord = (await d.models.get(modelName)) ?? {
      name: modelName,
      createdAt: now,
      updatedAt: now,
      latestVersion: 0,
      aliases: {},
    };
    const version: ModelVersionRecord = {
      id,
      modelName,
      version: model.latestVersion + 1,
      runId: input.run.id,
      datasetHash: input.run.datasetHash,
      notebookId: input.run.notebookId,
      task: input.run.config.task,
      manifest,
      manifestText: text,
      inputSchema: input.inputSchema,
      preprocessing: input.preprocessing,
      target: input.target,
      headline: input.headline,
      createdAt: now,
    };
    await d.models.put({ ...model, latestVersion: version.version, updatedAt: now });
    await d.modelVersions.add(version);
    await d.modelFiles.bulkAdd(fileRecords);
    await putRunParts({ ...input.run, modelVersionId: id });
    return version;
  });
}

export async function getModelVersion(id: string): Promise<ModelVersionRecord | undefined> {
  return db().modelVersions.get(id);
}

export async function getModel(name: string): Promise<ModelRecord | undefined> {
  return db().models.get(name.trim());
}

/** Every model by name, each with its versions newest first. */
export async function listModels(): Promise<ModelWithVersions[]> {
  const d = db();
  return d.transaction('r', d.models, d.modelVersions, async () => {
    const [models, versions] = await Promise.all([d.models.toArray(), d.modelVersions.toArray()]);
    return models
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((model) => ({
        model,
        versions: versions.filter((v) => v.modelName === model.name).sort((a, b) => b.version - a.version),
      }));
  });
}

function newestFirst(versions: ModelVersionRecord[]): ModelVersionRecord[] {
  return versions.sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
}

/** Model versions trained on a dataset version, newest first. */
export async function versionsForDataset(datasetHash: string): Promise<ModelVersionRecord[]> {
  return newestFirst(await db().modelVersions.where('datasetHash').equals(datasetHash).toArray());
}

/** Model versions a run produced, newest first. */
export async function versionsForRun(runId: string): Promise<ModelVersionRecord[]> {
  return newestFirst(await db().modelVersions.where('runId').equals(runId).toArray());
}

/** A version's files, sorted by path (manifest order). */
export async function getModelFiles(versionId: string): Promise<ModelFileRecord[]> {
  const files = await db().modelFiles.where('versionId').equals(versionId).toArray();
  return files.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/** A version's stored files as bytes by path (what modelFromFiles and the bundle code read). */
export async function getModelFileBytes(versionId: string): Promise<Map<string, Uint8Array>> {
  const files = await getModelFiles(versionId);
  return new Map(await Promise.all(files.map(async (f) => [f.path, new Uint8Array(await f.blob.arrayBuffer())] as const)));
}

/**
 * Reads a version's stored files back and checks them against its manifest,
 * and the manifest text against the version id.
 */
export async function verifyModelVersion(id: string): Promise<VerifyResult> {
  const d = db();
  const [version, records] = await d.transaction('r', d.modelVersions, d.modelFiles, () =>
    Promise.all([d.modelVersions.get(id), getModelFiles(id)]),
  );
  if (!version) return { ok: false, problems: [`Model version ${short(id)} is not stored.`] };
  const problems: string[] = [];
  const textHash = await sha256Hex(utf8(version.manifestText));
  if (textHash !== id) problems.push(`manifest: SHA-256 is ${short(textHash)}…, the version id is ${short(id)}….`);
  let manifest: ModelManifest = version.manifest;
  try {
    manifest = JSON.parse(version.manifestText) as ModelManifest;
    if (canonicalJson(version.manifest) !== version.manifestText) {
      problems.push('manifest: the stored manifest differs from the text that was hashed.');
    }
  } catch (_err) {
    problems.push('manifest: the stored manifest text is not valid JSON.');
  }
  const files: ModelFileInput[] = [];
  for (const r of records) files.push({ path: r.path, bytes: new Uint8Array(await r.blob.arrayBuffer()) });
  const checked = await verifyFiles(manifest, files);
  problems.push(...checked.problems);
  return { ok: problems.length === 0, problems };
}

/** The aliases pointing at a version, sorted. */
export function aliasesOf(model: ModelRecord, versionId: string): string[] {
  return Object.entries(model.aliases)
    .filter(([, v]) => v === versionId)
    .map(([alias]) => alias)
    .sort(compareCodeUnits);
}

/**
 * Points `alias` of a model at one of its versions, moving it from the
 * version it was on, and records the move. Setting it where it already
 * points does nothing. Throws (writing nothing) on a malformed alias, an
 * unknown model, or a version of another model.
 */
export async function setAlias(modelName: string, alias: string, versionId: string, at: number = Date.now()): Promise<ModelRecord> {
  if (!isValidAlias(alias)) throw new Error(ALIAS_MESSAGE);
  const name = modelName.trim();
  const d = db();
  return d.transaction('rw', d.models, d.modelVersions, d.aliasEvents, async () => {
    const model = await d.models.get(name);
    if (!model) throw new Error(`There is no model called “${name}”.`);
    const version = await d.modelVersions.get(versionId);
    if (!version || version.modelName !== name) {
      throw new Error(`Version ${short(versionId)} is not a version of “${name}”.`);
    }
    const from = model.aliases[alias] ?? null;
    if (from === versionId) return model;
    const updated: ModelRecord = { ...model, aliases: { ...model.aliases, [alias]: versionId }, updatedAt: at };
    await d.models.put(updated);
    await d.aliasEvents.add({ modelName: name, alias, from, to: versionId, at });
    return updated;
  });
}

/** Removes an alias from a model and records it; an alias that is not set is left alone. */
export async function removeAlias(modelName: string, alias: string, at: number = Date.now()): Promise<ModelRecord> {
  const name = modelName.trim();
  const d = db();
  return d.transaction('rw', d.models, d.aliasEvents, async () => {
    const model = await d.models.get(name);
    if (!model) throw new Error(`There is no model called “${name}”.`);
    const from = model.aliases[alias];
    if (from === undefined) return model;
    const aliases = { ...model.aliases };
    delete aliases[alias];
    const updated: ModelRecord = { ...model, aliases, updatedAt: at };
    await d.models.put(updated);
    await d.aliasEvents.add({ modelName: name, alias, from, to: null, at });
    return updated;
  });
}

/** A model's alias events, oldest first. */
export async function aliasHistory(modelName: string): Promise<AliasEventRecord[]> {
  const events = await db().aliasEvents.where('modelName').equals(modelName.trim()).toArray();
  return events.sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
}

/** Row counts for the storage panel. */
export async function countRunsAndModels(): Promise<{ runs: number; modelVersions: number }> {
  const d = db();
  const [runs, modelVersions] = await Promise.all([d.runs.count(), d.modelVersions.count()]);
  return { runs, modelVersions };
}

// ---------------------------------------------------------------------------
// Model bundles: export input and import.

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

/** What a version page shows from the version's own files: where it came from and the threshold it carries. */
export interface VersionFacts {
  /** lineage.json: run, dataset version, config, environment (the same for a trained or an imported version). */
  lineage: Lineage;
  /** metrics.json's binary decision threshold; null when it has none (0.5, or not binary). */
  threshold: number | null;
}

/** The bundle of a version, ready for buildBundle (in the bundle worker), and the name of its .zip. */
export interface BundleExport {
  input: BuildBundleInput;
  /** `<model-name>-v<N>-<first 12 hex of the id>.zip`. */
  fileName: string;
}

export interface BundleExportOptions {
  /** reference-stats.json (reference statistics for drift checks), when there are some; replaces a stored one. */
  referenceStats?: Uint8Array;
}

/** A file name for a version's bundle: the model name with anything but letters, digits, ".", "_" and "-" as "_". */
export function bundleFileName(modelName: string, version: number, versionId: string): string {
  const base = modelName.replace(/[^\w.-]+/g, '_').replace(/^[._-]+/, '') || 'model';
  return `${base}-v${version}-${versionId.slice(0, 12)}.zip`;
}

async function fileBytes(record: { blob: Blob }): Promise<Uint8Array> {
  return new Uint8Array(await record.blob.arrayBuffer());
}

function decodeJson<T>(files: readonly ModelFileInput[], path: string): T {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`The model version has no ${path}. Check it with “Verify files”.`);
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes)) as T;
  } catch (_err) {
    throw new Error(`${path} is not valid JSON: the stored file is damaged. Check the version with “Verify files”.`);
  }
}

/** A version's lineage.json and threshold, read from its stored files; null when the version is not stored. */
export async function getVersionFacts(versionId: string): Promise<VersionFacts | null> {
  const found = await db().modelFiles.bulkGet([
    [versionId, LINEAGE_JSON],
    [versionId, METRICS_JSON],
  ]);
  const records = found.filter((r): r is ModelFileRecord => r !== undefined);
  if (records.length < 2) return null;
  const files = await Promise.all(records.map(async (r) => ({ path: r.path, bytes: await fileBytes(r) })));
  const metrics = decodeJson<{ threshold?: unknown } | null>(files, METRICS_JSON);
  return { lineage: decodeJson<Lineage>(files, LINEAGE_JSON), threshold: typeof metrics?.threshold === 'number' ? metrics.threshold : null };
}

/** The extras stored with a version (from the bundle it was imported from), sorted by path. */
export async function getModelExtras(versionId: string): Promise<ModelExtraRecord[]> {
  const extras = await db().modelExtras.where('versionId').equals(versionId).toArray();
  return extras.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/**
 * Everything a version's bundle holds, read from storage: its stored files
 * and manifest text (checked against each other again by buildBundle), a
 * README.md model card written from those files and the registry's name and
 * number, and the extras it came with (reference statistics), or the
 * `referenceStats` given. The zip itself is built in the bundle worker.
 */
export async function bundleExportInput(versionId: string, options: BundleExportOptions = {}): Promise<BundleExport> {
  const d = db();
  const [version, fileRecords, extraRecords] = await d.transaction('r', d.modelVersions, d.modelFiles, d.modelExtras, () =>
    Promise.all([d.modelVersions.get(versionId), getModelFiles(versionId), getModelExtras(versionId)]),
  );
  if (!version) throw new Error(`Model version ${short(versionId)} is not stored in this browser.`);
  const files = await Promise.all(fileRecords.map(async (r) => ({ path: r.path, bytes: await fileBytes(r) })));
  const evaluation = summarizeEvaluation(decodeJson<Evaluation>(files, METRICS_JSON)).summary;
  const card = modelCard({
    modelName: version.modelName,
    version: version.version,
    versionId: version.id,
    lineage: decodeJson<Lineage>(files, LINEAGE_JSON),
    target: version.target,
    inputSchema: version.inputSchema,
    preprocessing: version.preprocessing,
    evaluation,
    manifest: version.manifest,
  });
  const extras: ModelFileInput[] = [{ path: README_FILE, bytes: utf8(card) }];
  if (options.referenceStats) extras.push({ path: REFERENCE_STATS_FILE, bytes: options.referenceStats.slice() });
  for (const r of extraRecords) {
    // The card is written afresh (the name or number may have changed); anything else travels on.
    if (!extras.some((e) => e.path === r.path)) extras.push({ path: r.path, bytes: await fileBytes(r) });
  }
  return {
    input: { files, manifestText: version.manifestText, extras, model: { name: version.modelName, version: version.version } },
    fileName: bundleFileName(version.modelName, version.version, version.id),
  };
}

/** The name an imported bundle is registered under by default: the exporter's, else "<target> model". */
export function suggestedModelName(bundle: Pick<VerifiedBundle, 'model' | 'files'>): string {
  if (bundle.model) return bundle.model.name;
  try {
    const target = decodeJson<Lineage>(bundle.files, LINEAGE_JSON).config.target;
    if (typeof target === 'string' && target.trim()) return `${target.trim()} model`.slice(0, 64);
  } catch (_err) {
    // A lineage.json that cannot be read is refused by the import itself; any name will do here.
  }
  return 'Imported model';
}

interface ParsedBundle {
  lineage: Lineage;
  target: TargetSpec;
  inputSchema: InputSchemaColumn[];
  preprocessing: PreprocessSpec;
  evaluation: EvaluationSummary;
}

function bundleDocument(bundle: VerifiedBundle, path: string): unknown {
  const file = bundle.files.find((f) => f.path === path);
  if (!file) throw new BundleError(path, `The bundle has no ${path}. ${NOTHING_IMPORTED}`);
  const value = parseBundleJson(path, file.bytes);
  checkVersionDocument(path, value);
  return value;
}

/**
 * Holds a bundle to what readBundle promised before anything is written:
 * the manifest text is canonical and hashes to the version id, every listed
 * file is there with its size, and the JSON files parse. (Each file's
 * SHA-256 was checked by readBundle, in the bundle worker.)
 */
async function parseBundle(bundle: VerifiedBundle): Promise<ParsedBundle> {
  if (canonicalJson(bundle.manifest) !== bundle.manifestText || (await sha256Hex(utf8(bundle.manifestText))) !== bundle.versionId) {
    throw new BundleError('manifest.json', `manifest.json does not match the bundle's version id. ${NOTHING_IMPORTED}`);
  }
  const given = new Map(bundle.files.map((f) => [f.path, f.bytes]));
  for (const entry of bundle.manifest.files) {
    const bytes = given.get(entry.path);
    if (!bytes || bytes.byteLength !== entry.bytes) {
      throw new BundleError(entry.path, `${entry.path} is missing or not the size manifest.json lists. ${NOTHING_IMPORTED}`);
    }
  }
  if (given.size !== bundle.manifest.files.length) {
    throw new BundleError(null, `The bundle holds files manifest.json does not list. ${NOTHING_IMPORTED}`);
  }
  const lineage = bundleDocument(bundle, LINEAGE_JSON) as Lineage;
  if (typeof lineage.runId !== 'string' || lineage.runId === '') {
    throw new BundleError(LINEAGE_JSON, `${LINEAGE_JSON} names no run. ${NOTHING_IMPORTED}`);
  }
  return {
    lineage,
    target: bundleDocument(bundle, TARGET_JSON) as TargetSpec,
    inputSchema: bundleDocument(bundle, SCHEMA_JSON) as InputSchemaColumn[],
    preprocessing: bundleDocument(bundle, PREPROCESSING_JSON) as PreprocessSpec,
    evaluation: summarizeEvaluation(bundleDocument(bundle, METRICS_JSON) as Evaluation).summary,
  };
}

/**
 * Registers a verified bundle (readBundle's result) as the next version of
 * `modelName` (created if needed). The version keeps the bundle's id, files
 * and manifest text, so it verifies like the exporter's; run, dataset version
 * and task come from lineage.json (the run and the dataset stay in the
 * exporter's browser), the headline metrics from metrics.json. Model,
 * version, files and extras are written in one transaction after all
 * parsing and hashing, so a refusal (a bad name, a malformed file, a version
 * already stored) writes nothing.
 * @throws BundleError (or the model-name Error) saying what was refused.
 */
export async function importModelVersion(bundle: VerifiedBundle, modelName: string, at: number = Date.now()): Promise<ModelVersionRecord> {
  const name = normalizeModelName(modelName);
  const parsed = await parseBundle(bundle);
  const id = bundle.versionId;
  const task: Task = TASKS.includes(parsed.lineage.config.task) ? parsed.lineage.config.task : parsed.evaluation.task;
  // JSON has no NaN: metrics undefined at training (an AUC with one class present) are null in metrics.json.
  const headline = Object.fromEntries(Object.entries(headlineMetrics(parsed.evaluation)).map(([k, v]) => [k, typeof v === 'number' ? v : NaN]));
  const bytesOf = new Map(bundle.files.map((f) => [f.path, f.bytes]));
  const fileRecords: ModelFileRecord[] = bundle.manifest.files.map((entry) => ({
    versionId: id,
    path: entry.path,
    sha256: entry.sha256,
    bytes: entry.bytes,
    blob: new Blob([bytesOf.get(entry.path)!.slice()]),
  }));
  const extraRecords: ModelExtraRecord[] = [];
  for (const e of bundle.extras) {
    extraRecords.push({ versionId: id, path: e.path, sha256: await sha256Hex(e.bytes), bytes: e.bytes.byteLength, blob: new Blob([e.bytes.slice()]) });
  }
  const d = db();
  return d.transaction('rw', [d.models, d.modelVersions, d.modelFiles, d.modelExtras], async () => {
    const existing = await d.modelVersions.get(id);
    if (existing) {
      throw new BundleError(
        null,
        `These exact model files are already registered as version ${existing.version} of “${existing.modelName}” (${short(id)}…). ${NOTHING_IMPORTED}`,
      );
    }
    const model: ModelRecord = (await d.models.get(name)) ?? { name, createdAt: at, updatedAt: at, latestVersion: 0, aliases: {} };
    const version: ModelVersionRecord = {
      id,
      modelName: name,
      version: model.latestVersion + 1,
      runId: parsed.lineage.runId,
      datasetHash: parsed.lineage.datasetHash,
      notebookId: null,
      task,
      manifest: bundle.manifest,
      manifestText: bundle.manifestText,
      inputSchema: parsed.inputSchema,
      preprocessing: parsed.preprocessing,
      target: parsed.target,
      headline,
      createdAt: at,
      source: 'bundle',
      importedAt: at,
    };
    await d.models.put({ ...model, latestVersion: version.version, updatedAt: at });
    await d.modelVersions.add(version);
    await d.modelFiles.bulkAdd(fileRecords);
    if (extraRecords.length > 0) await d.modelExtras.bulkAdd(extraRecords);
    return version;
  });
}
