/**
 * A predict cell's job: read the model version's files and the dataset
 * version's chunks, predict in the predict worker, store the result (with its
 * CSV file) as a prediction record. A newer request supersedes an older one:
 * the worker stops the older (it answers Superseded), and a stale answer is
 * neither shown nor stored.
 */
import { modelFromFiles } from '../core/models';
import { isQuotaError, storageFullMessage, newId, isSuperseded } from '../core/common';
import { getModelFileBytes } from '../storage/models';
import { getDatasetSource } from '../storage/datasets';
import { getPrediction, savePrediction } from '../storage/predictions';
import type { ModelVersionRecord, PredictionRecord } from '../storage/records';
import { predictWorker } from '../workers';

export const PREVIEW_ROWS = 20;

export class PredictJob {
  status = $state<'idle' | 'running' | 'error'>('idle');
  error = $state<string | null>(null);
  /** The prediction shown: the newest run here, or the one the cell's config names. */
  result = $state.raw<PredictionRecord | null>(null);
  #request = 0;
  /** The worker's key for this cell's requests (one job per cell). */
  readonly #key: string;

  constructor(key: string = newId()) {
    this.#key = `predict:${key}`;
  }

  get busy(): boolean {
    return this.status === 'running';
  }

  /** Shows a stored prediction (a reopened notebook); a run started meanwhile wins. */
  async show(id: string | null): Promise<void> {
    if (!id || this.result?.id === id) return;
    const request = this.#request;
    const found = (await getPrediction(id)) ?? null;
    if (request === this.#request && found) this.result = found;
  }

  /** Predicts `version` on a dataset version; resolves with the stored prediction, or null on failure. */
  async run(version: ModelVersionRecord, datasetHash: string, options: { cellFingerprint?: string | null } = {}): Promise<PredictionRecord | null> {
    const request = ++this.#request;
    this.status = 'running';
    this.error = null;
    try {
      const [bytes, dataset] = await Promise.all([getModelFileBytes(version.id), getDatasetSource(datasetHash)]);
      if (!dataset) throw new Error('That dataset version is no longer stored. Pick another one.');
      const model = modelFromFiles(bytes);
      const out = await predictWorker().predict({
        model: { files: model.files, preprocessing: model.preprocessing, target: model.target, threshold: model.threshold },
        dataset,
        target: model.targetName,
        previewRows: PREVIEW_ROWS,
        key: this.#key,
        requestId: `${this.#key}:${request}`,
      });
      // Superseded while the answer travelled: not stored, not shown.
      if (request !== this.#request) return null;
      const record: PredictionRecord = { id: newId(), modelVersionId: version.id, datasetHash, createdAt: Date.now(), ...out, cellFingerprint: options.cellFingerprint ?? null };
      await savePrediction(record);
      if (request !== this.#request) return null;
      this.result = record;
      this.status = 'idle';
      return record;
    } catch (err) {
      // A Superseded answer belongs to an older request: the newer one sets the status.
      if (request === this.#request) {
        this.status = isSuperseded(err) ? 'idle' : 'error';
        this.error = isSuperseded(err) ? null : isQuotaError(err) ? storageFullMessage('the predictions') : `The prediction failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      return null;
    }
  }
}
