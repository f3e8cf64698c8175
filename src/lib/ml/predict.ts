/**
 * Inference over a whole split in large batches, with one read-back at the
 * end, and the metrics computed from it on the host.
 */
import * as tf from '@tensorflow/tfjs';
import { classificationMetrics, regressionMetrics, rocAucScore } from '../core/metrics';
import { toClassIndices, unscaleTarget, type TargetSpec, type Evaluation, type MainMetric } from '../core/training';
import type { Network } from './model';
import type { DeviceSplit } from './loop';

/** Rows per inference batch: large, since there is no gradient to keep. */
export const PREDICT_BATCH = 8192;

/**
 * Head outputs of every row (probabilities or values), row-major n x outputs,
 * and the mean loss including the L2 penalty.
 */
export async function predictSplit(net: Network, split: DeviceSplit): Promise<{ outputs: Float32Array; loss: number }> {
  const parts: tf.Tensor[] = [];
  let lossSum: tf.Scalar = tf.scalar(0);
  try {
    for (let start = 0; start < split.rows; start += PREDICT_BATCH) {
      const size = Math.min(PREDICT_BATCH, split.rows - start);
      const [out, sum] = tf.tidy(() => {
        const xb = tf.slice(split.x, [start, 0], [size, -1]);
        const yb = split.y.rank === 1 ? tf.slice(split.y, [start], [size]) : tf.slice(split.y, [start, 0], [size, -1]);
        const logits = net.logits(xb);
        return [net.head(logits), tf.add(lossSum, tf.sum(net.rowLoss(logits, yb))) as tf.Scalar];
      });
      parts.push(out);
      lossSum.dispose();
      lossSum = sum;
    }
    const all = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
    const outputs = (await all.data()) as Float32Array;
    if (all !== parts[0]) all.dispose();
    const penalty = net.penalty();
    const loss = split.rows > 0 ? (await lossSum.data())[0]! / split.rows + (await penalty.data())[0]! : NaN;
    penalty.dispose();
    return { outputs: Float32Array.from(outputs), loss };
  } finally {
    parts.forEach((t) => t.dispose());
    lossSum.dispose();
  }
}

/** n x K probabilities from the head outputs (a sigmoid head gives p(class 1) only). */
export function toProbabilities(outputs: Float32Array, k: number): Float32Array {
  if (k > 2 || outputs.length === 0) return outputs;
  const proba = new Float32Array(outputs.length * 2);
  outputs.forEach((p, i) => {
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  });
  return proba;
}

/** Accuracy of argmax (or p >= 0.5) predictions. */
function accuracy(outputs: Float32Array, y: Float32Array, k: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let pred: number;
    if (k <= 2) pred = outputs[i]! >= 0.5 ? 1 : 0;
    else {
      pred = 0;
      for (let c = 1; c < k; c++) if (outputs[i * k + c]! > outputs[i * k + pred]!) pred = c;
    }
    if (pred === y[i]) right++;
  }
  return right / y.length;
}

/** The main metric and mean loss of a split, for the per-epoch curves. */
export async function epochMetric(net: Network, split: DeviceSplit, metric: MainMetric, targetStd: number): Promise<{ loss: number; metric: number }> {
  const { outputs, loss } = await predictSplit(net, split);
  const y = split.yHost;
  if (metric === 'auc') return { loss, metric: rocAucScore(y, outputs) };
  if (metric === 'accuracy') return { loss, metric: accuracy(outputs, y, net.spec.outputs) };
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (outputs[i]! - y[i]!) ** 2;
  return { loss, metric: Math.sqrt(ss / y.length) * targetStd };
}

/** The test-split evaluation of a trained network. */
export async function evaluateSplit(net: Network, split: DeviceSplit, target: TargetSpec, threshold = 0.5, known?: Float32Array): Promise<Evaluation> {
  const outputs = known ?? (await predictSplit(net, split)).outputs;
  if (target.task === 'regression') {
    const yTrue = unscaleTarget(target, split.yHost);
    const yPred = unscaleTarget(target, outputs);
    return { task: 'regression', ...regressionMetrics(yTrue, yPred) };
  }
  const k = target.classes.length;
  const m = classificationMetrics(toClassIndices(split.yHost), toProbabilities(outputs, k), target.classes, { threshold });
  return m;
}
