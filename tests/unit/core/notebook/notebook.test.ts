import { describe, expect, it } from 'vitest';
import { createCell, insertCell, moveCell, removeCell, updateCellConfig, CELL_KIND_LIST } from '../../../../src/lib/core/notebook';

const cells = () => [createCell('markdown', 'a'), createCell('dataset', 'b'), createCell('markdown', 'c')];

describe('notebook cells', () => {
  it('every registered kind creates a cell with its defaults', () => {
    for (const kind of CELL_KIND_LIST) expect(createCell(kind, 'x').kind).toBe(kind);
  });
  it('moves cells up and down, and ignores moves past either end', () => {
    expect(moveCell(cells(), 'b', -1).map((c) => c.id)).toEqual(['b', 'a', 'c']);
    expect(moveCell(cells(), 'b', 1).map((c) => c.id)).toEqual(['a', 'c', 'b']);
    expect(moveCell(cells(), 'a', -1).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(moveCell(cells(), 'c', 1).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
  it('inserts after a given cell or at the end, and removes', () => {
    expect(insertCell(cells(), createCell('dataset', 'n'), 'a').map((c) => c.id)).toEqual(['a', 'n', 'b', 'c']);
    expect(insertCell(cells(), createCell('dataset', 'n')).map((c) => c.id)).toEqual(['a', 'b', 'c', 'n']);
    expect(removeCell(cells(), 'b').map((c) => c.id)).toEqual(['a', 'c']);
  });
  it('updates one cell config without touching the others', () => {
    const next = updateCellConfig<'dataset'>(cells(), 'b', { target: 'HeartDisease' });
    expect(next[1]?.config).toEqual({ versionHash: null, delimiter: 'auto', target: 'HeartDisease' });
    expect(next[0]).toEqual(cells()[0]);
  });
});
