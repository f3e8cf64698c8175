/**
 * Runs and the model registry as the app sees them: lists kept fresh after
 * every change, the training jobs of train cells and of Reproduce, and the
 * registry actions (aliases, notes, verification).
 */
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import type { AliasEventRecord, ModelVersionRecord, RunRecord } from '../storage/records';
import type { ModelWithVersions } from '../storage/models';
import { TrainingJob, STALE_MS, aliveRunIds } from './training.svelte';
import { SweepJob } from './sweep.svelte';
import { formatMetric, metricLabel } from '../core/charts-training';
import type { MainMetric } from '../core/training';
import type { TrainConfig } from '../core/train-config';

export class RecordsState {
  runs = $state.raw<RunRecord[]>([]);
  models = $state.raw<ModelWithVersions[]>([]);
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

  async refresh(): Promise<void> {
    const [runs, models] = await Promise.all([runsRepo.listRuns(), modelsRepo.listModels()]);
    this.runs = runs;
    this.models = models;
  }

  run(id: string | null | undefined): RunRecord | undefined {
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
        await this.refresh();
        await this.#afterRun(run);
      });
      this.#jobs.set(key, job);
    }
    return job;
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
  sweepRuns(sweepId: string | null): RunRecord[] {
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

  /** The runs that reproduce `runId`, newest first. */
  reproductionsOf(runId: string): RunRecord[] {
    return this.runs.filter((r) => r.reproducesRunId === runId);
  }

  async saveNotes(runId: string, notes: string, tags: string[]): Promise<void> {
    await runsRepo.updateRunNotes(runId, notes, tags);
    await this.refresh();
  }

  async setAlias(modelName: string, alias: string, versionId: string): Promise<void> {
    await modelsRepo.setAlias(modelName, alias.trim(), versionId);
    await this.refresh();
  }

  async removeAlias(modelName: string, alias: string): Promise<void> {
    await modelsRepo.removeAlias(modelName, alias);
    await this.refresh();
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
}

/** A model name for a run whose cell gave none: "<target> model". */
export function defaultModelName(run: Pick<RunRecord, 'config'>): string {
  return `${run.config.target} model`.slice(0, 64);
}

/**
 * A run's main test metric for lists: ROC AUC (binary), accuracy (multiclass)
 * or RMSE (regression), as "ROC AUC 0.8731"; '' before it has an evaluation.
 */
export function mainMetricText(run: Pick<RunRecord, 'evaluation'>): string {
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

/** "12.3 s" or "2 min 5 s"; '' when unknown. */
export function durationText(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
