import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import * as repo from '../../../src/lib/storage/notebooks';
import { createCell, type Cell } from '../../../src/lib/core/notebook';

const database = useFreshDatabase();

/** Saves `cells` as a tab that last read `base` would. */
async function saveAs(id: string, base: { rev?: number; cells: Cell[] }, cells: Cell[], editedAt: Record<string, number> = {}) {
  return repo.saveCells(id, { baseRev: base.rev ?? 0, base: base.cells, cells, editedAt });
}

it('creates, renames, saves cells and deletes notebooks', async () => {
  const nb = await repo.createNotebook('Heart study');
  await repo.renameNotebook(nb.id, 'Heart study 2');
  const read = await repo.getNotebook(nb.id);
  await saveAs(nb.id, read!, [createCell('markdown', 'c1', { text: '# Hypothesis' }), createCell('dataset', 'c2')]);
  const back = await repo.getNotebook(nb.id);
  expect(back?.title).toBe('Heart study 2');
  expect(back?.rev).toBe(3);
  expect(back?.cells.map((c) => c.kind)).toEqual(['markdown', 'dataset']);
  expect(back?.cells[0]?.config).toEqual({ text: '# Hypothesis' });
  expect(back?.cells[1]?.config).toEqual({ versionHash: null, delimiter: 'auto', target: null });
  await repo.deleteNotebook(nb.id);
  expect(await repo.listNotebooks()).toEqual([]);
});

it('repairs cells stored by an older or newer app instead of failing', async () => {
  const nb = await repo.createNotebook('Old');
  await database().notebooks.update(nb.id, {
    cells: [
      { id: 'a', kind: 'dataset', config: { versionHash: 'abc' } },
      { id: 'b', kind: 'hologram', config: {} },
    ] as never,
  });
  const back = await repo.getNotebook(nb.id);
  expect(back?.cells).toEqual([{ id: 'a', kind: 'dataset', config: { versionHash: 'abc', delimiter: 'auto', target: null } }]);
});

describe('revisions: a stale tab never writes over newer work', () => {
  it('merges a save made over an old revision instead of replacing the stored cells', async () => {
    const nb = await repo.createNotebook('Shared', [createCell('markdown', 'a', { text: 'intro' })]);
    const tabA = (await repo.getNotebook(nb.id))!;
    const tabB = (await repo.getNotebook(nb.id))!;
    // Tab B adds a cell and types in it; tab A, still showing the old cells, does the same.
    const fromB = await saveAs(nb.id, tabB, [...tabB.cells, createCell('markdown', 'b', { text: 'from B' })], { b: 100 });
    expect(fromB.merge).toBeNull();
    const fromA = await saveAs(nb.id, tabA, [...tabA.cells, createCell('markdown', 'c', { text: 'from A' })], { c: 200 });
    expect(fromA.merge?.fromTheirs).toEqual(['b']);
    const stored = await repo.getNotebook(nb.id);
    expect(stored?.cells.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(stored?.rev).toBe(3);
  });

  it('keeps the later edit of the same cell', async () => {
    const nb = await repo.createNotebook('Shared', [createCell('markdown', 'a', { text: 'v0' })]);
    const tabA = (await repo.getNotebook(nb.id))!;
    const tabB = (await repo.getNotebook(nb.id))!;
    await saveAs(nb.id, tabA, [createCell('markdown', 'a', { text: 'A at 10' })], { a: 10 });
    const out = await saveAs(nb.id, tabB, [createCell('markdown', 'a', { text: 'B at 20' })], { a: 20 });
    expect(out.merge?.overwritten).toEqual([]);
    expect((await repo.getNotebook(nb.id))?.cells[0]?.config).toEqual({ text: 'B at 20' });
  });

  it('refuses to save into a notebook that is gone, instead of claiming it saved', async () => {
    const nb = await repo.createNotebook('Doomed');
    const tab = (await repo.getNotebook(nb.id))!;
    await repo.deleteNotebook(nb.id);
    await expect(saveAs(nb.id, tab, [createCell('markdown', 'a', { text: 'lost?' })])).rejects.toThrow(/no longer stored/);
    await expect(repo.renameNotebook(nb.id, 'x')).rejects.toThrow(/no longer stored/);
    expect(await repo.listNotebooks()).toEqual([]);
  });

  it('reads notebooks stored before revisions existed as revision 0', async () => {
    await database().notebooks.add({ id: 'old', title: 'Old', cells: [], createdAt: 1, updatedAt: 1 });
    const read = (await repo.getNotebook('old'))!;
    expect(read.rev).toBe(0);
    const out = await saveAs('old', read, [createCell('markdown', 'a', { text: 'new' })]);
    expect(out.merge).toBeNull();
    expect(out.record.rev).toBe(1);
  });
});
