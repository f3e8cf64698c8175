import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { ImportJob } from '../../../src/lib/state/imports.svelte';
import { quotaMessage, type ImportOptions, type ImportResult } from '../../../src/lib/core/common';

type Outcome = { ok: true; result: ImportResult } | { ok: false; code: string; message: string };
type FakeImport = (jobId: string, file: Blob, fileName: string, opts: ImportOptions) => Promise<Outcome>;

// The data worker, stood in for: each test says what its `importFile` does; `cancel` is recorded.
const worker = vi.hoisted(() => ({ importFile: null as FakeImport | null, cancelled: [] as string[], onCancel: (_jobId: string) => {} }));
vi.mock('../../../src/lib/workers', () => ({
  proxy: <T>(f: T): T => f,
  dataWorker: () => ({
    importFile: (jobId: string, file: Blob, fileName: string, opts: ImportOptions) => worker.importFile!(jobId, file, fileName, opts),
    cancel: async (jobId: string) => {
      worker.cancelled.push(jobId);
      worker.onCancel(jobId);
    },
  }),
}));

const database = useFreshDatabase();

afterEach(() => {
  worker.importFile = null;
  worker.cancelled = [];
  worker.onCancel = () => {};
  vi.unstubAllGlobals();
});

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const fileOf = (text: string, name = 'heart.csv') => new File([text], name, { type: 'text/csv' });
const CSV_A = 'age,sick\n50,yes\n61,no\n';
const CSV_B = 'age,sick\n40,no\n33,no\n72,yes\n';

/** A worker that imports the file's text for real, in this thread. */
const parsing: FakeImport = async (_jobId, file, fileName, opts) => ({ ok: true, result: await importText(await file.text(), fileName, opts) });

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function newJob(): { job: ImportJob; saved: string[] } {
  const saved: string[] = [];
  return { job: new ImportJob(async (hash) => void saved.push(hash)), saved };
}

describe('ImportJob', () => {
  it('stores an import the worker parsed', async () => {
    worker.importFile = parsing;
    const { job, saved } = newJob();
    await job.start(fileOf(CSV_A), {});
    expect(job.status).toBe('done');
    expect(job.notice).toMatch(/^Stored as version 1 of "heart"/);
    expect(saved).toHaveLength(1);
    expect(await database().versions.count()).toBe(1);
  });

  it('drops the answer of an import a newer one replaced: only the newer is stored', async () => {
    const first = deferred<Outcome>();
    const jobIds: string[] = [];
    worker.importFile = async (jobId, ...rest) => {
      jobIds.push(jobId);
      return jobIds.length === 1 ? first.promise : parsing(jobId, ...rest);
    };
    const { job, saved } = newJob();
    const older = job.start(fileOf(CSV_A, 'old.csv'), {});
    await job.start(fileOf(CSV_B, 'new.csv'), {});
    expect(worker.cancelled).toEqual([jobIds[0]]);
    first.resolve({ ok: true, result: await importText(CSV_A, 'old.csv') });
    await older;
    expect(job.status).toBe('done');
    expect(job.fileName).toBe('new.csv');
    expect(saved).toHaveLength(1);
    const stored = await database().datasets.toArray();
    expect(stored.map((d) => d.name)).toEqual(['new']);
  });

  it('refuses before writing when the browser says too little is free, and stores nothing', async () => {
    worker.importFile = parsing;
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 1_000, quota: 1_010 }) } });
    const { job, saved } = newJob();
    await job.start(fileOf(CSV_A), {});
    const result = await importText(CSV_A, 'heart.csv');
    expect(job.status).toBe('error');
    expect(job.error).toBe(quotaMessage(result.storedBytes, 10));
    expect(saved).toEqual([]);
    expect(await database().versions.count()).toBe(0);
  });

  it('gives the storage message when the write itself hits the quota, and stores nothing', async () => {
    worker.importFile = parsing;
    (database().versions as unknown as Record<string, unknown>)['add'] = () => Promise.reject(quotaError());
    const { job, saved } = newJob();
    await job.start(fileOf(CSV_A), {});
    const result = await importText(CSV_A, 'heart.csv');
    expect(job.status).toBe('error');
    expect(job.error).toBe(quotaMessage(result.storedBytes, null));
    expect(saved).toEqual([]);
    expect(await database().datasets.count()).toBe(0);
    expect(await database().chunks.count()).toBe(0);
  });

  it('ends failed with the message of a worker that rejects', async () => {
    worker.importFile = () => Promise.reject(new Error('The data worker stopped unexpectedly (it crashed); it starts again on the next try.'));
    const { job } = newJob();
    await job.start(fileOf(CSV_A), {});
    expect(job.status).toBe('error');
    expect(job.error).toMatch(/^The data worker stopped unexpectedly \(it crashed\)/);
    expect(job.busy).toBe(false);
  });

  it('shows the message of an import the worker refused', async () => {
    worker.importFile = async () => ({ ok: false, code: 'empty', message: 'The file is empty.' });
    const { job } = newJob();
    await job.start(fileOf(''), {});
    expect(job.status).toBe('error');
    expect(job.error).toBe('The file is empty.');
  });

  it('cancels a running import in the worker; nothing is stored', async () => {
    const answer = deferred<Outcome>();
    worker.importFile = () => answer.promise;
    worker.onCancel = () => answer.resolve({ ok: false, code: 'cancelled', message: 'Cancelled.' });
    const { job, saved } = newJob();
    const running = job.start(fileOf(CSV_A), {});
    expect(job.status).toBe('running');
    job.cancel();
    await running;
    expect(worker.cancelled).toHaveLength(1);
    expect(job.status).toBe('cancelled');
    expect(job.notice).toBe('Import cancelled. Nothing was stored.');
    expect(saved).toEqual([]);
    expect(await database().versions.count()).toBe(0);
  });

  it('cancels at the ragged-rows question; nothing is stored', async () => {
    worker.importFile = parsing;
    const { job, saved } = newJob();
    await job.start(fileOf('a,b\n1,2\n3,4,5\n6,7\n'), {});
    expect(job.status).toBe('ragged');
    job.cancel();
    expect(job.status).toBe('cancelled');
    await job.skipRagged(); // too late: the import is over
    expect(saved).toEqual([]);
    expect(await database().versions.count()).toBe(0);
  });
});
