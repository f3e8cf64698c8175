import { describe, expect, it } from 'vitest';
import { EvaluateJob, evaluateCellRunner, trainedOnData, type EvaluateAppHost, type EvaluateHost } from '../../../src/lib/state/evaluate.svelte';
import type { EvaluateRequest, EvaluateResponse } from '../../../src/lib/evaluate-run';
import type { Cell, CellOf, EvaluateCellConfig } from '../../../src/lib/core/notebook';
import { defaultEvaluateConfig } from '../../../src/lib/core/notebook';
import type { EvaluationRecord, ModelVersionRecord, RunSummaryRecord, VersionRecord } from '../../../src/lib/storage/records';
import type { ModelWithVersions } from '../../../src/lib/storage/models';
import type { NotebookState } from '../../../src/lib/state/notebook.svelte';
import type { CellRunContext } from '../../../src/lib/state/cell-run';
import type { DatasetSource } from '../../../src/lib/core/training';

const version = (id: string, n: number, datasetHash = 'train-hash'): ModelVersionRecord => ({ id, modelName: 'heart', version: n, runId: `run-${id}`, datasetHash }) as ModelVersionRecord;
const V1 = version('mv1', 1);
const V2 = version('mv2', 2);
const V3 = version('mv3', 3);
const DATA = { hash: 'data-hash', version: 2, schema: [{ name: 'disease' }], rows: 10 } as unknown as VersionRecord;

/** A fake of the worker and storage: records what it was asked, answers with what the test gives. */
function fakeHost(answer: (request: EvaluateRequest) => Promise<EvaluateResponse>) {
  const calls = { requests: [] as EvaluateRequest[], files: [] as string[], saved: [] as EvaluationRecord[], cancelled: [] as string[] };
  const host: EvaluateHost = {
    modelFiles: async (id) => {
      calls.files.push(id);
      return new Map([['model.json', new TextEncoder().encode(id)]]);
    },
    dataset: async (hash) => (hash === DATA.hash ? ({ hash, rows: 10 } as unknown as DatasetSource) : null),
    evaluate: (request) => {
      calls.requests.push(request);
      return answer(request);
    },
    cancel: (id) => void calls.cancelled.push(id.requestId),
    save: async (record) => void calls.saved.push(record),
    load: async (id) => calls.saved.find((r) => r.id === id),
  };
  return { host, calls };
}

const response = (request: EvaluateRequest): EvaluateResponse =>
  ({
    evaluation: { task: 'binary', rows: 8, resamples: request.resamples, seed: request.seed, metricKeys: [], models: [], comparisons: [] },
    rehearsals: [],
    target: 'disease',
    thresholds: request.models.map(() => 0.5),
    datasetRows: 10,
    labelledRows: 8,
    droppedRows: 2,
    ms: 3,
  }) as EvaluateResponse;

function app(job: EvaluateJob, aliases: Record<string, string>, runs: Record<string, Partial<RunSummaryRecord>> = {}): EvaluateAppHost {
  const versions = [V1, V2, V3];
  const models = [{ model: { name: 'heart', aliases }, versions }] as unknown as ModelWithVersions[];
  return {
    findVersion: (hash) => (hash === DATA.hash ? { dataset: { dataset: { name: 'heart-new' } }, version: DATA } : null) as ReturnType<EvaluateAppHost['findVersion']>,
    records: {
      allVersions: () => versions,
      version: (id) => versions.find((v) => v.id === id),
      run: (id) => (id ? ({ config: { target: 'disease' }, ...runs[id] } as RunSummaryRecord) : undefined),
      registry: { models },
      evaluateJob: () => job,
    },
  };
}

function notebook(cells: Cell[]) {
  const updates: { id: string; patch: unknown }[] = [];
  const nb = { id: 'nb1', cells, updateConfig: (id: string, patch: unknown) => void updates.push({ id, patch }) } as unknown as NotebookState;
  return { nb, updates };
}

function evaluateCell(config: Partial<EvaluateCellConfig>): CellOf<'evaluate'> {
  return { id: 'eval-cell', kind: 'evaluate', config: { ...defaultEvaluateConfig(), datasetHash: DATA.hash, ...config } } as CellOf<'evaluate'>;
}

const context = (nb: NotebookState, signal = new AbortController().signal): CellRunContext => ({ notebook: nb, fingerprint: 'f'.repeat(64), signal, by: 'cell' });

describe('evaluateCellRunner', () => {
  it('resolves @champion and @challenger to their versions now, runs the job, stores the record and writes its id into the cell', async () => {
    const { host, calls } = fakeHost(async (r) => response(r));
    const job = new EvaluateJob('eval-cell', host);
    const cell = evaluateCell({ models: [{ kind: 'alias', modelName: 'heart', alias: 'champion' }, { kind: 'alias', modelName: 'heart', alias: 'challenger' }], resamples: 500, seed: 9 });
    const { nb, updates } = notebook([cell]);
    const result = await evaluateCellRunner(app(job, { champion: 'mv1', challenger: 'mv3' }))(cell, context(nb));
    expect(calls.files).toEqual(['mv1', 'mv3']);
    expect(calls.requests[0]!.models.map((m) => m.label)).toEqual(['heart v1 @champion', 'heart v3 @challenger']);
    expect([calls.requests[0]!.resamples, calls.requests[0]!.seed]).toEqual([500, 9]);
    const saved = calls.saved[0]!;
    expect(saved).toMatchObject({ notebookId: 'nb1', cellId: 'eval-cell', cellFingerprint: 'f'.repeat(64), datasetHash: DATA.hash, modelVersionIds: ['mv1', 'mv3'], target: 'disease' });
    expect(saved.datasetLabel).toBe('heart-new v2 (8 labelled rows of 10)');
    expect(saved.models.map((m) => m.ref)).toEqual(cell.config.models);
    expect(result).toEqual({ status: 'done', outputs: { evaluationId: saved.id } });
    expect(updates).toEqual([{ id: 'eval-cell', patch: { evaluationId: saved.id } }]);
    expect(job.result).toBe(saved);
    expect(job.droppedRows).toBe(2);
  });

  it('refuses an alias that is not set, and fewer than two models, before anything runs', async () => {
    const { host, calls } = fakeHost(async (r) => response(r));
    const job = new EvaluateJob('eval-cell', host);
    const refs = [{ kind: 'alias', modelName: 'heart', alias: 'champion' }, { kind: 'alias', modelName: 'heart', alias: 'challenger' }] as const;
    const cell = evaluateCell({ models: [...refs] });
    const { nb } = notebook([cell]);
    const run = evaluateCellRunner(app(job, { champion: 'mv1' }));
    const r1 = await run(cell, context(nb));
    expect(r1.status).toBe('failed');
    expect(r1.status === 'failed' && r1.error).toMatch(/^heart@challenger is not set/);
    const r2 = await run(evaluateCell({ models: [refs[0]] }), context(nb));
    expect(r2).toEqual({ status: 'failed', error: 'Choose a champion and at least one challenger.' });
    expect(calls.requests).toHaveLength(0);
  });

  it("resolves a train cell's newest model version and a version named directly", async () => {
    const { host, calls } = fakeHost(async (r) => response(r));
    const job = new EvaluateJob('eval-cell', host);
    const train = { id: 'train-cell', kind: 'train', config: { runIds: ['ra', 'rb', 'rc'] } } as unknown as Cell;
    const cell = evaluateCell({ models: [{ kind: 'version', versionId: 'mv1' }, { kind: 'cell', cellId: 'train-cell' }] });
    const { nb } = notebook([train, cell]);
    // rc (the newest) failed and stored no version: rb's is the cell's newest model.
    const host2 = app(job, {}, { ra: { modelVersionId: 'mv1' }, rb: { modelVersionId: 'mv2' }, rc: { modelVersionId: null } });
    await evaluateCellRunner(host2)(cell, context(nb));
    expect(calls.files).toEqual(['mv1', 'mv2']);
    expect(calls.requests[0]!.models.map((m) => m.label)).toEqual(['heart v1', 'heart v2 (newest of a train cell)']);
  });

  it('cancels the job on the signal: the worker is told, nothing is stored, the result is cancelled', async () => {
    let release!: () => void;
    const { host, calls } = fakeHost((r) => new Promise((resolve) => (release = () => resolve(response(r)))));
    const job = new EvaluateJob('eval-cell', host);
    const cell = evaluateCell({ models: [{ kind: 'version', versionId: 'mv1' }, { kind: 'version', versionId: 'mv2' }] });
    const { nb, updates } = notebook([cell]);
    const abort = new AbortController();
    const running = evaluateCellRunner(app(job, {}))(cell, context(nb, abort.signal));
    while (calls.requests.length === 0) await new Promise((r) => setTimeout(r, 0));
    expect(job.busy).toBe(true);
    abort.abort();
    release();
    expect(await running).toEqual({ status: 'cancelled' });
    expect(calls.cancelled).toHaveLength(1);
    expect(calls.saved).toHaveLength(0);
    expect(updates).toHaveLength(0);
    expect(job.busy).toBe(false);
    expect(job.result).toBeNull();
  });
});

describe('trainedOnData', () => {
  it('names the models trained on the evaluation data, on data it was derived from, or on data derived from it', () => {
    const derived = new Map<string, Pick<VersionRecord, 'derivation'>>([['train-child', { derivation: { parents: ['data-hash'] } as VersionRecord['derivation'] }]]);
    const models = [version('a', 1, 'data-hash'), version('b', 2, 'parent-hash'), version('c', 3, 'train-child'), version('d', 4, 'elsewhere')];
    const data = { hash: 'data-hash', derivation: { parents: ['parent-hash'] } as VersionRecord['derivation'] };
    expect(trainedOnData(models, data, (h) => derived.get(h))).toEqual(['heart v1', 'heart v2', 'heart v3']);
    expect(trainedOnData(models, { hash: 'fresh', derivation: null }, () => undefined)).toEqual([]);
  });
});
