import { describe, expect, it } from 'vitest';
import { RetrainJob, combinedName, previousRun, retrainPlan, type RetrainHost, type RetrainInput } from '../../../src/lib/state/retrain.svelte';
import { createCell, insertCell, updateCellConfig, type Cell, type CellConfigs, type CellKind, type CellOf } from '../../../src/lib/core/notebook';
import { defaultTrainConfig } from '../../../src/lib/core/training';
import type { DatasetWithVersions } from '../../../src/lib/storage/datasets';
import type { ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../../../src/lib/storage/records';

const REF = 'r'.repeat(64);
const CUR = 'c'.repeat(64);
const COMBINED = 'b'.repeat(64);

function found(name: string, hash: string) {
  const version = { hash, version: 1 } as unknown as VersionRecord;
  return { dataset: { dataset: { name }, versions: [version] } as unknown as DatasetWithVersions, version };
}

const run = (id: string, datasetHash: string, status: RunSummaryRecord['status'], target = 'sick') =>
  ({ id, datasetHash, status, config: { ...defaultTrainConfig(datasetHash, target, 'binary', ['age']), learningRate: 0.042 } }) as unknown as RunSummaryRecord;

const model = { id: 'v'.repeat(64), runId: 'm1', modelName: 'heart', version: 3 } as unknown as ModelVersionRecord;

/** A notebook on the real cell functions, and imports that store `hash` (or fail with `error`). */
function host(runs: RunSummaryRecord[], outcome: { hash: string | null; error?: string }) {
  let n = 0;
  const combined: { reference: string; current: string; name: string }[] = [];
  const imported: { cellId: string; file: File }[] = [];
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
  const h: RetrainHost = {
    notebook,
    runs: { runs, run: (id) => (id ? runs.find((r) => r.id === id) : undefined) },
    importFor: (cellId) => ({
      error: outcome.error ?? null,
      async start(file: File) {
        imported.push({ cellId, file });
        if (outcome.hash) notebook.updateConfig<'dataset'>(cellId, { versionHash: outcome.hash });
      },
    }),
    async combine(reference, current, name) {
      combined.push({ reference: reference.hash, current: current.hash, name });
      return new File(['a,b\n1,2\n'], name, { type: 'text/csv' });
    },
  };
  return { host: h, notebook, combined, imported };
}

const input: RetrainInput = { reference: found('heart', REF), current: found('clinic', CUR), model: undefined };

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

describe('RetrainJob', () => {
  it('adds a dataset cell with the combined data under the drift cell, then a train cell under it', async () => {
    const runs = [run('p', REF, 'completed')];
    const t = host(runs, { hash: COMBINED });
    const job = new RetrainJob();
    const started = job.start(t.host, 'drift1', input);
    expect(job.busy).toBe(true);
    await started;
    expect(job.busy).toBe(false);
    expect(job.error).toBeNull();
    expect(t.combined).toEqual([{ reference: REF, current: CUR, name: 'heart+clinic.csv' }]);
    expect(t.notebook.cells.map((c) => [c.kind, c.id])).toEqual([
      ['drift', 'drift1'],
      ['dataset', 'new1'],
      ['train', 'new2'],
    ]);
    expect(t.imported.map((i) => [i.cellId, i.file.name])).toEqual([['new1', 'heart+clinic.csv']]);
    const [, ds, train] = t.notebook.cells as [Cell, CellOf<'dataset'>, CellOf<'train'>];
    expect(ds.config).toMatchObject({ versionHash: COMBINED, target: 'sick' });
    expect(train.config.config).toEqual({ ...runs[0]!.config, datasetHash: COMBINED });
    expect(train.config.config?.learningRate).toBe(0.042);
    expect(train.config.modelName).toBe('sick model');
  });

  it('without a previous run adds an empty train cell and sets no target', async () => {
    const t = host([], { hash: COMBINED });
    await new RetrainJob().start(t.host, 'drift1', input);
    const [, ds, train] = t.notebook.cells as [Cell, CellOf<'dataset'>, CellOf<'train'>];
    expect(ds.config.target).toBeNull();
    expect(train.config).toMatchObject({ config: null, modelName: '' });
  });

  it('says why when the combined file was not stored, and adds no train cell', async () => {
    const t = host([run('p', REF, 'completed')], { hash: null, error: 'The browser’s storage is full.' });
    const job = new RetrainJob();
    await job.start(t.host, 'drift1', input);
    expect(job.error).toBe('Retraining could not be set up: The browser’s storage is full.');
    expect(job.busy).toBe(false);
    expect(t.notebook.cells.map((c) => c.kind)).toEqual(['drift', 'dataset']);

    const silent = host([], { hash: null });
    await job.start(silent.host, 'drift1', input);
    expect(job.error).toBe('Retraining could not be set up: the combined file was not stored');
  });
});
