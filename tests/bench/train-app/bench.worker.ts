/**
 * The training benchmark, inside a module worker as Labbook trains: import
 * the CSV with importCsv, prepare it as a run would, then per backend time one
 * warm epoch of our loop against Keras-style `model.fit`, let `auto` choose,
 * and train a mini-batch logistic regression (10 epochs) with runTraining for its test AUC.
 * Everything is measured here; tests/bench/train.mjs prints it.
 */
import * as Comlink from 'comlink';
import { blobChunks } from '../../../src/lib/core/common';
import * as tf from '@tensorflow/tfjs';
import { importCsv } from '../../../src/lib/core/csv';
import {
  decodeColumns,
  prepareData,
  type PreparedData,
  type SplitData,
  defaultTrainConfig,
  type TrainConfig,
  defaultFeatures,
  BACKEND_NAMES,
  type AdapterInfo,
  type BackendMeasurement,
  type BackendName,
  type DatasetSource,
} from '../../../src/lib/core/training';
import { applyStrategy, categoricalBlocksOf, classCounts as countClasses } from '../../../src/lib/core/imbalance';
import { chooseBackend } from '../../../src/lib/ml/backends';
import { browserHost } from '../../../src/lib/ml/backends-browser';
import { disposeSplit, toDevice, trainLoop, type DeviceSplit } from '../../../src/lib/ml/loop';
import { Network, modelSpecOf, type ModelSpec } from '../../../src/lib/ml/model';
import { measureStep, runTraining } from '../../../src/lib/ml/train';

const TARGET = 'HeartDisease';
const MODELS = ['linear', 'mlp'] as const;
export type ModelName = (typeof MODELS)[number];

export interface BenchOptions {
  /**
   * When one epoch of the slower of (our loop, fit) is expected to take longer
   * than this, both are timed on the same first N batches of the training
   * split instead of all of it, and the epoch is extrapolated.
   */
  epochBudgetMs: number;
  /** The fewest batches a shortened epoch has. */
  minBatches: number;
  /** Batches of the small `model.fit` run that estimates its speed. */
  fitProbeBatches: number;
}

/** One warm epoch (the second of two). */
export interface EpochTiming {
  /** Milliseconds for a whole epoch over the training split (extrapolated when `batches` < `fullBatches`). */
  ms: number;
  /** What was actually timed: epoch 2 over `batches` batches. */
  measuredMs: number;
  batches: number;
  fullBatches: number;
  extrapolated: boolean;
  /** Mean training loss of epoch 2, a sanity check that both actually learned. */
  loss: number;
}

export interface ComboResult {
  backend: BackendName;
  model: ModelName;
  /** Our loop's ms per step from measureStep (the same probe `auto` uses). */
  oursStepMs: number | null;
  /** `model.fit`'s ms per step from a short fit. */
  fitStepMs: number | null;
  ours: EpochTiming | null;
  fit: EpochTiming | null;
  error: string | null;
  leakedTensors: number;
}

export interface AutoResult {
  model: ModelName;
  used: BackendName | null;
  reason: string;
  measurements: BackendMeasurement[];
  ms: number;
}

export interface QualityResult {
  backend: BackendName;
  status: string;
  message: string | null;
  testAuc: number | null;
  epochs: number;
  bestEpoch: number | null;
  stoppedEarly: boolean | null;
  valLosses: number[];
  durationMs: number;
}

export interface BenchResult {
  fileName: string;
  fileBytes: number;
  rows: number;
  columns: number;
  features: number;
  inputs: number;
  trainRows: number;
  validationRows: number;
  testRows: number;
  batchSize: number;
  importMs: number;
  prepareMs: number;
  tfjsVersion: string;
  userAgent: string;
  hardwareConcurrency: number;
  adapter: AdapterInfo | null;
  backends: { backend: BackendName; started: boolean; reason: string | null }[];
  combos: ComboResult[];
  auto: AutoResult[];
  quality: QualityResult | null;
  /** SMOTE-NC over the full training split (every minority row up to the majority count). */
  smote: { ms: number; minorityRows: number; syntheticRows: number; cols: number; categoricalBlocks: number; note: string };
}

type Log = (line: string) => void;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const fmt = (ms: number) => `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;

/** The class counts runTraining passes to modelSpecOf (the output bias starts at the class prior). */
function classCounts(data: PreparedData): readonly number[] {
  return data.target.task === 'classification' ? data.target.counts : [];
}

function configFor(base: TrainConfig, model: ModelName): TrainConfig {
  return model === 'mlp' ? { ...base, model: 'mlp', hiddenUnits: [64, 64] } : { ...base, model: 'linear' };
}

/** The first `rows` training rows, uploaded to the active backend. */
function firstRows(split: SplitData, rows: number, cols: number): DeviceSplit {
  const n = Math.min(rows, split.rows);
  return toDevice({ x: split.x.subarray(0, n * cols), y: split.y.subarray(0, n), rows: n }, cols, false);
}

/** Our loop: two epochs, no validation; epoch 2 is the warm one. */
async function timeOurs(spec: ModelSpec, config: TrainConfig, train: DeviceSplit, fullBatches: number): Promise<EpochTiming> {
  const net = new Network(spec, config.seed);
  let epoch1End = 0;
  let batchesEnd = 0;
  try {
    const result = await trainLoop(net, train, null, {
      epochs: 2,
      batchSize: config.batchSize,
      seed: config.seed,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      earlyStopping: false,
      patience: config.patience,
      monitor: config.monitor,
      mainMetric: 'auc',
      onEpoch: (r) => {
        if (r.epoch === 1) epoch1End = performance.now();
      },
      onProgress: (p) => {
        if (p.epoch === 2 && p.batch === p.batches) batchesEnd = performance.now();
      },
    });
    if (result.status !== 'completed') throw new Error(`our loop ended ${result.status}: ${'message' in result ? result.message : result.reason}`);
    const e2 = result.epochs[1]!;
    const batches = Math.ceil(train.rows / config.batchSize);
    if (batches >= fullBatches) return { ms: e2.ms, measuredMs: e2.ms, batches, fullBatches, extrapolated: false, loss: e2.loss };
    // Only the batches scale with the data; the epoch-end train metric (on a fixed sample) does not.
    const batchPart = Math.min(e2.ms, batchesEnd - epoch1End);
    const ms = (batchPart * fullBatches) / batches + (e2.ms - batchPart);
    return { ms, measuredMs: e2.ms, batches, fullBatches, extrapolated: true, loss: e2.loss };
  } finally {
    net.dispose();
  }
}

/** The baseline a TF.js user would write: the same Dense layers, compile, fit. */
async function timeFit(spec: ModelSpec, config: TrainConfig, train: DeviceSplit, fullBatches: number): Promise<EpochTiming> {
  const model = tf.sequential();
  const sizes = [spec.inputs, ...spec.hidden, 1];
  for (let i = 1; i < sizes.length; i++) {
    const last = i === sizes.length - 1;
    model.add(tf.layers.dense({ units: sizes[i]!, activation: last ? 'sigmoid' : 'relu', inputShape: i === 1 ? [spec.inputs] : undefined }));
  }
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  let begin = 0;
  let ms = NaN;
  let loss = NaN;
  try {
    await model.fit(train.x, train.y, {
      batchSize: config.batchSize,
      epochs: 2,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochBegin: async (epoch) => {
          if (epoch === 1) begin = performance.now();
        },
        onEpochEnd: async (epoch, logs) => {
          if (epoch === 1) {
            ms = performance.now() - begin;
            loss = Number(logs?.loss ?? NaN);
          }
        },
      },
    });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  const batches = Math.ceil(train.rows / config.batchSize);
  const extrapolated = batches < fullBatches;
  return { ms: extrapolated ? (ms * fullBatches) / batches : ms, measuredMs: ms, batches, fullBatches, extrapolated, loss };
}

async function benchCombo(
  backend: BackendName,
  model: ModelName,
  base: TrainConfig,
  data: PreparedData,
  opts: BenchOptions,
  log: Log,
): Promise<ComboResult> {
  const config = configFor(base, model);
  const cols = data.featureNames.length;
  const spec = modelSpecOf(config, cols, data.outputs, classCounts(data));
  const fullBatches = Math.ceil(data.train.rows / config.batchSize);
  const out: ComboResult = { backend, model, oursStepMs: null, fitStepMs: null, ours: null, fit: null, error: null, leakedTensors: 0 };
  const before = tf.memory().numTensors;
  const splits: DeviceSplit[] = [];
  try {
    out.oursStepMs = await measureStep(spec, data, config.batchSize, config.optimizer, config.learningRate);
    const probe = firstRows(data.train, opts.fitProbeBatches * config.batchSize, cols);
    splits.push(probe);
    const fitProbe = await timeFit(spec, config, probe, Math.ceil(probe.rows / config.batchSize));
    out.fitStepMs = fitProbe.measuredMs / fitProbe.batches;
    const slower = Math.max(out.oursStepMs, out.fitStepMs);
    // The probes are rough (a few steps, 2 cores): shorten only an epoch clearly over the budget.
    const shorten = slower * fullBatches > 1.5 * opts.epochBudgetMs;
    const batches = shorten ? Math.min(fullBatches, Math.max(opts.minBatches, Math.floor(opts.epochBudgetMs / slower))) : fullBatches;
    log(
      `${backend} ${model}: ~${fmt(out.oursStepMs)}/step ours, ~${fmt(out.fitStepMs)}/step fit; ` +
        (batches < fullBatches ? `timing ${batches} of ${fullBatches} batches` : `timing all ${fullBatches} batches`),
    );
    const train = batches < fullBatches ? firstRows(data.train, batches * config.batchSize, cols) : toDevice(data.train, cols, false);
    splits.push(train);
    out.ours = await timeOurs(spec, config, train, fullBatches);
    log(`${backend} ${model}: ours epoch ${fmt(out.ours.ms)}${out.ours.extrapolated ? ` (extrapolated from ${fmt(out.ours.measuredMs)})` : ''}`);
    out.fit = await timeFit(spec, config, train, fullBatches);
    log(`${backend} ${model}: fit epoch ${fmt(out.fit.ms)}${out.fit.extrapolated ? ` (extrapolated from ${fmt(out.fit.measuredMs)})` : ''}`);
  } catch (err) {
    out.error = message(err);
    log(`${backend} ${model}: failed: ${out.error}`);
  } finally {
    splits.forEach(disposeSplit);
    out.leakedTensors = tf.memory().numTensors - before;
  }
  return out;
}

async function start(name: BackendName): Promise<string | null> {
  try {
    return (await browserHost.activate(name)) ? null : `${name} could not start in this browser`;
  } catch (err) {
    return message(err);
  }
}

const api = {
  /** Runs the whole benchmark on `file`; `log` gets one line per step, for progress. */
  async run(file: File, opts: BenchOptions, log: Log): Promise<BenchResult> {
    let t = performance.now();
    const imported = await importCsv({ name: file.name, size: file.size, stream: () => blobChunks(file) });
    const importMs = performance.now() - t;
    log(`imported ${imported.rows.toLocaleString('en-US')} rows in ${fmt(importMs)}`);

    t = performance.now();
    const source: DatasetSource = {
      hash: imported.hash,
      rows: imported.rows,
      schema: imported.schema,
      dictBlob: imported.dictBlob,
      chunks: imported.chunks.map((c) => ({ layout: c.layout, blob: c.blob })),
    };
    const features = defaultFeatures(imported.schema, TARGET);
    const base = defaultTrainConfig(imported.hash, TARGET, 'binary', features);
    const data = prepareData(base, await decodeColumns(source, [TARGET, ...features]));
    const prepareMs = performance.now() - t;
    log(`prepared ${data.sizes.train}/${data.sizes.validation}/${data.sizes.test} rows x ${data.featureNames.length} inputs in ${fmt(prepareMs)}`);

    // SMOTE-NC on the whole training split, as a run with imbalance 'smote' does it.
    const blocks = categoricalBlocksOf(data.featureNames, data.preprocessing);
    const counts = countClasses(data.train.y.subarray(0, data.train.rows), 2);
    const ts = performance.now();
    const smoted = applyStrategy('smote', data.train, data.featureNames.length, 2, 42, blocks, ['No', 'Yes']);
    const smote = {
      ms: performance.now() - ts,
      minorityRows: Math.min(...counts),
      syntheticRows: smoted.split.rows - data.train.rows,
      cols: data.featureNames.length,
      categoricalBlocks: blocks.length,
      note: smoted.note,
    };
    log(`smote: ${smote.note} in ${fmt(smote.ms)}`);

    const backends: BenchResult['backends'] = [];
    const combos: ComboResult[] = [];
    let adapter: AdapterInfo | null = null;
    for (const backend of BACKEND_NAMES) {
      const reason = await start(backend);
      backends.push({ backend, started: reason === null, reason });
      if (reason !== null) {
        log(`${backend}: skipped, ${reason}`);
        continue;
      }
      if (backend === 'webgpu') adapter = await browserHost.adapter('webgpu');
      for (const model of MODELS) combos.push(await benchCombo(backend, model, base, data, opts, log));
    }

    const auto: AutoResult[] = [];
    for (const model of MODELS) {
      const config = configFor(base, model);
      const spec = modelSpecOf(config, data.featureNames.length, data.outputs, classCounts(data));
      const t0 = performance.now();
      try {
        const report = await chooseBackend(browserHost, 'auto', () => measureStep(spec, data, config.batchSize, config.optimizer, config.learningRate));
        auto.push({ model, used: report.used, reason: report.reason, measurements: report.measurements, ms: performance.now() - t0 });
        log(report.reason);
      } catch (err) {
        auto.push({ model, used: null, reason: message(err), measurements: [], ms: performance.now() - t0 });
        log(`auto ${model}: failed: ${message(err)}`);
      }
    }

    // Quality: the app's own run (logistic regression, mini-batch: up to 10 epochs of batch 512, early stopping on val loss, patience 3) on the fastest backend.
    // Set explicitly: the defaults are now the full-batch solver and an automatic budget (tests/bench/converge.mjs measures those).
    const linear = combos.filter((c) => c.model === 'linear' && c.ours !== null).sort((a, b) => a.ours!.ms - b.ours!.ms);
    let quality: QualityResult | null = null;
    const fastest = linear[0]?.backend;
    if (fastest) {
      log(`quality: runTraining, mini-batch, 10 epochs of batch 512, on ${fastest}`);
      const outcome = await runTraining(
        { runId: 'bench', config: { ...base, solver: 'minibatch', autoBudget: false, epochs: 10, batchSize: 512, patience: 3, backend: fastest }, dataset: source },
        {
          host: browserHost,
          environment: () => ({ appVersion: 'bench', tfjsVersion: tf.version.tfjs, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency }),
        },
      );
      if (outcome.status === 'completed') {
        const r = outcome.result;
        quality = {
          backend: r.backend.used,
          status: 'completed',
          message: null,
          testAuc: r.evaluation.task === 'regression' ? null : r.evaluation.rocAuc,
          epochs: r.epochs.length,
          bestEpoch: r.bestEpoch,
          stoppedEarly: r.stoppedEarly,
          valLosses: r.epochs.map((e) => e.valLoss ?? NaN),
          durationMs: r.durationMs,
        };
      } else {
        quality = { backend: fastest, status: outcome.status, message: outcome.message, testAuc: null, epochs: outcome.epochs.length, bestEpoch: null, stoppedEarly: null, valLosses: [], durationMs: outcome.durationMs };
      }
      log(`quality: ${quality.status}, test AUC ${quality.testAuc?.toFixed(4) ?? 'n/a'} after ${quality.epochs} epochs`);
    }

    return {
      fileName: file.name,
      fileBytes: file.size,
      rows: imported.rows,
      columns: imported.schema.length,
      features: features.length,
      inputs: data.featureNames.length,
      trainRows: data.sizes.train,
      validationRows: data.sizes.validation,
      testRows: data.sizes.test,
      batchSize: base.batchSize,
      importMs,
      prepareMs,
      tfjsVersion: tf.version.tfjs,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      adapter,
      backends,
      combos,
      auto,
      quality,
      smote,
    };
  },
};

Comlink.expose(api);
export type BenchApi = typeof api;
