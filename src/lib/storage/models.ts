/**
 * Model registry repository: registered model names, their numbered versions
 * (identified by the SHA-256 of their manifest), the versions' files and the
 * history of aliases such as `champion`. A trained version arrives sealed
 * (hashed in the train worker); a save checks it and then writes model,
 * version, files and run in one transaction, so a failure leaves the registry
 * and the run exactly as they were. A bundle import
 * (a version trained in another browser) does the same with the bundle's
 * files and extras.
 */
import { db } from './db';
import { putRunParts } from './runs';
import type { AliasEventRecord, ModelFileRecord, ModelRecord, ModelVersionRecord, RunRecord } from './records';
import {
  buildManifest,
  canonicalJson,
  compareCodeUnits,
  utf8,
  verifyFiles,
  type ModelFileInput,
  sealProblems,
  type ModelManifest,
  type SealedModelVersion,
  type VerifyResult,
  formatThreshold,
  thresholdVersionFiles,
  headlineMetrics,
  ALIAS_MESSAGE,
  isValidAlias,
  normalizeModelName,
} from '../core/models';
import { sha256Hex } from '../core/common';
import { summarizeEvaluation, type InputSchemaColumn, type PreprocessSpec, type TargetSpec } from '../core/training';

export interface SaveModelInput {
  /** The finished run, status 'completed'; it is stored with modelVersionId set. */
  run: RunRecord;
  modelName: string;
  /** The version's files, manifest and id, sealed where the model was trained (sealModelVersion). */
  version: SealedModelVersion;
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

/** The first 12 hex digits of an id, for messages. */
export function short(id: string): string {
  return id.slice(0, 12);
}

/**
 * Registers a run's sealed model version as the next version of `modelName`
 * (created if needed); the version number is assigned in the write
 * transaction. Throws, writing nothing, on a bad name, a run that did not
 * complete, a version that does not hold together, or files whose manifest
 * id is already stored.
 */
export async function saveModelVersion(input: SaveModelInput): Promise<ModelVersionRecord> {
  const modelName = normalizeModelName(input.modelName);
  if (input.run.status !== 'completed') {
    throw new Error(`Only a completed run can be registered; run ${short(input.run.id)} is ${input.run.status}.`);
  }
  const { manifest, text, id } = input.version;
  // Blobs first, before any await: a Blob keeps the bytes as they are now, which are the bytes that were hashed.
  const fileRecords: ModelFileRecord[] = input.version.files.map((f) => ({
    versionId: id,
    path: f.path,
    sha256: f.sha256,
    bytes: f.bytes.byteLength,
    // The Blob copies the bytes; a view on an ordinary buffer needs no copy of its own first.
    blob: new Blob([f.bytes.buffer instanceof ArrayBuffer ? (f.bytes as Uint8Array<ArrayBuffer>) : f.bytes.slice()]),
  }));
  // Checked before the transaction: an await on anything but Dexie inside it would commit it early.
  const problems = await sealProblems(input.version);
  if (problems.length > 0) throw new Error(`The model version does not hold together: ${problems.join(' ')} Nothing was saved.`);
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

/**
 * Registers a binary model version again as the next version of its model,
 * with another decision threshold: the same model.json, weights.bin,
 * preprocessing.json, target.json and schema.json; metrics.json recomputed in
 * full at `threshold` from its run's stored test scores; lineage.json the
 * source's plus `thresholdFrom` and `threshold`. Hashes before the one write
 * transaction, as saveModelVersion. Throws, writing nothing, when the source
 * or its run's test scores are not stored, on a threshold outside [0, 1], or
 * when these exact files are already registered (the same threshold again).
 */
export async function saveThresholdVersion(sourceVersionId: string, threshold: number): Promise<ModelVersionRecord> {
  const d = db();
  const [source, records] = await d.transaction('r', d.modelVersions, d.modelFiles, () =>
    Promise.all([d.modelVersions.get(sourceVersionId), getModelFiles(sourceVersionId)]),
  );
  if (!source) throw new Error(`Model version ${short(sourceVersionId)} is not stored in this browser. Nothing was saved.`);
  const scores = (await d.runDetails.get(source.runId))?.testScores;
  if (!scores) {
    throw new Error(
      `The run of ${source.modelName} v${source.version} kept no test scores, so its threshold cannot be moved (it can on runs trained from now on). Nothing was saved.`,
    );
  }
  const bytes = new Map(await Promise.all(records.map(async (r) => [r.path, new Uint8Array(await r.blob.arrayBuffer())] as const)));
  const { files, evaluation } = thresholdVersionFiles(bytes, scores, threshold, source.id);
  // Hash before the transaction: an await on anything but Dexie inside it would commit it early.
  const { manifest, text, id } = await buildManifest(files);
  const fileRecords: ModelFileRecord[] = manifest.files.map((entry) => {
    const file = files.find((f) => f.path === entry.path)!.bytes;
    return { versionId: id, path: entry.path, sha256: entry.sha256, bytes: entry.bytes, blob: new Blob([file.slice()]) };
  });
  const now = Date.now();
  return d.transaction('rw', [d.models, d.modelVersions, d.modelFiles], async () => {
    const existing = await d.modelVersions.get(id);
    if (existing) {
      throw new Error(
        `Threshold ${formatThreshold(threshold)} is already registered as version ${existing.version} of “${existing.modelName}” ` +
          `(these exact files, ${short(id)}). Nothing was saved.`,
      );
    }
    const model = await d.models.get(source.modelName);
    if (!model) throw new Error(`There is no model called “${source.modelName}”. Nothing was saved.`);
    const version: ModelVersionRecord = {
      id,
      modelName: model.name,
      version: model.latestVersion + 1,
      runId: source.runId,
      datasetHash: source.datasetHash,
      notebookId: source.notebookId,
      task: source.task,
      manifest,
      manifestText: text,
      inputSchema: source.inputSchema,
      preprocessing: source.preprocessing,
      target: source.target,
      headline: headlineMetrics(summarizeEvaluation(evaluation).summary),
      createdAt: now,
    };
    await d.models.put({ ...model, latestVersion: version.version, updatedAt: now });
    await d.modelVersions.add(version);
    await d.modelFiles.bulkAdd(fileRecords);
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

/** Who moved an alias, why, and the evaluation the move rests on (a promotion). */
export interface PromotionNote {
  by: string | null;
  why: string | null;
  evaluationId: string | null;
}

/**
 * Points `alias` of a model at one of its versions, moving it from the
 * version it was on, and records the move. Setting it where it already
 * points does nothing. Throws (writing nothing) on a malformed alias, an
 * unknown model, or a version of another model.
 */
export async function setAlias(modelName: string, alias: string, versionId: string, at: number = Date.now()): Promise<ModelRecord> {
  return moveAlias(modelName, alias, versionId, at, null);
}

/**
 * Promotes a version: setAlias that also records who moved the alias, why,
 * and on which evaluation, in the same transaction as the move (blank `by` /
 * `why` are stored as null). Promoting to where the alias already points
 * does nothing.
 */
export async function promote(modelName: string, alias: string, versionId: string, note: PromotionNote, at: number = Date.now()): Promise<ModelRecord> {
  const text = (v: string | null) => (v && v.trim() !== '' ? v.trim() : null);
  return moveAlias(modelName, alias, versionId, at, { by: text(note.by), why: text(note.why), evaluationId: text(note.evaluationId) });
}

async function moveAlias(modelName: string, alias: string, versionId: string, at: number, note: PromotionNote | null): Promise<ModelRecord> {
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
    await d.aliasEvents.add({ modelName: name, alias, from, to: versionId, at, ...(note ?? {}) });
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
