/**
 * From stored columns and a run config to the matrices a model trains on:
 * rows with a missing target left out, a seeded (stratified) split, the
 * target encoding and the feature preprocessing fitted on the training
 * split only, then applied to every split. Pure, so the worker and the
 * tests run exactly the same preparation.
 */
import type { SourceColumn } from './dataset-source';
import { columnAsStrings } from '../csv';
import { fitPreprocessor, transform, type PreprocessSpec } from './preprocess';
import { splitRows } from './split';
import { encodeTarget, fitTarget, type TargetSpec } from './target';
import type { TrainConfig } from './train-config';
import type { InputSchemaColumn, MainMetric, SplitSizes } from './training';

/** One split as dense arrays: x is rows x cols row-major, y the encoded target. */
export interface SplitData {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

export interface PreparedData {
  sizes: SplitSizes;
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  inputSchema: InputSchemaColumn[];
  featureNames: string[];
  mainMetric: MainMetric;
  /** Model outputs: 1 for binary and regression, K for multiclass. */
  outputs: number;
  train: SplitData;
  validation: SplitData;
  test: SplitData;
  /** Things the user should know (columns left out, unseen classes dropped). */
  notices: string[];
}

/** The metric drawn per epoch and used by `auto` comparisons: AUC for binary, accuracy for multiclass, RMSE for regression. */
export function mainMetricOf(task: TrainConfig['task']): MainMetric {
  return task === 'binary' ? 'auc' : task === 'multiclass' ? 'accuracy' : 'rmse';
}

/** Rows whose target is present, and a class id per row for stratification. */
function presentRows(target: SourceColumn): { rows: Uint32Array; classOf: Uint32Array } {
  const { codes } = columnAsStrings(target.data);
  const kept: number[] = [];
  for (let r = 0; r < codes.length; r++) if (codes[r] !== 0) kept.push(r);
  return { rows: Uint32Array.from(kept), classOf: codes };
}

function pick(x: Float32Array, cols: number, rows: Uint32Array | number[]): Float32Array {
  const out = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * cols, rows[i]! * cols + cols), i * cols);
  return out;
}

/**
 * Prepares a run's data. `columns` must hold the target and every feature.
 * @throws Error with a message for the screen when the target does not suit
 * the task, a split would be empty, or no usable feature is left.
 */
/**
 * The rows of a run's splits, from its config and its target column: the
 * same seeded split training made, so the rows a model version was trained
 * on can be found again (the reference of a drift check).
 * @throws Error when fewer than 3 rows have a target value
 */
export function splitOf(config: TrainConfig, target: SourceColumn): { rows: Uint32Array; classOf: ReturnType<typeof presentRows>['classOf']; split: ReturnType<typeof splitRows> } {
  const { rows, classOf } = presentRows(target);
  if (rows.length < 3) throw new Error(`Only ${rows.length} rows have a target value: a model needs more rows to train and test on.`);
  const split = splitRows({
    rows,
    fractions: { train: config.trainFraction, validation: config.validationFraction, test: config.testFraction },
    seed: config.seed,
    stratify: config.task !== 'regression' && config.stratify ? classOf : undefined,
  });
  return { rows, classOf, split };
}

export function prepareData(config: TrainConfig, columns: readonly SourceColumn[]): PreparedData {
  const byName = new Map(columns.map((c) => [c.schema.name, c]));
  const target = byName.get(config.target);
  if (!target) throw new Error(`The target column “${config.target}” was not loaded.`);
  const features = config.features.map((name) => {
    const c = byName.get(name);
    if (!c) throw new Error(`The feature column “${name}” was not loaded.`);
    return c;
  });
  const notices: string[] = [];
  const classification = config.task !== 'regression';
  const { rows, classOf, split } = splitOf(config, target);
  const dropped = classOf.length - rows.length;
  if (dropped > 0) notices.push(`${dropped} rows have no “${config.target}” value and were left out.`);
  if (split.test.length === 0) throw new Error('The test split is empty: raise the test share or use a larger dataset.');

  const targetSpec = fitTarget(target.data, target.schema.type, split.train, {
    task: classification ? 'classification' : 'regression',
    // A standardized regression target keeps the loss near 1 whatever the unit, so one learning rate suits every dataset.
    scale: !classification,
  });
  if (targetSpec.task === 'classification' && config.task === 'binary' && targetSpec.classes.length > 2) {
    throw new Error(
      `“${config.target}” has ${targetSpec.classes.length} classes in the training split: choose multiclass classification, or a target with two values.`,
    );
  }

  const preprocessing = fitPreprocessor(
    features.map((c) => ({ name: c.schema.name, type: c.schema.type, data: c.data })),
    split.train,
    { impute: config.impute, missingIndicators: config.missingIndicators, topK: config.topK },
  );
  const excluded = preprocessing.columns.filter((c) => 'excluded' in c).map((c) => `“${c.name}”`);
  if (excluded.length > 0) notices.push(`Text columns ${excluded.join(', ')} are not used as features (free text and identifiers).`);
  if (preprocessing.featureNames.length === 0) throw new Error('No usable feature is left: pick at least one numeric, boolean, categorical or date column.');

  const inputColumns = features.map((c) => ({ name: c.schema.name, data: c.data }));
  const encode = (name: keyof typeof split): SplitData => {
    const splitRowsOf = split[name];
    const m = transform(preprocessing, inputColumns, splitRowsOf);
    const { y, unknown } = encodeTarget(targetSpec, target.data, splitRowsOf);
    if (unknown === 0) return { x: m.x, y, rows: m.rows };
    // Classes never seen in training cannot be predicted or scored: leave those rows out and say so.
    const keep: number[] = [];
    y.forEach((v, i) => {
      if (v === v) keep.push(i);
    });
    notices.push(`${unknown} ${name} rows have a “${config.target}” value not seen in training and were left out.`);
    return { x: pick(m.x, m.cols, keep), y: Float32Array.from(keep, (i) => y[i]!), rows: keep.length };
  };
  const train = encode('train');
  const validation = encode('validation');
  const test = encode('test');
  if (test.rows === 0) throw new Error('No test row has a class seen in training: nothing can be evaluated.');

  const inputSchema: InputSchemaColumn[] = preprocessing.columns
    .filter((c) => !('excluded' in c))
    .map((c) => {
      const type = features.find((f) => f.schema.name === c.name)!.schema.type;
      return c.type === 'categorical' ? { name: c.name, type, categories: [...c.categories] } : { name: c.name, type };
    });
  const k = targetSpec.task === 'classification' ? targetSpec.classes.length : 1;
  return {
    sizes: { train: train.rows, validation: validation.rows, test: test.rows, droppedMissingTarget: dropped },
    preprocessing,
    target: targetSpec,
    inputSchema,
    featureNames: preprocessing.featureNames,
    mainMetric: mainMetricOf(config.task === 'binary' || k === 2 ? (classification ? 'binary' : 'regression') : config.task),
    outputs: k > 2 ? k : 1,
    train,
    validation,
    test,
    notices,
  };
}
