/**
 * The convergence benchmark, inside a module worker as Labbook trains:
 * import the CSV with importCsv, then run the app's own runTraining for
 *  - the default logistic regression (full-batch solver, to convergence) on
 *    wasm and on webgpu;
 *  - the former default (mini-batch Adam, 10 epochs of batch 512, patience 3) on wasm;
 *  - a default MLP (automatic budget, early stopping, time budget) on wasm;
 * and solve the same prepared training split once more at a far tighter
 * tolerance, as the reference optimum of the objective (and once at the
 * default tolerance, without the run's per-iteration scoring). Objectives are
 * compared summed on the host in float64: the solver's own float32 sums over
 * 224k rows cannot tell apart values closer than about 1e-5 relative.
 * Everything is measured here; tests/bench/converge.mjs prints it.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { blobChunks } from '../../../src/lib/core/common';
import { importCsv } from '../../../src/lib/core/csv';
import {
  decodeColumns,
  prepareData,
  type PreparedData,
  budgetOf,
  type Budget,
  defaultTrainConfig,
  type TrainConfig,
  defaultFeatures,
  type AdapterInfo,
  type BackendName,
  type DatasetSource,
  type ModelArtifactsFiles,
  type SolverReport,
  type TrainEvent,
} from '../../../src/lib/core/training';
import { browserHost } from '../../../src/lib/ml/backends-browser';
import { disposeSplit, toDevice } from '../../../src/lib/ml/loop';
import { solveLinear } from '../../../src/lib/ml/solver';
import { runTraining } from '../../../src/lib/ml/train';

const TARGET = 'HeartDisease';
/** The reference optimum: far past the default tolerance, as many iterations as the default allows. */
export const REFERENCE = { tol: 1e-9, maxIter: 100, backend: 'wasm' as BackendName };

/** One runTraining run, as the bench reports it. */
export interface RunFigures {
  label: string;
  requested: BackendName;
  /** The backend that actually trained (a failed start falls back). */
  used: BackendName | null;
  status: string;
  message: string | null;
  /** Wall time of the fit itself: from the 'training' stage to the 'evaluating' stage. */
  fitMs: number | null;
  /** The sum of the run's per-epoch (per-iteration) `ms`: the fit as the run records it. */
  epochsMs: number;
  /** The whole run: decode, prepare, backend, fit, evaluation, saving. */
  durationMs: number;
  epochs: number;
  bestEpoch: number | null;
  stoppedEarly: boolean | null;
  /** The time budget ended the run (a 'time-budget' diagnostic). */
  stoppedByTime: boolean | null;
  testAuc: number | null;
  solver: SolverReport | null;
  /**
   * Linear runs: the default objective at the saved weights, summed on the host in float64
   * (the solver's own figure is a float32 sum over 224k rows, noisy in its 6th-7th digit).
   */
  objective64: number | null;
  trainRows: number | null;
  config: TrainConfig;
}

/** One direct solveLinear call on the prepared training split (no per-iteration scoring). */
export interface SolveFigures {
  backend: BackendName;
  tol: number;
  maxIter: number;
  ms: number;
  method: string;
  iterations: number;
  gradNorm: number;
  converged: boolean;
  /** The solver's own (float32-summed) objective. */
  loss: number;
  /** The same objective at its solution, summed on the host in float64. */
  objective64: number;
  trainRows: number;
}

export interface ReferenceFigures {
  /** At REFERENCE's tolerance: the optimum. */
  optimum: SolveFigures;
  /** At the default tolerance and maxIter, as fit-exact calls it but without its per-iteration scoring. */
  solverAlone: SolveFigures;
  leakedTensors: number;
}

export interface BenchResult {
  fileName: string;
  fileBytes: number;
  rows: number;
  features: number;
  inputs: number;
  trainRows: number;
  validationRows: number;
  testRows: number;
  importMs: number;
  prepareMs: number;
  tfjsVersion: string;
  userAgent: string;
  hardwareConcurrency: number;
  /** The defaults the bench ran with (solver, C, tol, maxIter, autoBudget, patience, maxMinutes). */
  defaults: Pick<TrainConfig, 'model' | 'solver' | 'C' | 'l2' | 'tol' | 'maxIter' | 'autoBudget' | 'earlyStopping' | 'patience' | 'maxMinutes' | 'monitor' | 'imbalance'>;
  exact: { wasm: RunFigures; webgpu: RunFigures | null; webgpuSkipped: string | null; adapter: AdapterInfo | null };
  reference: ReferenceFigures | { error: string };
  minibatch: RunFigures;
  mlp: RunFigures & { budget: Budget };
}

type Log = (line: string) => void;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const fmt = (ms: number) => `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;

/** The settings of the former default (before the full-batch solver and the automatic budget). */
export const FORMER_DEFAULT = {
  solver: 'minibatch',
  autoBudget: false,
  epochs: 10,
  batchSize: 512,
  optimizer: 'adam',
  learningRate: 0.01,
  earlyStopping: true,
  patience: 3,
} as const satisfies Partial<TrainConfig>;

/**
 * The logistic objective fit-exact minimizes (solver.ts, scikit-learn's divided by the row count):
 * (1/n) Σ [log(1 + e^z) − y z] + ‖w‖² / (2 C n), summed here in float64, independently of TF.js.
 */
function hostObjective(data: PreparedData, C: number, kernel: ArrayLike<number>, bias: number): number {
  const { x, y, rows } = data.train;
  const cols = kernel.length;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    let z = bias;
    for (let j = 0; j < cols; j++) z += x[i * cols + j]! * kernel[j]!;
    sum += Math.max(z, 0) - y[i]! * z + Math.log1p(Math.exp(-Math.abs(z)));
  }
  let norm = 0;
  for (let j = 0; j < cols; j++) norm += kernel[j]! ** 2;
  return sum / rows + (Number.isFinite(C) ? norm / (2 * C * rows) : 0);
}

/** The kernel and bias of a saved linear model (one Dense layer, float32 weights). */
function linearWeights(files: ModelArtifactsFiles): { kernel: Float32Array; bias: number } {
  const json = JSON.parse(files.modelJson) as { weightsManifest: { weights: { shape: number[]; dtype: string }[] }[] };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  if (specs.length !== 2 || specs.some((w) => w.dtype !== 'float32')) throw new Error('not one float32 Dense layer');
  const kernelSize = specs[0]!.shape.reduce((a, b) => a * b, 1);
  return { kernel: new Float32Array(files.weights, 0, kernelSize), bias: new Float32Array(files.weights, kernelSize * 4, 1)[0]! };
}

/** The objective at a linear run's saved weights, or null (logged) when they cannot be read. */
function savedObjective(data: PreparedData, config: TrainConfig, files: ModelArtifactsFiles, log: Log): number | null {
  try {
    const { kernel, bias } = linearWeights(files);
    return hostObjective(data, config.C, kernel, bias);
  } catch (err) {
    log(`objective of the saved weights: ${message(err)}`);
    return null;
  }
}

/** Runs the app's own runTraining and times its fit from the stage events it emits. */
async function train(label: string, config: TrainConfig, dataset: DatasetSource, data: PreparedData, log: Log): Promise<RunFigures> {
  let fitStart: number | null = null;
  let fitEnd: number | null = null;
  let lastLog = 0;
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'stage' && e.stage === 'training') fitStart = performance.now();
    if (e.type === 'stage' && e.stage === 'evaluating') fitEnd = performance.now();
    if (e.type === 'epoch' && performance.now() - lastLog > 5_000) {
      lastLog = performance.now();
      log(`${label}: epoch ${e.record.epoch}, loss ${e.record.loss.toFixed(5)}${e.record.valMetric === null ? '' : `, val metric ${e.record.valMetric.toFixed(4)}`}`);
    }
  };
  log(`${label}: runTraining on ${config.backend}`);
  const outcome = await runTraining(
    { runId: `bench-${label}`, config, dataset },
    {
      host: browserHost,
      environment: () => ({ appVersion: 'bench', tfjsVersion: tf.version.tfjs, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency }),
      onEvent,
    },
  );
  const fitMs = fitStart !== null && fitEnd !== null ? fitEnd - fitStart : null;
  const requested = config.backend as BackendName;
  if (outcome.status !== 'completed') {
    log(`${label}: ${outcome.status}: ${outcome.message}`);
    return {
      label,
      requested,
      used: outcome.backend?.used ?? null,
      status: outcome.status,
      message: outcome.message,
      fitMs,
      epochsMs: outcome.epochs.reduce((s, e) => s + e.ms, 0),
      durationMs: outcome.durationMs,
      epochs: outcome.epochs.length,
      bestEpoch: null,
      stoppedEarly: null,
      stoppedByTime: null,
      testAuc: null,
      solver: null,
      objective64: null,
      trainRows: outcome.sizes?.train ?? null,
      config,
    };
  }
  const r = outcome.result;
  const figures: RunFigures = {
    label,
    requested,
    used: r.backend.used,
    status: 'completed',
    message: r.backend.used === requested ? null : r.backend.reason,
    fitMs,
    epochsMs: r.epochs.reduce((s, e) => s + e.ms, 0),
    durationMs: r.durationMs,
    epochs: r.epochs.length,
    bestEpoch: r.bestEpoch,
    stoppedEarly: r.stoppedEarly,
    stoppedByTime: r.diagnostics.some((d) => d.kind === 'time-budget'),
    testAuc: r.evaluation.task === 'regression' ? null : r.evaluation.rocAuc,
    solver: r.solver,
    objective64: config.model === 'linear' ? savedObjective(data, config, r.artifacts, log) : null,
    trainRows: r.sizes.train,
    config,
  };
  log(
    `${label}: done on ${figures.used}, fit ${fitMs === null ? 'n/a' : fmt(fitMs)}, ${figures.epochs} ${r.solver ? 'iterations' : 'epochs'}, ` +
      `test AUC ${figures.testAuc?.toFixed(4) ?? 'n/a'}, run ${fmt(r.durationMs)}`,
  );
  return figures;
}

async function start(name: BackendName): Promise<string | null> {
  try {
    return (await browserHost.activate(name)) ? null : `${name} could not start in this browser`;
  } catch (err) {
    return message(err);
  }
}

/** One timed solveLinear call on the prepared training split, uploaded as fit-exact uploads it. */
async function solveOnce(config: TrainConfig, data: PreparedData, tol: number, maxIter: number): Promise<SolveFigures> {
  const train = toDevice(data.train, data.featureNames.length, false);
  try {
    const t0 = performance.now();
    const r = await solveLinear(train.x, train.y, null, { kind: 'logistic', C: config.C, l2: config.l2, tol, maxIter });
    const ms = performance.now() - t0;
    return {
      backend: tf.getBackend() as BackendName,
      tol,
      maxIter,
      ms,
      method: r.method,
      iterations: r.iterations,
      gradNorm: r.gradNorm,
      converged: r.converged,
      loss: r.loss,
      objective64: hostObjective(data, config.C, r.kernel, r.bias[0]!),
      trainRows: data.train.rows,
    };
  } finally {
    disposeSplit(train);
  }
}

/**
 * The converged optimum of the default objective (the solver at a far tighter
 * tolerance), and the solver alone at the default tolerance, on the same
 * prepared training split the runs used (prepareData is deterministic in
 * config and columns).
 */
async function referenceFit(config: TrainConfig, data: PreparedData, log: Log): Promise<ReferenceFigures | { error: string }> {
  const reason = await start(REFERENCE.backend);
  if (reason !== null) return { error: reason };
  const before = tf.memory().numTensors;
  try {
    const optimum = await solveOnce(config, data, REFERENCE.tol, REFERENCE.maxIter);
    log(`reference: ${optimum.method}, ${optimum.iterations} iterations, max |g| ${optimum.gradNorm.toExponential(2)}, objective ${optimum.objective64.toPrecision(12)} in ${fmt(optimum.ms)}`);
    const solverAlone = await solveOnce(config, data, config.tol, config.maxIter);
    log(`solver alone at tol ${config.tol}: ${solverAlone.iterations} iterations in ${fmt(solverAlone.ms)}`);
    return { optimum, solverAlone, leakedTensors: tf.memory().numTensors - before };
  } catch (err) {
    log(`reference: failed: ${message(err)}`);
    return { error: message(err) };
  }
}

const api = {
  /** Runs the whole benchmark on `file`; `log` gets one line per step, for progress. */
  async runBench(file: File, log: Log): Promise<BenchResult> {
    let t = performance.now();
    const imported = await importCsv({ name: file.name, size: file.size, stream: () => blobChunks(file) });
    const importMs = performance.now() - t;
    log(`imported ${imported.rows.toLocaleString('en-US')} rows in ${fmt(importMs)}`);
    const dataset: DatasetSource = {
      hash: imported.hash,
      rows: imported.rows,
      schema: imported.schema,
      dictBlob: imported.dictBlob,
      chunks: imported.chunks.map((c) => ({ layout: c.layout, blob: c.blob })),
    };
    const features = defaultFeatures(imported.schema, TARGET);
    const base = defaultTrainConfig(imported.hash, TARGET, 'binary', features);

    // Prepared once here for the sizes and the MLP's budget; every run prepares its own, as the app does.
    t = performance.now();
    const data = prepareData(base, await decodeColumns(dataset, [TARGET, ...features]));
    const prepareMs = performance.now() - t;
    log(`prepared ${data.sizes.train}/${data.sizes.validation}/${data.sizes.test} rows x ${data.featureNames.length} inputs in ${fmt(prepareMs)}`);
    // Start wasm before any timed run, so no run pays for compiling its module.
    const wasmReason = await start('wasm');
    if (wasmReason !== null) log(`wasm: ${wasmReason}`);

    const exactWasm = await train('exact-wasm', { ...base, backend: 'wasm' }, dataset, data, log);
    const minibatch = await train('minibatch-wasm', { ...base, ...FORMER_DEFAULT, backend: 'wasm' }, dataset, data, log);

    let exactGpu: RunFigures | null = null;
    let adapter: AdapterInfo | null = null;
    const gpuReason = await start('webgpu');
    if (gpuReason === null) {
      adapter = await browserHost.adapter('webgpu');
      exactGpu = await train('exact-webgpu', { ...base, backend: 'webgpu' }, dataset, data, log);
    } else log(`webgpu: skipped, ${gpuReason}`);

    const reference = await referenceFit(base, data, log);

    const mlpConfig: TrainConfig = { ...base, model: 'mlp', backend: 'wasm' };
    const mlp = { ...(await train('mlp-wasm', mlpConfig, dataset, data, log)), budget: budgetOf(mlpConfig, data.train.rows) };

    return {
      fileName: file.name,
      fileBytes: file.size,
      rows: imported.rows,
      features: features.length,
      inputs: data.featureNames.length,
      trainRows: data.sizes.train,
      validationRows: data.sizes.validation,
      testRows: data.sizes.test,
      importMs,
      prepareMs,
      tfjsVersion: tf.version.tfjs,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      defaults: {
        model: base.model,
        solver: base.solver,
        C: base.C,
        l2: base.l2,
        tol: base.tol,
        maxIter: base.maxIter,
        autoBudget: base.autoBudget,
        earlyStopping: base.earlyStopping,
        patience: base.patience,
        maxMinutes: base.maxMinutes,
        monitor: base.monitor,
        imbalance: base.imbalance,
      },
      exact: { wasm: exactWasm, webgpu: exactGpu, webgpuSkipped: gpuReason, adapter },
      reference,
      minibatch,
      mlp,
    };
  },
};

Comlink.expose(api);
export type BenchApi = typeof api;
