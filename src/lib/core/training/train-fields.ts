/**
 * Every option of a run, described once: TRAIN_FIELDS drives the train
 * cell's form, validation, normalization of stored configs and the sweep
 * axes, as TensorFlow Playground's State.PROPS does. A new option is one
 * entry here, not edits spread over the form, the validator and the store.
 */
import { BACKEND_NAMES } from './training';
import type { TrainConfig } from './train-config';

type Key = keyof TrainConfig;

const isClassification = (c: TrainConfig) => c.task !== 'regression';
const isBinary = (c: TrainConfig) => c.task === 'binary';

interface FieldBase<K extends Key> {
  key: K;
  label: string;
  group: 'data' | 'model' | 'optimization' | 'split' | 'preprocessing' | 'imbalance' | 'run';
  help?: string;
  /** Shown first in the form; every other field sits under Advanced. */
  essential?: boolean;
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
  { key: 'datasetHash', kind: 'dataset', label: 'Dataset version', group: 'data', essential: true },
  { key: 'target', kind: 'column', label: 'Target column', group: 'data', essential: true },
  {
    key: 'task',
    essential: true,
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
  { key: 'features', kind: 'columns', label: 'Features', group: 'data', essential: true, help: 'Default: every column except the target and identifiers.' },
  {
    key: 'model',
    essential: true,
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
    essential: true,
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
    essential: true,
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
  { key: 'targetRecall', kind: 'number', label: 'Target recall', group: 'imbalance', essential: true, integer: false, min: 0, minExclusive: true, max: 1, step: 0.05, defaultValue: 0.8, when: (c) => isBinary(c) && c.thresholdRule === 'target-recall' },
  { key: 'seed', kind: 'number', label: 'Seed', group: 'run', integer: true, min: 0, max: 2 ** 31 - 1, step: 1, defaultValue: 42 },
  {
    key: 'backend',
    kind: 'choice',
    label: 'Backend',
    group: 'run',
    options: [
      { value: 'auto', label: 'auto' },
      ...BACKEND_NAMES.map((b) => ({ value: b, label: b })),
    ],
    defaultValue: 'auto',
    help: 'auto: times the backends on this model once and uses the fastest.',
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
