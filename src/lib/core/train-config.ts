/**
 * The training configuration, described once. TRAIN_FIELDS drives the train
 * cell's form, validation, normalization of stored configs and (later) the
 * sweep axes, as TensorFlow Playground's State.PROPS does: a new option is one
 * entry here, not edits spread over the form, the validator and the store.
 */
import type { ColumnSchema } from './types';
import { BACKEND_NAMES, type BackendChoice } from './training';

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

const isClassification = (c: TrainConfig) => c.task !== 'regression';
const isBinary = (c: TrainConfig) => c.task === 'binary';

interface FieldBase<K extends Key> {
  key: K;
  label: string;
  group: 'data' | 'model' | 'optimization' | 'split' | 'preprocessing' | 'imbalance' | 'run';
  help?: string;
  /** The field applies (is shown and validated) only when this holds. */
  when?: (c: TrainConfig) => boolean;
}

export interface NumberField<K extends Key = Key> extends FieldBase<K> {
  kind: 'number';
  integer: boolean;
  min: number;
  max: number;
  /** The form's step; also the grid step sweeps use. */
  step: number;
  /** The minimum is excluded (a learning rate of 0 does nothing). */
  minExclusive?: boolean;
  log?: boolean;
  defaultValue: number;
}

export interface ChoiceField<K extends Key = Key> extends FieldBase<K> {
  kind: 'choice';
  options: readonly { value: string; label: string }[];
  defaultValue: string;
}

export interface BooleanField<K extends Key = Key> extends FieldBase<K> {
  kind: 'boolean';
  defaultValue: boolean;
}

export interface UnitsField<K extends Key = Key> extends FieldBase<K> {
  kind: 'units';
  /** Limits per layer and on the number of layers. */
  minUnits: number;
  maxUnits: number;
  maxLayers: number;
  defaultValue: number[];
}

/** Dataset-dependent fields: the dataset version, target and features are picked from the data. */
export interface DataField<K extends Key = Key> extends FieldBase<K> {
  kind: 'dataset' | 'column' | 'columns';
}

export type FieldSpec = NumberField | ChoiceField | BooleanField | UnitsField | DataField;

const isMlp = (c: TrainConfig) => c.model === 'mlp';
/** The run trains in mini-batch epochs (an MLP, or a linear model with the mini-batch solver). */
export const isMinibatch = (c: TrainConfig): boolean => c.model === 'mlp' || c.solver === 'minibatch';
/** The run is a linear model fitted by the full-batch solver. */
export const isExact = (c: TrainConfig): boolean => c.model === 'linear' && c.solver !== 'minibatch';
const stops = (c: TrainConfig) => isMinibatch(c) && c.earlyStopping;

/** Every option of a run, in form order. */
export const TRAIN_FIELDS: readonly FieldSpec[] = [
  { key: 'datasetHash', kind: 'dataset', label: 'Dataset version', group: 'data' },
  { key: 'target', kind: 'column', label: 'Target column', group: 'data' },
  {
    key: 'task',
    kind: 'choice',
    label: 'Task',
    group: 'data',
    options: [
      { value: 'binary', label: 'Binary classification' },
      { value: 'multiclass', label: 'Multiclass classification' },
      { value: 'regression', label: 'Regression' },
    ],
    defaultValue: 'binary',
    help: 'Inferred from the target column; change it when the guess is wrong.',
  },
  { key: 'features', kind: 'columns', label: 'Features', group: 'data', help: 'Default: every column except the target and identifiers.' },
  {
    key: 'model',
    kind: 'choice',
    label: 'Model',
    group: 'model',
    options: [
      { value: 'linear', label: 'Linear (logistic / softmax / linear regression)' },
      { value: 'mlp', label: 'MLP (neural network)' },
    ],
    defaultValue: 'linear',
  },
  { key: 'hiddenUnits', kind: 'units', label: 'Hidden layers (units, comma-separated)', group: 'model', minUnits: 1, maxUnits: 1024, maxLayers: 8, defaultValue: [64, 64], when: isMlp },
  {
    key: 'activation',
    kind: 'choice',
    label: 'Activation',
    group: 'model',
    options: [
      { value: 'relu', label: 'ReLU' },
      { value: 'tanh', label: 'tanh' },
      { value: 'sigmoid', label: 'Sigmoid' },
      { value: 'elu', label: 'ELU' },
    ],
    defaultValue: 'relu',
    when: isMlp,
  },
  { key: 'dropout', kind: 'number', label: 'Dropout', group: 'model', integer: false, min: 0, max: 0.9, step: 0.05, defaultValue: 0, when: isMlp },
  {
    key: 'solver',
    kind: 'choice',
    label: 'Solver',
    group: 'model',
    options: [
      { value: 'exact', label: 'Full batch, to convergence (as scikit-learn)' },
      { value: 'minibatch', label: 'Mini-batch epochs (Adam / SGD)' },
    ],
    defaultValue: 'exact',
    help: 'Full batch: Newton’s method (logistic, softmax) or a direct least-squares solve, stopped on a gradient tolerance.',
    when: (c) => c.model === 'linear',
  },
  {
    key: 'C',
    kind: 'number',
    label: 'C (inverse L2 strength)',
    group: 'model',
    integer: false,
    min: 0,
    minExclusive: true,
    max: 1e6,
    step: 0.1,
    log: true,
    defaultValue: 1,
    help: 'As scikit-learn’s LogisticRegression: smaller C, stronger penalty; the intercept is not penalized.',
    when: (c) => isExact(c) && c.task !== 'regression',
  },
  {
    key: 'l2',
    kind: 'number',
    label: 'L2 penalty',
    group: 'model',
    integer: false,
    min: 0,
    max: 1,
    step: 0.0001,
    defaultValue: 0,
    help: 'Added to the mean loss as l2 × the sum of squared weights; 0 is no penalty (ordinary least squares for a full-batch regression).',
    when: (c) => !(isExact(c) && c.task !== 'regression'),
  },
  { key: 'maxIter', kind: 'number', label: 'Max iterations', group: 'optimization', integer: true, min: 1, max: 1000, step: 1, defaultValue: 100, when: isExact },
  {
    key: 'tol',
    kind: 'number',
    label: 'Gradient tolerance',
    group: 'optimization',
    integer: false,
    min: 0,
    minExclusive: true,
    max: 1,
    step: 0.0001,
    log: true,
    defaultValue: 1e-4,
    help: 'Converged when no gradient entry of the mean objective is larger (scikit-learn’s tol).',
    when: isExact,
  },
  {
    key: 'optimizer',
    kind: 'choice',
    label: 'Optimizer',
    group: 'optimization',
    options: [
      { value: 'adam', label: 'Adam' },
      { value: 'sgd', label: 'SGD' },
    ],
    defaultValue: 'adam',
    when: isMinibatch,
  },
  { key: 'learningRate', kind: 'number', label: 'Learning rate', group: 'optimization', integer: false, min: 0, minExclusive: true, max: 10, step: 0.001, log: true, defaultValue: 0.01, when: isMinibatch },
  {
    key: 'autoBudget',
    kind: 'boolean',
    label: 'Choose batch size and epochs from the data',
    group: 'optimization',
    defaultValue: true,
    help: 'Small tables get small batches and many epochs, large ones the reverse; early stopping ends the run.',
    when: isMinibatch,
  },
  { key: 'maxMinutes', kind: 'number', label: 'Time budget (minutes)', group: 'optimization', integer: false, min: 0.05, max: 1440, step: 0.5, defaultValue: 5, when: isMinibatch },
  { key: 'epochs', kind: 'number', label: 'Epochs', group: 'optimization', integer: true, min: 1, max: 1000, step: 1, defaultValue: 10, when: (c) => isMinibatch(c) && !c.autoBudget },
  { key: 'batchSize', kind: 'number', label: 'Batch size', group: 'optimization', integer: true, min: 1, max: 65536, step: 1, defaultValue: 512, when: (c) => isMinibatch(c) && !c.autoBudget },
  {
    key: 'earlyStopping',
    kind: 'boolean',
    label: 'Early stopping',
    group: 'optimization',
    defaultValue: true,
    help: 'Stop when the monitored validation value has not improved for `patience` epochs, and keep the best epoch’s weights.',
    when: isMinibatch,
  },
  { key: 'patience', kind: 'number', label: 'Patience (epochs)', group: 'optimization', integer: true, min: 1, max: 100, step: 1, defaultValue: 10, when: stops },
  {
    key: 'monitor',
    kind: 'choice',
    label: 'Monitor',
    group: 'optimization',
    options: [
      { value: 'val_loss', label: 'Validation loss' },
      { value: 'val_metric', label: 'Validation main metric' },
    ],
    defaultValue: 'val_loss',
    when: stops,
  },
  { key: 'trainFraction', kind: 'number', label: 'Train share', group: 'split', integer: false, min: 0, minExclusive: true, max: 1, step: 0.05, defaultValue: 0.7 },
  { key: 'validationFraction', kind: 'number', label: 'Validation share', group: 'split', integer: false, min: 0, max: 1, step: 0.05, defaultValue: 0.15 },
  { key: 'testFraction', kind: 'number', label: 'Test share', group: 'split', integer: false, min: 0, minExclusive: true, max: 1, step: 0.05, defaultValue: 0.15 },
  { key: 'stratify', kind: 'boolean', label: 'Stratify by class', group: 'split', defaultValue: true, when: (c) => c.task !== 'regression' },
  {
    key: 'impute',
    kind: 'choice',
    label: 'Impute numbers with',
    group: 'preprocessing',
    options: [
      { value: 'median', label: 'Median' },
      { value: 'mean', label: 'Mean' },
    ],
    defaultValue: 'median',
    help: 'Categories are imputed with the most frequent value.',
  },
  { key: 'missingIndicators', kind: 'boolean', label: 'Add missing-value indicators', group: 'preprocessing', defaultValue: false },
  { key: 'topK', kind: 'number', label: 'Top categories kept (rest → “other”)', group: 'preprocessing', integer: true, min: 1, max: 200, step: 1, defaultValue: 20 },
  {
    key: 'imbalance',
    kind: 'choice',
    label: 'Class imbalance',
    group: 'imbalance',
    options: [
      { value: 'none', label: 'None' },
      { value: 'class-weights', label: 'Class weights (balanced)' },
      { value: 'oversample', label: 'Random oversampling' },
      { value: 'undersample', label: 'Random undersampling' },
      { value: 'smote', label: 'SMOTE (SMOTE-NC with categories)' },
    ],
    defaultValue: 'none',
    help: 'Applied to the training split only; validation and test keep the true class shares.',
    when: isClassification,
  },
  {
    key: 'thresholdRule',
    kind: 'choice',
    label: 'Decision threshold',
    group: 'imbalance',
    options: [
      { value: 'default', label: '0.5' },
      { value: 'max-f1', label: 'Tuned: maximize F1 on validation' },
      { value: 'target-recall', label: 'Tuned: reach a recall, best precision' },
    ],
    defaultValue: 'default',
    when: isBinary,
  },
  { key: 'targetRecall', kind: 'number', label: 'Target recall', group: 'imbalance', integer: false, min: 0, minExclusive: true, max: 1, step: 0.05, defaultValue: 0.8, when: (c) => isBinary(c) && c.thresholdRule === 'target-recall' },
  { key: 'seed', kind: 'number', label: 'Seed', group: 'run', integer: true, min: 0, max: 2 ** 31 - 1, step: 1, defaultValue: 42 },
  {
    key: 'backend',
    kind: 'choice',
    label: 'Backend',
    group: 'run',
    options: [
      { value: 'auto', label: 'auto (measure and pick the fastest)' },
      ...BACKEND_NAMES.map((b) => ({ value: b, label: b })),
    ],
    defaultValue: 'auto',
  },
];

/** The field of a key. */
export function fieldOf(key: Key): FieldSpec {
  const f = TRAIN_FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`No field ${key}`);
  return f;
}

/** Whether a field applies to this config (its `when` holds). */
export function fieldApplies(field: FieldSpec, config: TrainConfig): boolean {
  return field.when ? field.when(config) : true;
}

/** The task a target column suggests: classes for booleans and categories and small integer sets, else regression. */
export function inferTask(column: ColumnSchema, distinct: number): Task {
  if (column.type === 'boolean') return 'binary';
  if (column.type === 'categorical' || column.type === 'text') return distinct <= 2 ? 'binary' : 'multiclass';
  if (column.type === 'integer' && distinct <= 20) return distinct <= 2 ? 'binary' : 'multiclass';
  return 'regression';
}

/** Default features: every column except the target and identifiers / free text. */
export function defaultFeatures(schema: readonly ColumnSchema[], target: string): string[] {
  return schema.filter((c) => c.name !== target && c.type !== 'text').map((c) => c.name);
}

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

/** What the form knows about a dataset version's columns. */
export interface ColumnFacts {
  schema: ColumnSchema;
  /** Distinct non-missing values. */
  unique: number;
  /** Non-missing values. */
  count: number;
}

/** An identifier: text, or an integer / categorical column whose every value is different (a row number, a patient id). */
export function isIdentifier(c: ColumnFacts): boolean {
  if (c.schema.type === 'text') return true;
  return (c.schema.type === 'integer' || c.schema.type === 'categorical') && c.count > 20 && c.unique === c.count;
}

/**
 * The config a train cell starts from for a dataset version: the given
 * target (else the first two-valued column, else the last column), its task
 * inferred, every non-identifier column as a feature, and the other settings
 * kept from `previous` (or the defaults).
 */
export function configForDataset(datasetHash: string, columns: readonly ColumnFacts[], target: string | null, previous: TrainConfig | null): TrainConfig {
  const byName = new Map(columns.map((c) => [c.schema.name, c]));
  const chosen =
    (target && byName.get(target)) ||
    columns.find((c) => !isIdentifier(c) && c.unique === 2) ||
    columns[columns.length - 1];
  const name = chosen?.schema.name ?? '';
  const task = chosen ? inferTask(chosen.schema, chosen.unique) : 'binary';
  const features = columns.filter((c) => c.schema.name !== name && !isIdentifier(c)).map((c) => c.schema.name);
  const fresh = defaultTrainConfig(datasetHash, name, task, features);
  if (!previous) return fresh;
  return { ...previous, datasetHash, target: name, task, features };
}

/** The config after the user picks another target: task re-inferred, the new target taken out of the features and the old one put back. */
export function withTarget(config: TrainConfig, columns: readonly ColumnFacts[], target: string): TrainConfig {
  const chosen = columns.find((c) => c.schema.name === target);
  // Picking the current target again changes nothing (it must not come back as a feature).
  if (!chosen || target === config.target) return config;
  const old = columns.find((c) => c.schema.name === config.target);
  const features = config.features.filter((f) => f !== target);
  if (old && !isIdentifier(old) && !features.includes(old.schema.name)) features.push(old.schema.name);
  const order = new Map(columns.map((c, i) => [c.schema.name, i]));
  features.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { ...config, target, task: inferTask(chosen.schema, chosen.unique), features };
}
