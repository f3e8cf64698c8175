import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { evaluateModels, type EvaluateProgress, type EvaluateRequest } from '../../../src/lib/evaluate-run';
import { decodeColumns, defaultTrainConfig, prepareData, transform, type DatasetSource, type PreparedData, type TrainConfig } from '../../../src/lib/core/training';
import { LINEAGE_JSON, METRICS_JSON, MODEL_JSON, PREPROCESSING_JSON, SCHEMA_JSON, TARGET_JSON, WEIGHTS_BIN } from '../../../src/lib/core/models';
import { logLoss, meanAbsoluteError, meanSquaredError, r2Score, rocAucScore, scoresAt } from '../../../src/lib/core/metrics';
import { assignRollout, type MetricKey } from '../../../src/lib/core/evaluate';
import { LatestRequests, Rng, Superseded } from '../../../src/lib/core/common';
import { saveToFiles } from '../../../src/lib/ml/io';
import { loadMatrixPredictor } from '../../../src/lib/ml/matrix-predict';
import { importText } from '../helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** label = yes when x1 + 2 x2 > 0 (a little noise); every 50th row (from row 7) has no label. */
function csv(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['x1,x2,label,amount'];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.next() * 4 - 2;
    const x2 = rng.next() * 4 - 2;
    const label = i % 50 === 7 ? '' : x1 + 2 * x2 + (rng.next() - 0.5) > 0 ? 'yes' : 'no';
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${label},${(10 + 3 * x1 - x2 + (rng.next() - 0.5)).toFixed(4)}`);
  }
  return lines.join('\n');
}

async function source(text: string): Promise<DatasetSource> {
  const r = await importText(text);
  return { hash: r.hash, rows: r.rows, schema: r.schema, dictBlob: r.dictBlob, chunks: r.chunks.map((c) => ({ layout: c.layout, blob: c.blob })) };
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** A real one-layer TF.js model (kernel over the encoded features, bias, activation) stored as a version's files. */
async function versionFiles(prepared: PreparedData, config: TrainConfig, kernel: number[], bias: number, activation: 'sigmoid' | 'linear', threshold: number | null) {
  const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [kernel.length], units: 1, activation, weights: [tf.tensor2d(kernel, [kernel.length, 1]), tf.tensor1d([bias])] })] });
  const artifacts = await saveToFiles(net);
  return new Map<string, Uint8Array>([
    [MODEL_JSON, new TextEncoder().encode(artifacts.modelJson)],
    [WEIGHTS_BIN, new Uint8Array(artifacts.weights)],
    [PREPROCESSING_JSON, enc(prepared.preprocessing)],
    [TARGET_JSON, enc(prepared.target)],
    [SCHEMA_JSON, enc([])],
    [METRICS_JSON, enc(threshold === null ? { task: 'regression' } : { threshold })],
    [LINEAGE_JSON, enc({ config })],
  ]);
}

async function setup(task: 'binary' | 'regression') {
  const dataset = await source(csv(600, 5));
  const target = task === 'binary' ? 'label' : 'amount';
  const config = defaultTrainConfig(dataset.hash, target, task, ['x1', 'x2']);
  const columns = await decodeColumns(dataset, ['x1', 'x2', target]);
  const prepared = prepareData(config, columns);
  const names = prepared.preprocessing.featureNames;
  const w = (a: number, b: number) => names.map((n) => (n === 'x1' ? a : n === 'x2' ? b : 0));
  return { dataset, config, columns, prepared, w };
}

const loadModel = loadMatrixPredictor;
const metric = (values: { metric: MetricKey; value: number }[], key: MetricKey) => values.find((m) => m.metric === key)!.value;

function request(dataset: DatasetSource, models: { label: string; files: Map<string, Uint8Array> }[], extra: Partial<EvaluateRequest> = {}): EvaluateRequest {
  return { key: 'k', requestId: '1', dataset, models, resamples: 200, seed: 7, canaryShare: 0.1, abShare: 0.5, ...extra };
}

describe('evaluateModels', () => {
  it('scores every labelled row with each real model and its own threshold; the metrics agree with core metric functions on the same scores', async () => {
    const s = await setup('binary');
    const champion = await versionFiles(s.prepared, s.config, s.w(1.5, 0), 0, 'sigmoid', 0.5);
    const challenger = await versionFiles(s.prepared, s.config, s.w(1.5, 3), 0.2, 'sigmoid', 0.4);
    const progress: EvaluateProgress[] = [];
    const out = await evaluateModels(request(s.dataset, [{ label: 'heart v1', files: champion }, { label: 'heart v2', files: challenger }]), { loadModel, onProgress: (p) => progress.push(p) });

    // 12 of 600 rows (7, 57, 107…) have no label.
    expect([out.datasetRows, out.labelledRows, out.droppedRows]).toEqual([600, 588, 12]);
    expect(out.target).toBe('label');
    expect(out.thresholds).toEqual([0.5, 0.4]);
    expect(out.evaluation.task).toBe('binary');
    expect(out.evaluation.rows).toBe(588);

    // The same scores computed independently: the labelled rows, encoded, through sigmoid(w·x + b) by hand.
    const rows = Uint32Array.from({ length: 600 }, (_, i) => i).filter((i) => i % 50 !== 7);
    const x = transform(s.prepared.preprocessing, s.columns.map((c) => ({ name: c.schema.name, data: c.data })), rows);
    const labelCol = s.columns.find((c) => c.schema.name === 'label')!;
    const yes = s.prepared.target.task === 'classification' ? s.prepared.target.classes.indexOf('yes') : -1;
    expect(yes).toBe(1);
    const codes = labelCol.data.kind === 'dict' ? labelCol.data : null;
    const labels = Uint32Array.from(rows, (r) => (codes!.dict[codes!.codes[r]! - 1] === 'yes' ? 1 : 0));
    const scoresOf = (kernel: number[], bias: number) =>
      Float64Array.from({ length: x.rows }, (_, i) => {
        let z = bias;
        for (let j = 0; j < x.cols; j++) z += kernel[j]! * x.x[i * x.cols + j]!;
        return 1 / (1 + Math.exp(-z));
      });
    const cases = [
      { scores: scoresOf(s.w(1.5, 0), 0), threshold: 0.5 },
      { scores: scoresOf(s.w(1.5, 3), 0.2), threshold: 0.4 },
    ];
    cases.forEach(({ scores, threshold }, m) => {
      const got = out.evaluation.models[m]!.metrics;
      expect(metric(got, 'rocAuc')).toBeCloseTo(rocAucScore(labels, scores), 4);
      let right = 0;
      for (let i = 0; i < labels.length; i++) if ((scores[i]! >= threshold ? 1 : 0) === labels[i]) right++;
      expect(metric(got, 'accuracy')).toBeCloseTo(right / labels.length, 6);
      const pr = scoresAt(labels, scores, threshold);
      expect(metric(got, 'precision')).toBeCloseTo(pr.precision, 6);
      expect(metric(got, 'recall')).toBeCloseTo(pr.recall, 6);
      const two = new Float64Array(scores.length * 2);
      scores.forEach((p, i) => {
        two[2 * i] = 1 - p;
        two[2 * i + 1] = p;
      });
      expect(metric(got, 'logLoss')).toBeCloseTo(logLoss(labels, two, 2), 4);
    });
    // The model that reads x2 is clearly better, and the verdict says so.
    const cmp = out.evaluation.comparisons[0]!;
    const auc = cmp.differences.find((d) => d.metric === 'rocAuc')!;
    expect(auc.difference).toBeGreaterThan(0.05);
    expect(auc.interval.low).toBeGreaterThan(0);
    expect(auc.verdict).toBe('challenger');
    expect([cmp.champion, cmp.challenger]).toEqual(['heart v1', 'heart v2']);

    // Shadow, canary (10%) and A/B (50%) against the challenger, on the rows assignRollout picks.
    expect(out.rehearsals.map((r) => r.strategy.kind)).toEqual(['shadow', 'canary', 'ab']);
    expect(out.rehearsals[0]!.counts.servedByChallenger).toBe(0);
    const canary = assignRollout(588, { kind: 'canary', share: 0.1 }, 7).reduce((a, b) => a + b, 0);
    expect(out.rehearsals[1]!.counts.servedByChallenger).toBe(canary);
    expect(metric(out.rehearsals[0]!.served, 'rocAuc')).toBeCloseTo(rocAucScore(labels, cases[0]!.scores), 4);

    expect(progress.map((p) => p.label)).toContain('Scoring model 2 of 2 (heart v2)');
    expect(progress.at(-1)).toEqual({ done: 5, total: 5, label: 'Done' });
  });

  it('compares regression models in the target’s own units, whatever scaling they trained with', async () => {
    const s = await setup('regression');
    const spec = s.prepared.target;
    if (spec.task !== 'regression') throw new Error('regression expected');
    const a = await versionFiles(s.prepared, s.config, s.w(0.5, 0), 0, 'linear', null);
    const b = await versionFiles(s.prepared, s.config, s.w(0.9, -0.3), 0, 'linear', null);
    const out = await evaluateModels(request(s.dataset, [{ label: 'a', files: a }, { label: 'b', files: b }]), { loadModel });
    // Every row has an amount.
    expect(out.labelledRows).toBe(600);
    const rows = Uint32Array.from({ length: 600 }, (_, i) => i);
    const x = transform(s.prepared.preprocessing, s.columns.map((c) => ({ name: c.schema.name, data: c.data })), rows);
    const amount = s.columns.find((c) => c.schema.name === 'amount')!.data;
    const truth = amount.kind === 'num' ? Array.from(amount.values) : [];
    const predict = (k: number[]) =>
      Array.from({ length: x.rows }, (_, i) => {
        let z = 0;
        for (let j = 0; j < x.cols; j++) z += k[j]! * x.x[i * x.cols + j]!;
        return spec.scaled ? z * spec.std + spec.mean : z;
      });
    [s.w(0.5, 0), s.w(0.9, -0.3)].forEach((k, m) => {
      const p = predict(k);
      const got = out.evaluation.models[m]!.metrics;
      expect(metric(got, 'rmse')).toBeCloseTo(Math.sqrt(meanSquaredError(truth, p)), 4);
      expect(metric(got, 'mae')).toBeCloseTo(meanAbsoluteError(truth, p), 4);
      expect(metric(got, 'r2')).toBeCloseTo(r2Score(truth, p), 4);
    });
    expect(out.thresholds).toEqual([null, null]);
  });

  it('refuses models that predict different targets, naming both', async () => {
    const bin = await setup('binary');
    const reg = await setup('regression');
    const a = await versionFiles(bin.prepared, bin.config, bin.w(1, 1), 0, 'sigmoid', 0.5);
    const b = await versionFiles(reg.prepared, reg.config, reg.w(1, 1), 0, 'linear', null);
    await expect(evaluateModels(request(bin.dataset, [{ label: 'heart-v1', files: a }, { label: 'heart-v2', files: b }]), { loadModel })).rejects.toThrow(
      "heart-v2 predicts 'amount', heart-v1 predicts 'label' — they cannot be compared on the same labels.",
    );
  });

  it('refuses data without the target column, and a single model', async () => {
    const s = await setup('binary');
    const a = await versionFiles(s.prepared, s.config, s.w(1, 1), 0, 'sigmoid', 0.5);
    const unlabelled = await source('x1,x2\n1,2\n3,4\n');
    await expect(evaluateModels(request(unlabelled, [{ label: 'a', files: a }, { label: 'b', files: a }]), { loadModel })).rejects.toThrow(/no column 'label' to take the labels from/);
    await expect(evaluateModels(request(s.dataset, [{ label: 'a', files: a }]), { loadModel })).rejects.toThrow(/a champion and at least one challenger/);
  });

  it('stops at its next step when a newer request for the same key begins', async () => {
    const s = await setup('binary');
    const a = await versionFiles(s.prepared, s.config, s.w(1, 1), 0, 'sigmoid', 0.5);
    const latest = new LatestRequests();
    const first = latest.run({ key: 'k', requestId: '1' }, (token) => evaluateModels(request(s.dataset, [{ label: 'a', files: a }, { label: 'b', files: a }]), { loadModel, token }));
    latest.begin({ key: 'k', requestId: '2' });
    await expect(first).rejects.toBeInstanceOf(Superseded);
  });
});
