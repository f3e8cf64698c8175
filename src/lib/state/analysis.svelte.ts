/**
 * An analysis of a run's model version (fairness, or which features matter),
 * as the page runs it: resolve the run's model version, dataset version and
 * config, run it in the predict worker with progress, store the report with
 * the run. Cancel stops it in the worker at its next step; a failed or
 * cancelled analysis stores nothing and shows its message. A newer start
 * supersedes an older one: the stale answer is neither shown nor stored.
 */
import { isQuotaError, isSuperseded, newId, storageFullMessage, type RequestIdentity } from '../core/common';
import { modelFromFiles } from '../core/models';
import type { FairnessConfig, FairnessReport } from '../core/fairness';
import type { ImportanceConfig, ImportanceReport } from '../core/explain';
import type { AnalysisProgress, AnalysisRequest, FairnessRequest, ImportanceRequest } from '../analysis-run';
import { getRun } from '../storage/runs';
import { getModelFileBytes, versionsForRun } from '../storage/models';
import { getDatasetSource } from '../storage/datasets';
import { getAnalyses, saveAnalysis, type AnalysisReport, type RunAnalyses } from '../storage/analyses';
import { predictWorker, proxy } from '../workers';
import { beginWork } from './busy.svelte';

export type AnalysisKind = 'fairness' | 'importance';

/** What a request needs besides its identity and its analysis's config. */
export type AnalysisInputs = Omit<AnalysisRequest, keyof RequestIdentity>;

/** Where a job's work happens: storage and the predict worker (a stand-in in tests). */
export interface AnalysisHost {
  /** The run's model version, dataset version and config. @throws Error with a message for the screen */
  inputs(runId: string): Promise<AnalysisInputs>;
  importance(request: ImportanceRequest, onProgress: (p: AnalysisProgress) => void): Promise<ImportanceReport>;
  fairness(request: FairnessRequest, onProgress: (p: AnalysisProgress) => void): Promise<FairnessReport>;
  /** Stops the running request of `id.key` (it answers Superseded). */
  cancel(id: RequestIdentity): void;
  load(runId: string): Promise<RunAnalyses>;
  save(runId: string, report: AnalysisReport): Promise<void>;
}

/** The analyses stored with a run, read once (for exports and the compare view, which show and never run them). */
export function storedAnalyses(runId: string): Promise<RunAnalyses> {
  return getAnalyses(runId);
}

export const DEFAULT_IMPORTANCE: ImportanceConfig = { repeats: 5, seed: 42, topFeatures: 4, gridPoints: 20, sampleRows: 2000 };

export function defaultFairnessConfig(attributes: string[], favourable: string): FairnessConfig {
  return { attributes: [...attributes], favourable, bins: 4, resamples: 1000, seed: 42 };
}

/** The run's model version (the one it produced; else its newest), dataset version and config, from storage. */
async function storedInputs(runId: string): Promise<AnalysisInputs> {
  const run = await getRun(runId);
  if (!run) throw new Error('This run is no longer stored.');
  const versionId = run.modelVersionId ?? (await versionsForRun(runId))[0]?.id ?? null;
  if (!versionId) throw new Error('This run has no model version: only a completed run can be analysed.');
  const [bytes, dataset] = await Promise.all([getModelFileBytes(versionId), getDatasetSource(run.datasetHash)]);
  if (bytes.size === 0) throw new Error('The model version’s files are no longer stored.');
  if (!dataset) throw new Error('The dataset version this run was trained on is no longer stored in this browser: import it again to analyse the model.');
  const m = modelFromFiles(bytes);
  return { model: { files: m.files, preprocessing: m.preprocessing, target: m.target, threshold: m.threshold }, dataset, config: run.config };
}

/** The real host: IndexedDB and the predict worker. */
export const browserAnalysisHost: AnalysisHost = {
  inputs: storedInputs,
  importance: (request, onProgress) => predictWorker().importance(request, proxy(onProgress)),
  fairness: (request, onProgress) => predictWorker().fairness(request, proxy(onProgress)),
  // A worker that is gone has nothing left to stop.
  cancel: (id) => void predictWorker().cancel(id).catch(() => {}),
  load: getAnalyses,
  save: saveAnalysis,
};

const NAMES: Record<AnalysisKind, string> = { fairness: 'The fairness analysis', importance: 'The feature importance analysis' };

export class AnalysisJob {
  #running = $state(false);
  #progress = $state.raw<{ done: number; total: number; label: string } | null>(null);
  #error = $state<string | null>(null);
  #report = $state.raw<FairnessReport | ImportanceReport | null>(null);
  readonly #kind: AnalysisKind;
  readonly #host: AnalysisHost;
  /** The worker's key for this job's requests. */
  readonly #key: string;
  /** Bumped by every start and load: an answer for an older one is dropped. */
  #request = 0;
  /** The run shown. */
  #runId: string | null = null;

  constructor(kind: AnalysisKind, host: AnalysisHost = browserAnalysisHost) {
    this.#kind = kind;
    this.#host = host;
    this.#key = `analysis:${kind}:${newId()}`;
  }

  get running(): boolean {
    return this.#running;
  }
  get progress(): { done: number; total: number; label: string } | null {
    return this.#progress;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The stored report of the run shown, or the fresh one. */
  get report(): FairnessReport | ImportanceReport | null {
    return this.#report;
  }

  /** Shows the report stored with `runId` (null when none). Another run's running analysis is cancelled. */
  async load(runId: string): Promise<void> {
    if (this.#running && this.#runId !== runId) this.cancel();
    if (this.#running) return;
    const request = ++this.#request;
    this.#runId = runId;
    try {
      const stored = await this.#host.load(runId);
      if (request !== this.#request) return;
      this.#report = stored[this.#kind];
      this.#error = null;
    } catch (err) {
      if (request === this.#request) this.#error = `The stored analysis could not be read: ${messageOf(err)}`;
    }
  }

  /** Runs the analysis of `runId`'s model version, stores its report with the run and shows it. */
  async start(runId: string, config: FairnessConfig | ImportanceConfig): Promise<void> {
    // A running one is superseded in the worker by this request (the same key).
    const request = ++this.#request;
    const identity = this.#identity(request);
    const current = () => request === this.#request;
    this.#runId = runId;
    this.#running = true;
    // A reload would cut it short: the update banner waits for it.
    this.#endWork?.();
    this.#endWork = beginWork(NAMES[this.#kind].replace(/^The /, 'the '));
    this.#error = null;
    this.#progress = { done: 0, total: 1, label: 'Reading the model and the data' };
    try {
      const inputs = await this.#host.inputs(runId);
      if (!current()) return;
      const onProgress = (p: AnalysisProgress) => {
        if (current()) this.#progress = { done: p.done, total: p.total, label: p.label };
      };
      const report: AnalysisReport =
        this.#kind === 'fairness'
          ? await this.#host.fairness({ ...inputs, ...identity, fairness: config as FairnessConfig }, onProgress)
          : await this.#host.importance({ ...inputs, ...identity, importance: config as ImportanceConfig }, onProgress);
      // Superseded while the answer travelled: not stored, not shown.
      if (!current()) return;
      await this.#host.save(runId, report);
      if (!current()) return;
      this.#report = report;
      this.#finish();
    } catch (err) {
      if (!current()) return;
      this.#error = isSuperseded(err)
        ? `${NAMES[this.#kind]} was cancelled: nothing was saved.`
        : isQuotaError(err)
          ? storageFullMessage('the analysis')
          : `${NAMES[this.#kind]} failed: ${messageOf(err)}`;
      this.#finish();
    }
  }

  /** Stops the running analysis: the worker stops at its next step, nothing is stored, the message says so. */
  cancel(): void {
    if (!this.#running) return;
    this.#host.cancel(this.#identity(this.#request, 'cancel'));
    // Its answer, whatever it is, now belongs to an older request.
    this.#request++;
    this.#error = `${NAMES[this.#kind]} was cancelled: nothing was saved.`;
    this.#finish();
  }

  #identity(request: number, suffix = ''): RequestIdentity {
    return { key: this.#key, requestId: `${this.#key}:${request}${suffix ? `:${suffix}` : ''}` };
  }

  #endWork: (() => void) | null = null;

  #finish(): void {
    this.#endWork?.();
    this.#endWork = null;
    this.#running = false;
    this.#progress = null;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
