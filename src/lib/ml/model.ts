/**
 * The networks Labbook trains: a stack of Dense layers (none hidden for the
 * linear models). The variables live in a tf.Sequential so the saved model is
 * an ordinary TF.js layers model that any TF.js program can load, but the
 * training forward pass is our own: it applies dropout with a fresh seeded
 * mask per batch (TF.js's Dropout layer reuses one seed, so every batch would
 * get the same mask) and computes the loss from logits, which is stable where
 * a loss on probabilities overflows.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, deriveSeed } from '../core/common';
import type { Activation, TrainConfig } from '../core/training';

/** What a network looks like: everything needed to rebuild it. */
export interface ModelSpec {
  inputs: number;
  /** 1 (sigmoid for binary, identity for regression) or K (softmax). */
  outputs: number;
  head: 'sigmoid' | 'softmax' | 'linear';
  hidden: number[];
  activation: Activation;
  dropout: number;
  l2: number;
  /**
   * Starting bias of the output layer: the log-odds (sigmoid) or log share
   * (softmax) of each class in training, so the first predictions are the
   * base rate rather than noise; it matters for a rare class.
   */
  outputBias?: number[];
}

/** The output bias matching training class counts (see ModelSpec.outputBias); empty for regression. */
export function priorBias(head: ModelSpec['head'], classCounts: readonly number[]): number[] {
  const total = classCounts.reduce((s, c) => s + c, 0);
  if (head === 'linear' || total === 0) return [];
  // A class never seen would be log(0): clamp to half a row.
  const share = classCounts.map((c) => Math.max(c, 0.5) / total);
  if (head === 'sigmoid') return [Math.log(share[1]! / share[0]!)];
  return share.map((p) => Math.log(p));
}

/** The spec of a run's network from its config and prepared data shape. */
export function modelSpecOf(config: TrainConfig, inputs: number, outputs: number, classCounts: readonly number[] = []): ModelSpec {
  const head = config.task === 'regression' ? 'linear' : outputs > 1 ? 'softmax' : 'sigmoid';
  return {
    outputBias: priorBias(head, classCounts),
    inputs,
    outputs,
    head,
    hidden: config.model === 'mlp' ? [...config.hiddenUnits] : [],
    activation: config.activation,
    dropout: config.model === 'mlp' ? config.dropout : 0,
    // The full-batch classifier's penalty is C (inside the solver); the l2 field does not apply to it.
    l2: config.model === 'linear' && config.solver !== 'minibatch' && config.task !== 'regression' ? 0 : config.l2,
  };
}

function activate(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
  }
}

/** Where one weight tensor sits inside the flat parameter vector. */
interface Segment {
  offset: number;
  shape: [number, number] | [number];
  size: number;
}

/**
 * A network's parameters and the math over them. Dispose it when done.
 *
 * Training updates ONE flat variable holding every kernel and bias, sliced
 * per layer in the forward pass: the optimizer then runs its update once
 * instead of once per weight tensor (Adam is ~16 kernels per variable, most
 * of a small network's step on a GPU, where each kernel dispatch costs more
 * than its arithmetic). The tf.Sequential's own variables receive the values
 * by `syncModel()` before the model is saved.
 */
export class Network {
  readonly spec: ModelSpec;
  readonly model: tf.Sequential;
  readonly params: tf.Variable;
  readonly #kernels: Segment[] = [];
  readonly #biases: Segment[] = [];

  /**
   * Builds the network with seeded weights: He-uniform before ReLU / ELU,
   * Glorot-uniform otherwise; a linear model starts from zero weights (as
   * scikit-learn's LogisticRegression does: its loss is convex, so there is
   * no symmetry to break). Hidden biases are zero, the output bias is the
   * class prior.
   */
  constructor(spec: ModelSpec, seed: number) {
    this.spec = spec;
    const sizes = [spec.inputs, ...spec.hidden, spec.outputs];
    const model = tf.sequential();
    let offset = 0;
    for (let i = 1; i < sizes.length; i++) {
      const last = i === sizes.length - 1;
      model.add(
        tf.layers.dense({
          units: sizes[i]!,
          inputShape: i === 1 ? [spec.inputs] : undefined,
          activation: last ? spec.head : spec.activation,
          // Zeros here; the values come from the seeded parameter vector (TF.js initializers do not all honour a seed).
          kernelInitializer: 'zeros',
          biasInitializer: 'zeros',
          name: `dense_${i}`,
        }),
      );
      const k = sizes[i - 1]! * sizes[i]!;
      this.#kernels.push({ offset, shape: [sizes[i - 1]!, sizes[i]!], size: k });
      offset += k;
    }
    for (let i = 1; i < sizes.length; i++) {
      this.#biases.push({ offset, shape: [sizes[i]!], size: sizes[i]! });
      offset += sizes[i]!;
    }
    this.model = model;
    const values = new Float32Array(offset);
    const rng = new Rng(deriveSeed(seed, 'init'));
    this.#kernels.forEach((seg, i) => {
      if (sizes.length === 2) return; // linear model: zeros
      const [fanIn, fanOut] = seg.shape as [number, number];
      const hidden = i < sizes.length - 2;
      const he = hidden && (spec.activation === 'relu' || spec.activation === 'elu');
      const limit = he ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
      for (let j = 0; j < seg.size; j++) values[seg.offset + j] = (rng.next() * 2 - 1) * limit;
    });
    const bias = spec.outputBias ?? [];
    if (bias.length === spec.outputs) values.set(bias, this.#biases[this.#biases.length - 1]!.offset);
    const init = tf.tensor1d(values);
    this.params = tf.variable(init, true, undefined, 'float32');
    init.dispose();
    this.syncModel();
  }

  /** The trainable variables: the one flat parameter vector. */
  get variables(): tf.Variable[] {
    return [this.params];
  }

  #view(seg: Segment): tf.Tensor {
    return tf.reshape(tf.slice(this.params, [seg.offset], [seg.size]), seg.shape);
  }

  /** The kernels as tensors (call inside tf.tidy). */
  get kernels(): tf.Tensor2D[] {
    return this.#kernels.map((seg) => this.#view(seg) as tf.Tensor2D);
  }

  /** Copies the parameters into the tf.Sequential's layers (before saving or predicting with `model`). */
  syncModel(): void {
    tf.tidy(() => {
      this.model.layers.forEach((layer, i) => layer.setWeights([this.#view(this.#kernels[i]!), this.#view(this.#biases[i]!)]));
    });
  }

  /**
   * Logits for a batch. With `dropoutSeed`, hidden activations are dropped
   * with the spec's rate (inverted dropout) using masks derived from the seed.
   */
  logits(x: tf.Tensor2D, dropoutSeed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor = x;
      const last = this.#kernels.length - 1;
      this.#kernels.forEach((seg, i) => {
        h = tf.add(tf.matMul(h as tf.Tensor2D, this.#view(seg) as tf.Tensor2D), this.#view(this.#biases[i]!));
        if (i === last) return;
        h = activate(h, this.spec.activation);
        if (dropoutSeed !== undefined && this.spec.dropout > 0) {
          const keep = 1 - this.spec.dropout;
          const mask = tf.less(tf.randomUniform(h.shape, 0, 1, 'float32', deriveSeed(dropoutSeed, i)), keep);
          h = tf.div(tf.mul(h, tf.cast(mask, 'float32')), keep);
        }
      });
      return h as tf.Tensor2D;
    });
  }

  /** Model outputs from logits: probabilities (sigmoid / softmax) or values. */
  head(logits: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      if (this.spec.head === 'sigmoid') return tf.sigmoid(logits);
      if (this.spec.head === 'softmax') return tf.softmax(logits);
      return tf.clone(logits);
    });
  }

  /**
   * Per-row loss from logits (no reduction): binary cross-entropy, softmax
   * cross-entropy against class indices, or squared error. `y` is [n, 1]
   * float (binary, regression) or [n] int32 class indices (softmax).
   */
  rowLoss(logits: tf.Tensor2D, y: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => {
      if (this.spec.head === 'sigmoid') {
        // max(z, 0) - z*y + log(1 + exp(-|z|)): never overflows.
        const z = logits;
        const l = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
        return tf.reshape(l, [-1]) as tf.Tensor1D;
      }
      if (this.spec.head === 'softmax') {
        const logp = tf.logSoftmax(logits);
        const onehot = tf.oneHot(y as tf.Tensor1D, this.spec.outputs);
        return tf.neg(tf.sum(tf.mul(logp, onehot), 1)) as tf.Tensor1D;
      }
      return tf.reshape(tf.square(tf.sub(logits, y)), [-1]) as tf.Tensor1D;
    });
  }

  /** The L2 penalty l2 × Σ w² over the kernels (0 when l2 is 0). */
  penalty(): tf.Scalar {
    return tf.tidy(() => {
      if (this.spec.l2 === 0) return tf.scalar(0);
      return tf.mul(tf.addN(this.#kernels.map((seg) => tf.sum(tf.square(this.#view(seg))))), this.spec.l2) as tf.Scalar;
    });
  }

  /** Sets a linear model's parameters: the row-major inputs x outputs kernel and the output biases. */
  setLinear(kernel: Float32Array, bias: Float32Array): void {
    if (this.#kernels.length !== 1 || kernel.length !== this.#kernels[0]!.size || bias.length !== this.spec.outputs) {
      throw new Error('These parameters do not fit this linear model.');
    }
    const values = new Float32Array(kernel.length + bias.length);
    values.set(kernel, 0);
    values.set(bias, kernel.length);
    tf.tidy(() => this.params.assign(tf.tensor1d(values)));
  }

  /**
   * Starts from saved weights (Continue training): one kernel and one bias per
   * layer, in the saved model's order (TF.js's `model.getWeights()`).
   * @throws Error when the shapes differ from this network's
   */
  loadWeights(weights: readonly tf.Tensor[]): void {
    const n = this.#kernels.length;
    const fits =
      weights.length === 2 * n &&
      this.#kernels.every((seg, i) => weights[2 * i]!.size === seg.size) &&
      this.#biases.every((seg, i) => weights[2 * i + 1]!.size === seg.size);
    if (!fits) throw new Error('The saved model’s layers do not match this configuration, so training cannot continue from it.');
    tf.tidy(() => {
      const kernels = this.#kernels.map((_, i) => tf.reshape(weights[2 * i]!, [-1]));
      const biases = this.#biases.map((_, i) => tf.reshape(weights[2 * i + 1]!, [-1]));
      this.params.assign(tf.concat([...kernels, ...biases]) as tf.Tensor1D);
    });
  }

  /** Copies of the current weights (for early stopping's best epoch). */
  snapshot(): tf.Tensor[] {
    return this.variables.map((v) => tf.clone(v));
  }

  /** Puts a snapshot's weights back. */
  restore(snapshot: readonly tf.Tensor[]): void {
    this.variables.forEach((v, i) => v.assign(snapshot[i]!));
  }

  dispose(): void {
    this.params.dispose();
    this.model.dispose();
  }
}
