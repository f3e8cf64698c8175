/**
 * A run's configuration: its type, the config with every default, its
 * validation (one message per bad field) and the repair of stored configs,
 * all driven by the field descriptions in train-fields.ts.
 */
import type { ColumnSchema } from '../common';
import type { BackendChoice } from './training';
import { TRAIN_FIELDS, fieldApplies, isMinibatch, type NumberField } from './train-fields';

export { TRAIN_FIELDS, fieldApplies, fieldOf, isExact, isMinibatch, type FieldSpec } from './train-fields';

export type Task = 'binary' | 'multiclass' | 'regression';
export type ModelKind = 'linear' | 'mlp';
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu';
export type OptimizerName = 'adam' | 'sgd';
export type Monitor = 'val_loss' | 'val_metric';
export type Imputation = 'median' | 'mean';
export type Imbalance = 'none' | 'class-weights' | 'oversample' | 'undersample' | 'smote';
export type ThresholdRuleName = 'default' | 'max-f1' | 'target-recall';
/** How a linear model is fitted: full batch to convergence (as scikit-learn), or mini-batch epochs. */
export type SolverName = 'exact' | 'minibatch';

/** A run's full configuration: flat, plain JSON, stored with the run. */
export interface TrainConfig {
  datasetHash: string;
  target: string;
  features: string[];
  task: Task;
  model: ModelKind;
  /** Units of each hidden layer of the MLP, e.g. [64, 64]. Ignored by the linear model. */
  hiddenUnits: number[];
  activation: Activation;
  dropout: number;
  l2: number;
  /** Linear models: the full-batch solver (default) or mini-batch training. */
  solver: SolverName;
  /** Full-batch linear classifiers: inverse L2 strength, scikit-learn's C. */
  C: number;
  /** Full-batch solver: at most this many iterations. */
  maxIter: number;
  /** Full-batch solver: stop when the largest gradient entry of the mean objective is at most this. */
  tol: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** Mini-batch training: batch size and epochs chosen from the row count (then `epochs` and `batchSize` are ignored). */
  autoBudget: boolean;
  /** Mini-batch training: stop at the end of the epoch that passes this many minutes. */
  maxMinutes: number;
  epochs: number;
  batchSize: number;
  earlyStopping: boolean;
  patience: number;
  monitor: Monitor;
  trainFraction: number;
  validationFraction: number;
  testFraction: number;
  stratify: boolean;
  impute: Imputation;
  missingIndicators: boolean;
  topK: number;
  /** How the training split is rebalanced (classification only; validation and test keep the true distribution). */
  imbalance: Imbalance;
  /** Binary only: how the decision threshold is chosen on the validation split. */
  thresholdRule: ThresholdRuleName;
  targetRecall: number;
  seed: number;
  backend: BackendChoice;
}

type Key = keyof TrainConfig;

/** A config with every default, for a dataset version and target. */
export function defaultTrainConfig(datasetHash: string, target: string, task: Task, features: string[]): TrainConfig {
  const c: Record<string, unknown> = { datasetHash, target, task, features: [...features] };
  for (const f of TRAIN_FIELDS) {
    if (f.key === 'task' || !('defaultValue' in f)) continue;
    c[f.key] = f.kind === 'units' ? [...f.defaultValue] : f.defaultValue;
  }
  return c as unknown as TrainConfig;
}

export interface ConfigIssue {
  key: Key;
  message: string;
}

function checkNumber(f: NumberField, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${f.label} must be a number.`;
  if (f.integer && !Number.isInteger(v)) return `${f.label} must be a whole number.`;
  if (f.minExclusive ? v <= f.min : v < f.min) return `${f.label} must be ${f.minExclusive ? 'more than' : 'at least'} ${f.min}.`;
  if (v > f.max) return `${f.label} must be at most ${f.max}.`;
  return null;
}

/**
 * Every problem with a config, as messages for the screen, one per field.
 * `schema` is the dataset version's columns, to check the target and features.
 */
export function validateTrainConfig(config: TrainConfig, schema: readonly ColumnSchema[] | null): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Set(schema?.map((c) => c.name) ?? []);
  for (const f of TRAIN_FIELDS) {
    if (!fieldApplies(f, config)) continue;
    const v = config[f.key];
    let message: string | null = null;
    switch (f.kind) {
      case 'number':
        message = checkNumber(f, v);
        break;
      case 'choice':
        if (!f.options.some((o) => o.value === v)) message = `${f.label}: choose one of ${f.options.map((o) => o.value).join(', ')}.`;
        break;
      case 'boolean':
        if (typeof v !== 'boolean') message = `${f.label} must be on or off.`;
        break;
      case 'units': {
        const units = v as unknown;
        if (!Array.isArray(units) || units.length === 0) message = 'Give at least one hidden layer, e.g. 64, 64.';
        else if (units.length > f.maxLayers) message = `At most ${f.maxLayers} hidden layers.`;
        else if (!units.every((u) => Number.isInteger(u) && u >= f.minUnits && u <= f.maxUnits)) {
          message = `Each layer needs a whole number of units from ${f.minUnits} to ${f.maxUnits}.`;
        }
        break;
      }
      case 'dataset':
        if (typeof v !== 'string' || v === '') message = 'Pick a dataset version.';
        break;
      case 'column':
        if (typeof v !== 'string' || v === '') message = 'Pick a target column.';
        else if (schema && !names.has(v)) message = `The dataset has no column “${v}”.`;
        break;
      case 'columns': {
        const feats = v as unknown;
        if (!Array.isArray(feats) || feats.length === 0) message = 'Pick at least one feature.';
        else if (feats.includes(config.target)) message = `The target “${config.target}” cannot also be a feature.`;
        else if (schema) {
          const unknown = feats.filter((x) => !names.has(String(x)));
          if (unknown.length > 0) message = `The dataset has no column ${unknown.map((x) => `“${String(x)}”`).join(', ')}.`;
        }
        break;
      }
    }
    if (message) issues.push({ key: f.key, message });
  }
  const sum = config.trainFraction + config.validationFraction + config.testFraction;
  if (issues.every((i) => !i.key.endsWith('Fraction')) && Math.abs(sum - 1) > 1e-9) {
    issues.push({ key: 'testFraction', message: `Train, validation and test shares must add up to 1 (they add up to ${+sum.toFixed(6)}).` });
  }
  if (config.task === 'binary' && config.thresholdRule !== 'default' && config.validationFraction === 0) {
    issues.push({ key: 'validationFraction', message: 'Tuning the decision threshold needs a validation share above 0.' });
  }
  if (isMinibatch(config) && config.earlyStopping && config.validationFraction === 0) {
    issues.push({ key: 'validationFraction', message: 'Early stopping needs a validation share above 0.' });
  }
  return issues;
}

/**
 * Repairs a stored or imported config: unknown keys dropped, missing or
 * mistyped fields set to their defaults. Values in range are kept as they are.
 */
export function normalizeTrainConfig(raw: unknown): TrainConfig {
  const o = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  // A config stored before the full-batch solver and the automatic budget trained in mini-batch epochs
  // with the epochs and batch size it names: keep that meaning, so Reproduce repeats what ran.
  if (!('solver' in o) && 'epochs' in o) {
    o.solver = 'minibatch';
    o.autoBudget = false;
    o.maxMinutes ??= 1440;
    o.patience ??= 3;
  }
  const c: Record<string, unknown> = {};
  for (const f of TRAIN_FIELDS) {
    const v = o[f.key];
    switch (f.kind) {
      case 'number':
        c[f.key] = typeof v === 'number' && Number.isFinite(v) ? v : f.defaultValue;
        break;
      case 'choice':
        c[f.key] = typeof v === 'string' && f.options.some((x) => x.value === v) ? v : f.defaultValue;
        break;
      case 'boolean':
        c[f.key] = typeof v === 'boolean' ? v : f.defaultValue;
        break;
      case 'units':
        c[f.key] = Array.isArray(v) && v.every((u) => typeof u === 'number') ? [...(v as number[])] : [...f.defaultValue];
        break;
      case 'dataset':
      case 'column':
        c[f.key] = typeof v === 'string' ? v : '';
        break;
      case 'columns':
        c[f.key] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
        break;
    }
  }
  return c as unknown as TrainConfig;
}

/** Parses "64, 32" into [64, 32]; NaN entries are kept so validation can name them. */
export function parseUnits(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter((s) => s !== '')
    .map((s) => Number(s));
}
