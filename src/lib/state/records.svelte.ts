/**
 * Runs, the model registry and the cells' jobs as the app sees them, composed
 * from one class per concern (runs.svelte.ts, registry.svelte.ts,
 * jobs.svelte.ts). `app.records.<member>` delegates to them, so callers need
 * not know which one holds what.
 */
import type { VersionChoice } from '../core/models';
import * as runsRepo from '../storage/runs';
import * as modelsRepo from '../storage/models';
import type { BundleExportOptions, VersionFacts } from '../storage/bundles';
import type { AliasEventRecord, DriftReportRecord, EvaluationRecord, ModelVersionRecord, RunDetailsRecord, RunRecord, RunSummaryRecord } from '../storage/records';
import type { ModelWithVersions } from '../storage/models';
import type { TrainingJob } from './training.svelte';
import type { SweepJob } from './sweep.svelte';
import type { PredictJob } from './predict.svelte';
import type { DriftJob } from './drift.svelte';
import type { PrepareJob } from './prepare.svelte';
import type { EvaluateJob } from './evaluate.svelte';
import type { PromotionNote } from '../storage/models';
import { RunsState } from './runs.svelte';
import { RegistryState, type BundleImportOutcome, type ExportedBundle } from './registry.svelte';
import { JobsState } from './jobs.svelte';
import { metricLabel } from '../core/charts';
import { formatMetric } from '../core/common';
import type { MainMetric, TrainConfig } from '../core/training';

export type { BundleImportOutcome, ExportedBundle } from './registry.svelte';
export { defaultModelName } from './jobs.svelte';

export class RecordsState {
  readonly runList = new RunsState();
  readonly registry = new RegistryState((id) => this.runList.run(id));
  readonly jobs: JobsState;

  /** `afterRun` runs after any run is stored (to link it from its cell, refresh storage figures…). */
  constructor(afterRun: (run: RunRecord) => Promise<void>) {
    this.jobs = new JobsState({
      onRun: async (run) => {
        this.runList.upsertRun(run);
        await this.registry.refreshModels();
        await afterRun(run);
      },
      modelNameOf: (versionId) => this.registry.version(versionId)?.modelName,
    });
  }

  /** Marks runs left "running" by a closed tab as interrupted, then loads the lists. */
  async init(): Promise<void> {
    await this.runList.markInterrupted();
    await this.refresh();
  }

  /**
   * Follows runs and models written elsewhere (another tab, a restore): a run training in
   * another tab shows as running here and ends here when it ends there. Returns the unsubscribe.
   */
  watch(): () => void {
    const stops = [this.runList.watch(() => void this.refresh()), this.registry.watch()];
    return () => stops.forEach((stop) => stop());
  }

  async refresh(): Promise<void> {
    // Both lists land together: once `loaded` is true the models are there too.
    const [runs, models] = await Promise.all([runsRepo.listRuns(), modelsRepo.listModels()]);
    this.registry.models = models;
    this.runList.take(runs);
  }

  // Runs.
  get runs(): RunSummaryRecord[] {
    return this.runList.runs;
  }
  get loaded(): boolean {
    return this.runList.loaded;
  }
  get interruptedAtStart(): number {
    return this.runList.interruptedAtStart;
  }
  upsertRun(run: RunRecord | RunSummaryRecord): void {
    this.runList.upsertRun(run);
  }
  details(id: string): RunDetailsRecord | undefined {
    return this.runList.details(id);
  }
  loadDetails(ids: readonly string[]): Promise<void> {
    return this.runList.loadDetails(ids);
  }
  full(id: string | null | undefined): RunRecord | undefined {
    return this.runList.full(id);
  }
  run(id: string | null | undefined): RunSummaryRecord | undefined {
    return this.runList.run(id);
  }
  sweepRuns(sweepId: string | null): RunSummaryRecord[] {
    return this.runList.sweepRuns(sweepId);
  }
  reproductionsOf(runId: string): RunSummaryRecord[] {
    return this.runList.reproductionsOf(runId);
  }
  saveNotes(runId: string, notes: string, tags: string[]): Promise<void> {
    return this.runList.saveNotes(runId, notes, tags);
  }
  renameRun(runId: string, name: string): Promise<void> {
    return this.runList.rename(runId, name);
  }

  // The registry.
  get models(): ModelWithVersions[] {
    return this.registry.models;
  }
  refreshModels(): Promise<void> {
    return this.registry.refreshModels();
  }
  version(id: string | null | undefined): ModelVersionRecord | undefined {
    return this.registry.version(id);
  }
  allVersions(): ModelVersionRecord[] {
    return this.registry.allVersions();
  }
  aliasesOf(version: ModelVersionRecord): string[] {
    return this.registry.aliasesOf(version);
  }
  versionChoices(): VersionChoice[] {
    return this.registry.versionChoices();
  }
  setAlias(modelName: string, alias: string, versionId: string): Promise<void> {
    return this.registry.setAlias(modelName, alias, versionId);
  }
  removeAlias(modelName: string, alias: string): Promise<void> {
    return this.registry.removeAlias(modelName, alias);
  }
  aliasHistory(modelName: string): Promise<AliasEventRecord[]> {
    return this.registry.aliasHistory(modelName);
  }
  promote(modelName: string, alias: string, versionId: string, note: PromotionNote): Promise<void> {
    return this.registry.promote(modelName, alias, versionId, note);
  }
  evaluation(id: string): Promise<EvaluationRecord | undefined> {
    return this.registry.evaluation(id);
  }
  verify(versionId: string): Promise<{ ok: boolean; problems: string[] }> {
    return this.registry.verify(versionId);
  }
  files(versionId: string): ReturnType<RegistryState['files']> {
    return this.registry.files(versionId);
  }
  facts(versionId: string): Promise<VersionFacts | null> {
    return this.registry.facts(versionId);
  }
  driftReports(versionId: string): Promise<DriftReportRecord[]> {
    return this.registry.driftReports(versionId);
  }
  exportBundle(versionId: string, options: BundleExportOptions = {}): Promise<ExportedBundle> {
    return this.registry.exportBundle(versionId, options);
  }
  importBundle(file: File): Promise<BundleImportOutcome> {
    return this.registry.importBundle(file);
  }

  // The cells' jobs.
  job(key: string): TrainingJob {
    return this.jobs.job(key);
  }
  sweep(key: string): SweepJob {
    return this.jobs.sweep(key);
  }
  predictJob(cellId: string): PredictJob {
    return this.jobs.predictJob(cellId);
  }
  prepareJob(cellId: string): PrepareJob {
    return this.jobs.prepareJob(cellId);
  }
  driftJob(cellId: string): DriftJob {
    return this.jobs.driftJob(cellId);
  }
  evaluateJob(cellId: string): EvaluateJob {
    return this.jobs.evaluateJob(cellId);
  }
  reproduce(runId: string): Promise<RunRecord | null> {
    return this.jobs.reproduce(runId);
  }
  continueTraining(runId: string): Promise<RunRecord | null> {
    return this.jobs.continueTraining(runId);
  }
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
