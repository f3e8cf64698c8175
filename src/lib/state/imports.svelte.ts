/**
 * A CSV import as seen by the UI: progress, cancel, the ragged-rows decision,
 * then one transactional write. Stale replies (a newer import started in the
 * same cell) are dropped by job id.
 */
import { dataWorker, proxy } from '../workers';
import { saveImport, replaceVersionContent, type CellLink } from '../storage/datasets';
import { freeBytes } from '../storage/quota';
import {
  isQuotaError,
  quotaMessage,
  newId,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type RaggedReport,
} from '../core/common';
import { trackWork } from './busy.svelte';

export type ImportStatus = 'idle' | 'running' | 'ragged' | 'saving' | 'done' | 'error' | 'cancelled';

/** "heart.csv" → "heart": the default dataset name. */
export function datasetNameFor(fileName: string): string {
  return fileName.replace(/\.(csv|tsv|txt)$/i, '') || fileName;
}

export class ImportJob {
  status = $state<ImportStatus>('idle');
  progress = $state.raw<ImportProgress | null>(null);
  fileName = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  ragged = $state.raw<RaggedReport | null>(null);
  /** The file stays in memory for this session so it can be re-parsed with another delimiter. */
  file: File | null = null;
  #jobId: string | null = null;
  #pending: { result: ImportResult; reparse: boolean } | null = null;
  readonly #onSaved: (hash: string) => Promise<void>;
  readonly #link: () => CellLink | undefined;

  /**
   * `onSaved` gets the stored (or already existing) version's hash; `link` names the notebook
   * cell that is pointed at the version in the same transaction as it is stored.
   */
  constructor(onSaved: (hash: string) => Promise<void>, link: () => CellLink | undefined = () => undefined) {
    this.#onSaved = onSaved;
    this.#link = link;
    trackWork(() => (this.busy ? `import of “${this.fileName}”` : null));
  }

  get busy(): boolean {
    return this.status === 'running' || this.status === 'saving' || this.status === 'ragged';
  }

  /** Parses, hashes and profiles `file` in the worker, then stores it (or asks about ragged rows first). */
  async start(file: File, opts: ImportOptions, reparse = false): Promise<void> {
    const jobId = newId();
    if (this.#jobId && this.status === 'running') void dataWorker().cancel(this.#jobId);
    this.#jobId = jobId;
    this.file = file;
    this.fileName = file.name;
    this.status = 'running';
    this.error = null;
    this.notice = null;
    this.ragged = null;
    this.#pending = null;
    performance.mark(`labbook:import-start:${jobId}`);
    this.progress = { bytesRead: 0, totalBytes: file.size, rows: 0, elapsedMs: 0, rowsPerSecond: 0, phase: 'reading' };
    let outcome;
    try {
      outcome = await dataWorker().importFile(
        jobId,
        file,
        file.name,
        opts,
        proxy((p: ImportProgress) => {
          if (this.#jobId === jobId) this.progress = p;
        }),
      );
    } catch (err) {
      // The worker died (or the call could not reach it): end failed rather than stay "running".
      if (this.#jobId === jobId) {
        this.status = 'error';
        this.error = `${err instanceof Error ? err.message : String(err)} Nothing was stored.`;
      }
      return;
    }
    if (this.#jobId !== jobId) return; // superseded
    performance.measure('labbook:import-worker', `labbook:import-start:${jobId}`);
    if (!outcome.ok) {
      if (outcome.code === 'cancelled') {
        this.status = 'cancelled';
        this.notice = 'Import cancelled. Nothing was stored.';
      } else {
        this.status = 'error';
        this.error = outcome.message;
      }
      return;
    }
    this.#pending = { result: outcome.result, reparse };
    if (outcome.result.ragged.count > 0) {
      this.ragged = outcome.result.ragged;
      this.status = 'ragged';
      return;
    }
    await this.#save();
  }

  cancel(): void {
    if (this.status === 'running' && this.#jobId) {
      void dataWorker().cancel(this.#jobId);
    } else if (this.status === 'ragged') {
      this.#pending = null;
      this.ragged = null;
      this.status = 'cancelled';
      this.notice = 'Import cancelled. Nothing was stored.';
    }
  }

  /** The user chose to import without the ragged rows. */
  async skipRagged(): Promise<void> {
    if (this.status !== 'ragged') return;
    await this.#save();
  }

  async #save(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    const { result, reparse } = pending;
    this.status = 'saving';
    try {
      const saveStart = performance.now();
      const free = await freeBytes();
      if (free !== null && free < result.storedBytes) {
        this.status = 'error';
        this.error = quotaMessage(result.storedBytes, free);
        return;
      }
      if (reparse) {
        const version = await replaceVersionContent(result);
        await this.#onSaved(version.hash);
        this.notice = `Re-parsed with the new delimiter: ${version.rows.toLocaleString('en-US')} rows, ${version.schema.length} columns.`;
      } else {
        const outcome = await saveImport(result, datasetNameFor(result.fileName), this.#link());
        await this.#onSaved(outcome.version.hash);
        this.notice =
          outcome.status === 'existing'
            ? `Already stored: these bytes are version ${outcome.version.version} of "${outcome.dataset.name}". Nothing new was stored.`
            : `Stored as version ${outcome.version.version} of "${outcome.dataset.name}".`;
      }
      this.status = 'done';
      performance.measure('labbook:import-save', { start: saveStart });
      // Read by `npm run bench`: wall time from file chosen to data stored.
      performance.measure('labbook:import', `labbook:import-start:${this.#jobId ?? ''}`);
    } catch (err) {
      this.status = 'error';
      // The estimate can disagree with the browser's real limit; only quote it when it explains the refusal.
      const free = isQuotaError(err) ? await freeBytes().catch(() => null) : null;
      this.error = isQuotaError(err)
        ? quotaMessage(result.storedBytes, free !== null && free < result.storedBytes ? free : null)
        : `The dataset could not be stored: ${err instanceof Error ? err.message : String(err)}. Nothing was stored.`;
    }
  }
}
