/**
 * "Export to MLflow" for the Runs page: the backup worker reads the runs and
 * writes the zip (lib/mlflow-export), this shows its progress and saves the
 * download. One export at a time per page.
 */
import { backupWorker, proxy } from '../workers';
import { beginWork } from './busy.svelte';
import { formatBytes } from '../core/common';
import { saveBlob } from '../save-file';
import type { MlflowOutcome } from '../../../workers/backup.worker';
import type { MlflowExportProgress } from '../mlflow-export';

export type MlflowExportStatus = 'idle' | 'exporting' | 'done' | 'failed';

/** The button's words: what it will export. */
export function mlflowExportLabel(selected: number): string {
  if (selected === 0) return 'Export all runs to MLflow';
  return `Export ${selected} selected run${selected === 1 ? '' : 's'} to MLflow`;
}

export class MlflowExportState {
  status = $state<MlflowExportStatus>('idle');
  progress = $state<MlflowExportProgress | null>(null);
  /** The result in words, or why it failed. */
  message = $state<string | null>(null);
  notes = $state.raw<string[]>([]);

  get busy(): boolean {
    return this.status === 'exporting';
  }

  /** Exports these runs, or every stored run when `runIds` is empty, and downloads the zip. */
  async export(runIds: readonly string[]): Promise<void> {
    if (this.busy) return;
    this.status = 'exporting';
    this.message = null;
    this.notes = [];
    this.progress = { done: 0, total: runIds.length, label: 'Reading runs' };
    const done = beginWork('Exporting runs to MLflow');
    const outcome: MlflowOutcome = await backupWorker()
      .exportMlflow(
        runIds.length > 0 ? [...runIds] : null,
        proxy((p: MlflowExportProgress) => {
          this.progress = p;
        }),
      )
      .catch((err: unknown) => ({ ok: false as const, message: `The MLflow export failed: ${err instanceof Error ? err.message : String(err)}` }))
      .finally(done);
    this.progress = null;
    if (!outcome.ok) {
      this.status = 'failed';
      this.message = outcome.message;
      return;
    }
    saveBlob(new Blob([outcome.zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), outcome.fileName);
    this.status = 'done';
    this.notes = outcome.notes;
    const models = outcome.registeredModels > 0 ? `, ${outcome.modelVersions} model version${outcome.modelVersions === 1 ? '' : 's'} of ${outcome.registeredModels} registered model${outcome.registeredModels === 1 ? '' : 's'}` : '';
    this.message = `Exported ${outcome.runs} run${outcome.runs === 1 ? '' : 's'} in ${outcome.experiments} experiment${outcome.experiments === 1 ? '' : 's'}${models} to ${outcome.fileName} (${formatBytes(outcome.zip.byteLength)}).`;
  }
}
