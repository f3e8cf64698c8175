import { describe, expect, it } from 'vitest';
import {
  MAX_CLASSES,
  MAX_NAMED,
  MIN_ROWS_PER_CLASS,
  checkTarget,
  targetFacts,
  type TargetFacts,
  configForDataset,
  withTarget,
  type ColumnFacts,
} from '../../../../src/lib/core/training';
import { profileColumn } from '../../../../src/lib/core/csv/profile';
import { MAX_CURVE_CLASSES, classificationMetrics } from '../../../../src/lib/core/metrics';
import { runMetrics } from '../../../../src/lib/core/compare';
import type { ColumnData, ColumnSchema, ColumnType } from '../../../../src/lib/core/common';

const SHARES = { train: 0.7, validation: 0.15, test: 0.15 };

/** A text column stored as codes into a dictionary (code 0: missing), profiled as the importer does. */
function textColumn(name: string, values: (string | null)[], type: ColumnType = 'categorical') {
  const dict = [...new Set(values.filter((v): v is string => v !== null))];
  const codes = Uint32Array.from(values.map((v) => (v === null ? 0 : dict.indexOf(v) + 1)));
  const data: ColumnData = { kind: 'dict', codes, dict };
  return profileColumn(name, type, data, values.length);
}

/** Facts given by hand: every class's count known. */
function facts(name: string, counts: number[], type: ColumnType = 'categorical'): TargetFacts {
  const sorted = counts.map((count, i) => ({ value: `c${i}`, count })).sort((a, b) => b.count - a.count);
  return { name, type, distinct: counts.length, labelled: counts.reduce((s, c) => s + c, 0), counts: sorted, complete: true };
}

describe('classification targets that cannot work are refused', () => {
  it('1,000 classes on 5,000 rows, read from the profile: the message says why and what to do', () => {
    // "zip" as integers: 1,000 distinct values, 5 rows each.
    const values = Float64Array.from({ length: 5000 }, (_, i) => 10000 + (i % 1000));
    const profile = profileColumn('zip', 'integer', { kind: 'num', values }, 5000);
    const f = targetFacts(profile);
    expect(f.distinct).toBe(1000);
    expect(f.labelled).toBe(5000);
    expect(f.complete).toBe(false);
    const check = checkTarget('multiclass', f, SHARES);
    expect(check.errors).toEqual([
      '“zip” has 1,000 classes for 5,000 rows: too many for a classifier (at most 100, and at least 5 rows a class on average). Pick another target, or choose Regression if it is a number.',
    ]);
  });

  it('the class limit: 100 classes pass, 101 do not', () => {
    expect(checkTarget('multiclass', facts('y', Array(MAX_CLASSES).fill(50)), SHARES).errors).toEqual([]);
    const over = checkTarget('multiclass', facts('y', Array(MAX_CLASSES + 1).fill(50)), SHARES);
    expect(over.errors).toHaveLength(1);
    // A text column cannot be a regression target: the advice leaves Regression out.
    expect(over.errors[0]).toBe('“y” has 101 classes for 5,050 rows: too many for a classifier (at most 100, and at least 5 rows a class on average). Pick another target.');
  });

  it('the rows-per-class limit: 20 classes need 100 labelled rows', () => {
    const enough = Array(20).fill(MIN_ROWS_PER_CLASS);
    expect(checkTarget('multiclass', facts('y', enough), SHARES).errors).toEqual([]);
    const short = [...enough];
    short[0] = MIN_ROWS_PER_CLASS - 1; // 99 rows for 20 classes: 4.95 a class
    expect(checkTarget('multiclass', facts('y', short), SHARES).errors[0]).toMatch(/^“y” has 20 classes for 99 rows: too many for a classifier/);
  });

  it('a single value, no values, and dates are refused', () => {
    const one = targetFacts(textColumn('flag', ['x', 'x', 'x', null]));
    expect(checkTarget('binary', one, SHARES).errors).toEqual(['“flag” has a single value (“x”): there is nothing to predict. Pick another target.']);
    const none = targetFacts(textColumn('empty', [null, null, null]));
    expect(checkTarget('binary', none, SHARES).errors).toEqual(['“empty” has no values: there is nothing to learn from. Pick another target.']);
    expect(checkTarget('binary', { ...facts('when', [50, 50]), type: 'datetime' }, SHARES).errors).toEqual(['“when” holds dates: it cannot be a target. Pick another target.']);
  });

  it('too few rows for a test split is refused before training', () => {
    // 2 labelled rows at 70/15/15: both go to training (1.4 rows and the larger remainder), none to test.
    const check = checkTarget('binary', facts('y', [1, 1]), SHARES);
    expect(check.errors).toEqual(['With 2 labelled rows the test split would be empty. Use a dataset with more rows, or change the split shares.']);
  });
});

describe('warnings for targets that work but will disappoint', () => {
  it('names up to 5 classes too small to reach every split, with the count of the rest', () => {
    // 30 classes of 20 rows plus 7 of one row and 1 of two rows: with 3 splits, 8 classes cannot be in all of them.
    const counts = [...Array(30).fill(20), 1, 1, 1, 1, 1, 1, 1, 2];
    const check = checkTarget('multiclass', facts('y', counts), SHARES);
    expect(check.errors).toEqual([]);
    const w = check.warnings.find((x) => x.includes('cannot appear'));
    expect(w).toBe(
      '8 classes have fewer than 3 rows (“c30” 1 row, “c31” 1 row, “c32” 1 row, “c33” 1 row, “c34” 1 row and 3 more): they cannot appear in all 3 splits, so the model may never train on them or the test split may not measure them. Consider merging rare classes.',
    );
    expect(MAX_NAMED).toBe(5);
  });

  it('with no validation split, only classes of a single row are too small', () => {
    const check = checkTarget('multiclass', facts('y', [40, 40, 40, 2, 1]), { train: 0.8, validation: 0, test: 0.2 });
    expect(check.warnings).toEqual([
      '1 class has a single row (“c4” 1 row): it cannot appear in all 2 splits, so the model may never train on it or the test split may not measure it. Consider merging rare classes.',
    ]);
  });

  it('counts the single-row classes the profile did not keep: every class past its top 20 is no larger than the last kept', () => {
    // 10 classes of 30 rows, then 40 classes of 1 row: the profile keeps 20 values (10 of 30, 10 of 1).
    const values = [...Array.from({ length: 10 }, (_, c) => Array<string>(30).fill(`big${c}`)).flat(), ...Array.from({ length: 40 }, (_, c) => `rare${String(c).padStart(2, '0')}`)];
    const f = targetFacts(textColumn('y', values));
    expect(f.complete).toBe(false);
    expect(f.counts).toHaveLength(20);
    const w = checkTarget('multiclass', f, SHARES).warnings.find((x) => x.includes('cannot appear'));
    expect(w).toMatch(/^40 classes have fewer than 3 rows \(“rare00” 1 row, “rare01” 1 row, “rare02” 1 row, “rare03” 1 row, “rare04” 1 row and 35 more\)/);
  });

  it('says nothing of small classes it cannot know of', () => {
    // 25 classes of 12 rows: the top 20 are all big, the other 5 (60 rows) may be anything, but are 12 each here.
    const values = Array.from({ length: 25 }, (_, c) => Array<string>(12).fill(`k${c}`)).flat();
    const check = checkTarget('multiclass', targetFacts(textColumn('y', values)), SHARES);
    expect(check).toEqual({ errors: [], warnings: [] });
  });

  it('warns when the test split has fewer rows than there are classes', () => {
    // 100 classes of 6 rows: 600 rows, 90 in the test split.
    const check = checkTarget('multiclass', facts('y', Array(100).fill(6)), SHARES);
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([
      'The test split (90 rows) has fewer rows than “y” has classes (100): some classes will have no test row, and their recall cannot be measured.',
    ]);
  });

  it('regression: few distinct values are a warning, a text target an error', () => {
    const grades = checkTarget('regression', facts('grade', [100, 100, 100], 'integer'), SHARES);
    expect(grades.errors).toEqual([]);
    expect(grades.warnings).toEqual(['“grade” has only 3 distinct values: a regression predicts numbers in between them. If they are categories, choose Multiclass classification.']);
    const many = checkTarget('regression', facts('price', Array(500).fill(2), 'numeric'), SHARES);
    expect(many).toEqual({ errors: [], warnings: [] });
    expect(checkTarget('regression', facts('city', [50, 50, 50]), SHARES).errors).toEqual([
      '“city” is categorical: regression predicts a number. Choose a classification task, or pick a numeric target.',
    ]);
  });
});

describe('picking the target again', () => {
  const col = (name: string, type: ColumnType, index: number): ColumnSchema => ({ name, originalName: name, index, type, inferredType: type, storage: 'num' });
  const columns: ColumnFacts[] = [
    { schema: col('age', 'integer', 0), unique: 50, count: 200 },
    { schema: col('bmi', 'numeric', 1), unique: 180, count: 200 },
    { schema: col('sick', 'boolean', 2), unique: 2, count: 200 },
  ];

  it('picking the current target leaves the features (and everything else) unchanged', () => {
    const config = configForDataset('a'.repeat(64), columns, 'sick', null);
    expect(config.features).toEqual(['age', 'bmi']);
    const again = withTarget(config, columns, 'sick');
    expect(again.features).toEqual(['age', 'bmi']);
    expect(again).toEqual(config);
  });

  it('picking another target still swaps it with the old one', () => {
    const config = configForDataset('a'.repeat(64), columns, 'sick', null);
    const next = withTarget(config, columns, 'bmi');
    expect(next.target).toBe('bmi');
    expect(next.task).toBe('regression');
    expect(next.features).toEqual(['age', 'sick']);
  });
});

describe('many classes stay cheap to store and draw', () => {
  // 60 classes, 4 test rows of class c for c < 30 and 1 row otherwise; the model gives the true class 0.5.
  const k = 60;
  const y: number[] = [];
  for (let c = 0; c < k; c++) for (let r = 0; r < (c < 30 ? 4 : 1); r++) y.push(c);
  const proba = new Float64Array(y.length * k).fill(0.5 / (k - 1));
  y.forEach((c, i) => (proba[i * k + c] = 0.5));
  const names = Array.from({ length: k }, (_, c) => `c${c}`);
  const m = classificationMetrics(Uint32Array.from(y), proba, names);

  it('keeps curve points for the 20 classes with the most test rows, and every AUC', () => {
    const drawn = m.curves.filter((c) => c.roc !== null);
    expect(drawn).toHaveLength(MAX_CURVE_CLASSES);
    expect(drawn.every((c) => c.positives === 4)).toBe(true);
    // The true class always scores highest: every one-vs-rest AUC is 1, kept or not.
    expect(m.curves.every((c) => c.rocAuc === 1)).toBe(true);
    expect(m.rocAuc).toBe(1);
    expect(m.notes.filter((n) => n.includes('curves'))).toHaveLength(1);
  });

  it('leaves the per-class recalls of more than 20 classes out of the compared metrics', () => {
    const metrics = runMetrics({ ...m, task: 'multiclass' });
    expect(Object.keys(metrics).filter((key) => key.startsWith('recall:'))).toEqual([]);
    expect(metrics.balancedAccuracy).toBe(1);
  });
});
