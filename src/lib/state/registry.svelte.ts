/**
 * The model registry as the app sees them: models and their versions, aliases,
 * verification, stored facts, and bundle export and import.
 */
import * as modelsRepo from '../storage/models';
import * as bundlesRepo from '../storage/bundles';
import type { AliasEventRecord, DriftReportRecord, EvaluationRecord, ModelVersionRecord, RunSummaryRecord } from '../storage/records';
import type { ModelWithVersions } from '../storage/models';
import { bundleWorker, dataWorker, transfer } from '../workers';
import { getDatasetSource } from '../storage/datasets';
import { driftReportsOf } from '../storage/drift';
import { getEvaluation } from '../storage/evaluations';
import { watch } from '../storage/live';
import { BundleError, type VersionChoice } from '../core/models';

/** A built bundle, ready to download. */
export interface ExportedBundle {
  fileName: string;
  blob: Blob;
  bytes: number;
  /** SHA-256 of the .zip file itself. */
  sha256: string;
  /** The bundle's id: the version id, SHA-256 of its manifest.json. */
  versionId: string;
}

export type BundleImportOutcome = { ok: true; version: ModelVersionRecord } | { ok: false; file: string | null; message: string };

export class RegistryState {
  models = $state.raw<ModelWithVersions[]>([]);
  readonly #run: (id: string) => RunSummaryRecord | undefined;

  /** `run` finds a listed run (a version's training run, for the drift statistics of its bundle). */
  constructor(run: (id: string) => RunSummaryRecord | undefined) {
    this.#run = run;
  }

  /** Follows models written elsewhere (another tab, a restore). Returns the unsubscribe. */
  watch(): () => void {
    return watch(modelsRepo.listModels, (models) => {
      this.models = models;
    });
  }

  async refreshModels(): Promise<void> {
    this.models = await modelsRepo.listModels();
  }

  version(id: string | null | undefined): ModelVersionRecord | undefined {
    if (!id) return undefined;
    for (const m of this.models) {
      const v = m.versions.find((x) => x.id === id);
      if (v) return v;
    }
    return undefined;
  }

  /** Every model version, newest model first, highest version first. */
  allVersions(): ModelVersionRecord[] {
    return this.models.flatMap((m) => [...m.versions].sort((a, b) => b.version - a.version));
  }

  /** The aliases a version carries. */
  aliasesOf(version: ModelVersionRecord): string[] {
    const model = this.models.find((m) => m.model.name === version.modelName)?.model;
    return model ? modelsRepo.aliasesOf(model, version.id) : [];
  }

  /** Every model version as a model picker offers it (with its aliases), in allVersions' order. */
  versionChoices(): VersionChoice[] {
    return this.allVersions().map((v) => ({ id: v.id, modelName: v.modelName, version: v.version, createdAt: v.createdAt, aliases: this.aliasesOf(v) }));
  }

  async setAlias(modelName: string, alias: string, versionId: string): Promise<void> {
    await modelsRepo.setAlias(modelName, alias.trim(), versionId);
    await this.refreshModels();
  }

  async removeAlias(modelName: string, alias: string): Promise<void> {
    await modelsRepo.removeAlias(modelName, alias);
    await this.refreshModels();
  }

  aliasHistory(modelName: string): Promise<AliasEventRecord[]> {
    return modelsRepo.aliasHistory(modelName);
  }

  /** Moves `alias` to `versionId` and records who, why and on which evaluation (an Evaluate models cell's Promote). */
  async promote(modelName: string, alias: string, versionId: string, note: modelsRepo.PromotionNote): Promise<void> {
    await modelsRepo.promote(modelName, alias.trim(), versionId, note);
    await this.refreshModels();
  }

  /** A stored evaluation (an alias event's reason), or undefined when it is gone. */
  evaluation(id: string): Promise<EvaluationRecord | undefined> {
    return getEvaluation(id);
  }

  verify(versionId: string): Promise<{ ok: boolean; problems: string[] }> {
    return modelsRepo.verifyModelVersion(versionId);
  }

  files(versionId: string): ReturnType<typeof modelsRepo.getModelFiles> {
    return modelsRepo.getModelFiles(versionId);
  }

  /** A version's lineage.json and threshold, from its stored files. */
  facts(versionId: string): Promise<bundlesRepo.VersionFacts | null> {
    return bundlesRepo.getVersionFacts(versionId);
  }

  /** The drift reports that concern a model version, newest first. */
  driftReports(versionId: string): Promise<DriftReportRecord[]> {
    return driftReportsOf(versionId);
  }

  /**
   * Builds a version's bundle in the bundle worker. `options.referenceStats`
   * adds reference statistics for drift checks (reference-stats.json).
   * @throws Error with the reason shown to the user (a damaged stored version, say).
   */
  async exportBundle(versionId: string, options: bundlesRepo.BundleExportOptions = {}): Promise<ExportedBundle> {
    // With the training data in this browser, the bundle carries its drift statistics, so the
    // version can be drift-checked where that data is not.
    const version = this.version(versionId);
    const data = version && !options.referenceStats ? await getDatasetSource(version.datasetHash) : null;
    const config = version ? (this.#run(version.runId)?.config ?? null) : null;
    const columns = version ? [...version.inputSchema.map((c) => c.name), ...(config?.target ? [config.target] : [])] : [];
    const referenceStats = data ? await dataWorker().referenceStats(data, columns, config) : options.referenceStats;
    const { input, fileName } = await bundlesRepo.bundleExportInput(versionId, { ...options, referenceStats });
    // Each file was just read into a buffer of its own; handed over, not copied (a buffer listed twice would throw).
    const buffers = [...input.files, ...input.extras].map((f) => f.bytes.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    const out = await bundleWorker().exportBundle(transfer(input, buffers.filter((b, i) => buffers.indexOf(b) === i)));
    if (!out.ok) throw new Error(out.message);
    return { fileName, blob: new Blob([out.zip.slice()], { type: 'application/zip' }), bytes: out.zip.byteLength, sha256: out.sha256, versionId };
  }

  /**
   * Reads and verifies a bundle file in the bundle worker, then registers it
   * (under the exporter's model name) in one transaction. A refusal comes back
   * as a message naming the file, with nothing written.
   */
  async importBundle(file: File): Promise<BundleImportOutcome> {
    const refused = (problem: string | null, message: string): BundleImportOutcome => ({
      ok: false,
      file: problem,
      message: `“${file.name}” was not imported. ${problem ? `The problem is in ${problem}: ` : ''}${message}`,
    });
    const read = await bundleWorker().readBundleFile(file);
    if (!read.ok) return refused(read.file, read.message);
    try {
      const version = await bundlesRepo.importModelVersion(read.bundle, bundlesRepo.suggestedModelName(read.bundle));
      await this.refreshModels();
      return { ok: true, version };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return refused(err instanceof BundleError ? err.file : null, /Nothing was imported\.$/.test(message) ? message : `${message} Nothing was imported.`);
    }
  }
}
