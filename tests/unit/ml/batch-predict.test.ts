import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import { predictRows, type PredictableModel } from '../../../src/lib/ml/batch-predict';
import { decodeColumns, defaultTrainConfig, type DatasetSource } from '../../../src/lib/core/training';
import { cellOf, classCounts, predictedClass, predictionHeader, predictionRows } from '../../../src/lib/core/models';
import { rocAucScore } from '../../../src/lib/core/metrics';
import { Rng } from '../../../src/lib/core/common';
import { importText } from '../helpers';

const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };
const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function csv(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,colour,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${['red', 'green', 'blue'][rng.int(3)]},${x1 + 2 * x2 > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

async function source(text: string): Promise<DatasetSource> {
  const r = await importText(text);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

async function trained(): Promise<PredictableModel> {
  const ds = await source(csv(500, 1));
  const config = { ...defaultTrainConfig(ds.hash, 'label', 'binary' as const, ['x1', 'x2', 'colour']), backend: 'cpu' as const, batchSize: 32, epochs: 15, learningRate: 0.05, earlyStopping: false, thresholdRule: 'max-f1' as const };
  const out = await runTraining({ runId: 'r', config, dataset: ds }, { host: cpuHost, environment: env });
  if (out.status !== 'completed') throw new Error(out.message);
  const r = out.result;
  return { files: r.artifacts, preprocessing: r.preprocessing, target: r.target, threshold: r.threshold?.choice.threshold ?? null };
}

describe('predictions of a stored model on new data', () => {
  it('applies the version’s preprocessing and threshold to every row of a new file', async () => {
    const model = await trained();
    const fresh = await source(csv(300, 99)); // another sample of the same problem
    const cols = await decodeColumns(fresh, ['x1', 'x2', 'colour', 'label']);
    const p = await predictRows(model, cols.slice(0, 3), fresh.rows);
    expect(p.rows).toBe(300);
    expect(p.classes).toEqual(['no', 'yes']);
    expect(p.threshold).toBe(model.threshold ?? 0.5);
    // Probabilities add up to 1 and rank the rows as the true rule does.
    const truth = new Float32Array(300);
    const label = cols[3]!.data;
    for (let i = 0; i < 300; i++) {
      expect(p.values[2 * i]! + p.values[2 * i + 1]!).toBeCloseTo(1, 6);
      truth[i] = cellOf(label, i) === 'yes' ? 1 : 0;
    }
    const scores = Float32Array.from({ length: 300 }, (_, i) => p.values[2 * i + 1]!);
    expect(rocAucScore(truth, scores)).toBeGreaterThan(0.97);
    // The stored threshold decides the label: a higher one never predicts more positives.
    const strict = { ...p, threshold: 0.99 };
    expect(classCounts(strict)[1]!).toBeLessThanOrEqual(classCounts(p)[1]!);
    expect(predictedClass({ ...p, threshold: 0 }, 0)).toBe(1);
    // Same model, same rows: the same numbers.
    const again = await predictRows(model, cols.slice(0, 3), fresh.rows);
    expect(Array.from(again.values)).toEqual(Array.from(p.values));
    // The file: input columns, then the prediction and a probability per class.
    expect(predictionHeader(p, ['x1', 'x2', 'colour'], 'label')).toEqual(['predicted_label', 'probability_no', 'probability_yes']);
    const [first] = [...predictionRows(p, cols.slice(0, 3).map((c) => c.data), 0, 1)];
    expect(first).toHaveLength(6);
    expect(['no', 'yes']).toContain(first![3]);
  });

  it('names the column a new file lacks', async () => {
    const model = await trained();
    const fresh = await source(csv(20, 5));
    const cols = await decodeColumns(fresh, ['x1', 'colour']);
    await expect(predictRows(model, cols, fresh.rows)).rejects.toThrow(/x2/);
  });
});

describe('prediction file columns', () => {
  it('renames added columns that clash with an input column', () => {
    const p = { rows: 0, task: 'classification' as const, classes: ['a', 'b'], values: new Float64Array(), threshold: 0.5 };
    expect(predictionHeader(p, ['predicted_y', 'probability_a'], 'y')).toEqual(['predicted_y_2', 'probability_a_2', 'probability_b']);
  });
});

describe('cells of the prediction file', () => {
  it('writes stored values back as the file had them: numbers, text, and missing as empty', async () => {
    const ds = await source('n,c\n1.5,red\n,NA\n-2,blue\n');
    const [n, c] = await decodeColumns(ds, ['n', 'c']);
    expect([0, 1, 2].map((i) => cellOf(n!.data, i))).toEqual([1.5, null, -2]);
    expect(cellOf(c!.data, 0)).toBe('red');
    expect(cellOf(c!.data, 2)).toBe('blue');
  });
});
