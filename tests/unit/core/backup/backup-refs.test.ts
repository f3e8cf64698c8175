import { describe, expect, it } from 'vitest';
import { cellReferences, referenceClosure } from '../../../../src/lib/core/backup';
import type { Cell } from '../../../../src/lib/core/notebook';
import { defaultCompareSettings } from '../../../../src/lib/core/compare';

const cells = [
  { id: 'a', kind: 'markdown', config: { text: 'hi' } },
  { id: 'b', kind: 'dataset', config: { versionHash: 'h1', delimiter: 'auto', target: null } },
  { id: 'c', kind: 'train', config: { config: { datasetHash: 'h2' }, modelName: 'm', runIds: ['r1', 'gone'] } },
  { id: 'd', kind: 'compare', config: { ...defaultCompareSettings(), selected: ['r2'], baselineId: 'r3' } },
  { id: 'e', kind: 'predict', config: { modelVersionId: 'mv1', datasetHash: 'h4', predictionId: 'p1' } },
  { id: 'f', kind: 'drift', config: { referenceKind: 'dataset', referenceHash: 'h5', modelVersionId: null, currentHash: 'h6', overrides: {}, shareThreshold: 0.3, modelTolerances: {}, reportId: 'dr1' } },
] as unknown as Cell[];

describe('notebook references', () => {
  it('lists what the cells point at', () => {
    const r = cellReferences(cells);
    expect([...r.versionHashes]).toEqual(['h1', 'h2', 'h4', 'h5', 'h6']);
    expect([...r.runIds]).toEqual(['r1', 'gone', 'r2', 'r3']);
    expect([...r.modelVersionIds]).toEqual(['mv1']);
    expect([...r.predictionIds]).toEqual(['p1']);
    expect([...r.driftReportIds]).toEqual(['dr1']);
  });

  it("lists a Prepare cell's input, the versions it joins and its result", () => {
    const prepare = {
      id: 'g',
      kind: 'prepare',
      config: {
        inputHash: 'p-in',
        recipe: { steps: [{ kind: 'filter', expression: 'x > 1' }, { kind: 'join', versionHash: 'p-join', on: ['id'], how: 'left' }] },
        outputName: '',
        group: null,
        resultHash: 'p-out',
      },
    } as unknown as Cell;
    expect([...cellReferences([prepare]).versionHashes]).toEqual(['p-in', 'p-join', 'p-out']);
  });

  it('adds what runs, model versions, predictions and reports were made from, and drops what is not stored', async () => {
    const runs: Record<string, { datasetHash: string; modelVersionId: string | null }> = {
      r1: { datasetHash: 'h7', modelVersionId: 'mv2' },
      r2: { datasetHash: 'h1', modelVersionId: null },
      r3: { datasetHash: 'h1', modelVersionId: null },
    };
    const mvs: Record<string, { datasetHash: string }> = { mv1: { datasetHash: 'h8' }, mv2: { datasetHash: 'h7' }, mv3: { datasetHash: 'h9' } };
    const r = await referenceClosure(cells, {
      run: async (id) => runs[id] ?? null,
      modelVersion: async (id) => mvs[id] ?? null,
      prediction: async (id) => (id === 'p1' ? { datasetHash: 'h4', modelVersionId: 'mv1' } : null),
      driftReport: async (id) => (id === 'dr1' ? { currentHash: 'h6', reference: { datasetHash: 'h5' }, modelVersionId: 'mv3' } : null),
    });
    expect([...r.runIds]).toEqual(['r1', 'r2', 'r3']);
    expect([...r.modelVersionIds].sort()).toEqual(['mv1', 'mv2', 'mv3']);
    expect([...r.versionHashes].sort()).toEqual(['h1', 'h2', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9']);
  });
});
