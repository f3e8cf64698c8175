/**
 * Runs and the model registry as the app sees them: lists kept fresh after
 * every change, the training jobs of train cells and of Reproduce, and the
 * registry actions (aliases, notes, verification).
 */
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import * as bundlesRepo from '../storage/bundles';
import type { AliasEventRecord, DriftReportRecord, ModelVersionRecord, RunDetailsRecord, RunRecord, RunSummaryRecord } from '../storage/records';
import type { ModelWithVersions } from '../storage/models';
import { TrainingJob, STALE_MS, aliveRunIds } from './training.svelte';
import { bundleWorker, dataWorker, transfer } from '../workers';
import { getDatasetSource } from '../storage/datasets';
import { BundleError } from '../core/bundle';
import { SweepJob } from './sweep.svelte';
import { PredictJob } from './predict.svelte';
import { DriftJob } from './drift.svelte';
import { driftReportsOf } from '../storage/drift';
import { runCount, runningRuns, watch } from '../storage/live';
import { metricLabel } from '../core/charts-training';
import { formatMetric } from '../core/format';
import { summarizeEvaluation, type MainMetric } from '../core/training';
import type { TrainConfig } from '../core/train-config';

export class RecordsState {
  /** Every stored run's summary, newest first (epochs and curves load per run: see `details`). */
  runs = $state.raw<RunSummaryRecord[]>([]);
  models = $state.raw<ModelWithVersions[]>([]);
  /** False until the stored runs have been read once (they load after the notebook shows). */
  loaded = $state(false);
  /** Runs found still "running" from a closed tab at start-up, now marked interrupted. */
  interruptedAtStart = $state(0);
  // A cache of job objects (each holds its own rune state); templates never read the map itself.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #jobs = new Map<string, TrainingJob>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #sweeps = new Map<string, SweepJob>();
  readonly #afterRun: (run: RunRecord) => Promise<void>;

  /** `afterRun` runs after any run is stored (to link it from its cell, refresh storage figures…). */
  constructor(afterRun: (run: RunRecord) => Promise<void>) {
    this.#afterRun = afterRun;
  }

  /** Marks runs left "running" by a closed tab as interrupted, then loads the lists. */
  async init(): Promise<void> {
    const alive = await aliveRunIds().catch(() => null);
    this.interruptedAtStart = await runsRepo.markInterruptedRuns(STALE_MS, Date.now(), alive ?? undefined);
    await this.refresh();
  }

  /**
   * Follows runs and models written elsewhere (another tab, a restore): a run training in
   * another tab shows as running here and ends here when it ends there. Returns the unsubscribe.
   */
  watch(): () => void {
    const stops = [
      watch(runningRuns, (running) => void this.#syncRunning(running)),
      watch(runCount, (count) => {
        if (this.loaded && count !== this.runs.length) void this.refresh();
      }),
      watch(modelsRepo.listModels, (models) => {
        this.models = models;
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Takes the running runs as stored, and re-reads the ones listed as running that have since ended. */
  async #syncRunning(running: RunSummaryRecord[]): Promise<void> {
    if (!this.loaded) return;
    for (const run of running) {
      const known = this.run(run.id);
      if (!known || known.heartbeatAt !== run.heartbeatAt || known.epochCount !== run.epochCount) this.upsertRun(run);
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const stillRunning = new Set(running.map((r) => r.id));
    const ended = this.runs.filter((r) => r.status === 'running' && !stillRunning.has(r.id)).map((r) => r.id);
    if (ended.length === 0) return;
    const stored = await runsRepo.getRunSummaries(ended);
    for (const run of stored) if (run) this.upsertRun(run);
  }

  async refresh(): Promise<void> {
    const [runs, models] = await Promise.all([runsRepo.listRuns(), modelsRepo.listModels()]);
    this.runs = runs;
    this.models = models;
    this.loaded = true;
  }

  async refreshModels(): Promise<void> {
    this.models = await modelsRepo.listModels();
  }

  /**
   * Puts one stored run into the list (replacing its older copy, or first as the newest)
   * without re-reading every run: the other runs keep their objects, so rows built from
   * them are reused.
   */
  upsertRun(run: RunRecord | RunSummaryRecord): void {
    let summary: RunSummaryRecord;
    if ('epochs' in run) {
      summary = runsRepo.summaryOf(run);
      // A whole run (just trained) brings its details along: no read needed to draw it.
      const { epochs } = run;
      const parts = run.evaluation ? summarizeEvaluation(run.evaluation).parts : { curves: null, residuals: null };
      this.#details = { ...this.#details, [run.id]: { runId: run.id, epochs, ...parts, testScores: run.testScores ?? null } };
    } else summary = run;
    const at = this.runs.findIndex((r) => r.id === summary.id);
    this.runs = at >= 0 ? this.runs.map((r, i) => (i === at ? summary : r)) : [summary, ...this.runs];
  }

  // Details read so far, by run id: a run's epochs and curves never change once it has ended.
  #details = $state.raw<Record<string, RunDetailsRecord>>({});
  // Ids being read right now, so two charts asking at once read once; not shown anywhere.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #loading = new Set<string>();

  /** A run's epochs and curves, once loaded (see `loadDetails`). */
  details(id: string): RunDetailsRecord | undefined {
    return this.#details[id];
  }

  /** Reads the details of the runs not read yet, in one request. */
  async loadDetails(ids: readonly string[]): Promise<void> {
    // A running run's details still grow: read them again each time.
    const wanted = ids.filter((id) => (!this.#details[id] || this.run(id)?.status === 'running') && !this.#loading.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) this.#loading.add(id);
    try {
      const found = await runsRepo.getRunDetails(wanted);
      const next = { ...this.#details };
      found.forEach((d, i) => {
        next[wanted[i]!] = d ?? { runId: wanted[i]!, epochs: [], curves: null, residuals: null };
      });
      this.#details = next;
    } finally {
      for (const id of wanted) this.#loading.delete(id);
    }
  }

  /** The whole run (summary joined with its details), once its details are loaded. */
  full(id: string | null | undefined): RunRecord | undefined {
    const summary = this.run(id);
    const details = summary ? this.#details[summary.id] : undefined;
    return summary && details ? runsRepo.joinRun(summary, details) : undefined;
  }

  run(id: string | null | undefined): RunSummaryRecord | undefined {
    return id ? this.runs.find((r) => r.id === id) : undefined;
  }

  version(id: string | null | undefined): ModelVersionRecord | undefined {
    if (!id) return undefined;
    for (const m of this.models) {
      const v = m.versions.find((x) => x.id === id);
      if (v) return v;
    }
    return undefined;
  }

  /** The aliases a version carries. */
  aliasesOf(version: ModelVersionRecord): string[] {
    const model = this.models.find((m) => m.model.name === version.modelName)?.model;
    return model ? modelsRepo.aliasesOf(model, version.id) : [];
  }

  /** The training job of a train cell, or of a Reproduce request (`reproduce:<runId>`). */
  job(key: string): TrainingJob {
    let job = this.#jobs.get(key);
    if (!job) {
      job = new TrainingJob(async (run) => {
        this.upsertRun(run);
        await this.refreshModels();
        await this.#afterRun(run);
      });
      this.#jobs.set(key, job);
    }
    return job;
  }

  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #predictions = new Map<string, PredictJob>();

  /** The prediction job of a predict cell. */
  predictJob(cellId: string): PredictJob {
    let job = this.#predictions.get(cellId);
    if (!job) {
      job = new PredictJob();
      this.#predictions.set(cellId, job);
    }
    return job;
  }

  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #drifts = new Map<string, DriftJob>();

  /** The drift job of a drift cell. */
  driftJob(cellId: string): DriftJob {
    let job = this.#drifts.get(cellId);
    if (!job) {
      job = new DriftJob();
      this.#drifts.set(cellId, job);
    }
    return job;
  }

  /** The drift reports that concern a model version, newest first. */
  driftReports(versionId: string): Promise<DriftReportRecord[]> {
    return driftReportsOf(versionId);
  }

  /** Every model version, newest model first, highest version first. */
  allVersions(): ModelVersionRecord[] {
    return this.models.flatMap((m) => [...m.versions].sort((a, b) => b.version - a.version));
  }

  /** The sweep state of a train cell. */
  sweep(key: string): SweepJob {
    let sweep = this.#sweeps.get(key);
    if (!sweep) {
      sweep = new SweepJob();
      this.#sweeps.set(key, sweep);
    }
    return sweep;
  }

  /** The runs of a sweep, in the order they ran. */
  sweepRuns(sweepId: string | null): RunSummaryRecord[] {
    if (!sweepId) return [];
    return this.runs.filter((r) => r.sweepId === sweepId).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Re-runs a run with its identical config; the new run records which run it reproduces. */
  async reproduce(runId: string): Promise<RunRecord | null> {
    const original = await runsRepo.getRun(runId);
    if (!original) return null;
    const modelName = this.version(original.modelVersionId)?.modelName ?? defaultModelName(original);
    // The same backend as the original, not `auto` again: auto may pick another backend on a busier
    // machine, and only the same backend promises the same numbers.
    const config = { ...original.config, backend: original.backend?.used ?? original.config.backend };
    return this.job(`reproduce:${runId}`).start(config, {
      notebookId: original.notebookId,
      cellId: null,
      modelName,
      reproducesRunId: runId,
    });
  }

  /**
   * Continue training: a new run with the same config that starts from
   * `runId`'s saved weights (more epochs from where it stopped), recorded with
   * the parent in its lineage and stored as a fresh model version. It runs in
   * the parent's train cell when it has one, so it shows there.
   */
  async continueTraining(runId: string): Promise<RunRecord | null> {
    const parent = await runsRepo.getRun(runId);
    if (!parent?.modelVersionId) return null;
    const files = await modelsRepo.getModelFileBytes(parent.modelVersionId);
    const modelJson = files.get('model.json');
    const weights = files.get('weights.bin');
    if (!modelJson || !weights) throw new Error(`The model files of run ${runId.slice(0, 8)} are missing, so its training cannot be continued.`);
    const modelName = this.version(parent.modelVersionId)?.modelName ?? defaultModelName(parent);
    return this.job(parent.cellId ?? `continue:${runId}`).start(parent.config, {
      notebookId: parent.notebookId,
      cellId: parent.cellId,
      modelName,
      continues: { parentRunId: runId, modelJson: new TextDecoder().decode(modelJson), weights: weights.slice().buffer },
    });
  }

  /** The runs that reproduce `runId`, newest first. */
  reproductionsOf(runId: string): RunSummaryRecord[] {
    return this.runs.filter((r) => r.reproducesRunId === runId);
  }

  async saveNotes(runId: string, notes: string, tags: string[]): Promise<void> {
    this.upsertRun(await runsRepo.updateRunNotes(runId, notes, tags));
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

  verify(versionId: string): Promise<{ ok: boolean; problems: string[] }> {
    return modelsRepo.verifyModelVersion(versionId);
  }

  files(versionId: string) {
    return modelsRepo.getModelFiles(versionId);
  }

  /** A version's lineage.json and threshold, from its stored files. */
  facts(versionId: string): Promise<bundlesRepo.VersionFacts | null> {
    return bundlesRepo.getVersionFacts(versionId);
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
    const columns = version ? [...version.inputSchema.map((c) => c.name), ...(this.run(version.runId)?.config.target ? [this.run(version.runId)!.config.target] : [])] : [];
    const referenceStats = data ? await dataWorker().referenceStats(data, columns, this.run(version!.runId)?.config ?? null) : options.referenceStats;
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

/** A model name for a run whose cell gave none: "<target> model". */
export function defaultModelName(run: Pick<RunRecord, 'config'>): string {
  return `${run.config.target} model`.slice(0, 64);
}

/**
 * A run's main test metric for lists: ROC AUC (binary), accuracy (multiclass)
 * or RMSE (regression), as "ROC AUC 0.8731"; '' before it has an evaluation.
 */
export function mainMetricText(run: Pick<RunSummaryRecord, 'evaluation'>): string {
  const e = run.evaluation;
  if (!e) return '';
  const [metric, value]: [MainMetric, number] =
    e.task === 'regression' ? ['rmse', e.rmse] : e.task === 'binary' ? ['auc', e.rocAuc] : ['accuracy', e.accuracy];
  return `${metricLabel(metric)} ${formatMetric(value)}`;
}

/** "linear" or "MLP 64-64". */
export function modelText(config: Pick<TrainConfig, 'model' | 'hiddenUnits'>): string {
  return config.model === 'linear' ? 'linear' : `MLP ${config.hiddenUnits.join('-')}`;
}

