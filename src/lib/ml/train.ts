/**
 * One training run from request to outcome: load the columns, prepare the
 * data, choose the backend, train with our loop, evaluate on the test split
 * and save the model files. The worker only wires this to Comlink; tests run
 * it directly on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import {
  decodeColumns,
  prepareData,
  type PreparedData,
  type BackendName,
  type BackendReport,
  type EnvironmentInfo,
  type EpochRecord,
  type Evaluation,
  type ModelArtifactsFiles,
  type TrainEvent,
  type TrainOutcome,
  type TrainRequest,
  type ThresholdReport,
  budgetOf,
  type Budget,
  runDiagnostics,
  isExact,
  type SolverReport,
  unscaleTarget,
  type TestScores,
  timingEvent,
  BACKEND_NAMES,
} from '../core/training';
import { chooseBackend, fallbacksAfter, type BackendHost } from './backends';
import { disposeSplit, makeOptimizer, toDevice, trainLoop, trainStep, type DeviceSplit } from './loop';
import { Network, modelSpecOf, type ModelSpec } from './model';
import { evaluateSplit, predictSplit } from './predict';
import {
  scoresAt,
  tuneThreshold,
  type ThresholdRule,
  classificationBaseline,
  regressionBaseline,
  type Baseline,
} from '../core/metrics';
import { applyStrategy, categoricalBlocksOf, classCounts } from '../core/imbalance';
import { deriveSeed } from '../core/common';
import { loadFromFiles, saveToFiles } from './io';
import { fitExact } from './fit-exact';

export interface TrainHooks {
  host: BackendHost;
  environment: () => EnvironmentInfo;
  onEvent?: (e: TrainEvent) => void;
  /** Polled at each loss read-back. */
  isCancelled?: () => boolean;
  /** A message when the active GPU device was lost. */
  deviceLost?: () => string | null;
}

/** About how long `auto` spends timing one backend's step groups (after a warm-up). */
export const MEASURE_MS = 300;

/**
 * Milliseconds per training step of the run's model on the active backend:
 * two warm-up steps (shader compilation, first uploads), then groups of
 * steps with one read-back per group, as the loop itself syncs; the median
 * of three groups.
 */
export async function measureStep(spec: ModelSpec, data: PreparedData, batchSize: number, optimizer: 'adam' | 'sgd', learningRate: number): Promise<number> {
  const rows = Math.min(batchSize, data.train.rows);
  const cols = data.featureNames.length;
  const split = toDevice({ x: data.train.x.subarray(0, rows * cols), y: data.train.y.subarray(0, rows), rows }, cols, spec.head === 'softmax');
  const net = new Network(spec, 1);
  const opt = makeOptimizer(optimizer, learningRate);
  const idx = tf.range(0, rows, 1, 'int32') as tf.Tensor1D;
  const steps = async (k: number) => {
    let last: tf.Scalar | null = null;
    for (let i = 0; i < k; i++) {
      last?.dispose();
      last = trainStep(net, opt, split, idx, i);
    }
    await last!.data();
    last!.dispose();
  };
  try {
    await steps(2);
    // Grow the group until it takes a measurable time, then take the median of three groups:
    // these machines vary by up to 2x from moment to moment, and one slow group must not decide.
    let k = 2;
    for (;;) {
      const t0 = performance.now();
      await steps(k);
      if (performance.now() - t0 >= MEASURE_MS / 3 || k >= 64) break;
      k *= 2;
    }
    const times: number[] = [];
    for (let g = 0; g < 3; g++) {
      const t0 = performance.now();
      await steps(k);
      times.push((performance.now() - t0) / k);
    }
    return times.sort((a, b) => a - b)[1]!;
  } finally {
    idx.dispose();
    opt.dispose();
    net.dispose();
    disposeSplit(split);
  }
}

/** Class counts of the training rows as the loss sees them (weighted when there are class weights). */
function effectiveCounts(data: PreparedData, weights: Float32Array | null): number[] {
  if (data.target.task !== 'classification') return [];
  const k = data.target.classes.length;
  if (!weights) return classCounts(data.train.y.subarray(0, data.train.rows), k);
  const sums = new Array<number>(k).fill(0);
  for (let i = 0; i < data.train.rows; i++) sums[data.train.y[i]!]! += weights[i]!;
  return sums;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Trains one run. Never throws: every failure comes back as a `failed` outcome with a message for the screen. */
export async function runTraining(request: TrainRequest, hooks: TrainHooks): Promise<TrainOutcome> {
  const { config } = request;
  const started = performance.now();
  const emit = (e: TrainEvent) => hooks.onEvent?.(e);
  const environment = hooks.environment();
  let backend: BackendReport | null = null;
  let sizes: PreparedData['sizes'] | null = null;
  let epochs: EpochRecord[] = [];
  const fail = (status: 'failed' | 'cancelled', message: string): TrainOutcome => ({
    status,
    message,
    epochs,
    backend,
    environment,
    sizes,
    durationMs: performance.now() - started,
  });
  // Counted once a backend is active: tf.memory() would otherwise start the default backend itself.
  let before: number | null = null;
  try {
    emit({ type: 'stage', stage: 'loading', message: `Reading ${request.dataset.rows.toLocaleString('en-US')} rows…` });
    const columns = await decodeColumns(request.dataset, [config.target, ...config.features]);
    emit({ type: 'stage', stage: 'preparing', message: 'Splitting and fitting the preprocessing on the training rows…' });
    const prepared = prepareData(config, columns);
    let data = prepared;
    let weights: Float32Array | null = null;
    let imbalanceNote: string | null = null;
    if (prepared.target.task === 'classification' && config.imbalance !== 'none') {
      // The training split only: validation and test keep the true class shares, so their metrics stay honest.
      const applied = applyStrategy(
        config.imbalance,
        prepared.train,
        prepared.featureNames.length,
        prepared.target.classes.length,
        deriveSeed(config.seed, 'imbalance'),
        categoricalBlocksOf(prepared.featureNames, prepared.preprocessing),
        prepared.target.classes,
      );
      data = { ...prepared, train: applied.split };
      weights = applied.weights;
      imbalanceNote = applied.note;
      emit({ type: 'notice', message: applied.note });
    }
    sizes = data.sizes;
    emit({ type: 'prepared', sizes: data.sizes, featureNames: data.featureNames, mainMetric: data.mainMetric });
    for (const message of data.notices) emit({ type: 'notice', message });
    // The output bias starts at the class prior of what training will actually see: after resampling its
    // counts, with class weights the weighted counts (balanced), else the split's own counts.
    const spec = modelSpecOf(config, data.featureNames.length, data.outputs, effectiveCounts(data, weights));
    if (hooks.isCancelled?.()) return fail('cancelled', 'Cancelled before training started.');

    emit({ type: 'stage', stage: 'choosing-backend', message: config.backend === 'auto' ? 'Choosing a backend for this model…' : `Starting ${config.backend}…` });
    // Mini-batch runs time their own batch; a full-batch fit is dominated by large matrix products, timed on a large batch.
    const budget = budgetOf(config, data.train.rows);
    const measureRows = isExact(config) ? Math.min(8192, data.train.rows) : Math.min(budget.batchSize, data.train.rows);
    const measure = () => measureStep(spec, data, measureRows, config.optimizer, config.learningRate);
    const shape = { model: config.model, head: spec.head, inputs: spec.inputs, hidden: spec.hidden, outputs: spec.outputs, exact: isExact(config), rows: measureRows };
    backend = await chooseBackend(hooks.host, config.backend, measure, BACKEND_NAMES, {
      shape,
      onTiming: (name, index, total) => emit(timingEvent(name, index, total)),
    });
    before = tf.memory().numTensors;
    emit({ type: 'backend', report: backend });
    for (const f of backend.fallbacks) emit({ type: 'notice', message: f });

    for (;;) {
      const attempt: Attempt = await trainOn(data, spec, request, hooks, emit, backend.used, weights, budget);
      epochs = attempt.epochs;
      if (attempt.kind !== 'completed') {
        if (attempt.kind === 'cancelled') return fail('cancelled', `Cancelled by the user after ${epochs.length} epochs.`);
        if (attempt.kind === 'failed') return fail('failed', attempt.message);
        // The device went away mid-run: start again from scratch on the next backend, and say so.
        const next: BackendName | undefined = fallbacksAfter(backend.used)[0];
        if (!next) return fail('failed', `Training stopped: ${attempt.message}.`);
        const notice: string = `${attempt.message}; training restarts on ${next}`;
        emit({ type: 'notice', message: notice });
        const report = await chooseBackend(hooks.host, next, measure);
        backend = { ...report, requested: config.backend, fallbacks: [...backend.fallbacks, notice, ...report.fallbacks], reason: `${report.reason} after ${attempt.message}` };
        emit({ type: 'backend', report: backend });
        continue;
      }
      // The baseline learns from the training split as it was drawn (before any resampling), like the model's prior would.
      const baseline = baselineOf(prepared, attempt.threshold?.choice.threshold ?? 0.5);
      return {
        status: 'completed',
        result: {
          backend,
          environment,
          sizes: data.sizes,
          mainMetric: data.mainMetric,
          epochs,
          bestEpoch: attempt.bestEpoch,
          stoppedEarly: attempt.stoppedEarly,
          preprocessing: data.preprocessing,
          target: data.target,
          inputSchema: data.inputSchema,
          evaluation: { ...attempt.evaluation, baseline },
          threshold: attempt.threshold,
          testScores: attempt.testScores,
          solver: attempt.solver,
          diagnostics: runDiagnostics({
            epochs,
            mainMetric: data.mainMetric,
            monitor: config.monitor,
            stoppedEarly: attempt.stoppedEarly,
            stoppedByTime: attempt.stoppedByTime,
            maxMinutes: config.maxMinutes,
            imbalance: config.imbalance,
            solver: attempt.solver,
          }),
          imbalanceNote,
          artifacts: attempt.artifacts,
          durationMs: performance.now() - started,
        },
      };
    }
  } catch (err) {
    return fail('failed', errorMessage(err));
  } finally {
    const leaked = before === null ? 0 : tf.memory().numTensors - before;
    if (leaked > 0) console.warn(`Training left ${leaked} tensors behind.`);
  }
}

/** The learned-nothing baseline on the test split, from the training split as drawn (before resampling). */
function baselineOf(data: PreparedData, threshold: number): Baseline {
  const train = data.train.y.subarray(0, data.train.rows);
  const test = data.test.y.subarray(0, data.test.rows);
  if (data.target.task === 'regression') return regressionBaseline(unscaleTarget(data.target, train), unscaleTarget(data.target, test));
  return classificationBaseline(train, test, data.target.classes, threshold);
}

type Attempt =
  | {
      kind: 'completed';
      epochs: EpochRecord[];
      bestEpoch: number;
      stoppedEarly: boolean;
      evaluation: Evaluation;
      threshold: ThresholdReport | null;
      artifacts: ModelArtifactsFiles;
      testScores: TestScores | null;
      stoppedByTime: boolean;
      solver: SolverReport | null;
    }
  | { kind: 'lost' | 'cancelled' | 'failed'; message: string; epochs: EpochRecord[] };

async function trainOn(
  data: PreparedData,
  spec: ModelSpec,
  request: TrainRequest,
  hooks: TrainHooks,
  emit: (e: TrainEvent) => void,
  used: BackendName,
  weights: Float32Array | null,
  budget: Budget,
): Promise<Attempt> {
  const { config } = request;
  const cols = data.featureNames.length;
  const classes = spec.head === 'softmax';
  const splits: DeviceSplit[] = [];
  const net = new Network(spec, config.seed);
  try {
    const train = toDevice(data.train, cols, classes, weights);
    splits.push(train);
    const validation = data.validation.rows > 0 ? toDevice(data.validation, cols, classes) : null;
    if (validation) splits.push(validation);
    if (request.init) {
      // Continue training: start from the parent run's saved weights, not from a fresh initialization.
      const saved = await loadFromFiles({ modelJson: request.init.modelJson, weights: request.init.weights });
      try {
        net.loadWeights(saved.getWeights());
      } finally {
        saved.dispose();
      }
    }
    const stopReason = () => {
      // Only a GPU device can be lost; after falling back, the old device's loss is history.
      const lost = used === 'webgpu' ? (hooks.deviceLost?.() ?? null) : null;
      if (lost) return `lost:${lost}`;
      return hooks.isCancelled?.() ? 'cancelled' : null;
    };
    const targetStd = data.target.task === 'regression' ? data.target.std : 1;
    emit({ type: 'stage', stage: 'training', message: isExact(config) ? `Fitting to convergence on ${used}…` : `Training on ${used}…` });
    let solver: SolverReport | null = null;
    const result = isExact(config)
      ? await fitExact(net, train, validation, {
          config,
          mainMetric: data.mainMetric,
          targetStd,
          onEpoch: (record) => emit({ type: 'epoch', record }),
          onProgress: (p) => emit({ type: 'progress', ...p }),
          stopReason,
        }).then((r) => {
          if (r.status !== 'completed') return r;
          solver = r.solver;
          return { status: 'completed' as const, epochs: r.epochs, bestEpoch: r.epochs.length, stoppedEarly: false, stoppedByTime: false };
        })
      : await trainLoop(net, train, validation, {
      epochs: budget.epochs,
      batchSize: budget.batchSize,
      seed: config.seed,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      earlyStopping: config.earlyStopping && validation !== null,
      patience: config.patience,
      monitor: config.monitor,
      mainMetric: data.mainMetric,
      targetStd,
      maxMs: config.maxMinutes * 60_000,
      onProgress: (p) => emit({ type: 'progress', epochs: budget.epochs, ...p }),
      onEpoch: (record) => emit({ type: 'epoch', record }),
      stopReason,
    });
    if (result.status === 'diverged') return { kind: 'failed', message: result.message, epochs: result.epochs };
    if (result.status === 'stopped') {
      if (result.reason.startsWith('lost:')) return { kind: 'lost', message: result.reason.slice(5), epochs: result.epochs };
      return { kind: 'cancelled', message: 'cancelled', epochs: result.epochs };
    }
    emit({ type: 'stage', stage: 'evaluating', message: `Evaluating on ${data.sizes.test.toLocaleString('en-US')} test rows…` });
    const test = toDevice(data.test, cols, classes);
    splits.push(test);
    let threshold: ThresholdReport | null = null;
    let evaluation: Evaluation;
    const testOutputs = (await predictSplit(net, test)).outputs;
    // A binary model's test scores are kept, so its threshold can be moved later without retraining.
    const testScores: TestScores | null =
      spec.head === 'sigmoid' ? { labels: Uint8Array.from(test.yHost, (v) => (v === 1 ? 1 : 0)), scores: Float32Array.from(testOutputs) } : null;
    if (spec.head === 'sigmoid' && config.task === 'binary' && config.thresholdRule !== 'default' && validation) {
      // Tuned on validation, never on test; test then reports both 0.5 and the chosen threshold.
      const rule: ThresholdRule = config.thresholdRule === 'max-f1' ? { kind: 'max-f1' } : { kind: 'target-recall', recall: config.targetRecall };
      const choice = tuneThreshold(validation.yHost, (await predictSplit(net, validation)).outputs, rule);
      threshold = { choice, test: [0.5, choice.threshold].map((t) => ({ threshold: t, ...scoresAt(test.yHost, testOutputs, t) })) };
      emit({ type: 'notice', message: choice.note });
      evaluation = await evaluateSplit(net, test, data.target, choice.threshold, testOutputs);
    } else {
      evaluation = await evaluateSplit(net, test, data.target, 0.5, testOutputs);
    }
    emit({ type: 'stage', stage: 'saving', message: 'Saving the model…' });
    net.syncModel();
    const artifacts = await saveToFiles(net.model);
    return {
      kind: 'completed',
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      stoppedByTime: result.stoppedByTime,
      solver,
      evaluation,
      threshold,
      artifacts,
      testScores,
    };
  } finally {
    splits.forEach(disposeSplit);
    net.dispose();
  }
}
