import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { saveToFiles } from '../../../src/lib/ml/io';
import { loadMatrixPredictor } from '../../../src/lib/ml/matrix-predict';
import { PREDICT_BATCH } from '../../../src/lib/ml/predict';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('loadMatrixPredictor', () => {
  it('predicts an encoded matrix across batch boundaries with the saved weights, stepping between batches', async () => {
    // y = 2 a - 3 b + 0.5, and 2 outputs: (a, a + b).
    const one = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, weights: [tf.tensor2d([[2], [-3]]), tf.tensor1d([0.5])] })] });
    const two = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, weights: [tf.tensor2d([[1, 1], [0, 1]]), tf.tensor1d([0, 0])] })] });
    const rows = PREDICT_BATCH + 5;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => ((i * 7) % 13) / 4 - 1);
    const net = await loadMatrixPredictor(await saveToFiles(one));
    expect([net.cols, net.width]).toEqual([2, 1]);
    let steps = 0;
    const out = await net.predict(x, rows, async () => void steps++);
    expect(steps).toBe(2);
    expect(out).toHaveLength(rows);
    for (const i of [0, 1, PREDICT_BATCH - 1, PREDICT_BATCH, rows - 1]) expect(out[i]).toBeCloseTo(2 * x[2 * i]! - 3 * x[2 * i + 1]! + 0.5, 5);
    net.dispose();
    const wide = await loadMatrixPredictor(await saveToFiles(two));
    expect(wide.width).toBe(2);
    const o2 = await wide.predict(Float32Array.from([1, 2, 3, 4]), 2);
    expect(Array.from(o2)).toEqual([1, 3, 3, 7]);
    await expect(wide.predict(Float32Array.from([1, 2, 3]), 2)).rejects.toThrow(/fewer than 2 rows/);
    wide.dispose();
  });

  it('gives what LayersModel.predict gives for an MLP with dropout and a softmax head, and for a sigmoid linear model', async () => {
    const mlp = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 6, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: 'ones' }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const logistic = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 1, activation: 'sigmoid', weights: [tf.tensor2d([[0.5], [-1], [2], [0], [0.25]]), tf.tensor1d([-0.3])] })] });
    const rows = 40;
    const x = Float32Array.from({ length: rows * 5 }, (_, i) => Math.sin(i * 1.7) * 2);
    for (const model of [mlp, logistic]) {
      const expected = await (model.predict(tf.tensor2d(x, [rows, 5])) as tf.Tensor).data();
      const net = await loadMatrixPredictor(await saveToFiles(model));
      const got = await net.predict(x, rows);
      expect(got).toHaveLength(expected.length);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 6);
      net.dispose();
    }
  });
});
