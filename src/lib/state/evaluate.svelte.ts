/**
 * An Evaluate models cell's job and its runner: resolve the cell's model
 * references (a version, an alias, a train cell's newest model) against the
 * registry now, read every version's files and the labelled dataset version,
 * compare them in the predict worker (lib/evaluate-run) with progress, store
 * the EvaluationRecord and show it. A newer run or Cancel supersedes the
 * older one in the worker; a stale answer is neither shown nor stored.
 */
import { isQuotaError, isSuperseded, newId, storageFullMessage, type RequestIdentity } from '../core/common';
import { modelRefText, resolveModelRef, type Cell, type EvaluateCellConfig, type ModelRef, type ModelRefContext } from '../core/notebook';
import type { DatasetSource } from '../core/training';
import type { EvaluateProgress, EvaluateRequest, EvaluateResponse } from '../evaluate-run';
import type { DatasetWithVersions } from '../storage/datasets';
import type { EvaluatedModel, EvaluationRecord, ModelVersionRecord, VersionRecord } from '../storage/records';
import { getDatasetSource } from '../storage/datasets';
import { getModelFileBytes } from '../storage/models';
import { getEvaluation, saveEvaluation } from '../storage/evaluations';
import { predictWorker, proxy } from '../workers';
import { beginWork } from './busy.svelte';
import { pipelineContext, type RegistryView } from './pipeline-host';
import type { CellRunner, CellRunResult } from './cell-run';

/** Where the job's work happens: storage and the predict worker (stand-ins in tests). */
export interface EvaluateHost {
  modelFiles(versionId: string): Promise<Map<string, Uint8Array>>;
  dataset(hash: string): Promise<DatasetSource | null>;
  evaluate(request: EvaluateRequest, onProgress: (p: EvaluateProgress) => void): Promise<EvaluateResponse>;
  /** Stops the running request of `id.key` (it answers Superseded). */
  cancel(id: RequestIdentity): void;
  save(record: EvaluationRecord): Promise<void>;
  load(id: string): Promise<EvaluationRecord | undefined>;
}

export const browserEvaluateHost: EvaluateHost = {
  modelFiles: getModelFileBytes,
  dataset: getDatasetSource,
  evaluate: (request, onProgress) => predictWorker().evaluate(request, proxy(onProgress)),
  // A worker that is gone has nothing left to stop.
  cancel: (id) => void predictWorker().cancel(id).catch(() => {}),
  save: saveEvaluation,
  load: getEvaluation,
};

/** One model as resolved for a run: how the cell named it, the version, its label. */
export interface ResolvedModel {
  ref: ModelRef;
  version: ModelVersionRecord;
  /** "heart model v2 @champion". */
  label: string;
}

/** What one evaluation runs on. */
export interface EvaluateJobInputs {
  datasetHash: string;
  /** "heart v1" (the row counts are added once known). */
  datasetLabel: string;
  /** Champion first. */
  models: ResolvedModel[];
  resamples: number;
  seed: number;
  canaryShare: number;
  abShare: number;
  notebookId: string | null;
  cellId: string | null;
  cellFingerprint: string | null;
}

export type EvaluateStatus = 'idle' | 'running' | 'error';

export class EvaluateJob {
  status = $state<EvaluateStatus>('idle');
  progress = $state.raw<EvaluateProgress | null>(null);
  error = $state<string | null>(null);
  result = $state.raw<EvaluationRecord | null>(null);
  /** Rows left out of the last evaluation run here (no label, or an unknown class); null when not known. */
  droppedRows = $state<number | null>(null);
  readonly #host: EvaluateHost;
  readonly #key: string;
  /** Bumped by every run, show and cancel: an answer for an older one is dropped. */
  #request = 0;
  #endWork: (() => void) | null = null;

  constructor(key: string = newId(), host: EvaluateHost = browserEvaluateHost) {
    this.#key = `evaluate:${key}`;
    this.#host = host;
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Shows a stored evaluation (a reopened notebook); a run started meanwhile wins. */
  async show(id: string | null): Promise<void> {
    if (!id || this.result?.id === id || this.busy) return;
    const request = this.#request;
    const found = await this.#host.load(id).catch(() => undefined);
    if (request === this.#request && found) {
      this.result = found;
      this.droppedRows = null;
    }
  }

  /** Runs the evaluation, stores it and shows it; null when it failed, was cancelled or superseded (`error` says why). */
  async run(inputs: EvaluateJobInputs): Promise<EvaluationRecord | null> {
    const request = ++this.#request;
    const current = () => request === this.#request;
    const identity: RequestIdentity = { key: this.#key, requestId: `${this.#key}:${request}` };
    this.status = 'running';
    this.error = null;
    this.progress = { done: 0, total: inputs.models.length + 3, label: 'Reading the models and the data' };
    this.#endWork?.();
    this.#endWork = beginWork('an evaluation of models');
    try {
      if (inputs.models.length < 2) throw new Error('Choose a champion and at least one challenger.');
      const [dataset, ...files] = await Promise.all([this.#host.dataset(inputs.datasetHash), ...inputs.models.map((m) => this.#host.modelFiles(m.version.id))]);
      if (!dataset) throw new Error(`Dataset version ${inputs.datasetHash.slice(0, 12)} is no longer stored.`);
      files.forEach((f, i) => {
        if (f.size === 0) throw new Error(`The files of ${inputs.models[i]!.label} are no longer stored.`);
      });
      if (!current()) return null;
      const out = await this.#host.evaluate(
        {
          ...identity,
          dataset,
          models: inputs.models.map((m, i) => ({ label: m.label, files: files[i]! })),
          resamples: inputs.resamples,
          seed: inputs.seed,
          canaryShare: inputs.canaryShare,
          abShare: inputs.abShare,
        },
        (p) => {
          if (current()) this.progress = p;
        },
      );
      // Superseded or cancelled while the answer travelled: not stored, not shown.
      if (!current()) return null;
      const rows = out.labelledRows.toLocaleString('en-US');
      const record: EvaluationRecord = {
        id: newId(),
        createdAt: Date.now(),
        notebookId: inputs.notebookId,
        cellId: inputs.cellId,
        cellFingerprint: inputs.cellFingerprint,
        datasetHash: inputs.datasetHash,
        datasetLabel: `${inputs.datasetLabel} (${rows} labelled rows${out.droppedRows > 0 ? ` of ${out.datasetRows.toLocaleString('en-US')}` : ''})`,
        target: out.target,
        models: inputs.models.map((m, i): EvaluatedModel => ({ ref: m.ref, versionId: m.version.id, label: m.label, threshold: out.thresholds[i] ?? null })),
        modelVersionIds: inputs.models.map((m) => m.version.id),
        evaluation: out.evaluation,
        rehearsals: out.rehearsals,
        ms: Math.round(out.ms),
      };
      await this.#host.save(record);
      if (!current()) return null;
      this.result = record;
      this.droppedRows = out.droppedRows;
      this.status = 'idle';
      return record;
    } catch (err) {
      if (current()) {
        this.status = isSuperseded(err) ? 'idle' : 'error';
        this.error = isSuperseded(err)
          ? 'The evaluation was cancelled: nothing was saved.'
          : isQuotaError(err)
            ? storageFullMessage('the evaluation')
            : `The evaluation failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      return null;
    } finally {
      if (current()) {
        this.progress = null;
        this.#endWork?.();
        this.#endWork = null;
      }
    }
  }

  /** Stops the running evaluation: the worker stops at its next step, nothing is stored. */
  cancel(): void {
    if (!this.busy) return;
    this.#host.cancel({ key: this.#key, requestId: `${this.#key}:${this.#request}:cancel` });
    this.#request++;
    this.status = 'idle';
    this.progress = null;
    this.error = 'The evaluation was cancelled: nothing was saved.';
    this.#endWork?.();
    this.#endWork = null;
  }
}

// ---- The cell: its references resolved, its inputs, its runner.

type Found = { dataset: DatasetWithVersions; version: VersionRecord } | null;

/** What the cell and its runner read from the app (AppState has it all). */
export interface EvaluateAppHost {
  findVersion(hash: string | null): Found;
  records: RegistryView & { evaluateJob(cellId: string): EvaluateJob };
}

/** "heart model v2 @champion", "heart model v3 (newest of a train cell)", "heart model v1". */
export function resolvedLabel(ref: ModelRef, version: Pick<ModelVersionRecord, 'modelName' | 'version'>): string {
  const base = `${version.modelName} v${version.version}`;
  if (ref.kind === 'alias') return ref.modelName === version.modelName ? `${base} @${ref.alias}` : `${base} (${ref.modelName}@${ref.alias})`;
  if (ref.kind === 'cell') return `${base} (newest of a train cell)`;
  return base;
}

export type RefResolution = { ok: true; model: ResolvedModel } | { ok: false; error: string };

/** A reference resolved now, or why not ("heart@challenger is not set"). */
export function resolveRef(ref: ModelRef, context: ModelRefContext, version: (id: string) => ModelVersionRecord | undefined): RefResolution {
  const id = resolveModelRef(ref, context);
  if (!id) {
    if (ref.kind === 'alias') return { ok: false, error: `${ref.modelName}@${ref.alias} is not set` };
    if (ref.kind === 'cell') return { ok: false, error: `${modelRefText(ref)} has no model version yet` };
    return { ok: false, error: `${modelRefText(ref)} is not stored` };
  }
  const v = version(id);
  if (!v) return { ok: false, error: `${modelRefText(ref)} names version ${id.slice(0, 12)}, which is no longer stored` };
  return { ok: true, model: { ref, version: v, label: resolvedLabel(ref, v) } };
}

/** Every reference of the cell resolved against the registry and the notebook's train cells. */
export function resolveCellModels(host: EvaluateAppHost, config: EvaluateCellConfig, cells: readonly Cell[]): RefResolution[] {
  const context = pipelineContext(host.records, cells);
  return config.models.map((ref) => resolveRef(ref, context, (id) => host.records.version(id)));
}

/** The job's inputs for the cell, or the sentence saying why it cannot run. */
export function evaluateJobInputs(
  host: EvaluateAppHost,
  config: EvaluateCellConfig,
  cells: readonly Cell[],
  run: { notebookId: string | null; cellId: string | null; cellFingerprint: string | null },
): { ok: true; inputs: EvaluateJobInputs } | { ok: false; error: string } {
  if (config.models.length < 2) return { ok: false, error: 'Choose a champion and at least one challenger.' };
  const resolved = resolveCellModels(host, config, cells);
  const unresolved = resolved.filter((r): r is { ok: false; error: string } => !r.ok);
  if (unresolved.length > 0) return { ok: false, error: `${unresolved.map((r) => r.error).join('; ')}: choose another model or set it first.` };
  const found = host.findVersion(config.datasetHash);
  if (!found) return { ok: false, error: config.datasetHash ? `Dataset version ${config.datasetHash.slice(0, 12)} is no longer stored.` : 'Choose the labelled data to evaluate on.' };
  const models = resolved.map((r) => (r as { ok: true; model: ResolvedModel }).model);
  const target = host.records.run(models[0]!.version.runId)?.config.target;
  if (target && !found.version.schema.some((c) => c.name === target)) {
    return { ok: false, error: `${found.dataset.dataset.name} v${found.version.version} has no column “${target}”: evaluating needs labelled data.` };
  }
  return {
    ok: true,
    inputs: {
      datasetHash: found.version.hash,
      datasetLabel: `${found.dataset.dataset.name} v${found.version.version}`,
      models,
      resamples: config.resamples,
      seed: config.seed,
      canaryShare: config.canaryShare,
      abShare: config.abShare,
      ...run,
    },
  };
}

/**
 * The models evaluated on data they were trained on (the same dataset version, or one derived
 * from the other by a Prepare recipe): their figures there are optimistic.
 */
export function trainedOnData(models: readonly Pick<ModelVersionRecord, 'modelName' | 'version' | 'datasetHash'>[], data: Pick<VersionRecord, 'hash' | 'derivation'>, find: (hash: string) => Pick<VersionRecord, 'derivation'> | undefined): string[] {
  const parentsOf = (hash: string, v?: Pick<VersionRecord, 'derivation'>) => (v ?? find(hash))?.derivation?.parents ?? [];
  const dataParents = parentsOf(data.hash, data);
  return models
    .filter((m) => m.datasetHash === data.hash || dataParents.includes(m.datasetHash) || parentsOf(m.datasetHash).includes(data.hash))
    .map((m) => `${m.modelName} v${m.version}`);
}

const failed = (error: string): CellRunResult => ({ status: 'failed', error });

/** The runner *Run all* and the cell's button use (through app.pipeline.runCell). */
export function evaluateCellRunner(app: EvaluateAppHost): CellRunner<'evaluate'> {
  return async (cell, context) => {
    const prepared = evaluateJobInputs(app, cell.config, context.notebook.cells, { notebookId: context.notebook.id, cellId: cell.id, cellFingerprint: context.fingerprint });
    if (!prepared.ok) return failed(prepared.error);
    if (context.signal.aborted) return { status: 'cancelled' };
    const job = app.records.evaluateJob(cell.id);
    const stop = () => job.cancel();
    context.signal.addEventListener('abort', stop, { once: true });
    let record: EvaluationRecord | null;
    try {
      record = await job.run(prepared.inputs);
    } finally {
      context.signal.removeEventListener('abort', stop);
    }
    if (context.signal.aborted) return { status: 'cancelled' };
    if (!record) return failed(job.error ?? 'The evaluation failed.');
    context.notebook.updateConfig<'evaluate'>(cell.id, { evaluationId: record.id });
    return { status: 'done', outputs: { evaluationId: record.id } };
  };
}
