/**
 * The one place that starts workers and wraps them with Comlink. Each is started on first use
 * and supervised (./worker-supervisor): if it dies, its pending calls fail with a message that
 * says so, and the next call starts it again.
 */
import * as Comlink from 'comlink';
import type { DataApi } from '../../workers/data.worker';
import type { TrainApi } from '../../workers/train.worker';
import type { PredictApi } from '../../workers/predict.worker';
import type { BundleApi } from '../../workers/bundle.worker';
import type { BackupApi } from '../../workers/backup.worker';
import { supervised } from './worker-supervisor';

/** `make` must spell `new Worker(new URL('…', import.meta.url), …)` out: that is how Vite finds and bundles a worker. */
function start<T>(make: () => Worker): () => { worker: Worker; remote: Comlink.Remote<T> } {
  return () => {
    const worker = make();
    return { worker, remote: Comlink.wrap<T>(worker) };
  };
}

/** The data worker (CSV import, profiling). */
export const dataWorker = supervised(
  'data',
  start<DataApi>(() => new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'labbook-data' })),
);

/** The train worker (TF.js); kept apart from the data worker so it carries no danfojs. */
export const trainWorker = supervised(
  'training',
  start<TrainApi>(() => new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'labbook-train' })),
);

/** The predict worker (TF.js inference on a whole dataset version, drift checks). */
export const predictWorker = supervised(
  'prediction',
  start<PredictApi>(() => new Worker(new URL('../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'labbook-predict' })),
);

/** The bundle worker (building and verifying model bundle .zip files). */
export const bundleWorker = supervised(
  'bundle',
  start<BundleApi>(() => new Worker(new URL('../../workers/bundle.worker.ts', import.meta.url), { type: 'module', name: 'labbook-bundle' })),
);

/** The backup worker (workspace backups, restores, shared notebooks, storage usage). */
export const backupWorker = supervised(
  'backup',
  start<BackupApi>(() => new Worker(new URL('../../workers/backup.worker.ts', import.meta.url), { type: 'module', name: 'labbook-backup' })),
);

export { proxy, transfer } from 'comlink';
