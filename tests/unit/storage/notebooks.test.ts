import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { useFreshDatabase } from './fresh-db';
import * as repo from '../../../src/lib/storage/notebooks';
import { createCell } from '../../../src/lib/core/notebook';

const database = useFreshDatabase();

it('creates, renames, saves cells and deletes notebooks', async () => {
  const nb = await repo.createNotebook('Heart study');
  await repo.renameNotebook(nb.id, 'Heart study 2');
  await repo.saveCells(nb.id, [createCell('markdown', 'c1', { text: '# Hypothesis' }), createCell('dataset', 'c2')]);
  const back = await repo.getNotebook(nb.id);
  expect(back?.title).toBe('Heart study 2');
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
