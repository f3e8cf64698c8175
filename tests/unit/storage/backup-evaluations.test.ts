import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LabbookDB, useDatabase } from '../../../src/lib/storage/db';
import { useFreshDatabase } from './fresh-db';
import { memorySink, writeArchive } from '../../../src/lib/storage/backup-write';
import { restoreArchive } from '../../../src/lib/storage/backup-restore';
import { changeSignature } from '../../../src/lib/storage/backup-status';
import { describeReport } from '../../../src/lib/core/backup';
import type { EvaluationRecord } from '../../../src/lib/storage/records';

/* eslint-disable @typescript-eslint/no-explicit-any */
const getDb = useFreshDatabase();

const evaluation: EvaluationRecord = {
  id: 'ev1',
  createdAt: 50,
  notebookId: 'nb1',
  cellId: 'c3',
  cellFingerprint: 'c'.repeat(64),
  datasetHash: 'h2',
  datasetLabel: 'heart-new v1 (4 labelled rows)',
  target: 'disease',
  models: [
    { ref: { kind: 'alias', modelName: 'heart', alias: 'champion' }, versionId: 'mv1', label: 'heart v1 @champion', threshold: 0.5 },
    { ref: { kind: 'version', versionId: 'mv2' }, versionId: 'mv2', label: 'heart v2', threshold: 0.35 },
  ],
  modelVersionIds: ['mv1', 'mv2'],
  evaluation: {
    task: 'binary',
    rows: 4,
    resamples: 10,
    seed: 42,
    metricKeys: ['rocAuc'],
    // An undefined interval (NaN) must come back as NaN, not null.
    models: [
      { name: 'heart v1 @champion', metrics: [{ metric: 'rocAuc', value: 0.75, interval: { low: NaN, high: NaN }, undefinedResamples: 10 }] },
      { name: 'heart v2', metrics: [{ metric: 'rocAuc', value: 1, interval: { low: 0.5, high: 1 }, undefinedResamples: 2 }] },
    ],
    comparisons: [
      {
        champion: 'heart v1 @champion',
        challenger: 'heart v2',
        disagreement: { rows: 1, share: 0.25 },
        differences: [{ metric: 'rocAuc', lowerIsBetter: false, difference: 0.25, interval: { low: NaN, high: NaN }, verdict: 'undefined', words: 'cannot tell on ROC AUC' }],
        overall: { verdict: 'none', words: 'no clear difference' },
      },
    ],
  },
  rehearsals: [],
  ms: 12,
};

async function seed(d: LabbookDB): Promise<void> {
  await d.notebooks.put({ id: 'nb1', title: 'Eval', createdAt: 1, updatedAt: 2, cells: [
    { id: 'c3', kind: 'evaluate', config: { datasetHash: 'h2', models: [{ kind: 'alias', modelName: 'heart', alias: 'champion' }, { kind: 'version', versionId: 'mv2' }], resamples: 1000, seed: 42, canaryShare: 0.05, abShare: 0.5, evaluationId: 'ev1' } },
  ] } as any);
  await d.datasets.put({ id: 'd1', name: 'heart', createdAt: 1, updatedAt: 1 });
  await d.versions.put({ hash: 'h1', datasetId: 'd1', version: 1, storedBytes: 1, chunkCount: 0, dictBlob: new Blob(['[]']), schema: [], profile: {} } as any);
  await d.versions.put({ hash: 'h2', datasetId: 'd1', version: 2, storedBytes: 1, chunkCount: 0, dictBlob: new Blob(['[]']), schema: [], profile: {} } as any);
  await d.models.put({ name: 'heart', createdAt: 1, updatedAt: 1, latestVersion: 2, aliases: { champion: 'mv1' } });
  await d.modelVersions.put({ id: 'mv1', modelName: 'heart', version: 1, runId: 'r1', datasetHash: 'h1' } as any);
  await d.modelVersions.put({ id: 'mv2', modelName: 'heart', version: 2, runId: 'r2', datasetHash: 'h1' } as any);
  await d.aliasEvents.add({ modelName: 'heart', alias: 'champion', from: null, to: 'mv1', at: 5, by: 'Ada', why: 'first', evaluationId: 'ev1' });
  await d.evaluations.put(evaluation);
}

async function archive(options: Partial<Parameters<typeof writeArchive>[1]> = {}): Promise<Blob> {
  const sink = memorySink();
  await writeArchive(sink, { format: 'labbook-workspace', appVersion: 'test', now: 0, ...options });
  return new Blob(sink.chunks as Uint8Array<ArrayBuffer>[]);
}

async function fresh(): Promise<LabbookDB> {
  const d = new LabbookDB(`restore-${Math.random()}`);
  useDatabase(d);
  await d.open();
  return d;
}

describe('evaluations in backups', () => {
  it('round-trips an evaluation (NaN intervals included) and a promotion’s alias event into a fresh database', async () => {
    await seed(getDb());
    const zip = await archive();
    const target = await fresh();
    const report = await restoreArchive(zip, 'b.zip');
    expect(report.added.evaluations).toBe(1);
    expect(describeReport(report)).toContain('1 evaluation');
    const back = await target.evaluations.get('ev1');
    expect(back).toEqual(evaluation);
    expect(Number.isNaN(back!.evaluation.models[0]!.metrics[0]!.interval.low)).toBe(true);
    expect(await target.evaluations.where('modelVersionIds').equals('mv2').primaryKeys()).toEqual(['ev1']);
    const [event] = await target.aliasEvents.toArray();
    expect(event).toMatchObject({ by: 'Ada', why: 'first', evaluationId: 'ev1' });
    // Restored again: already had it.
    expect((await restoreArchive(zip, 'b.zip')).alreadyHad.evaluations).toBe(1);
  });

  it('exports a notebook with its evaluation, the data it ran on and the versions it compared', async () => {
    await seed(getDb());
    const zip = await archive({ format: 'labbook-notebook', notebookId: 'nb1' });
    const target = await fresh();
    await restoreArchive(zip, 'nb.zip');
    expect(await target.evaluations.count()).toBe(1);
    // mv1 is named through an alias: the stored evaluation brings it along, with the data (h2) and its training data (h1).
    expect((await target.modelVersions.toCollection().primaryKeys()).sort()).toEqual(['mv1', 'mv2']);
    expect((await target.versions.toCollection().primaryKeys()).sort()).toEqual(['h1', 'h2']);
  });

  it('counts a new evaluation as a change for automatic backups', async () => {
    await seed(getDb());
    const before = await changeSignature();
    await getDb().evaluations.put({ ...evaluation, id: 'ev2' });
    expect(await changeSignature()).not.toBe(before);
  });
});
