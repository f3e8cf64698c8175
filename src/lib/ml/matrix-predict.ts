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

/** One Dense layer as raw tensors: kernel, bias, activation. */
interface DenseStep {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D | null;
  activation: string;
}

const ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  elu: (x) => tf.elu(x),
  softmax: (x) => tf.softmax(x),
};

/**
 * The network as a chain of Dense layers (InputLayer and Dropout do nothing at inference), or
 * null when it has any other layer. Raw matMul/add/activation is several times faster than
 * LayersModel.predict on wasm (25-40 ms against ~3 ms for a 48,000 x 46 logistic regression,
 * measured in Node), and the analyses predict ~100 copies of the test split.
 */
function denseChain(net: tf.LayersModel): DenseStep[] | null {
  const steps: DenseStep[] = [];
  for (const layer of net.layers) {
    const kind = layer.getClassName();
    if (kind === 'InputLayer' || kind === 'Dropout') continue;
    if (kind !== 'Dense') return null;
    const config = layer.getConfig() as { activation?: string; useBias?: boolean };
    const activation = config.activation ?? 'linear';
    if (!(activation in ACTIVATIONS)) return null;
    const [kernel, bias] = layer.getWeights();
    if (!kernel || kernel.rank !== 2) return null;
    steps.push({ kernel: kernel as tf.Tensor2D, bias: config.useBias === false || !bias ? null : (bias as tf.Tensor1D), activation });
  }
  return steps.length > 0 ? steps : null;
}

/** Loads a model version's network for matrix predictions (call dispose when done). */
export async function loadMatrixPredictor(files: ModelArtifactsFiles): Promise<MatrixPredictor> {
  const net = await loadFromFiles(files);
  const inShape = net.inputs[0]!.shape;
  const outShape = net.outputs[0]!.shape;
  const cols = inShape[inShape.length - 1] ?? 0;
  const width = outShape[outShape.length - 1] ?? 1;
  const chain = denseChain(net);
  const forward = (x: tf.Tensor2D, size: number): tf.Tensor =>
    chain
      ? chain.reduce<tf.Tensor>((h, { kernel, bias, activation }) => ACTIVATIONS[activation]!(bias ? tf.add(tf.matMul(h as tf.Tensor2D, kernel), bias) : tf.matMul(h as tf.Tensor2D, kernel)), x)
      : // One pass per batch: LayersModel.predict's default batchSize of 32 makes it ~80x slower on wasm.
        (net.predict(x, { batchSize: size }) as tf.Tensor);
  return {
    cols,
    width,
    async predict(x, rows, step) {
      if (x.length < rows * cols) throw new Error(`The matrix has ${x.length} values, fewer than ${rows} rows of ${cols}.`);
      const out = new Float32Array(rows * width);
      for (let start = 0; start < rows; start += PREDICT_BATCH) {
        await step?.();
        const size = Math.min(PREDICT_BATCH, rows - start);
        const y = tf.tidy(() => forward(tf.tensor2d(x.subarray(start * cols, (start + size) * cols), [size, cols]), size));
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
