import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import {
  defaultTrainConfig,
  type TrainConfig,
  type DatasetSource,
  type TrainEvent,
} from '../../../src/lib/core/training';
import { Rng } from '../../../src/lib/core/common';
import { importText } from '../helpers';

const cpuHost: TrainHooks['host'] = {
  activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false),
  adapter: async () => null,
};
const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A CSV whose label is 1 exactly when x1 + 2·x2 > 0 (separable), plus a categorical noise column and some missing values. */
function separableCsv(rows: number, seed = 1): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,colour,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    const colour = ['red', 'green', 'blue'][rng.int(3)];
    const label = x1 + 2 * x2 > 0 ? 'yes' : 'no';
    lines.push(`${i % 50 === 7 ? '' : x1.toFixed(4)},${x2.toFixed(4)},${colour},${label}`);
  }
  return lines.join('\n');
}

const MINIBATCH = { solver: 'minibatch', autoBudget: false } as const;

async function source(csv: string): Promise<DatasetSource> {
  const r = await importText(csv);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

function config(ds: DatasetSource, patch: Partial<TrainConfig> = {}): TrainConfig {
  // Mini-batch training with the budget set by hand: these tests are about the epoch loop (the full-batch solver has its own).
  return { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['x1', 'x2', 'colour']), ...MINIBATCH, backend: 'cpu', batchSize: 32, epochs: 20, learningRate: 0.05, patience: 3, ...patch };
}

async function train(ds: DatasetSource, c: TrainConfig, hooks: Partial<TrainHooks> = {}) {
  return runTraining({ runId: 'r', config: c, dataset: ds }, { host: cpuHost, environment: env, ...hooks });
}

describe('runTraining on the cpu backend', () => {
  it('learns a separable problem: test accuracy and AUC near 1, loss falling', async () => {
    const ds = await source(separableCsv(600));
    const out = await train(ds, config(ds, { earlyStopping: false }));
    expect(out.status).toBe('completed');
    if (out.status !== 'completed') return;
    const ev = out.result.evaluation;
    expect(ev.task).toBe('binary');
    if (ev.task === 'regression') return;
    expect(ev.accuracy).toBeGreaterThan(0.95);
    expect(ev.rocAuc).toBeGreaterThan(0.99);
    expect(ev.classes).toEqual(['no', 'yes']);
    const losses = out.result.epochs.map((e) => e.loss);
    expect(losses).toHaveLength(20);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 2);
    expect(out.result.sizes).toEqual({ train: 420, validation: 90, test: 90, droppedMissingTarget: 0 });
    expect(out.result.backend.used).toBe('cpu');
    // The saved model is a TF.js layers model with one weights file.
    expect(JSON.parse(out.result.artifacts.modelJson).weightsManifest[0].paths).toEqual(['weights.bin']);
  });

  it('gives the same metrics to 1e-6 for the same seed, and different ones for another seed', async () => {
    const ds = await source(separableCsv(400));
    const c = config(ds, { model: 'mlp', hiddenUnits: [8], dropout: 0.2, epochs: 5 });
    const [a, b, other] = [await train(ds, c), await train(ds, c), await train(ds, { ...c, seed: 7 })];
    if (a.status !== 'completed' || b.status !== 'completed' || other.status !== 'completed') throw new Error('a run failed');
    a.result.epochs.forEach((e, i) => {
      expect(e.loss).toBeCloseTo(b.result.epochs[i]!.loss, 6);
      expect(e.valLoss!).toBeCloseTo(b.result.epochs[i]!.valLoss!, 6);
    });
    const [ea, eb] = [a.result.evaluation, b.result.evaluation];
    if (ea.task === 'regression' || eb.task === 'regression') throw new Error('wrong task');
    expect(Math.abs(ea.logLoss - eb.logLoss)).toBeLessThan(1e-6);
    expect(other.result.epochs[0]!.loss).not.toBeCloseTo(a.result.epochs[0]!.loss, 6);
  });

  it('leaves no tensor behind over repeated runs', async () => {
    const ds = await source(separableCsv(300));
    const c = config(ds, { model: 'mlp', hiddenUnits: [4, 4], dropout: 0.1, epochs: 3, earlyStopping: true, patience: 1 });
    await train(ds, c);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await train(ds, { ...c, seed: i });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a NaN loss with a clear message and no model', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 200; i++) lines.push(`${i % 2 === 0 ? 1e30 : -1e30},${i % 2 === 0 ? 3e38 : -3e38}`);
    const ds = await source(lines.join('\n'));
    const c: TrainConfig = { ...defaultTrainConfig(ds.hash, 'y', 'regression', ['x']), ...MINIBATCH, backend: 'cpu', optimizer: 'sgd', learningRate: 10, epochs: 5, batchSize: 20 };
    const before = tf.memory().numTensors;
    const out = await train(ds, c);
    expect(out.status).toBe('failed');
    if (out.status === 'completed') return;
    expect(out.message).toMatch(/loss became (NaN|infinite) in epoch \d+ \(by batch \d+ of 7\).*weights were not saved.*learning rate/s);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels at the next read-back and reports the epochs done', async () => {
    const ds = await source(separableCsv(2000));
    let progress = 0;
    const out = await train(ds, config(ds, { epochs: 200, batchSize: 8 }), {
      onEvent: (e: TrainEvent) => {
        if (e.type === 'progress') progress++;
      },
      isCancelled: () => progress >= 3,
    });
    expect(out.status).toBe('cancelled');
    if (out.status === 'completed') return;
    expect(out.message).toMatch(/Cancelled/);
    expect(out.epochs.length).toBeLessThan(200);
  });

  it('early stopping restores the best epoch by validation loss', async () => {
    const ds = await source(separableCsv(400, 3));
    // A large learning rate makes the validation loss wander, so patience runs out well before 60 epochs.
    const out = await train(ds, config(ds, { model: 'mlp', hiddenUnits: [32], epochs: 60, patience: 2, optimizer: 'adam', learningRate: 0.3 }));
    if (out.status !== 'completed') throw new Error(out.status);
    const { epochs, bestEpoch, stoppedEarly } = out.result;
    const best = epochs.reduce((b, e) => (e.valLoss! < b.valLoss! ? e : b));
    expect(bestEpoch).toBe(best.epoch);
    expect(stoppedEarly).toBe(true);
    expect(epochs.length).toBe(bestEpoch + 2);
    expect(out.result.epochs.length).toBeLessThan(60);
  });

  it('trains multiclass (softmax) and regression runs with their own metrics', async () => {
    const rng = new Rng(5);
    const lines = ['a,b,kind,price'];
    for (let i = 0; i < 450; i++) {
      const a = rng.next() * 3;
      const b = rng.next() * 3;
      const kind = a > 2 ? 'high' : a > 1 ? 'mid' : 'low';
      lines.push(`${a.toFixed(3)},${b.toFixed(3)},${kind},${(10 + 5 * a - 2 * b + rng.next() * 0.1).toFixed(3)}`);
    }
    const ds = await source(lines.join('\n'));
    const multi = await train(ds, { ...defaultTrainConfig(ds.hash, 'kind', 'multiclass', ['a', 'b']), ...MINIBATCH, backend: 'cpu', epochs: 40, learningRate: 0.1, batchSize: 32, earlyStopping: false });
    if (multi.status !== 'completed' || multi.result.evaluation.task !== 'multiclass') throw new Error('multiclass failed');
    expect(multi.result.evaluation.classes).toEqual(['high', 'low', 'mid']);
    expect(multi.result.evaluation.accuracy).toBeGreaterThan(0.85);
    expect(multi.result.mainMetric).toBe('accuracy');
    const reg = await train(ds, { ...defaultTrainConfig(ds.hash, 'price', 'regression', ['a', 'b']), ...MINIBATCH, backend: 'cpu', epochs: 40, learningRate: 0.05, batchSize: 32, earlyStopping: false });
    if (reg.status !== 'completed' || reg.result.evaluation.task !== 'regression') throw new Error('regression failed');
    expect(reg.result.evaluation.r2).toBeGreaterThan(0.98);
    expect(reg.result.evaluation.rmse).toBeLessThan(0.5);
    expect(reg.result.mainMetric).toBe('rmse');
  });

  it('tunes the decision threshold on validation, uses it on test, and keeps 0.5 for comparison', async () => {
    const ds = await source(separableCsv(600));
    const out = await train(ds, config(ds, { thresholdRule: 'max-f1', epochs: 5 }));
    if (out.status !== 'completed' || out.result.evaluation.task === 'regression') throw new Error('run failed');
    const t = out.result.threshold!;
    expect(t.choice.rule).toEqual({ kind: 'max-f1' });
    expect(out.result.evaluation.threshold).toBe(t.choice.threshold);
    expect(t.test.map((x) => x.threshold)).toEqual([0.5, t.choice.threshold]);
    expect(t.choice.f1).toBeGreaterThan(0.9);
    const plain = await train(ds, config(ds, { epochs: 5 }));
    if (plain.status !== 'completed') throw new Error('run failed');
    expect(plain.result.threshold).toBeNull();
  });

  it('rebalances the training split only: validation and test rows and their class shares stay as they were', async () => {
    // About 10% positives.
    const rng = new Rng(11);
    const lines = ['a,b,colour,label'];
    for (let i = 0; i < 800; i++) {
      const a = rng.next() * 4 - 2;
      const b = rng.next() * 4 - 2;
      lines.push(`${a.toFixed(3)},${b.toFixed(3)},${['red', 'blue'][rng.int(2)]},${a + b > 2 ? 'yes' : 'no'}`);
    }
    const ds = await source(lines.join('\n'));
    const base = { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['a', 'b', 'colour']), ...MINIBATCH, backend: 'cpu' as const, epochs: 3, batchSize: 64 };
    const runs = new Map<string, Awaited<ReturnType<typeof train>>>();
    for (const imbalance of ['none', 'class-weights', 'oversample', 'undersample', 'smote'] as const) runs.set(imbalance, await train(ds, { ...base, imbalance }));
    const none = runs.get('none')!;
    if (none.status !== 'completed' || none.result.evaluation.task === 'regression') throw new Error('run failed');
    for (const [name, out] of runs) {
      if (out.status !== 'completed' || out.result.evaluation.task === 'regression') throw new Error(`${name} failed`);
      expect(out.result.sizes).toEqual(none.result.sizes);
      // Same test rows, same true classes: the support per class does not move.
      expect(out.result.evaluation.report.perClass.map((r) => r.support)).toEqual(none.result.evaluation.report.perClass.map((r) => r.support));
      if (name !== 'none') expect(out.result.imbalanceNote).toBeTruthy();
    }
    expect(none.result.imbalanceNote).toBeNull();
  });

  it('falls back to the next backend and says why when the device is lost mid-run', async () => {
    const ds = await source(separableCsv(300));
    const host: TrainHooks['host'] = { activate: () => tf.setBackend('cpu'), adapter: async () => null };
    let epochs = 0;
    const notices: string[] = [];
    const out = await train(ds, config(ds, { backend: 'webgpu', epochs: 3 }), {
      host,
      onEvent: (e) => {
        if (e.type === 'epoch') epochs++;
        if (e.type === 'notice') notices.push(e.message);
      },
      deviceLost: () => (epochs === 1 ? 'the WebGPU device was lost (destroyed)' : null),
    });
    if (out.status !== 'completed') throw new Error(out.status);
    expect(out.result.backend.used).toBe('webgl');
    expect(out.result.backend.fallbacks.join(' ')).toMatch(/device was lost.*restarts on webgl/);
    expect(notices.some((n) => n.includes('restarts on webgl'))).toBe(true);
    expect(out.result.epochs).toHaveLength(3);
  });
});
