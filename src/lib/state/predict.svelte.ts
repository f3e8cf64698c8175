/**
 * A predict cell's job: read the model version's files and the dataset
 * version's chunks, predict in the predict worker, store the result (with its
 * CSV file) as a prediction record. A newer request makes an older one's
 * answer stale: it is dropped.
 */
import { modelFromFiles } from '../core/model-files';
import { newId } from '../core/ids';
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
  async run(version: ModelVersionRecord, datasetHash: string): Promise<PredictionRecord | null> {
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
      });
      const record: PredictionRecord = { id: newId(), modelVersionId: version.id, datasetHash, createdAt: Date.now(), ...out };
      await savePrediction(record);
      if (request !== this.#request) return record;
      this.result = record;
      this.status = 'idle';
      return record;
    } catch (err) {
      if (request === this.#request) {
        this.status = 'error';
        this.error = `The prediction failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      return null;
    }
  }
}
