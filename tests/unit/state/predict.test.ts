import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { PredictJob } from '../../../src/lib/state/predict.svelte';
import { saveImport } from '../../../src/lib/storage/datasets';
import { predictDataset, type PredictRequest, type PredictResponse, type PredictRowsFn } from '../../../src/lib/predict-run';
import { LatestRequests, Superseded } from '../../../src/lib/core/common';
import type { ModelVersionRecord } from '../../../src/lib/storage/records';

type FakePredict = (request: PredictRequest) => Promise<PredictResponse>;

// The predict worker, stood in for: each test says what its `predict` does.
const worker = vi.hoisted(() => ({ predict: null as FakePredict | null }));
vi.mock('../../../src/lib/workers', () => ({
  predictWorker: () => ({ predict: (request: PredictRequest) => worker.predict!(request) }),
}));
// A model version's files stand in for: the job only hands the parsed model on to the worker.
vi.mock('../../../src/lib/storage/models', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/storage/models')>()),
  getModelFileBytes: async () => new Map<string, Uint8Array>(),
}));
vi.mock('../../../src/lib/core/models', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/core/models')>()),
  modelFromFiles: () => ({ files: {}, preprocessing: { columns: [{ name: 'x1' }] }, target: { task: 'regression' }, threshold: null, targetName: 'y' }),
}));

const database = useFreshDatabase();

afterEach(() => {
  worker.predict = null;
});

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** A stand-in model: its "prediction" of a row is the row's index (regression). */
const rowIndex: PredictRowsFn = async (_model, _columns, rows) => ({ rows, task: 'regression', classes: [], values: Float64Array.from({ length: rows }, (_, i) => i), threshold: null });

/** The worker's real prediction run, with the stand-in model and the worker's supersede rule. */
const latest = new LatestRequests();
const predicting: FakePredict = (request) => latest.run(request, (token) => predictDataset(request, { loadPredict: async () => ({ predictRows: rowIndex, backend: 'cpu' }), token }));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const version = { id: 'v'.repeat(64), modelName: 'm', version: 1 } as ModelVersionRecord;

/** Stores a small dataset version; returns its hash. */
async function dataset(rows = 5): Promise<string> {
  const text = ['x1,y', ...Array.from({ length: rows }, (_, i) => `${i},${i * 2}`)].join('\n');
  const ds = await importText(text);
  await saveImport(ds, 'data');
  return ds.hash;
}

describe('PredictJob', () => {
  it('stores and shows a prediction', async () => {
    worker.predict = predicting;
    const hash = await dataset();
    const job = new PredictJob('cell');
    const record = await job.run(version, hash);
    expect(job.status).toBe('idle');
    expect(record?.summary).toBeTruthy();
    expect(job.result).toBe(record);
    expect(await database().predictions.count()).toBe(1);
  });

  it('does not store or show a stale answer when a newer request started', async () => {
    const hash = await dataset();
    const answered = deferred();
    const gate = deferred();
    let calls = 0;
    // The first answer is ready before the second request starts, but arrives only after it is done.
    worker.predict = async (request) => {
      const answer = await predicting(request);
      if (++calls === 1) {
        answered.resolve();
        await gate.promise;
      }
      return answer;
    };
    const job = new PredictJob('cell');
    const older = job.run(version, hash);
    await answered.promise;
    const newer = await job.run(version, hash);
    gate.resolve();
    expect(await older).toBeNull();
    expect(job.result).toBe(newer);
    expect(job.status).toBe('idle');
    expect((await database().predictions.toArray()).map((p) => p.id)).toEqual([newer!.id]);
  });

  it('keeps the newer request running when the worker stops the older with Superseded', async () => {
    const hash = await dataset();
    const second = deferred();
    let calls = 0;
    worker.predict = async () => {
      if (++calls === 1) {
        await second.promise;
        throw new Superseded('predict:cell');
      }
      return new Promise<PredictResponse>(() => {}); // still working
    };
    const job = new PredictJob('cell');
    const older = job.run(version, hash);
    void job.run(version, hash);
    second.resolve();
    expect(await older).toBeNull();
    expect(job.status).toBe('running');
    expect(job.error).toBeNull();
  });

  it('stores nothing when saving hits the quota, and says why', async () => {
    worker.predict = predicting;
    const hash = await dataset();
    (database().predictions as unknown as Record<string, unknown>)['add'] = () => Promise.reject(quotaError());
    const job = new PredictJob('cell');
    expect(await job.run(version, hash)).toBeNull();
    expect(job.status).toBe('error');
    expect(job.error).toBe('Not enough browser storage to keep the predictions. Nothing was stored. Delete dataset versions, runs or models you no longer need, or free disk space, and try again.');
    expect(job.result).toBeNull();
    expect(await database().predictions.count()).toBe(0);
  });

  it('ends failed with the message of a worker that rejects', async () => {
    worker.predict = () => Promise.reject(new Error('The prediction worker stopped unexpectedly (it crashed); it starts again on the next try.'));
    const hash = await dataset();
    const job = new PredictJob('cell');
    expect(await job.run(version, hash)).toBeNull();
    expect(job.status).toBe('error');
    expect(job.error).toBe('The prediction failed: The prediction worker stopped unexpectedly (it crashed); it starts again on the next try.');
    expect(await database().predictions.count()).toBe(0);
  });

  it('fails without calling the worker when the dataset version is gone', async () => {
    worker.predict = () => Promise.reject(new Error('must not be called'));
    const job = new PredictJob('cell');
    await job.run(version, 'f'.repeat(64));
    expect(job.error).toBe('The prediction failed: That dataset version is no longer stored. Pick another one.');
  });
});
