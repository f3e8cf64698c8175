import { describe, expect, it } from 'vitest';
import {
  checkGroupSummary,
  checkRecipe,
  joinedVersionHashes,
  recipeColumnsOf,
  RecipeError,
  walkRecipe,
  type PrepareStep,
  type RecipeColumn,
} from '../../../../src/lib/core/prepare';

const input: RecipeColumn[] = [
  { name: 'id', kind: 'number' },
  { name: 'Age', kind: 'number' },
  { name: 'BMI', kind: 'number' },
  { name: 'Sex', kind: 'text' },
  { name: 'SleepTime', kind: 'number' },
];
const EXTRA = 'e'.repeat(64);
const joined = new Map<string, RecipeColumn[]>([
  [EXTRA, [{ name: 'id', kind: 'number' }, { name: 'Region', kind: 'text' }, { name: 'BMI', kind: 'number' }]],
]);
const label = (hash: string) => (hash === EXTRA ? 'heart-extra v1' : 'unknown');

function fails(steps: PrepareStep[]): RecipeError {
  const out = checkRecipe({ steps }, input, joined, label);
  if (!(out instanceof RecipeError)) throw new Error(`passed: ${JSON.stringify(out)}`);
  return out;
}

describe('checkRecipe: output columns', () => {
  it('tracks names and kinds through every kind of step', () => {
    const out = checkRecipe(
      {
        steps: [
          { kind: 'rename', from: 'SleepTime', to: 'Sleep' },
          { kind: 'cast', column: 'id', to: 'text' },
          { kind: 'cast', column: 'id', to: 'number' },
          { kind: 'filter', expression: 'BMI > 25' },
          { kind: 'fill-missing', column: 'Sleep', method: 'median' },
          { kind: 'fill-missing', column: 'Sex', method: 'value', value: 'Unknown' },
          { kind: 'drop-missing', columns: [] },
          { kind: 'derive', name: 'Ratio', expression: 'BMI / Sleep' },
          { kind: 'derive', name: 'Heavy', expression: 'BMI > 30' },
          { kind: 'dedupe', columns: ['id'] },
          { kind: 'bin', column: 'Age', name: 'AgeBand', bins: 4, method: 'quantile' },
          { kind: 'join', versionHash: EXTRA, on: ['id'], how: 'left' },
          { kind: 'drop', columns: ['Age'] },
        ],
      },
      input,
      joined,
    );
    expect(out).toEqual([
      { name: 'id', kind: 'number' },
      { name: 'BMI', kind: 'number' },
      { name: 'Sex', kind: 'text' },
      { name: 'Sleep', kind: 'number' },
      { name: 'Ratio', kind: 'number' },
      { name: 'Heavy', kind: 'text' }, // a condition is stored as 'true' / 'false'
      { name: 'AgeBand', kind: 'text' },
      { name: 'Region', kind: 'text' },
      { name: 'BMI_2', kind: 'number' }, // the joined BMI clashes with ours
    ]);
  });
  it('records the columns before each step, for the step editors', () => {
    const walk = walkRecipe({ steps: [{ kind: 'drop', columns: ['Sex'] }, { kind: 'filter', expression: 'Sex == 1' }] }, input);
    expect(walk.before.map((cols) => cols.map((c) => c.name))).toEqual([
      ['id', 'Age', 'BMI', 'Sex', 'SleepTime'],
      ['id', 'Age', 'BMI', 'SleepTime'],
    ]);
    expect(walk.output).toBeNull();
    expect(walk.error?.message).toBe('Step 2 (filter): no column “Sex”');
  });
  it('lists the joined versions once each, in step order', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const join = (versionHash: string): PrepareStep => ({ kind: 'join', versionHash, on: ['id'], how: 'left' });
    expect(joinedVersionHashes({ steps: [join(b), { kind: 'dedupe', columns: [] }, join(a), join(b), join('')] })).toEqual([b, a]);
  });
  it('reads a stored schema: number storage is a number column, dictionary storage text', () => {
    expect(recipeColumnsOf([{ name: 'a', storage: 'num' }, { name: 'b', storage: 'dict' }])).toEqual([
      { name: 'a', kind: 'number' },
      { name: 'b', kind: 'text' },
    ]);
  });
});

describe('checkRecipe: the first problem, naming the step and the column', () => {
  it('an unknown column, with the closest name', () => {
    const e = fails([{ kind: 'drop', columns: ['id'] }, { kind: 'rename', from: 'Sex', to: 'Gender' }, { kind: 'filter', expression: 'Agee > 40' }]);
    expect(e.message).toBe('Step 3 (filter): no column “Agee” — did you mean “Age”?');
    expect(e.step).toBe(2);
    expect(e.column).toBe('Agee');
    expect(fails([{ kind: 'drop-missing', columns: ['bmi'] }]).message).toBe('Step 1 (drop missing): no column “bmi” — did you mean “BMI”?');
    expect(fails([{ kind: 'dedupe', columns: ['Sx'] }]).column).toBe('Sx');
    expect(fails([{ kind: 'cast', column: 'Nope', to: 'text' }]).message).toBe('Step 1 (cast): no column “Nope”');
  });
  it('a column used after an earlier step removed or renamed it', () => {
    const e = fails([{ kind: 'rename', from: 'BMI', to: 'bmi_value' }, { kind: 'bin', column: 'BMI', name: 'b', bins: 3, method: 'equal-width' }]);
    expect(e.message).toBe('Step 2 (bin): no column “BMI” — did you mean “bmi_value”?');
    expect(e.step).toBe(1);
  });
  it('renaming onto an existing name, or to nothing', () => {
    const e = fails([{ kind: 'rename', from: 'BMI', to: 'Age' }]);
    expect(e.message).toBe('Step 1 (rename): a column “Age” already exists — pick another name');
    expect(e.column).toBe('Age');
    expect(fails([{ kind: 'rename', from: 'BMI', to: ' ' }]).message).toBe('Step 1 (rename): the renamed column needs a name');
  });
  it('a derived expression that mixes kinds or does not parse', () => {
    const e = fails([{ kind: 'derive', name: 'x', expression: 'BMI + Sex' }]);
    expect(e.message).toBe('Step 1 (derived column): BMI + Sex: Sex is text');
    expect(e.column).toBe('Sex');
    expect(fails([{ kind: 'derive', name: 'x', expression: 'BMI.constructor' }]).message).toBe('Step 1 (derived column): member access (“.”) is not allowed at character 4');
    expect(fails([{ kind: 'derive', name: '', expression: 'BMI' }]).message).toBe('Step 1 (derived column): the new column needs a name');
    expect(fails([{ kind: 'derive', name: 'x', expression: '' }]).message).toBe('Step 1 (derived column): write an expression, e.g. BMI / 2');
  });
  it('a filter that is not a condition', () => {
    expect(fails([{ kind: 'filter', expression: 'BMI * 2' }]).message).toBe('Step 1 (filter): BMI * 2 is a number, not a condition (true/false), e.g. BMI > 25');
    expect(fails([{ kind: 'filter', expression: '  ' }]).message).toBe('Step 1 (filter): write a condition, e.g. BMI > 25');
  });
  it('binning a text column, fewer than 2 bins, or a name that exists', () => {
    const text = fails([{ kind: 'bin', column: 'Sex', name: 'SexBand', bins: 3, method: 'equal-width' }]);
    expect(text.message).toBe('Step 1 (bin): Sex is text; only a number column can be binned');
    expect(text.column).toBe('Sex');
    expect(fails([{ kind: 'bin', column: 'BMI', name: 'b', bins: 1, method: 'quantile' }]).message).toBe(
      'Step 1 (bin): the number of bins must be a whole number of at least 2, not 1',
    );
    expect(fails([{ kind: 'bin', column: 'BMI', name: 'b', bins: 2.5, method: 'quantile' }]).message).toMatch(/whole number/);
    expect(fails([{ kind: 'bin', column: 'BMI', name: 'Age', bins: 3, method: 'quantile' }]).message).toBe(
      'Step 1 (bin): a column “Age” already exists — pick another name',
    );
  });
  it('join keys missing on either side, of different kinds, or an unavailable version', () => {
    const left = fails([{ kind: 'rename', from: 'id', to: 'key' }, { kind: 'join', versionHash: EXTRA, on: ['id'], how: 'inner' }]);
    expect(left.message).toBe('Step 2 (join): no column “id”');
    expect(left.column).toBe('id');
    const right = fails([{ kind: 'join', versionHash: EXTRA, on: ['Age'], how: 'inner' }]);
    expect(right.message).toBe('Step 1 (join): heart-extra v1: no column “Age”');
    expect(right.column).toBe('Age');
    const kinds = fails([{ kind: 'cast', column: 'id', to: 'text' }, { kind: 'join', versionHash: EXTRA, on: ['id'], how: 'left' }]);
    expect(kinds.message).toBe('Step 2 (join): id is text here but a number in heart-extra v1');
    expect(fails([{ kind: 'join', versionHash: 'f'.repeat(64), on: ['id'], how: 'left' }]).message).toBe('Step 1 (join): unknown is not available to join');
    expect(fails([{ kind: 'join', versionHash: EXTRA, on: [], how: 'left' }]).message).toBe('Step 1 (join): choose the key columns to join heart-extra v1 on');
    expect(fails([{ kind: 'join', versionHash: '', on: ['id'], how: 'left' }]).message).toBe('Step 1 (join): choose the dataset version to join');
  });
  it('a fill value of the wrong kind, or a statistic of text', () => {
    const num = fails([{ kind: 'fill-missing', column: 'SleepTime', method: 'value', value: 'eight' }]);
    expect(num.message).toBe('Step 1 (fill missing): the fill value “eight” is text but SleepTime is a number');
    expect(num.column).toBe('SleepTime');
    expect(fails([{ kind: 'fill-missing', column: 'Sex', method: 'value', value: 0 }]).message).toBe(
      'Step 1 (fill missing): the fill value 0 is a number but Sex is text',
    );
    expect(fails([{ kind: 'fill-missing', column: 'Sex', method: 'mean' }]).message).toBe('Step 1 (fill missing): the mean needs numbers: Sex is text');
    expect(fails([{ kind: 'fill-missing', column: 'BMI', method: 'value' }]).message).toBe('Step 1 (fill missing): give the value to fill BMI with');
  });
  it('dropping every column, or none', () => {
    expect(fails([{ kind: 'drop', columns: ['id', 'Age'] }, { kind: 'drop', columns: ['BMI', 'Sex', 'SleepTime'] }]).message).toBe(
      'Step 2 (drop columns): this would drop every column; keep at least one',
    );
    expect(fails([{ kind: 'drop', columns: [] }]).message).toBe('Step 1 (drop columns): choose at least one column to drop');
  });
});

describe('checkGroupSummary', () => {
  it('accepts counts of anything and statistics of numbers, naming what does not fit', () => {
    expect(checkGroupSummary({ by: ['Sex'], aggregates: [{ column: 'Sex', fn: 'count' }, { column: 'BMI', fn: 'mean' }] }, input)).toBeNull();
    expect(checkGroupSummary({ by: ['Sex'], aggregates: [{ column: 'Sex', fn: 'sum' }] }, input)).toEqual({ column: 'Sex', message: 'Group by: the sum needs numbers: Sex is text' });
    expect(checkGroupSummary({ by: ['Gender'], aggregates: [] }, input)?.column).toBe('Gender');
    expect(checkGroupSummary({ by: [], aggregates: [] }, input)?.message).toBe('Group by: choose the columns to group by');
  });
});
