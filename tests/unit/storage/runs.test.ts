import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import { LabbookDB, splitStoredRun, useDatabase } from '../../../src/lib/storage/db';
import { classificationMetrics } from '../../../src/lib/core/metrics';
import {
  INTERRUPTED_MESSAGE,
  appendEpoch,
  cleanTags,
  createRun,
  finishRun,
  getRun,
  getRunDetails,
  heartbeat,
  listRuns,
  markInterruptedRuns,
  renameRun,
  updateRunNotes,
} from '../../../src/lib/storage/runs';
import type { RunRecord } from '../../../src/lib/storage/records';
import { defaultTrainConfig, type EpochRecord } from '../../../src/lib/core/training';

const database = useFreshDatabase();

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function run(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  const datasetHash = patch.datasetHash ?? HASH_A;
  return {
    id,
    notebookId: 'nb1',
    cellId: 'cell1',
    datasetHash,
    config: defaultTrainConfig(datasetHash, 'sick', 'binary', ['age', 'bmi']),
    fingerprint: 'f'.repeat(64),
    status: 'running',
    statusMessage: null,
    notes: '',
    tags: [],
    reproducesRunId: null,
    createdAt: 1_000,
    heartbeatAt: 1_000,
    endedAt: null,
    durationMs: null,
    backend: null,
    environment: null,
    sizes: null,
    mainMetric: 'auc',
    epochs: [],
    bestEpoch: null,
    stoppedEarly: false,
    preprocessing: null,
    target: null,
    evaluation: null,
    modelVersionId: null,
    ...patch,
  };
}

/** A real binary evaluation, curves included. */
function classificationEvaluation() {
  const yTrue = Uint32Array.from([0, 0, 0, 1, 1, 0, 1, 0]);
  const proba = Float64Array.from([0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.3, 0.7, 0.2, 0.8, 0.7, 0.3, 0.45, 0.55, 0.85, 0.15]);
  return classificationMetrics(yTrue, proba, ['No', 'Yes']);
}

function epoch(n: number, loss: number): EpochRecord {
  return { epoch: n, loss, valLoss: loss + 0.1, metric: 0.7 + n / 100, valMetric: 0.65 + n / 100, ms: 12 };
}

describe('run storage', () => {
  it('stores a run and reads it back as it was', async () => {
    const r = run('r1');
    await createRun(r);
    expect(await getRun('r1')).toEqual(r);
    expect(await getRun('nope')).toBeUndefined();
    await expect(createRun(r)).rejects.toThrow();
  });

  it('appends epochs in order, counts each as a heartbeat, and does not duplicate a retried epoch', async () => {
    await createRun(run('r1'));
    const before = Date.now();
    await appendEpoch('r1', epoch(1, 0.6));
    await appendEpoch('r1', epoch(2, 0.5));
    await appendEpoch('r1', epoch(2, 0.45));
    const stored = (await getRun('r1'))!;
    expect(stored.epochs.map((e) => [e.epoch, e.loss])).toEqual([
      [1, 0.6],
      [2, 0.45],
    ]);
    expect(stored.heartbeatAt).toBeGreaterThanOrEqual(before);
    await expect(appendEpoch('gone', epoch(1, 1))).rejects.toThrow(/no longer exists/);
  });

  it('lists summaries without epochs or curves; getRun and getRunDetails bring them back', async () => {
    const whole = run('r1', { status: 'completed', epochs: [epoch(1, 0.6), epoch(2, 0.5)], evaluation: classificationEvaluation() });
    await createRun(whole);
    const [listed] = await listRuns();
    expect(listed!.epochCount).toBe(2);
    expect('epochs' in listed!).toBe(false);
    expect(listed!.evaluation && 'curves' in listed!.evaluation).toBe(false);
    expect(listed!.evaluation?.task === 'binary' && listed!.evaluation.rocAuc).toBe(whole.evaluation?.task === 'binary' && whole.evaluation.rocAuc);
    const [details, none] = await getRunDetails(['r1', 'nope']);
    expect(details!.epochs).toEqual(whole.epochs);
    expect(details!.curves).toEqual(whole.evaluation?.task === 'binary' ? whole.evaluation.curves : null);
    expect(none).toBeUndefined();
    expect(await getRun('r1')).toEqual(whole);
  });

  it('lists runs newest first, filtered by notebook and by dataset version', async () => {
    await createRun(run('old', { createdAt: 1_000 }));
    await createRun(run('new', { createdAt: 3_000, datasetHash: HASH_B }));
    await createRun(run('mid', { createdAt: 2_000, notebookId: 'nb2' }));
    await createRun(run('loose', { createdAt: 2_500, notebookId: null }));
    expect((await listRuns()).map((r) => r.id)).toEqual(['new', 'loose', 'mid', 'old']);
    expect((await listRuns({ notebookId: 'nb1' })).map((r) => r.id)).toEqual(['new', 'old']);
    expect((await listRuns({ datasetHash: HASH_A })).map((r) => r.id)).toEqual(['loose', 'mid', 'old']);
    expect((await listRuns({ notebookId: 'nb1', datasetHash: HASH_B })).map((r) => r.id)).toEqual(['new']);
    expect(await listRuns({ notebookId: 'nb9' })).toEqual([]);
  });

  it('marks only stale running runs as interrupted, in one go, and says how many', async () => {
    const now = 100_000;
    await createRun(run('stale', { heartbeatAt: now - 60_000 }));
    await createRun(run('fresh', { heartbeatAt: now - 5_000 }));
    await createRun(run('done', { status: 'completed', heartbeatAt: now - 90_000, endedAt: now - 90_000 }));
    await createRun(run('failed', { status: 'failed', heartbeatAt: now - 90_000, statusMessage: 'NaN loss' }));
    expect(await markInterruptedRuns(30_000, now)).toBe(1);
    const stale = (await getRun('stale'))!;
    expect(stale.status).toBe('interrupted');
    expect(stale.statusMessage).toBe(INTERRUPTED_MESSAGE);
    expect(stale.endedAt).toBe(now - 60_000);
    expect((await getRun('fresh'))!.status).toBe('running');
    expect((await getRun('done'))!.status).toBe('completed');
    expect((await getRun('failed'))!.statusMessage).toBe('NaN loss');
    // A heartbeat keeps a run alive; a second sweep finds nothing new.
    await heartbeat('fresh', now + 40_000);
    expect(await markInterruptedRuns(30_000, now + 50_000)).toBe(0);
    expect((await getRun('fresh'))!.status).toBe('running');
  });

  it('with the list of runs whose tab still holds a lock, interrupts the others at once, however fresh', async () => {
    const now = 100_000;
    await createRun(run('closed-tab', { heartbeatAt: now - 1_000 }));
    await createRun(run('other-tab', { heartbeatAt: now - 1_000 }));
    expect(await markInterruptedRuns(30_000, now, new Set(['other-tab']))).toBe(1);
    expect((await getRun('closed-tab'))!.status).toBe('interrupted');
    expect((await getRun('other-tab'))!.status).toBe('running');
  });

  it('finishes a failed run with its message and end time, keeping its epochs', async () => {
    await createRun(run('r1'));
    await appendEpoch('r1', epoch(1, 0.6));
    const before = Date.now();
    const finished = await finishRun('r1', { status: 'failed', statusMessage: 'The loss became NaN at epoch 2.', durationMs: 40 });
    const stored = (await getRun('r1'))!;
    expect(stored).toEqual(finished);
    expect(stored.status).toBe('failed');
    expect(stored.statusMessage).toBe('The loss became NaN at epoch 2.');
    expect(stored.endedAt).toBeGreaterThanOrEqual(before);
    expect(stored.durationMs).toBe(40);
    expect(stored.epochs).toHaveLength(1);
    await finishRun('r1', { status: 'cancelled', endedAt: 5 });
    expect((await getRun('r1'))!.endedAt).toBe(5);
  });

  it('saves notes with tags trimmed, deduplicated and without empty ones; tags are searchable', async () => {
    await createRun(run('r1'));
    await createRun(run('r2'));
    const updated = await updateRunNotes('r1', 'Class weights lifted recall.', [' baseline ', 'weights', '', 'baseline', '  ']);
    expect(updated.tags).toEqual(['baseline', 'weights']);
    const stored = (await getRun('r1'))!;
    expect(stored.notes).toBe('Class weights lifted recall.');
    expect(stored.tags).toEqual(['baseline', 'weights']);
    expect((await database().runs.where('tags').equals('weights').toArray()).map((r) => r.id)).toEqual(['r1']);
    expect(cleanTags(['a', ' a', 'B', 'b'])).toEqual(['a', 'B', 'b']);
    await expect(updateRunNotes('gone', '', [])).rejects.toThrow(/no longer exists/);
  });

  it('names a new run by its model, strategy and a counter per notebook (or dataset), and renames it', async () => {
    const weighted = (id: string, patch: Partial<RunRecord> = {}) => {
      const r = run(id, patch);
      return { ...r, config: { ...r.config, imbalance: 'class-weights' as const } };
    };
    await createRun(run('a', { createdAt: 1 }));
    await createRun(run('b', { createdAt: 2 }));
    await createRun(weighted('c', { createdAt: 3 }));
    await createRun(run('d', { createdAt: 4, notebookId: 'nb2' }));
    await createRun(run('e', { createdAt: 5, notebookId: null }));
    const named = run('f', { createdAt: 6, name: 'kept as given' });
    await createRun(named);
    const names = Object.fromEntries((await listRuns()).map((r) => [r.id, r.name]));
    expect(names).toEqual({ a: 'logreg-1', b: 'logreg-2', c: 'logreg-balanced-1', d: 'logreg-1', e: 'logreg-1', f: 'kept as given' });

    const renamed = await renameRun('a', '  first   try ');
    expect(renamed.name).toBe('first try');
    await expect(renameRun('a', '   ')).rejects.toThrow(/cannot be empty/);
    await expect(renameRun('gone', 'x')).rejects.toThrow(/no longer exists/);
    // A rename made while the run trained outlives its end (the caller's copy has the old name).
    await finishRun('a', { status: 'failed', name: 'logreg-1' });
    expect((await getRun('a'))!.name).toBe('first try');
    // Names never repeat after a rename: the next number is past the highest.
    await createRun(run('g', { createdAt: 7 }));
    expect((await getRun('g'))!.name).toBe('logreg-3');
  });
});

describe('schema upgrade', () => {
  it('opening a version-1 database keeps its notebooks and adds the run and registry tables', async () => {
    const name = `upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(1).stores({
      notebooks: 'id, updatedAt',
      datasets: 'id, &name, updatedAt',
      versions: 'hash, datasetId, [datasetId+version], createdAt',
      chunks: '[hash+index], hash',
    });
    await old.table('notebooks').add({ id: 'nb1', title: 'Heart', cells: [], createdAt: 1, updatedAt: 1 });
    old.close();
    const upgraded = new LabbookDB(name);
    try {
      await upgraded.open();
      expect(upgraded.verno).toBe(8);
      expect((await upgraded.notebooks.get('nb1'))?.title).toBe('Heart');
      await upgraded.runs.add(splitStoredRun(run('r1')).summary);
      expect(await upgraded.runs.count()).toBe(1);
      expect(await upgraded.models.count()).toBe(0);
      expect(await upgraded.modelExtras.count()).toBe(0);
    } finally {
      upgraded.close();
      await upgraded.delete();
    }
  });

  it('opening a version-2 database moves each run’s epochs and curves into runDetails, losing nothing', async () => {
    const name = `upgrade-v2-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores({ notebooks: 'id, updatedAt', datasets: 'id, &name, updatedAt', versions: 'hash, datasetId, [datasetId+version], createdAt', chunks: '[hash+index], hash' });
    v2.version(2).stores({
      runs: 'id, notebookId, datasetHash, status, createdAt, fingerprint, modelVersionId, *tags',
      models: 'name, updatedAt',
      modelVersions: 'id, modelName, &[modelName+version], runId, datasetHash, createdAt',
      modelFiles: '[versionId+path], versionId',
      aliasEvents: '++id, modelName, at',
    });
    const whole = run('r1', { status: 'completed', epochs: [epoch(1, 0.7), epoch(2, 0.6)], evaluation: classificationEvaluation() });
    await v2.table('runs').add(whole);
    v2.close();
    const upgraded = new LabbookDB(name);
    useDatabase(upgraded);
    try {
      await upgraded.open();
      const summary = (await upgraded.runs.get('r1'))!;
      expect('epochs' in summary).toBe(false);
      expect(summary.epochCount).toBe(2);
      expect(summary.evaluation && 'curves' in summary.evaluation).toBe(false);
      expect((await upgraded.runDetails.get('r1'))?.epochs).toHaveLength(2);
      // Read back whole, the run is what was stored.
      expect(await getRun('r1')).toEqual(whole);
    } finally {
      upgraded.close();
      await upgraded.delete();
      useDatabase(database());
    }
  });
});
