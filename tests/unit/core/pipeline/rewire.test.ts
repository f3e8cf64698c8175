import { describe, expect, it } from 'vitest';
import { createCell, updateCellConfig, type Cell, type CellOf } from '../../../../src/lib/core/notebook';
import { cellInputs, notebookFingerprints, rewireOutputs } from '../../../../src/lib/core/pipeline';
import { H1, H2, H3, modelVersionRuns, notebook, trainConfig } from './fixtures';

function apply(cells: Cell[], patches: ReturnType<typeof rewireOutputs>): Cell[] {
  return patches.reduce((acc, p) => updateCellConfig(acc, p.cellId, p.patch), cells);
}

describe('rewireOutputs', () => {
  it('points the cells reading a re-applied recipe at its new version, and clears their results', () => {
    const cells = notebook();
    const patches = rewireOutputs(cells, 'p', { datasetHash: H2 }, { datasetHash: H3 }, { modelVersionRuns });
    expect(patches.map((p) => p.cellId)).toEqual(['t']);
    const next = apply(cells, patches);
    expect((next[3] as CellOf<'train'>).config.config?.datasetHash).toBe(H3);
    // The rest of the train config is untouched.
    expect({ ...(next[3] as CellOf<'train'>).config.config, datasetHash: H2 }).toEqual(trainConfig(H2));
  });

  it('moves model inputs linked to a retrained cell to the new version (predict and drift), leaving pinned ones', () => {
    const cells = [...notebook(), createCell('predict', 'q2', { modelVersionId: 'mv-other', datasetHash: H1, predictionId: 'p2' })];
    const runs = new Map([...modelVersionRuns, ['mv2', 'r2'], ['mv-other', 'r-elsewhere']]);
    const patches = rewireOutputs(cells, 't', { runId: 'r1', modelVersionId: 'mv1' }, { runId: 'r2', modelVersionId: 'mv2' }, { modelVersionRuns: runs });
    expect(patches).toEqual([
      { cellId: 'q', patch: { modelVersionId: 'mv2', predictionId: null } },
      { cellId: 'x', patch: { modelVersionId: 'mv2', reportId: null } },
    ]);
  });

  it('with no previous result known, moves every input linked to the cell', () => {
    const cells = notebook();
    const patches = rewireOutputs(cells, 't', undefined, { modelVersionId: 'mv2' }, { modelVersionRuns });
    expect(patches.map((p) => p.cellId)).toEqual(['q', 'x']);
  });

  it('changes nothing when the output is the same, or for cells before the producer', () => {
    const cells = notebook();
    expect(rewireOutputs(cells, 'p', { datasetHash: H2 }, { datasetHash: H2 }, { modelVersionRuns })).toEqual([]);
    expect(rewireOutputs(cells, 'q', undefined, { predictionId: 'pred9' }, { modelVersionRuns })).toEqual([]);
  });

  it('moves an evaluate cell model named by version, never one named by alias or cell', () => {
    const cells: Cell[] = [
      createCell('dataset', 'd', { versionHash: H1 }),
      createCell('train', 't', { config: trainConfig(H1), modelName: 'heart', runIds: ['r1'] }),
      createCell('evaluate', 'e', {
        datasetHash: H1,
        models: [
          { kind: 'alias', modelName: 'heart', alias: 'champion' },
          { kind: 'version', versionId: 'mv1' },
          { kind: 'cell', cellId: 't' },
        ],
        evaluationId: 'ev1',
      }),
    ];
    const context = { modelVersionRuns: new Map([['mv1', 'r1'], ['mv0', 'r0']]), aliases: new Map([['heart', { champion: 'mv0' }]]), cellModels: new Map([['t', 'mv1']]) };
    const patches = rewireOutputs(cells, 't', { modelVersionId: 'mv1' }, { modelVersionId: 'mv2' }, context);
    expect(patches).toEqual([
      {
        cellId: 'e',
        patch: {
          models: [
            { kind: 'alias', modelName: 'heart', alias: 'champion' },
            { kind: 'version', versionId: 'mv2' },
            { kind: 'cell', cellId: 't' },
          ],
          evaluationId: null,
        },
      },
    ]);
  });
});

describe('the evaluate cell in the pipeline', () => {
  const cells = (): Cell[] => [
    createCell('dataset', 'd', { versionHash: H1 }),
    createCell('train', 't', { config: trainConfig(H1), modelName: 'heart', runIds: ['r1'] }),
    createCell('evaluate', 'e', { datasetHash: H1, models: [{ kind: 'alias', modelName: 'heart', alias: 'champion' }, { kind: 'cell', cellId: 't' }], evaluationId: 'ev1' }),
  ];
  const base = { modelVersionRuns: new Map([['mv0', 'r0'], ['mv1', 'r1'], ['mv2', 'r2']]), cellModels: new Map([['t', 'mv1']]) };

  it('reads the champion through its alias and the challenger through the train cell', () => {
    const c = cells();
    const inputs = cellInputs(c[2]!, { ...base, cells: c, aliases: new Map([['heart', { champion: 'mv0' }]]) });
    expect(inputs.inputs.map((i) => `${i.slot}=${i.value}<-${i.fromCell ?? 'fixed'}`)).toEqual([`datasetHash=${H1}<-d`, 'models[0]=mv0<-fixed', 'models[1]=mv1<-t']);
    expect(inputs.missing).toEqual([]);
    expect(Object.keys(inputs.config)).not.toContain('evaluationId');
  });

  it('changes its fingerprint when the alias moves, and lists an unset alias as missing', async () => {
    const c = cells();
    const before = await notebookFingerprints({ ...base, cells: c, aliases: new Map([['heart', { champion: 'mv0' }]]) });
    const moved = await notebookFingerprints({ ...base, cells: c, aliases: new Map([['heart', { champion: 'mv1' }]]) });
    expect(moved.get('e')).not.toBe(before.get('e'));
    expect(moved.get('t')).toBe(before.get('t'));
    const unset = cellInputs(c[2]!, { ...base, cells: c, aliases: new Map() });
    expect(unset.missing).toEqual(['models[0]']);
  });

  it('needs a champion and a challenger', () => {
    const one = createCell('evaluate', 'e', { datasetHash: H1, models: [{ kind: 'version', versionId: 'mv1' }] });
    expect(cellInputs(one, { cells: [one] }).missing).toEqual(['models (a champion and a challenger)']);
  });
});
