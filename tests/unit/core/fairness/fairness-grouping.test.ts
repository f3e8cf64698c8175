import { describe, expect, it } from 'vitest';
import type { ColumnData } from '../../../../src/lib/core/common';
import { binLabels, groupAttribute } from '../../../../src/lib/core/fairness';
import { quantileSorted } from '../../../../src/lib/core/csv';

const num = (values: number[]): ColumnData => ({ kind: 'num', values: Float64Array.from(values) });
const dict = (codes: number[], d: string[]): ColumnData => ({ kind: 'dict', codes: Uint32Array.from(codes), dict: d });
const labelsOfRows = (g: { labels: string[]; groupOf: Uint32Array }): string[] => Array.from(g.groupOf, (k) => g.labels[k]!);

describe('groupAttribute', () => {
  it('groups a dictionary column by value, code k meaning dict[k - 1], code 0 missing', () => {
    // dict: 1 -> Female, 2 -> Male, 3 -> Other (never used); rows: Male, Female, missing, Male.
    const g = groupAttribute(dict([2, 1, 0, 2], ['Female', 'Male', 'Other']), { column: 'Sex', bins: 4 });
    expect(g.grouping).toEqual({ column: 'Sex', kind: 'categorical' });
    expect(g.labels).toEqual(['Male', 'Female', '(missing)']);
    expect(labelsOfRows(g)).toEqual(['Male', 'Female', '(missing)', 'Male']);
    expect(g.missingGroup).toBe(2);
  });

  it('cuts a numeric column into quantile bins with readable labels', () => {
    // Ten ages; numpy linear quantiles at 1/3 and 2/3: index 9/3 = 3 -> 30, index 6 -> 50.
    const ages = [18, 20, 25, 30, 35, 40, 50, 60, 70, 80];
    const g = groupAttribute(num([...ages, NaN]), { column: 'Age', bins: 3 });
    expect(g.grouping).toEqual({ column: 'Age', kind: 'binned', edges: [18, 30, 50, 80] });
    expect(g.labels).toEqual(['[18, 30)', '[30, 50)', '[50, 80]', '(missing)']);
    // 30 goes up (bins hold their lower edge); 80 stays in the last, closed bin.
    expect(labelsOfRows(g)).toEqual([
      '[18, 30)', '[18, 30)', '[18, 30)', '[30, 50)', '[30, 50)', '[30, 50)', '[50, 80]', '[50, 80]', '[50, 80]', '[50, 80]', '(missing)',
    ]);
  });

  it('interpolates edges between values (two bins: the median of 35 and 40 is 37.5)', () => {
    const g = groupAttribute(num([18, 20, 25, 30, 35, 40, 50, 60, 70, 80]), { column: 'Age', bins: 2 });
    expect(g.labels).toEqual(['[18, 37.5)', '[37.5, 80]']);
    expect(Array.from(g.groupOf)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('keeps equal edges once', () => {
    // 12 values, seven zeros: quantiles at .25 (index 2.75) and .5 (index 5.5) are both 0;
    // .75 is index 8.25 between 2 and 3 -> 2.25. Edges 0, 0, 0, 2.25, 5 -> 0, 2.25, 5.
    const g = groupAttribute(num([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]), { column: 'x', bins: 4 });
    expect(g.grouping.edges).toEqual([0, 2.25, 5]);
    expect(g.labels).toEqual(['[0, 2.25)', '[2.25, 5]']);
    expect(Array.from(g.groupOf)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('groups a numeric column with at most `bins` distinct values by value, ascending', () => {
    const g = groupAttribute(num([1, 0, 1, NaN, 0]), { column: 'Smoker', bins: 4 });
    expect(g.grouping.kind).toBe('categorical');
    expect(g.labels).toEqual(['0', '1', '(missing)']);
    expect(labelsOfRows(g)).toEqual(['1', '0', '1', '(missing)', '0']);
  });

  it('applies groups fitted elsewhere: same edges, clamped outliers, unseen values appended', () => {
    const fitted = groupAttribute(num([18, 20, 25, 30, 35, 40, 50, 60, 70, 80]), { column: 'Age', bins: 2 });
    const test = groupAttribute(num([10, 37.5, 99, NaN]), { column: 'Age', bins: 2, like: fitted });
    expect(test.labels).toEqual(['[18, 37.5)', '[37.5, 80]', '(missing)']);
    expect(Array.from(test.groupOf)).toEqual([0, 1, 1, 2]);

    const sex = groupAttribute(dict([1, 2], ['F', 'M']), { column: 'Sex', bins: 4 });
    // The test column has its own dictionary: values are matched by text.
    const onTest = groupAttribute(dict([1, 2, 3, 0], ['M', 'X', 'F']), { column: 'Sex', bins: 4, like: sex });
    expect(onTest.labels).toEqual(['F', 'M', 'X', '(missing)']);
    expect(labelsOfRows(onTest)).toEqual(['M', 'X', 'F', '(missing)']);
  });

  it('keeps the missing label unique when a value is literally "(missing)"', () => {
    const g = groupAttribute(dict([1, 0], ['(missing)']), { column: 'c', bins: 2 });
    expect(g.labels).toEqual(['(missing)', '(missing) 2']);
  });

  it('rejects bins below 1', () => {
    expect(() => groupAttribute(num([1, 2]), { column: 'c', bins: 0 })).toThrow(/Bins/);
  });
});

describe('bin labels and quantiles', () => {
  it('uses enough digits to tell close edges apart', () => {
    expect(binLabels([0.123451, 0.123459, 1])).toEqual(['[0.12345, 0.12346)', '[0.12346, 1]']);
    expect(binLabels([18, 34.666666, 80])).toEqual(['[18, 34.7)', '[34.7, 80]']);
  });

  it('matches numpy linear quantiles', () => {
    // np.quantile([1, 2, 3, 4], [0.1, 0.5, 0.9]) = [1.3, 2.5, 3.7]
    const s = [1, 2, 3, 4];
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.3, 12);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0.9)).toBeCloseTo(3.7, 12);
  });
});
