import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCell, updateCellConfig, type Cell, type CellOf } from '../../../../src/lib/core/notebook';
import { cellCanonicalText, cellFingerprint, MissingUpstreamError, notebookFingerprints } from '../../../../src/lib/core/pipeline';
import { H1, H2, H3, modelVersionRuns, notebook, trainConfig } from './fixtures';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const none = new Map<string, string>();

/** Reverses the key order of every object, at every depth. */
function reversedKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  const o = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).reverse().map((k) => [k, reversedKeys(o[k])])) as T;
}

describe('cellFingerprint', () => {
  it('hashes the canonical JSON of kind, cleaned config, inputs and upstream fingerprints', async () => {
    const cells: Cell[] = [
      createCell('dataset', 'd', { versionHash: H1 }),
      createCell('train', 't', { config: trainConfig(H1), runIds: ['r1'] }),
      createCell('predict', 'q', { modelVersionId: 'mv1', datasetHash: H1, predictionId: 'pred9' }),
    ];
    const ups = new Map([['d', 'FD'], ['t', 'FT']]);
    const text =
      `{"config":{"datasetHash":"${H1}","modelVersionId":"mv1"},"format":"labbook-cell","inputs":[` +
      `{"kind":"model","slot":"modelVersionId","upstream":"FT","value":"mv1"},` +
      `{"kind":"dataset","slot":"datasetHash","upstream":"FD","value":"${H1}"}],"kind":"predict","version":1}`;
    const q = cells[2]!;
    expect(cellCanonicalText(q, ups, { cells, modelVersionRuns })).toBe(text);
    expect(await cellFingerprint(q, ups, { cells, modelVersionRuns })).toBe(sha(text));
  });

  it('is the same whatever the key order, and ignores volatile fields', async () => {
    const cells = notebook();
    const base = await notebookFingerprints({ cells, modelVersionRuns });
    const reordered = cells.map((c) => ({ id: c.id, kind: c.kind, config: reversedKeys(c.config) }) as Cell);
    expect(await notebookFingerprints({ cells: reordered, modelVersionRuns })).toEqual(base);

    // Results and view choices: new run ids (same list for the model link), prediction, report, preview, view settings.
    let v = updateCellConfig<'train'>(cells, 't', { runIds: ['r1', 'r2'] });
    v = updateCellConfig<'predict'>(v, 'q', { predictionId: 'pred2' });
    v = updateCellConfig<'drift'>(v, 'x', { reportId: 'rep2', referenceHash: H2 }); // referenceHash is not read in 'model' mode
    v = updateCellConfig<'prepare'>(v, 'p', { group: { by: ['x1'], aggregates: [] } });
    v = updateCellConfig<'dataset'>(v, 'd', { target: 'other', delimiter: ';' });
    v = updateCellConfig<'markdown'>(v, 'm', { text: 'new notes' });
    const after = await notebookFingerprints({ cells: v, modelVersionRuns });
    // The compare cell (nothing picked) reads all runs of t, so a new run changes it; nothing else changes.
    for (const id of ['d', 'm', 'p', 't', 'q', 'x']) expect(after.get(id), id).toBe(base.get(id));
    expect(after.get('c')).not.toBe(base.get('c'));
    // Compare view settings are volatile.
    const w = updateCellConfig<'compare'>(cells, 'c', { sort: { key: 'name', descending: false }, curve: 'loss', columns: ['metric:auc'], metric: 'f1', scatterParam: 'l2', curveClass: '1' });
    expect((await notebookFingerprints({ cells: w, modelVersionRuns })).get('c')).toBe(base.get('c'));
  });

  it('changes with a train cell’s learning rate, and so do the cells reading it', async () => {
    const cells = notebook();
    const base = await notebookFingerprints({ cells, modelVersionRuns });
    const t = cells[3] as CellOf<'train'>;
    const lr = t.config.config!.learningRate;
    const changed = updateCellConfig<'train'>(cells, 't', { config: { ...t.config.config!, learningRate: lr * 10 } });
    const after = await notebookFingerprints({ cells: changed, modelVersionRuns });
    expect([...after].filter(([id, fp]) => fp !== base.get(id)).map(([id]) => id)).toEqual(['t', 'q', 'x', 'c']);
  });

  it('changes with a different dataset hash', async () => {
    // A train cell on a fixed version (no producer cell): only the hash tells the versions apart.
    const on = (hash: string) => [createCell('train', 't', { config: trainConfig(hash) })];
    const a = await cellFingerprint(on(H1)[0]!, none, { cells: on(H1) });
    const b = await cellFingerprint(on(H3)[0]!, none, { cells: on(H3) });
    expect(a).not.toBe(b);
    expect(a).toBe(await cellFingerprint(on(H1)[0]!, none, { cells: on(H1) }));
    // A prepare cell's join version is an input too.
    const join = (hash: string) => createCell('prepare', 'p', { inputHash: H1, recipe: { steps: [{ kind: 'join', versionHash: hash, on: ['id'], how: 'left' }] } });
    const j1 = await cellFingerprint(join(H2), none, { cells: [join(H2)] });
    const j2 = await cellFingerprint(join(H3), none, { cells: [join(H3)] });
    expect(j1).not.toBe(j2);
  });

  it('changes when an upstream fingerprint changes, and refuses an unknown upstream', async () => {
    const cells = notebook();
    const ctx = { cells, modelVersionRuns };
    const t = cells[3]!;
    const a = await cellFingerprint(t, new Map([['p', '1'.repeat(64)]]), ctx);
    const b = await cellFingerprint(t, new Map([['p', '2'.repeat(64)]]), ctx);
    expect(a).not.toBe(b);
    expect(() => cellCanonicalText(t, none, ctx)).toThrow(MissingUpstreamError);
    // A recipe change in p reaches t and the cells reading t, not d.
    const base = await notebookFingerprints(ctx);
    const edited = updateCellConfig<'prepare'>(cells, 'p', { recipe: { steps: [{ kind: 'filter', expression: 'x1 > 1' }] } });
    const after = await notebookFingerprints({ cells: edited, modelVersionRuns });
    expect([...after].filter(([id, fp]) => fp !== base.get(id)).map(([id]) => id)).toEqual(['p', 't', 'q', 'x', 'c']);
  });
});
