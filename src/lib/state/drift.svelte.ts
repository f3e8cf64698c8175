/**
 * A drift cell's job: read both dataset versions (and the model version's
 * files, when one is chosen), check drift in the predict worker, and store
 * the report with its inputs' hashes. A newer check supersedes an older one:
 * the worker stops the older (it answers Superseded), and a stale answer is
 * neither shown nor stored.
 */
import { newId, isQuotaError, storageFullMessage, isSuperseded } from '../core/common';
import { modelFromFiles, REFERENCE_STATS_FILE } from '../core/models';
import { checkSchema, type SchemaFinding, type EvaluationSummary } from '../core/training';
import { type DriftOptions, withTolerances, reportSummary, type Tolerances, parseReferenceStats } from '../core/drift';
import { getDatasetSource } from '../storage/datasets';
import { getModelFileBytes } from '../storage/models';
import { getModelExtras } from '../storage/bundles';
import { getDriftReport, saveDriftReport } from '../storage/drift';
import type { DriftReportRecord, ModelVersionRecord, VersionRecord } from '../storage/records';
import { predictWorker } from '../workers';

export interface DriftInputs {
  /** The reference; `version` is null when only a bundle's statistics of it are here. */
  reference: { kind: 'dataset' | 'model'; version: VersionRecord | null; datasetHash: string; label: string };
  current: { version: VersionRecord; label: string };
  model: ModelVersionRecord | null;
  options: DriftOptions;
  /** The model checks' tolerances (the cell's; defaults where left out). */
  tolerances: Tolerances;
  notebookId: string | null;
  /** The drift cell's fingerprint when a cell (or Run all) started the check. */
  cellFingerprint?: string | null;
}

async function source(version: VersionRecord) {
  const found = await getDatasetSource(version.hash);
  if (!found) throw new Error(`Dataset version ${version.hash.slice(0, 12)} is no longer stored.`);
  return found;
}

/** The schema check of the new data against the reference (or the model's inputs). */
export function schemaFindings(inputs: Pick<DriftInputs, 'reference' | 'current' | 'model'>, targetName: string | null): SchemaFinding[] {
  const current = { schema: inputs.current.version.schema, profile: inputs.current.version.profile };
  if (inputs.model) return checkSchema({ kind: 'model', inputSchema: inputs.model.inputSchema, target: targetName, preprocessing: inputs.model.preprocessing }, current);
  if (!inputs.reference.version) return [];
  return checkSchema({ kind: 'dataset', schema: inputs.reference.version.schema, profile: inputs.reference.version.profile }, current);
}

export class DriftJob {
  status = $state<'idle' | 'running' | 'error'>('idle');
  error = $state<string | null>(null);
  report = $state.raw<DriftReportRecord | null>(null);
  #request = 0;
  /** The worker's key for this cell's checks (one job per cell). */
  readonly #key: string;

  constructor(key: string = newId()) {
    this.#key = `drift:${key}`;
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Shows a stored report (a reopened notebook); a check started meanwhile wins. */
  async show(id: string | null): Promise<void> {
    if (!id || this.report?.id === id) return;
    const request = this.#request;
    const found = (await getDriftReport(id)) ?? null;
    if (request === this.#request && found) this.report = found;
  }

  async run(inputs: DriftInputs): Promise<DriftReportRecord | null> {
    const request = ++this.#request;
    this.status = 'running';
    this.error = null;
    try {
      const [reference, current] = await Promise.all([inputs.reference.version ? source(inputs.reference.version) : null, source(inputs.current.version)]);
      // No reference rows here: a bundle's reference-stats.json stands in for them.
      let referenceStats = null;
      if (!reference) {
        const extra = inputs.model ? (await getModelExtras(inputs.model.id)).find((e) => e.path === REFERENCE_STATS_FILE) : undefined;
        if (!extra) throw new Error('The reference data is not stored in this browser, and the model version carries no reference statistics. Import its training data, or choose a dataset version as the reference.');
        const file = parseReferenceStats(await extra.blob.text());
        referenceStats = { datasetHash: file.datasetHash, columns: file.columns };
      }
      let model = null;
      let targetName: string | null = null;
      if (inputs.model) {
        const bytes = await getModelFileBytes(inputs.model.id);
        const m = modelFromFiles(bytes);
        targetName = m.targetName;
        const test = JSON.parse(new TextDecoder().decode(bytes.get('metrics.json'))) as EvaluationSummary | null;
        model = { versionId: inputs.model.id, model: { files: m.files, preprocessing: m.preprocessing, target: m.target, threshold: m.threshold }, target: m.targetName, test, config: m.config };
      }
      const columns = inputs.model
        ? inputs.model.inputSchema.map((c) => c.name)
        : (inputs.reference.version?.schema ?? []).map((c) => c.name).filter((n) => inputs.current.version.schema.some((c) => c.name === n));
      const out = await predictWorker().checkDrift({
        reference,
        referenceStats,
        current,
        columns,
        options: inputs.options,
        model,
        trainingRowsOnly: inputs.reference.kind === 'model',
        key: this.#key,
        requestId: `${this.#key}:${request}`,
      });
      // Superseded while the answer travelled: not stored, not shown.
      if (request !== this.#request) return null;
      const modelDrift = out.model ? withTolerances(out.model, inputs.tolerances) : null;
      const report: DriftReportRecord = {
        id: newId(),
        createdAt: Date.now(),
        notebookId: inputs.notebookId,
        reference: { kind: inputs.reference.kind, datasetHash: inputs.reference.datasetHash, label: inputs.reference.label },
        currentHash: inputs.current.version.hash,
        currentLabel: inputs.current.label,
        modelVersionId: inputs.model?.id ?? null,
        modelLabel: inputs.model ? `${inputs.model.modelName} v${inputs.model.version}` : null,
        options: inputs.options,
        schema: schemaFindings(inputs, targetName),
        result: out.result,
        model: modelDrift,
        summary: reportSummary(out.result, modelDrift),
        referenceReused: out.referenceReused,
        ms: out.ms,
        cellFingerprint: inputs.cellFingerprint ?? null,
      };
      await saveDriftReport(report);
      if (request !== this.#request) return null;
      this.report = report;
      this.status = 'idle';
      return report;
    } catch (err) {
      // A Superseded answer belongs to an older request: the newer one sets the status.
      if (request === this.#request) {
        this.status = isSuperseded(err) ? 'idle' : 'error';
        this.error = isSuperseded(err) ? null : isQuotaError(err) ? storageFullMessage('the drift report') : `The drift check failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      return null;
    }
  }
}
