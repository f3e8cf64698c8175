/**
 * A stored model version's network, loaded once, predicting already-encoded
 * matrices: the analyses (permutation importance, partial dependence,
 * fairness) encode the test split once and then predict many changed copies
 * of it, so they skip batch-predict's per-call decode, encode and model load.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelArtifactsFiles } from '../core/training';
import { loadFromFiles } from './io';
import { PREDICT_BATCH } from './predict';

/** A loaded network that maps rows of encoded features to its head outputs. */
export interface MatrixPredictor {
  /** Encoded features per row the network takes. */
  readonly cols: number;
  /** Head outputs per row: 1 (sigmoid or regression) or K (softmax). */
  readonly width: number;
  /**
   * Head outputs of `rows` rows of row-major `x` (rows x cols), row-major rows x width.
   * `step`, when given, runs between batches (a cancel point: it throws to stop).
   */
  predict(x: Float32Array, rows: number, step?: () => Promise<void>): Promise<Float32Array>;
  /** Frees the network's weights. */
  dispose(): void;
}

/** Loads a model version's network for matrix predictions (call dispose when done). */
export async function loadMatrixPredictor(files: ModelArtifactsFiles): Promise<MatrixPredictor> {
  const net = await loadFromFiles(files);
  const inShape = net.inputs[0]!.shape;
  const outShape = net.outputs[0]!.shape;
  const cols = inShape[inShape.length - 1] ?? 0;
  const width = outShape[outShape.length - 1] ?? 1;
  return {
    cols,
    width,
    async predict(x, rows, step) {
      if (x.length < rows * cols) throw new Error(`The matrix has ${x.length} values, fewer than ${rows} rows of ${cols}.`);
      const out = new Float32Array(rows * width);
      for (let start = 0; start < rows; start += PREDICT_BATCH) {
        await step?.();
        const size = Math.min(PREDICT_BATCH, rows - start);
        // One pass per batch: LayersModel.predict's default batchSize of 32 makes it ~80x slower on wasm.
        const y = tf.tidy(() => net.predict(tf.tensor2d(x.subarray(start * cols, (start + size) * cols), [size, cols]), { batchSize: size }) as tf.Tensor);
        try {
          out.set(await y.data(), start * width);
        } finally {
          y.dispose();
        }
      }
      return out;
    },
    dispose: () => net.dispose(),
  };
}
