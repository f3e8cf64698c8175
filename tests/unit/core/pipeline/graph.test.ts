import { describe, expect, it } from 'vitest';
import { createCell, removeCell, updateCellConfig, type Cell, type CellOf } from '../../../../src/lib/core/notebook';
import { cellInputs, downstreamOf, notebookFingerprints, notebookGraph, runPlan, staleSet } from '../../../../src/lib/core/pipeline';
import { H1, H2, H3, modelVersionRuns, notebook, trainConfig } from './fixtures';

const actions = (steps: { cellId: string; action: string }[]) => steps.map((s) => `${s.cellId}:${s.action}`);

describe('cellInputs (the edge model)', () => {
  it('links each input to the earlier cell producing it and drops volatile fields', () => {
    const cells = notebook();
    const ctx = { cells, modelVersionRuns };
    const links = (id: string) => cellInputs(cells.find((c) => c.id === id)!, ctx).inputs.map((i) => `${i.slot}<-${i.fromCell ?? 'fixed'}`);
    expect(links('d')).toEqual(['versionHash<-fixed']);
    expect(links('m')).toEqual([]);
    expect(links('p')).toEqual(['inputHash<-d']);
    expect(links('t')).toEqual(['config.datasetHash<-p']);
    expect(links('q')).toEqual(['modelVersionId<-t', 'datasetHash<-d']);
    expect(links('x')).toEqual(['modelVersionId<-t', 'currentHash<-fixed']);
    expect(links('c')).toEqual(['runs<-t']);
    expect(cellInputs(cells[3]!, ctx).config).toEqual({ config: trainConfig(H2), modelName: 'heart' });
    expect(cellInputs(cells[4]!, ctx).config).toEqual({ modelVersionId: 'mv1', datasetHash: H1 });
    expect(Object.keys(cellInputs(cells[5]!, ctx).config).sort()).toEqual(['currentHash', 'modelTolerances', 'modelVersionId', 'overrides', 'referenceKind', 'shareThreshold']);
    expect(Object.keys(cellInputs(cells[6]!, ctx).config).sort()).toEqual(['baselineId', 'filter', 'selected']);
  });

  it('leaves inputs unlinked when the producer is later or unknown, and lists missing ones', () => {
    const cells: Cell[] = [
      createCell('predict', 'q', { modelVersionId: 'mv1', datasetHash: H1 }),
      createCell('dataset', 'd', { versionHash: H1 }),
      createCell('train', 't', { config: trainConfig(H1), runIds: ['r1'] }),
      createCell('predict', 'q2', { modelVersionId: 'mv-elsewhere' }),
      createCell('compare', 'c', { selected: ['r1', 'r-other'] }),
    ];
    const ctx = { cells, modelVersionRuns };
    expect(cellInputs(cells[0]!, ctx).inputs.map((i) => i.fromCell)).toEqual([null, null]);
    const q2 = cellInputs(cells[3]!, ctx);
    expect(q2.inputs.map((i) => i.fromCell)).toEqual([null]);
    expect(q2.missing).toEqual(['datasetHash']);
    expect(cellInputs(cells[4]!, ctx).inputs.map((i) => `${i.value}<-${i.fromCell ?? 'fixed'}`)).toEqual(['r1<-t', 'r-other<-fixed']);
    expect(cellInputs(createCell('drift', 'x'), { cells: [] }).missing).toEqual(['referenceHash', 'currentHash']);
  });
});

describe('notebookGraph', () => {
  it('has the edges dataset -> prepare -> train -> predict / drift / compare, in notebook order', () => {
    const g = notebookGraph(notebook(), { modelVersionRuns });
    expect(g.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['d->p', 'p->t', 'd->q', 't->q', 't->x', 't->c']);
    expect(g.downstream.get('d')).toEqual(['p', 'q']);
    expect(downstreamOf(g, ['p'])).toEqual(['t', 'q', 'x', 'c']);
    expect(downstreamOf(g, ['q'])).toEqual([]);
    // Without the registry, a model version cannot be traced to its train cell.
    expect(notebookGraph(notebook()).edges.map((e) => `${e.from}->${e.to}`)).toEqual(['d->p', 'p->t', 'd->q', 't->c']);
  });
});

/** dataset -> train -> predict, the brief's chain. */
function chain(): Cell[] {
  return [
    createCell('dataset', 'd', { versionHash: H1 }),
    createCell('train', 't', { config: trainConfig(H1), runIds: ['r1'] }),
    createCell('predict', 'q', { modelVersionId: 'mv1', datasetHash: H3 }),
  ];
}

describe('staleSet and runPlan', () => {
  it('re-runs train and predict, not the dataset, when only the train config changes', async () => {
    const cells = chain();
    const last = await notebookFingerprints({ cells, modelVersionRuns });
    const t = cells[1] as CellOf<'train'>;
    const edited = updateCellConfig<'train'>(cells, 't', { config: { ...t.config.config!, learningRate: 0.5 } });
    const now = await notebookFingerprints({ cells: edited, modelVersionRuns });
    expect([...staleSet(edited, last, now, { modelVersionRuns })].sort()).toEqual(['q', 't']);
    expect(runPlan(edited, last, now, { modelVersionRuns })).toEqual([
      { cellId: 'd', kind: 'dataset', action: 'cached', reason: 'up to date (cached)' },
      { cellId: 't', kind: 'train', action: 'run', reason: 'changed since its last run' },
      { cellId: 'q', kind: 'predict', action: 'run', reason: 'changed since its last run' },
    ]);
    // Downstream stays stale even if its own fingerprint was already recorded as successful.
    const lastWithQ = new Map(last).set('q', now.get('q')!);
    expect([...staleSet(edited, lastWithQ, now, { modelVersionRuns })].sort()).toEqual(['q', 't']);
    expect(runPlan(edited, lastWithQ, now, { modelVersionRuns })[2]).toEqual({ cellId: 'q', kind: 'predict', action: 'run', reason: 'upstream train cell t re-runs' });
  });

  it('plans nothing to run when every cell is up to date', async () => {
    const cells = notebook();
    const fps = await notebookFingerprints({ cells, modelVersionRuns });
    expect(staleSet(cells, fps, fps, { modelVersionRuns }).size).toBe(0);
    expect(actions(runPlan(cells, fps, fps, { modelVersionRuns }))).toEqual(['d:cached', 'm:skip', 'p:cached', 't:cached', 'q:cached', 'x:cached', 'c:cached']);
  });

  it('runs a new cell that never succeeded, and only it', async () => {
    const cells = chain();
    const last = await notebookFingerprints({ cells, modelVersionRuns });
    const added = [...cells, createCell('drift', 'x', { referenceHash: H1, currentHash: H3 })];
    const now = await notebookFingerprints({ cells: added, modelVersionRuns });
    expect([...staleSet(added, last, now, { modelVersionRuns })]).toEqual(['x']);
    expect(runPlan(added, last, now, { modelVersionRuns }).at(-1)).toEqual({ cellId: 'x', kind: 'drift', action: 'run', reason: 'never run' });
  });

  it('re-runs the cells that read a deleted upstream cell (their input is now a fixed one)', async () => {
    const cells = chain();
    const last = await notebookFingerprints({ cells, modelVersionRuns });
    const left = removeCell(cells, 't');
    const now = await notebookFingerprints({ cells: left, modelVersionRuns });
    expect(now.get('d')).toBe(last.get('d'));
    expect(cellInputs(left[1]!, { cells: left, modelVersionRuns }).inputs[0]!.fromCell).toBeNull();
    expect([...staleSet(left, last, now, { modelVersionRuns })]).toEqual(['q']);
    expect(actions(runPlan(left, last, now, { modelVersionRuns }))).toEqual(['d:cached', 'q:run']);
  });

  it('skips a cell that is not set up, and the stale cells waiting for it', async () => {
    const cells: Cell[] = [
      createCell('prepare', 'p', { inputHash: null, resultHash: H2 }),
      createCell('train', 't', { config: trainConfig(H2) }),
      createCell('predict', 'q', { modelVersionId: null, datasetHash: H1 }),
    ];
    const now = await notebookFingerprints({ cells });
    expect(runPlan(cells, new Map(), now)).toEqual([
      { cellId: 'p', kind: 'prepare', action: 'skip', reason: 'not set up: needs inputHash' },
      { cellId: 't', kind: 'train', action: 'skip', reason: 'waits for prepare cell p, which cannot run' },
      { cellId: 'q', kind: 'predict', action: 'skip', reason: 'not set up: needs modelVersionId' },
    ]);
  });
});
