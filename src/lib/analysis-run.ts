/**
 * The analyses of a trained model version, as the predict worker runs them
 * on its run's test split: which features matter (permutation importance and
 * partial dependence) and fairness per group of sensitive attributes. The
 * test rows are found again from the run's config (the same seeded split
 * training made), encoded once with the version's own preprocessing and
 * predicted from the encoded matrix by a network loaded once. The model code
 * (TF.js) is injected, so this runs in Node tests with a stand-in model.
 */
import {
  decodeColumns,
  encodeTarget,
  requiredColumns,
  splitOf,
  transform,
  type DatasetSource,
  type SourceColumn,
  type TrainConfig,
} from './core/training';
import {
  featureBlocks,
  higherIsBetter,
  metricOf,
  outputColumn,
  outputWidth,
  partialDependence,
  permutationImportance,
  scoreOutputs,
  type ImportanceConfig,
  type ImportanceReport,
} from './core/explain';
import { fairnessReport, type FairnessConfig, type FairnessReport } from './core/fairness';
import { predictClasses } from './core/metrics';
import { NEVER_CANCELLED, type CancelToken, type ColumnData, type RequestIdentity } from './core/common';
import type { PredictableModel } from './ml/batch-predict';
import type { MatrixPredictor } from './ml/matrix-predict';

/** What every analysis is asked about: a model version, its run's dataset version and config. */
export interface AnalysisRequest extends RequestIdentity {
  model: PredictableModel;
  dataset: DatasetSource;
  /** The run's config: its target, split fractions and seed find the test rows again. */
  config: TrainConfig;
}

export interface ImportanceRequest extends AnalysisRequest {
  importance: ImportanceConfig;
  /** Multiclass partial dependence shows this class's probability (default: the first class). */
  favourable?: string | null;
}

export interface FairnessRequest extends AnalysisRequest {
  fairness: FairnessConfig;
}

/** Where an analysis is: `done` of `total` steps of its current phase, and what it does. */
export interface AnalysisProgress {
  done: number;
  total: number;
  label: string;
}

export interface AnalysisDeps {
  /** Loads the version's network (TF.js, on first use in the worker) for matrix predictions. */
  loadModel: (model: PredictableModel) => Promise<MatrixPredictor>;
  token?: CancelToken;
  onProgress?: (progress: AnalysisProgress) => void;
}

/** The run's test split, encoded once. */
export interface EncodedTestSplit {
  /** The dataset row of each matrix row (test rows whose class was seen in training). */
  datasetRows: Uint32Array;
  x: Float32Array;
  rows: number;
  cols: number;
  /** Class index (classification) or value in the target's units (regression) of each row. */
  truth: Float64Array;
  /** Dataset rows with a target value (what training split). */
  present: Uint32Array;
  target: SourceColumn;
  /** Decoded columns by name: the model's inputs, the target and any `extra` asked for. */
  columns: Map<string, SourceColumn>;
}

/**
 * Decodes the columns a run's model reads, finds its test rows again and encodes them.
 * @throws Error naming the target or a column the dataset version lacks, or an empty test split
 */
export async function encodedTestSplit(request: AnalysisRequest, extra: readonly string[] = [], token: CancelToken = NEVER_CANCELLED): Promise<EncodedTestSplit> {
  const { model, dataset, config } = request;
  const has = (name: string) => dataset.schema.some((c) => c.name === name);
  if (!has(config.target)) throw new Error(`The dataset version has no target column “${config.target}”.`);
  const inputs = requiredColumns(model.preprocessing);
  const missing = [...inputs, ...extra].filter((n) => !has(n));
  if (missing.length > 0) throw new Error(`The dataset version has no column ${missing.map((n) => `“${n}”`).join(', ')}.`);
  await token.step();
  const names = [...new Set([config.target, ...inputs, ...extra])];
  const decoded = await decodeColumns(dataset, names);
  const columns = new Map(decoded.map((c) => [c.schema.name, c]));
  const target = columns.get(config.target)!;
  await token.step();
  const { rows: present, split } = splitOf(config, target);
  // Classes never seen in training cannot be scored: those test rows are left out, as in training.
  const { y } = encodeTarget(model.target, target.data, split.test);
  const kept: number[] = [];
  y.forEach((v, i) => {
    if (v === v) kept.push(i);
  });
  if (kept.length === 0) throw new Error('The test split has no row with a target value the model knows.');
  const datasetRows = Uint32Array.from(kept, (i) => split.test[i]!);
  const spec = model.target;
  const truth = Float64Array.from(kept, (i) => (spec.task === 'regression' && spec.scaled ? y[i]! * spec.std + spec.mean : y[i]!));
  await token.step();
  const m = transform(model.preprocessing, decoded.map((c) => ({ name: c.schema.name, data: c.data })), datasetRows);
  return { datasetRows, x: m.x, rows: m.rows, cols: m.cols, truth, present, target, columns };
}

async function withModel<T>(request: AnalysisRequest, deps: AnalysisDeps, test: EncodedTestSplit, work: (net: MatrixPredictor) => Promise<T>): Promise<T> {
  const net = await deps.loadModel(request.model);
  try {
    if (net.cols !== test.cols) throw new Error(`The model takes ${net.cols} features per row, but its preprocessing gives ${test.cols}.`);
    const width = outputWidth(request.model.target);
    if (net.width !== width) throw new Error(`The model gives ${net.width} outputs per row, but its target needs ${width}.`);
    return await work(net);
  } finally {
    net.dispose();
  }
}

/** Permutation importance of every input feature, then partial dependence of the top ones. */
export async function runImportance(request: ImportanceRequest, deps: AnalysisDeps): Promise<ImportanceReport> {
  const token = deps.token ?? NEVER_CANCELLED;
  const cfg = request.importance;
  const report = (p: AnalysisProgress) => deps.onProgress?.(p);
  report({ done: 0, total: 1, label: 'Reading the test split' });
  const test = await encodedTestSplit(request, [], token);
  const spec = request.model.target;
  const metric = metricOf(spec);
  const blocks = featureBlocks(request.model.preprocessing);
  return withModel(request, deps, test, async (net) => {
    const predict = (x: Float32Array, rows: number) => net.predict(x, rows, token.step);
    const total = blocks.length * cfg.repeats;
    report({ done: 0, total, label: 'Scoring the test split' });
    const ranked = await permutationImportance({
      x: test.x,
      rows: test.rows,
      cols: test.cols,
      features: blocks,
      score: async (x) => scoreOutputs(spec, metric, test.truth, await predict(x, test.rows)),
      higherIsBetter: higherIsBetter(metric),
      repeats: cfg.repeats,
      seed: cfg.seed,
      step: token.step,
      onProgress: (done, all, feature) => report({ done, total: all, label: `Shuffling ${feature} ${done}/${all}` }),
    });
    // Datetime features have no curve (their parts are several features).
    const top = ranked.features
      .map((f) => blocks.find((b) => b.feature === f.feature)!)
      .filter((b) => b.type !== 'datetime')
      .slice(0, Math.max(0, cfg.topFeatures));
    const curves = await partialDependence({
      x: test.x,
      rows: test.rows,
      cols: test.cols,
      spec: request.model.preprocessing,
      features: top.map((block) => ({ block, data: test.columns.get(block.feature)!.data })),
      datasetRows: test.datasetRows,
      gridPoints: cfg.gridPoints,
      sampleRows: cfg.sampleRows,
      seed: cfg.seed,
      predict,
      output: outputColumn(spec, request.config.target, request.favourable),
      step: token.step,
      onProgress: (done, all, feature) => report({ done, total: all, label: `Partial dependence of ${feature} ${done}/${all}` }),
    });
    token.check();
    return { kind: 'importance', config: cfg, metric, baseline: ranked.baseline, testRows: test.rows, features: ranked.features, partialDependence: curves };
  });
}

/** A column's values at `rows`, as a column of its own (same dictionary). */
export function columnAt(data: ColumnData, rows: Uint32Array): ColumnData {
  if (data.kind === 'num') return { kind: 'num', values: Float64Array.from(rows, (r) => data.values[r]!) };
  return { kind: 'dict', codes: Uint32Array.from(rows, (r) => data.codes[r]!), dict: data.dict };
}

/** The fairness report of a classification model version on its run's test split. */
export async function runFairness(request: FairnessRequest, deps: AnalysisDeps): Promise<FairnessReport> {
  const token = deps.token ?? NEVER_CANCELLED;
  const cfg = request.fairness;
  const spec = request.model.target;
  if (spec.task !== 'classification') {
    throw new Error('Fairness is measured for classification models: this model predicts a number (regression), so there is no favourable outcome to compare between groups.');
  }
  const fav = spec.classes.indexOf(cfg.favourable);
  if (fav < 0) throw new Error(`“${cfg.favourable}” is not a class of “${request.config.target}” (its classes: ${spec.classes.map((c) => `“${c}”`).join(', ')}).`);
  if (cfg.attributes.length === 0) throw new Error('Pick at least one sensitive attribute.');
  const total = 3;
  const report = (done: number, label: string) => deps.onProgress?.({ done, total, label });
  report(0, 'Reading the test split');
  const test = await encodedTestSplit(request, cfg.attributes, token);
  const k = spec.classes.length;
  const threshold = k === 2 ? (request.model.threshold ?? 0.5) : NaN;
  return withModel(request, deps, test, async (net) => {
    report(1, 'Predicting the test split');
    const outputs = await net.predict(test.x, test.rows, token.step);
    const predictedClass = k === 2 ? Uint32Array.from(outputs, (p) => (p >= threshold ? 1 : 0)) : predictClasses(outputs, k);
    // Before training: every dataset row with a target (a class unseen in training is not favourable).
    const { y: all } = encodeTarget(spec, test.target.data, test.present);
    await token.step();
    report(2, `Bootstrapping ${cfg.resamples} resamples`);
    const attribute = (rows: Uint32Array) => cfg.attributes.map((name) => columnAt(test.columns.get(name)!.data, rows));
    const out = fairnessReport({
      config: cfg,
      threshold,
      dataset: { favourable: Uint8Array.from(all, (v) => (v === fav ? 1 : 0)), attributes: attribute(test.present) },
      test: {
        favourable: Uint8Array.from(test.truth, (v) => (v === fav ? 1 : 0)),
        predicted: Uint8Array.from(predictedClass, (c) => (c === fav ? 1 : 0)),
        attributes: attribute(test.datasetRows),
      },
    });
    token.check();
    report(3, 'Done');
    return out;
  });
}
