/**
 * Model bundles in storage: what a version's bundle is built from (its files,
 * a model card, extras) and the import of a verified bundle as a new version,
 * in one transaction. Split from models.ts, which keeps the registry itself.
 */
import { db } from './db';
import { getModelFiles, short } from './models';
import type { ModelExtraRecord, ModelFileRecord, ModelRecord, ModelVersionRecord } from './records';
import {
  LINEAGE_JSON,
  METRICS_JSON,
  PREPROCESSING_JSON,
  SCHEMA_JSON,
  TARGET_JSON,
  canonicalJson,
  compareCodeUnits,
  utf8,
  type ModelFileInput,
  BundleError,
  NOTHING_IMPORTED,
  README_FILE,
  REFERENCE_STATS_FILE,
  parseBundleJson,
  type BuildBundleInput,
  checkVersionDocument,
  type VerifiedBundle,
  modelCard,
  headlineMetrics,
  type Lineage,
  bundleFileName,
  normalizeModelName,
  finiteOnly,
} from '../core/models';
import { sha256Hex } from '../core/common';
import { fairnessMarkdown, type FairnessReport } from '../core/fairness';
import { getAnalyses } from './analyses';
import {
  summarizeEvaluation,
  type Evaluation,
  type EvaluationSummary,
  type InputSchemaColumn,
  type PreprocessSpec,
  type TargetSpec,
  type Task,
} from '../core/training';

// The naming rule lives in core; re-exported for the registry's existing callers.
export { suggestedModelName } from '../core/models';

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

/** The run's analyses travel as bundle extras too (outside the version id, like the card). */
export const FAIRNESS_FILE = 'fairness.json';
export const IMPORTANCE_FILE = 'importance.json';

/** An analysis as an extra: indented JSON, undefined numbers (NaN) as null. */
function analysisBytes(report: object): Uint8Array {
  return utf8(`${JSON.stringify(finiteOnly(report), null, 2)}\n`);
}

/**
 * A fairness report fits a version when it used the version's decision threshold: a version
 * saved later at another threshold shares the run (and its analyses) but decides differently.
 */
function fairnessFits(report: FairnessReport, evaluation: EvaluationSummary): boolean {
  if (evaluation.task !== 'binary' || typeof evaluation.threshold !== 'number') return true;
  return Math.abs(report.threshold - evaluation.threshold) <= 1e-9;
}

/**
 * Everything a version's bundle holds, read from storage: its stored files
 * and manifest text (checked against each other again by buildBundle), a
 * README.md model card written from those files and the registry's name and
 * number, and the extras it came with (reference statistics), or the
 * `referenceStats` given. The run's latest analyses are a section of the card
 * and extras (fairness.json, importance.json); a fairness check made at another
 * threshold than the version's is left out. The zip itself is built in the bundle worker.
 */
export async function bundleExportInput(versionId: string, options: BundleExportOptions = {}): Promise<BundleExport> {
  const d = db();
  const [version, fileRecords, extraRecords] = await d.transaction('r', d.modelVersions, d.modelFiles, d.modelExtras, () =>
    Promise.all([d.modelVersions.get(versionId), getModelFiles(versionId), getModelExtras(versionId)]),
  );
  if (!version) throw new Error(`Model version ${short(versionId)} is not stored in this browser.`);
  const files = await Promise.all(fileRecords.map(async (r) => ({ path: r.path, bytes: await fileBytes(r) })));
  const evaluation = summarizeEvaluation(decodeJson<Evaluation>(files, METRICS_JSON)).summary;
  // The run's latest analyses (none for a version imported from a bundle: its run is elsewhere).
  const analyses = await getAnalyses(version.runId);
  const fairness = analyses.fairness && fairnessFits(analyses.fairness, evaluation) ? analyses.fairness : null;
  const importance = analyses.importance;
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
    fairness: fairness ? fairnessMarkdown(fairness) : null,
    importance,
  });
  const extras: ModelFileInput[] = [{ path: README_FILE, bytes: utf8(card) }];
  if (options.referenceStats) extras.push({ path: REFERENCE_STATS_FILE, bytes: options.referenceStats.slice() });
  if (fairness) extras.push({ path: FAIRNESS_FILE, bytes: analysisBytes(fairness) });
  if (importance) extras.push({ path: IMPORTANCE_FILE, bytes: analysisBytes(importance) });
  for (const r of extraRecords) {
    // The card is written afresh (the name or number may have changed); anything else travels on.
    if (!extras.some((e) => e.path === r.path)) extras.push({ path: r.path, bytes: await fileBytes(r) });
  }
  return {
    input: { files, manifestText: version.manifestText, extras, model: { name: version.modelName, version: version.version } },
    fileName: bundleFileName(version.modelName, version.version, version.id),
  };
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
