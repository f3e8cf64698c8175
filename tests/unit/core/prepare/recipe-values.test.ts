import { describe, expect, it } from 'vitest';
import {
  binEdges,
  binIndex,
  binLabel,
  castToNumber,
  castToText,
  joinOutputColumns,
  stepDefaults,
  uniqueName,
  type RecipeColumn,
} from '../../../../src/lib/core/prepare';

describe('binEdges and binLabel', () => {
  it('cuts equal-width bins from the minimum to the maximum, ignoring missing values', () => {
    const edges = binEdges([18.5, null, 30, 45, NaN, 25, 21], 2, 'equal-width');
    expect(edges).toEqual([18.5, 31.75, 45]);
    expect(binLabel(edges, 0)).toBe('[18.5, 31.75)');
    expect(binLabel(edges, 1)).toBe('[31.75, 45]');
    expect(binEdges([0, 10], 4, 'equal-width')).toEqual([0, 2.5, 5, 7.5, 10]);
  });
  it('cuts quantile bins with numpy’s linear interpolation, merging repeated edges', () => {
    // sorted 1..8: the 1/4, 2/4, 3/4 quantiles at positions 1.75, 3.5, 5.25 are 2.75, 4.5, 6.25
    expect(binEdges([8, 1, 2, 3, 4, 5, 6, 7], 4, 'quantile')).toEqual([1, 2.75, 4.5, 6.25, 8]);
    // mostly zeros: the 1/3 and 2/3 quantiles are both 0, so one bin [0, 0) disappears
    expect(binEdges([0, 0, 0, 0, 0, 9], 3, 'quantile')).toEqual([0, 9]);
  });
  it('gives one bin for a single value and none for no value', () => {
    expect(binEdges([5, 5, null], 4, 'equal-width')).toEqual([5, 5]);
    expect(binLabel([5, 5], 0)).toBe('[5, 5]');
    expect(binEdges([null, NaN], 3, 'quantile')).toEqual([]);
  });
  it('places each value in its bin, the last closed at the top, missing and outside in none', () => {
    const edges = [18.5, 25, 30, 45];
    expect([18.5, 24.99, 25, 29, 30, 45, 17, 46, null, NaN].map((x) => binIndex(edges, x))).toEqual([0, 0, 1, 1, 2, 2, -1, -1, -1, -1]);
    expect(edges.slice(0, -1).map((_, i) => binLabel(edges, i))).toEqual(['[18.5, 25)', '[25, 30)', '[30, 45]']);
    expect(binIndex([5, 5], 5)).toBe(0);
  });
  it('labels edges with 6 significant digits', () => {
    expect(binLabel([0, 1 / 3, 2 / 3], 0)).toBe('[0, 0.333333)');
  });
});

describe('casts', () => {
  it('reads numbers as the CSV import does: plain decimals only, missing markers and the rest missing', () => {
    expect(['12', ' -3.5 ', '1e3', '007', 'NA', '', '?', 'abc', '0x10', '1,5', 'Infinity', '1_000'].map(castToNumber)).toEqual([
      12, -3.5, 1000, 7, null, null, null, null, null, null, null, null,
    ]);
    expect(castToNumber(4.5)).toBe(4.5);
    expect(castToNumber(NaN)).toBeNull();
    expect(castToNumber(null)).toBeNull();
  });
  it('spells numbers as stored numbers are spelled', () => {
    expect([1.5, 2, NaN, null, 'x'].map(castToText)).toEqual(['1.5', '2', null, null, 'x']);
  });
});

describe('join column names', () => {
  it('keeps the left columns, adds the right ones once, renaming clashes _2, _3', () => {
    expect(joinOutputColumns(['id', 'BMI', 'BMI_2'], ['id', 'BMI', 'Region'], ['id'])).toEqual([
      { name: 'id', side: 'left', source: 'id' },
      { name: 'BMI', side: 'left', source: 'BMI' },
      { name: 'BMI_2', side: 'left', source: 'BMI_2' },
      { name: 'BMI_3', side: 'right', source: 'BMI' },
      { name: 'Region', side: 'right', source: 'Region' },
    ]);
    expect(uniqueName('x', ['x', 'x_2'])).toBe('x_3');
  });
});

describe('stepDefaults', () => {
  const cols: RecipeColumn[] = [
    { name: 'Sex', kind: 'text' },
    { name: 'BMI', kind: 'number' },
    { name: 'BMI_bin', kind: 'text' },
  ];
  it('starts each step on a column that fits, with names that are free', () => {
    expect(stepDefaults('bin', cols)).toEqual({ kind: 'bin', column: 'BMI', name: 'BMI_bin_2', bins: 4, method: 'equal-width' });
    expect(stepDefaults('fill-missing', cols)).toEqual({ kind: 'fill-missing', column: 'Sex', method: 'mode' });
    expect(stepDefaults('cast', cols)).toEqual({ kind: 'cast', column: 'Sex', to: 'number' });
    expect(stepDefaults('rename', ['a', 'b'])).toEqual({ kind: 'rename', from: 'a', to: 'a_renamed' });
    expect(stepDefaults('derive', cols)).toEqual({ kind: 'derive', name: 'new_column', expression: '' });
    expect(stepDefaults('filter', cols)).toEqual({ kind: 'filter', expression: '' });
    expect(stepDefaults('join', cols)).toEqual({ kind: 'join', versionHash: '', on: [], how: 'left' });
    expect(stepDefaults('drop', cols)).toEqual({ kind: 'drop', columns: [] });
    expect(stepDefaults('drop-missing', [])).toEqual({ kind: 'drop-missing', columns: [] });
    expect(stepDefaults('dedupe', [])).toEqual({ kind: 'dedupe', columns: [] });
  });
});
