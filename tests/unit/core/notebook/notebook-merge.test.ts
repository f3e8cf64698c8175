import { describe, expect, it } from 'vitest';
import { mergeCells, createCell, type Cell } from '../../../../src/lib/core/notebook';

const md = (id: string, text: string): Cell => createCell('markdown', id, { text });
const texts = (cells: Cell[]) => cells.map((c) => `${c.id}:${c.kind === 'markdown' ? c.config.text : c.kind}`);

describe('three-way merge of a notebook edited in two tabs', () => {
  const base = [md('a', 'intro'), md('b', 'method')];

  it('keeps a cell added in each tab (the reported loss: a stale tab wrote its whole list over the other)', () => {
    const mine = [...base, md('m', 'mine')];
    const theirs = [...base, md('t', 'theirs')];
    const out = mergeCells(base, mine, theirs, { m: 2 }, { t: 1 });
    expect(texts(out.cells)).toEqual(['a:intro', 'b:method', 't:theirs', 'm:mine']);
    expect(out.fromTheirs).toEqual(['t']);
    expect(out.overwritten).toEqual([]);
  });

  it('takes a change made on one side only', () => {
    const mine = [md('a', 'intro, edited here'), md('b', 'method')];
    const theirs = [md('a', 'intro'), md('b', 'method, edited there')];
    const out = mergeCells(base, mine, theirs, { a: 5 }, { b: 3 });
    expect(texts(out.cells)).toEqual(['a:intro, edited here', 'b:method, edited there']);
    expect(out.editedAt).toEqual({ a: 5, b: 3 });
  });

  it('lets the later edit of one cell win, and says whose edit was replaced', () => {
    const mine = [md('a', 'typed here at 10'), md('b', 'method')];
    const theirs = [md('a', 'typed there at 20'), md('b', 'method')];
    const later = mergeCells(base, mine, theirs, { a: 10 }, { a: 20 });
    expect(texts(later.cells)[0]).toBe('a:typed there at 20');
    expect(later.overwritten).toEqual(['a']);
    const earlier = mergeCells(base, mine, theirs, { a: 30 }, { a: 20 });
    expect(texts(earlier.cells)[0]).toBe('a:typed here at 10');
    expect(earlier.overwritten).toEqual([]);
    expect(earlier.editedAt.a).toBe(30);
  });

  it('deletes a cell removed on one side and untouched on the other', () => {
    const mine = [md('a', 'intro')];
    const out = mergeCells(base, mine, base, {}, {});
    expect(texts(out.cells)).toEqual(['a:intro']);
    const other = mergeCells(base, base, [md('b', 'method')], {}, {});
    expect(texts(other.cells)).toEqual(['b:method']);
  });

  it('keeps a cell deleted on one side but edited on the other: nothing typed is lost', () => {
    const mine = [md('a', 'intro')];
    const theirs = [md('a', 'intro'), md('b', 'method, edited there')];
    const out = mergeCells(base, mine, theirs, {}, { b: 9 });
    expect(texts(out.cells)).toEqual(['a:intro', 'b:method, edited there']);
    const reverse = mergeCells(base, [md('a', 'intro'), md('b', 'edited here')], [md('a', 'intro')], { b: 9 }, {});
    expect(texts(reverse.cells)).toEqual(['a:intro', 'b:edited here']);
  });

  it("keeps this tab's reordering when the other tab only edited", () => {
    const mine = [md('b', 'method'), md('a', 'intro')];
    const theirs = [md('a', 'intro, edited'), md('b', 'method'), md('t', 'new')];
    const out = mergeCells(base, mine, theirs, {}, { a: 4, t: 4 });
    expect(texts(out.cells)).toEqual(['b:method', 't:new', 'a:intro, edited']);
  });

  it('reports nothing when both sides made the same change', () => {
    const same = [md('a', 'intro'), md('b', 'same text')];
    const out = mergeCells(base, same, same, { b: 1 }, { b: 2 });
    expect(texts(out.cells)).toEqual(['a:intro', 'b:same text']);
    expect(out.fromTheirs).toEqual([]);
  });
});
