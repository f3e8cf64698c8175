/**
 * Predict worker: a stored model version applied to a stored dataset version,
 * and drift checks of a new dataset version against a reference (with the
 * model's predictions on both when a version is chosen), off the main thread.
 * Thin: decoding, drift and metrics are lib/core, inference lib/ml. Its own
 * worker, so neither waits behind a training run in the train worker's queue.
 */
import * as Comlink from 'comlink';
import { decodeColumns } from '../src/lib/core/dataset-source';
import { predictionFile, summarizePredictions, type PredictionSummary } from '../src/lib/core/predictions';
import { csvChunks, type CsvValue } from '../src/lib/core/csv-export';
import type { PredictableModel } from '../src/lib/ml/batch-predict';
import type { PredictionOutput } from '../src/lib/core/predictions';
import type { DatasetSource, EvaluationSummary } from '../src/lib/core/training';
import { columnStats, driftReport, type ColumnStats, type DriftOptions, type DriftResult } from '../src/lib/core/drift';
import { conceptMetrics, modelDrift, predictionStats, type ModelDrift } from '../src/lib/core/drift-model';
import { encodeTarget } from '../src/lib/core/target';
import { splitOf } from '../src/lib/core/prepare';
import type { TrainConfig } from '../src/lib/core/train-config';

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

export interface DriftRequest {
  /** The reference's data, or null when only its statistics are here (a bundle's reference-stats.json). */
  reference: DatasetSource | null;
  referenceStats: { datasetHash: string; columns: ColumnStats[] } | null;
  current: DatasetSource;
  /** The columns to test (a model's inputs, or every column both sides share). */
  columns: string[];
  options: DriftOptions;
  /** With a model version: its prediction, label and concept drift too. */
  model: { versionId: string; model: PredictableModel; target: string; test: EvaluationSummary | null; config: TrainConfig | null } | null;
  /** The reference is the model's training data: only the rows of its training split are used. */
  trainingRowsOnly: boolean;
}

export interface DriftResponse {
  result: DriftResult;
  model: ModelDrift | null;
  /** Whether the reference side's statistics were reused from an earlier check. */
  referenceReused: boolean;
  ms: number;
}

/**
 * TF.js and the model code, loaded on first use: a drift check against a dataset version needs
 * none of it, and loading TF.js costs a cold worker ~0.4 s.
 */
let ml: Promise<{ predictRows: typeof import('../src/lib/ml/batch-predict').predictRows; backend: string }> | undefined;
function loadMl() {
  ml ??= Promise.all([import('../src/lib/ml/batch-predict'), import('../src/lib/ml/backends'), import('../src/lib/ml/backends-browser')]).then(async ([bp, b, bb]) => {
    // wasm, else cpu: the same backend on every machine gives the same numbers, which is what a
    // colleague checking an imported bundle's predictions needs (and it is the fastest here).
    const report = await b.chooseBackend(bb.browserHost, 'wasm', async () => 0, ['wasm', 'cpu']);
    return { predictRows: bp.predictRows, backend: report.used };
  });
  return ml;
}

// The reference side of a check, kept for the next batch checked against it (the worker lives
// as long as the tab): key = dataset hash + the columns summarised (+ the model, for its predictions).
const referenceCache = new Map<string, ColumnStats[]>();
const MAX_CACHED = 4;
// The model's outputs on a reference, kept the same way (key: reference hash + the model's files).
const predictionCache = new Map<string, PredictionOutput>();

async function sideStats(source: DatasetSource, columns: readonly string[], subset?: Uint32Array): Promise<ColumnStats[]> {
  const present = columns.filter((c) => source.schema.some((s) => s.name === c));
  const decoded = await decodeColumns(source, present);
  return decoded.flatMap((c) => {
    const s = columnStats(c.schema.name, c.schema.type, c.data, subset);
    return s ? [s] : [];
  });
}

/** The rows of a model's training split in its dataset version (the same seeded split training made). */
async function trainingRows(source: DatasetSource, config: TrainConfig): Promise<Uint32Array> {
  const [target] = await decodeColumns(source, [config.target]);
  return splitOf(config, target!).split.train;
}

const api = {
  async predict(request: PredictRequest): Promise<PredictResponse> {
    const started = performance.now();
    const { predictRows, backend } = await loadMl();
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
    return { summary: summarizePredictions(p), header: file.header, preview, csv, backend, ms: performance.now() - started };
  },
};

const driftApi = {
  async checkDrift(request: DriftRequest): Promise<DriftResponse> {
    const started = performance.now();
    const wanted = [...new Set([...request.columns, ...(request.model ? [request.model.target] : [])])];
    const refHash = request.reference?.hash ?? request.referenceStats?.datasetHash ?? '';
    const config = request.trainingRowsOnly ? (request.model?.config ?? null) : null;
    const subset = request.reference && config ? await trainingRows(request.reference, config) : undefined;
    const key = `${refHash}\n${subset ? `train:${request.model!.versionId}` : 'all'}\n${wanted.join('\n')}`;
    let reference = request.reference ? referenceCache.get(key) : request.referenceStats?.columns;
    const referenceReused = request.reference !== null && reference !== undefined;
    if (!reference) {
      if (!request.reference) throw new Error('The reference has neither data nor statistics in this browser.');
      reference = await sideStats(request.reference, wanted, subset);
      if (referenceCache.size >= MAX_CACHED) referenceCache.delete(referenceCache.keys().next().value!);
      referenceCache.set(key, reference);
    }
    const current = await sideStats(request.current, wanted);
    const target = request.model?.target;
    const result = driftReport(
      reference.filter((c) => c.name !== target || request.columns.includes(c.name)),
      current,
      request.options,
    );
    let model: ModelDrift | null = null;
    if (request.model) {
      const { predictRows } = await loadMl();
      const predictOn = async (source: DatasetSource, cacheKey: string | null) => {
        const cached = cacheKey ? predictionCache.get(cacheKey) : undefined;
        if (cached) return cached;
        const needed = request.model!.model.preprocessing.columns.map((c) => c.name).filter((n) => source.schema.some((s) => s.name === n));
        const cols = await decodeColumns(source, needed);
        const p = await predictRows(request.model!.model, cols, source.rows, source === request.reference ? subset : undefined);
        if (cacheKey) {
          if (predictionCache.size >= MAX_CACHED) predictionCache.delete(predictionCache.keys().next().value!);
          predictionCache.set(cacheKey, p);
        }
        return p;
      };
      // Without the reference's rows (statistics from a bundle) there are no reference predictions.
      const refP = request.reference ? await predictOn(request.reference, `${request.reference.hash}\n${request.model.versionId}`) : null;
      const curP = await predictOn(request.current, null);
      const targetOf = (side: ColumnStats[]) => side.find((c) => c.name === target) ?? null;
      let concept = null;
      const hasTarget = request.current.schema.some((c) => c.name === target);
      if (hasTarget && request.model.test) {
        const [t] = await decodeColumns(request.current, [target!]);
        const all = Uint32Array.from({ length: request.current.rows }, (_, i) => i);
        const { y } = encodeTarget(request.model.model.target, t!.data, all);
        const truth = Float64Array.from(y, (v) => (request.model!.model.target.task === 'regression' && request.model!.model.target.scaled ? v * request.model!.model.target.std + request.model!.model.target.mean : v));
        concept = conceptMetrics(curP, truth, request.model.test);
      }
      model = modelDrift({ referencePredictions: refP ? predictionStats(refP) : null, currentPredictions: predictionStats(curP), referenceTarget: targetOf(reference), currentTarget: hasTarget ? targetOf(current) : null, concept });
    }
    return { result, model, referenceReused, ms: performance.now() - started };
  },
};

const exposed = { ...api, ...driftApi };
Comlink.expose(exposed);
export type PredictApi = typeof exposed;
