/** The one place that starts workers and wraps them with Comlink. */
import * as Comlink from 'comlink';
import type { DataApi } from '../../workers/data.worker';
import type { TrainApi } from '../../workers/train.worker';
import type { PredictApi } from '../../workers/predict.worker';
import type { BundleApi } from '../../workers/bundle.worker';
import type { BackupApi } from '../../workers/backup.worker';

let data: Comlink.Remote<DataApi> | undefined;
let train: Comlink.Remote<TrainApi> | undefined;
let predict: Comlink.Remote<PredictApi> | undefined;
let bundle: Comlink.Remote<BundleApi> | undefined;

/** The data worker (CSV import, profiling), started on first use. */
export function dataWorker(): Comlink.Remote<DataApi> {
  data ??= Comlink.wrap<DataApi>(
    new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'labbook-data' }),
  );
  return data;
}

/** The train worker (TF.js), started on first use; kept apart from the data worker so it carries no danfojs. */
export function trainWorker(): Comlink.Remote<TrainApi> {
  train ??= Comlink.wrap<TrainApi>(
    new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'labbook-train' }),
  );
  return train;
}

/** The predict worker (TF.js inference on a whole dataset version), started on first use. */
export function predictWorker(): Comlink.Remote<PredictApi> {
  predict ??= Comlink.wrap<PredictApi>(
    new Worker(new URL('../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'labbook-predict' }),
  );
  return predict;
}

/** The bundle worker (building and verifying model bundle .zip files), started on first use. */
export function bundleWorker(): Comlink.Remote<BundleApi> {
  bundle ??= Comlink.wrap<BundleApi>(
    new Worker(new URL('../../workers/bundle.worker.ts', import.meta.url), { type: 'module', name: 'labbook-bundle' }),
  );
  return bundle;
}

let backup: Comlink.Remote<BackupApi> | undefined;

/** The backup worker (workspace backups, restores, shared notebooks), started on first use. */
export function backupWorker(): Comlink.Remote<BackupApi> {
  backup ??= Comlink.wrap<BackupApi>(
    new Worker(new URL('../../workers/backup.worker.ts', import.meta.url), { type: 'module', name: 'labbook-backup' }),
  );
  return backup;
}

export { proxy, transfer } from 'comlink';
