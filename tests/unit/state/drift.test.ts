import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFreshDatabase } from '../storage/fresh-db';
import { importText } from '../helpers';
import { DriftJob, type DriftInputs } from '../../../src/lib/state/drift.svelte';
import { saveImport } from '../../../src/lib/storage/datasets';
import { checkDrift, driftCaches, type DriftRequest, type DriftResponse } from '../../../src/lib/drift-run';
import { LatestRequests, Superseded, Rng } from '../../../src/lib/core/common';

type FakeCheck = (request: DriftRequest) => Promise<DriftResponse>;

// The predict worker, stood in for: each test says what its `checkDrift` does.
const worker = vi.hoisted(() => ({ checkDrift: null as FakeCheck | null }));
vi.mock('../../../src/lib/workers', () => ({
  predictWorker: () => ({ checkDrift: (request: DriftRequest) => worker.checkDrift!(request) }),
}));

const database = useFreshDatabase();

afterEach(() => {
  worker.checkDrift = null;
});

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** The worker's real drift check (no model: the model code must not load) under its supersede rule. */
const latest = new LatestRequests();
const caches = driftCaches();
const checking: FakeCheck = (request) =>
  latest.run(request, (token) => checkDrift(request, { ...caches, loadPredict: () => Promise.reject(new Error('no model here')), token }));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function csv(rows: number, seed: number, shift = 0): string {
  const rng = new Rng(seed);
  const lines = ['x1,colour'];
  for (let i = 0; i < rows; i++) lines.push(`${(rng.next() * 4 - 2 + shift).toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]}`);
  return lines.join('\n');
}

/** Two stored dataset versions, the second shifted, as a drift cell's inputs. */
async function inputs(): Promise<DriftInputs> {
  const [a, b] = await Promise.all([importText(csv(200, 1), 'a.csv'), importText(csv(200, 2, 1.5), 'b.csv')]);
  const reference = (await saveImport(a, 'a')).version;
  const current = (await saveImport(b, 'b')).version;
  return {
    reference: { kind: 'dataset', version: reference, datasetHash: reference.hash, label: 'a v1' },
    current: { version: current, label: 'b v1' },
    model: null,
    options: {},
    tolerances: {},
    notebookId: null,
  };
}

describe('DriftJob', () => {
  it('stores and shows a report', async () => {
    worker.checkDrift = checking;
    const job = new DriftJob('cell');
    const report = await job.run(await inputs());
    expect(job.status).toBe('idle');
    expect(report).toMatchObject({ currentLabel: 'b v1', modelVersionId: null, model: null });
    expect(job.report).toBe(report);
    expect(await database().driftReports.count()).toBe(1);
  });

  it('does not store or show a stale answer when a newer check started', async () => {
    const given = await inputs();
    const answered = deferred();
    const gate = deferred();
    let calls = 0;
    // The first answer is ready before the second check starts, but arrives only after it is done.
    worker.checkDrift = async (request) => {
      const answer = await checking(request);
      if (++calls === 1) {
        answered.resolve();
        await gate.promise;
      }
      return answer;
    };
    const job = new DriftJob('cell');
    const older = job.run(given);
    await answered.promise;
    const newer = await job.run(given);
    gate.resolve();
    expect(await older).toBeNull();
    expect(job.report).toBe(newer);
    expect(job.status).toBe('idle');
    expect((await database().driftReports.toArray()).map((r) => r.id)).toEqual([newer!.id]);
  });

  it('keeps the newer check running when the worker stops the older with Superseded', async () => {
    const given = await inputs();
    const second = deferred();
    let calls = 0;
    worker.checkDrift = async () => {
      if (++calls === 1) {
        await second.promise;
        throw new Superseded('drift:cell');
      }
      return new Promise<DriftResponse>(() => {}); // still working
    };
    const job = new DriftJob('cell');
    const older = job.run(given);
    void job.run(given);
    second.resolve();
    expect(await older).toBeNull();
    expect(job.status).toBe('running');
    expect(job.error).toBeNull();
  });

  it('stores nothing when saving hits the quota, and says why', async () => {
    worker.checkDrift = checking;
    const given = await inputs();
    (database().driftReports as unknown as Record<string, unknown>)['add'] = () => Promise.reject(quotaError());
    const job = new DriftJob('cell');
    expect(await job.run(given)).toBeNull();
    expect(job.status).toBe('error');
    expect(job.error).toBe('Not enough browser storage to keep the drift report. Nothing was stored. Delete dataset versions, runs or models you no longer need, or free disk space, and try again.');
    expect(job.report).toBeNull();
    expect(await database().driftReports.count()).toBe(0);
  });

  it('ends failed with the message of a worker that rejects', async () => {
    worker.checkDrift = () => Promise.reject(new Error('The prediction worker stopped unexpectedly (it crashed); it starts again on the next try.'));
    const job = new DriftJob('cell');
    expect(await job.run(await inputs())).toBeNull();
    expect(job.status).toBe('error');
    expect(job.error).toBe('The drift check failed: The prediction worker stopped unexpectedly (it crashed); it starts again on the next try.');
    expect(await database().driftReports.count()).toBe(0);
  });

  it('fails before the worker when the reference is not stored here and no model brings statistics', async () => {
    worker.checkDrift = () => Promise.reject(new Error('must not be called'));
    const given = await inputs();
    const job = new DriftJob('cell');
    await job.run({ ...given, reference: { ...given.reference, version: null } });
    expect(job.status).toBe('error');
    expect(job.error).toMatch(/^The drift check failed: The reference data is not stored in this browser/);
  });
});
