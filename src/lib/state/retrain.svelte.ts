/**
 * A drift cell's "Retrain with this data": the reference and the new data imported as one
 * dataset version (a dataset cell under the drift cell), and a train cell under that with
 * the previous run's config on it, pointed at the combined version.
 */
import type { CellOf } from '../core/notebook';
import type { TrainConfig } from '../core/training';
import type { DatasetWithVersions } from '../storage/datasets';
import type { ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../storage/records';
import type { ImportJob } from './imports.svelte';
import type { NotebookState } from './notebook.svelte';

/** A dataset version with its dataset, as the app finds it by hash. */
export interface FoundVersion {
  dataset: DatasetWithVersions;
  version: VersionRecord;
}

export interface RetrainInput {
  reference: FoundVersion;
  current: FoundVersion;
  /** The model version the drift cell checks against, if any. */
  model: ModelVersionRecord | undefined;
}

/** What the workflow writes to and reads from (the open notebook, the app's imports and runs). */
export interface RetrainHost {
  notebook: Pick<NotebookState, 'cells' | 'addCell' | 'updateConfig'>;
  importFor(cellId: string): Pick<ImportJob, 'start' | 'error'>;
  /** One CSV file of the reference's rows and the new data's rows. */
  combine(reference: VersionRecord, current: VersionRecord, name: string): Promise<File>;
  /** The stored runs (the app's records). */
  runs: { readonly runs: readonly RunSummaryRecord[]; run(id: string | null | undefined): RunSummaryRecord | undefined };
}

/** The combined file's name: both datasets' names. */
export function combinedName(input: Pick<RetrainInput, 'reference' | 'current'>): string {
  return `${input.reference.dataset.dataset.name}+${input.current.dataset.dataset.name}.csv`;
}

/** The previous config's run: the model version's run, else the newest completed run on the reference. */
export function previousRun(runs: RetrainHost['runs'], model: ModelVersionRecord | undefined, referenceHash: string): RunSummaryRecord | undefined {
  return (model ? runs.run(model.runId) : undefined) ?? runs.runs.find((r) => r.datasetHash === referenceHash && r.status === 'completed');
}

export interface RetrainPlan {
  /** The new train cell's config: the previous run's, on the combined version (none without a previous run). */
  train: { config: TrainConfig | null; modelName: string };
  /** The target set on the combined dataset cell, when the previous run had one. */
  target: string | null;
}

/** The train cell and target for the combined version `hash`. */
export function retrainPlan(previous: RunSummaryRecord | undefined, model: ModelVersionRecord | undefined, hash: string): RetrainPlan {
  const target = previous?.config.target ?? null;
  return {
    train: { config: previous ? { ...previous.config, datasetHash: hash } : null, modelName: model?.modelName ?? (target ? `${target} model` : '') },
    target,
  };
}

export class RetrainJob {
  busy = $state(false);
  error = $state<string | null>(null);

  /** Sets retraining up under cell `afterCellId`; a failure is kept in `error`, cells already added stay. */
  async start(host: RetrainHost, afterCellId: string, input: RetrainInput): Promise<void> {
    const { reference, current, model } = input;
    this.busy = true;
    this.error = null;
    try {
      const file = await host.combine(reference.version, current.version, combinedName(input));
      const ds = host.notebook.addCell('dataset', {}, afterCellId);
      const combined = host.importFor(ds.id);
      await combined.start(file, {});
      // The import records the new version in the cell's config.
      const hash = (host.notebook.cells.find((x) => x.id === ds.id) as CellOf<'dataset'> | undefined)?.config.versionHash;
      if (!hash) throw new Error(combined.error ?? 'the combined file was not stored');
      // Read after the import: runs finished meanwhile count.
      const plan = retrainPlan(previousRun(host.runs, model, reference.version.hash), model, hash);
      host.notebook.addCell('train', plan.train, ds.id);
      if (plan.target) host.notebook.updateConfig<'dataset'>(ds.id, { target: plan.target });
    } catch (err) {
      this.error = `Retraining could not be set up: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.busy = false;
    }
  }
}
