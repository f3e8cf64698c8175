import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { runTraining, type TrainHooks } from '../../../src/lib/ml/train';
import {
  defaultTrainConfig,
  type TrainConfig,
  type DatasetSource,
  type TrainRequest,
  unscaleTarget,
} from '../../../src/lib/core/training';
import { Rng } from '../../../src/lib/core/common';
import { importText } from '../helpers';
import { olsFit, preparedDefault } from '../../support/reference-fit';

const cpuHost: TrainHooks['host'] = { activate: async (name) => (name === 'cpu' ? tf.setBackend('cpu') : false), adapter: async () => null };
const env = () => ({ appVersion: 'test', tfjsVersion: tf.version.tfjs, userAgent: 'vitest', hardwareConcurrency: 1 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** A noisy binary table (labels drawn from a logistic model, ~30% positive): not separable. */
function noisyBinaryCsv(rows: number): string {
  const rng = new Rng(3);
  const lines = ['a,b,shade,label'];
  for (let i = 0; i < rows; i++) {
    const a = normal(rng);
    const b = normal(rng);
    const shade = rng.next() < 0.5 ? 'dark' : 'light';
    const p = 1 / (1 + Math.exp(-(-1 + 1.5 * a - b + (shade === 'dark' ? 0.5 : 0))));
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${shade},${rng.next() < p ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

async function source(csv: string): Promise<DatasetSource> {
  const r = await importText(csv);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

async function train(ds: DatasetSource, config: TrainConfig, init?: TrainRequest['init']) {
  const out = await runTraining({ runId: 'r', config: { ...config, backend: 'cpu' }, dataset: ds, ...(init ? { init } : {}) }, { host: cpuHost, environment: env });
  if (out.status !== 'completed') throw new Error(`${out.status}: ${out.message}`);
  return out.result;
}

describe('a linear model with every default is fitted to convergence', () => {
  it('converges by Newton in a few iterations, records them, and keeps the test scores and the baseline', async () => {
    const ds = await source(noisyBinaryCsv(800));
    const r = await train(ds, defaultTrainConfig(ds.hash, 'label', 'binary', ['a', 'b', 'shade']));
    expect(r.solver).toMatchObject({ method: 'newton', converged: true, maxIter: 100, tol: 1e-4 });
    expect(r.solver!.gradNorm).toBeLessThanOrEqual(1e-4);
    expect(r.solver!.iterations).toBeLessThan(20);
    // One curve point per iteration, the objective never rising (Newton with a line search).
    expect(r.epochs).toHaveLength(r.solver!.iterations);
    r.epochs.slice(1).forEach((e, i) => expect(e.loss).toBeLessThanOrEqual(r.epochs[i]!.loss + 1e-7));
    expect(r.diagnostics).toEqual([]);
    const ev = r.evaluation;
    if (ev.task === 'regression') throw new Error('wrong task');
    expect(ev.rocAuc).toBeGreaterThan(0.75);
    // The test scores are the ones the metrics were computed from.
    const scores = r.testScores!;
    expect(scores.scores).toHaveLength(r.sizes.test);
    const positives = scores.labels.reduce((s, v) => s + v, 0);
    expect(positives).toBe(ev.report.perClass.find((c) => c.label === 'yes')!.support);
    let right = 0;
    scores.labels.forEach((y, i) => (right += Number((scores.scores[i]! >= 0.5 ? 1 : 0) === y)));
    expect(right / scores.labels.length).toBeCloseTo(ev.accuracy, 10);
    // The baseline always answers the majority class: its accuracy is that class's share of the test rows.
    expect(ev.baseline!.label).toBe('always “no”');
    expect(ev.baseline!.metrics.accuracy).toBeCloseTo(1 - positives / r.sizes.test, 10);
    expect(ev.baseline!.metrics.rocAuc).toBe(0.5);
  });

  it('reaches the least-squares solution computed independently on the same training rows', async () => {
    const rng = new Rng(9);
    const lines = ['x1,x2,g,y'];
    for (let i = 0; i < 300; i++) {
      const [x1, x2] = [normal(rng), normal(rng) * 3];
      const g = rng.next() < 0.3 ? 'p' : 'q';
      lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${g},${(5 + 2 * x1 - 0.7 * x2 + (g === 'p' ? 1 : 0) + 0.3 * normal(rng)).toFixed(4)}`);
    }
    const csv = lines.join('\n');
    const ds = await source(csv);
    const r = await train(ds, defaultTrainConfig(ds.hash, 'y', 'regression', ['x1', 'x2', 'g']));
    expect(r.solver).toMatchObject({ method: 'least-squares', converged: true });
    const data = await preparedDefault(csv, 'y', 'regression');
    if (data.target.task !== 'regression' || r.evaluation.task !== 'regression') throw new Error('wrong task');
    const d = data.featureNames.length;
    const w = olsFit(data.train.x, data.train.y, data.train.rows, d);
    const pred = Array.from({ length: data.test.rows }, (_, i) => w.slice(0, d).reduce((s, v, j) => s + v * data.test.x[i * d + j]!, w[d]!));
    const yTrue = unscaleTarget(data.target, data.test.y.subarray(0, data.test.rows));
    const yPred = unscaleTarget(data.target, pred);
    const rmse = Math.sqrt(yTrue.reduce((s, v, i) => s + (v - yPred[i]!) ** 2, 0) / yTrue.length);
    expect(r.evaluation.rmse).toBeCloseTo(rmse, 4);
    expect(r.evaluation.baseline!.label).toMatch(/^always the training mean \d/);
    expect(r.evaluation.baseline!.metrics.r2).toBeLessThanOrEqual(0);
    expect(r.testScores).toBeNull();
  });
});

describe('mini-batch runs: budget, still improving, continue training', () => {
  it('says a run that was still improving is, and continuing from its weights starts where it stopped', async () => {
    const ds = await source(noisyBinaryCsv(600));
    const parentConfig = { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['a', 'b', 'shade']), solver: 'minibatch' as const, autoBudget: false, epochs: 4, batchSize: 64, learningRate: 0.003 };
    const parent = await train(ds, parentConfig);
    expect(parent.diagnostics.map((d) => d.kind)).toContain('still-improving');
    const child = await train(ds, parentConfig, { parentRunId: 'p', modelJson: parent.artifacts.modelJson, weights: parent.artifacts.weights });
    const fresh = parent.epochs[0]!;
    // The child's first epoch continues from the parent's last one, far below a fresh start.
    expect(child.epochs[0]!.valLoss!).toBeLessThan(fresh.valLoss!);
    expect(child.epochs[0]!.valLoss!).toBeLessThanOrEqual(parent.epochs.at(-1)!.valLoss! + 1e-6);
  });

  it('stops at the time budget after the epoch that passes it, and says so', async () => {
    const ds = await source(noisyBinaryCsv(400));
    const r = await train(ds, { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['a', 'b']), model: 'mlp', hiddenUnits: [4], maxMinutes: 1e-6 });
    expect(r.epochs).toHaveLength(1);
    expect(r.diagnostics.map((d) => d.kind)).toContain('time-budget');
  });

  it('refuses to continue from a model of another shape, with a message', async () => {
    const ds = await source(noisyBinaryCsv(300));
    const base = { ...defaultTrainConfig(ds.hash, 'label', 'binary', ['a', 'b']), solver: 'minibatch' as const, autoBudget: false, epochs: 1 };
    const parent = await train(ds, base);
    const out = await runTraining(
      { runId: 'c', config: { ...base, model: 'mlp', hiddenUnits: [3], backend: 'cpu' }, dataset: ds, init: { parentRunId: 'p', modelJson: parent.artifacts.modelJson, weights: parent.artifacts.weights } },
      { host: cpuHost, environment: env },
    );
    expect(out.status).toBe('failed');
    if (out.status === 'completed') return;
    expect(out.message).toMatch(/do not match this configuration/);
  });
});
