import { describe, expect, it } from 'vitest';
import { reviveNonFinite, runsToJson, storedParts, syntheticRuns } from '../../bench/synthetic-runs.mjs';
import { useFreshDatabase } from '../storage/fresh-db';
import { createRun, getRun, listRuns } from '../../../src/lib/storage/runs';
import { splitStoredRun } from '../../../src/lib/storage/db';
import { headlineMetrics, sweepMetrics } from '../../../src/lib/core/models';
import { classificationReport, type ClassCurves, type ClassificationMetrics } from '../../../src/lib/core/metrics';
import {
  normalizeTrainConfig,
  validateTrainConfig,
  type TrainConfig,
  type BackendReport,
  type EnvironmentInfo,
  type EpochRecord,
  type SplitSizes,
  type ThresholdReport,
} from '../../../src/lib/core/training';
import { rocSeries, prSeries, trainingCurves } from '../../../src/lib/core/charts';
import type { RunRecord } from '../../../src/lib/storage/records';

const HASH = 'b'.repeat(64);
const runs = syntheticRuns(300, { seed: 11, datasetHash: HASH });
const completed = runs.filter((r) => r.status === 'completed');
const binary = (r: RunRecord) => {
  const e = r.evaluation;
  if (e?.task !== 'binary') throw new Error(`run ${r.id} has no binary evaluation`);
  return e;
};

// The key lists below are checked by the compiler against the app's types (every key, no other),
// and the generated objects against the lists at run time: the JavaScript cannot drift from the types.
const keysOf = <T>(o: Record<keyof T, 0>) => Object.keys(o).sort();
const RUN_KEYS = keysOf<Required<RunRecord>>({
  id: 0, name: 0, notebookId: 0, cellId: 0, datasetHash: 0, config: 0, fingerprint: 0, status: 0, statusMessage: 0, notes: 0,
  tags: 0, reproducesRunId: 0, sweepId: 0, createdAt: 0, heartbeatAt: 0, endedAt: 0, durationMs: 0, backend: 0,
  environment: 0, sizes: 0, mainMetric: 0, epochs: 0, bestEpoch: 0, stoppedEarly: 0, preprocessing: 0, target: 0,
  evaluation: 0, threshold: 0, imbalanceNote: 0, modelVersionId: 0, parentRunId: 0, solver: 0, diagnostics: 0, testScores: 0,
  cellFingerprint: 0, retrainedFrom: 0,
  // Synthetic runs are mini-batch runs stored without test scores, and unnamed as runs from before names (the list derives theirs).
}).filter((k) => k !== 'testScores' && k !== 'name');
const CONFIG_KEYS = keysOf<TrainConfig>({
  datasetHash: 0, target: 0, features: 0, task: 0, model: 0, hiddenUnits: 0, activation: 0, dropout: 0, l2: 0,
  optimizer: 0, learningRate: 0, epochs: 0, batchSize: 0, earlyStopping: 0, patience: 0, monitor: 0, trainFraction: 0,
  validationFraction: 0, testFraction: 0, stratify: 0, impute: 0, missingIndicators: 0, topK: 0, imbalance: 0,
  thresholdRule: 0, targetRecall: 0, seed: 0, backend: 0, solver: 0, C: 0, maxIter: 0, tol: 0, autoBudget: 0, maxMinutes: 0,
});
const EVALUATION_KEYS = keysOf<ClassificationMetrics>({
  task: 0, n: 0, classes: 0, threshold: 0, accuracy: 0, balancedAccuracy: 0, logLoss: 0, gMean: 0, minorityClass: 0,
  minorityF1: 0, report: 0, confusion: 0, rocAuc: 0, averagePrecision: 0, curves: 0, notes: 0,
});
const CURVE_KEYS = keysOf<Omit<ClassCurves, 'note'>>({
  classIndex: 0, label: 0, positives: 0, negatives: 0, rocAuc: 0, averagePrecision: 0, roc: 0, pr: 0,
});
const EPOCH_KEYS = keysOf<EpochRecord>({ epoch: 0, loss: 0, valLoss: 0, metric: 0, valMetric: 0, ms: 0 });
const BACKEND_KEYS = keysOf<BackendReport>({ requested: 0, used: 0, reason: 0, adapter: 0, measurements: 0, fallbacks: 0 });
const ENVIRONMENT_KEYS = keysOf<EnvironmentInfo>({ appVersion: 0, tfjsVersion: 0, userAgent: 0, hardwareConcurrency: 0 });
const SIZES_KEYS = keysOf<SplitSizes>({ train: 0, validation: 0, test: 0, droppedMissingTarget: 0 });
const THRESHOLD_KEYS = keysOf<ThresholdReport>({ choice: 0, test: 0 });

const sorted = (o: object) => Object.keys(o).sort();
const trapezoid = (x: number[], y: number[]) => x.slice(1).reduce((s, v, i) => s + (v - x[i]!) * (y[i + 1]! + y[i]!) / 2, 0);
const nonDecreasing = (xs: number[]) => xs.every((v, i) => i === 0 || v >= xs[i - 1]!);

describe('synthetic benchmark runs', () => {
  it('is deterministic: the same seed gives the same runs, a prefix the same first runs, another seed others', () => {
    expect(syntheticRuns(300, { seed: 11, datasetHash: HASH })).toEqual(runs);
    expect(syntheticRuns(25, { seed: 11, datasetHash: HASH })).toEqual(runs.slice(0, 25));
    expect(syntheticRuns(25, { seed: 12, datasetHash: HASH })[0]!.id).not.toBe(runs[0]!.id);
  });

  it('gives n runs with distinct ids, mostly completed, a few failed or cancelled without an evaluation', () => {
    expect(runs).toHaveLength(300);
    expect(new Set(runs.map((r) => r.id)).size).toBe(300);
    expect(completed.length).toBeGreaterThan(270);
    const ended = runs.filter((r) => r.status !== 'completed');
    expect(ended.length).toBeGreaterThan(0);
    for (const r of ended) {
      expect(['failed', 'cancelled']).toContain(r.status);
      expect(r.evaluation).toBeNull();
      expect(r.statusMessage).toMatch(/\S/);
      expect(r.epochs.length).toBeLessThan(100);
    }
  });

  it('has exactly the fields of the stored records', () => {
    for (const r of runs) {
      const expected = r.status === 'completed' ? RUN_KEYS : RUN_KEYS.filter((k) => k !== 'threshold' && k !== 'imbalanceNote');
      expect(sorted(r)).toEqual(expected);
      expect(sorted(r.config)).toEqual(CONFIG_KEYS);
      expect(sorted(r.backend!)).toEqual(BACKEND_KEYS);
      expect(sorted(r.environment!)).toEqual(ENVIRONMENT_KEYS);
      expect(sorted(r.sizes!)).toEqual(SIZES_KEYS);
      for (const e of r.epochs) expect(sorted(e)).toEqual(EPOCH_KEYS);
    }
    for (const r of completed) {
      const e = binary(r);
      expect(sorted(e)).toEqual(EVALUATION_KEYS);
      expect(sorted(e.curves[0]!)).toEqual(CURVE_KEYS);
      if (r.threshold) expect(sorted(r.threshold)).toEqual(THRESHOLD_KEYS);
      expect(r.threshold === null).toBe(r.config.thresholdRule === 'default');
    }
  });

  it('has valid configs over the asked ranges: the app normalizes them to themselves and finds no issue', () => {
    for (const r of runs) {
      expect(normalizeTrainConfig(r.config)).toEqual(r.config);
      expect(validateTrainConfig(r.config, null)).toEqual([]);
      expect(r.config.learningRate).toBeGreaterThanOrEqual(0.0001);
      expect(r.config.learningRate).toBeLessThanOrEqual(0.1);
      expect([64, 128, 256, 512, 1024]).toContain(r.config.batchSize);
    }
    const values = (key: keyof TrainConfig) => new Set(runs.map((r) => JSON.stringify(r.config[key])));
    expect(values('model')).toEqual(new Set(['"linear"', '"mlp"']));
    expect(values('imbalance').size).toBe(5);
    expect(values('thresholdRule')).toEqual(new Set(['"default"', '"max-f1"']));
    expect(values('hiddenUnits').has('[128,64]')).toBe(true);
  });

  it('has 100 epochs per completed run, the loss falling and the AUC rising', () => {
    for (const r of completed) {
      expect(r.epochs).toHaveLength(100);
      expect(r.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      const [first, last] = [r.epochs[0]!, r.epochs[99]!];
      expect(last.loss).toBeLessThan(first.loss);
      expect(last.valMetric!).toBeGreaterThan(first.valMetric! - 0.01);
      expect(r.bestEpoch).toBeGreaterThanOrEqual(1);
      expect(r.bestEpoch).toBeLessThanOrEqual(100);
    }
  });

  it('has monotone 200-point ROC curves from (0, 0) to (1, 1) whose area is the run’s AUC, and 200-point PR curves', () => {
    for (const r of completed) {
      const e = binary(r);
      const c = e.curves[0]!;
      const roc = c.roc!;
      expect(roc.fpr).toHaveLength(200);
      expect(roc.tpr).toHaveLength(200);
      expect(roc.thresholds).toHaveLength(200);
      expect([roc.fpr[0], roc.tpr[0], roc.thresholds[0]]).toEqual([0, 0, Infinity]);
      expect([roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([1, 1]);
      expect(nonDecreasing(roc.fpr) && nonDecreasing(roc.tpr)).toBe(true);
      expect(nonDecreasing(roc.thresholds.slice().reverse())).toBe(true);
      expect(Math.abs(trapezoid(roc.fpr, roc.tpr) - e.rocAuc)).toBeLessThan(0.002);
      expect(c.rocAuc).toBe(e.rocAuc);
      expect(e.rocAuc).toBeGreaterThan(0.7);
      expect(e.rocAuc).toBeLessThan(0.84);
      const pr = c.pr!;
      expect(pr.precision).toHaveLength(200);
      expect(pr.recall).toHaveLength(200);
      expect(pr.thresholds).toHaveLength(199);
      expect([pr.recall[0], pr.recall.at(-1), pr.precision.at(-1)]).toEqual([1, 0, 1]);
      expect(nonDecreasing(pr.recall.slice().reverse()) && nonDecreasing(pr.thresholds)).toBe(true);
      expect(e.averagePrecision).toBeGreaterThan(pr.precision[0]!);
    }
  });

  it('has metrics that agree with the confusion matrix, as the app computes them', () => {
    for (const r of completed) {
      const e = binary(r);
      expect(e.classes).toEqual(['No', 'Yes']);
      expect(e.report).toEqual(classificationReport(e.confusion, e.classes));
      expect(e.confusion.flat().reduce((s, v) => s + v, 0)).toBe(e.n);
      expect(e.n).toBe(r.sizes!.test);
      expect(e.accuracy).toBe(e.report.accuracy);
      expect(e.minorityF1).toBe(e.report.perClass[1]!.f1);
      expect(e.threshold).toBe(r.threshold ? r.threshold.choice.threshold : 0.5);
      for (const v of Object.values(headlineMetrics(e))) expect(Number.isFinite(v)).toBe(true);
      const ranked = sweepMetrics(e);
      expect(Object.keys(ranked)).toEqual(['accuracy', 'balancedAccuracy', 'logLoss', 'rocAuc', 'averagePrecision', 'minorityRecall', 'minorityF1']);
      for (const v of Object.values(ranked)) expect(Number.isFinite(v)).toBe(true);
      expect(rocSeries(e.curves)).toHaveLength(prSeries(e.curves).length);
      expect(trainingCurves(r.epochs, 'auc').loss.length).toBeGreaterThan(0);
    }
  });

  it('has tags, notes, sweeps and start times spread over days', () => {
    const tags = new Set(runs.flatMap((r) => r.tags));
    for (const t of ['baseline', 'smote', 'lr-sweep']) expect(tags).toContain(t);
    expect(runs.some((r) => r.notes !== '')).toBe(true);
    const sweeps = new Map<string, number>();
    for (const r of runs) if (r.sweepId) sweeps.set(r.sweepId, (sweeps.get(r.sweepId) ?? 0) + 1);
    expect(sweeps.size).toBeGreaterThan(5);
    expect(Math.max(...sweeps.values())).toBeGreaterThan(2);
    const times = runs.map((r) => r.createdAt);
    expect(nonDecreasing(times)).toBe(true);
    expect((times.at(-1)! - times[0]!) / 86_400_000).toBeGreaterThan(3);
    for (const r of runs) {
      expect(r.endedAt!).toBeGreaterThan(r.createdAt);
      expect(r.mainMetric).toBe(r.status === 'completed' ? 'auc' : null);
      expect(r.modelVersionId).toBeNull();
      expect(r.datasetHash).toBe(HASH);
    }
  });

  it('crosses JSON with the ROC’s infinite first threshold restored', () => {
    const back = JSON.parse(runsToJson(runs.slice(0, 20)), reviveNonFinite) as RunRecord[];
    expect(back).toEqual(runs.slice(0, 20));
  });
});

describe('synthetic runs in the app’s database', () => {
  useFreshDatabase();

  it('are stored and listed by the run repository, newest first', async () => {
    for (const r of runs.slice(0, 30)) await createRun(r);
    const listed = await listRuns();
    expect(listed).toHaveLength(30);
    expect(listed[0]!.id).toBe(runs[29]!.id);
    expect(await getRun(runs[29]!.id)).toEqual(runs[29]);
  });

  it('are split for seeding exactly as the app stores them (summary + details)', () => {
    for (const r of runs.slice(0, 30)) expect(storedParts(r)).toEqual(splitStoredRun(r));
  });
});
