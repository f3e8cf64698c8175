import { describe, expect, it } from 'vitest';
import { RetrainJob, combinedName, evaluateModels, holdoutName, previousRun, retrainDerivation, retrainPlan, type RetrainHost, type RetrainInput } from '../../../src/lib/state/retrain.svelte';
import { createCell, insertCell, updateCellConfig, type Cell, type CellConfigs, type CellKind, type CellOf } from '../../../src/lib/core/notebook';
import { defaultTrainConfig } from '../../../src/lib/core/training';
import type { DatasetWithVersions } from '../../../src/lib/storage/datasets';
import type { Derivation, ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../../../src/lib/storage/records';
import { HOLDOUT_SEED, HOLDOUT_SHARE, retrainCsvs } from '../../../src/lib/retrain-split';
import { deriveSeed, normalizeSeed } from '../../../src/lib/core/common';
import { rowUniform } from '../../../src/lib/core/evaluate';
import { recipeHash } from '../../../src/lib/core/prepare';
import type { CombineSide } from '../../../src/lib/core/models';

const REF = 'r'.repeat(64);
const CUR = 'c'.repeat(64);
const COMBINED = 'b'.repeat(64);
const HOLDOUT = 'h'.repeat(64);

function found(name: string, hash: string) {
  const version = { hash, version: 1 } as unknown as VersionRecord;
  return { dataset: { dataset: { name }, versions: [version] } as unknown as DatasetWithVersions, version };
}

const run = (id: string, datasetHash: string, status: RunSummaryRecord['status'], target = 'sick') =>
  ({ id, datasetHash, status, config: { ...defaultTrainConfig(datasetHash, target, 'binary', ['age']), learningRate: 0.042 } }) as unknown as RunSummaryRecord;

const model = { id: 'v'.repeat(64), runId: 'm1', modelName: 'heart', version: 3 } as unknown as ModelVersionRecord;

/**
 * A notebook on the real cell functions, a split on the real rule (lib/retrain-split) over
 * `currentRows` new rows with ids 0..n-1, and a store that records what it was given and
 * returns a hash per dataset (or fails with `failOn`'s message).
 */
function host(runs: RunSummaryRecord[], opts: { currentRows?: number; failOn?: string; aliases?: Record<string, string> } = {}) {
  let n = 0;
  const split: { reference: string; current: string; names: { combined: string; holdout: string }; seed: number; share: number }[] = [];
  const stored: { fileName: string; datasetName: string; derivation: Derivation; text: string }[] = [];
  const notebook = {
    cells: [createCell('drift', 'drift1')] as Cell[],
    addCell<K extends CellKind>(kind: K, config?: Partial<CellConfigs[K]>, afterId?: string | null): CellOf<K> {
      const cell = createCell(kind, `new${++n}`, config);
      notebook.cells = insertCell(notebook.cells, cell, afterId);
      return cell;
    },
    updateConfig<K extends CellKind>(id: string, patch: Partial<CellConfigs[K]>): void {
      notebook.cells = updateCellConfig<K>(notebook.cells, id, patch);
    },
  };
  const rows = opts.currentRows ?? 40;
  const sideOf = (count: number, offset: number): CombineSide => ({ names: ['id'], columns: [{ kind: 'num', values: Float64Array.from({ length: count }, (_, i) => offset + i) }], rows: count });
  const h: RetrainHost = {
    notebook,
    runs: { runs, run: (id) => (id ? runs.find((r) => r.id === id) : undefined) },
    aliases: (name) => (name === 'heart' ? (opts.aliases ?? {}) : undefined),
    async split(reference, current, names, seed, share) {
      split.push({ reference: reference.hash, current: current.hash, names, seed, share });
      const out = retrainCsvs(sideOf(3, 1000), sideOf(rows, 0), seed, share);
      return {
        combined: new File(out.combined, names.combined, { type: 'text/csv' }),
        holdout: new File(out.holdout, names.holdout, { type: 'text/csv' }),
        referenceRows: out.referenceRows,
        keptRows: out.keptRows,
        holdoutRows: out.holdoutRows,
      };
    },
    async store(file, datasetName, derivation) {
      if (opts.failOn === datasetName) throw new Error('The browser’s storage is full.');
      stored.push({ fileName: file.name, datasetName, derivation, text: await file.text() });
      return { hash: datasetName === 'clinic-holdout' ? HOLDOUT : COMBINED, status: 'created' };
    },
  };
  return { host: h, notebook, split, stored };
}

/** The ids in a stored CSV (header dropped). */
const idsOf = (text: string) => text.split('\r\n').slice(1, -1).map(Number);

const input: RetrainInput = { reference: found('heart', REF), current: found('clinic', CUR), model: undefined, reportId: 'report-1' };

describe('retrain plan', () => {
  it('names the combined file after both datasets', () => {
    expect(combinedName(input)).toBe('heart+clinic.csv');
  });

  it('takes the model version’s run, else the newest completed run on the reference', () => {
    const runs = [run('failed', REF, 'failed'), run('new', REF, 'completed'), run('old', REF, 'completed'), run('m1', 'x'.repeat(64), 'completed')];
    const records = { runs, run: (id: string | null | undefined) => runs.find((r) => r.id === id) };
    expect(previousRun(records, model, REF)?.id).toBe('m1');
    expect(previousRun(records, undefined, REF)?.id).toBe('new');
    expect(previousRun({ runs: [], run: () => undefined }, model, REF)).toBeUndefined();
  });

  it('puts the previous config on the combined version, named after the model or the target', () => {
    const prev = run('p', REF, 'completed');
    expect(retrainPlan(prev, model, COMBINED)).toEqual({ train: { config: { ...prev.config, datasetHash: COMBINED }, modelName: 'heart' }, target: 'sick' });
    expect(retrainPlan(prev, undefined, COMBINED).train.modelName).toBe('sick model');
    expect(retrainPlan(undefined, undefined, COMBINED)).toEqual({ train: { config: null, modelName: '' }, target: null });
  });
});


/** The split rule written out again: new row i is held out when its hash draw is below the share. */
function heldOutByHand(n: number, seed = HOLDOUT_SEED, share = HOLDOUT_SHARE): number[] {
  const stream = deriveSeed(normalizeSeed(seed), 'retrain-holdout');
  return [...Array(n).keys()].filter((i) => rowUniform(stream, i) < share);
}

describe('evaluate models', () => {
  const prev = { ...run('p', REF, 'completed'), modelVersionId: 'w'.repeat(64) } as RunSummaryRecord;
  it('puts the model’s @champion first when it has one, else the checked version, else the previous run’s', () => {
    expect(evaluateModels(model, { champion: 'x'.repeat(64) }, prev, 'cellT')).toEqual([
      { kind: 'alias', modelName: 'heart', alias: 'champion' },
      { kind: 'cell', cellId: 'cellT' },
    ]);
    expect(evaluateModels(model, { staging: 'x'.repeat(64) }, prev, 'cellT')).toEqual([
      { kind: 'version', versionId: model.id },
      { kind: 'cell', cellId: 'cellT' },
    ]);
    expect(evaluateModels(undefined, undefined, prev, 'cellT')).toEqual([
      { kind: 'version', versionId: 'w'.repeat(64) },
      { kind: 'cell', cellId: 'cellT' },
    ]);
    expect(evaluateModels(undefined, undefined, undefined, 'cellT')).toEqual([{ kind: 'cell', cellId: 'cellT' }]);
  });

  it('names the holdout after the new data', () => {
    expect(holdoutName(input)).toBe('clinic-holdout');
  });
});

describe('RetrainJob', () => {
  it('stores the training version and the holdout, then adds dataset, train and evaluate cells under the drift cell', async () => {
    const runs = [run('m1', REF, 'completed')];
    const t = host(runs, { aliases: { champion: 'x'.repeat(64) } });
    const job = new RetrainJob();
    const started = job.start(t.host, 'drift1', { ...input, model });
    expect(job.busy).toBe(true);
    await started;
    expect(job.busy).toBe(false);
    expect(job.error).toBeNull();
    expect(t.split).toEqual([{ reference: REF, current: CUR, names: { combined: 'heart+clinic.csv', holdout: 'clinic-holdout.csv' }, seed: 42, share: 0.3 }]);
    expect(t.notebook.cells.map((c) => [c.kind, c.id])).toEqual([
      ['drift', 'drift1'],
      ['dataset', 'new1'],
      ['train', 'new2'],
      ['evaluate', 'new3'],
    ]);
    const [, ds, train, evaluate] = t.notebook.cells as [Cell, CellOf<'dataset'>, CellOf<'train'>, CellOf<'evaluate'>];
    expect(ds.config).toMatchObject({ versionHash: COMBINED, target: 'sick' });
    expect(train.config.config).toEqual({ ...runs[0]!.config, datasetHash: COMBINED });
    expect(train.config.modelName).toBe('heart');
    expect(train.config.retrainedFrom).toBe('report-1');
    expect(evaluate.config.datasetHash).toBe(HOLDOUT);
    expect(evaluate.config.models).toEqual([
      { kind: 'alias', modelName: 'heart', alias: 'champion' },
      { kind: 'cell', cellId: 'new2' },
    ]);
  });

  it('splits the new rows by the seeded rule: none in both files, counts add up, the same rows every time', async () => {
    const held = heldOutByHand(40);
    const kept = [...Array(40).keys()].filter((i) => !held.includes(i));
    const t = host([run('p', REF, 'completed')]);
    const job = new RetrainJob();
    await job.start(t.host, 'drift1', input);
    await job.start(t.host, 'drift1', input);
    const [combined, holdout, again, againHoldout] = t.stored;
    expect(t.stored.map((s) => [s.fileName, s.datasetName])).toEqual([
      ['heart+clinic.csv', 'heart+clinic'],
      ['clinic-holdout.csv', 'clinic-holdout'],
      ['heart+clinic.csv', 'heart+clinic'],
      ['clinic-holdout.csv', 'clinic-holdout'],
    ]);
    expect(idsOf(holdout!.text)).toEqual(held);
    expect(idsOf(combined!.text)).toEqual([1000, 1001, 1002, ...kept]);
    expect(held.length + kept.length).toBe(40);
    expect(held.length).toBeGreaterThan(0);
    expect(idsOf(combined!.text).filter((id) => held.includes(id))).toEqual([]);
    expect(again!.text).toBe(combined!.text);
    expect(againHoldout!.text).toBe(holdout!.text);
    expect(job.notice).toBe(`Training on 3 reference rows + ${kept.length} new rows; ${held.length} new rows held out as “clinic-holdout” for the evaluation.`);
  });

  it('records each version’s derivation: parents, an empty recipe with its hash, and the operation', async () => {
    const t = host([run('p', REF, 'completed')]);
    await new RetrainJob().start(t.host, 'drift1', input);
    const [combined, holdout] = t.stored;
    expect(combined!.derivation).toEqual({
      parents: [REF, CUR],
      recipe: { steps: [] },
      recipeHash: await recipeHash({ steps: [] }, [REF, CUR]),
      operation: { kind: 'retrain-train', seed: 42, share: 0.3, note: 'Every row of the reference, then the 70% of the new data\'s rows not held out (seeded by row)' },
    });
    expect(holdout!.derivation).toEqual({
      parents: [CUR],
      recipe: { steps: [] },
      recipeHash: await recipeHash({ steps: [] }, [CUR]),
      operation: { kind: 'retrain-holdout', seed: 42, share: 0.3, note: 'The 30% of the rows held out for the evaluation (seeded by row)' },
    });
    expect(combined!.derivation.recipeHash).not.toBe(holdout!.derivation.recipeHash);
    expect(await retrainDerivation([CUR], { kind: 'retrain-holdout', seed: 1, share: 0.5, note: '' })).toMatchObject({ parents: [CUR], recipe: { steps: [] } });
  });

  it('without a champion evaluates against the checked version; without a report sets no retrainedFrom', async () => {
    const t = host([run('m1', REF, 'completed')], { aliases: { staging: model.id } });
    await new RetrainJob().start(t.host, 'drift1', { ...input, model, reportId: null });
    const [, , train, evaluate] = t.notebook.cells as [Cell, CellOf<'dataset'>, CellOf<'train'>, CellOf<'evaluate'>];
    expect(train.config.retrainedFrom).toBeUndefined();
    expect(evaluate.config.models).toEqual([
      { kind: 'version', versionId: model.id },
      { kind: 'cell', cellId: 'new2' },
    ]);
  });

  it('without a previous run adds an empty train cell and sets no target', async () => {
    const t = host([]);
    await new RetrainJob().start(t.host, 'drift1', input);
    const [, ds, train, evaluate] = t.notebook.cells as [Cell, CellOf<'dataset'>, CellOf<'train'>, CellOf<'evaluate'>];
    expect(ds.config.target).toBeNull();
    expect(train.config).toMatchObject({ config: null, modelName: '', retrainedFrom: 'report-1' });
    expect(evaluate.config.models).toEqual([{ kind: 'cell', cellId: 'new2' }]);
  });

  it('with no row held out stores no holdout and leaves the evaluate cell’s data to choose', async () => {
    const t = host([run('p', REF, 'completed')], { currentRows: 5 });
    const job = new RetrainJob();
    await job.start(t.host, 'drift1', input, 42, 0);
    expect(t.stored.map((s) => s.datasetName)).toEqual(['heart+clinic']);
    expect(idsOf(t.stored[0]!.text)).toEqual([1000, 1001, 1002, 0, 1, 2, 3, 4]);
    const evaluate = t.notebook.cells[3] as CellOf<'evaluate'>;
    expect(evaluate.config.datasetHash).toBeNull();
    expect(job.notice).toBe('Training on 3 reference rows + 5 new rows; the new data is too small to hold rows out: choose labelled data in the Evaluate models cell.');
  });

  it('says why when a version was not stored, and adds no cell', async () => {
    for (const failOn of ['heart+clinic', 'clinic-holdout']) {
      const t = host([run('p', REF, 'completed')], { failOn });
      const job = new RetrainJob();
      await job.start(t.host, 'drift1', input);
      expect(job.error).toBe('Retraining could not be set up: The browser’s storage is full.');
      expect(job.busy).toBe(false);
      expect(job.notice).toBeNull();
      expect(t.notebook.cells.map((c) => c.kind)).toEqual(['drift']);
    }
  });
});
