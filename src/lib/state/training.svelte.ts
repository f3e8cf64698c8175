/**
 * One training run as the page sees it: the run record is created before the
 * worker starts (so a closed tab leaves an "interrupted" run, never a lost
 * one), each epoch is stored as it arrives, a Web Lock and a heartbeat mark
 * the run alive, and the outcome is written as a model version (completed)
 * or a finished run (failed, cancelled).
 */
import { newId } from '../core/ids';
import { runFingerprint } from '../core/fingerprint';
import { headlineMetrics, modelFiles } from '../core/run-results';
import type { TrainConfig } from '../core/train-config';
import type { BackendReport, EpochRecord, MainMetric, SplitSizes, TrainEvent, TrainOutcome, TrainRequest } from '../core/training';
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import type { RunRecord } from '../storage/records';
import { proxy, trainWorker } from '../workers';
import { beginWork } from './busy.svelte';

/** How often a training tab says it is alive (the fallback where Web Locks are missing). */
export const HEARTBEAT_MS = 2_000;
/** A running run without a heartbeat for this long is interrupted (browsers without Web Locks). */
export const STALE_MS = 15_000;
export const RUN_LOCK_PREFIX = 'labbook-run:';

export type TrainingStatus = 'idle' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  elapsedMs: number;
  etaMs: number | null;
  /** A full-batch fit counts solver iterations (one "batch" each), mini-batch training epochs. */
  unit: 'epoch' | 'iteration';
}

/** Ids of runs whose training tab is still open (each holds a Web Lock), or null when the browser has no Web Locks. */
export async function aliveRunIds(): Promise<Set<string> | null> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return null;
  const state = await locks.query();
  const held = (state.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith(RUN_LOCK_PREFIX));
  // A one-off lookup handed to the repository, not rune state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  return new Set(held.map((n) => n.slice(RUN_LOCK_PREFIX.length)));
}

export interface StartOptions {
  notebookId: string | null;
  cellId: string | null;
  modelName: string;
  reproducesRunId?: string | null;
  sweepId?: string | null;
  /** Continue training: the parent run and its saved model, whose weights the new run starts from. */
  continues?: TrainRequest['init'];
}

export class TrainingJob {
  status = $state<TrainingStatus>('idle');
  runId = $state<string | null>(null);
  stage = $state('');
  progress = $state.raw<Progress | null>(null);
  epochs = $state.raw<EpochRecord[]>([]);
  backend = $state.raw<BackendReport | null>(null);
  sizes = $state.raw<SplitSizes | null>(null);
  mainMetric = $state<MainMetric>('auc');
  notices = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  cancelling = $state(false);
  readonly #onFinished: (run: RunRecord) => Promise<void>;

  /** `onFinished` gets the stored run once it completed, failed or was cancelled. */
  constructor(onFinished: (run: RunRecord) => Promise<void>) {
    this.#onFinished = onFinished;
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Starts a run of `config`; resolves when it has finished and been stored. */
  async start(config: TrainConfig, options: StartOptions): Promise<RunRecord | null> {
    if (this.busy) return null;
    this.status = 'running';
    this.error = null;
    this.notices = [];
    this.epochs = [];
    this.backend = null;
    this.sizes = null;
    this.progress = null;
    this.cancelling = false;
    this.runId = null;
    this.stage = 'Starting…';
    let run: RunRecord;
    try {
      const now = Date.now();
      const fingerprint = await runFingerprint(config.datasetHash, config, __APP_VERSION__, options.continues?.parentRunId ?? null);
      run = {
        id: newId(),
        notebookId: options.notebookId,
        cellId: options.cellId,
        datasetHash: config.datasetHash,
        config,
        fingerprint,
        status: 'running',
        statusMessage: null,
        notes: '',
        tags: [],
        reproducesRunId: options.reproducesRunId ?? null,
        sweepId: options.sweepId ?? null,
        parentRunId: options.continues?.parentRunId ?? null,
        createdAt: now,
        heartbeatAt: now,
        endedAt: null,
        durationMs: null,
        backend: null,
        environment: null,
        sizes: null,
        mainMetric: null,
        epochs: [],
        bestEpoch: null,
        stoppedEarly: false,
        preprocessing: null,
        target: null,
        evaluation: null,
        modelVersionId: null,
      };
      const created = run;
      // The lock is held before the run is stored, so no tab ever sees this run 'running'
      // without its lock (a version in use can't be deleted; a run without a lock is interrupted).
      const outcome = await this.#withLock<TrainOutcome>(created.id, async () => {
        const dataset = await runsRepo.createRunOn(created);
        this.runId = created.id;
        const request: TrainRequest = {
          runId: created.id,
          config,
          ...(options.continues ? { init: options.continues } : {}),
          dataset: { hash: dataset.hash, rows: dataset.rows, schema: dataset.schema, dictBlob: dataset.dictBlob, chunks: dataset.chunks },
        };
        const onEvent = proxy((e: TrainEvent) => this.#onEvent(created.id, e));
        return (await trainWorker().train(request, onEvent)) as TrainOutcome;
      });
      const stored = await this.#store(run, outcome, options.modelName);
      await this.#onFinished(stored);
      return stored;
    } catch (err) {
      // Something outside training failed (storage, the worker itself): say so, and close the run if it was created.
      this.status = 'failed';
      this.error = err instanceof Error ? err.message : String(err);
      if (this.runId) {
        const failed = await runsRepo.finishRun(this.runId, { status: 'failed', statusMessage: this.error }).catch(() => null);
        if (failed) await this.#onFinished(failed);
        return failed;
      }
      return null;
    }
  }

  /** Asks the worker to stop; the run ends as cancelled within about a second. */
  cancel(): void {
    if (!this.busy || !this.runId) return;
    this.cancelling = true;
    this.stage = 'Cancelling…';
    void trainWorker().cancel(this.runId);
  }

  /** Holds a Web Lock and beats a heartbeat while `work` runs. */
  async #withLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => void runsRepo.heartbeat(runId), HEARTBEAT_MS);
    const endWork = beginWork('training run');
    try {
      const locks = globalThis.navigator?.locks;
      if (!locks) return await work();
      return await locks.request(RUN_LOCK_PREFIX + runId, work);
    } finally {
      endWork();
      clearInterval(timer);
    }
  }

  #onEvent(runId: string, e: TrainEvent): void {
    if (this.runId !== runId) return;
    switch (e.type) {
      case 'stage':
        if (!this.cancelling) this.stage = e.message;
        break;
      case 'prepared':
        this.sizes = e.sizes;
        this.mainMetric = e.mainMetric;
        break;
      case 'backend':
        this.backend = e.report;
        break;
      case 'progress':
        this.progress = { epoch: e.epoch, epochs: e.epochs, batch: e.batch, batches: e.batches, elapsedMs: e.elapsedMs, etaMs: e.etaMs, unit: e.unit ?? 'epoch' };
        break;
      case 'epoch':
        this.epochs = [...this.epochs, e.record];
        void runsRepo.appendEpoch(runId, e.record);
        break;
      case 'notice':
        this.notices = [...this.notices, e.message];
        break;
    }
  }

  async #store(run: RunRecord, outcome: TrainOutcome, modelName: string): Promise<RunRecord> {
    if (outcome.status !== 'completed') {
      this.status = outcome.status;
      this.error = outcome.status === 'failed' ? outcome.message : null;
      this.stage = outcome.message;
      return runsRepo.finishRun(run.id, {
        status: outcome.status,
        statusMessage: outcome.message,
        epochs: outcome.epochs,
        backend: outcome.backend,
        environment: outcome.environment,
        sizes: outcome.sizes,
        durationMs: outcome.durationMs,
      });
    }
    const r = outcome.result;
    this.stage = 'Saving the model version…';
    const completed: RunRecord = {
      ...run,
      status: 'completed',
      endedAt: Date.now(),
      heartbeatAt: Date.now(),
      durationMs: r.durationMs,
      backend: r.backend,
      environment: r.environment,
      sizes: r.sizes,
      mainMetric: r.mainMetric,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
      stoppedEarly: r.stoppedEarly,
      preprocessing: r.preprocessing,
      target: r.target,
      evaluation: r.evaluation,
      threshold: r.threshold,
      imbalanceNote: r.imbalanceNote,
      testScores: r.testScores,
      solver: r.solver,
      diagnostics: r.diagnostics,
    };
    const files = modelFiles(r, {
      runId: run.id,
      datasetHash: run.datasetHash,
      notebookId: run.notebookId,
      fingerprint: run.fingerprint,
      config: run.config,
      appVersion: r.environment.appVersion,
      tfjsVersion: r.environment.tfjsVersion,
      backend: r.backend.used,
      ...(run.parentRunId ? { parentRunId: run.parentRunId } : {}),
    });
    const version = await modelsRepo.saveModelVersion({
      run: completed,
      modelName,
      files,
      inputSchema: r.inputSchema,
      preprocessing: r.preprocessing,
      target: r.target,
      headline: headlineMetrics(r.evaluation),
    });
    this.status = 'completed';
    this.stage = `Completed: stored as version ${version.version} of “${version.modelName}”.`;
    return { ...completed, modelVersionId: version.id };
  }
}
