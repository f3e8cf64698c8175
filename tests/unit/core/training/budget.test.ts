import { describe, expect, it } from 'vitest';
import {
  aboutDuration,
  approxInputs,
  autoBatchSize,
  budgetOf,
  estimateBudget,
  MAX_EPOCHS,
  MIN_EPOCHS,
  parameterCount,
  TARGET_STEPS,
  defaultTrainConfig,
} from '../../../../src/lib/core/training';

describe('the automatic mini-batch budget', () => {
  it('gives a 240-row table small batches and hundreds of epochs: thousands of steps, not 10', () => {
    const b = budgetOf({ autoBudget: true, epochs: 10, batchSize: 512 }, 240);
    expect(b.batchSize).toBe(32);
    expect(b.stepsPerEpoch).toBe(8);
    expect(b.epochs).toBe(Math.min(MAX_EPOCHS, Math.ceil(TARGET_STEPS / 8)));
    expect(b.steps).toBe(8 * b.epochs);
    // The old default (10 epochs of 512) was 10 optimizer steps in all on this table.
    expect(budgetOf({ autoBudget: false, epochs: 10, batchSize: 512 }, 240).steps).toBe(10);
  });

  it('gives a 224k-row split large batches and the minimum epochs, and grows the batch with the rows', () => {
    const b = budgetOf({ autoBudget: true, epochs: 10, batchSize: 512 }, 223_857);
    expect(b.batchSize).toBe(256);
    expect(b.epochs).toBe(Math.max(MIN_EPOCHS, Math.ceil(TARGET_STEPS / 875)));
    expect(b.epochs).toBe(23);
    expect(b.stepsPerEpoch).toBe(Math.ceil(223_857 / 256));
    const sizes = [100, 2_000, 2_001, 20_001, 100_001].map(autoBatchSize);
    expect(sizes).toEqual([32, 32, 64, 128, 256]);
  });

  it('keeps the user’s epochs and batch size when the automatic budget is off', () => {
    expect(budgetOf({ autoBudget: false, epochs: 7, batchSize: 100 }, 1_000)).toEqual({ batchSize: 100, epochs: 7, stepsPerEpoch: 10, steps: 70, auto: false });
  });

  it('counts parameters of a dense network and estimates time, capped by the time budget', () => {
    expect(parameterCount(47, [64, 64], 1)).toBe(47 * 64 + 64 + 64 * 64 + 64 + 64 + 1);
    expect(parameterCount(4, [], 3)).toBe(15);
    const config = { ...defaultTrainConfig('h', 't', 'binary', ['a']), model: 'mlp' as const, maxMinutes: 0.1 };
    const e = estimateBudget(config, 223_857, 47, 1)!;
    expect(e.capped).toBe(true);
    expect(e.ms).toBe(6_000);
    // A full-batch linear fit has no step budget.
    expect(estimateBudget(defaultTrainConfig('h', 't', 'binary', ['a']), 1000, 5, 1)).toBeNull();
  });

  it('approximates model inputs from the columns and words durations', () => {
    const cols = [
      { schema: { name: 'a', type: 'numeric' }, unique: 100 },
      { schema: { name: 'b', type: 'categorical' }, unique: 50 },
      { schema: { name: 'c', type: 'categorical' }, unique: 3 },
      { schema: { name: 't', type: 'boolean' }, unique: 2 },
    ];
    expect(approxInputs(cols, ['a', 'b', 'c'], 20)).toBe(1 + 21 + 4);
    expect(aboutDuration(400)).toBe('under a second');
    expect(aboutDuration(42_400)).toBe('about 42 s');
    expect(aboutDuration(150_000)).toBe('about 3 min');
  });
});
