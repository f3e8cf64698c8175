/** The one place that starts workers and wraps them with Comlink. */
import * as Comlink from 'comlink';
import type { DataApi } from '../../workers/data.worker';

let data: Comlink.Remote<DataApi> | undefined;

/** The data worker (CSV import, profiling), started on first use. */
export function dataWorker(): Comlink.Remote<DataApi> {
  data ??= Comlink.wrap<DataApi>(
    new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'labbook-data' }),
  );
  return data;
}

export { proxy } from 'comlink';
