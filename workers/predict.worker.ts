/**
 * Predict worker: a stored model version applied to a stored dataset version,
 * and drift checks of a new dataset version against a reference (with the
 * model's predictions on both when a version is chosen), off the main thread.
 * Thin: the work is lib/predict-run and lib/drift-run. Its own worker, so
 * neither waits behind a training run in the train worker's queue.
 */
import * as Comlink from 'comlink';
import { predictDataset, type PredictRequest, type PredictResponse } from '../src/lib/predict-run';
import { checkDrift, driftCaches, type DriftRequest, type DriftResponse } from '../src/lib/drift-run';
import { runFairness, runImportance, type AnalysisProgress, type FairnessRequest, type ImportanceRequest } from '../src/lib/analysis-run';
import { evaluateModels, type EvaluateProgress, type EvaluateRequest, type EvaluateResponse } from '../src/lib/evaluate-run';
import type { PredictableModel } from '../src/lib/ml/batch-predict';
import type { FairnessReport } from '../src/lib/core/fairness';
import type { ImportanceReport } from '../src/lib/core/explain';
import { LatestRequests, type CancelToken, type RequestIdentity } from '../src/lib/core/common';
import type { ModelArtifactsFiles } from '../src/lib/core/training';

export type { PredictRequest, PredictResponse } from '../src/lib/predict-run';
export type { DriftRequest, DriftResponse } from '../src/lib/drift-run';
export type { AnalysisProgress, FairnessRequest, ImportanceRequest } from '../src/lib/analysis-run';
export type { EvaluateProgress, EvaluateRequest, EvaluateResponse } from '../src/lib/evaluate-run';

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

/** A model version's network for the analyses: loaded once per analysis, predicting encoded matrices. */
async function loadMatrix(model: PredictableModel) {
  await loadMl(); // TF.js, with its backend chosen
  const { loadMatrixPredictor } = await import('../src/lib/ml/matrix-predict');
  return loadMatrixPredictor(model.files);
}

/** Evaluations load each version's network from its files (TF.js and its backend first). */
function runEvaluation(request: EvaluateRequest, token: CancelToken, onProgress?: (p: EvaluateProgress) => void): Promise<EvaluateResponse> {
  const loadModel = async (files: ModelArtifactsFiles) => {
    await loadMl();
    const { loadMatrixPredictor } = await import('../src/lib/ml/matrix-predict');
    return loadMatrixPredictor(files);
  };
  return evaluateModels(request, { loadModel, token, onProgress });
}

// A newer request for the same cell stops the older one at its next step (it throws Superseded).
const latest = new LatestRequests();
const caches = driftCaches();

const api = {
  predict(request: PredictRequest): Promise<PredictResponse> {
    return latest.run(request, (token) => predictDataset(request, { loadPredict: loadMl, token }));
  },

  checkDrift(request: DriftRequest): Promise<DriftResponse> {
    return latest.run(request, (token) => checkDrift(request, { ...caches, loadPredict: async () => (await loadMl()).predictRows, token }));
  },

  /** Permutation importance and partial dependence on the run's test split; `onProgress` is a Comlink.proxy. */
  importance(request: ImportanceRequest, onProgress?: (p: AnalysisProgress) => void): Promise<ImportanceReport> {
    return latest.run(request, (token) => runImportance(request, { loadModel: loadMatrix, token, onProgress }));
  },

  /** The fairness report on the run's test split; `onProgress` is a Comlink.proxy. */
  fairness(request: FairnessRequest, onProgress?: (p: AnalysisProgress) => void): Promise<FairnessReport> {
    return latest.run(request, (token) => runFairness(request, { loadModel: loadMatrix, token, onProgress }));
  },

  /** Champion against challengers on a labelled dataset version (lib/evaluate-run); `onProgress` is a Comlink.proxy. */
  evaluate(request: EvaluateRequest, onProgress?: (p: EvaluateProgress) => void): Promise<EvaluateResponse> {
    return latest.run(request, (token) => runEvaluation(request, token, onProgress));
  },

  /** Stops the running request of `key` at its next step (it answers Superseded). */
  cancel(id: RequestIdentity): void {
    latest.begin(id);
    latest.end(id);
  },
};

Comlink.expose(api);
export type PredictApi = typeof api;
