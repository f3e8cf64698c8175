/**
 * One training run as the page sees it: the run record is created before the
 * worker starts (so a closed tab leaves an "interrupted" run, never a lost
 * one), epochs are stored in batches as they arrive, a Web Lock and a
 * heartbeat mark the run alive, and the outcome is written as the model
 * version the worker sealed (completed) or a finished run (failed,
 * cancelled). A storage error ends the run failed, by a status update alone.
 */
import { newId, isQuotaError, runStorageMessage } from '../core/common';
import { runFingerprint, headlineMetrics, type SealedTrainOutcome, type SealedTrainRequest } from '../core/models';
import {
  completedRun,
  endedPatch,
  newRunRecord,
  type TrainConfig,
  type BackendReport,
  type EpochRecord,
  type MainMetric,
  type SplitSizes,
  type TrainEvent,
  type TrainRequest,
  type TimingCount,
  stageCount,
} from '../core/training';
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import { freeBytes } from '../storage/quota';
import type { RunRecord } from '../storage/records';
import { proxy, trainWorker } from '../workers';
import { beginWork } from './busy.svelte';

/** How often a training tab says it is alive (the fallback where Web Locks are missing). */
export const HEARTBEAT_MS = 2_000;
/** A running run without a heartbeat for this long is interrupted (browsers without Web Locks). */
export const STALE_MS = 15_000;
export const RUN_LOCK_PREFIX = 'labbook-run:';
/** Epochs are stored in batches, at most this often (and once more when the run ends). */
export const EPOCH_WRITE_MS = 500;

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
  /** The train cell's fingerprint when a cell (or Run all) started it. */
  cellFingerprint?: string | null;
  /** The drift report that set this retraining up. */
  retrainedFrom?: string | null;
  /** Continue training: the parent run and its saved model, whose weights the new run starts from. */
  continues?: TrainRequest['init'];
}

export class TrainingJob {
  status = $state<TrainingStatus>('idle');
  runId = $state<string | null>(null);
  stage = $state('');
  progress = $state.raw<Progress | null>(null);
  /** While `auto` times the backends: how many of them are timed (the bar before training starts). */
  timing = $state.raw<TimingCount | null>(null);
  epochs = $state.raw<EpochRecord[]>([]);
  backend = $state.raw<BackendReport | null>(null);
  sizes = $state.raw<SplitSizes | null>(null);
  mainMetric = $state<MainMetric>('auc');
  notices = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  cancelling = $state(false);
  /** The size of the model version being saved, for the message when storage refuses it. */
  #savingBytes: number | null = null;
  #epochWriteReported = false;
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
    this.timing = null;
    this.cancelling = false;
    this.runId = null;
    this.stage = 'Starting…';
    this.#savingBytes = null;
    this.#epochWriteReported = false;
    let stored: RunRecord | null;
    try {
      stored = await this.#run(config, options);
    } catch (err) {
      // Failed before the run was stored (its fingerprint, the lock): nothing to close.
      stored = await this.#fail(err);
    }
    if (stored) {
      await this.#onFinished(stored).catch((err: unknown) => {
        this.notices = [...this.notices, `The run is stored, but the page could not show it yet: ${messageOf(err)}`];
      });
    }
    return stored;
  }

  async #run(config: TrainConfig, options: StartOptions): Promise<RunRecord | null> {
    const parentRunId = options.continues?.parentRunId ?? null;
    const fingerprint = await runFingerprint(config.datasetHash, config, __APP_VERSION__, parentRunId);
    const run: RunRecord = newRunRecord({
      id: newId(),
      notebookId: options.notebookId,
      cellId: options.cellId,
      config,
      fingerprint,
      reproducesRunId: options.reproducesRunId ?? null,
      sweepId: options.sweepId ?? null,
      parentRunId,
      cellFingerprint: options.cellFingerprint ?? null,
      retrainedFrom: options.retrainedFrom ?? null,
      at: Date.now(),
    });
    // The lock is held from before the run is stored until it has ended in storage, so no tab
    // ever sees this run 'running' without its lock (a version in use can't be deleted; a run
    // without a lock is interrupted), and one left 'running' by a failed write is marked
    // interrupted at the next start.
    return this.#withLock(run.id, async () => {
      try {
        const dataset = await runsRepo.createRunOn(run);
        this.runId = run.id;
        const request: SealedTrainRequest = {
          runId: run.id,
          config,
          ...(options.continues ? { init: options.continues } : {}),
          dataset: { hash: dataset.hash, rows: dataset.rows, schema: dataset.schema, dictBlob: dataset.dictBlob, chunks: dataset.chunks },
          lineage: { notebookId: run.notebookId, fingerprint },
        };
        const writer = new EpochWriter(run.id, (err) => this.#epochWriteFailed(run.id, err));
        let outcome: SealedTrainOutcome;
        try {
          const onEvent = proxy((e: TrainEvent) => this.#onEvent(run.id, e, writer));
          outcome = (await trainWorker().train(request, onEvent)) as SealedTrainOutcome;
        } finally {
          await writer.flush();
        }
        return await this.#store(run, outcome, options.modelName);
      } catch (err) {
        // Something outside training failed (storage, the worker itself): say so, and close the run if it was created.
        return this.#fail(err);
      }
    });
  }

  /** Ends the job failed with `err`, and the stored run with it when there is one. */
  async #fail(err: unknown): Promise<RunRecord | null> {
    const message = await this.#failureMessage(err);
    this.status = 'failed';
    this.error = message;
    if (!this.runId) return null;
    // A status update alone: the smallest write, the likeliest to land when storage has just
    // refused a bigger one. If even it fails, the run stays 'running' without its lock or
    // heartbeat, and the next start marks it interrupted.
    return runsRepo.failRun(this.runId, message).catch(() => null);
  }

  /** The message for the screen; a full storage is worded as for imports, with what to do. */
  async #failureMessage(err: unknown): Promise<string> {
    if (!isQuotaError(err)) return messageOf(err);
    const needed = this.#savingBytes;
    const free = needed === null ? null : await freeBytes().catch(() => null);
    // The estimate can disagree with the browser's real limit; only quote it when it explains the refusal.
    return runStorageMessage(needed, free !== null && needed !== null && free < needed ? free : null);
  }

  #epochWriteFailed(runId: string, err: unknown): void {
    if (this.runId !== runId || this.#epochWriteReported) return;
    this.#epochWriteReported = true;
    const why = isQuotaError(err) ? 'the browser has no storage left for this site' : messageOf(err);
    this.notices = [...this.notices, `The epochs could not be stored as they came (${why}); training goes on, and they are stored again when it ends.`];
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

  #onEvent(runId: string, e: TrainEvent, writer: EpochWriter): void {
    if (this.runId !== runId) return;
    switch (e.type) {
      case 'stage':
        if (!this.cancelling) this.stage = e.message;
        this.timing = stageCount(e);
        break;
      case 'prepared':
        this.sizes = e.sizes;
        this.mainMetric = e.mainMetric;
        break;
      case 'backend':
        this.backend = e.report;
        this.timing = null;
        break;
      case 'progress':
        this.progress = { epoch: e.epoch, epochs: e.epochs, batch: e.batch, batches: e.batches, elapsedMs: e.elapsedMs, etaMs: e.etaMs, unit: e.unit ?? 'epoch' };
        break;
      case 'epoch':
        this.epochs = [...this.epochs, e.record];
        writer.add(e.record);
        break;
      case 'notice':
        this.notices = [...this.notices, e.message];
        break;
    }
  }

  async #store(run: RunRecord, outcome: SealedTrainOutcome, modelName: string): Promise<RunRecord> {
    if (outcome.status !== 'completed') {
      const ended = await runsRepo.finishRun(run.id, endedPatch(outcome));
      this.status = outcome.status;
      this.error = outcome.status === 'failed' ? outcome.message : null;
      this.stage = outcome.message;
      return ended;
    }
    const r = outcome.result;
    this.stage = 'Saving the model version…';
    const completed: RunRecord = completedRun(run, r, Date.now());
    this.#savingBytes = outcome.version.files.reduce((n, f) => n + f.bytes.byteLength, 0);
    const version = await modelsRepo.saveModelVersion({
      run: completed,
      modelName,
      version: outcome.version,
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

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Stores a run's epochs as they come, at most every EPOCH_WRITE_MS, each
 * batch in one transaction (a write per epoch kept the database busy on
 * fast runs). A failed write is reported, and its epochs kept for the next.
 */
class EpochWriter {
  readonly #runId: string;
  readonly #onError: (err: unknown) => void;
  #pending: EpochRecord[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(runId: string, onError: (err: unknown) => void) {
    this.#runId = runId;
    this.#onError = onError;
  }

  add(record: EpochRecord): void {
    this.#pending.push(record);
    this.#timer ??= setTimeout(() => void this.flush(), EPOCH_WRITE_MS);
  }

  /** Writes what is pending, after any write under way; resolves once written or reported. */
  flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return this.#writing;
    this.#writing = this.#writing
      .then(() => runsRepo.appendEpochs(this.#runId, batch))
      .catch((err: unknown) => {
        // Retried with the next batch (a retry replaces, never duplicates); the run's end writes every epoch anyway.
        this.#pending = [...batch, ...this.#pending];
        this.#onError(err);
      });
    return this.#writing;
  }
}
