/**
 * The contract of a training run, shared by the train worker, the run and
 * model repositories and the UI: plain, structured-cloneable data only.
 */
import type { TrainConfig } from './train-config';
import type { PreprocessSpec } from './preprocess';
import type { TargetSpec } from './target';
import type {
  ClassCurves,
  ClassificationMetrics,
  RegressionMetrics,
  ResidualSummary,
  ThresholdChoice,
  Baseline,
} from '../metrics';
import type { ChunkLayout, ColumnSchema } from '../common';

/** A binary run's tuned decision threshold, and what it changes on the test split against 0.5. */
export interface ThresholdReport {
  choice: ThresholdChoice;
  /** Positive-class precision, recall and F1 on the test split at 0.5 and at the chosen threshold. */
  test: { threshold: number; precision: number; recall: number; f1: number }[];
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** A timing of one backend while `auto` chose, on the run's own model and batch shape. */
export interface BackendMeasurement {
  backend: BackendName;
  /** Median milliseconds per training step (forward, backward, update), or null when it failed. */
  msPerStep: number | null;
  error?: string;
}

/** What the GPU adapter says about itself (WebGPU's GPUAdapterInfo), when there is one. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** Which backend trained the run, and why. Stored in the run. */
export interface BackendReport {
  requested: BackendChoice;
  used: BackendName;
  /** One sentence for the screen: "auto: wasm was fastest (3.1 ms/step against …)". */
  reason: string;
  adapter: AdapterInfo | null;
  measurements: BackendMeasurement[];
  /** Fallbacks that happened, in order: "webgpu unavailable (no adapter); used webgl". */
  fallbacks: string[];
}

export interface EnvironmentInfo {
  appVersion: string;
  tfjsVersion: string;
  userAgent: string;
  hardwareConcurrency: number;
}

/** The main metric of a task, drawn per epoch beside the loss. */
export type MainMetric = 'auc' | 'accuracy' | 'rmse';

/** One epoch of training. Metrics of the validation split are null when it is empty. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches (including the L2 penalty). */
  loss: number;
  valLoss: number | null;
  /** The main metric on (a fixed sample of at most 10,000) training rows. */
  metric: number;
  valMetric: number | null;
  ms: number;
}

export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
  /** Rows left out because their target is missing. */
  droppedMissingTarget: number;
}

/**
 * Test-split evaluation, tagged by task. `baseline` is what a model that
 * learned nothing scores on the same rows (absent on runs stored before it existed).
 */
export type Evaluation =
  | ({ task: 'binary' | 'multiclass'; baseline?: Baseline } & Omit<ClassificationMetrics, 'task'>)
  | ({ task: 'regression'; baseline?: Baseline } & RegressionMetrics);

/**
 * A binary run's test split as its model scored it, kept so the decision
 * threshold can be moved afterwards without retraining: `labels[i]` is 1 when
 * row i is of class 1 (the positive class, `classes[1]`), `scores[i]` is the
 * model's p(class 1).
 */
export interface TestScores {
  labels: Uint8Array;
  scores: Float32Array;
}

/**
 * How a linear model was fitted by the full-batch solver: Newton's method
 * (logistic / softmax) or a direct least-squares solve, to a gradient tolerance.
 */
export interface SolverReport {
  method: 'newton' | 'lbfgs' | 'least-squares';
  iterations: number;
  maxIter: number;
  /** The tolerance on the largest absolute gradient entry of the mean objective (scikit-learn's lbfgs `tol`). */
  tol: number;
  /** The largest absolute gradient entry at the end. */
  gradNorm: number;
  converged: boolean;
  /** The objective at the end: mean (weighted) loss plus the penalty. */
  loss: number;
  /** For the screen: "L2, C = 1 (as scikit-learn)", "none (ordinary least squares)". */
  penalty: string;
}

/**
 * An evaluation without its bulky parts: the ROC / precision-recall curves of
 * a classifier, the residual sample of a regressor. Runs are listed and
 * compared by these numbers; the curves are read only for the runs drawn.
 */
export type EvaluationSummary =
  | ({ task: 'binary' | 'multiclass'; baseline?: Baseline } & Omit<ClassificationMetrics, 'task' | 'curves'>)
  | ({ task: 'regression'; baseline?: Baseline } & Omit<RegressionMetrics, 'residuals'>);

/** What `summarizeEvaluation` takes out of an evaluation. */
export interface EvaluationCurves {
  curves: ClassCurves[] | null;
  residuals: ResidualSummary | null;
}

/** Splits an evaluation into its summary and its curves; `joinEvaluation` puts them back. */
export function summarizeEvaluation(e: Evaluation): { summary: EvaluationSummary; parts: EvaluationCurves } {
  if (e.task === 'regression') {
    const { residuals, ...summary } = e;
    return { summary, parts: { curves: null, residuals } };
  }
  const { curves, ...summary } = e;
  return { summary, parts: { curves, residuals: null } };
}

/** The whole evaluation again, from its summary and curves (missing curves come back empty). */
export function joinEvaluation(summary: EvaluationSummary, parts: EvaluationCurves | undefined): Evaluation {
  if (summary.task === 'regression') {
    const residuals = parts?.residuals ?? { mean: NaN, std: NaN, min: NaN, max: NaN, p05: NaN, p25: NaN, median: NaN, p75: NaN, p95: NaN, predicted: [], residual: [], sampled: false };
    return { ...summary, residuals };
  }
  return { ...summary, curves: parts?.curves ?? [] };
}

/** A model's files as TF.js writes them: `model.json` (topology + weights manifest) and one weights file. */
export interface ModelArtifactsFiles {
  /** The model.json text, in TF.js's layers-model format, pointing at `weights.bin`. */
  modelJson: string;
  weights: ArrayBuffer;
}

/** An input column a model needs, as its preprocessing was fitted. */
export interface InputSchemaColumn {
  name: string;
  type: ColumnSchema['type'];
  /** Categories seen in training (categorical columns), most frequent first. */
  categories?: string[];
}

/** Where a run reads its data: the stored version's chunk Blobs, decoded in the worker. */
export interface DatasetSource {
  hash: string;
  rows: number;
  schema: ColumnSchema[];
  dictBlob: Blob;
  chunks: { layout: ChunkLayout; blob: Blob }[];
}

export interface TrainRequest {
  runId: string;
  config: TrainConfig;
  dataset: DatasetSource;
  /** Continue training: start from this run's saved model instead of fresh weights. */
  init?: { parentRunId: string; modelJson: string; weights: ArrayBuffer };
}

/** Events streamed from the worker while a run trains (a Comlink proxy callback). */
export type TrainEvent =
  | {
      type: 'stage';
      stage: 'loading' | 'preparing' | 'choosing-backend' | 'training' | 'evaluating' | 'saving';
      message: string;
      /** Steps of this stage done and in all (the backends timed), for a progress bar with counts. */
      count?: { done: number; total: number };
    }
  | { type: 'prepared'; sizes: SplitSizes; featureNames: string[]; mainMetric: MainMetric }
  | { type: 'backend'; report: BackendReport }
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; elapsedMs: number; etaMs: number | null; unit?: 'epoch' | 'iteration' }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'notice'; message: string };

/** Everything a completed run produced. */
export interface TrainResult {
  backend: BackendReport;
  environment: EnvironmentInfo;
  sizes: SplitSizes;
  mainMetric: MainMetric;
  epochs: EpochRecord[];
  /** The epoch whose weights were kept (the best one when early stopping restored it). */
  bestEpoch: number;
  stoppedEarly: boolean;
  preprocessing: PreprocessSpec;
  target: TargetSpec;
  inputSchema: InputSchemaColumn[];
  evaluation: Evaluation;
  /** Binary runs with a tuned threshold; the evaluation above uses the chosen threshold. */
  threshold: ThresholdReport | null;
  /** How the training split was rebalanced, for the screen (null: not at all). */
  imbalanceNote: string | null;
  artifacts: ModelArtifactsFiles;
  durationMs: number;
  /** Binary runs: the test split's labels and scores, for the live threshold. */
  testScores: TestScores | null;
  /** Linear models fitted by the full-batch solver; null for mini-batch training. */
  solver: SolverReport | null;
  /** Plain-words findings about the run for the screen (still improving, fitting synthetic rows…). */
  diagnostics: RunDiagnostic[];
}

/** Something the run's own numbers show that a user should know, with what to do. */
export interface RunDiagnostic {
  kind: 'still-improving' | 'not-converged' | 'fitting-synthetic' | 'time-budget';
  message: string;
}

export type TrainOutcome =
  | { status: 'completed'; result: TrainResult }
  | {
      status: 'cancelled' | 'failed';
      /** For the screen: what happened and what to do. */
      message: string;
      epochs: EpochRecord[];
      backend: BackendReport | null;
      environment: EnvironmentInfo | null;
      sizes: SplitSizes | null;
      durationMs: number;
    };
