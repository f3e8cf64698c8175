/**
 * A stored model version applied to a stored dataset version, as the predict
 * worker runs it: decode, predict (checking for a newer request between batches), build the prediction file. The
 * model code (TF.js) is injected, so this runs in Node tests and the worker
 * loads TF.js only when a prediction is asked for.
 */
import { decodeColumns, type SourceColumn, type DatasetSource } from './core/training';
import { predictionFile, summarizePredictions, type PredictionOutput, type PredictionSummary } from './core/models';
import { csvChunks, type CsvValue } from './core/csv';
import { NEVER_CANCELLED, type CancelToken, type RequestIdentity } from './core/common';
import type { PredictableModel } from './ml/batch-predict';

/** ml/batch-predict's predictRows (or a stand-in in tests): `step` runs between its batches. */
export type PredictRowsFn = (
  model: PredictableModel,
  columns: readonly SourceColumn[],
  rows: number,
  subset?: Uint32Array,
  step?: () => Promise<void>,
) => Promise<PredictionOutput>;

/** Predictions for all `rows`, or `subset` of them, with `token` checked between batches (one model load). */
export async function predictChecked(
  predict: PredictRowsFn,
  model: PredictableModel,
  columns: readonly SourceColumn[],
  rows: number,
  subset: Uint32Array | undefined,
  token: CancelToken = NEVER_CANCELLED,
): Promise<PredictionOutput> {
  await token.step();
  const p = await predict(model, columns, rows, subset, token.step);
  token.check();
  return p;
}

export interface PredictRequest extends RequestIdentity {
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

export interface PredictDeps {
  /** Loads the model code (TF.js) on first use. */
  loadPredict: () => Promise<{ predictRows: PredictRowsFn; backend: string }>;
  token?: CancelToken;
}

/** Predicts a whole dataset version and builds its prediction file. */
export async function predictDataset(request: PredictRequest, deps: PredictDeps): Promise<PredictResponse> {
  const token = deps.token ?? NEVER_CANCELLED;
  const started = performance.now();
  const { predictRows, backend } = await deps.loadPredict();
  await token.step();
  const columns = await decodeColumns(request.dataset, request.dataset.schema.map((c) => c.name));
  const p = await predictChecked(predictRows, request.model, columns, request.dataset.rows, undefined, token);
  const file = predictionFile(p, columns.map((c) => ({ name: c.schema.name, data: c.data })), request.target);
  const preview: CsvValue[][] = [];
  for (const row of file.rows()) {
    if (preview.length >= request.previewRows) break;
    preview.push(row);
  }
  const parts: string[] = [];
  for (const chunk of csvChunks(file.header, file.rows(), { bom: true })) {
    parts.push(chunk);
    await token.step();
  }
  const csv = new Blob(parts, { type: 'text/csv;charset=utf-8' });
  return { summary: summarizePredictions(p), header: file.header, preview, csv, backend, ms: performance.now() - started };
}
