import { describe, expect, it } from 'vitest';
import { createCell, stampCell, updateCellConfig, type Cell, type CellConfigs, type CellKind, type CellOf, type CellRunStamp } from '../../../src/lib/core/notebook';
import { defaultTrainConfig } from '../../../src/lib/core/training';
import { PipelineState, type PipelineHost } from '../../../src/lib/state/pipeline.svelte';
import type { CellRunner, CellRunResult } from '../../../src/lib/state/cell-run';
import type { NotebookState } from '../../../src/lib/state/notebook.svelte';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);

/** The parts of a notebook the pipeline uses, kept in memory. */
class FakeNotebook {
  id = 'nb';
  constructor(public cells: Cell[]) {}
  updateConfig<K extends CellKind>(id: string, patch: Partial<CellConfigs[K]>): void {
    this.cells = updateCellConfig<K>(this.cells, id, patch);
  }
  stamp(id: string, stamp: CellRunStamp | undefined): void {
    this.cells = stampCell(this.cells, id, stamp);
  }
}

/** dataset -> train -> predict, with runners that record what they ran and a registry that grows. */
function setup() {
  const notebook = new FakeNotebook([
    createCell('dataset', 'd', { versionHash: H1 }),
    createCell('markdown', 'm', { text: 'why' }),
    createCell('train', 't', { config: defaultTrainConfig(H1, 'y', 'binary', ['x']), modelName: 'heart', runIds: [] }),
    createCell('predict', 'q', { datasetHash: H1, modelVersionId: null }),
  ]);
  const ran: string[] = [];
  const versionRuns = new Map<string, string>();
  let trains = 0;
  let trainResult: (() => Promise<CellRunResult>) | null = null;
  const runners: { [K in CellKind]?: CellRunner<K> } = {
    dataset: async (cell) => {
      ran.push(cell.id);
      return { status: 'done', outputs: { datasetHash: cell.config.versionHash ?? '' } };
    },
    train: async (cell, context) => {
      ran.push(cell.id);
      if (trainResult) return trainResult();
      trains += 1;
      const runId = `r${trains}`;
      const versionId = `mv${trains}`;
      versionRuns.set(versionId, runId);
      context.notebook.updateConfig<'train'>(cell.id, { runIds: [...cell.config.runIds, runId] });
      return { status: 'done', outputs: { runId, modelVersionId: versionId } };
    },
    predict: async (cell, context) => {
      ran.push(`${cell.id}:${cell.config.modelVersionId}`);
      context.notebook.updateConfig<'predict'>(cell.id, { predictionId: `p-${cell.config.modelVersionId}` });
      return { status: 'done', outputs: { predictionId: `p-${cell.config.modelVersionId}` } };
    },
  };
  const deleted = new Set<string>();
  const host: PipelineHost = {
    context: () => ({ modelVersionRuns: versionRuns }),
    outputsExist: async (o) => !Object.values(o).some((v) => deleted.has(v as string)),
    listOutputs: async () => undefined,
    runner: (kind) => (runners[kind] as never) ?? null,
  };
  const pipeline = new PipelineState(host);
  const nb = notebook as unknown as NotebookState;
  return { notebook, nb, pipeline, ran, deleted, setTrainResult: (f: typeof trainResult) => (trainResult = f) };
}

const states = (p: PipelineState) => p.steps.map((s) => `${s.cellId}:${s.state}`);

describe('PipelineState.runAll', () => {
  it('skips a cell that cannot run yet, then runs it once its upstream produced what it reads', async () => {
    const { notebook, nb, pipeline, ran } = setup();
    // The predict cell has no model yet: it is not set up, so the first Run all skips it.
    const first = await pipeline.runAll(nb);
    expect(ran).toEqual(['d', 't']);
    expect(states(pipeline)).toEqual(['d:done', 'm:skipped', 't:done', 'q:skipped']);
    expect(first).toMatchObject({ ran: 2, cached: 0, skipped: 2, failed: 0, cancelled: false });
    // Each result is stamped with the fingerprint it ran with.
    const t = notebook.cells[2]!;
    expect(t.lastRun?.fingerprint).toBe(pipeline.fingerprints.get('t'));
    expect(t.lastRun?.outputs).toEqual({ runId: 'r1', modelVersionId: 'mv1' });
    expect(t.lastRun?.by).toBe('run-all');
  });

  it('runs a second time with every cell cached, and after a learning-rate change re-runs train and predict only', async () => {
    const { notebook, nb, pipeline, ran } = setup();
    notebook.updateConfig<'predict'>('q', { modelVersionId: null });
    await pipeline.runAll(nb);
    // Point the predict cell at the trained model, as a user would.
    notebook.updateConfig<'predict'>('q', { modelVersionId: 'mv1' });
    await pipeline.runAll(nb);
    expect(ran).toEqual(['d', 't', 'q:mv1']);
    ran.length = 0;
    const again = await pipeline.runAll(nb);
    expect(ran).toEqual([]);
    expect(states(pipeline)).toEqual(['d:cached', 'm:skipped', 't:cached', 'q:cached']);
    expect(pipeline.steps.find((s) => s.cellId === 'q')?.reason).toBe('up to date (cached)');
    expect(again).toMatchObject({ ran: 0, cached: 3, failed: 0 });

    const train = notebook.cells[2] as CellOf<'train'>;
    notebook.updateConfig<'train'>('t', { config: { ...train.config.config!, learningRate: 0.05 } });
    await pipeline.runAll(nb);
    // The new model version reaches the predict cell before it runs.
    expect(ran).toEqual(['t', 'q:mv2']);
    expect(states(pipeline)).toEqual(['d:cached', 'm:skipped', 't:done', 'q:done']);
    expect((notebook.cells[3] as CellOf<'predict'>).config.modelVersionId).toBe('mv2');
  });

  it('re-runs a cached cell whose result was deleted', async () => {
    const { notebook, nb, pipeline, ran, deleted } = setup();
    notebook.updateConfig<'predict'>('q', { modelVersionId: null });
    await pipeline.runAll(nb);
    ran.length = 0;
    deleted.add('r1');
    await pipeline.runAll(nb);
    expect(ran[0]).toBe('t');
  });

  it('skips what reads a failed cell, and says why', async () => {
    const { nb, pipeline, ran, setTrainResult, notebook } = setup();
    await pipeline.runAll(nb);
    notebook.updateConfig<'predict'>('q', { modelVersionId: 'mv1' });
    const train = notebook.cells[2] as CellOf<'train'>;
    notebook.updateConfig<'train'>('t', { config: { ...train.config.config!, learningRate: 0.05 } });
    ran.length = 0;
    setTrainResult(async () => ({ status: 'failed', error: 'out of memory' }));
    const summary = await pipeline.runAll(nb);
    expect(summary).toMatchObject({ ran: 0, cached: 1, failed: 1, skipped: 2 });
    expect(pipeline.step('t')).toMatchObject({ state: 'failed', reason: 'out of memory' });
    expect(pipeline.step('q')).toMatchObject({ state: 'skipped', reason: 'waits for cell 3, which failed' });
    expect(ran).toEqual(['t']);
    // The failed run leaves the last good stamp as it was (now stale).
    expect(notebook.cells[2]!.lastRun?.outputs.modelVersionId).toBe('mv1');
  });

  it('stops on Cancel: the running cell ends cancelled and no later cell starts', async () => {
    const { nb, pipeline, ran, setTrainResult, notebook } = setup();
    notebook.updateConfig<'predict'>('q', { modelVersionId: 'mv-old' });
    let release: (r: CellRunResult) => void = () => undefined;
    setTrainResult(() => new Promise((resolve) => (release = resolve)));
    const running = pipeline.runAll(nb);
    await new Promise((r) => setTimeout(r, 20));
    expect(pipeline.running).toBe(true);
    pipeline.cancel();
    release({ status: 'cancelled' });
    const summary = await running;
    expect(summary?.cancelled).toBe(true);
    expect(states(pipeline)).toEqual(['d:done', 'm:skipped', 't:cancelled', 'q:cancelled']);
    expect(ran).toEqual(['d', 't']);
  });
});

describe('a dataset cell given a new file', () => {
  it('keeps its readers linked: they turn stale, and Run all moves them to the new version before running them', async () => {
    const { notebook, nb, pipeline, ran } = setup();
    await pipeline.runAll(nb);
    notebook.updateConfig<'predict'>('q', { modelVersionId: 'mv1' });
    await pipeline.runAll(nb);
    ran.length = 0;
    // The cell imports another file: it now shows H2; the train and predict cells still read H1.
    notebook.updateConfig<'dataset'>('d', { versionHash: H2 });
    await pipeline.refresh(nb);
    expect(notebook.cells.map((c) => pipeline.status(c).state)).toEqual(['stale', 'none', 'stale', 'stale']);
    await pipeline.runAll(nb);
    expect(ran).toEqual(['d', 't', 'q:mv2']);
    const train = notebook.cells[2] as CellOf<'train'>;
    const predict = notebook.cells[3] as CellOf<'predict'>;
    expect(train.config.config?.datasetHash).toBe(H2);
    expect(predict.config.datasetHash).toBe(H2);
    expect(predict.config.modelVersionId).toBe('mv2');
  });
});

describe('PipelineState.runCell and status', () => {
  it('stamps a cell run by its own button, so Run all finds it up to date', async () => {
    const { notebook, nb, pipeline, ran } = setup();
    await pipeline.refresh(nb);
    expect(pipeline.status(notebook.cells[0]!).state).toBe('never');
    await pipeline.runCell(nb, 'd');
    await pipeline.refresh(nb);
    const status = pipeline.status(notebook.cells[0]!);
    expect(status.state).toBe('current');
    expect(notebook.cells[0]!.lastRun?.by).toBe('cell');
    ran.length = 0;
    await pipeline.runAll(nb);
    expect(ran).toEqual(['t']);
    expect(pipeline.step('d')?.state).toBe('cached');
    // A new version in the dataset cell makes it and everything reading it stale.
    notebook.updateConfig<'dataset'>('d', { versionHash: H2 });
    await pipeline.refresh(nb);
    expect(pipeline.status(notebook.cells[0]!).state).toBe('stale');
    expect(pipeline.status(notebook.cells[2]!).state).toBe('stale');
  });
});
