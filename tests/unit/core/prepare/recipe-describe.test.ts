import { describe, expect, it } from 'vitest';
import { describeRecipe, describeStep, type PrepareStep } from '../../../../src/lib/core/prepare';

const EXTRA = '0123456789abcdef'.repeat(4);

describe('describeStep', () => {
  it('says every kind of step in words', () => {
    const lines: [PrepareStep, string][] = [
      [{ kind: 'drop', columns: ['Race'] }, 'Drop column Race'],
      [{ kind: 'drop', columns: ['Race', 'Sex', 'id'] }, 'Drop columns Race, Sex and id'],
      [{ kind: 'rename', from: 'SleepTime', to: 'Sleep' }, 'Rename SleepTime to Sleep'],
      [{ kind: 'cast', column: 'id', to: 'text' }, 'Cast id to text'],
      [{ kind: 'cast', column: 'Code', to: 'number' }, 'Cast Code to numbers'],
      [{ kind: 'filter', expression: ' BMI > 25 ' }, 'Keep rows where BMI > 25'],
      [{ kind: 'fill-missing', column: 'SleepTime', method: 'median' }, 'Fill missing SleepTime with the median'],
      [{ kind: 'fill-missing', column: 'BMI', method: 'mean' }, 'Fill missing BMI with the mean'],
      [{ kind: 'fill-missing', column: 'Sex', method: 'mode' }, 'Fill missing Sex with the most common value'],
      [{ kind: 'fill-missing', column: 'Sex', method: 'value', value: 'Unknown' }, 'Fill missing Sex with “Unknown”'],
      [{ kind: 'fill-missing', column: 'BMI', method: 'value', value: 0 }, 'Fill missing BMI with 0'],
      [{ kind: 'drop-missing', columns: [] }, 'Drop rows with any missing value'],
      [{ kind: 'drop-missing', columns: ['BMI', 'Sex'] }, 'Drop rows with a missing BMI or Sex'],
      [{ kind: 'derive', name: 'Ratio', expression: 'BMI / SleepTime' }, 'Add column Ratio = BMI / SleepTime'],
      [{ kind: 'dedupe', columns: [] }, 'Remove duplicate rows'],
      [{ kind: 'dedupe', columns: ['id'] }, 'Remove rows that repeat id'],
      [{ kind: 'bin', column: 'BMI', name: 'BMIBand', bins: 4, method: 'equal-width' }, 'Bin BMI into 4 equal-width bins as BMIBand'],
      [{ kind: 'bin', column: 'Age', name: 'AgeBand', bins: 5, method: 'quantile' }, 'Bin Age into 5 quantile bins as AgeBand'],
      [{ kind: 'join', versionHash: EXTRA, on: ['id'], how: 'left' }, 'Join heart-extra v1 on id (left)'],
      [{ kind: 'join', versionHash: EXTRA, on: ['id', 'Sex'], how: 'inner' }, 'Join heart-extra v1 on id and Sex (inner)'],
    ];
    const label = (hash: string) => (hash === EXTRA ? 'heart-extra v1' : '?');
    for (const [step, line] of lines) expect(describeStep(step, label)).toBe(line);
  });
  it('names a joined version by its short hash without a label, and says what is not chosen yet', () => {
    expect(describeStep({ kind: 'join', versionHash: EXTRA, on: ['id'], how: 'left' })).toBe('Join version 0123456789ab on id (left)');
    expect(describeStep({ kind: 'join', versionHash: '', on: [], how: 'left' })).toBe('Join a dataset (none chosen) on … (no key yet) (left)');
    expect(describeStep({ kind: 'filter', expression: '' })).toBe('Keep rows where … (no condition yet)');
  });
  it('describes a recipe line by line, in order', () => {
    expect(describeRecipe({ steps: [{ kind: 'filter', expression: 'BMI > 25' }, { kind: 'dedupe', columns: [] }] })).toEqual([
      'Keep rows where BMI > 25',
      'Remove duplicate rows',
    ]);
  });
});
