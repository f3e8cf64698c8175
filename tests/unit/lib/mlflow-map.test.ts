import { describe, expect, it } from 'vitest';
import { experimentsFor, flattenParams, mlflowRunId, mlflowStatus, runTagsFor } from '../../../src/lib/mlflow-map';
import { mlflowExportLabel } from '../../../src/lib/state/mlflow-export.svelte';
import type { NotebookRecord, RunRecord } from '../../../src/lib/storage/records';

const nb = (id: string, title: string, createdAt: number): NotebookRecord => ({ id, title, cells: [], createdAt, updatedAt: createdAt });
const run = (id: string, notebookId: string | null, createdAt = 10): RunRecord => ({ id, notebookId, createdAt, tags: [] }) as unknown as RunRecord;

describe('mlflowRunId', () => {
  it("a UUID loses its dashes (MLflow's own 32 hex), 32 hex stay, anything else is the SHA-256's first 32 hex", async () => {
    expect(await mlflowRunId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5bd9cb469fa16570867728950e');
    expect(await mlflowRunId('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(await mlflowRunId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223');
  });
});

describe('mlflowStatus', () => {
  it('completed → FINISHED, failed and interrupted → FAILED, cancelled → KILLED, running → RUNNING', () => {
    expect((['completed', 'failed', 'interrupted', 'cancelled', 'running'] as const).map(mlflowStatus)).toEqual(['FINISHED', 'FAILED', 'FAILED', 'KILLED', 'RUNNING']);
  });
});

describe('flattenParams', () => {
  it('dotted keys for nested objects, arrays as JSON, numbers as Python prints them, undefined left out', () => {
    expect(flattenParams({ a: { b: 1, c: { d: 'x' } }, units: [64, 32], lr: 1e-7, half: 0.5, on: true, none: null, gone: undefined })).toEqual({
      'a.b': '1',
      'a.c.d': 'x',
      units: '[64,32]',
      lr: '1e-07',
      half: '0.5',
      on: 'true',
      none: 'null',
    });
  });
});

describe('experimentsFor', () => {
  it('numbers notebooks by creation, makes names unique, never "Default", and puts runs of no or a deleted notebook in "Labbook"', () => {
    const notebooks = [nb('n2', 'Default', 200), nb('n1', 'Heart', 100), nb('n3', 'Heart', 300), nb('n4', '  ', 400), nb('unused', 'Unused', 50)];
    const runs = [run('r1', 'n1'), run('r2', 'n2'), run('r3', 'n3'), run('r4', 'n4'), run('r5', null, 7), run('r6', 'deleted', 5)];
    const { experiments, experimentOf } = experimentsFor(runs, notebooks);
    expect(experiments).toEqual([
      { id: '1', name: 'Heart', createdAt: 100 },
      { id: '2', name: 'Default (2)', createdAt: 200 },
      { id: '3', name: 'Heart (2)', createdAt: 300 },
      { id: '4', name: 'Untitled notebook', createdAt: 400 },
      { id: '5', name: 'Labbook', createdAt: 5 },
    ]);
    expect(Object.fromEntries(experimentOf)).toEqual({ r1: '1', r2: '2', r3: '3', r4: '4', r5: '5', r6: '5' });
  });

  it('a notebook called "Labbook" steps aside only when there are runs of no notebook', () => {
    expect(experimentsFor([run('r1', 'n1')], [nb('n1', 'Labbook', 1)]).experiments.map((e) => e.name)).toEqual(['Labbook']);
    expect(experimentsFor([run('r1', 'n1'), run('r2', null)], [nb('n1', 'Labbook', 1)]).experiments.map((e) => e.name)).toEqual(['Labbook (2)', 'Labbook']);
  });
});

describe('runTagsFor', () => {
  it("run tags become keys MLflow accepts (no '/'), the exact list stays in labbook.tags, mlflow.* tags are not taken", () => {
    const tags = runTagsFor({ ...run('r1', null), datasetHash: 'h', tags: ['a/b', 'a', 'x#y', 'mlflow.user'], statusMessage: null, modelVersionId: null } as RunRecord);
    expect(tags).toEqual({ 'labbook.run_id': 'r1', 'labbook.dataset_hash': 'h', 'labbook.tags': '["a/b","a","x#y","mlflow.user"]', a_b: '', a: '', x_y: '' });
  });
});

describe('mlflowExportLabel', () => {
  it('says what the button exports', () => {
    expect(mlflowExportLabel(0)).toBe('Export all runs to MLflow');
    expect(mlflowExportLabel(1)).toBe('Export 1 selected run to MLflow');
    expect(mlflowExportLabel(3)).toBe('Export 3 selected runs to MLflow');
  });
});
