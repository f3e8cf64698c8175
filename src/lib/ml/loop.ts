/**
 * Our training loop, in place of `model.fit`:
 * - the loss is summed on the device and read back only every ~250 ms
 *   (model.fit reads it after every batch, which on a GPU stalls the queue);
 * - shuffling comes from our seeded generator (fit uses Math.random);
 * - a non-finite loss stops the run (fit has no stop-on-NaN);
 * - cancellation is checked at each read-back, after yielding to the event
 *   loop so the worker can receive the cancel message;
 * - early stopping keeps the best epoch's weights.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, deriveSeed, permutation } from '../core/common';
import type { EpochRecord, MainMetric, SplitData } from '../core/training';
import type { Network } from './model';
import { epochMetric } from './predict';

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  earlyStopping: boolean;
  patience: number;
  monitor: 'val_loss' | 'val_metric';
  mainMetric: MainMetric;
  /** Target time between two loss read-backs; default 250 ms. */
  syncMs?: number;
  /** Regression targets are standardized: RMSE is reported on the original scale. */
  targetStd?: number;
  onProgress?: (p: { epoch: number; batch: number; batches: number; elapsedMs: number; etaMs: number | null }) => void;
  onEpoch?: (record: EpochRecord) => void;
  /** Polled at every read-back: a string stops the run (cancel, device lost). */
  stopReason?: () => string | null;
  /** The time budget: no epoch starts once this many milliseconds have passed. */
  maxMs?: number;
}

export type LoopResult =
  | { status: 'completed'; epochs: EpochRecord[]; bestEpoch: number; stoppedEarly: boolean; stoppedByTime: boolean }
  | { status: 'stopped'; reason: string; epochs: EpochRecord[] }
  | { status: 'diverged'; message: string; epochs: EpochRecord[] };

/** The training rows a per-epoch train metric is computed on. */
export const TRAIN_METRIC_ROWS = 10_000;

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Device tensors of a split: x [n, d], y [n, 1] float or [n] int32 class indices. */
export interface DeviceSplit {
  x: tf.Tensor2D;
  y: tf.Tensor;
  /** The encoded target on the host, for the metrics. */
  yHost: Float32Array;
  rows: number;
  /** Per-row loss weights (class weights), training split only. */
  w?: tf.Tensor1D;
}

/** Uploads a split once; the loop gathers batches from it on the device. */
export function toDevice(split: SplitData, cols: number, classes: boolean, weights: Float32Array | null = null): DeviceSplit {
  return tf.tidy(() => ({
    x: tf.tensor2d(split.x.subarray(0, split.rows * cols), [split.rows, cols]),
    y: classes ? tf.tensor1d(Int32Array.from(split.y.subarray(0, split.rows)), 'int32') : tf.tensor2d(split.y.subarray(0, split.rows), [split.rows, 1]),
    yHost: split.y.subarray(0, split.rows),
    rows: split.rows,
    ...(weights ? { w: tf.tensor1d(weights.subarray(0, split.rows)) } : {}),
  }));
}

export function disposeSplit(s: DeviceSplit): void {
  s.x.dispose();
  s.y.dispose();
  s.w?.dispose();
}

/** The optimizer of a run. */
export function makeOptimizer(name: 'adam' | 'sgd', learningRate: number): tf.Optimizer {
  return name === 'adam' ? tf.train.adam(learningRate) : tf.train.sgd(learningRate);
}

/**
 * One optimisation step on rows `idx` of `data`; returns the batch's summed
 * loss (a kept scalar the caller disposes). The L2 penalty is added once per
 * row so the mean loss includes it.
 */
export function trainStep(net: Network, opt: tf.Optimizer, data: DeviceSplit, idx: tf.Tensor1D, dropoutSeed: number): tf.Scalar {
  return tf.tidy(() => {
    const xb = tf.gather(data.x, idx) as tf.Tensor2D;
    const yb = tf.gather(data.y, idx);
    const wb = data.w ? tf.gather(data.w, idx) : null;
    const n = idx.shape[0];
    let sum: tf.Scalar | null = null;
    opt.minimize(
      () => {
        const unweighted = net.rowLoss(net.logits(xb, dropoutSeed), yb);
        // Class weights scale each row's loss (scikit-learn's class_weight); the mean stays over rows.
        const rows = wb ? tf.mul(unweighted, wb) : unweighted;
        if (net.spec.l2 === 0) {
          // No penalty: skip its kernels and the upload of a zero every step (each kernel counts on a GPU).
          sum = tf.keep(tf.sum(rows) as tf.Scalar);
          return tf.div(sum, n) as tf.Scalar;
        }
        const mean = tf.add(tf.mean(rows), net.penalty()) as tf.Scalar;
        sum = tf.keep(tf.mul(mean, n) as tf.Scalar);
        return mean;
      },
      false,
      net.variables,
    );
    return sum!;
  });
}

/** A fixed, seeded sample of at most TRAIN_METRIC_ROWS training rows for the per-epoch train metric (the whole split can be 300k rows). */
export function trainSample(train: DeviceSplit, seed: number): DeviceSplit {
  const sampleIdx = permutation(train.rows, new Rng(deriveSeed(seed, 'train-sample'))).slice(0, Math.min(TRAIN_METRIC_ROWS, train.rows)).sort();
  const sampleT = tf.tensor1d(Int32Array.from(sampleIdx), 'int32');
  const sample: DeviceSplit = {
    x: tf.gather(train.x, sampleT) as tf.Tensor2D,
    y: tf.gather(train.y, sampleT),
    yHost: Float32Array.from(sampleIdx, (r) => train.yHost[r]!),
    rows: sampleIdx.length,
  };
  sampleT.dispose();
  return sample;
}

function improved(value: number, best: number, lowerIsBetter: boolean): boolean {
  return lowerIsBetter ? value < best : value > best;
}

/**
 * Trains `net` on `train`, scoring `validation` after each epoch. Leaves no
 * tensor behind (the optimizer and snapshots are disposed) except the
 * network's own variables.
 */
export async function trainLoop(
  net: Network,
  train: DeviceSplit,
  validation: DeviceSplit | null,
  options: LoopOptions,
): Promise<LoopResult> {
  const { epochs, batchSize, seed } = options;
  const syncMs = options.syncMs ?? 250;
  const batches = Math.ceil(train.rows / batchSize);
  const opt = makeOptimizer(options.optimizer, options.learningRate);
  const shuffleRng = new Rng(deriveSeed(seed, 'shuffle'));
  const sample = trainSample(train, seed);
  const records: EpochRecord[] = [];
  const lowerIsBetter = options.monitor === 'val_loss' || options.mainMetric === 'rmse';
  let best = lowerIsBetter ? Infinity : -Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = 0;
  let stoppedEarly = false;
  let stoppedByTime = false;
  const started = performance.now();
  let doneBatches = 0;
  let syncEvery = 1;
  const total = epochs * batches;
  const cleanup = () => {
    opt.dispose();
    disposeSplit(sample);
    bestWeights?.forEach((t) => t.dispose());
  };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      const order = tf.tensor1d(Int32Array.from(permutation(train.rows, shuffleRng)), 'int32');
      let acc: tf.Scalar = tf.scalar(0);
      let sinceSync = 0;
      let lastSync = performance.now();
      try {
        for (let b = 0; b < batches; b++) {
          const start = b * batchSize;
          const size = Math.min(batchSize, train.rows - start);
          const idx = tf.slice(order, [start], [size]);
          const loss = trainStep(net, opt, train, idx, deriveSeed(seed, `dropout-${epoch}-${b}`));
          idx.dispose();
          const next = tf.add(acc, loss) as tf.Scalar;
          acc.dispose();
          loss.dispose();
          acc = next;
          doneBatches++;
          sinceSync++;
          if (sinceSync < syncEvery && b < batches - 1) continue;
          // Read back: waits for the device, checks the loss, reports progress, lets a cancel arrive.
          const sumSoFar = (await acc.data())[0]!;
          if (!Number.isFinite(sumSoFar)) {
            return {
              status: 'diverged',
              message: `The training loss became ${Number.isNaN(sumSoFar) ? 'NaN' : 'infinite'} in epoch ${epoch} (by batch ${b + 1} of ${batches}). The weights were not saved. Lower the learning rate (now ${options.learningRate}), or check the features for extreme values.`,
              epochs: records,
            };
          }
          const now = performance.now();
          const elapsedMs = now - started;
          options.onProgress?.({ epoch, batch: b + 1, batches, elapsedMs, etaMs: (elapsedMs / doneBatches) * (total - doneBatches) });
          const took = now - lastSync;
          syncEvery = Math.max(1, Math.min(batches, Math.round(sinceSync * (syncMs / Math.max(took, 1)))));
          sinceSync = 0;
          await yieldToEvents();
          lastSync = performance.now();
          const reason = options.stopReason?.();
          if (reason) return { status: 'stopped', reason, epochs: records };
        }
        const loss = (await acc.data())[0]! / train.rows;
        const trainScore = await epochMetric(net, sample, options.mainMetric, options.targetStd ?? 1);
        const valScore = validation && validation.rows > 0 ? await epochMetric(net, validation, options.mainMetric, options.targetStd ?? 1) : null;
        const record: EpochRecord = {
          epoch,
          loss,
          valLoss: valScore?.loss ?? null,
          metric: trainScore.metric,
          valMetric: valScore?.metric ?? null,
          ms: performance.now() - epochStart,
        };
        records.push(record);
        options.onEpoch?.(record);
        if (options.earlyStopping && valScore) {
          const value = options.monitor === 'val_loss' ? valScore.loss : valScore.metric;
          if (improved(value, best, lowerIsBetter)) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = net.snapshot();
          } else if (++wait >= options.patience) {
            stoppedEarly = true;
            break;
          }
        } else {
          bestEpoch = epoch;
        }
        if (options.maxMs !== undefined && epoch < epochs && performance.now() - started >= options.maxMs) {
          stoppedByTime = true;
          break;
        }
      } finally {
        order.dispose();
        acc.dispose();
      }
    }
    if (bestWeights && bestEpoch !== records.length) net.restore(bestWeights);
    return { status: 'completed', epochs: records, bestEpoch, stoppedEarly, stoppedByTime };
  } finally {
    cleanup();
  }
}
