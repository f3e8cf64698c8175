import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { EPOCH_WRITE_MS, TrainingJob } from '../../../src/lib/state/training.svelte';
import { saveImport } from '../../../src/lib/storage/datasets';
import { getRun, markInterruptedRuns } from '../../../src/lib/storage/runs';
import { listModels, verifyModelVersion } from '../../../src/lib/storage/models';
import type { RunRecord } from '../../../src/lib/storage/records';
import {
  buildManifest,
  sealTrainResult,
  type SealedTrainOutcome,
  type SealedTrainRequest,
  modelFiles,
} from '../../../src/lib/core/models';
import { runStorageMessage, Rng } from '../../../src/lib/core/common';
import {
  defaultTrainConfig,
  type TrainConfig,
  type EpochRecord,
  type TrainEvent,
  type TrainResult,
  timingEvent,
} from '../../../src/lib/core/training';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import { trainAndSeal } from '../../../src/lib/ml/train-sealed';

type FakeTrain = (request: SealedTrainRequest, onEvent: (e: TrainEvent) => void) => Promise<SealedTrainOutcome>;

// The train worker, stood in for: each test says what its `train` does; `cancel` is recorded.
const worker = vi.hoisted(() => ({ train: null as FakeTrain | null, cancelled: new Set<string>() }));
vi.mock('../../../src/lib/workers', () => ({
  proxy: <T>(f: T): T => f,
  trainWorker: () => ({
    train: (request: SealedTrainRequest, onEvent: (e: TrainEvent) => void) => worker.train!(request, onEvent),
    cancel: async (runId: string) => void worker.cancelled.add(runId),
  }),
}));

const database = useFreshDatabase();

const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };
const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });
const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
/** Makes a table's method fail from now on as a full storage does. */
function refuse<T extends object>(table: T, method: keyof T): void {
  (table as Record<keyof T, unknown>)[method] = () => Promise.reject(quotaError());
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small separable binary problem. */
function csv(rows: number): string {
  const rng = new Rng(5);
  const lines = ['x1,x2,sick'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${x1 - x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

/** Stores the dataset in this test's database and returns a config training on it. */
async function stored(): Promise<TrainConfig> {
  const ds = await importText(csv(200));
  await saveImport(ds, 'sick');
  return { ...defaultTrainConfig(ds.hash, 'sick', 'binary', ['x1', 'x2']), backend: 'cpu', epochs: 2, model: 'mlp', hiddenUnits: [3], seed: 1 };
}

function epoch(n: number): EpochRecord {
  return { epoch: n, loss: 1 / n, valLoss: 1 / n, metric: 0.5, valMetric: 0.5, ms: 1 };
}

function newJob(): { job: TrainingJob; finished: RunRecord[] } {
  const finished: RunRecord[] = [];
  return { job: new TrainingJob(async (run) => void finished.push(run)), finished };
}

const options = { notebookId: 'nb-1', cellId: 'cell-1', modelName: 'sick' };

// One real training, whose result the fakes below seal for their own run.
let trained: TrainResult;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const ds = await importText(csv(200));
  const config: TrainConfig = { ...defaultTrainConfig(ds.hash, 'sick', 'binary', ['x1', 'x2']), backend: 'cpu', epochs: 2, model: 'mlp', hiddenUnits: [3], seed: 1 };
  const source = { hash: ds.hash, rows: ds.rows, schema: ds.schema, dictBlob: ds.dictBlob, chunks: ds.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
  const out = await runTraining({ runId: 'r', config, dataset: source }, { host: cpuHost, environment: env });
  if (out.status !== 'completed') throw new Error(out.message);
  trained = out.result;
}, 60_000);

/** A worker whose run completes with the trained result, sealed for the request. */
const completing: FakeTrain = async (request, onEvent) => {
  for (const e of trained.epochs) onEvent({ type: 'epoch', record: e });
  return { status: 'completed', result: trained, version: await sealTrainResult(request, trained) };
};

describe('TrainingJob', () => {
  it('stores a completed run with the version its worker sealed, whose id is what the page computed before', async () => {
    const config = await stored();
    let outcome: SealedTrainOutcome | null = null;
    let request: SealedTrainRequest | null = null;
    worker.train = async (req, onEvent) => {
      request = req;
      outcome = await trainAndSeal(req, { host: cpuHost, environment: env, onEvent });
      return outcome;
    };
    const { job, finished } = newJob();
    const run = await job.start(config, options);
    expect(job.status).toBe('completed');
    expect(run?.status).toBe('completed');
    const done = outcome as SealedTrainOutcome | null;
    if (done?.status !== 'completed' || !request) throw new Error('the worker did not complete');
    const r = done.result;
    const req: SealedTrainRequest = request;
    const before = await buildManifest(
      modelFiles(r, { runId: run!.id, datasetHash: config.datasetHash, notebookId: 'nb-1', fingerprint: req.lineage.fingerprint, config, appVersion: 'test', tfjsVersion: tf.version.tfjs, backend: r.backend.used }),
    );
    expect(run!.modelVersionId).toBe(before.id);
    expect(done.version.id).toBe(before.id);
    const storedRun = (await getRun(run!.id))!;
    expect(storedRun).toMatchObject({ status: 'completed', modelVersionId: before.id, cellId: 'cell-1', fingerprint: req.lineage.fingerprint });
    expect(storedRun.epochs).toEqual(r.epochs);
    expect(await verifyModelVersion(before.id)).toEqual({ ok: true, problems: [] });
    const models = await listModels();
    expect(models.map((m) => [m.model.name, m.versions.map((v) => v.version)])).toEqual([['sick', [1]]]);
    expect(finished.map((f) => f.id)).toEqual([run!.id]);
  });

  it('writes epochs in batches, and ends the run failed when the worker rejects', async () => {
    const config = await stored();
    const puts: number[] = [];
    const put = database().runDetails.put.bind(database().runDetails);
    database().runDetails.put = ((...args: Parameters<typeof put>) => {
      puts.push(args[0].epochs.length);
      return put(...args);
    }) as typeof put;
    let midway: RunRecord | undefined;
    worker.train = async (request, onEvent) => {
      for (const n of [1, 2, 3]) onEvent({ type: 'epoch', record: epoch(n) });
      await sleep(EPOCH_WRITE_MS + 300);
      midway = await getRun(request.runId);
      onEvent({ type: 'epoch', record: epoch(4) });
      throw new Error('The training worker stopped unexpectedly.');
    };
    const { job, finished } = newJob();
    const run = await job.start(config, options);
    expect(midway?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // createRunOn's empty details, then one write of three epochs, then the last one at the end.
    expect(puts).toEqual([0, 3, 4]);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('The training worker stopped unexpectedly.');
    const storedRun = (await getRun(run!.id))!;
    expect(storedRun).toMatchObject({ status: 'failed', statusMessage: 'The training worker stopped unexpectedly.' });
    expect(storedRun.endedAt).not.toBeNull();
    expect(storedRun.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(finished.map((f) => f.status)).toEqual(['failed']);
  });

  it('reports a failed epoch write as a notice and keeps training', async () => {
    const config = await stored();
    const put = database().runDetails.put.bind(database().runDetails);
    let fail = true;
    database().runDetails.put = ((...args: Parameters<typeof put>) => (fail && args[0].epochs.length > 0 ? Promise.reject(quotaError()) : put(...args))) as typeof put;
    worker.train = async (request, onEvent) => {
      onEvent({ type: 'epoch', record: epoch(1) });
      await sleep(EPOCH_WRITE_MS + 300);
      fail = false;
      return completing(request, onEvent);
    };
    const { job } = newJob();
    const run = await job.start(config, options);
    expect(job.notices).toEqual([expect.stringMatching(/^The epochs could not be stored as they came \(the browser has no storage left for this site\)/)]);
    expect(job.status).toBe('completed');
    expect((await getRun(run!.id))!.status).toBe('completed');
  });

  it('ends the run failed with the storage message when saving the version meets a full storage', async () => {
    const config = await stored();
    refuse(database().modelFiles, 'bulkAdd');
    let bytes = 0;
    worker.train = async (request, onEvent) => {
      const out = await completing(request, onEvent);
      if (out.status === 'completed') bytes = out.version.files.reduce((n, f) => n + f.bytes.byteLength, 0);
      return out;
    };
    const { job, finished } = newJob();
    const run = await job.start(config, options);
    const message = runStorageMessage(bytes, null);
    expect(message).toMatch(/^Not enough browser storage to keep this run's model \(it needs about [\d.]+ KB\)\. The model was not saved\. Delete/);
    expect(job.status).toBe('failed');
    expect(job.error).toBe(message);
    const storedRun = (await getRun(run!.id))!;
    expect(storedRun).toMatchObject({ status: 'failed', statusMessage: message, modelVersionId: null });
    expect(storedRun.epochs).toEqual(trained.epochs);
    expect(await listModels()).toEqual([]);
    expect(finished.map((f) => f.status)).toEqual(['failed']);
  });

  it('leaves a run whose failure could not be written either to be marked interrupted at the next start', async () => {
    const config = await stored();
    worker.train = completing;
    refuse(database().modelFiles, 'bulkAdd');
    const put = database().runs.put.bind(database().runs);
    refuse(database().runs, 'put');
    const { job, finished } = newJob();
    const run = await job.start(config, options);
    expect(run).toBeNull();
    expect(finished).toEqual([]);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^Not enough browser storage/);
    const runId = job.runId!;
    expect((await getRun(runId))!.status).toBe('running');
    database().runs.put = put;
    // After a reload no tab holds the run's lock (and its heartbeat has stopped).
    expect(await markInterruptedRuns(15_000, Date.now(), new Set())).toBe(1);
    expect((await getRun(runId))!.status).toBe('interrupted');
  });

  it('cancels: the worker is asked to stop and the run ends cancelled with what it got to', async () => {
    const config = await stored();
    worker.train = async (request, onEvent) => {
      onEvent({ type: 'epoch', record: epoch(1) });
      while (!worker.cancelled.has(request.runId)) await sleep(10);
      return { status: 'cancelled', message: 'Cancelled after epoch 1.', epochs: [epoch(1)], backend: null, environment: env(), sizes: null, durationMs: 5 };
    };
    const { job } = newJob();
    const started = job.start(config, options);
    while (!job.runId) await sleep(10);
    expect(job.busy).toBe(true);
    job.cancel();
    expect(job.cancelling).toBe(true);
    const run = await started;
    expect(job.status).toBe('cancelled');
    expect(job.error).toBeNull();
    expect((await getRun(run!.id))!).toMatchObject({ status: 'cancelled', statusMessage: 'Cancelled after epoch 1.', epochs: [epoch(1)] });
  });

  it('counts the backends being timed while auto chooses, and drops the count once the backend is known', async () => {
    const config = await stored();
    const { job } = newJob();
    const seen: (string | null)[] = [];
    const show = () => seen.push(job.timing ? `${job.stage} ${job.timing.done}/${job.timing.total}` : null);
    worker.train = async (request, onEvent) => {
      onEvent(timingEvent('webgpu', 0, 2));
      show();
      onEvent(timingEvent('cpu', 1, 2));
      show();
      onEvent({ type: 'backend', report: trained.backend });
      show();
      return completing(request, onEvent);
    };
    await job.start(config, options);
    expect(seen).toEqual(['Timing webgpu 1/2… 0/2', 'Timing cpu 2/2… 1/2', null]);
    expect(job.timing).toBeNull();
  });
});
