import { describe, expect, it } from 'vitest';
import { TRAIN_FIELDS, fieldOf } from '../../../../src/lib/core/training';

describe('train fields: essentials and Advanced', () => {
  it('marks exactly the settings a first run needs as essential, in form order', () => {
    const essential = TRAIN_FIELDS.filter((f) => f.essential).map((f) => f.key);
    expect(essential).toEqual(['datasetHash', 'target', 'task', 'features', 'model', 'imbalance', 'thresholdRule', 'targetRecall']);
  });

  it('leaves every other setting, the backend and seed among them, under Advanced', () => {
    for (const key of ['backend', 'seed', 'solver', 'learningRate', 'batchSize', 'epochs', 'trainFraction', 'impute'] as const) {
      expect(fieldOf(key).essential ?? false).toBe(false);
    }
  });

  it('explains the backend choice auto in one line', () => {
    const backend = fieldOf('backend');
    expect(backend.help).toBe('auto: times the backends on this model once and uses the fastest.');
    expect(backend.kind === 'choice' && backend.options[0]).toEqual({ value: 'auto', label: 'auto' });
  });
});
