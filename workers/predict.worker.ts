/**
 * Predict worker: a stored model version applied to a stored dataset version,
 * off the main thread. Thin: decoding is lib/core, inference lib/ml; the
 * prediction file is written here in chunks into a Blob. Its own worker, so a
 * prediction never waits behind a training run in the train worker's queue.
 */
import * as Comlink from 'comlink';
import { decodeColumns } from '../src/lib/core/dataset-source';
import { predictionFile, summarizePredictions, type PredictionSummary } from '../src/lib/core/predictions';
import { csvChunks, type CsvValue } from '../src/lib/core/csv-export';
import { predictRows, type PredictableModel } from '../src/lib/ml/batch-predict';
import { chooseBackend } from '../src/lib/ml/backends';
import { browserHost } from '../src/lib/ml/backends-browser';
import type { DatasetSource } from '../src/lib/core/training';

export interface PredictRequest {
  model: PredictableModel;
  dataset: DatasetSource;
  /** The model's target column name (for the added column's name). */
  target: string;
  /** Rows returned for the preview. */
  previewRows: number;
}

export interface PredictResponse {
  summary: PredictionSummary;
  header: string[];
  preview: CsvValue[][];
  /** The prediction file: every input column, the prediction, the class probabilities. */
  csv: Blob;
  backend: string;
  ms: number;
}

const api = {
  async predict(request: PredictRequest): Promise<PredictResponse> {
    const started = performance.now();
    // wasm, else cpu: the same backend on every machine gives the same numbers, which is what a
    // colleague checking an imported bundle's predictions needs (and it is the fastest here).
    const report = await chooseBackend(browserHost, 'wasm', async () => 0, ['wasm', 'cpu']);
    const names = request.dataset.schema.map((c) => c.name);
    const columns = await decodeColumns(request.dataset, names);
    const p = await predictRows(request.model, columns, request.dataset.rows);
    const file = predictionFile(p, columns.map((c) => ({ name: c.schema.name, data: c.data })), request.target);
    const preview: CsvValue[][] = [];
    for (const row of file.rows()) {
      if (preview.length >= request.previewRows) break;
      preview.push(row);
    }
    const csv = new Blob([...csvChunks(file.header, file.rows(), { bom: true })], { type: 'text/csv;charset=utf-8' });
    return { summary: summarizePredictions(p), header: file.header, preview, csv, backend: report.used, ms: performance.now() - started };
  },
};

Comlink.expose(api);
export type PredictApi = typeof api;
