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
import { LatestRequests } from '../src/lib/core/common';

export type { PredictRequest, PredictResponse } from '../src/lib/predict-run';
export type { DriftRequest, DriftResponse } from '../src/lib/drift-run';

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
};

Comlink.expose(api);
export type PredictApi = typeof api;
