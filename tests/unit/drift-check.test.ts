import { describe, expect, it, vi } from 'vitest';
import { checkDrift, driftCaches, RecentCache, referenceStatsBytes, sideStats, type DriftRequest } from '../../src/lib/drift-run';
import { predictChecked, type PredictRowsFn } from '../../src/lib/predict-run';
import { columnStats, driftReport, type ColumnStats, referenceStatsJson } from '../../src/lib/core/drift';
import { decodeColumns, splitOf, defaultTrainConfig, type DatasetSource } from '../../src/lib/core/training';
import { LatestRequests, Superseded, isSuperseded, Rng } from '../../src/lib/core/common';
import type { PredictionOutput } from '../../src/lib/core/models';
import type { PredictableModel } from '../../src/lib/ml/batch-predict';
import { importText } from './helpers';

function csv(rows: number, seed: number, shift = 0): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,colour,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2 + shift;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]},${x1 + 2 * x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

async function source(text: string): Promise<DatasetSource> {
  const r = await importText(text);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

/** core's statistics of a side, computed directly. */
async function direct(s: DatasetSource, columns: string[], subset?: Uint32Array): Promise<ColumnStats[]> {
  const decoded = await decodeColumns(s, columns);
  return decoded.map((c) => columnStats(c.schema.name, c.schema.type, c.data, subset)).filter((x): x is ColumnStats => x !== null);
}

const COLUMNS = ['x1', 'x2', 'colour'];
const noModel = () => Promise.reject(new Error('a check without a model must not load the model code'));

function request(reference: DatasetSource, current: DatasetSource, extra: Partial<DriftRequest> = {}): DriftRequest {
  return { key: 'cell', requestId: 'cell:1', reference, referenceStats: null, current, columns: COLUMNS, options: {}, model: null, trainingRowsOnly: false, ...extra };
}

/** A stand-in model: its "prediction" of a row is the row's index (regression). */
const fakeModel = { preprocessing: { columns: [{ name: 'x1' }] }, target: { task: 'regression' }, threshold: null } as unknown as PredictableModel;
const fakePredict: PredictRowsFn = async (_model, _columns, rows, subset) => {
  const all = subset ?? Uint32Array.from({ length: rows }, (_, i) => i);
  return { rows: all.length, task: 'regression', classes: [], values: Float64Array.from(all), threshold: null };
};

describe('checkDrift', () => {
  it('gives core driftReport’s result, reuses the reference on the second check, and loads no model code', async () => {
    const [ref, cur] = await Promise.all([source(csv(400, 1)), source(csv(300, 2, 0.8))]);
    const loadPredict = vi.fn(noModel);
    const deps = { ...driftCaches(), loadPredict };
    const expected = driftReport(await direct(ref, COLUMNS), await direct(cur, COLUMNS), {});
    const first = await checkDrift(request(ref, cur), deps);
    expect(first.result).toEqual(expected);
    expect(first.referenceReused).toBe(false);
    expect(first.model).toBeNull();
    const second = await checkDrift(request(ref, cur), deps);
    expect(second.referenceReused).toBe(true);
    expect(second.result).toEqual(first.result);
    expect(loadPredict).not.toHaveBeenCalled();
  });

  it('uses a bundle’s reference statistics when the reference rows are not here', async () => {
    const [ref, cur] = await Promise.all([source(csv(200, 3)), source(csv(200, 4))]);
    const stats = await direct(ref, COLUMNS);
    const out = await checkDrift(request(ref, cur, { reference: null, referenceStats: { datasetHash: ref.hash, columns: stats } }), { ...driftCaches(), loadPredict: noModel });
    expect(out.result).toEqual(driftReport(stats, await direct(cur, COLUMNS), {}));
    expect(out.referenceReused).toBe(false);
  });

  it('keeps the last 4 references: a fifth evicts the oldest', async () => {
    const refs = await Promise.all([5, 6, 7, 8, 9].map((seed) => source(csv(60, seed))));
    const cur = await source(csv(60, 10));
    const deps = { ...driftCaches(), loadPredict: noModel };
    for (const ref of refs) expect((await checkDrift(request(ref, cur), deps)).referenceReused).toBe(false);
    expect(deps.references.size).toBe(4);
    expect((await checkDrift(request(refs[4]!, cur), deps)).referenceReused).toBe(true);
    expect((await checkDrift(request(refs[0]!, cur), deps)).referenceReused).toBe(false);

    const cache = new RecentCache<number>(4);
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, 1);
    cache.get('a'); // read: now the newest
    cache.set('e', 1);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => cache.has(k))).toEqual(['a', 'c', 'd', 'e']);
  });

  it('uses only the training split’s rows of the model’s dataset with trainingRowsOnly', async () => {
    const [ref, cur] = await Promise.all([source(csv(400, 11)), source(csv(300, 12))]);
    const config = defaultTrainConfig(ref.hash, 'label', 'binary', COLUMNS);
    const [target] = await decodeColumns(ref, ['label']);
    const train = splitOf(config, target!).split.train;
    expect(train.length).toBeLessThan(ref.rows);
    const predictRows = vi.fn(fakePredict);
    const model = { versionId: 'v1', model: fakeModel, target: 'label', test: null, config };
    const deps = { ...driftCaches(), loadPredict: async () => predictRows };
    const out = await checkDrift(request(ref, cur, { model, trainingRowsOnly: true }), deps);
    expect(out.result).toEqual(driftReport(await direct(ref, COLUMNS, train), await direct(cur, COLUMNS), {}));
    // The reference was predicted on its training rows only.
    expect(predictRows.mock.calls[0]![3]).toEqual(train);
    expect(out.model?.prediction).not.toBeNull();
    // All rows of the same dataset, with the same model: neither the statistics nor the predictions are reused.
    const all = await checkDrift(request(ref, cur, { model, trainingRowsOnly: false }), deps);
    expect(all.referenceReused).toBe(false);
    // No subset: every one of the reference's rows.
    expect(predictRows.mock.calls.at(-2)![2]).toBe(ref.rows);
    expect(predictRows.mock.calls.at(-2)![3]).toBeUndefined();
  });

  it('a superseded check throws Superseded; the newer one completes', async () => {
    const [ref, cur] = await Promise.all([source(csv(300, 13)), source(csv(300, 14))]);
    const latest = new LatestRequests();
    const deps = { ...driftCaches(), loadPredict: noModel };
    const older = latest.run({ key: 'cell', requestId: 'cell:1' }, (token) => checkDrift(request(ref, cur), { ...deps, token }));
    const newer = latest.run({ key: 'cell', requestId: 'cell:2' }, (token) => checkDrift(request(ref, cur, { requestId: 'cell:2' }), { ...deps, token }));
    const err = await older.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Superseded);
    expect(isSuperseded(err)).toBe(true);
    // Comlink carries an error's name and message, not its class.
    expect(isSuperseded(Object.assign(new Error('x'), { name: 'Superseded' }))).toBe(true);
    const done = await newer;
    expect(done.result).toEqual(driftReport(await direct(ref, COLUMNS), await direct(cur, COLUMNS), {}));
    // Another cell's request is not affected.
    await expect(latest.run({ key: 'other', requestId: 'other:1' }, (token) => checkDrift(request(ref, cur), { ...deps, token }))).resolves.toBeTruthy();
  });
});

describe('shared side statistics', () => {
  it('the data worker’s reference-stats.json bytes are the shared sideStats on the training split', async () => {
    const ref = await source(csv(500, 15));
    const config = defaultTrainConfig(ref.hash, 'label', 'binary', COLUMNS);
    const columns = [...COLUMNS, 'label'];
    const [target] = await decodeColumns(ref, ['label']);
    const train = splitOf(config, target!).split.train;
    const bytes = await referenceStatsBytes(ref, columns, config);
    const shared = new TextEncoder().encode(referenceStatsJson(ref.hash, train.length, await sideStats(ref, columns, train)));
    expect(bytes).toEqual(shared);
    // The same as the statistics computed directly (the data worker's former code).
    expect(bytes).toEqual(new TextEncoder().encode(referenceStatsJson(ref.hash, train.length, await direct(ref, columns, train))));
    // Without a config: every row.
    const allBytes = await referenceStatsBytes(ref, columns, null);
    expect(allBytes).toEqual(new TextEncoder().encode(referenceStatsJson(ref.hash, ref.rows, await direct(ref, columns))));
  });
});

describe('predictChecked', () => {
  it('hands the token to the model between batches: one load, and a newer request stops it there', async () => {
    const latest = new LatestRequests();
    let loads = 0;
    const predict: PredictRowsFn = async (m, c, r, subset, step) => {
      loads++;
      for (let batch = 0; batch < 3; batch++) {
        await step?.();
        // A newer request for the same cell arrives during the second batch.
        if (batch === 1) latest.begin({ key: 'cell', requestId: 'b' });
      }
      return fakePredict(m, c, r, subset);
    };
    const whole: PredictionOutput = await fakePredict(fakeModel, [], 10);
    expect(await predictChecked(predict, fakeModel, [], 10, undefined)).toEqual(whole);
    await expect(latest.run({ key: 'cell', requestId: 'a' }, (token) => predictChecked(predict, fakeModel, [], 10, undefined, token))).rejects.toThrow(/newer request/);
    expect(loads).toBe(2);
  });
});
