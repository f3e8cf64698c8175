import { describe, expect, it } from 'vitest';
import {
  TRAIN_FIELDS,
  defaultTrainConfig,
  fieldApplies,
  normalizeTrainConfig,
  parseUnits,
  validateTrainConfig,
  type TrainConfig,
  defaultFeatures,
  inferTask,
} from '../../../../src/lib/core/training';
import type { ColumnSchema, ColumnType } from '../../../../src/lib/core/common';

function col(name: string, type: ColumnType, index = 0): ColumnSchema {
  return { name, originalName: name, index, type, inferredType: type, storage: type === 'numeric' || type === 'integer' ? 'num' : 'dict' };
}

const schema = [col('id', 'text', 0), col('age', 'integer', 1), col('bmi', 'numeric', 2), col('sex', 'categorical', 3), col('sick', 'boolean', 4)];

function config(patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...defaultTrainConfig('a'.repeat(64), 'sick', 'binary', defaultFeatures(schema, 'sick')), ...patch };
}

describe('train config schema', () => {
  it('gives every field a visible label and every non-data field a default', () => {
    for (const f of TRAIN_FIELDS) {
      expect(f.label.length).toBeGreaterThan(2);
      if (f.kind !== 'dataset' && f.kind !== 'column' && f.kind !== 'columns') expect(f).toHaveProperty('defaultValue');
    }
    expect(new Set(TRAIN_FIELDS.map((f) => f.key)).size).toBe(TRAIN_FIELDS.length);
  });

  it('has defaults that validate, with features excluding the target and identifiers', () => {
    const c = config();
    expect(c.features).toEqual(['age', 'bmi', 'sex']);
    expect(c.model).toBe('linear');
    expect(c.backend).toBe('auto');
    expect(c.trainFraction + c.validationFraction + c.testFraction).toBeCloseTo(1, 12);
    expect(validateTrainConfig(c, schema)).toEqual([]);
  });

  it('infers the task from the target column', () => {
    expect(inferTask(col('y', 'boolean'), 2)).toBe('binary');
    expect(inferTask(col('y', 'categorical'), 2)).toBe('binary');
    expect(inferTask(col('y', 'categorical'), 4)).toBe('multiclass');
    expect(inferTask(col('y', 'integer'), 5)).toBe('multiclass');
    expect(inferTask(col('y', 'integer'), 300)).toBe('regression');
    expect(inferTask(col('y', 'numeric'), 3)).toBe('regression');
  });

  it('names each bad field with a message for the screen', () => {
    const issues = validateTrainConfig(config({ solver: 'minibatch', autoBudget: false, learningRate: 0, epochs: 2.5, batchSize: -1, optimizer: 'rmsprop' as never }), schema);
    const byKey = Object.fromEntries(issues.map((i) => [i.key, i.message]));
    expect(byKey.learningRate).toBe('Learning rate must be more than 0.');
    expect(byKey.epochs).toBe('Epochs must be a whole number.');
    expect(byKey.batchSize).toBe('Batch size must be at least 1.');
    expect(byKey.optimizer).toMatch(/choose one of adam, sgd/);
  });

  it('checks MLP layers only for the MLP', () => {
    expect(validateTrainConfig(config({ hiddenUnits: [] }), schema)).toEqual([]);
    const issues = validateTrainConfig(config({ model: 'mlp', hiddenUnits: [64, 0] }), schema);
    expect(issues).toEqual([{ key: 'hiddenUnits', message: 'Each layer needs a whole number of units from 1 to 1024.' }]);
    expect(validateTrainConfig(config({ model: 'mlp', hiddenUnits: parseUnits('64, 32') }), schema)).toEqual([]);
  });

  it('refuses shares that do not add up, and early stopping without validation rows', () => {
    expect(validateTrainConfig(config({ trainFraction: 0.8 }), schema)).toEqual([
      { key: 'testFraction', message: 'Train, validation and test shares must add up to 1 (they add up to 1.1).' },
    ]);
    const noVal = validateTrainConfig(config({ model: 'mlp', trainFraction: 0.85, validationFraction: 0 }), schema);
    expect(noVal).toEqual([{ key: 'validationFraction', message: 'Early stopping needs a validation share above 0.' }]);
    expect(validateTrainConfig(config({ model: 'mlp', trainFraction: 0.85, validationFraction: 0, earlyStopping: false }), schema)).toEqual([]);
    // The full-batch linear fit has no epochs to stop early: it needs no validation rows.
    expect(validateTrainConfig(config({ trainFraction: 0.85, validationFraction: 0 }), schema)).toEqual([]);
  });

  it('refuses the target as a feature and columns the dataset lacks', () => {
    expect(validateTrainConfig(config({ features: ['age', 'sick'] }), schema)[0]?.message).toBe('The target “sick” cannot also be a feature.');
    expect(validateTrainConfig(config({ features: ['nope'] }), schema)[0]?.message).toBe('The dataset has no column “nope”.');
    expect(validateTrainConfig(config({ target: 'gone' }), schema)[0]?.message).toBe('The dataset has no column “gone”.');
    expect(validateTrainConfig(config({ features: [] }), schema)[0]?.message).toBe('Pick at least one feature.');
  });

  it('fits a linear model to convergence by default, as scikit-learn: C = 1, tol 1e-4, 100 iterations; mini-batch settings hidden', () => {
    const c = defaultTrainConfig('h', 'sick', 'binary', ['age']);
    expect([c.model, c.solver, c.C, c.tol, c.maxIter]).toEqual(['linear', 'exact', 1, 1e-4, 100]);
    const shown = (cfg: TrainConfig) => TRAIN_FIELDS.filter((f) => fieldApplies(f, cfg)).map((f) => f.key);
    expect(shown(c)).toEqual(expect.arrayContaining(['solver', 'C', 'maxIter', 'tol']));
    expect(shown(c)).not.toEqual(expect.arrayContaining(['learningRate']));
    expect(shown(c).some((k) => ['learningRate', 'epochs', 'batchSize', 'earlyStopping', 'l2', 'autoBudget'].includes(k))).toBe(false);
    // Regression's full-batch fit is least squares with the l2 (ridge) field, 0 = ordinary least squares.
    expect(shown({ ...c, task: 'regression' })).toEqual(expect.arrayContaining(['l2']));
    expect(shown({ ...c, task: 'regression' })).not.toContain('C');
    // An MLP trains in mini-batches with a budget chosen from the data.
    const mlp = shown({ ...c, model: 'mlp' });
    expect(mlp).toEqual(expect.arrayContaining(['learningRate', 'autoBudget', 'maxMinutes', 'earlyStopping', 'patience']));
    expect(mlp).not.toContain('epochs');
    expect(mlp).not.toContain('solver');
    expect(shown({ ...c, model: 'mlp', autoBudget: false })).toEqual(expect.arrayContaining(['epochs', 'batchSize']));
    expect(c.patience).toBe(10);
  });

  it('reads a config stored before the solver existed as the mini-batch run it was', () => {
    const old = { ...config({ epochs: 7, batchSize: 64, patience: 3 }) } as Record<string, unknown>;
    for (const k of ['solver', 'C', 'maxIter', 'tol', 'autoBudget', 'maxMinutes']) delete old[k];
    const repaired = normalizeTrainConfig(old);
    expect([repaired.solver, repaired.autoBudget, repaired.epochs, repaired.batchSize, repaired.patience]).toEqual(['minibatch', false, 7, 64, 3]);
    // A current config keeps its solver.
    expect(normalizeTrainConfig(config()).solver).toBe('exact');
  });

  it('repairs a stored config: unknown keys dropped, bad values defaulted, good values kept', () => {
    const repaired = normalizeTrainConfig({ ...config({ learningRate: 0.003, model: 'mlp' }), epochs: 'ten', evil: 1, __proto__: { x: 1 } });
    expect(repaired.learningRate).toBe(0.003);
    expect(repaired.model).toBe('mlp');
    expect(repaired.epochs).toBe(10);
    expect(Object.keys(repaired)).toEqual(TRAIN_FIELDS.map((f) => f.key));
    expect(normalizeTrainConfig(null).features).toEqual([]);
  });
});
